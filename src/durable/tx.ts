/**
 * What every write of the RegistryWriter shares: one D1 session on the primary, the checks that
 * guard writes (mode, references), and cache eviction after permanent deletes.
 */
import { ErrorCode, errors, RegistryError } from '../domain/errors';
import { effectiveMode, type Mode } from '../services/settings';
import { type Actor, type AuditEntry, appendRows, chainHead, type ChainHead } from '../storage/audit';
import { type ChangeEvent, type EventType, insertEventStatements } from '../storage/events';
import type { RegistryReader } from '../storage/registry-reader';
import { guardStatement, isGuardRefusal } from '../storage/restore-job';
import { outboxAfterCommitStatements, subscribedOf } from '../storage/webhook-deliveries';
import type { Evictable } from '../services/schema-cache';

export interface WriteTx {
  db: D1DatabaseSession;
  reader: RegistryReader;
  env: Env;
  /**
   * Commit the write: its statements, its change event (null: the write changes no registry
   * entity, e.g. an API key) and its audit row in one D1 batch (one transaction), so a write is
   * never committed unrecorded nor recorded uncommitted.
   */
  commit: (statements: D1PreparedStatement[], event: ChangeEvent | ChangeEvent[] | null) => Promise<void>;
  /**
   * After a commit: forget the cached copies of these schemas, what one invocation may now and the
   * rest from the writer's alarm (eviction-backlog.ts). Never throws.
   */
  evict: (schemas: Evictable[]) => Promise<void>;
}

/** What the writer records about the write in progress. */
export interface AuditContext {
  stream: string;
  actor: Actor;
  action: string;
  target: string;
}

/** What one write records beside its own statements: its audit row's result and its change event(s). */
export interface ShareOf {
  audit: AuditContext;
  /** 'ok' or 'error <code>'. */
  result: string;
  event?: ChangeEvent | ChangeEvent[] | null;
}

/**
 * One write's share of a D1 batch, composed here and nowhere else: the write's own statements, its
 * change event (storage/events.ts: the outbox; only for a committed change, never for a refusal),
 * then its audit row (`result` is 'ok' or 'error <code>'). Whatever else every write must record in
 * the same transaction belongs here too (`shares`). `head` is the chain head after it.
 */
export async function writeShare(
  db: D1DatabaseSession,
  audit: AuditContext,
  head: ChainHead,
  statements: D1PreparedStatement[],
  result: string,
  event: ChangeEvent | ChangeEvent[] | null = null,
): Promise<{ statements: D1PreparedStatement[]; head: ChainHead }> {
  return shares(db, head, statements, [{ audit, result, event }]);
}

/**
 * The shares of several writes of one audit stream in one batch (group commit, group-commit.ts):
 * their statements (composed by the caller, in an order that commits each write whole), then
 * every change event, then every audit row, each kind in queue order, the audit rows chaining on
 * each other from `head` (the head after the last is returned), so the events of a group get their
 * seqs in queue order. Rows of a kind share INSERT statements (storage/multi-row.ts): D1 costs per
 * statement, and the batch is one transaction whatever its statements, so a batch still commits
 * every write whole or none of them. Each write's `at` is taken in its turn, as it was per write.
 */
export async function shares(
  db: D1DatabaseSession,
  head: ChainHead,
  statements: D1PreparedStatement[],
  writes: ShareOf[],
): Promise<{ statements: D1PreparedStatement[]; head: ChainHead }> {
  if (writes.length === 0) return { statements, head };
  const stream = writes[0].audit.stream;
  const events: { event: ChangeEvent; actor: string; at: Date }[] = [];
  const entries: { entry: AuditEntry; at: Date }[] = [];
  for (const w of writes) {
    if (w.audit.stream !== stream) throw new Error(`shares: audit streams ${stream} and ${w.audit.stream} in one batch`);
    const at = new Date();
    const { actor } = w.audit;
    if (w.result === 'ok' && w.event) {
      for (const event of Array.isArray(w.event) ? w.event : [w.event]) events.push({ event, actor: actor.principal, at });
    }
    entries.push({ entry: { ...actor, action: w.audit.action, target: w.audit.target, result: w.result }, at });
  }
  const rows = await appendRows(db, stream, head, entries);
  return { statements: [...statements, ...insertEventStatements(db, events), ...rows.statements], head: rows.head };
}

/**
 * Commit write shares as one batch. The write guard ends every batch's writes: while a snapshot
 * restore holds the registry it fails the whole batch (storage/restore-job.ts), and the write is
 * answered 503 RESTORE_IN_PROGRESS. `reads` run after the guard, in the same transaction, so they
 * see the state the batch committed; their results are returned (group-commit.ts: the next group's
 * reads).
 */
export async function commitShares(db: D1DatabaseSession, statements: D1PreparedStatement[], reads: D1PreparedStatement[] = []): Promise<D1Result[]> {
  return (await commitWithGuard(db, statements, reads)).slice(statements.length + 1);
}

/**
 * commitShares, and the webhook outbox settled in the same transaction when no subscription
 * exists (storage/webhook-deliveries.ts outboxAfterCommitStatements): answers whether a drain after
 * the write is still needed (a subscription exists), and the results of `reads`.
 */
export async function commitSharesSettlingOutbox(
  db: D1DatabaseSession,
  statements: D1PreparedStatement[],
  reads: D1PreparedStatement[] = [],
): Promise<{ drain: boolean; reads: D1Result[] }> {
  const outbox = outboxAfterCommitStatements(db);
  const results = await commitWithGuard(db, [...statements, ...outbox], reads);
  return { drain: subscribedOf(results[statements.length + 1]), reads: results.slice(statements.length + outbox.length + 1) };
}

async function commitWithGuard(db: D1DatabaseSession, statements: D1PreparedStatement[], reads: D1PreparedStatement[]): Promise<D1Result[]> {
  try {
    return await db.batch([...statements, guardStatement(db), ...reads]);
  } catch (e) {
    if (isGuardRefusal(e)) throw restoreInProgress();
    throw e;
  }
}

/** `commit` for a write: reads the stream's chain head (the writer is its only appender) and batches its share. */
export function committer(db: D1DatabaseSession, audit: AuditContext): WriteTx['commit'] {
  return async (statements, event) => {
    const share = await writeShare(db, audit, await chainHead(db, audit.stream), statements, 'ok', event);
    await commitShares(db, share.statements);
  };
}

const restoreInProgress = () =>
  new RegistryError(
    ErrorCode.RESTORE_IN_PROGRESS,
    'A snapshot restore is in progress: the registry accepts no writes until it completes (GET /v1/admin/restore)',
  );

/** The change event of a write on a subject (or, with subject '', on its whole context). */
export function changeOf(type: EventType, s: Pick<SubjectRef, 'context' | 'subject'>, v: { version?: number; id?: number } = {}): ChangeEvent {
  return { type, context: s.context, subject: s.subject || null, version: v.version ?? null, id: v.id ?? null };
}

/** A committed write: its value and the bookmark of the commit (read-your-writes). */
export type Written<T> = Promise<{ value: T; bookmark: string | null }>;

export interface SubjectRef {
  context: string;
  subject: string;
  /** The name as the client wrote it, for messages. */
  qualified: string;
}

export async function assertWritable(tx: WriteTx, s: SubjectRef): Promise<Mode> {
  const mode = await effectiveMode(tx.reader, s.context, s.subject);
  if (mode === 'READONLY' || mode === 'READONLY_OVERRIDE') {
    throw errors.operationNotPermitted(`Subject ${s.qualified} is in read-only mode`);
  }
  return mode;
}

/** Confluent 42206: a version some schema references cannot be deleted. */
export async function assertUnreferenced(tx: WriteTx, s: SubjectRef, version: number): Promise<void> {
  const by = await tx.reader.referencedBy(s.context, s.subject, version, undefined, { offset: 0, limit: 1 });
  if (by.length > 0) throw referenced(s.qualified, version);
}

/**
 * assertUnreferenced for every version of a subject (`live`: every live one), or with `subject`
 * undefined of a context, in one statement: the first referenced version in (subject, version)
 * order is refused, as checking them one by one in that order did.
 */
export async function assertNoneReferenced(
  tx: WriteTx,
  context: string,
  subject: string | undefined,
  o: { live?: boolean; qualified?: string } = {},
): Promise<void> {
  const first = await tx.reader.firstReferenced(context, subject, o);
  if (first) throw referenced(o.qualified ?? first.subject, first.version);
}

function referenced(subject: string, version: number): RegistryError {
  return errors.referenceExists(`One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=${subject},version=${version}}.`);
}

/**
 * After a permanent delete, drop cached documents of ids that no version holds any more: which
 * those are is read in one round trip (UNHELD_CHUNK ids per statement), each id evicted once.
 */
export async function evictUnreachable(tx: WriteTx, removed: Evictable[]): Promise<void> {
  // Versions that shared a schema name its id once.
  const byContext = new Map<string, Map<number, Evictable>>();
  for (const v of removed) byContext.set(v.context, (byContext.get(v.context) ?? new Map<number, Evictable>()).set(v.id, v));
  const reads = [...byContext].flatMap(([context, byId]) => {
    const ids = [...byId.keys()];
    return Array.from({ length: Math.ceil(ids.length / UNHELD_CHUNK) }, (_, n) => ({
      byId,
      query: tx.reader.unheldIdsQuery(context, ids.slice(n * UNHELD_CHUNK, (n + 1) * UNHELD_CHUNK)),
    }));
  });
  if (reads.length === 0) return;
  const unheld = await tx.reader.all(...reads.map((r) => r.query));
  const gone = reads.flatMap((r, n) => unheld[n].flatMap((id) => r.byId.get(id) ?? []));
  await tx.evict(gone);
}

/** Ids per statement of that read: as a JSON array 5,000 ids are about 40 KB, far inside D1's bound on a string (2 MB). */
const UNHELD_CHUNK = 5_000;
