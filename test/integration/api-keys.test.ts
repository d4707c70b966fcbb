/** Managed API keys: created, listed, used, rotated, revoked and expired at run time (docs/security.md). */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { basic, bearer, fetchWith } from './with-env';

const ROOT = basic('root', 'bootstrap-secret');
const vars = { REGISTRY_ADMIN_KEY: 'root', REGISTRY_ADMIN_SECRET: 'bootstrap-secret' };
const call = fetchWith(vars);
const avro = JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'string' }] });

async function createKey(body: Record<string, unknown>) {
  const r = await call('POST', '/v1/admin/keys', body, ROOT);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { key: string; secret: string; name: string; grants: unknown[]; createdAt: string; expiresAt?: string };
}

describe('managed API keys', () => {
  it('shows the secret once, stores only its hash, and lists keys without secrets', async () => {
    const k = await createKey({ name: 'ci', grants: [{ role: 'writer', context: '.orders', subjectPrefix: 'payments-' }] });
    expect(k.key).toMatch(/^lsr_[0-9a-f]{24}$/);
    expect(k.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(k).toMatchObject({ name: 'ci', grants: [{ role: 'writer', context: '.orders', subjectPrefix: 'payments-' }] });
    const stored = await env.DB.prepare('SELECT * FROM api_keys').all();
    expect(JSON.stringify(stored.results)).not.toContain(k.secret);
    const list = await call('GET', '/v1/admin/keys', undefined, ROOT);
    expect(list.body).toEqual([{ key: k.key, name: 'ci', grants: k.grants, createdAt: k.createdAt }]);
    expect((await call('GET', `/v1/admin/keys/${k.key}`, undefined, ROOT)).body).toEqual(list.body[0]);
    expect(JSON.stringify(list.body)).not.toContain(k.secret);
  });

  it('lists keys a page at a time, oldest first; a limit or offset out of range is 422, never a storage error', async () => {
    const made = [];
    for (const name of ['a', 'b', 'c']) made.push((await createKey({ name, grants: ['reader'] })).key);
    const keys = async (query: string) => (await call('GET', `/v1/admin/keys${query}`, undefined, ROOT)).body as { key: string }[];
    // Oldest first, then by key (the three are made within a second or two).
    const all = (await keys('')).map((k) => k.key);
    expect([...all].sort()).toEqual([...made].sort());
    expect((await keys('?offset=1&limit=1')).map((k) => k.key)).toEqual([all[1]]);
    expect(await keys('?offset=9007199254740991')).toEqual([]);
    for (const query of ['?limit=0', '?limit=1001', '?limit=x', '?offset=-1', '?offset=1.5', '?offset=100000000000000000000', '?offset=1e21']) {
      const r = await call('GET', `/v1/admin/keys${query}`, undefined, ROOT);
      expect([r.status, r.body.error_code], query).toEqual([422, 422]);
    }
  });

  it('works as Basic key:secret (Confluent clients) and Bearer key:secret, within its grants', async () => {
    const k = await createKey({ name: 'svc', grants: [{ role: 'writer', context: '.orders', subjectPrefix: 'payments-' }] });
    for (const auth of [basic(k.key, k.secret), bearer(`${k.key}:${k.secret}`)]) {
      expect((await call('POST', '/subjects/:.orders:payments-v/versions', { schema: avro }, auth)).status).toBe(200);
      expect((await call('POST', '/subjects/:.orders:refunds-v/versions', { schema: avro }, auth)).status).toBe(403);
      expect((await call('PUT', '/config/:.orders:payments-v', { compatibility: 'NONE' }, auth)).status).toBe(403);
      expect((await call('GET', '/v1/admin/keys', undefined, auth)).status).toBe(403);
    }
    expect((await call('GET', '/subjects', undefined, basic(k.key, k.secret))).body).toEqual([':.orders:payments-v']);
  });

  it('GET /v1/whoami answers the caller its own grants (the console shows what they allow)', async () => {
    const k = await createKey({ name: 'who', grants: [{ role: 'writer', context: '.orders', subjectPrefix: 'payments-' }, { role: 'reader' }] });
    const me = await call('GET', '/v1/whoami', undefined, basic(k.key, k.secret));
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ principal: `key:who (${k.key})`, authenticated: true, grants: k.grants });
    expect((await call('GET', '/v1/whoami', undefined, ROOT)).body).toEqual({
      principal: 'bootstrap:root',
      authenticated: true,
      grants: [{ role: 'admin' }],
    });
    expect((await call('GET', '/v1/whoami')).status).toBe(401);
    const off = await fetchWith({ AUTH_MODE: 'none' })('GET', '/v1/whoami');
    expect(off.body).toEqual({ principal: 'anonymous', authenticated: false, grants: [{ role: 'admin' }] });
  });

  it('reads Basic credentials as UTF-8 (RFC 7617): a secret that is not UTF-8 or not base64 is refused', async () => {
    const b64 = (bytes: number[]) => ({ authorization: `Basic ${btoa(String.fromCharCode(...bytes))}` });
    const utf8 = [...new TextEncoder().encode('root:clé-secrète')];
    const accented = fetchWith({ REGISTRY_ADMIN_KEY: 'root', REGISTRY_ADMIN_SECRET: 'clé-secrète' });
    expect((await accented('GET', '/v1/whoami', undefined, b64(utf8))).status).toBe(200);
    // The same secret sent as Latin-1 bytes (é as 0xE9): not UTF-8, so not the secret.
    const latin1 = Array.from('root:clé-secrète', (ch) => ch.charCodeAt(0));
    for (const refused of [b64(latin1), { authorization: 'Basic !!!not-base64' }]) {
      const r = await accented('GET', '/v1/whoami', undefined, refused);
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ error_code: 40101 });
    }
    // The bootstrap secret's hash is kept per isolate: another secret is hashed again, never confused with it.
    expect((await call('GET', '/v1/whoami', undefined, ROOT)).status).toBe(200);
    expect((await accented('GET', '/v1/whoami', undefined, ROOT)).status).toBe(401);
    expect((await accented('GET', '/v1/whoami', undefined, b64(utf8))).status).toBe(200);
  });

  it('answers a wrong secret and an unknown key alike: 401 with WWW-Authenticate', async () => {
    const k = await createKey({ name: 'x', grants: [{ role: 'reader' }] });
    const wrong = await call('GET', '/subjects', undefined, basic(k.key, `${k.secret.slice(0, -1)}${k.secret.endsWith('A') ? 'B' : 'A'}`));
    const unknown = await call('GET', '/subjects', undefined, basic('lsr_0123456789abcdef01234567', k.secret));
    for (const r of [wrong, unknown]) {
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Basic realm="llm-schema-registry", charset="UTF-8"');
    }
    expect(wrong.body).toEqual(unknown.body);
    // A browser app asks without a Basic challenge (no login dialog).
    expect((await call('GET', '/subjects', undefined, { ...bearer('nope'), 'x-requested-with': 'fetch' })).headers.get('www-authenticate')).toMatch(
      /^Bearer/,
    );
  });

  it('rotates: the new secret works at once, the old one only for the grace period', async () => {
    const k = await createKey({ name: 'rot', grants: [{ role: 'reader' }] });
    const r = await call('POST', `/v1/admin/keys/${k.key}/rotate`, { graceSeconds: 60 }, ROOT);
    expect(r.status).toBe(200);
    expect(r.body.secret).not.toBe(k.secret);
    expect(r.body.rotatedAt).toBeDefined();
    expect((await call('GET', '/subjects', undefined, basic(k.key, r.body.secret))).status).toBe(200);
    expect((await call('GET', '/subjects', undefined, basic(k.key, k.secret))).status).toBe(200);
    const again = await call('POST', `/v1/admin/keys/${k.key}/rotate`, undefined, ROOT);
    expect((await call('GET', '/subjects', undefined, basic(k.key, r.body.secret))).status).toBe(401); // grace 0
    expect((await call('GET', '/subjects', undefined, basic(k.key, k.secret))).status).toBe(401);
    expect((await call('GET', '/subjects', undefined, basic(k.key, again.body.secret))).status).toBe(200);
  });

  it('revokes at once in this isolate, and in every other within KEY_CACHE_SECONDS', async () => {
    const k = await createKey({ name: 'rev', grants: [{ role: 'reader' }] });
    expect((await call('GET', '/subjects', undefined, basic(k.key, k.secret))).status).toBe(200);
    const r = await call('DELETE', `/v1/admin/keys/${k.key}`, undefined, ROOT);
    expect(r.body.revokedAt).toBeDefined();
    expect((await call('GET', '/subjects', undefined, basic(k.key, k.secret))).status).toBe(401);

    // Another isolate: the revocation lands in D1 while this isolate's cache still holds the key.
    const fast = fetchWith({ ...vars, KEY_CACHE_SECONDS: '1' });
    const k2 = await createKey({ name: 'rev2', grants: [{ role: 'reader' }] });
    expect((await fast('GET', '/subjects', undefined, basic(k2.key, k2.secret))).status).toBe(200);
    await env.DB.prepare('UPDATE api_keys SET revoked_at = unixepoch() WHERE key = ?1').bind(k2.key).run();
    expect((await fast('GET', '/subjects', undefined, basic(k2.key, k2.secret))).status).toBe(200); // cached
    await scheduler.wait(1100);
    expect((await fast('GET', '/subjects', undefined, basic(k2.key, k2.secret))).status).toBe(401);
  });

  it('refuses an expired key, an expiry in the past, bad grants and unknown keys', async () => {
    const k = await createKey({ name: 'exp', grants: [{ role: 'reader' }], expiresAt: new Date(Date.now() + 60_000).toISOString() });
    expect((await call('GET', '/subjects', undefined, basic(k.key, k.secret))).status).toBe(200);
    await env.DB.prepare('UPDATE api_keys SET expires_at = unixepoch() - 1 WHERE key = ?1').bind(k.key).run();
    const fresh = fetchWith({ ...vars, KEY_CACHE_SECONDS: '0' });
    expect((await fresh('GET', '/subjects', undefined, basic(k.key, k.secret))).status).toBe(401);

    for (const body of [
      { name: 'p', grants: [{ role: 'reader' }], expiresAt: '2001-01-01T00:00:00Z' },
      { name: 'g', grants: [{ role: 'owner' }] },
      { name: 'g', grants: [] },
      { name: 'c', grants: [{ role: 'reader', context: 'no-dot' }] },
      { name: 'u', grants: [{ role: 'reader' }], extra: 1 },
    ]) {
      const r = await call('POST', '/v1/admin/keys', body, ROOT);
      expect(r.status, JSON.stringify(body)).toBe(422);
    }
    for (const [method, path] of [
      ['GET', '/v1/admin/keys/lsr_0123456789abcdef01234567'],
      ['DELETE', '/v1/admin/keys/lsr_0123456789abcdef01234567'],
      ['POST', '/v1/admin/keys/lsr_0123456789abcdef01234567/rotate'],
      ['GET', '/v1/admin/keys/not-a-key'],
    ]) {
      expect((await call(method, path, undefined, ROOT)).status, path).toBe(404);
    }
  });
});
