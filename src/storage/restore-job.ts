/**
 * The restore job of a chunked snapshot restore: the `restore` row of `registry_meta` (value = when
 * it started, in ms; detail = the job and its cursor as JSON), and the write guard.
 *
 * A chunked restore is several D1 batches, not one, so it cannot be all-or-nothing by itself.
 * Instead, while the row exists no write can commit: every write's batch ends with `guardStatement`
 * (durable/tx.ts), which then inserts a NULL into `write_guard` and fails the whole batch on its
 * NOT NULL constraint. The row is claimed only on an empty registry (one statement, so no write
 * slips in between the check and the claim), and each chunk advances the cursor in its own batch,
 * so a restore that stops anywhere resumes exactly where it stopped.
 */
import type { Db } from './registry-reader';
import { type Row, SNAPSHOT_TABLES, TABLES, type TableName, UNIQUE, REQUIRED } from './snapshot-tables';

const RESTORE = 'restore';

export interface RestoreJob {
  snapshot: string;
  /** verify: checksums and row shapes of every part, nothing written yet; write: rows go in. */
  phase: 'verify' | 'write';
  /** Position: table index (restore order), part index within it, line within the part. */
  table: number;
  part: number;
  line: number;
  restored: Record<string, number>;
  startedAt: string;
}

export async function readJob(db: Db): Promise<RestoreJob | null> {
  const row = await db.prepare(`SELECT detail FROM registry_meta WHERE name = ?1`).bind(RESTORE).first<{ detail: string | null }>();
  return row?.detail ? (JSON.parse(row.detail) as RestoreJob) : null;
}

/** Claim the registry for a restore: true only if it is empty and no restore holds it. */
export async function claimJob(db: Db, job: RestoreJob): Promise<boolean> {
  const empty = TABLES.map((t) => `NOT EXISTS (SELECT 1 FROM ${t})`).join(' AND ');
  const result = await db
    .prepare(
      `INSERT INTO registry_meta (name, value, detail) SELECT ?1, ?2, ?3
       WHERE ${empty} AND NOT EXISTS (SELECT 1 FROM registry_meta WHERE name = ?1)`,
    )
    .bind(RESTORE, Date.now(), JSON.stringify(job))
    .run();
  return result.meta.changes === 1;
}

export function saveJobStatement(db: Db, job: RestoreJob): D1PreparedStatement {
  return db.prepare(`UPDATE registry_meta SET detail = ?2 WHERE name = ?1`).bind(RESTORE, JSON.stringify(job));
}

export function dropJobStatement(db: Db): D1PreparedStatement {
  return db.prepare(`DELETE FROM registry_meta WHERE name = ?1`).bind(RESTORE);
}

/** Every row a restore wrote: the registry was empty when it was claimed and took no write since. */
export function wipeStatements(db: Db): D1PreparedStatement[] {
  return TABLES.map((t) => db.prepare(`DELETE FROM ${t}`));
}

/** Appended to every write's batch: fails it (NOT NULL) while a restore holds the registry. */
export function guardStatement(db: Db): D1PreparedStatement {
  return db.prepare(`INSERT INTO write_guard (restore_in_progress) SELECT NULL FROM registry_meta WHERE name = ?1`).bind(RESTORE);
}

/** Whether an error from a batch is the guard refusing it. */
export function isGuardRefusal(e: unknown): boolean {
  return e instanceof Error && /NOT NULL constraint failed: write_guard/i.test(e.message);
}

/** A row's shape: an object of the table's columns, each a string, number or null. A reason, or null. */
export function rowProblem(table: TableName, value: unknown): string | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const row = value as Record<string, unknown>;
  const columns: readonly string[] = SNAPSHOT_TABLES[table];
  for (const c of Object.keys(row)) if (!columns.includes(c)) return `unknown column ${c.slice(0, 64)}`;
  for (const c of columns) {
    const v = row[c];
    if (v !== null && v !== undefined && typeof v !== 'string' && typeof v !== 'number') return `${c} must be a string or number`;
  }
  const missing = REQUIRED[table].find((c) => row[c] === null || row[c] === undefined);
  return missing ? `${missing} is required` : null;
}

/**
 * After D1 refused a chunk on a constraint: the first row of the chunk that breaks a unique key,
 * against the rows already restored or an earlier row of the chunk. A reason, or null.
 */
export async function firstConflict(db: Db, table: TableName, rows: Row[]): Promise<{ index: number; reason: string } | null> {
  const seen = UNIQUE[table].map(() => new Set<string>());
  for (const [index, row] of rows.entries()) {
    for (const [k, key] of UNIQUE[table].entries()) {
      const value = JSON.stringify(key.map((c) => row[c]));
      const where = key.map((c, i) => `${c} = ?${i + 1}`).join(' AND ');
      const stored = await db
        .prepare(`SELECT 1 AS x FROM ${table} WHERE ${where}`)
        .bind(...key.map((c) => row[c] ?? null))
        .first();
      if (seen[k].has(value) || stored) return { index, reason: `(${key.join(', ')}) = ${value} appears twice` };
      seen[k].add(value);
    }
  }
  return null;
}
