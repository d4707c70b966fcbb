/**
 * Request and response shapes of the registry's API, written from the server's route
 * declarations and the zod schemas they validate with: src/http/requests.ts (RegisterSchemaRequest),
 * src/routes/config.ts (ConfigUpdateRequest), src/routes/mode.ts, src/routes/admin.ts (keys),
 * src/domain/grants.ts, src/http/render.ts (entities), src/routes/validate.ts and
 * src/routes/exports.ts (native /v1 API). The server's schemas are not imported: this package has
 * no dependencies and must run where the server's code does not (browsers, Deno, Bun).
 */

export type SchemaType = 'AVRO' | 'JSON' | 'PROTOBUF';

/** A reference to another subject's version (`name`: the import path, `$ref` URL or Avro name). */
export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

/** RegisterSchemaRequest (src/http/requests.ts): the body of register, lookup and compatibility checks. */
export interface SchemaInput {
  schema: string;
  /** Default AVRO, as in Confluent. */
  schemaType?: SchemaType;
  references?: SchemaReference[];
  metadata?: unknown;
  ruleSet?: unknown;
  /** IMPORT mode only: keep this id. */
  id?: number;
  /** IMPORT mode only: keep this version. */
  version?: number;
}

/** A subject version (Confluent's Schema entity, src/http/render.ts schemaEntity). */
export interface SubjectVersion {
  subject: string;
  version: number;
  id: number;
  /** 8.x response profile only. */
  guid?: string;
  /** Absent for AVRO in the 7.x profile. */
  schemaType?: SchemaType;
  references?: SchemaReference[];
  metadata?: unknown;
  ruleSet?: unknown;
  schema: string;
}

/** A schema by id or guid (SchemaString). */
export interface SchemaById {
  schemaType?: SchemaType;
  schema: string;
  references?: SchemaReference[];
  metadata?: unknown;
  ruleSet?: unknown;
  guid?: string;
  maxId?: number;
}

/** The answer to a register: `{id}` in the 7.x profile, the whole entity in 8.x. */
export interface Registered {
  id: number;
  version?: number;
  guid?: string;
  schemaType?: SchemaType;
  references?: SchemaReference[];
  schema?: string;
}

export interface CompatibilityResult {
  is_compatible: boolean;
  /** With `verbose: true`: why not. */
  messages?: string[];
}

export type CompatibilityLevel = 'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FORWARD' | 'FORWARD_TRANSITIVE' | 'FULL' | 'FULL_TRANSITIVE' | 'NONE';

/** ConfigUpdateRequest (src/routes/config.ts). */
export interface ConfigUpdate {
  compatibility?: CompatibilityLevel;
  normalize?: boolean;
  compatibilityPolicy?: 'STRICT' | 'LENIENT';
  compatibilityGroup?: string;
  validateFields?: boolean;
  alias?: string;
  defaultMetadata?: unknown;
  overrideMetadata?: unknown;
  defaultRuleSet?: unknown;
  overrideRuleSet?: unknown;
}

/** GET /config answers the level as `compatibilityLevel`. */
export interface Config extends Omit<ConfigUpdate, 'compatibility'> {
  compatibilityLevel?: CompatibilityLevel;
}

export type Mode = 'READWRITE' | 'READONLY' | 'READONLY_OVERRIDE' | 'IMPORT';

/** A grant (src/domain/grants.ts): a role on the registry, a context, or a subject prefix in a context; or its text form `role@.ctx/prefix`. */
export type Grant = { role: 'reader' | 'writer' | 'admin'; context?: string; subjectPrefix?: string } | string;

export interface ApiKeyInfo {
  key: string;
  name: string;
  grants: Exclude<Grant, string>[];
  createdAt: string;
  expiresAt?: string;
  revokedAt?: string;
  rotatedAt?: string;
}

/** A created or rotated key: the secret appears in this answer only. */
export interface ApiKeyWithSecret extends ApiKeyInfo {
  secret: string;
}

export interface AuditRow {
  id: number;
  stream: string;
  seq: number;
  at: string;
  prevHash: string;
  hash: string;
  [field: string]: unknown;
}

export interface AuditPage {
  rows: AuditRow[];
  /** The cursor for the next page (`after`), when this page is full. */
  next?: number;
}

export interface AuditVerification {
  ok: boolean;
  rows: number;
  firstBad?: { id: number; stream: string; seq: number; reason: string };
  /** The log goes on past this slice: pass it as `after` to verify the next one. */
  next?: string;
}

/** GET /v1/admin/snapshot: every table of the registry (src/storage/snapshot.ts); restore takes it back. */
export interface Snapshot {
  format: string;
  version: number;
  takenAt: string;
  tables: Record<string, Record<string, unknown>[]>;
}

/** One validation error (src/domain/validation.ts); paths are JSON Pointers. */
export interface ValidationError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  message: string;
}

export interface ValidationResult {
  valid: boolean;
  errors: ValidationError[];
}

/** POST /v1/validate with text/plain (src/services/model-output.ts). */
export interface ModelOutputResult {
  valid: boolean;
  /** The JSON found in the text (the first valid candidate, or the first one). */
  value?: unknown;
  errors: ValidationError[];
  /** An instruction to send back to the model when the output is invalid. */
  repair?: string;
}

/** Export targets of GET /v1/subjects/{s}/versions/{v}/export (src/domain/llm/export/types.ts). */
export const EXPORT_TARGETS = [
  'openai-chat-tool',
  'openai-responses-tool',
  'openai-response-format',
  'anthropic-tool',
  'gemini-response-schema',
  'mcp-tool',
] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

export interface ExportFinding {
  severity: 'error' | 'warning';
  path: string;
  rule: string;
  message: string;
}

export interface ExportResult<T = unknown> {
  target: ExportTarget;
  output: T;
  findings: ExportFinding[];
  /** With `fix: true`: one line per change made. */
  changes?: string[];
}

export type VersionId = number | 'latest';
