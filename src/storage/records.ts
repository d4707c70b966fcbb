/** What storage hands to the rest of the app: rows decoded, references parsed. */
import type { StoredSchema, StoredVersion, VersionHead } from '../domain/entities';
import type { SchemaReference, SchemaType } from '../domain/format';

// The entities live in the domain; storage decodes rows into them.
export type { StoredSchema, StoredVersion, VersionHead } from '../domain/entities';

/** Row shape of `SELECT ... FROM schemas` with the aliases used in registry-reader.ts. */
export interface SchemaRow {
  context: string;
  id: number;
  guid: string;
  hash: string;
  schemaType: string;
  schema: string;
  refs: string;
  metadata: string | null;
  ruleSet: string | null;
}

export interface VersionRow extends SchemaRow {
  subject: string;
  version: number;
  deleted: number;
  /** versions.created_at: unix seconds. */
  ts?: number;
}

export function toSchema(row: SchemaRow): StoredSchema {
  const s: StoredSchema = {
    context: row.context,
    id: row.id,
    guid: row.guid,
    hash: row.hash,
    schemaType: row.schemaType as SchemaType,
    schema: row.schema,
    references: JSON.parse(row.refs) as SchemaReference[],
  };
  if (row.metadata) s.metadata = JSON.parse(row.metadata);
  if (row.ruleSet) s.ruleSet = JSON.parse(row.ruleSet);
  return s;
}

export function toVersion(row: VersionRow): StoredVersion {
  return {
    ...toSchema(row),
    subject: row.subject,
    version: row.version,
    deleted: row.deleted === 1,
    ...(row.ts != null ? { ts: row.ts * 1000 } : {}),
  };
}

/** Row shape of a history query (registry-reader.ts HEAD_COLS): the text only where it was read. */
export interface HeadRow extends Omit<VersionRow, 'schema'> {
  schema: string | null;
  bytes: number;
}

export function toHead(row: HeadRow): VersionHead {
  const { schema, bytes, ...rest } = row;
  const v = toVersion({ ...rest, schema: '' });
  return schema === null ? { ...v, schema: undefined, bytes } : { ...v, schema };
}
