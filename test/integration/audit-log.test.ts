/** The audit log: writes in their own batch, admin reads and refusals after; hash-chained (docs/security.md#audit). */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { verifyAudit, type VerifiedRow } from '../../src/storage/audit';
import { basic, bearer, fetchWith } from './with-env';

const call = fetchWith({ AUTH_TOKENS: 'rd:reader,wr:writer', REGISTRY_ADMIN_KEY: 'root', REGISTRY_ADMIN_SECRET: 'bootstrap-secret' });
const ROOT = basic('root', 'bootstrap-secret');
const avro = (n = 'R') => JSON.stringify({ type: 'record', name: n, fields: [{ name: 'a', type: 'string' }] });

async function rows() {
  // Refusals and admin reads are appended after the answer (waitUntil): fetchWith waits for them.
  const r = await call('GET', '/v1/admin/audit?limit=1000', undefined, ROOT);
  expect(r.status).toBe(200);
  return r.body.rows as Record<string, unknown>[];
}

describe('audit log', () => {
  it('records writes, failed writes, refusals and admin actions, with principal, target, result, IP and request id', async () => {
    const ip = { 'cf-connecting-ip': '192.0.2.4', 'x-request-id': 'req-42' };
    expect((await call('POST', '/subjects/orders/versions', { schema: avro() }, { ...bearer('wr'), ...ip })).status).toBe(200);
    await call('PUT', '/config/orders', { compatibility: 'BACKWARD' }, ROOT);
    expect((await call('POST', '/subjects/orders/versions', { schema: avro('Other') }, bearer('wr'))).status).toBe(409);
    expect((await call('DELETE', '/subjects/orders', undefined, bearer('rd'))).status).toBe(403);
    expect((await call('GET', '/subjects', undefined, bearer('wrong'))).status).toBe(401);
    const key = await call('POST', '/v1/admin/keys', { name: 'k', grants: [{ role: 'reader' }] }, ROOT);

    const log = await rows();
    const find = (action: string, result?: string) => log.find((r) => String(r.action).startsWith(action) && (!result || r.result === result));
    expect(find('register', 'ok')).toMatchObject({
      stream: '.',
      principal: expect.stringMatching(/^token:[0-9a-f]{12}$/),
      target: 'orders',
      clientIp: '192.0.2.4',
      requestId: 'req-42',
    });
    expect(find('set-config', 'ok')).toMatchObject({ principal: 'bootstrap:root', target: 'orders' });
    expect(find('register', 'error 40901')).toBeDefined();
    expect(find('DELETE /subjects/:subject', 'refused 40301')).toMatchObject({ stream: '*', target: 'subject orders' });
    expect(find('GET /subjects', 'refused 40101')).toMatchObject({ principal: 'unauthenticated' });
    expect(find('create-key', 'ok')).toMatchObject({ target: 'k' });
    // Never a secret: not the key's, not the bootstrap's, not a token.
    const text = JSON.stringify(log);
    for (const secret of [key.body.secret, 'bootstrap-secret', '"wr"', 'wrong']) expect(text).not.toContain(secret);
  });

  it('chains rows by hash: verify is ok, and reports the first edited or removed row', async () => {
    await call('POST', '/subjects/a/versions', { schema: avro() }, bearer('wr'));
    await call('POST', '/subjects/b/versions', { schema: avro() }, bearer('wr'));
    await call('POST', '/subjects/c/versions', { schema: avro() }, bearer('wr'));
    await rows(); // an audited admin read too
    const ok = await call('GET', '/v1/admin/audit/verify', undefined, ROOT);
    expect(ok.body.ok).toBe(true);
    expect(ok.body.rows).toBeGreaterThanOrEqual(4);

    const second = await env.DB.prepare("SELECT id FROM audit_log WHERE stream = '.' AND seq = 2").first<{ id: number }>();
    await env.DB.prepare("UPDATE audit_log SET target = 'z' WHERE id = ?1").bind(second!.id).run();
    const edited = await call('GET', '/v1/admin/audit/verify', undefined, ROOT);
    expect(edited.body).toMatchObject({ ok: false, firstBad: { id: second!.id, stream: '.', seq: 2 } });
    expect(edited.body.firstBad.reason).toContain('edited');

    await env.DB.prepare('DELETE FROM audit_log WHERE id = ?1').bind(second!.id).run();
    const removed = await call('GET', '/v1/admin/audit/verify', undefined, ROOT);
    expect(removed.body).toMatchObject({ ok: false, firstBad: { stream: '.', seq: 3 } });
    expect(removed.body.firstBad.reason).toContain('missing');
  });

  it('verifies a bounded slice at a time: `next` goes on where it stopped, and a bad row is found by the slice that reaches it', async () => {
    for (const s of ['v1', 'v2', 'v3']) await call('POST', `/subjects/${s}/versions`, { schema: avro(s) }, bearer('wr'));
    await call('POST', '/v1/admin/keys', { name: 'k', grants: [{ role: 'reader' }] }, ROOT);
    const whole = await verifyAudit(env.DB);
    expect(whole).toEqual({ ok: true, rows: expect.any(Number) });
    expect(whole.rows).toBe(4);
    // Slices of two, each going on from the last row of the one before: every row once, the last slice without `next`.
    const walk = async () => {
      const slices: { ok: boolean; rows: number; firstBad?: unknown }[] = [];
      let from: VerifiedRow | undefined;
      do {
        const slice = await verifyAudit(env.DB, { limit: 2, ...(from ? { from } : {}) });
        slices.push(slice);
        if (!slice.ok) break;
        from = slice.next;
      } while (from);
      return slices;
    };
    const slices = await walk();
    expect(slices.map((x) => x.rows).reduce((a, b) => a + b)).toBe(whole.rows);
    expect(slices.slice(0, -1).every((x) => x.rows === 2)).toBe(true);
    // An edited row in the stream '.' (after the '*' stream): the slice that reaches it reports what a whole verification does.
    const third = await env.DB.prepare("SELECT id FROM audit_log WHERE stream = '.' AND seq = 3").first<{ id: number }>();
    await env.DB.prepare("UPDATE audit_log SET target = 'z' WHERE id = ?1").bind(third!.id).run();
    const bad = (await verifyAudit(env.DB)).firstBad;
    expect(bad).toMatchObject({ id: third!.id, stream: '.', seq: 3 });
    const edited = await walk();
    expect(edited.at(-1)).toMatchObject({ ok: false, firstBad: bad });
    expect(edited.length).toBeGreaterThan(1);
    // A slice that starts from a hash the chain does not hold says so at the row after it.
    const second = await env.DB.prepare("SELECT seq FROM audit_log WHERE stream = '.' AND seq = 2").first<{ seq: number }>();
    const forged = await verifyAudit(env.DB, { from: { stream: '.', seq: second!.seq, hash: 'f'.repeat(64) } });
    expect(forged).toMatchObject({ ok: false, firstBad: { stream: '.', seq: 3, reason: expect.stringContaining('prev_hash') } });
  });

  it('over the API: `limit` and `after`, and 422 for either malformed', async () => {
    for (const s of ['w1', 'w2']) await call('POST', `/subjects/${s}/versions`, { schema: avro(s) }, bearer('wr'));
    const first = await call('GET', '/v1/admin/audit/verify?limit=1', undefined, ROOT);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ok: true, rows: 1, next: expect.stringMatching(/^1\.[0-9a-f]{64}\./) });
    const rest = await call('GET', `/v1/admin/audit/verify?after=${encodeURIComponent(first.body.next)}`, undefined, ROOT);
    expect(rest.status).toBe(200);
    // The second registration's row; the first call's own audit row went to the stream '*', which sorts before '.'
    // and so before the cursor: a walk verifies what the log held as it passed, the next walk the rest.
    expect(rest.body.ok).toBe(true);
    expect(rest.body.rows).toBe(1);
    expect(rest.body.next).toBeUndefined();
    for (const query of ['limit=0', 'limit=100001', 'limit=x', 'after=nope', `after=0.${'a'.repeat(64)}.x`, `after=1.${'A'.repeat(64)}.x`]) {
      const r = await call('GET', `/v1/admin/audit/verify?${query}`, undefined, ROOT);
      expect([query, r.status, r.body.error_code]).toEqual([query, 422, 422]);
    }
  });

  it('pages with after and limit', async () => {
    for (const s of ['p1', 'p2', 'p3']) await call('POST', `/subjects/${s}/versions`, { schema: avro() }, bearer('wr'));
    const first = await call('GET', '/v1/admin/audit?limit=2', undefined, ROOT);
    expect(first.body.rows).toHaveLength(2);
    const next = await call('GET', `/v1/admin/audit?after=${first.body.next}&limit=2`, undefined, ROOT);
    expect(next.body.rows[0].id).toBe(Number(first.body.rows[1].id) + 1);
    expect((await call('GET', '/v1/admin/audit?limit=0', undefined, ROOT)).status).toBe(422);
    expect((await call('GET', '/v1/admin/audit?after=-1', undefined, ROOT)).status).toBe(422);
  });
});
