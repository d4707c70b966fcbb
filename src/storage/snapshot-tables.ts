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
  // The DEK registry (docs/dek-registry.md): encrypted data cannot be read without its DEK.
  keks: ['name', 'kms_type', 'kms_key_id', 'kms_props', 'doc', 'shared', 'deleted', 'ts'],
  deks: ['context', 'kek_name', 'subject', 'algorithm', 'version', 'encrypted_key_material', 'deleted', 'ts'],
} as const;

export type TableName = keyof typeof SNAPSHOT_TABLES;
export type Row = Record<string, string | number | null>;

export const TABLES = Object.keys(SNAPSHOT_TABLES) as TableName[];

/**
 * Tables added after the first snapshot formats (JSON version 1, manifest version 2): `associations`
 * (added while those versions were current, so an older snapshot may or may not hold it) and the
 * DEK registry's `keks` and `deks` (which made JSON version 2, manifest version 3). An older
 * snapshot that lacks one of them restores it empty; the current versions hold every table.
 */
export const ADDED_LATER: ReadonlySet<TableName> = new Set<TableName>(['associations', 'keks', 'deks']);

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
  keks: ['name', 'kms_type', 'kms_key_id', 'ts'],
  deks: ['context', 'kek_name', 'subject', 'algorithm', 'version', 'encrypted_key_material', 'ts'],
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
  keks: [['name']],
  deks: [['context', 'kek_name', 'subject', 'algorithm', 'version']],
};

/** The column defaults of src/storage/schema.ts, for rows that leave them out. */
const DEFAULTS: Record<string, string> = {
  created_at: 'unixepoch()',
  next_id: '1',
  deleted: '0',
  refs: "'[]'",
  frozen: '0',
  kms_props: "'{}'",
  shared: '0',
};

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
