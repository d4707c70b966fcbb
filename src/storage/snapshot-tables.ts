/**
 * The tables a snapshot holds (the store of record), in restore order, with their columns (as in
 * migrations/), required columns, unique keys and defaults: shared by the JSON snapshot
 * (snapshot.ts) and the NDJSON snapshots in R2 (snapshot-store.ts, restore-job.ts).
 */
import type { Db } from './registry-reader';

export const SNAPSHOT_TABLES = {
  contexts: ['context', 'next_id', 'created_at'],
  schemas: ['context', 'id', 'guid', 'hash', 'schema_type', 'schema', 'refs', 'metadata', 'rule_set', 'created_at'],
  versions: ['context', 'subject', 'version', 'schema_id', 'deleted', 'created_at'],
  refs: ['context', 'schema_id', 'name', 'ref_subject', 'ref_version'],
  configs: ['context', 'subject', 'body'],
  modes: ['context', 'subject', 'mode'],
  associations: [
    'guid',
    'resource_name',
    'resource_namespace',
    'resource_id',
    'resource_type',
    'association_type',
    'context',
    'subject',
    'lifecycle',
    'frozen',
    'create_ts',
    'update_ts',
  ],
} as const;

export type TableName = keyof typeof SNAPSHOT_TABLES;
export type Row = Record<string, string | number | null>;

export const TABLES = Object.keys(SNAPSHOT_TABLES) as TableName[];

/** The columns a row must have (NOT NULL without a default); `created_at` may be absent. */
export const REQUIRED: Record<TableName, readonly string[]> = {
  contexts: ['context'],
  schemas: ['context', 'id', 'guid', 'hash', 'schema_type', 'schema'],
  versions: ['context', 'subject', 'version', 'schema_id'],
  refs: ['context', 'schema_id', 'name', 'ref_subject', 'ref_version'],
  configs: ['context', 'subject', 'body'],
  modes: ['context', 'subject', 'mode'],
  associations: [
    'guid',
    'resource_name',
    'resource_namespace',
    'resource_id',
    'resource_type',
    'association_type',
    'context',
    'subject',
    'lifecycle',
    'create_ts',
    'update_ts',
  ],
};

/** Each table's unique keys, primary key first. */
export const UNIQUE: Record<TableName, readonly (readonly string[])[]> = {
  contexts: [['context']],
  // Not guid: one content has one guid in every context (src/domain/guid.ts).
  schemas: [
    ['context', 'id'],
    ['context', 'hash'],
  ],
  versions: [['context', 'subject', 'version']],
  refs: [['context', 'schema_id', 'name']],
  configs: [['context', 'subject']],
  modes: [['context', 'subject']],
  associations: [
    ['guid'],
    ['resource_id', 'resource_type', 'association_type'],
    ['resource_name', 'resource_namespace', 'resource_type', 'association_type', 'context', 'subject'],
  ],
};

/**
 * Tables added after snapshot format version 1 was fixed: a snapshot taken before them has none,
 * and restores as holding no rows of them.
 */
const OPTIONAL_TABLES: readonly TableName[] = ['associations'];

/** Fill the optional tables an older snapshot (or manifest) lacks with `empty`; other values are left as they are. */
export function withOptionalTables(tables: unknown, empty: () => unknown): void {
  if (!tables || typeof tables !== 'object') return;
  const t = tables as Record<string, unknown>;
  for (const name of OPTIONAL_TABLES) if (t[name] === undefined) t[name] = empty();
}

/** The column defaults of src/storage/schema.ts, for rows that leave them out. */
const DEFAULTS: Record<string, string> = { created_at: 'unixepoch()', next_id: '1', deleted: '0', refs: "'[]'", frozen: '0' };

/** One statement inserting many rows of a table: the rows travel as one JSON array parameter. */
export function insertRowsStatement(db: Db, table: TableName, rowsJson: string): D1PreparedStatement {
  const columns = SNAPSHOT_TABLES[table];
  // An absent column takes the table's default (an explicit NULL would break NOT NULL).
  const select = columns
    .map((c) => (c in DEFAULTS ? `COALESCE(json_extract(value, '$.${c}'), ${DEFAULTS[c]})` : `json_extract(value, '$.${c}')`))
    .join(', ');
  return db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) SELECT ${select} FROM json_each(?1)`).bind(rowsJson);
}

/** migrations/0002_refs_normal_form.sql: a reference target qualified with its own context, made bare. */
export const NORMALIZE_REFS = `UPDATE refs SET ref_subject = substr(ref_subject, instr(substr(ref_subject, 2), ':') + 2)
  WHERE ref_subject LIKE ':.%:%' AND substr(ref_subject, 2, instr(substr(ref_subject, 2), ':') - 1) = context`;
