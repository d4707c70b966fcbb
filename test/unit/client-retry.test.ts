/** The SDK's retry policy (packages/client/src/retry.ts): Retry-After parsing and the backoff schedule. */
import { describe, expect, it } from 'vitest';
import { authorizationHeader } from '../../packages/client/src/client';
import { DEFAULT_RETRY, parseRetryAfter, retryableStatus, retryDelay } from '../../packages/client/src/retry';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-12-05T08:00:00Z');
  it.each([
    ['5', 5000],
    [' 0 ', 0],
    ['120', 120_000],
    ['Sat, 05 Dec 2026 08:00:03 GMT', 3000],
    ['Sat, 05 Dec 2026 07:59:00 GMT', 0], // in the past: at once
    ['', undefined],
    ['-1', undefined],
    ['1.5', undefined],
    ['soon', undefined],
    [null, undefined],
    [undefined, undefined],
  ])('%s -> %s ms', (header, ms) => {
    expect(parseRetryAfter(header, now)).toBe(ms);
  });
});

describe('retryDelay', () => {
  const max = () => 0.999999;
  const min = () => 0;
  it('backs off exponentially with full jitter, capped', () => {
    const opts = { attempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5, 6].map((a) => retryDelay(a, undefined, opts, max))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(retryDelay(3, undefined, opts, min)).toBe(0);
  });
  it('honours Retry-After, with at most a second of jitter on top', () => {
    expect(retryDelay(1, 2000, {}, min)).toBe(2000);
    const jittered = retryDelay(1, 2000, {}, max) ?? 0;
    expect(jittered).toBeGreaterThan(2000);
    expect(jittered).toBeLessThan(2000 + DEFAULT_RETRY.baseDelayMs);
  });
  it('stops when the attempts are used up', () => {
    expect(retryDelay(DEFAULT_RETRY.attempts - 1, undefined, {}, min)).toBe(0);
    expect(retryDelay(DEFAULT_RETRY.attempts, undefined, {}, min)).toBeUndefined();
    expect(retryDelay(1, undefined, { attempts: 1 }, min)).toBeUndefined();
  });
  it('does not wait for a Retry-After longer than maxDelayMs', () => {
    expect(retryDelay(1, 60_000, { maxDelayMs: 30_000 })).toBeUndefined();
    expect(retryDelay(1, 30_000, { maxDelayMs: 30_000 }, min)).toBe(30_000);
  });
  it('retries only 429 and 503', () => {
    expect([400, 401, 409, 429, 500, 502, 503, 504].filter(retryableStatus)).toEqual([429, 503]);
  });
});

describe('authorizationHeader', () => {
  const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
  it('sends an API key as Basic key:secret, in either form', () => {
    expect(authorizationHeader({ apiKey: 'lsr_1:s3cret' })).toBe(basic('lsr_1:s3cret'));
    expect(authorizationHeader({ apiKey: 'lsr_1', secret: 's3cret' })).toBe(basic('lsr_1:s3cret'));
  });
  it('Basic user:password (UTF-8) and Bearer', () => {
    expect(authorizationHeader({ username: 'ünï', password: 'p:w' })).toBe(basic('ünï:p:w'));
    expect(authorizationHeader({ bearer: 'eyJ.x.y' })).toBe('Bearer eyJ.x.y');
  });
  it('refuses a key without its secret', () => {
    expect(() => authorizationHeader({ apiKey: 'lsr_1' })).toThrow(/key:secret/);
  });
});
