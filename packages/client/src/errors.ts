/**
 * The one error a client call throws: the registry's Confluent-style envelope
 * (`{"error_code": 40401, "message": "..."}`), or a network failure (`status` 0, `errorCode` 0).
 * Codes and their meaning: the README's "Error codes" table (src/domain/errors.ts on the server).
 */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  constructor(
    /** HTTP status; 0 when no answer arrived (network failure, timeout). */
    readonly status: number,
    /** Confluent error_code (e.g. 40401 subject not found, 409/40901 incompatible); the status when the body had none; 0 on network failure. */
    readonly errorCode: number,
    message: string,
    /** Retry-After in milliseconds when the server sent one (429, 503). */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** True for answers a later retry may change: 429, 503, and network failures. */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status === 503;
  }
}

/** Well-known error codes (a subset; the server may answer others of the same shape). */
export const ErrorCodes = {
  UNAUTHORIZED: 40101,
  FORBIDDEN: 40301,
  SUBJECT_NOT_FOUND: 40401,
  VERSION_NOT_FOUND: 40402,
  SCHEMA_NOT_FOUND: 40403,
  INCOMPATIBLE_SCHEMA_7: 409,
  INCOMPATIBLE_SCHEMA: 40901,
  INVALID_SCHEMA: 42201,
  OPERATION_NOT_PERMITTED: 42205,
  ID_DOES_NOT_MATCH: 42207,
  RATE_LIMITED: 42901,
  UNAVAILABLE: 50301,
} as const;
