/**
 * /v1/admin: operator endpoints (admin role when auth is on). Snapshots of the whole store and
 * restore into an empty database: see docs/operations.md.
 */
import { Hono } from 'hono';
import { ErrorCode, errors, RegistryError } from '../domain/errors';
import type { AppEnv } from '../http/env';
import { readText, reply } from '../http/respond';
import { archiveSnapshot, restoreStatements, SNAPSHOT_TABLES, type Snapshot, snapshotProblem, takeSnapshot } from '../storage/snapshot';

export const admin = new Hono<AppEnv>();

/** Snapshots of large registries are large; Workers accept request bodies up to 100 MB. */
const MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024;

admin.get('/snapshot', async (c) => reply(c, await takeSnapshot(c.env.DB.withSession('first-primary'))));

admin.post('/snapshot', async (c) => reply(c, await archiveSnapshot(c.env.DB.withSession('first-primary'), c.env.ARCHIVE)));

admin.post('/restore', async (c) => {
  let snapshot: unknown;
  try {
    snapshot = JSON.parse(await readText(c, MAX_SNAPSHOT_BYTES));
  } catch (e) {
    if (e instanceof RegistryError) throw e;
    throw errors.badRequest('The snapshot is not valid JSON');
  }
  const problem = snapshotProblem(snapshot);
  if (problem) throw new RegistryError(ErrorCode.UNPROCESSABLE, `Invalid snapshot: ${problem}`);
  const db = c.env.DB.withSession('first-primary');
  const counts = await db.batch(Object.keys(SNAPSHOT_TABLES).map((t) => db.prepare(`SELECT COUNT(*) AS n FROM ${t}`)));
  if (counts.some((r) => (r.results[0] as { n: number }).n > 0)) {
    throw errors.operationNotPermitted('Restore needs an empty registry: restore into a new database');
  }
  const s = snapshot as Snapshot;
  await db.batch(restoreStatements(db, s));
  c.var.setBookmark(db.getBookmark());
  return reply(c, { restored: Object.fromEntries(Object.entries(s.tables).map(([t, rows]) => [t, rows.length])) });
});
