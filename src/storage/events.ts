/**
 * The change events (table `events`, docs/events.md): the outbox every committed change writes
 * its row into, in the same D1 batch as the change (durable/tx.ts writeShare), and the page a
 * consumer catches up with (GET /v1/events?after=&limit=).
 *
 * Ordering. `seq` is an INTEGER PRIMARY KEY AUTOINCREMENT: SQLite assigns it when the row is
 * inserted, inside the transaction (D1 batch) that commits the change. D1 runs every write
 * transaction of a database one at a time on its primary, whichever writer Durable Object (whichever
 * context) sent it, so a transaction that commits later assigns larger numbers than every
 * transaction committed before it: `seq` order is commit order, across contexts. A failed batch
 * rolls back its rows and the AUTOINCREMENT counter with them, so committed numbers have no gaps;
 * AUTOINCREMENT never hands out a number twice (not even after retention removed the newest rows).
 * Every read sees a committed prefix of that order (the primary, or a replica that lags it, never
 * half a transaction), so when a read returns events up to seq M, every event not yet visible
 * commits later and gets a seq > M: a consumer that pages with after=M never misses one.
 *
 * Why not a number the writer hands out: each context has its own writer, and two writers that
 * each take a number before committing may commit in the other order (writer A takes 10, B takes
 * 11 and commits first; a consumer reads 11 and asks after=11: 10 commits later and is never seen).
 * A number only the committing transaction assigns cannot be overtaken.
 */
import { insertRows } from './multi-row';
import { generationOf, generationStatement } from './registry-meta';

type Db = Pick<D1Database, 'prepare' | 'batch'>;

/** What a write says about the change it commits; the batch adds the seq, tx.ts the time and actor. */
export interface ChangeEvent {
  type: EventType;
  /** null: registry-wide (a restore). */
  context: string | null;
  /** null: the whole context (its config or mode, the context itself) or registry-wide. */
  subject: string | null;
  version: number | null;
  id: number | null;
  /** A DEK registry event's KEK name (docs/dek-registry.md); absent for every other event. */
  kek?: string;
  /** A DEK event's algorithm; absent for every other event. */
  algorithm?: string;
}

export const EVENT_TYPES = [
  'register',
  'delete-version',
  'delete-version-permanent',
  'delete-subject',
  'delete-subject-permanent',
  'delete-context',
  'set-config',
  'delete-config',
  'set-mode',
  'delete-mode',
  'restore',
  'create-association',
  'update-association',
  'delete-association',
  // The DEK registry (docs/dek-registry.md): a KEK event is registry-wide (no context, like the
  // KEK), a DEK event names its context and subject, version and algorithm; never key material
  // nor KMS properties.
  'create-kek',
  'update-kek',
  'delete-kek',
  'delete-kek-permanent',
  'undelete-kek',
  'create-dek',
  'update-dek',
  'delete-dek',
  'delete-dek-permanent',
  'undelete-dek',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** The event of a completed restore (JSON, or a snapshot from R2): registry-wide, it replaced everything. */
export const RESTORED: ChangeEvent = { type: 'restore', context: null, subject: null, version: null, id: null };

export interface EventRow extends Omit<ChangeEvent, 'kek' | 'algorithm'> {
  seq: number;
  at: string;
  actor: string;
  kek: string | null;
  algorithm: string | null;
}

const EVENT_COLUMNS = ['at', 'type', 'context', 'subject', 'version', 'schema_id', 'actor', 'kek', 'algorithm'] as const;

/**
 * The INSERTs of events (`seq` left to SQLite, see above) in this order, as few as D1's parameter bound allows (storage/multi-row.ts):
 * SQLite numbers them in the order given, so their seqs follow it.
 */
export function insertEventStatements(
  db: Pick<D1Database, 'prepare'>,
  events: { event: ChangeEvent; actor: string; at: Date }[],
): D1PreparedStatement[] {
  return insertRows(
    db,
    'INSERT INTO events',
    EVENT_COLUMNS,
    events.map(({ event: e, actor, at }) => [
      at.toISOString(),
      e.type,
      e.context,
      e.subject,
      e.version,
      e.id,
      actor,
      e.kek ?? null,
      e.algorithm ?? null,
    ]),
  );
}

/**
 * What a reader may see, as a filter in SQL: `null` reads everything; otherwise its grants as
 * {context, prefix} scopes (either absent = any). The same rule as domain/grants.ts `covers`: an
 * event on a subject is visible through a grant on its context (or on every context) whose prefix,
 * if any, starts the subject; an event on a whole context only through a grant on that context
 * without a prefix; a registry-wide event to every reader: a restore (it replaced everything every
 * reader sees) and a KEK's events (any reader reads every KEK: GET /dek-registry/v1/keks/{name}).
 * A DEK's events are on its subject, as its reads are.
 */
export type EventScopes = { context?: string; prefix?: string }[] | null;

const COLUMNS = `seq, at, type, context, subject, version, schema_id AS id, actor, kek, algorithm`;

const VISIBLE = `(context IS NULL OR EXISTS (SELECT 1 FROM json_each(?4) g
  WHERE (json_extract(g.value, '$.context') IS NULL OR json_extract(g.value, '$.context') = context)
    AND (json_extract(g.value, '$.prefix') IS NULL
         OR (subject IS NOT NULL AND substr(subject, 1, length(json_extract(g.value, '$.prefix'))) = json_extract(g.value, '$.prefix')))))`;

/**
 * Seqs number the events of one history: a restore starts a new one (a new database counts from 1
 * again; D1 Time Travel hands the seqs after its minute out again) and advances the registry
 * generation. So every read of events also reads the generation, in the same batch (one
 * transaction): a consumer or a queued delivery can tell which history a seq belongs to.
 */
export interface InHistory {
  generation: number;
}

/**
 * One page: the events after `after` the scopes may see, at most `limit`, looking at no more than
 * `scan` events (a reader with narrow grants does not make D1 walk the whole table), and the last
 * seq looked at. All in one batch (one transaction): the same committed prefix.
 */
export async function eventPage(
  db: Db,
  o: { after: number; limit: number; scan: number; scopes: EventScopes },
): Promise<{ events: EventRow[]; lastScanned: number | null } & InHistory> {
  const scanned = `SELECT * FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2`;
  const page =
    o.scopes === null
      ? db.prepare(`SELECT ${COLUMNS} FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?3`).bind(o.after, o.scan, o.limit)
      : db
          .prepare(`WITH scanned AS (${scanned}) SELECT ${COLUMNS} FROM scanned WHERE ${VISIBLE} ORDER BY seq LIMIT ?3`)
          .bind(o.after, o.scan, o.limit, JSON.stringify(o.scopes));
  const last = db.prepare(`SELECT MAX(seq) AS last FROM (SELECT seq FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2)`).bind(o.after, o.scan);
  const [rows, max, generation] = await db.batch([page, last, generationStatement(db)]);
  return {
    events: rows.results as EventRow[],
    lastScanned: (max.results[0] as { last: number | null } | undefined)?.last ?? null,
    generation: generationOf(generation),
  };
}

/**
 * Retention: one statement removing up to `chunk` of the oldest events recorded before `before`.
 * It looks at the `chunk` oldest rows only (no index on `at`, and none needed: events are
 * appended in about time order), so a call is bounded however large the table is; the caller
 * repeats while a call removes a whole chunk.
 */
/**
 * The change mark: the highest seq committed (0 with no events). Every committed change inserts
 * its event in its own batch and AUTOINCREMENT never hands a number out twice, so two reads that
 * find the same mark saw the same committed changes between them (services/fresh-cache.ts).
 * One lookup at the end of the primary key's b-tree.
 */
export async function readChangeMark(db: Pick<D1Database, 'prepare'>): Promise<number> {
  const row = await db.prepare(`SELECT coalesce(max(seq), 0) AS seq FROM events`).first<{ seq: number }>();
  return row?.seq ?? 0;
}

export function pruneStatement(db: Pick<D1Database, 'prepare'>, before: Date, chunk: number): D1PreparedStatement {
  return db
    .prepare(`DELETE FROM events WHERE seq IN (SELECT seq FROM (SELECT seq, at FROM events ORDER BY seq LIMIT ?2) WHERE at < ?1)`)
    .bind(before.toISOString(), chunk);
}

async function withGeneration(db: Db, read: D1PreparedStatement): Promise<{ events: EventRow[] } & InHistory> {
  const [rows, generation] = await db.batch([read, generationStatement(db)]);
  return { events: rows.results as EventRow[], generation: generationOf(generation) };
}

/** One event by its seq (a webhook delivery; none when retention removed it). */
export async function eventBySeq(db: Db, seq: number): Promise<{ event: EventRow | null } & InHistory> {
  const { events, generation } = await withGeneration(db, db.prepare(`SELECT ${COLUMNS} FROM events WHERE seq = ?1`).bind(seq));
  return { event: events[0] ?? null, generation };
}

/** Up to `limit` events after `after`, oldest first, unfiltered (the webhook outbox drain). */
export async function eventsAfterSeq(db: Db, after: number, limit: number): Promise<{ events: EventRow[] } & InHistory> {
  return withGeneration(db, db.prepare(`SELECT ${COLUMNS} FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2`).bind(after, limit));
}

/**
 * Up to `limit` events after the seq the registry_meta row `cursor` holds (0 when absent), oldest
 * first, unfiltered: the webhook outbox drain's page, read in one batch with that row
 * (storage/webhook-deliveries.ts readOutbox), so both come from one snapshot.
 */
export function eventsAfterCursorStatement(db: Pick<D1Database, 'prepare'>, cursor: string, limit: number): D1PreparedStatement {
  return db
    .prepare(`SELECT ${COLUMNS} FROM events WHERE seq > COALESCE((SELECT value FROM registry_meta WHERE name = ?1), 0) ORDER BY seq LIMIT ?2`)
    .bind(cursor, limit);
}

/** The events of these seqs that are still held, oldest first (a redelivery: at most a bounded list). */
export async function eventsBySeqs(db: Db, seqs: number[]): Promise<{ events: EventRow[] } & InHistory> {
  return withGeneration(
    db,
    db.prepare(`SELECT ${COLUMNS} FROM events WHERE seq IN (SELECT value FROM json_each(?1)) ORDER BY seq`).bind(JSON.stringify(seqs)),
  );
}
