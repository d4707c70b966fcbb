/**
 * Restore of a snapshot from R2 (storage/snapshot-store.ts) in bounded chunks, run by the writer
 * named "*" (so one step runs at a time). Each call does a bounded amount of work and answers
 * where it stands; the next call continues from the job's cursor in D1 (storage/restore-job.ts):
 *
 * 1. claim: only an empty registry, in one statement; from then on every write is refused;
 * 2. verify: every part's SHA-256, row count and row shapes against the manifest; nothing is
 *    written to the registry's tables until every part has passed;
 * 3. write: rows in chunks, each chunk and the cursor in one batch (so a stop anywhere resumes
 *    exactly); a chunk that breaks a constraint empties what was written (the registry was empty)
 *    and answers 422 naming the offending row;
 * 4. finish: one batch normalizes references, drops the job, advances the registry generation
 *    (no cache answers from before) and appends the audit row.
 */
import { ErrorCode, errors, RegistryError } from '../domain/errors';
import { forgetGeneration } from '../services/generation';
import { advanceGenerationStatement, readGeneration } from '../storage/registry-meta';
import {
  claimJob,
  dropJobStatement,
  firstConflict,
  readJob,
  type RestoreJob,
  rowProblem,
  saveJobStatement,
  wipeStatements,
} from '../storage/restore-job';
import { RESTORED } from '../storage/events';
import { type Manifest, readManifest, readPart } from '../storage/snapshot-store';
import { insertRowsStatement, NORMALIZE_REFS, type Row, TABLES } from '../storage/snapshot-tables';
import type { WriteTx, Written } from './tx';

/** Rows of one insert statement (as one JSON parameter; D1 caps a parameter at 2 MB). */
const STATEMENT_BYTES = 512 * 1024;
/** Statements of one chunk (one batch): about 2 MiB of rows. */
const CHUNK_STATEMENTS = 4;
/** How long one call works before it answers its progress (the caller posts again). */
const STEP_MS = 15_000;

export interface RestoreProgress {
  state: 'running' | 'done';
  snapshot: string;
  phase?: 'verify' | 'write';
  /** Where the job stands: the table and part it works on next. */
  table?: string;
  part?: number;
  restored: Record<string, number>;
  /** Rows in the snapshot (its manifest). */
  rows: number;
  generation?: number;
}

export interface RestoreInput {
  name: string;
  /** At most this many steps (a verified part or a written chunk) in this call. */
  maxSteps?: number;
}

const notFound = (name: string) => new RegistryError(ErrorCode.NOT_FOUND, `Snapshot ${name.slice(0, 100)} not found`);
const invalid = (name: string, problem: string) => new RegistryError(ErrorCode.UNPROCESSABLE, `Invalid snapshot ${name}: ${problem}`);

async function manifestOf(tx: WriteTx, name: string): Promise<Manifest> {
  const m = await readManifest(tx.env.ARCHIVE, name);
  if (m === null) throw notFound(name);
  if (typeof m === 'string') throw invalid(name, m);
  return m;
}

export async function restoreSnapshot(tx: WriteTx, input: RestoreInput): Written<RestoreProgress> {
  const { db } = tx;
  const deadline = Date.now() + STEP_MS;
  let steps = input.maxSteps ?? Infinity;
  let job = await readJob(db);
  if (job && job.snapshot !== input.name) {
    throw errors.operationNotPermitted(
      `A restore of snapshot ${job.snapshot} is in progress: post to /v1/admin/snapshots/${job.snapshot}/restore to continue it, or DELETE /v1/admin/restore to abandon it`,
    );
  }
  const manifest = await manifestOf(tx, input.name);
  if (!job) {
    job = { snapshot: input.name, phase: 'verify', table: 0, part: 0, line: 0, restored: {}, startedAt: new Date().toISOString() };
    if (!(await claimJob(db, job))) throw errors.operationNotPermitted('Restore needs an empty registry: restore into a new database');
  }
  const progress = (j: RestoreJob): RestoreProgress => ({
    state: 'running',
    snapshot: j.snapshot,
    phase: j.phase,
    ...(j.table < TABLES.length ? { table: TABLES[j.table], part: j.part } : {}),
    restored: j.restored,
    rows: manifest.rows,
  });

  while (job.phase === 'verify') {
    if (steps-- <= 0 || Date.now() > deadline) return { value: progress(job), bookmark: db.getBookmark() };
    job = await verifyStep(tx, manifest, job);
  }
  while (job.table < TABLES.length) {
    if (steps-- <= 0 || Date.now() > deadline) return { value: progress(job), bookmark: db.getBookmark() };
    job = await writeStep(tx, manifest, job);
  }

  // Done: one batch with the audit row. The job's row goes first, so the write guard at the end passes.
  await tx.commit([db.prepare(NORMALIZE_REFS), dropJobStatement(db), advanceGenerationStatement(db, Date.now())], RESTORED);
  forgetGeneration();
  return {
    value: { state: 'done', snapshot: job.snapshot, restored: job.restored, rows: manifest.rows, generation: await readGeneration(db) },
    bookmark: db.getBookmark(),
  };
}

/** The next part: of this table, or the first of the next table that has one (an older manifest's added tables have none). */
function advance(manifest: Manifest, job: RestoreJob): RestoreJob {
  const parts = manifest.tables[TABLES[job.table]].parts;
  if (job.part + 1 < parts.length) return { ...job, part: job.part + 1, line: 0 };
  let table = job.table + 1;
  while (table < TABLES.length && manifest.tables[TABLES[table]].parts.length === 0) table++;
  return { ...job, table, part: 0, line: 0 };
}

/** Abandon the job: nothing of it stays (the registry was empty). */
async function rollBack(tx: WriteTx): Promise<void> {
  const { db } = tx;
  await db.batch([...wipeStatements(db), dropJobStatement(db), advanceGenerationStatement(db, Date.now())]);
  forgetGeneration();
}

async function partText(tx: WriteTx, manifest: Manifest, job: RestoreJob): Promise<string> {
  const table = TABLES[job.table];
  const part = manifest.tables[table].parts[job.part];
  const read = await readPart(tx.env.ARCHIVE, manifest.name, part);
  if ('problem' in read) {
    await rollBack(tx);
    throw invalid(manifest.name, `${read.problem}; nothing was restored`);
  }
  return read.text;
}

function lines(text: string): string[] {
  return text === '' ? [] : text.slice(0, -1).split('\n');
}

async function verifyStep(tx: WriteTx, manifest: Manifest, job: RestoreJob): Promise<RestoreJob> {
  if (job.table >= TABLES.length) {
    const next: RestoreJob = { ...job, phase: 'write', table: 0, part: 0, line: 0 };
    await tx.db.batch([saveJobStatement(tx.db, next)]);
    return next;
  }
  const table = TABLES[job.table];
  // A table an older manifest lacks (snapshot-tables.ts ADDED_LATER) has no part: nothing to verify.
  if (manifest.tables[table].parts.length === 0) return { ...job, table: job.table + 1, part: 0, line: 0 };
  const text = await partText(tx, manifest, job);
  for (const [i, line] of lines(text).entries()) {
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      row = undefined;
    }
    const problem = row === undefined ? 'not JSON' : rowProblem(table, row);
    if (problem) {
      await rollBack(tx);
      throw invalid(manifest.name, `${manifest.tables[table].parts[job.part].file} line ${i + 1}: ${problem}; nothing was restored`);
    }
  }
  const next = advance(manifest, job);
  await tx.db.batch([saveJobStatement(tx.db, next)]);
  return next;
}

async function writeStep(tx: WriteTx, manifest: Manifest, job: RestoreJob): Promise<RestoreJob> {
  const { db } = tx;
  const table = TABLES[job.table];
  if (manifest.tables[table].parts.length === 0) return { ...job, table: job.table + 1, part: 0, line: 0 };
  const file = manifest.tables[table].parts[job.part].file;
  const all = lines(await partText(tx, manifest, job));
  // One chunk: up to CHUNK_STATEMENTS statements of up to STATEMENT_BYTES of rows each.
  const statements: D1PreparedStatement[] = [];
  const rows: Row[] = [];
  let line = job.line;
  while (line < all.length && statements.length < CHUNK_STATEMENTS) {
    let bytes = 0;
    const group: string[] = [];
    while (line < all.length && (group.length === 0 || bytes + all[line].length <= STATEMENT_BYTES)) {
      group.push(all[line]);
      rows.push(JSON.parse(all[line]) as Row);
      bytes += all[line].length + 1;
      line++;
    }
    statements.push(insertRowsStatement(db, table, `[${group.join(',')}]`));
  }
  const next: RestoreJob =
    line < all.length
      ? { ...job, line, restored: { ...job.restored, [table]: (job.restored[table] ?? 0) + rows.length } }
      : advance(manifest, { ...job, restored: { ...job.restored, [table]: (job.restored[table] ?? 0) + rows.length } });
  try {
    await db.batch([...statements, saveJobStatement(db, next)]);
  } catch (e) {
    if (!(e instanceof Error && /constraint failed/i.test(e.message))) throw e;
    // The batch was one transaction: this chunk wrote nothing. Name the row, then empty the rest.
    const conflict = await firstConflict(db, table, rows);
    const where = conflict
      ? `${file} line ${job.line + conflict.index + 1}: ${conflict.reason}`
      : `${file} lines ${job.line + 1}-${line}: ${e.message}`;
    await rollBack(tx);
    throw invalid(manifest.name, `${where}; nothing was restored`);
  }
  return next;
}

/** Abandon the restore in progress: what it wrote is removed and writes are accepted again. */
export async function abandonRestore(tx: WriteTx): Written<{ abandoned: string | null }> {
  const job = await readJob(tx.db);
  if (job) {
    await tx.commit([...wipeStatements(tx.db), dropJobStatement(tx.db), advanceGenerationStatement(tx.db, Date.now())], null);
    forgetGeneration();
  }
  return { value: { abandoned: job?.snapshot ?? null }, bookmark: tx.db.getBookmark() };
}
