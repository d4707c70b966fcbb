/**
 * D1 schema (drizzle). D1 is the store of record for everything; its copies in R2 are the snapshots
 * (storage/snapshot-store.ts). Every table is keyed by `context` (Confluent contexts = tenants):
 * no query may omit it. See docs/storage.md for the key schema and the consistency model.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** One row per context: the id counter (ids are never reused, even after a hard delete). */
export const contexts = sqliteTable('contexts', {
  context: text('context').primaryKey(),
  nextId: integer('next_id').notNull().default(1),
  createdAt: integer('created_at')
    .notNull()
    .default(sql`(unixepoch())`),
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
    createdAt: integer('created_at')
      .notNull()
      .default(sql`(unixepoch())`),
  },
  (t) => [primaryKey({ columns: [t.context, t.id] }), uniqueIndex('schemas_hash').on(t.context, t.hash), index('schemas_guid').on(t.guid)],
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
    createdAt: integer('created_at')
      .notNull()
      .default(sql`(unixepoch())`),
  },
  // An id's usages in subject order, covering (no table lookups): its listings page and its
  // readability for a caller with subject-prefix grants is a range seek (services/usages.ts).
  (t) => [
    primaryKey({ columns: [t.context, t.subject, t.version] }),
    index('versions_schema').on(t.context, t.schemaId, t.subject, t.version, t.deleted),
  ],
);

/**
 * How many subjects each context holds (live or soft-deleted: a subject exists while any version
 * row does), for MAX_SUBJECTS_PER_CONTEXT. Derived, never written by the application: triggers on
 * `versions` keep it (migrations/0011_subject_counts.sql; drizzle models no triggers), so every path
 * that adds or removes version rows (registration, hard delete, restore, import) counts alike. It
 * replaces COUNT(DISTINCT subject) over the context's versions, which read every version row of
 * the context for each registration that created a subject.
 */
export const subjectCounts = sqliteTable('subject_counts', {
  context: text('context').primaryKey(),
  subjects: integer('subjects').notNull(),
});

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
  // The ids referencing a version, in id order from the index alone: referencedby pages them and
  // a delete checks for one without reading the context's other references (storage/registry-reader.ts).
  (t) => [primaryKey({ columns: [t.context, t.schemaId, t.name] }), index('refs_target').on(t.context, t.refSubject, t.refVersion, t.schemaId)],
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

/**
 * Registry-wide state that is not a registry entity. `generation`: the epoch every cached
 * immutable read carries in its key (services/generation.ts). A restore or an operator after D1
 * Time Travel advances it, so no cache answers from before. `restore`: present while a chunked
 * snapshot restore runs (writes answer 503 RESTORE_IN_PROGRESS); `detail` holds its cursor.
 */
export const registryMeta = sqliteTable('registry_meta', {
  name: text('name').primaryKey(),
  value: integer('value').notNull(),
  detail: text('detail'),
});

/**
 * Written into by every committed write's batch, never holding a row: while `registry_meta` has
 * a `restore` row the insert selects one NULL and the NOT NULL constraint fails the whole batch
 * (durable/tx.ts), so no write can slip into a registry being restored.
 */
export const writeGuard = sqliteTable('write_guard', {
  restoreInProgress: integer('restore_in_progress').notNull(),
});

/**
 * Managed API keys (docs/security.md). The secret is never stored: only its SHA-256 (secrets are
 * 256 random bits, so a fast hash is enough). A rotation keeps the previous hash valid until
 * `previous_expires_at`. `grants` is a JSON array of {role, context?, subjectPrefix?}.
 */
export const apiKeys = sqliteTable('api_keys', {
  key: text('key').primaryKey(),
  name: text('name').notNull(),
  secretHash: text('secret_hash').notNull(),
  previousHash: text('previous_hash'),
  previousExpiresAt: integer('previous_expires_at'),
  grants: text('grants').notNull(),
  createdAt: integer('created_at').notNull(),
  expiresAt: integer('expires_at'),
  revokedAt: integer('revoked_at'),
  rotatedAt: integer('rotated_at'),
});

/**
 * The audit log: every write, admin action and refused request. Rows form one hash chain per
 * stream (each writer Durable Object owns the stream of its context; registry-wide actions and
 * refusals use the stream "*"): `hash` = SHA-256 over the row's fields and `prev_hash`, so an
 * edited or deleted row breaks the chain (`GET /v1/admin/audit/verify`). `seq` is UNIQUE per
 * stream, so two writers can never fork one chain.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    stream: text('stream').notNull(),
    seq: integer('seq').notNull(),
    at: text('at').notNull(),
    principal: text('principal').notNull(),
    action: text('action').notNull(),
    target: text('target').notNull(),
    result: text('result').notNull(),
    clientIp: text('client_ip'),
    requestId: text('request_id'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [uniqueIndex('audit_stream_seq').on(t.stream, t.seq)],
);

/**
 * The change events (the outbox, storage/events.ts): one row per committed change, inserted in the
 * same D1 batch as the change it describes (durable/tx.ts writeShare), so a change is never
 * committed without its event nor an event recorded for a change that did not commit.
 *
 * `seq` is assigned by SQLite inside that batch (AUTOINCREMENT: never reused, even after retention
 * removes the newest rows), so the order of `seq` is the order of commits: storage/events.ts says
 * why a consumer paging with `after` never misses an event. `context` is null for registry-wide
 * events (a restore), `subject` for context-wide ones (a context's config or mode, a context
 * deleted), `version` and `schema_id` where the change names them. `actor` is the principal's
 * name (never a secret). `kek` and `algorithm` identify a KEK or DEK a DEK registry change names
 * (never key material nor KMS properties); a KEK event has no context (KEKs are registry-wide). Pruned after EVENTS_RETENTION_DAYS by the daily cron.
 */
export const events = sqliteTable('events', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  at: text('at').notNull(),
  type: text('type').notNull(),
  context: text('context'),
  subject: text('subject'),
  version: integer('version'),
  schemaId: integer('schema_id'),
  actor: text('actor').notNull(),
  /** The KEK a DEK registry event names (docs/dek-registry.md); null for every other event. */
  kek: text('kek'),
  /** A DEK event's algorithm (AES128_GCM, AES256_GCM, AES256_SIV); null for every other event. */
  algorithm: text('algorithm'),
});

/**
 * The DEK registry (Confluent's field-level encryption key store, docs/dek-registry.md). A KEK is
 * registry-wide metadata naming a key in the client's KMS (the registry never holds a KMS
 * credential); `kms_props` is a JSON object with sorted keys; `ts` is the epoch milliseconds of
 * the last write (Confluent's record timestamp). Soft delete sets `deleted`.
 */
export const keks = sqliteTable('keks', {
  name: text('name').primaryKey(),
  kmsType: text('kms_type').notNull(),
  kmsKeyId: text('kms_key_id').notNull(),
  kmsProps: text('kms_props').notNull().default('{}'),
  doc: text('doc'),
  shared: integer('shared').notNull().default(0),
  deleted: integer('deleted').notNull().default(0),
  ts: integer('ts').notNull(),
});

/**
 * DEKs: one per (KEK, subject, algorithm, version), keyed by context like every subject-scoped
 * row. `encrypted_key_material` is the DEK wrapped by the client with its KMS (base64): the
 * registry stores it and never sees the plaintext key.
 */
export const deks = sqliteTable(
  'deks',
  {
    context: text('context').notNull(),
    kekName: text('kek_name').notNull(),
    subject: text('subject').notNull(),
    algorithm: text('algorithm').notNull(),
    version: integer('version').notNull(),
    encryptedKeyMaterial: text('encrypted_key_material').notNull(),
    deleted: integer('deleted').notNull().default(0),
    ts: integer('ts').notNull(),
  },
  (t) => [primaryKey({ columns: [t.context, t.kekName, t.subject, t.algorithm, t.version] }), index('deks_kek').on(t.kekName)],
);

/**
 * Webhook subscriptions (docs/events.md#webhook-subscriptions): where change events are to be
 * delivered, which ones (a context, a subject prefix, event types: each absent = all), and the
 * Standard Webhooks secret deliveries are signed with. The secret must be stored as it is (HMAC
 * needs it, a hash would not do): it is answered only when the subscription is created.
 */
export const webhooks = sqliteTable('webhooks', {
  id: text('id').primaryKey(),
  url: text('url').notNull(),
  context: text('context'),
  subjectPrefix: text('subject_prefix'),
  /** JSON array of event types; null = every type. */
  types: text('types'),
  secret: text('secret').notNull(),
  createdAt: integer('created_at').notNull(),
});

/**
 * Webhook delivery attempts (docs/events.md#delivery): one row per attempt of one (subscription,
 * event) message, and one for a dead letter. Bounded: each insert keeps the newest rows of its
 * subscription only (storage/webhook-deliveries.ts). Never holds the secret; `error` is truncated.
 */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    webhookId: text('webhook_id').notNull(),
    seq: integer('seq').notNull(),
    attempt: integer('attempt').notNull(),
    /** Unix milliseconds. */
    at: integer('at').notNull(),
    /** The receiver's HTTP status; null when none answered (timeout, network). */
    status: integer('status'),
    /** delivered | retry | dead | dropped */
    outcome: text('outcome').notNull(),
    error: text('error'),
  },
  (t) => [index('webhook_deliveries_webhook').on(t.webhookId, t.id)],
);

/**
 * Associations (Confluent 8.1, docs/associations.md): a subject bound to a resource (a Kafka topic)
 * as its key or value subject. `guid` is the association's id. The subject is stored as
 * (context, bare subject), like every subject-scoped row. A resource has at most one association
 * per (resource_id, resource_type, association_type); Confluent's store key (resource name,
 * namespace, type, association type, subject) is unique too, so a put that matches an older row
 * by that key replaces it, as Confluent's does. `lifecycle` is STRONG or WEAK; `frozen` 0/1;
 * `create_ts`/`update_ts` are epoch milliseconds.
 */
export const associations = sqliteTable(
  'associations',
  {
    guid: text('guid').primaryKey(),
    resourceName: text('resource_name').notNull(),
    resourceNamespace: text('resource_namespace').notNull(),
    resourceId: text('resource_id').notNull(),
    resourceType: text('resource_type').notNull(),
    associationType: text('association_type').notNull(),
    context: text('context').notNull(),
    subject: text('subject').notNull(),
    lifecycle: text('lifecycle').notNull(),
    frozen: integer('frozen').notNull().default(0),
    createTs: integer('create_ts').notNull(),
    updateTs: integer('update_ts').notNull(),
  },
  (t) => [
    uniqueIndex('associations_resource_id').on(t.resourceId, t.resourceType, t.associationType),
    uniqueIndex('associations_key').on(t.resourceName, t.resourceNamespace, t.resourceType, t.associationType, t.context, t.subject),
    index('associations_subject').on(t.context, t.subject),
    index('associations_namespace').on(t.resourceNamespace, t.resourceName),
  ],
);
