/**
 * What the admin routes read: API keys (never their secrets), the audit log, snapshots. The
 * writes go through the registry writer (durable/registry-writes.ts) so they are audited in batch.
 */
import { ErrorCode, RegistryError } from '../domain/errors';
import { type ApiKeyInfo, findKey, isKeyId, keyInfo, listKeys } from '../storage/api-keys';
import { type AuditRow, auditPage, type VerifiedRow, verifyAudit, type Verification } from '../storage/audit';
import { readGeneration } from '../storage/registry-meta';
import { readJob, type RestoreJob } from '../storage/restore-job';
import { archiveSnapshot, type Snapshot, snapshotSize, takeSnapshot } from '../storage/snapshot';
import { limitExceeded } from './bounds';
import { readStats, type RegistryStats } from '../storage/stats';
import { listSnapshots, type Manifest, readManifest, type SnapshotSummary, summary, writeSnapshot } from '../storage/snapshot-store';

type Db = Pick<D1Database, 'prepare' | 'batch'>;

export function keyNotFound(key: string): RegistryError {
  return new RegistryError(ErrorCode.NOT_FOUND, `API key ${key.slice(0, 64)} not found`);
}

/** A key id from a path: anything that cannot be a key id is as unknown as a missing key. */
export function keyId(raw: string): string {
  if (!isKeyId(raw)) throw keyNotFound(raw);
  return raw;
}

export async function keyList(db: Db, offset: number, limit: number): Promise<ApiKeyInfo[]> {
  return (await listKeys(db, { offset, limit })).map(keyInfo);
}

export async function keyDetail(db: Db, key: string): Promise<ApiKeyInfo> {
  const row = await findKey(db, key);
  if (!row) throw keyNotFound(key);
  return keyInfo(row);
}

/** One page of the audit log; `next` is the cursor when the page is full. */
export async function auditRows(db: Db, after: number, limit: number): Promise<{ rows: AuditRow[]; next?: number }> {
  const rows = await auditPage(db, after, limit);
  const last = rows.at(-1);
  return { rows, ...(rows.length === limit && last ? { next: last.id } : {}) };
}

/**
 * The most audit rows one request verifies (CPU: a hash each, and a D1 page per thousand): the log
 * is never pruned, so a verification of all of it is a walk of slices, each answering `next`.
 */
export const MAX_VERIFIED_ROWS = 100_000;

/** `next` as it travels in a query (`after`): `<seq>.<hash>.<stream>`, the stream last (it is a context name). */
function verifyCursor(row: VerifiedRow): string {
  return `${row.seq}.${row.hash}.${row.stream}`;
}

function verifiedRow(cursor: string): VerifiedRow {
  const m = /^([1-9]\d{0,15})\.([0-9a-f]{64})\.(.{1,300})$/s.exec(cursor);
  if (!m) throw new RegistryError(ErrorCode.UNPROCESSABLE, 'after must be the next of a previous verification');
  return { seq: Number(m[1]), hash: m[2], stream: m[3] };
}

/** A slice of the audit log's verification: after `after` (a previous answer's `next`), at most `limit` rows. */
export async function auditVerification(db: Db, after: string | undefined, limit: number): Promise<Omit<Verification, 'next'> & { next?: string }> {
  const { next, ...verdict } = await verifyAudit(db, { ...(after === undefined ? {} : { from: verifiedRow(after) }), limit });
  return { ...verdict, ...(next ? { next: verifyCursor(next) } : {}) };
}

/** A one-document snapshot travels back to the writer over RPC, whose messages are bounded (32 MiB): POST /v1/admin/restore takes at most this. */
export const MAX_SNAPSHOT_BYTES = 30 * 1024 * 1024;

/**
 * A one-document snapshot is read whole into the isolate: a registry larger than one can be
 * restored from (MAX_SNAPSHOT_BYTES, about, measured in SQL first) is refused with 42224 before
 * any row is read, and pointed at the R2 snapshots, which read and write in bounded parts.
 */
async function assertSnapshotFits(db: Db, maxBytes: number): Promise<void> {
  const size = await snapshotSize(db);
  if (size > maxBytes) {
    throw limitExceeded(
      `The registry holds about ${size} bytes, more than a one-document snapshot can restore (${maxBytes}); take one in R2 parts with POST /v1/admin/snapshots`,
    );
  }
}

export async function snapshotNow(db: Db, maxBytes = MAX_SNAPSHOT_BYTES): Promise<Snapshot> {
  await assertSnapshotFits(db, maxBytes);
  return takeSnapshot(db);
}

export async function archiveNow(db: Db, bucket: R2Bucket, maxBytes = MAX_SNAPSHOT_BYTES): Promise<{ key: string; rows: number }> {
  await assertSnapshotFits(db, maxBytes);
  return archiveSnapshot(db, bucket);
}

/** Registry-wide counts (GET /v1/admin/stats): SQL aggregates in one batch. */
export function registryStats(db: Db, now = new Date()): Promise<RegistryStats> {
  return readStats(db, now);
}

export function generationNow(db: Db): Promise<number> {
  return readGeneration(db);
}

/** Snapshots in R2 (NDJSON parts and a manifest), oldest first. */
export function snapshotsPage(bucket: R2Bucket, limit: number, cursor?: string): Promise<{ snapshots: SnapshotSummary[]; cursor?: string }> {
  return listSnapshots(bucket, limit, cursor);
}

/** Take a snapshot into R2 now, in bounded pages and parts. */
export async function createSnapshot(db: Db, bucket: R2Bucket): Promise<SnapshotSummary> {
  return summary(await writeSnapshot(db, bucket));
}

export async function snapshotManifest(bucket: R2Bucket, name: string): Promise<Manifest> {
  const m = await readManifest(bucket, name);
  if (m === null) throw new RegistryError(ErrorCode.NOT_FOUND, `Snapshot ${name.slice(0, 100)} not found`);
  if (typeof m === 'string') throw new RegistryError(ErrorCode.UNPROCESSABLE, `Invalid snapshot ${name}: ${m}`);
  return m;
}

/** The restore in progress, if any. */
export async function restoreStatus(db: Db): Promise<{ state: 'idle' } | ({ state: 'running' } & RestoreJob)> {
  const job = await readJob(db);
  return job ? { state: 'running', ...job } : { state: 'idle' };
}
