/**
 * D1 schema (drizzle). D1 is the store of record for everything mutable; schema bodies are also
 * archived in R2 by content hash. Every table is keyed by `context` (Confluent contexts = tenants):
 * no query may omit it. See docs/storage.md for the key schema and the consistency model.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** One row per context: the id counter (ids are never reused, even after a hard delete). */
export const contexts = sqliteTable('contexts', {
  context: text('context').primaryKey(),
  nextId: integer('next_id').notNull().default(1),
  createdAt: integer('created_at').notNull().default(sql`(unixepoch())`),
});

/** Immutable schema contents, one per (context, identity hash). */
export const schemas = sqliteTable(
  'schemas',
  {
    context: text('context').notNull(),
    id: integer('id').notNull(),
    guid: text('guid').notNull(),
    /** sha256 of schemaType + canonical text + references + metadata + ruleSet: the identity. */
    hash: text('hash').notNull(),
    schemaType: text('schema_type').notNull(),
    schema: text('schema').notNull(),
    /** JSON array of {name, subject, version}; '[]' when none. */
    refs: text('refs').notNull().default('[]'),
    metadata: text('metadata'),
    ruleSet: text('rule_set'),
    createdAt: integer('created_at').notNull().default(sql`(unixepoch())`),
  },
  (t) => [
    primaryKey({ columns: [t.context, t.id] }),
    uniqueIndex('schemas_hash').on(t.context, t.hash),
    uniqueIndex('schemas_guid').on(t.guid),
  ],
);

/** Subject versions: the mutable registry state. Soft delete sets `deleted`; hard delete removes the row. */
export const versions = sqliteTable(
  'versions',
  {
    context: text('context').notNull(),
    subject: text('subject').notNull(),
    version: integer('version').notNull(),
    schemaId: integer('schema_id').notNull(),
    deleted: integer('deleted').notNull().default(0),
    createdAt: integer('created_at').notNull().default(sql`(unixepoch())`),
  },
  (t) => [
    primaryKey({ columns: [t.context, t.subject, t.version] }),
    index('versions_schema').on(t.context, t.schemaId),
  ],
);

/** Which schema references which subject version (for referencedby and delete protection). */
export const refs = sqliteTable(
  'refs',
  {
    context: text('context').notNull(),
    schemaId: integer('schema_id').notNull(),
    name: text('name').notNull(),
    refSubject: text('ref_subject').notNull(),
    refVersion: integer('ref_version').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.context, t.schemaId, t.name] }),
    index('refs_target').on(t.context, t.refSubject, t.refVersion),
  ],
);

/**
 * Config and mode, per scope. `subject` = '' is the context-wide (global, for the default
 * context) setting. A row exists only when something was set (absent = inherit).
 */
export const configs = sqliteTable(
  'configs',
  {
    context: text('context').notNull(),
    subject: text('subject').notNull(),
    /** JSON object of the Confluent config fields that were set (compatibilityLevel, normalize, ...). */
    body: text('body').notNull(),
  },
  (t) => [primaryKey({ columns: [t.context, t.subject] })],
);

export const modes = sqliteTable(
  'modes',
  {
    context: text('context').notNull(),
    subject: text('subject').notNull(),
    mode: text('mode').notNull(),
  },
  (t) => [primaryKey({ columns: [t.context, t.subject] })],
);
