/** Webhook subscriptions (docs/events.md#webhook-subscriptions): created, listed, read and deleted by an admin. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { verifyWebhook, webhookHeaders } from '../../src/domain/webhook-signature';
import { basic, fetchWith } from './with-env';

const ROOT = basic('root', 'bootstrap-secret');
const call = fetchWith({ REGISTRY_ADMIN_KEY: 'root', REGISTRY_ADMIN_SECRET: 'bootstrap-secret' });

async function create(body: unknown) {
  const r = await call('POST', '/v1/admin/webhooks', body, ROOT);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; url: string; secret: string; createdAt: string };
}

describe('webhook subscriptions', () => {
  it('creates one with filters: the secret once (Standard Webhooks), then never again', async () => {
    const w = await create({
      url: 'https://hooks.example/registry?src=lsr',
      context: '.orders',
      subjectPrefix: 'payments-',
      types: ['register', 'delete-subject'],
    });
    expect(w).toMatchObject({
      url: 'https://hooks.example/registry?src=lsr',
      context: '.orders',
      subjectPrefix: 'payments-',
      types: ['register', 'delete-subject'],
    });
    expect(w.id).toMatch(/^wh_[0-9a-f]{24}$/);
    expect(w.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    // The secret signs and verifies as the specification says.
    const body = JSON.stringify({ type: 'register' });
    const headers = await webhookHeaders(w.secret, 'evt_1', 1_700_000_000, body);
    expect(await verifyWebhook(w.secret, headers, body, 1_700_000_000)).toBe(true);

    const all = await create({ url: 'http://127.0.0.1:8787/hook' });
    const { secret: _s, ...shown } = w;
    const list = await call('GET', '/v1/admin/webhooks', undefined, ROOT);
    expect(list.body).toEqual([shown, { id: all.id, url: all.url, createdAt: all.createdAt }]);
    expect((await call('GET', `/v1/admin/webhooks/${w.id}`, undefined, ROOT)).body).toEqual(shown);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
    // Audited without the receiver's path or query (they may carry a token of the receiver's).
    const audit = await env.DB.prepare(`SELECT action, target FROM audit_log WHERE action = 'create-webhook' ORDER BY id`).all();
    expect(audit.results).toEqual([
      { action: 'create-webhook', target: 'https://hooks.example' },
      { action: 'create-webhook', target: 'http://127.0.0.1:8787' },
    ]);
  });

  it('deletes one; an unknown or malformed id is 404', async () => {
    const w = await create({ url: 'https://hooks.example/a' });
    const gone = await call('DELETE', `/v1/admin/webhooks/${w.id}`, undefined, ROOT);
    expect(gone.status).toBe(200);
    expect(gone.body).toMatchObject({ id: w.id, url: w.url });
    expect(gone.body).not.toHaveProperty('secret');
    for (const [method, id] of [
      ['DELETE', w.id],
      ['GET', w.id],
      ['GET', 'nope'],
      ['DELETE', 'wh_../x'],
    ]) {
      const r = await call(method, `/v1/admin/webhooks/${id}`, undefined, ROOT);
      expect(r.status, `${method} ${id}`).toBe(404);
      expect(r.body.error_code).toBe(404);
    }
    expect((await call('GET', '/v1/admin/webhooks', undefined, ROOT)).body).toEqual([]);
  });

  it('refuses what cannot be delivered or filtered: 422', async () => {
    for (const body of [
      {},
      { url: 'ftp://hooks.example/a' },
      { url: 'http://hooks.example/a' }, // plain http only to this machine
      { url: 'https://user:pass@hooks.example/a' },
      { url: 'not a url' },
      { url: `https://hooks.example/${'a'.repeat(2048)}` },
      { url: 'https://hooks.example/a', context: 'orders' },
      { url: 'https://hooks.example/a', subjectPrefix: '' },
      { url: 'https://hooks.example/a', types: [] },
      { url: 'https://hooks.example/a', types: ['registered'] },
      { url: 'https://hooks.example/a', types: ['register', 'register'] },
      { url: 'https://hooks.example/a', secret: 'whsec_mine' },
    ]) {
      const r = await call('POST', '/v1/admin/webhooks', body, ROOT);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.body.error_code).toBe(422);
    }
  });

  it('is for registry-wide admins only', async () => {
    const key = (await call('POST', '/v1/admin/keys', { name: 'ctx-admin', grants: ['admin@.orders'] }, ROOT)).body;
    const ctxAdmin = basic(key.key, key.secret);
    expect((await call('POST', '/v1/admin/webhooks', { url: 'https://hooks.example/a' }, ctxAdmin)).status).toBe(403);
    expect((await call('GET', '/v1/admin/webhooks', undefined, ctxAdmin)).status).toBe(403);
    expect((await call('GET', '/v1/admin/webhooks')).status).toBe(401);
  });
});
