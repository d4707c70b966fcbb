/**
 * Retry policy (pure, unit-tested): which answers are retried, and how long to wait.
 * Only 429 and 503 answers (and network failures) are retried, only for requests that are safe
 * to repeat, at most `attempts` times in all. A `Retry-After` the server sends is honoured (plus a
 * little jitter, so clients told the same moment do not return together); without one, capped
 * exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter").
 */
export interface RetryOptions {
  /** Attempts in all, the first included (default 4; 1 disables retries). */
  attempts?: number;
  /** First backoff step in ms (default 250). */
  baseDelayMs?: number;
  /** Longest wait between attempts in ms (default 20 000); a longer Retry-After is not waited for. */
  maxDelayMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = { attempts: 4, baseDelayMs: 250, maxDelayMs: 20_000 };

export function retryableStatus(status: number): boolean {
  return status === 429 || status === 503;
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined if absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The wait before attempt `attempt + 1` (attempt counts from 1), or undefined to stop: attempts are
 * used up, or the server asks for a longer wait than `maxDelayMs`.
 */
export function retryDelay(attempt: number, retryAfterMs: number | undefined, options: RetryOptions = {}, random = Math.random): number | undefined {
  const { attempts, baseDelayMs, maxDelayMs } = { ...DEFAULT_RETRY, ...options };
  if (attempt >= attempts) return undefined;
  if (retryAfterMs !== undefined) {
    if (retryAfterMs > maxDelayMs) return undefined;
    return retryAfterMs + Math.floor(random() * Math.min(1000, baseDelayMs));
  }
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}
