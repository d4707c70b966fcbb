/**
 * The registry generation (docs/operations.md#generation): every cached immutable read carries it,
 * and a restore advances it in its own batch. Without it, a restore that hands an id out again
 * would meet KV (30 days), the Cache API and the isolate caches still holding the old document.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, get, post, register } from './client';

const TABLES = ['contexts', 'schemas', 'versions', 'refs', 'configs', 'modes', 'registry_meta'];

/** Delete every registry row from D1 alone: KV and the Cache API keep what they hold. */
async function wipeD1() {
  await env.DB.batch(TABLES.map((t) => env.DB.prepare(`DELETE FROM ${t}`)));
}

const A = { type: 'object', properties: { alpha: { type: 'string' } }, required: ['alpha'] };
const B = { type: 'object', properties: { bravo: { type: 'integer' } }, required: ['bravo'] };
const schemaType = { schemaType: 'JSON' };

/** Read id 1 every way a client can, so every cache layer holds it. */
async function readAll(guid: string) {
  const byId = await get('/schemas/ids/1');
  const byGuid = await get(`/schemas/guids/${guid}`);
  const validById = await post('/v1/validate/ids/1', { alpha: 'x' });
  const validBySubject = await post('/v1/validate/subjects/orders/versions/1', { alpha: 'x' });
  return { byId, byGuid, validById, validBySubject };
}

/** Wait until KV holds the document of id 1 (fills run in waitUntil). */
async function kvHolds(text: string) {
  for (let i = 0; i < 200; i++) {
    const { keys } = await env.SCHEMA_KV.list({ prefix: 'v2/' });
    const values = await Promise.all(keys.map((k) => env.SCHEMA_KV.get(k.name)));
    if (values.some((v) => v?.includes(text))) return true;
    await scheduler.wait(10);
  }
  return false;
}

describe('registry generation', { timeout: 60_000 }, () => {
  it('a restore that hands id 1 out again never answers the old schema from any cache', async () => {
    // The snapshot to restore later: id 1 is B.
    expect(await register('orders', JSON.stringify(B), schemaType)).toBe(1);
    const snapshotB = (await get('/v1/admin/snapshot')).body;
    const guidB = snapshotB.tables.schemas[0].guid as string;
    await wipeD1();

    // The registry as it was: id 1 is A, read every way (Cache API, KV, validators, visibility).
    expect(await register('orders', JSON.stringify(A), schemaType)).toBe(1);
    const guidA = (await get('/schemas/ids/1')).body.guid as string;
    const before = await readAll(guidA);
    expect(JSON.parse(before.byId.body.schema)).toEqual(A);
    expect(before.validById.body.valid).toBe(true);
    expect(before.validBySubject.body.valid).toBe(true);
    expect(await kvHolds('alpha')).toBe(true);

    // The database is lost and restored from the snapshot where id 1 is B.
    await wipeD1();
    const restored = await post('/v1/admin/restore', snapshotB);
    expect(restored.status).toBe(200);
    const { generation } = (await get('/v1/admin/generation')).body;
    expect(generation).toBeGreaterThan(0);

    for (let round = 0; round < 2; round++) {
      const byId = await get('/schemas/ids/1');
      expect(byId.status).toBe(200);
      expect(JSON.parse(byId.body.schema)).toEqual(B);
      expect((await get(`/schemas/guids/${guidB}`)).status).toBe(200);
      expect((await get(`/schemas/guids/${guidA}`)).status).toBe(404);
      const byIdValidation = await post('/v1/validate/ids/1', { alpha: 'x' });
      expect(byIdValidation.body.valid).toBe(false);
      for (const [path, doc, valid] of [
        ['/v1/validate/ids/1', { bravo: 1 }, true],
        ['/v1/validate/subjects/orders/versions/1', { bravo: 1 }, true],
        ['/v1/validate/subjects/orders/versions/1', { alpha: 'x' }, false],
      ] as const) {
        const r = await post(path, doc);
        expect(r.body.valid, `${path} ${JSON.stringify(doc)}: ${JSON.stringify(r.body)}`).toBe(valid);
      }
    }
    // The old entries are still in KV, under the old generation: unreachable, not deleted.
    expect(await kvHolds('alpha')).toBe(true);
  });

  it('POST /v1/admin/generation after a restore behind the API (D1 Time Travel) stops stale answers', async () => {
    expect(await register('orders', JSON.stringify(A), schemaType)).toBe(1);
    await readAll((await get('/schemas/ids/1')).body.guid);
    expect(await kvHolds('alpha'), 'KV filled').toBe(true);

    // Time Travel (or any restore outside the API) takes D1 to a past where id 1 is B, and the
    // generation row back with it.
    await wipeD1();
    expect(await register('orders', JSON.stringify(B), schemaType)).toBe(1);

    const first = await post('/v1/admin/generation', {});
    expect(first.status).toBe(200);
    const second = await post('/v1/admin/generation', {});
    expect(second.body.generation).toBeGreaterThan(first.body.generation);
    expect(JSON.parse((await get('/schemas/ids/1')).body.schema)).toEqual(B);
    const v = await post('/v1/validate/ids/1', { bravo: 1 });
    expect(v.body, JSON.stringify(v.body)).toMatchObject({ valid: true });
    // Audited like every admin write.
    const audit = (await get('/v1/admin/audit?limit=1000')).body.rows as { action: string }[];
    expect(audit.filter((r) => r.action === 'advance-generation')).toHaveLength(2);
  });

  it('the generation never goes back: it is at least the time of the advance, in milliseconds', async () => {
    const t = Date.now();
    const { generation } = (await post('/v1/admin/generation', {})).body;
    expect(generation).toBeGreaterThanOrEqual(t);
    await wipeD1(); // a Time Travel to before any advance
    await scheduler.wait(2);
    expect((await get('/v1/admin/generation')).body.generation).toBe(0);
    expect((await post('/v1/admin/generation', {})).body.generation).toBeGreaterThan(generation);
    expect((await call('GET', '/v1/admin/generation')).status).toBe(200);
  });
});
