/** The registry's entities as every layer sees them: a schema (by id) and a subject version. */
import type { SchemaReference, SchemaType } from './format';

export interface StoredSchema {
  context: string;
  id: number;
  guid: string;
  hash: string;
  schemaType: SchemaType;
  schema: string;
  references: SchemaReference[];
  metadata?: unknown;
  ruleSet?: unknown;
}

export interface StoredVersion extends StoredSchema {
  subject: string;
  version: number;
  deleted: boolean;
  /** When the version was registered (ms since the epoch, to the second); absent before it is read back. */
  ts?: number;
}

/**
 * A version as a subject's history lists it for a decision (register, check, lookup): with its
 * schema text only where the reader included it (the latest live version) or the decision made it;
 * else with the text's size in UTF-8 bytes, enough to rule it out of a text comparison. A history
 * of 1,000 versions is then 1,000 small rows, not 1,000 schemas; services/history.ts reads the
 * texts a decision needs, by id.
 */
export type VersionHead = Omit<StoredVersion, 'schema'> & ({ schema: string } | { schema?: undefined; bytes: number });
