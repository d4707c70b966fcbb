/**
 * The one error vocabulary: Confluent Schema Registry's numeric error codes
 * (io.confluent.kafka.schemaregistry.rest.exceptions.Errors) plus a few of our own
 * in the same shape. The HTTP status is derived from the code, never chosen ad hoc.
 */
export const ErrorCode = {
  // 400: malformed requests (Confluent answers these from its JSON layer)
  BAD_REQUEST: 400,
  UNAUTHORIZED: 40101,
  FORBIDDEN: 40301,
  // 404
  NOT_FOUND: 404,
  SUBJECT_NOT_FOUND: 40401,
  VERSION_NOT_FOUND: 40402,
  SCHEMA_NOT_FOUND: 40403,
  SUBJECT_SOFT_DELETED: 40404,
  SUBJECT_NOT_SOFT_DELETED: 40405,
  SCHEMA_VERSION_SOFT_DELETED: 40406,
  SCHEMA_VERSION_NOT_SOFT_DELETED: 40407,
  SUBJECT_COMPATIBILITY_NOT_CONFIGURED: 40408,
  SUBJECT_MODE_NOT_CONFIGURED: 40409,
  /** Associations (Confluent 8.1 Errors.java; docs/associations.md). */
  ASSOCIATION_NOT_FOUND: 40410,
  CONTEXT_NOT_FOUND: 40411,
  // DEK registry (io.confluent.dekregistry.web.rest.exceptions.DekRegistryErrors)
  KEY_NOT_FOUND: 40470,
  KEY_NOT_SOFT_DELETED: 40471,
  KEY_SOFT_DELETED: 40472,
  /** 403: the KMS refused the registry (here: the registry holds no KMS credentials at all). */
  DEK_GENERATION_FORBIDDEN: 40370,
  KEY_ALREADY_EXISTS: 40971,
  TOO_MANY_KEYS: 40972,
  INVALID_KEY: 42271,
  KEY_REFERENCE_EXISTS: 42272,
  METHOD_NOT_ALLOWED: 405,
  NOT_ACCEPTABLE: 406,
  // 409 (7.x answers error_code 409, 8.x answers 40901; see profile.ts)
  INCOMPATIBLE_SCHEMA: 40901,
  ASSOCIATION_FOR_RESOURCE_EXISTS: 40903,
  ASSOCIATION_FOR_SUBJECT_EXISTS: 40904,
  STRONG_ASSOCIATION_FOR_SUBJECT_EXISTS: 40905,
  NO_ACTIVE_SUBJECT_VERSION_EXISTS: 40907,
  ASSOCIATION_FROZEN: 40908,
  // 413 / 415
  // 410
  /** GET /v1/events with a generation a restore has replaced: the cursor belongs to another history. */
  EVENT_HISTORY_REPLACED: 41001,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  // 422
  UNPROCESSABLE: 422,
  INVALID_SCHEMA: 42201,
  INVALID_VERSION: 42202,
  INVALID_COMPATIBILITY_LEVEL: 42203,
  INVALID_MODE: 42204,
  OPERATION_NOT_PERMITTED: 42205,
  REFERENCE_EXISTS: 42206,
  ID_DOES_NOT_MATCH: 42207,
  INVALID_SUBJECT: 42208,
  SCHEMA_TOO_LARGE: 42209,
  INVALID_RULESET: 42210,
  CONTEXT_NOT_EMPTY: 42211,
  INVALID_ASSOCIATION: 42212,
  // Our own 422 codes for the native /v1 API (validation input)
  INVALID_DOCUMENT: 42221,
  DOCUMENT_TOO_DEEP: 42222,
  UNSUPPORTED_TARGET: 42223,
  /** A configured bound (contexts, subjects per context, versions per subject, request depth) was reached. */
  LIMIT_EXCEEDED: 42224,
  // 429
  RATE_LIMITED: 42901,
  // 500
  INTERNAL: 500,
  STORE_ERROR: 50001,
  OPERATION_TIMEOUT: 50002,
  REQUEST_FORWARDING_FAILED: 50003,
  // 503
  /** A dependency is unreachable for now: answered with Retry-After. */
  UNAVAILABLE: 50301,
  /** No credential source is configured and AUTH_MODE is not "none" (secure by default). */
  AUTH_NOT_CONFIGURED: 50302,
  /** A snapshot restore holds the registry: no write commits until it completes (answered with Retry-After). */
  RESTORE_IN_PROGRESS: 50303,
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** HTTP status of a code: Confluent's codes carry their status in their leading three digits. */
export function statusOf(code: number): number {
  if (code < 1000) return code;
  return Math.floor(code / 100);
}

export class RegistryError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
  get status(): number {
    return statusOf(this.code);
  }
}

/** Thrown by format parsers; the registry answers it as 42201 with this message. */
export class SchemaParseError extends RegistryError {
  constructor(message: string) {
    super(ErrorCode.INVALID_SCHEMA, message);
    this.name = 'SchemaParseError';
  }
}

/** Confluent's message texts, kept in one place so every route says the same thing. */
export const errors = {
  subjectNotFound: (s: string) => new RegistryError(ErrorCode.SUBJECT_NOT_FOUND, `Subject '${s}' not found.`),
  versionNotFound: (v: number | string) => new RegistryError(ErrorCode.VERSION_NOT_FOUND, `Version ${v} not found.`),
  schemaNotFound: (id?: number | string) =>
    new RegistryError(ErrorCode.SCHEMA_NOT_FOUND, id === undefined ? 'Schema not found' : `Schema ${id} not found`),
  subjectSoftDeleted: (s: string) =>
    new RegistryError(ErrorCode.SUBJECT_SOFT_DELETED, `Subject '${s}' was soft deleted.Set permanent=true to delete permanently`),
  subjectNotSoftDeleted: (s: string) =>
    new RegistryError(ErrorCode.SUBJECT_NOT_SOFT_DELETED, `Subject '${s}' was not deleted first before being permanently deleted`),
  versionSoftDeleted: (s: string, v: number | string) =>
    new RegistryError(ErrorCode.SCHEMA_VERSION_SOFT_DELETED, `Subject '${s}' Version ${v} was soft deleted.Set permanent=true to delete permanently`),
  versionNotSoftDeleted: (s: string, v: number | string) =>
    new RegistryError(
      ErrorCode.SCHEMA_VERSION_NOT_SOFT_DELETED,
      `Subject '${s}' Version ${v} was not deleted first before being permanently deleted`,
    ),
  subjectCompatibilityNotConfigured: (s: string) =>
    new RegistryError(ErrorCode.SUBJECT_COMPATIBILITY_NOT_CONFIGURED, `Subject '${s}' does not have subject-level compatibility configured`),
  subjectModeNotConfigured: (s: string) =>
    new RegistryError(ErrorCode.SUBJECT_MODE_NOT_CONFIGURED, `Subject '${s}' does not have subject-level mode configured`),
  invalidVersion: (v: string) =>
    new RegistryError(
      ErrorCode.INVALID_VERSION,
      `The specified version '${v}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
    ),
  invalidSubject: (s: string) => new RegistryError(ErrorCode.INVALID_SUBJECT, `The specified subject '${s}' is not valid.`),
  invalidCompatibility: () =>
    new RegistryError(
      ErrorCode.INVALID_COMPATIBILITY_LEVEL,
      `Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive`,
    ),
  invalidMode: () => new RegistryError(ErrorCode.INVALID_MODE, 'Invalid mode. Valid values are READWRITE, READONLY, and IMPORT.'),
  operationNotPermitted: (message: string) => new RegistryError(ErrorCode.OPERATION_NOT_PERMITTED, message),
  referenceExists: (message: string) => new RegistryError(ErrorCode.REFERENCE_EXISTS, message),
  badRequest: (message: string) => new RegistryError(ErrorCode.BAD_REQUEST, message),
  /** Confluent RestContextNotEmptyException (8.1). */
  contextNotEmpty: (delimited: string) => new RegistryError(ErrorCode.CONTEXT_NOT_EMPTY, `The specified context '${delimited}' is not empty.`),
};
