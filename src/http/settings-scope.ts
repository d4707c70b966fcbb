/** The scope of a /config or /mode request: the global one, or the `{subject}` path parameter's. */
import type { Context } from 'hono';
import { DEFAULT_CONTEXT, parseSubject } from '../domain/naming';
import type { SubjectRef } from '../durable/tx';
import type { AppEnv } from './env';

export function settingsScope(c: Context<AppEnv>): SubjectRef {
  const raw = c.req.param('subject');
  return raw === undefined ? { context: DEFAULT_CONTEXT, subject: '', qualified: '' } : { ...parseSubject(raw), qualified: raw };
}
