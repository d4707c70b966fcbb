/** Configuration-dependent behaviour: the Confluent 8.x response profile and token auth with roles. */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createFetch } from '../../src/app';

const fetchWith = (vars: Partial<Env>) => {
  const handler = createFetch();
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const ctx = createExecutionContext();
    const init: RequestInit = { method, headers: { 'content-type': 'application/json', ...headers } };
    if (body !== undefined) init.body = JSON.stringify(body);
    const res = await handler(new Request(`http://registry.test${path}`, init), { ...env, ...vars }, ctx);
    await waitOnExecutionContext(ctx);
    return { status: res.status, headers: res.headers, body: (await res.json()) as any };
  };
};

const schema = JSON.stringify({ type: 'record', name: 'P', fields: [{ name: 'a', type: 'string' }] });

describe('RESPONSE_PROFILE=8', () => {
  const call = fetchWith({ RESPONSE_PROFILE: '8' });

  it('answers schemaType AVRO, guid and the full register response', async () => {
    const r = await call('POST', '/subjects/p8/versions', { schema });
    expect(r.body).toMatchObject({ id: 1, version: 1, schemaType: 'AVRO', schema });
    expect(r.body.guid).toMatch(/^[0-9a-f-]{36}$/);
    expect((await call('GET', '/schemas/ids/1')).body).toEqual({ schemaType: 'AVRO', schema, guid: r.body.guid });
    expect((await call('GET', '/subjects/p8/versions/1')).body).toEqual({ subject: 'p8', version: 1, id: 1, guid: r.body.guid, schemaType: 'AVRO', schema });
  });

  it('answers error_code 40901 for an incompatible schema', async () => {
    await call('POST', '/subjects/p8i/versions', { schema });
    const next = JSON.stringify({ type: 'record', name: 'P', fields: [{ name: 'a', type: 'string' }, { name: 'b', type: 'int' }] });
    const r = await call('POST', '/subjects/p8i/versions', { schema: next });
    expect(r.status).toBe(409);
    expect(r.body.error_code).toBe(40901);
  });
});

describe('AUTH_TOKENS', () => {
  const call = fetchWith({ AUTH_TOKENS: 'r-token:reader,w-token:writer,a-token:admin' });
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const basic = (token: string) => ({ authorization: `Basic ${btoa(`svc:${token}`)}` });

  it('refuses requests without known credentials with 40101', async () => {
    for (const headers of [{}, as('wrong'), { authorization: 'Basic !!!' }, { authorization: 'Token x' }]) {
      const r = await call('GET', '/subjects', undefined, headers);
      expect(r.status).toBe(401);
      expect(r.body.error_code).toBe(40101);
    }
  });

  it.each([
    ['reader reads', 'r-token', 'GET', '/subjects', undefined, 200],
    ['reader checks compatibility', 'r-token', 'POST', '/compatibility/subjects/x/versions', { schema }, 200],
    ['reader may not register', 'r-token', 'POST', '/subjects/x/versions', { schema }, 403],
    ['writer registers', 'w-token', 'POST', '/subjects/x/versions', { schema }, 200],
    ['writer may not change config', 'w-token', 'PUT', '/config', { compatibility: 'NONE' }, 403],
    ['writer may not change mode', 'w-token', 'PUT', '/mode', { mode: 'READONLY' }, 403],
    ['admin changes config', 'a-token', 'PUT', '/config', { compatibility: 'NONE' }, 200],
    ['reader may not read snapshots (every tenant is in them)', 'r-token', 'GET', '/v1/admin/snapshot', undefined, 403],
    ['writer may not read snapshots', 'w-token', 'GET', '/v1/admin/snapshot', undefined, 403],
    ['admin reads snapshots', 'a-token', 'GET', '/v1/admin/snapshot', undefined, 200],
  ])('%s', async (_name, token, method, path, body, status) => {
    const r = await call(method, path, body, as(token));
    expect(r.status).toBe(status);
    if (status === 403) expect(r.body.error_code).toBe(40301);
  });

  it('accepts the token as the Basic auth password (Confluent clients) and guards permanent deletes', async () => {
    expect((await call('POST', '/subjects/d/versions', { schema }, basic('w-token'))).status).toBe(200);
    expect((await call('DELETE', '/subjects/d', undefined, basic('w-token'))).status).toBe(200);
    const hard = await call('DELETE', '/subjects/d?permanent=true', undefined, basic('w-token'));
    expect(hard.status).toBe(403);
    expect((await call('DELETE', '/subjects/d?permanent=true', undefined, basic('a-token'))).status).toBe(200);
  });
});

describe('WRITE_LIMITER', () => {
  const denied: RateLimit = { limit: async () => ({ success: false }) };
  const call = fetchWith({ WRITE_LIMITER: denied });

  it('answers 429 / 42901 with Retry-After to writes over the limit', async () => {
    const r = await call('POST', '/subjects/limited/versions', { schema });
    expect(r.status).toBe(429);
    expect(r.body).toEqual({ error_code: 42901, message: 'Too many write requests from this client; retry later' });
    expect(r.headers.get('retry-after')).toBe('60');
  });

  it('never limits reads, lookups, compatibility checks or validation', async () => {
    expect((await call('GET', '/subjects')).status).toBe(200);
    expect((await call('POST', '/compatibility/subjects/x/versions', { schema })).status).toBe(200);
    expect((await call('POST', '/subjects/x', { schema })).status).toBe(404);
    expect((await call('POST', '/v1/validate/ids/1', {})).status).toBe(404);
  });
});

describe('tenant credentials (token:role@.ctx)', () => {
  const call = fetchWith({ AUTH_TOKENS: 'ops:admin,acme:writer@.acme,globex:writer@.globex' });
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  it('confine a tenant to its context for every read and write', async () => {
    expect((await call('POST', '/subjects/:.acme:orders/versions', { schema }, as('acme'))).status).toBe(200);
    expect((await call('POST', '/subjects/:.globex:orders/versions', { schema }, as('globex'))).status).toBe(200);
    expect((await call('POST', '/subjects/plain/versions', { schema }, as('ops'))).status).toBe(200);

    // Another tenant's subject, the default context, global writes, admin: refused.
    for (const [method, path, body] of [
      ['GET', '/subjects/:.globex:orders/versions', undefined],
      ['POST', '/subjects/:.globex:orders/versions', { schema }],
      ['GET', '/subjects/plain/versions', undefined],
      ['GET', '/contexts/.globex/subjects/orders/versions/1', undefined],
      ['GET', '/schemas/ids/1', undefined],
      ['GET', '/schemas/ids/1?subject=:.globex:', undefined],
      ['PUT', '/config', { compatibility: 'NONE' }],
      ['PUT', '/mode', { mode: 'READONLY' }],
      ['GET', '/v1/admin/snapshot', undefined],
      ['POST', '/v1/validate/subjects/:.globex:orders/versions/latest', {}],
    ] as const) {
      const r = await call(method, path, body, as('acme'));
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error_code).toBe(40301);
    }

    // Its own context works through both spellings; listings show only it.
    expect((await call('GET', '/subjects/:.acme:orders/versions', undefined, as('acme'))).body).toEqual([1]);
    expect((await call('GET', '/contexts/.acme/subjects/orders/versions/1', undefined, as('acme'))).body).toMatchObject({ id: 1 });
    expect((await call('GET', '/schemas/ids/1?subject=:.acme:', undefined, as('acme'))).status).toBe(200);
    expect((await call('GET', '/subjects', undefined, as('acme'))).body).toEqual([':.acme:orders']);
    expect((await call('GET', '/subjects?subjectPrefix=:.globex:', undefined, as('acme'))).body).toEqual([':.acme:orders']);
    expect((await call('GET', '/schemas?subjectPrefix=:*:', undefined, as('acme'))).body.map((s: { subject: string }) => s.subject)).toEqual([':.acme:orders']);
    expect((await call('GET', '/contexts', undefined, as('acme'))).body).toEqual(['.acme']);
    // The operator sees everything.
    expect((await call('GET', '/subjects', undefined, as('ops'))).body).toEqual([':.acme:orders', ':.globex:orders', 'plain']);
  });

  it('never finds another tenant schema by guid', async () => {
    const g = await call('POST', '/subjects/:.globex:g/versions', { schema }, as('globex'));
    expect(g.status).toBe(200);
    const { guid } = (await env.DB.prepare("SELECT guid FROM schemas WHERE context = '.globex'").first<{ guid: string }>())!;
    expect((await call('GET', `/schemas/guids/${guid}?subject=:.globex:`, undefined, as('globex'))).status).toBe(200);
    const r = await call('GET', `/schemas/guids/${guid}?subject=:.acme:`, undefined, as('acme'));
    expect(r.status).toBe(404);
    expect(r.body.error_code).toBe(40403);
  });

  it('rejects malformed AUTH_TOKENS entries at the first request', async () => {
    const broken = fetchWith({ AUTH_TOKENS: 'x:reader@tenant' });
    const r = await broken('GET', '/subjects', undefined, { authorization: 'Bearer x' });
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ error_code: 500, message: 'Internal Server Error' });
  });
});
