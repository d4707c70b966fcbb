/**
 * The audit log (table audit_log): one hash chain per stream. A writer Durable Object owns the
 * stream of its context and appends its row in the same D1 batch as the write it records; the
 * registry-wide writer (stream "*") records admin actions and refused requests. Each row's hash
 * covers its fields and the previous row's hash, so editing or deleting a row is detected by
 * `verifyAudit`. Principals are names (key name, token fingerprint, OIDC subject): never secrets.
 */
import { sha256Hex } from '../domain/hex';
import { insertRows } from './multi-row';
import type { Query } from './registry-reader';

/** What a caller says about an action; the writer adds the stream position and the hashes. */
export interface AuditEntry {
  principal: string;
  action: string;
  target: string;
  result: string;
  clientIp?: string;
  requestId?: string;
}

export interface AuditRow extends AuditEntry {
  id: number;
  stream: string;
  seq: number;
  at: string;
  prevHash: string;
  hash: string;
}

const GENESIS_HASH = '0'.repeat(64);
/** The stream of registry-wide actions (keys, restore, admin reads) and refused requests. */
export const REGISTRY_STREAM = '*';

type Db = Pick<D1Database, 'prepare'>;

interface Raw {
  id: number;
  stream: string;
  seq: number;
  at: string;
  principal: string;
  action: string;
  target: string;
  result: string;
  client_ip: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

function decode(r: Raw): AuditRow {
  return {
    id: r.id,
    stream: r.stream,
    seq: r.seq,
    at: r.at,
    principal: r.principal,
    action: r.action,
    target: r.target,
    result: r.result,
    ...(r.client_ip !== null ? { clientIp: r.client_ip } : {}),
    ...(r.request_id !== null ? { requestId: r.request_id } : {}),
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** The chained hash: SHA-256 of a JSON array of every field but `id` and `hash`, in a fixed order. */
function rowHash(r: Omit<AuditRow, 'id' | 'hash'>): Promise<string> {
  return sha256Hex(
    JSON.stringify([r.stream, r.seq, r.at, r.principal, r.action, r.target, r.result, r.clientIp ?? null, r.requestId ?? null, r.prevHash]),
  );
}

export interface ChainHead {
  seq: number;
  hash: string;
}

export async function chainHead(db: Db, stream: string): Promise<ChainHead> {
  const r = await db.prepare('SELECT seq, hash FROM audit_log WHERE stream = ?1 ORDER BY seq DESC LIMIT 1').bind(stream).first<ChainHead>();
  return r ?? { seq: 0, hash: GENESIS_HASH };
}

/** The chain head as a Query: read in one batch with a write's other reads (group commit). */
export function chainHeadQuery(db: Db, stream: string): Query<ChainHead> {
  return {
    statement: db.prepare('SELECT seq, hash FROM audit_log WHERE stream = ?1 ORDER BY seq DESC LIMIT 1').bind(stream),
    decode: (rows) => (rows as ChainHead[])[0] ?? { seq: 0, hash: GENESIS_HASH },
  };
}

/** The INSERT for the next row of a stream (UNIQUE (stream, seq) refuses a forked chain). */
export async function appendStatement(db: Db, stream: string, head: ChainHead, entry: AuditEntry, at = new Date()): Promise<D1PreparedStatement> {
  return (await appendRows(db, stream, head, [{ entry, at }])).statements[0];
}

const COLUMNS = ['stream', 'seq', 'at', 'principal', 'action', 'target', 'result', 'client_ip', 'request_id', 'prev_hash', 'hash'] as const;

/**
 * The next rows of a stream, each chaining on the one before it (the first on `head`), in as few
 * INSERTs as D1's parameter bound allows (storage/multi-row.ts), and the chain head after the last.
 */
export async function appendRows(
  db: Db,
  stream: string,
  head: ChainHead,
  entries: { entry: AuditEntry; at: Date }[],
): Promise<{ statements: D1PreparedStatement[]; head: ChainHead }> {
  const values: unknown[][] = [];
  for (const { entry, at } of entries) {
    const row = { ...entry, stream, seq: head.seq + 1, at: at.toISOString(), prevHash: head.hash };
    const hash = await rowHash(row);
    values.push([
      row.stream,
      row.seq,
      row.at,
      row.principal,
      row.action,
      row.target,
      row.result,
      row.clientIp ?? null,
      row.requestId ?? null,
      row.prevHash,
      hash,
    ]);
    head = { seq: row.seq, hash };
  }
  return { statements: insertRows(db, 'INSERT INTO audit_log', COLUMNS, values), head };
}

/** Rows after the cursor `after` (a row id), oldest first. */
export async function auditPage(db: Db, after: number, limit: number): Promise<AuditRow[]> {
  const { results } = await db.prepare('SELECT * FROM audit_log WHERE id > ?1 ORDER BY id LIMIT ?2').bind(after, limit).all<Raw>();
  return results.map(decode);
}

export interface Verification {
  ok: boolean;
  rows: number;
  firstBad?: { id: number; stream: string; seq: number; reason: string };
  /** The log goes on past the rows verified here: the last of them, to verify on from (`from`). */
  next?: VerifiedRow;
}

/** A row verified: where the next slice of a verification starts, its chain checked on from this hash. */
export interface VerifiedRow {
  stream: string;
  seq: number;
  hash: string;
}

/**
 * Walk the chains in (stream, seq) order, in pages: each row must hash to its `hash`, name the
 * previous row's hash, and follow it by exactly one. Stops at the first bad row, or after `limit`
 * rows (the log grows for ever: a request verifies a bounded slice of it, and `next` says where
 * the following one starts); `from` continues a previous slice after the row it names.
 */
export async function verifyAudit(db: Db, o: { from?: VerifiedRow; limit?: number; pageSize?: number } = {}): Promise<Verification> {
  const { from, limit = Number.POSITIVE_INFINITY, pageSize = 1000 } = o;
  let rows = 0;
  let cursor: { stream: string; seq: number } = from ?? { stream: '', seq: 0 };
  let prev: ChainHead = from ?? { seq: 0, hash: GENESIS_HASH };
  let prevStream = from?.stream;
  for (;;) {
    const take = Math.min(pageSize, limit - rows);
    const { results } = await db
      .prepare('SELECT * FROM audit_log WHERE (stream, seq) > (?1, ?2) ORDER BY stream, seq LIMIT ?3')
      .bind(cursor.stream, cursor.seq, take)
      .all<Raw>();
    for (const raw of results.map(decode)) {
      if (raw.stream !== prevStream) [prev, prevStream] = [{ seq: 0, hash: GENESIS_HASH }, raw.stream];
      const bad = (reason: string): Verification => ({ ok: false, rows, firstBad: { id: raw.id, stream: raw.stream, seq: raw.seq, reason } });
      if (raw.seq !== prev.seq + 1) return bad(`expected seq ${prev.seq + 1} (a row is missing)`);
      if (raw.prevHash !== prev.hash) return bad('prev_hash does not match the previous row');
      if ((await rowHash(raw)) !== raw.hash) return bad('hash does not match the row (the row was edited)');
      prev = { seq: raw.seq, hash: raw.hash };
      rows++;
    }
    const last = results.at(-1);
    if (results.length < take || !last) return { ok: true, rows };
    if (rows >= limit) return { ok: true, rows, next: { stream: last.stream, seq: last.seq, hash: last.hash } };
    cursor = { stream: last.stream, seq: last.seq };
  }
}

/** Who asked, as every write RPC carries it. */
export type Actor = Pick<AuditEntry, 'principal' | 'clientIp' | 'requestId'>;
