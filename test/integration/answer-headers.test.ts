/**
 * The headers every answer carries, whatever made it: a route's reply, an empty 204, a route's
 * error, the router's 404 and 405, the 406 of negotiation, a 401, a transient 503, an answer
 * counted as it streams (METRICS bound), the readiness probe, and a route with its own
 * cache-control. Most answers are made with them in one construction, any other gets them set
 * afterwards (http/answer-headers.ts), so each kind of answer is checked here rather than assumed
 * from one.
 */
import { describe, expect, it } from 'vitest';
import { bearer, fetchWith } from './with-env';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const P = '00f067aa0ba902b7';
/** Over the 64 KiB below which an answer's size is known up front: this one is counted as it streams. */
const large = JSON.stringify({ type: 'object', description: 'x'.repeat(70_000) });

const open = fetchWith({ AUTH_MODE: 'none' });
const guarded = fetchWith({ AUTH_TOKENS: 'rd:reader' });
const measured = fetchWith({ AUTH_MODE: 'none', METRICS: { writeDataPoint: () => undefined } });
const lost = () => Promise.reject(new Error('D1_ERROR: Network connection lost.'));
const statement = { bind: () => statement, all: lost, first: lost, run: lost, raw: lost };
const session = { prepare: () => statement, batch: lost, getBookmark: () => null };
const unreachable = fetchWith({ AUTH_MODE: 'none', DB: { ...session, withSession: () => session } as unknown as D1Database });

type Case = [what: string, call: typeof open, method: string, path: string, status: number, headers?: Record<string, string>];

const cases: Case[] = [
  ['a route reply', open, 'GET', '/subjects', 200],
  ['an empty answer (204)', open, 'DELETE', '/contexts/.header-empty', 204],
  ['a route error (40403)', open, 'GET', '/schemas/ids/987654', 404],
  ['no route (404)', open, 'GET', '/no/such/route', 404],
  ['another method (405)', open, 'PATCH', '/subjects', 405],
  ['no acceptable type (406)', open, 'GET', '/subjects', 406, { accept: 'text/html' }],
  ['no credentials (401)', guarded, 'GET', '/subjects', 401],
  ['a reader with credentials', guarded, 'GET', '/subjects', 200, bearer('rd')],
  ['storage unreachable (503)', unreachable, 'GET', '/subjects', 503],
  ['readiness with storage unreachable (503)', unreachable, 'GET', '/v1/ready', 503],
  ['an answer counted as it streams', measured, 'GET', '/subjects/header-large/versions/1/schema', 200],
];

describe('every answer carries the request id, the trace, nosniff and no-store', () => {
  it.each(cases)('%s', async (_what, call, method, path, status, headers = {}) => {
    if (call === measured) {
      const r = await open('POST', '/subjects/header-large/versions', { schemaType: 'JSON', schema: large });
      expect(r.status).toBe(200);
    }
    const r = await call(method, path, undefined, { 'x-request-id': 'req-headers-1', traceparent: `00-${T}-${P}-01`, ...headers });
    expect(r.status).toBe(status);
    expect(r.headers.get('x-request-id')).toBe('req-headers-1');
    expect(r.headers.get('traceparent')).toMatch(new RegExp(`^00-${T}-[0-9a-f]{16}-01$`));
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('cache-control')).toBe('no-store');
  });

  it.each([
    ['storage unreachable', '/subjects', '5'],
    ['readiness with storage unreachable', '/v1/ready', '5'],
  ])('%s: a 503 says when to retry', async (_what, path, seconds) => {
    const r = await unreachable('GET', path);
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe(seconds);
  });

  it('a route that sets its own cache-control keeps it (the OpenAPI document)', async () => {
    const r = await open('GET', '/openapi.json');
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('public, max-age=300');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-request-id')).toBeTruthy();
  });

  it('a URL refused before routing (400) still says nosniff and no-store', async () => {
    const r = await open('GET', '/subjects/%FF/versions');
    expect(r.status).toBe(400);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('cache-control')).toBe('no-store');
  });
});
