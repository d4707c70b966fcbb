/**
 * Snapshots: the whole D1 store of record as one JSON document, read in one batch() (one
 * transaction, so consistent). Written to R2 daily by the cron trigger and on demand; restored
 * into an empty database by `POST /v1/admin/restore`. Together with the content-addressed schema
 * bodies in R2 and D1 Time Travel, this is the backup story (docs/operations.md).
 */
import type { Db } from './registry-reader';
import {
  ADDED_LATER,
  insertRowsStatement,
  NORMALIZE_REFS,
  REQUIRED,
  type Row,
  SNAPSHOT_TABLES,
  TABLES,
  type TableName,
  UNIQUE,
} from './snapshot-tables';

export { SNAPSHOT_TABLES };

const SNAPSHOT_FORMAT = 'llm-schema-registry-snapshot';

type SnapshotTable = TableName;

/**
 * Version 2 holds every table of SNAPSHOT_TABLES. Version 1 came before the DEK registry's tables
 * (keks, deks) and, if taken before associations existed, without `associations`: the tables it
 * lacks (ADDED_LATER) restore empty.
 */
const SNAPSHOT_VERSION = 2;

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: 1 | typeof SNAPSHOT_VERSION;
  takenAt: string;
  tables: Record<SnapshotTable, Row[]>;
}

export async function takeSnapshot(db: Db, now = new Date()): Promise<Snapshot> {
  const results = await db.batch(TABLES.map((t) => db.prepare(`SELECT ${SNAPSHOT_TABLES[t].join(', ')} FROM ${t}`)));
  const tables = Object.fromEntries(TABLES.map((t, i) => [t, results[i].results as Row[]])) as Record<SnapshotTable, Row[]>;
  return { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, takenAt: now.toISOString(), tables };
}

/**
 * About how many bytes this registry's one-document snapshot would take, measured in SQL without
 * reading a row: each value's length where it lies (`length(CAST(x AS BLOB))`, from the record
 * header for texts) and each row's keys and punctuation; one batch. JSON escaping is not counted.
 */
export async function snapshotSize(db: Db): Promise<number> {
  const results = await db.batch(
    TABLES.map((t) => {
      const cols = SNAPSHOT_TABLES[t];
      const perRow = cols.reduce((n, c) => n + c.length + 4, 2);
      const values = cols.map((c) => `COALESCE(length(CAST(${c} AS BLOB)), 4)`).join(' + ');
      return db.prepare(`SELECT COALESCE(SUM(${values} + ${perRow}), 0) AS n FROM ${t}`);
    }),
  );
  return results.reduce((n, r) => n + (r.results[0] as { n: number }).n, 0);
}

function snapshotKey(takenAt: string): string {
  return `snapshots/${takenAt.replace(/[:.]/g, '-')}.json`;
}

export async function archiveSnapshot(db: Db, bucket: R2Bucket): Promise<{ key: string; rows: number }> {
  const snapshot = await takeSnapshot(db);
  const key = snapshotKey(snapshot.takenAt);
  await bucket.put(key, JSON.stringify(snapshot), { httpMetadata: { contentType: 'application/json' } });
  return { key, rows: TABLES.reduce((n, t) => n + snapshot.tables[t].length, 0) };
}

/** D1 caps one string parameter at 2 MB: rows are inserted in chunks well under it. */
const CHUNK_BYTES = 512 * 1024;

/**
 * The statements that restore a snapshot, to run as ONE batch (all or nothing). Rows travel as a
 * JSON parameter and are unpacked by json_each, so a snapshot needs few statements.
 */
export function restoreStatements(db: Db, snapshot: Snapshot): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  for (const table of TABLES) {
    let chunk: Row[] = [];
    let bytes = 0;
    const flush = () => {
      if (chunk.length) out.push(insertRowsStatement(db, table, JSON.stringify(chunk)));
      chunk = [];
      bytes = 0;
    };
    for (const row of snapshot.tables[table]) {
      const size = JSON.stringify(row).length;
      if (bytes + size > CHUNK_BYTES) flush();
      chunk.push(row);
      bytes += size;
    }
    flush();
  }
  // A snapshot taken before migration 0002 may hold references as the client wrote them.
  out.push(db.prepare(NORMALIZE_REFS));
  return out;
}

/** Shape check of an uploaded snapshot (the restore endpoint's input). Returns a reason, or null. */
export function snapshotProblem(value: unknown): string | null {
  if (!value || typeof value !== 'object') return 'not a JSON object';
  const s = value as Partial<Snapshot>;
  if (s.format !== SNAPSHOT_FORMAT || (s.version !== 1 && s.version !== SNAPSHOT_VERSION))
    return `format must be ${SNAPSHOT_FORMAT} version 1 or ${SNAPSHOT_VERSION}`;
  if (!s.tables || typeof s.tables !== 'object') return 'tables missing';
  for (const t of TABLES) {
    const rows = (s.tables as Record<string, unknown>)[t];
    if (rows === undefined && s.version === 1 && ADDED_LATER.has(t)) continue;
    if (!Array.isArray(rows)) return `tables.${t} must be an array`;
    for (const row of rows) {
      if (!row || typeof row !== 'object') return `tables.${t} holds a row that is not an object`;
      for (const c of SNAPSHOT_TABLES[t]) {
        const v = (row as Record<string, unknown>)[c];
        if (v !== null && v !== undefined && typeof v !== 'string' && typeof v !== 'number') return `tables.${t}.${c} must be a string or number`;
      }
    }
  }
  return constraintProblem(withAllTables(s as Snapshot).tables);
}

/** A checked snapshot with every table: an older version's missing tables are empty. */
export function withAllTables(snapshot: Snapshot): Snapshot {
  const tables = Object.fromEntries(TABLES.map((t) => [t, (snapshot.tables as Partial<Snapshot['tables']>)[t] ?? []]));
  return { ...snapshot, tables: tables as Snapshot['tables'] };
}

/**
 * The table constraints (snapshot-tables.ts), checked before the batch so that the answer can
 * name the first offending row: required columns, and each unique key.
 */
function constraintProblem(tables: Record<SnapshotTable, Row[]>): string | null {
  for (const t of TABLES) {
    const seen = UNIQUE[t].map(() => new Set<string>());
    for (const [i, row] of tables[t].entries()) {
      // Uploaded JSON: a column may be absent (undefined) whatever the Row type says.
      const missing = REQUIRED[t].find((c) => (row[c] as unknown) === null || (row[c] as unknown) === undefined);
      if (missing) return `tables.${t}[${i}]: ${missing} is required`;
      for (const [k, key] of UNIQUE[t].entries()) {
        const value = JSON.stringify(key.map((c) => row[c]));
        if (seen[k].has(value)) return `tables.${t}[${i}]: (${key.join(', ')}) = ${value} appears twice`;
        seen[k].add(value);
      }
    }
  }
  return null;
}
