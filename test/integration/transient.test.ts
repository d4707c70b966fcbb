/** Platform failures are transient: 503 + Retry-After + 50301; a failing cache layer is skipped (issue: Operations). */
import { describe, expect, it } from 'vitest';
import { register } from './client';
import { fetchWith } from './with-env';

const lost = () => new Error('D1_ERROR: Network connection lost.');

/** A D1 binding whose every query fails the way D1 does when it cannot be reached. */
function unreachableD1(): D1Database {
  const statement = {
    bind: () => statement,
    all: () => Promise.reject(lost()),
    first: () => Promise.reject(lost()),
    run: () => Promise.reject(lost()),
    raw: () => Promise.reject(lost()),
  };
  const session = { prepare: () => statement, batch: () => Promise.reject(lost()), getBookmark: () => null };
  return { ...session, withSession: () => session } as unknown as D1Database;
}

const schema = JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'string' }] });

describe('transient failures', () => {
  it('answers 503 with Retry-After and 50301 when D1 cannot be reached', async () => {
    const call = fetchWith({ AUTH_MODE: 'none', DB: unreachableD1() });
    for (const [method, path] of [
      ['GET', '/subjects'],
      ['GET', '/subjects/x/versions/latest'],
      ['GET', '/config'],
      ['POST', '/compatibility/subjects/x/versions'],
    ]) {
      const r = await call(method, path, method === 'POST' ? { schema } : undefined);
      expect(r.status, path).toBe(503);
      expect(r.body.error_code).toBe(50301);
      expect(r.headers.get('retry-after')).toBe('5');
    }
  });

  it('answers 503 when the writer Durable Object fails with a retryable error', async () => {
    const failing = Object.assign(new Error('Durable Object reset because its code was updated.'), { retryable: true });
    const stub = new Proxy({}, { get: () => () => Promise.reject(failing) });
    const call = fetchWith({ AUTH_MODE: 'none', WRITER: { idFromName: () => ({}), get: () => stub } as unknown as Env['WRITER'] });
    const r = await call('POST', '/subjects/x/versions', { schema });
    expect(r.status).toBe(503);
    expect(r.body.error_code).toBe(50301);
  });

  it('reads by id from D1 when KV fails (a failing cache layer is skipped)', async () => {
    const id = await register('kv-down', schema);
    const broken = {
      get: () => Promise.reject(new Error('KV GET failed: 503 Service Unavailable')),
      put: () => Promise.reject(new Error('KV PUT failed')),
    };
    const call = fetchWith({ AUTH_MODE: 'none', SCHEMA_KV: broken as unknown as KVNamespace });
    await (await caches.open('schemas')).delete(`https://schema-cache.internal/v2/0/ctx/./id/${id}`);
    const r = await call('GET', `/schemas/ids/${id}`);
    expect(r.status).toBe(200);
    expect(r.body.schema).toBe(schema);
  });

  it('keeps programming errors a 500 (not everything is transient)', async () => {
    const call = fetchWith({ AUTH_MODE: '', AUTH_TOKENS: 'x:reader@tenant' });
    const r = await call('GET', '/subjects', undefined, { authorization: 'Bearer x' });
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ error_code: 500, message: 'Internal Server Error' });
  });
});

describe('GET /v1/ready', () => {
  it('answers 200 with each dependency and its latency when all answer, without credentials', async () => {
    const call = fetchWith({});
    const r = await call('GET', '/v1/ready');
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('ready');
    for (const dep of ['d1', 'kv', 'r2', 'writer']) expect(r.body.checks[dep]).toMatchObject({ ok: true, ms: expect.any(Number) });
  });

  it('answers 503 naming what failed', async () => {
    const call = fetchWith({ AUTH_MODE: 'none', DB: unreachableD1() });
    const r = await call('GET', '/v1/ready');
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('5');
    expect(r.body.status).toBe('unavailable');
    expect(r.body.checks.d1).toMatchObject({ ok: false, error: expect.stringContaining('D1_ERROR') });
    expect(r.body.checks.kv.ok).toBe(true);
  });
});
