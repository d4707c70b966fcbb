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
