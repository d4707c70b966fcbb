/**
 * What every write of the RegistryWriter shares: one D1 session on the primary, the checks that
 * guard writes (mode, references), and cache eviction after permanent deletes.
 */
import { ErrorCode, errors, RegistryError } from '../domain/errors';
import { effectiveMode, type Mode } from '../services/settings';
import { type Actor, appendRow, chainHead, type ChainHead } from '../storage/audit';
import { type ChangeEvent, type EventType, insertEventStatement } from '../storage/events';
import type { RegistryReader } from '../storage/registry-reader';
import { guardStatement, isGuardRefusal } from '../storage/restore-job';
import { evictSchema } from '../services/schema-cache';

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
}

/** What the writer records about the write in progress. */
export interface AuditContext {
  stream: string;
  actor: Actor;
  action: string;
  target: string;
}

/**
 * One write's share of a D1 batch, composed here and nowhere else: the write's own statements, its
 * change event (storage/events.ts: the outbox; only for a committed change, never for a refusal),
 * then its audit row (`result` is 'ok' or 'error <code>'). Whatever else every write must record in
 * the same transaction belongs here too. A batch holds whole shares only: a single write commits its
 * share alone (`committer`), group commit (group-commit.ts) concatenates the shares of a group in
 * queue order, each audit row chaining on the previous one (`head` is the chain head after it), so
 * the events of a group get their seqs in queue order too.
 */
export async function writeShare(
  db: D1DatabaseSession,
  audit: AuditContext,
  head: ChainHead,
  statements: D1PreparedStatement[],
  result: string,
  event: ChangeEvent | ChangeEvent[] | null = null,
): Promise<{ statements: D1PreparedStatement[]; head: ChainHead }> {
  const at = new Date();
  const row = await appendRow(db, audit.stream, head, { ...audit.actor, action: audit.action, target: audit.target, result }, at);
  const events = event === null ? [] : Array.isArray(event) ? event : [event];
  const changed = result === 'ok' ? events.map((e) => insertEventStatement(db, e, audit.actor.principal, at)) : [];
  return { statements: [...statements, ...changed, row.statement], head: row.head };
}

/**
 * Commit write shares as one batch. The write guard ends every batch: while a snapshot restore
 * holds the registry it fails the whole batch (storage/restore-job.ts), and the write is answered
 * 503 RESTORE_IN_PROGRESS.
 */
export async function commitShares(db: D1DatabaseSession, statements: D1PreparedStatement[]): Promise<void> {
  try {
    await db.batch([...statements, guardStatement(db)]);
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
  const by = await tx.reader.referencedBy(s.context, s.subject, version);
  if (by.length > 0) {
    throw errors.referenceExists(`One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=${s.qualified},version=${version}}.`);
  }
}

/** After a permanent delete, drop cached documents of ids that no version holds any more. */
export async function evictUnreachable(tx: WriteTx, removed: { context: string; id: number; guid: string }[]): Promise<void> {
  for (const v of removed) {
    if (!(await tx.reader.schemaById(v.context, v.id))) await evictSchema(tx.env.SCHEMA_KV, tx.reader, v);
  }
}
