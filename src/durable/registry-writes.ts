/**
 * Registry-wide writes, run by the writer named "*": API keys, restores and the generation. Each commits through
 * `tx.commit`, so its audit row is in the same batch.
 */
import { ErrorCode, errors, RegistryError } from '../domain/errors';
import type { Grant } from '../domain/grant-rules';
import {
  type ApiKeyInfo,
  findKey,
  insertKey,
  keyInfo,
  newKey,
  revokeKey as revokeStatement,
  rotateKey as rotateStatement,
} from '../storage/api-keys';
import { sha256Hex } from '../domain/hex';
import { RESTORED } from '../storage/events';
import { restoreStatements, SNAPSHOT_TABLES, type Snapshot, snapshotProblem, withAllTables } from '../storage/snapshot';
import { keyNotFound } from '../services/admin';
import { forgetGeneration } from '../services/generation';
import { advanceGenerationStatement, readGeneration } from '../storage/registry-meta';
import type { WriteTx, Written } from './tx';

const now = () => Math.floor(Date.now() / 1000);

export async function createKey(
  tx: WriteTx,
  input: { name: string; grants: Grant[]; expiresAt: number | null },
): Written<ApiKeyInfo & { secret: string }> {
  const { key, secret } = newKey();
  const row = {
    key,
    name: input.name,
    secretHash: await sha256Hex(secret),
    previousHash: null,
    previousExpiresAt: null,
    grants: input.grants,
    createdAt: now(),
    expiresAt: input.expiresAt,
    revokedAt: null,
    rotatedAt: null,
  };
  await tx.commit([insertKey(tx.db, row)], null);
  return { value: { ...keyInfo(row), secret }, bookmark: tx.db.getBookmark() };
}

export async function revokeKey(tx: WriteTx, input: { key: string }): Written<ApiKeyInfo> {
  const row = await findKey(tx.db, input.key);
  if (!row) throw keyNotFound(input.key);
  // Revoking twice answers the key as it is: a retry of a revocation is not an error.
  if (row.revokedAt === null) {
    row.revokedAt = now();
    await tx.commit([revokeStatement(tx.db, input.key, row.revokedAt)], null);
  }
  return { value: keyInfo(row), bookmark: tx.db.getBookmark() };
}

export async function rotateKey(tx: WriteTx, input: { key: string; graceSeconds: number }): Written<ApiKeyInfo & { secret: string }> {
  const row = await findKey(tx.db, input.key);
  if (!row || row.revokedAt !== null) throw keyNotFound(input.key);
  const { secret } = newKey();
  const at = now();
  await tx.commit([rotateStatement(tx.db, input.key, await sha256Hex(secret), at + input.graceSeconds, at)], null);
  return { value: { ...keyInfo({ ...row, rotatedAt: at }), secret }, bookmark: tx.db.getBookmark() };
}

export async function restore(tx: WriteTx, text: string): Written<Record<string, number>> {
  let snapshot: unknown;
  try {
    snapshot = JSON.parse(text);
  } catch {
    throw errors.badRequest('The snapshot is not valid JSON');
  }
  const problem = snapshotProblem(snapshot);
  if (problem) throw new RegistryError(ErrorCode.UNPROCESSABLE, `Invalid snapshot: ${problem}`);
  const { db } = tx;
  const counts = await db.batch(Object.keys(SNAPSHOT_TABLES).map((t) => db.prepare(`SELECT COUNT(*) AS n FROM ${t}`)));
  if (counts.some((r) => (r.results[0] as { n: number }).n > 0)) {
    throw errors.operationNotPermitted('Restore needs an empty registry: restore into a new database');
  }
  const s = withAllTables(snapshot as Snapshot);
  try {
    // The generation advances in the same batch: no cache answers from before the restore.
    await tx.commit([...restoreStatements(db, s), advanceGenerationStatement(db, Date.now())], RESTORED);
    forgetGeneration();
  } catch (e) {
    // The batch is one transaction: nothing was written. Constraints are checked beforehand
    // (snapshotProblem names the row); this catches whatever that check does not model.
    if (e instanceof Error && /constraint failed/i.test(e.message)) {
      throw new RegistryError(
        ErrorCode.UNPROCESSABLE,
        `Invalid snapshot: it violates a constraint (${e.message.replace(/^.*?(\w+ constraint failed)/i, '$1')}); nothing was restored`,
      );
    }
    throw e;
  }
  return { value: Object.fromEntries(Object.entries(s.tables).map(([t, rows]) => [t, rows.length])), bookmark: db.getBookmark() };
}

/**
 * Advance the registry generation alone: after the database was replaced behind the API's back
 * (D1 Time Travel, a new database), so that every cached read from before is unreachable.
 */
export async function advanceGeneration(tx: WriteTx): Written<{ generation: number }> {
  await tx.commit([advanceGenerationStatement(tx.db, Date.now())], null);
  forgetGeneration();
  return { value: { generation: await readGeneration(tx.db) }, bookmark: tx.db.getBookmark() };
}
