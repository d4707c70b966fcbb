/**
 * Regression tests for the holes found trying the registry from outside (the Security issue):
 * each failed on the code before the fix. Numbers refer to the list.
 */
import { listDurableObjectIds } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { basic, bearer, fetchWith } from './with-env';

const avro = (name = 'R') => JSON.stringify({ type: 'record', name, fields: [{ name: 'a', type: 'string' }] });

const tokens = 'adm:admin,rd:reader,wr:writer,ta:writer@.ta,tb:writer@.tb';
const call = fetchWith({ AUTH_TOKENS: tokens });

async function seed() {
  for (const [subject, token] of [
    ['plain', 'adm'],
    [':.ta:orders', 'ta'],
    [':.tb:secret', 'tb'],
  ]) {
    const r = await call('POST', `/subjects/${encodeURIComponent(subject)}/versions`, { schema: avro() }, bearer(token));
    expect(r.status, subject).toBe(200);
  }
}

describe('1. encoded and irregular paths are authorized on the route that answers', () => {
  it.each([
    ['/v1/%61dmin/snapshot', 403],
    ['/v1/admin/%73napshot', 403],
    ['/%76%31/admin/snapshot', 403],
    ['/v1/admin/snapshot/', 403],
    ['/v1/./admin/snapshot', 403],
    ['/v1/x/../admin/snapshot', 403],
    ['/v1/%2e/admin/snapshot', 403],
    ['/v1/%2561dmin/snapshot', 404], // double encoding names no route
    ['/v1/admin%2Fsnapshot', 404], // an encoded slash is part of a segment, not a separator
    ['//v1/admin/snapshot', 404],
    ['/V1/ADMIN/snapshot', 404],
  ])('a reader asking %s gets %i, never the snapshot', async (path, status) => {
    const r = await call('GET', path, undefined, bearer('rd'));
    expect(r.status).toBe(status);
    expect(r.body).not.toHaveProperty('tables');
  });

  it('a tenant cannot leave its context through encoded names or paths', async () => {
    await seed();
    for (const path of [
      '/%73ubjects/%3A.tb%3Asecret/versions',
      '/subjects/%3A.tb%3Asecret/versions',
      '/subjects/%3a.tb%3asecret/versions/1',
      '/subjects/:.tb:secret/versions/',
      '/contexts/.tb/subjects/secret/versions',
      '/contexts/%2Etb/subjects/secret/versions',
      '/contexts/tb/%73ubjects/secret/versions',
      '/subjects/plain/versions',
      '/%73ubjects/plain/versions',
    ]) {
      const r = await call('GET', path, undefined, bearer('ta'));
      expect([403, 404], path).toContain(r.status);
      expect(JSON.stringify(r.body), path).not.toContain('"a"');
    }
    // Its own context, spelled every way, works.
    for (const path of [
      '/subjects/:.ta:orders/versions',
      '/subjects/%3A.ta%3Aorders/versions',
      '/contexts/.ta/subjects/orders/versions',
      '/contexts/ta/subjects/orders/versions/',
    ]) {
      expect((await call('GET', path, undefined, bearer('ta'))).body, path).toEqual([1]);
    }
  });
});

describe('2. one parser for every flag', () => {
  it.each(['TRUE', 'True', 'true'])('permanent=%s needs the admin role', async (value) => {
    await seed();
    expect((await call('DELETE', '/subjects/plain', undefined, bearer('wr'))).status).toBe(200);
    const r = await call('DELETE', `/subjects/plain?permanent=${value}`, undefined, bearer('wr'));
    expect(r.status).toBe(403);
    expect((await call('GET', '/subjects/plain/versions?deleted=true', undefined, bearer('adm'))).body).toEqual([1]);
  });

  it('permanent=1 is not "true" (as in Confluent): a soft delete that a writer may do', async () => {
    await seed();
    expect((await call('DELETE', '/subjects/plain?permanent=1', undefined, bearer('wr'))).body).toEqual([1]);
    expect((await call('GET', '/subjects/plain/versions?deleted=true', undefined, bearer('adm'))).body).toEqual([1]);
  });
});

describe('7. parameters are decoded once, strictly', () => {
  it.each([
    '/schemas/ids/1?subject=%3A.tb%3A%FF',
    '/schemas/ids/1/subjects?subject=%3A.tb%3A%FF',
    '/schemas/ids/1/versions?subject=%3A.tb%3A%FF',
    '/contexts/.ta/schemas/ids/1?subject=%3A.tb%3A%FF',
    '/schemas/ids/1?subject=%E0%A4%A',
  ])('%s is a 400, not a read of another context', async (path) => {
    await seed();
    const r = await call('GET', path, undefined, bearer('ta'));
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe(400);
  });

  it('ids resolve only through subjects the caller may read; others answer as missing ids', async () => {
    await seed();
    for (const path of ['/schemas/ids/1', '/schemas/ids/1?subject=:.tb:', '/schemas/ids/1/subjects?subject=:.tb:x', '/schemas/ids/1/versions']) {
      const r = await call('GET', path, undefined, bearer('ta'));
      expect(r.status, path).toBe(404);
      expect(r.body.error_code).toBe(40403);
    }
    const missing = await call('GET', '/schemas/ids/99?subject=:.ta:', undefined, bearer('ta'));
    const hidden = await call('GET', '/schemas/ids/1?subject=:.tb:', undefined, bearer('ta'));
    expect(hidden.body).toEqual({ ...missing.body, message: missing.body.message.replace('99', '1') });
    const v = await call('POST', '/v1/validate/ids/1?subject=:.tb:', {}, bearer('ta'));
    expect(v.status).toBe(404);
    expect((await call('GET', '/schemas/ids/1?subject=:.ta:', undefined, bearer('ta'))).status).toBe(200);
  });

  it('a path segment that is not UTF-8 is a 400 and registers nothing', async () => {
    const r = await call('POST', '/subjects/%ED%A0%80/versions', { schema: avro() }, bearer('adm'));
    expect(r.status).toBe(400);
    expect((await call('GET', '/subjects', undefined, bearer('adm'))).body).toEqual([]);
  });
});

describe('8. contexts, subjects and versions are bounded', () => {
  const bounded = fetchWith({ AUTH_TOKENS: tokens, MAX_CONTEXTS: '2', MAX_SUBJECTS_PER_CONTEXT: '2', MAX_VERSIONS_PER_SUBJECT: '2' });

  it('refuses a context, subject or version past its bound with 42224', async () => {
    for (const ctx of ['.c1', '.c2'])
      expect((await bounded('POST', `/subjects/:${ctx}:s/versions`, { schema: avro() }, bearer('adm'))).status).toBe(200);
    const third = await bounded('POST', '/subjects/:.c3:s/versions', { schema: avro() }, bearer('adm'));
    expect(third.status).toBe(422);
    expect(third.body.error_code).toBe(42224);
    expect((await bounded('PUT', '/config/:.c4:s', { compatibility: 'NONE' }, bearer('adm'))).body.error_code).toBe(42224);

    expect((await bounded('POST', '/subjects/:.c1:t/versions', { schema: avro() }, bearer('adm'))).status).toBe(200);
    expect((await bounded('POST', '/subjects/:.c1:u/versions', { schema: avro() }, bearer('adm'))).body.error_code).toBe(42224);

    await bounded('PUT', '/config/:.c1:s', { compatibility: 'NONE' }, bearer('adm'));
    expect((await bounded('POST', '/subjects/:.c1:s/versions', { schema: avro('R2') }, bearer('adm'))).status).toBe(200);
    const over = await bounded('POST', '/subjects/:.c1:s/versions', { schema: avro('R3') }, bearer('adm'));
    expect(over.body.error_code).toBe(42224);
    expect(over.body.message).toContain('MAX_VERSIONS_PER_SUBJECT');
  });

  it('never starts a writer for a context that does not exist, except to create it', async () => {
    const before = (await listDurableObjectIds(env.WRITER)).length;
    for (const [method, path] of [
      ['DELETE', '/subjects/:.ghost:s'],
      ['DELETE', '/subjects/:.ghost:s/versions/1'],
      ['DELETE', '/config/:.ghost:s'],
      ['DELETE', '/mode/:.ghost:s'],
    ]) {
      const r = await call(method, path, undefined, bearer('adm'));
      expect(r.status, path).toBe(404);
      expect(r.body.error_code, path).toBe(40401);
    }
    expect((await listDurableObjectIds(env.WRITER)).length).toBe(before);
  });
});

describe('9. request bodies nest at most 64 deep', () => {
  it('answers 422, not 500, to metadata nested 5,000 deep', async () => {
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const body = `{"schema":${JSON.stringify(avro())},"metadata":${deep}}`;
    for (const path of ['/subjects/deep/versions', '/subjects/deep', '/compatibility/subjects/deep/versions']) {
      const r = await call('POST', path, body, bearer('adm'));
      expect(r.status, path).toBe(422);
      expect(r.body.error_code).toBe(42222);
    }
  });
});

describe('5. limits that charge writes only', () => {
  let charged = 0;
  const denying: RateLimit = {
    limit: () => {
      charged++;
      return Promise.resolve({ success: false });
    },
  };

  it('idempotent re-registers, lookups, checks and admin reads cost nothing; changes do', async () => {
    await seed();
    const limited = fetchWith({ AUTH_TOKENS: tokens, WRITE_LIMITER: denying });
    charged = 0;
    expect((await limited('POST', '/subjects/plain/versions', { schema: avro() }, bearer('wr'))).body).toEqual({ id: 1 });
    expect((await limited('POST', '/subjects/plain', { schema: avro() }, bearer('wr'))).status).toBe(200);
    expect((await limited('POST', '/compatibility/subjects/plain/versions', { schema: avro() }, bearer('wr'))).status).toBe(200);
    expect((await limited('GET', '/v1/admin/snapshot', undefined, bearer('adm'))).status).toBe(200);
    expect(charged).toBe(0);
    const r = await limited('POST', '/subjects/plain/versions', { schema: avro('Other') }, bearer('wr'));
    expect(r.status).toBe(429);
    expect(r.body.error_code).toBe(42901);
    expect(r.headers.get('retry-after')).toBe('10');
    expect(charged).toBe(1);
  });

  it('with auth off: one bucket per client IP whatever Authorization says, none without an IP (local)', async () => {
    const keys: string[] = [];
    const recording: RateLimit = {
      limit: ({ key }) => {
        keys.push(key);
        return Promise.resolve({ success: true });
      },
    };
    const open = fetchWith({ AUTH_MODE: 'none', WRITE_LIMITER: recording });
    for (let i = 0; i < 3; i++) {
      await open('POST', `/subjects/s${i}/versions`, { schema: avro() }, { 'cf-connecting-ip': '203.0.113.7', authorization: `Bearer made-up-${i}` });
    }
    await open('POST', '/subjects/local/versions', { schema: avro() });
    expect(keys).toEqual(['203.0.113.7', '203.0.113.7', '203.0.113.7']);
  });

  it('limits failed authentications per IP: past the limit the address is refused before credentials are checked', async () => {
    let failures = 0;
    const limited = fetchWith({
      AUTH_TOKENS: tokens,
      AUTH_FAIL_LIMITER: { limit: () => Promise.resolve({ success: ++failures <= 3 }) },
    });
    const ip = { 'cf-connecting-ip': '198.51.100.9' };
    for (let i = 0; i < 3; i++) expect((await limited('GET', '/subjects', undefined, { ...ip, ...bearer('wrong') })).status).toBe(401);
    const over = await limited('GET', '/subjects', undefined, { ...ip, ...bearer('wrong') });
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('60');
    // Even the right credential from that address waits (the isolate remembers the address).
    expect((await limited('GET', '/subjects', undefined, { ...ip, ...bearer('adm') })).status).toBe(429);
    expect((await limited('GET', '/subjects', undefined, { 'cf-connecting-ip': '198.51.100.10', ...bearer('adm') })).status).toBe(200);
  });
});

describe('6. secure by default', () => {
  const unconfigured = fetchWith({});

  it('answers 503 naming the missing secret, except GET / and GET /v1/health', async () => {
    expect((await unconfigured('GET', '/')).status).toBe(200);
    expect((await unconfigured('GET', '/v1/health')).body).toEqual({ status: 'ok' });
    for (const [method, path] of [
      ['GET', '/subjects'],
      ['POST', '/subjects/x/versions'],
      ['GET', '/v1/admin/snapshot'],
      ['GET', '/no/such/path'],
    ]) {
      const r = await unconfigured(method, path, method === 'POST' ? { schema: avro() } : undefined);
      expect(r.status, path).toBe(503);
      expect(r.body.error_code).toBe(50302);
      expect(r.body.message).toContain('REGISTRY_ADMIN_KEY');
    }
  });

  it('AUTH_TOKENS that cannot be read whole are refused loudly (500), never half-understood', async () => {
    const many = Array.from({ length: 65 }, (_, i) => `big:reader@./p${i}-`).join(',');
    for (const spec of ['rd:reader,oops', 'rd:reader,x:root', many]) {
      const r = await fetchWith({ AUTH_TOKENS: spec })('GET', '/subjects', undefined, bearer('rd'));
      expect(r.status, spec.slice(0, 40)).toBe(500);
      expect(r.body.error_code, spec.slice(0, 40)).toBe(500);
    }
    // 64 grants, the most any credential holds, are read.
    const most = Array.from({ length: 64 }, (_, i) => `big:reader@./p${i}-`).join(',');
    expect((await fetchWith({ AUTH_TOKENS: most })('GET', '/subjects', undefined, bearer('big'))).status).toBe(200);
  });

  it('the bootstrap admin works as Basic key:secret and Bearer key:secret; a wrong secret is a 401', async () => {
    const boot = fetchWith({ REGISTRY_ADMIN_KEY: 'root', REGISTRY_ADMIN_SECRET: 's3cret-value' });
    expect((await boot('GET', '/subjects', undefined, basic('root', 's3cret-value'))).status).toBe(200);
    expect((await boot('GET', '/subjects', undefined, bearer('root:s3cret-value'))).status).toBe(200);
    expect((await boot('GET', '/subjects', undefined, basic('root', 's3cret-valuX'))).status).toBe(401);
    expect((await boot('GET', '/subjects', undefined, basic('root', ''))).status).toBe(401);
  });

  it('sends security headers on every answer and no CORS unless origins are listed', async () => {
    const r = await call('GET', '/subjects', undefined, { ...bearer('rd'), origin: 'https://evil.example' });
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    const withCors = fetchWith({ AUTH_TOKENS: tokens, CORS_ORIGINS: 'https://console.example' });
    const ok = await withCors('GET', '/subjects', undefined, { ...bearer('rd'), origin: 'https://console.example' });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://console.example');
    const other = await withCors('GET', '/subjects', undefined, { ...bearer('rd'), origin: 'https://evil.example' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
