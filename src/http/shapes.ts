/**
 * The bodies the API answers, as zod schemas. Routes name them in their `responses` (route.ts);
 * the OpenAPI document (http/openapi.ts) is generated from them, and the end-to-end suite checks
 * every answer it receives against that document, so a shape here cannot drift from what the
 * handlers send. Field sets follow Confluent's entities (io.confluent.kafka.schemaregistry.client
 * .rest.entities) where the route is Confluent's; absent fields are omitted, never null.
 */
import * as z from 'zod';
import { grantSchema } from '../domain/grants';
import { EVENT_TYPES } from '../storage/events';

/** Confluent's error envelope: every 4xx and 5xx of every route (one onError, app.ts). */
export const ErrorBody = z
  .object({ error_code: z.number().int().describe('Confluent error code (docs/api.md)'), message: z.string() })
  .meta({ id: 'Error' });

const Reference = z.object({ name: z.string(), subject: z.string(), version: z.number().int() }).meta({ id: 'SchemaReference' });

/** Data-contract fields are stored and answered as given: their inner shape is Confluent's. */
const contract = {
  references: z.array(Reference).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  ruleSet: z.record(z.string(), z.unknown()).optional(),
};

const schemaType = z.enum(['AVRO', 'JSON', 'PROTOBUF']).optional().describe('Omitted for AVRO in response profile 7');

/** GET /schemas/ids/{id}, /schemas/guids/{guid} (SchemaString). */
export const SchemaString = z
  .strictObject({
    schemaType,
    schema: z.string(),
    ...contract,
    guid: z.string().optional().describe('Response profile 8'),
    maxId: z.number().int().optional().describe('With fetchMaxId=true'),
  })
  .meta({ id: 'SchemaString' });

/** A subject version (Schema). */
export const SchemaVersion = z
  .strictObject({
    subject: z.string(),
    version: z.number().int(),
    id: z.number().int(),
    guid: z.string().optional().describe('Response profile 8'),
    schemaType,
    ...contract,
    schema: z.string(),
    ts: z.number().int().optional().describe('Response profile 8: when the version was registered (ms, to the second)'),
    deleted: z.boolean().optional().describe('Response profile 8: soft-deleted'),
  })
  .meta({ id: 'Schema' });

/** POST /subjects/{s}/versions: `{id}` in profile 7; the registered version in profile 8. */
export const Registered = z
  .strictObject({
    id: z.number().int(),
    version: z.number().int().optional(),
    guid: z.string().optional(),
    schemaType,
    ...contract,
    schema: z.string().optional(),
  })
  .meta({ id: 'RegisterSchemaResponse' });

/** GET /schemas/guids/{guid}/ids: where a guid is stored (Confluent ContextId). */
export const ContextId = z.strictObject({ context: z.string(), id: z.number().int() }).meta({ id: 'ContextId' });

export const SubjectVersion = z.strictObject({ subject: z.string(), version: z.number().int() }).meta({ id: 'SubjectVersion' });

export const Strings = z.array(z.string());
export const Integers = z.array(z.number().int());
export const Integer = z.number().int();

/** Any JSON value: the raw schema routes answer the schema text itself (JSON for Avro and JSON Schema, text for Protobuf). */
export const RawSchema = z.unknown().describe('The schema itself, not a JSON string of it');

export const Config = z
  .strictObject({
    compatibilityLevel: z.string().optional(),
    compatibility: z.string().optional().describe('PUT echoes the level under this name'),
    normalize: z.boolean().optional(),
    compatibilityPolicy: z.string().optional(),
    compatibilityGroup: z.string().optional(),
    validateFields: z.boolean().optional(),
    alias: z.string().optional(),
    defaultMetadata: z.unknown().optional(),
    overrideMetadata: z.unknown().optional(),
    defaultRuleSet: z.unknown().optional(),
    overrideRuleSet: z.unknown().optional(),
  })
  .meta({ id: 'Config' });

export const Mode = z.strictObject({ mode: z.string() }).meta({ id: 'Mode' });

export const Compatibility = z
  .strictObject({ is_compatible: z.boolean(), messages: z.array(z.string()).optional().describe('With verbose=true') })
  .meta({ id: 'CompatibilityCheckResponse' });

export const Empty = z.strictObject({});

export const Health = z.strictObject({ status: z.literal('ok') });

export const Readiness = z
  .strictObject({
    status: z.enum(['ready', 'unavailable']),
    checks: z.record(z.string(), z.strictObject({ ok: z.boolean(), ms: z.number(), error: z.string().optional() })),
  })
  .meta({ id: 'Readiness' });

export const ClusterId = z.strictObject({
  scope: z.strictObject({ path: z.array(z.string()), clusters: z.record(z.string(), z.string()) }),
});

export const ServerVersion = z.strictObject({ version: z.string(), commitId: z.string() });

/** GET /v1/whoami: the caller as the registry sees it (its own grants, never anyone else's). */
export const WhoAmI = z
  .strictObject({
    principal: z.string().describe('how the audit log names the caller ("anonymous" with auth off)'),
    authenticated: z.boolean().describe('false when authentication is off (AUTH_MODE none): every caller is an anonymous admin'),
    grants: z.array(grantSchema),
  })
  .meta({ id: 'WhoAmI' });

const ValidationErrorShape = z
  .strictObject({
    instancePath: z.string().describe('JSON Pointer into the document'),
    schemaPath: z.string().describe('JSON Pointer into the schema, to the failing keyword'),
    keyword: z.string(),
    message: z.string(),
  })
  .meta({ id: 'ValidationError' });

const ValidationResultShape = z.strictObject({ valid: z.boolean(), errors: z.array(ValidationErrorShape) }).meta({ id: 'ValidationResult' });

/** POST /v1/validate/...: by the request's content type, one result, a batch, or a model-output verdict. */
export const Validation = z
  .union([
    ValidationResultShape,
    z.strictObject({ results: z.array(ValidationResultShape) }).meta({ id: 'ValidationBatchResult' }),
    z
      .strictObject({
        valid: z.boolean(),
        value: z.unknown().optional().describe('The JSON extracted from the model output'),
        errors: z.array(ValidationErrorShape),
        repair: z.string().optional().describe('What the model should fix, ready to send back to it'),
      })
      .meta({ id: 'ModelOutputResult' }),
  ])
  .meta({ id: 'Validation' });

export const ExportResult = z
  .strictObject({
    target: z.string(),
    output: z.unknown().describe("The provider's tool or response-format definition"),
    findings: z.array(z.strictObject({ severity: z.enum(['error', 'warning']), path: z.string(), rule: z.string(), message: z.string() })),
    changes: z.array(z.string()).optional().describe('With fix=true: one line per change made'),
  })
  .meta({ id: 'ExportResult' });

const Grants = z.array(grantSchema).describe('What the key may do (docs/security.md)');

export const ApiKey = z
  .strictObject({
    key: z.string(),
    name: z.string(),
    grants: Grants,
    createdAt: z.string(),
    expiresAt: z.string().optional(),
    revokedAt: z.string().optional(),
    rotatedAt: z.string().optional(),
  })
  .meta({ id: 'ApiKey' });

export const ApiKeyWithSecret = ApiKey.extend({ secret: z.string().describe('Shown in this answer only') }).meta({ id: 'ApiKeyWithSecret' });

export const AuditPage = z
  .strictObject({
    rows: z.array(
      z.strictObject({
        id: z.number().int(),
        stream: z.string(),
        seq: z.number().int(),
        at: z.string(),
        principal: z.string(),
        action: z.string(),
        target: z.string(),
        result: z.string(),
        clientIp: z.string().optional(),
        requestId: z.string().optional(),
        prevHash: z.string(),
        hash: z.string(),
      }),
    ),
    next: z.number().int().optional().describe('Cursor for the next page (`after`)'),
  })
  .meta({ id: 'AuditPage' });

/** GET /v1/events: change events after a cursor (docs/events.md). Absent fields are omitted, never null. */
export const EventPage = z
  .strictObject({
    events: z.array(
      z
        .strictObject({
          seq: z.number().int().describe('Gap-free, strictly increasing in commit order across contexts'),
          at: z.string().describe('When the writer committed it (ISO 8601)'),
          type: z.enum(EVENT_TYPES),
          context: z.string().optional().describe('Absent: registry-wide (a restore, a KEK)'),
          subject: z.string().optional().describe('The bare subject name; absent: the whole context (or registry)'),
          version: z.number().int().optional(),
          id: z.number().int().optional().describe('The schema id, where the change names one'),
          kek: z.string().optional().describe('The KEK a DEK registry change names (its name, never key material)'),
          algorithm: z.string().optional().describe("A DEK change's algorithm (AES128_GCM, AES256_GCM, AES256_SIV)"),
          actor: z.string().describe('The principal that made the change (a name, never a secret)'),
        })
        .meta({ id: 'ChangeEvent' }),
    ),
    next: z.number().int().nullable().describe('Ask again with after=next; null: nothing after `after` yet (poll again with the same after)'),
    generation: z
      .number()
      .int()
      .describe('The registry generation: the history these seqs belong to (a restore begins another). Send it back with the next after'),
  })
  .meta({ id: 'EventPage' });

const WebhookFields = {
  id: z.string(),
  url: z.string(),
  context: z.string().optional().describe('Only events of this context; absent: every context'),
  subjectPrefix: z.string().optional().describe('Only events on subjects starting with this; absent: every subject'),
  types: z.array(z.enum(EVENT_TYPES)).optional().describe('Only these event types; absent: every type'),
  createdAt: z.string(),
};

/** A webhook subscription (docs/events.md#webhook-subscriptions): never its secret. */
export const Webhook = z.strictObject(WebhookFields).meta({ id: 'Webhook' });

export const WebhookWithSecret = z
  .strictObject({ ...WebhookFields, secret: z.string().describe('Standard Webhooks signing secret (whsec_...): in this answer only') })
  .meta({ id: 'WebhookWithSecret' });

export const WebhookDelivery = z
  .strictObject({
    seq: z.number().int().describe('the event delivered'),
    attempt: z.number().int().describe('1 for the first attempt'),
    at: z.string().describe('when the attempt ended (ISO 8601)'),
    status: z.number().int().optional().describe("the receiver's HTTP status; absent when none answered"),
    outcome: z.enum(['delivered', 'retry', 'dead', 'dropped']),
    error: z.string().optional().describe('what went wrong, truncated'),
  })
  .meta({ id: 'WebhookDelivery' });

export const AuditVerification = z.strictObject({
  ok: z.boolean(),
  rows: z.number().int(),
  firstBad: z.strictObject({ id: z.number().int(), stream: z.string(), seq: z.number().int(), reason: z.string() }).optional(),
  next: z.string().optional().describe('The log goes on: pass this as `after` to verify the next slice'),
});

export const Snapshot = z
  .strictObject({
    format: z.string(),
    version: z.number().int(),
    takenAt: z.string(),
    tables: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))),
  })
  .meta({ id: 'Snapshot' });

export const Counts = z.record(z.string(), z.number().int());

const LiveAndDeleted = (what: string) =>
  z.strictObject({
    live: z.number().int().min(0).describe(`${what} not soft-deleted`),
    softDeleted: z.number().int().min(0).describe(`${what} soft-deleted (restorable until a permanent delete)`),
  });

/** GET /v1/admin/stats (src/storage/stats.ts): registry-wide counts, each a SQL aggregate. */
export const RegistryStats = z
  .strictObject({
    contexts: z.number().int().min(0).describe('Contexts that exist, as GET /contexts lists them (the default context always)'),
    subjects: LiveAndDeleted('Subjects with a version').describe('A subject is live while one of its versions is'),
    versions: LiveAndDeleted('Subject versions'),
    schemas: z
      .strictObject({ AVRO: z.number().int().min(0), JSON: z.number().int().min(0), PROTOBUF: z.number().int().min(0) })
      .describe('Schema contents held (ids handed out), by type; a permanent delete keeps the content'),
    writes: z
      .strictObject({
        lastHour: z.number().int().min(0),
        lastDay: z.number().int().min(0).describe('the last 24 hours'),
      })
      .describe('Committed changes (change events) in the last hour and day'),
    at: z.string().describe('When the counts were taken (ISO 8601)'),
  })
  .meta({ id: 'RegistryStats' });

/** A snapshot in R2 as the listing shows it (src/storage/snapshot-store.ts). */
export const SnapshotSummary = z
  .strictObject({
    name: z.string(),
    takenAt: z.string(),
    finishedAt: z.string(),
    generation: z.number().int().describe('The registry generation when it was taken'),
    quiescent: z.boolean().describe('No registry write committed while it was taken (a point-in-time image)'),
    rows: z.number().int(),
    tables: Counts.describe('Rows per table'),
  })
  .meta({ id: 'SnapshotSummary' });

export const SnapshotList = z.strictObject({
  snapshots: z.array(SnapshotSummary),
  cursor: z.string().optional().describe('Pass as `cursor` for the next page'),
});

const SnapshotPart = z.strictObject({ file: z.string(), rows: z.number().int(), bytes: z.number().int(), sha256: z.string() });

export const SnapshotManifest = SnapshotSummary.extend({
  format: z.string(),
  version: z.number().int(),
  tables: z.record(z.string(), z.strictObject({ rows: z.number().int(), parts: z.array(SnapshotPart) })),
}).meta({ id: 'SnapshotManifest' });

export const RestoreProgress = z
  .strictObject({
    state: z.enum(['running', 'done']),
    snapshot: z.string(),
    phase: z.enum(['verify', 'write']).optional(),
    table: z.string().optional().describe('The table the restore works on next'),
    part: z.number().int().optional(),
    restored: Counts.describe('Rows restored so far, per table'),
    rows: z.number().int().describe("Rows in the snapshot's manifest"),
    generation: z.number().int().optional().describe('The new registry generation (when done)'),
  })
  .meta({ id: 'RestoreProgress' });

export const RestoreStatus = z
  .strictObject({
    state: z.enum(['idle', 'running']),
    snapshot: z.string().optional(),
    phase: z.enum(['verify', 'write']).optional(),
    table: z.number().int().optional().describe('Index of the table in restore order'),
    part: z.number().int().optional(),
    line: z.number().int().optional(),
    restored: Counts.optional(),
    startedAt: z.string().optional(),
  })
  .meta({ id: 'RestoreStatus' });

export const JsonRpcMessage = z
  .looseObject({ jsonrpc: z.literal('2.0') })
  .describe('A JSON-RPC 2.0 message (MCP Streamable HTTP, docs/mcp.md)')
  .meta({ id: 'JsonRpcMessage' });

export const OpenApiDocument = z.looseObject({ openapi: z.string() });

/** Query parameters many routes share (Confluent's names and meanings). Booleans are `true`/`false`, any case. */
export const Q = {
  deleted: z.boolean().optional().describe('Include soft-deleted versions'),
  deletedOnly: z.boolean().optional().describe('Only soft-deleted versions'),
  permanent: z.boolean().optional().describe('Hard delete (admin; after a soft delete)'),
  normalize: z.boolean().optional().describe('Normalize the schema before comparing or storing'),
  offset: z.number().int().min(0).optional().describe('Skip this many items'),
  limit: z.number().int().optional().describe('At most this many items (0 or less: all)'),
  subjectPrefix: z.string().optional().describe('Only subjects starting with this (`:.ctx:` selects a context, `:*:` every context)'),
  subject: z.string().optional().describe('A subject whose context the id lives in (`:.ctx:`); default context when absent'),
  format: z.string().optional().describe('Avro: `resolved`; Protobuf: `serialized`'),
  defaultToGlobal: z.boolean().optional().describe('Fall back to the context or global setting when the subject has none'),
  verbose: z.boolean().optional().describe('Include the incompatibility messages'),
  force: z.boolean().optional().describe('Enter IMPORT mode even with subjects present'),
  message: z.string().optional().describe('Protobuf: the message type to validate against (default: the first)'),
} as const;

/** offset and limit, for paged listings. */
export const PAGED = { offset: Q.offset, limit: Q.limit } as const;
