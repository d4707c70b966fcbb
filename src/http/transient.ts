/**
 * Failures of the platform (D1, KV, R2, a Durable Object) are transient until proven otherwise
 * (design.md): the answer is 503 with Retry-After and a stable code, not a 500. Our own bugs stay
 * 500. Durable Object and RPC errors say whether a retry may help (`retryable`, `overloaded`); D1
 * errors carry a `D1_` prefix; a constraint or schema error is not transient.
 */
export const RETRY_AFTER_SECONDS = 5;

export function isTransient(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const flags = err as Error & { retryable?: unknown; overloaded?: unknown };
  if (flags.retryable === true || flags.overloaded === true) return true;
  if (/constraint failed|SQLITE_CONSTRAINT|no such (table|column)|D1_TYPE_ERROR/i.test(err.message)) return false;
  return /^(D1_ERROR|D1_EXEC_ERROR)|Network connection lost|storage operation|Durable Object (reset|storage)|internal error; reference/i.test(
    err.message,
  );
}
