/**
 * GET /v1/events: the change events (docs/events.md), for a consumer to catch up from a cursor.
 * Any reader may ask; it sees the events of what it may read (http/visibility.ts eventScopes,
 * filtered in SQL), and its cursor advances past the others.
 */
import * as z from 'zod';
import { parseWith, reply } from '../http/respond';
import { resource } from '../http/route';
import { EventPage } from '../http/shapes';
import { eventScopes } from '../http/visibility';
import { eventsAfter } from '../services/events';

const whole = z
  .string()
  .regex(/^[0-9]{1,15}$/, 'a non-negative integer')
  .transform(Number);

const EventsQuery = z.object({
  after: whole.optional(),
  limit: whole.pipe(z.number().min(1, 'limit is 1 to 1000').max(1000, 'limit is 1 to 1000')).optional(),
  generation: whole.optional(),
});

export const events = resource('/v1/events', [
  {
    method: 'GET',
    path: '/',
    summary: 'Change events after a cursor, oldest first, filtered to what the caller may read; continue with after=next',
    // Any reader: the events it may not read are filtered out (grants on context and subject prefix).
    role: 'reader',
    query: {
      after: z.number().int().min(0).optional().describe('Events with a larger seq (default 0: from the oldest kept)'),
      limit: z.number().int().min(1).max(1000).optional().describe('1 to 1000 (default 100)'),
      generation: z
        .number()
        .int()
        .min(0)
        .optional()
        .describe('The generation of the page the cursor came from: 410 (41001) if a restore has replaced that history since'),
    },
    responses: { 200: EventPage },
    handler: async (c) => {
      const q = parseWith(EventsQuery, { after: c.req.query('after'), limit: c.req.query('limit'), generation: c.req.query('generation') });
      return reply(c, await eventsAfter(c.get('reader'), { after: q.after ?? 0, limit: q.limit ?? 100, generation: q.generation }, eventScopes(c)));
    },
  },
]);
