/** Change events (docs/events.md): the page a consumer catches up with, and their retention. */
import { type EventRow, type EventScopes, pruneStatement } from '../storage/events';
import type { RegistryReader } from '../storage/registry-reader';
import { ErrorCode, RegistryError } from '../domain/errors';

type Db = Pick<D1Database, 'prepare' | 'batch'>;

/**
 * At most this many events looked at per page for a reader with narrow grants: ten per event
 * asked for, at most 5,000 (never fewer than the page).
 */
function scanOf(limit: number): number {
  return Math.max(limit, Math.min(10 * limit, 5000));
}

type Event = Omit<EventRow, 'context' | 'subject' | 'version' | 'id' | 'kek' | 'algorithm'> & {
  context?: string;
  subject?: string;
  version?: number;
  id?: number;
  kek?: string;
  algorithm?: string;
};

/**
 * One page after `after`. `next` is where to continue: the last event answered when the page is
 * full, else the last event looked at, visible or not, so a reader that may see few events still
 * advances (it learns that seqs went by, never what they were); null when nothing follows `after`.
 * `generation` names the history the seqs belong to (storage/events.ts InHistory): a consumer that
 * sends back the one it paged with is refused (41001) once a restore has begun another, instead
 * of silently reading a history its cursor does not belong to.
 */
export async function eventsAfter(
  reader: RegistryReader,
  q: { after: number; limit: number; generation?: number },
  scopes: EventScopes,
): Promise<{ events: Event[]; next: number | null; generation: number }> {
  const { after, limit } = q;
  const { events, lastScanned, generation } = await reader.eventPage({ after, limit, scan: scopes === null ? limit : scanOf(limit), scopes });
  if (q.generation !== undefined && q.generation !== generation) throw historyReplaced(q.generation, generation);
  const full = events.length === limit;
  return { events: events.map(present), next: full ? events[limit - 1].seq : lastScanned, generation };
}

function historyReplaced(was: number, now: number): RegistryError {
  return new RegistryError(
    ErrorCode.EVENT_HISTORY_REPLACED,
    `The event history of generation ${was} was replaced by a restore (now generation ${now}): resynchronise from the API, then continue with after=0&generation=${now}`,
  );
}

export function present(e: EventRow): Event {
  return {
    seq: e.seq,
    at: e.at,
    type: e.type,
    ...(e.context !== null ? { context: e.context } : {}),
    ...(e.subject !== null ? { subject: e.subject } : {}),
    ...(e.version !== null ? { version: e.version } : {}),
    ...(e.id !== null ? { id: e.id } : {}),
    ...(e.kek !== null ? { kek: e.kek } : {}),
    ...(e.algorithm !== null ? { algorithm: e.algorithm } : {}),
    actor: e.actor,
  };
}

/** Events removed per statement: each statement looks at this many of the oldest rows. */
const PRUNE_CHUNK = 1000;

/**
 * Retention: remove the events recorded before `before`, oldest first, a bounded chunk per
 * statement, until a chunk holds a newer one. Returns how many went.
 */
export async function pruneEvents(db: Db, before: Date): Promise<number> {
  let removed = 0;
  for (;;) {
    const [r] = await db.batch([pruneStatement(db, before, PRUNE_CHUNK)]);
    removed += r.meta.changes;
    if (r.meta.changes < PRUNE_CHUNK) return removed;
  }
}

/** EVENTS_RETENTION_DAYS (wrangler.toml [vars]): a positive whole number of days, 30 when unset or invalid. */
export function retentionDays(text: string | undefined): number {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : 30;
}
