/** Backups: snapshots of the whole store (on demand, by cron into R2) and restore into an empty database. */
import { applyD1Migrations } from 'cloudflare:test';
import { wipeAll } from './wipe';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { clearValidatorCaches } from '../../src/services/validators';
import { archiveNow, MAX_SNAPSHOT_BYTES, snapshotNow } from '../../src/services/admin';
import { snapshotSize } from '../../src/storage/snapshot';
import { ErrorCode, RegistryError } from '../../src/domain/errors';
import { call, get, post, put, register } from './client';
import { seedAssociations } from './association-seed';
import { observeDeks, seedDeks } from './dek-seed';

const rec = (name: string, extra: object[] = []) => JSON.stringify({ type: 'record', name, fields: [{ name: 'a', type: 'string' }, ...extra] });

async function seed() {
  const base = await register('base', JSON.stringify({ type: 'record', name: 'Base', namespace: 'ns', fields: [{ name: 'x', type: 'int' }] }));
  await register('user', JSON.stringify({ type: 'record', name: 'User', namespace: 'ns', fields: [{ name: 'b', type: 'Base' }] }), {
    references: [{ name: 'ns.Base', subject: 'base', version: 1 }],
  });
  await put('/config/user', { compatibility: 'FULL' });
  await put('/mode/base', { mode: 'READONLY' });
  await register('gone', rec('Gone'));
  await call('DELETE', '/subjects/gone');
  await register(':.tenant:orders', rec('Order'));
  // Associations (docs/associations.md) travel with the snapshot too.
  await seedAssociations();
  await seedDeks();
  return base;
}

/** Everything a client can observe, for before/after comparison. */
async function observe() {
  const paths = [
    '/subjects?deleted=true',
    '/schemas?deleted=true',
    '/contexts',
    '/config/user',
    '/mode/base',
    '/subjects/base/versions/1/referencedby',
    '/subjects/:.tenant:orders/versions/1',
    '/schemas/ids/1?subject=:.tenant:',
    '/associations/resources/lkc:orders',
  ];
  return { ...Object.fromEntries(await Promise.all(paths.map(async (p) => [p, (await get(p)).body]))), ...(await observeDeks()) };
}

describe('snapshots and restore', () => {
  it('restores a snapshot into an empty database, observably identical', async () => {
    await seed();
    const before = await observe();
    const snapshot = (await get('/v1/admin/snapshot')).body;
    expect(snapshot).toMatchObject({ format: 'llm-schema-registry-snapshot', version: 2 });
    expect(snapshot.tables.versions).toHaveLength(4);
    expect(snapshot.tables.keks).toHaveLength(3);
    expect(snapshot.tables.deks).toHaveLength(5);

    await wipeAll();
    await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
    clearValidatorCaches();
    expect((await get('/subjects')).body).toEqual([]);

    const restored = await post('/v1/admin/restore', snapshot);
    expect(restored.status).toBe(200);
    expect(restored.body.restored).toEqual({
      contexts: 2,
      schemas: 4,
      versions: 4,
      refs: 1,
      configs: 1,
      modes: 1,
      associations: 2,
      keks: 3,
      deks: 5,
    });
    expect(snapshot.tables.associations).toHaveLength(2);
    expect(await observe()).toEqual(before);
    // The id counter came back too: a new schema gets a new id, never a reused one.
    expect(await register('next', rec('Next'))).toBe(4);
  });

  it('restores a version 1 snapshot taken with associations but before KEKs and DEKs: no KEKs or DEKs', async () => {
    await seed();
    const before = await observe();
    const { keks, deks, ...older } = (await get('/v1/admin/snapshot')).body.tables;
    expect(keks).toHaveLength(3);
    expect(deks).toHaveLength(5);
    const v1 = { format: 'llm-schema-registry-snapshot', version: 1, takenAt: new Date().toISOString(), tables: older };

    await wipeAll();
    await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
    clearValidatorCaches();
    const restored = await post('/v1/admin/restore', v1);
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    expect(restored.body.restored).toEqual({
      contexts: 2,
      schemas: 4,
      versions: 4,
      refs: 1,
      configs: 1,
      modes: 1,
      associations: 2,
      keks: 0,
      deks: 0,
    });
    expect((await get('/associations/resources/lkc:orders')).body).toEqual(before['/associations/resources/lkc:orders']);
    expect((await get('/subjects?deleted=true')).body).toEqual(before['/subjects?deleted=true']);
    expect((await get('/dek-registry/v1/keks?deleted=true')).body).toEqual([]);
    expect((await get('/v1/admin/snapshot')).body.tables).toMatchObject({ keks: [], deks: [] });
  });

  it('refuses to restore over existing data, and rejects malformed snapshots', async () => {
    await seed();
    const snapshot = (await get('/v1/admin/snapshot')).body;
    const over = await post('/v1/admin/restore', snapshot);
    expect(over.status).toBe(422);
    expect(over.body.error_code).toBe(42205);
    for (const bad of [
      {},
      { format: 'llm-schema-registry-snapshot', version: 1, tables: { contexts: 'x' } },
      { ...snapshot, tables: { ...snapshot.tables, versions: [{ context: {} }] } },
      // Version 2 has every table: associations, keks and deks too (version 1, without them, restores them empty).
      { ...snapshot, tables: { ...snapshot.tables, associations: undefined } },
      { ...snapshot, tables: { ...snapshot.tables, keks: undefined } },
      { ...snapshot, tables: { ...snapshot.tables, deks: undefined } },
      { ...snapshot, tables: { ...snapshot.tables, associations: [...snapshot.tables.associations, snapshot.tables.associations[0]] } },
      { ...snapshot, tables: { ...snapshot.tables, keks: [...snapshot.tables.keks, snapshot.tables.keks[0]] } },
      { ...snapshot, tables: { ...snapshot.tables, deks: [{ ...snapshot.tables.deks[0], encrypted_key_material: null }] } },
    ]) {
      const r = await post('/v1/admin/restore', bad);
      expect(r.status).toBe(422);
      expect(r.body.error_code).toBe(422);
    }
    expect((await call('POST', '/v1/admin/restore', '{not json')).body.error_code).toBe(400);
  });

  it('archives a JSON snapshot to R2 on demand (the cron trigger writes NDJSON ones: snapshots-r2.test.ts)', async () => {
    await seed();
    const onDemand = await post('/v1/admin/snapshot', {});
    expect(onDemand.body.key).toMatch(/^snapshots\/.+\.json$/);
    expect(onDemand.body.rows).toBeGreaterThan(0);
    const listed = await env.ARCHIVE.list({ prefix: 'snapshots/' });
    expect(listed.objects.length).toBe(1);
    const stored = await (await env.ARCHIVE.get(listed.objects[0].key))!.json<{ tables: { versions: unknown[] } }>();
    expect(stored.tables.versions).toHaveLength(4);
  });
});

describe('a one-document snapshot is bounded by what a restore takes', () => {
  it('measures the registry in SQL first, and refuses (42224) one larger than the bound before reading a row', async () => {
    await seed();
    // A large schema: its text dominates the snapshot.
    await register('large', JSON.stringify({ type: 'record', name: 'L', doc: 'x'.repeat(200_000), fields: [] }));
    const size = await snapshotSize(env.DB);
    const whole = JSON.stringify((await snapshotNow(env.DB)).tables).length;
    // The estimate follows the document (it counts no JSON escaping, so it runs a little under).
    expect(size).toBeGreaterThan(whole * 0.9);
    expect(size).toBeLessThan(whole * 1.1);
    const refused = await snapshotNow(env.DB, size - 1).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RegistryError);
    expect((refused as RegistryError).code).toBe(ErrorCode.LIMIT_EXCEEDED);
    expect((refused as RegistryError).message).toContain('take one in R2 parts with POST /v1/admin/snapshots');
    expect(await archiveNow(env.DB, env.ARCHIVE, size - 1).catch((e: unknown) => (e as RegistryError).code)).toBe(ErrorCode.LIMIT_EXCEEDED);
    expect((await snapshotNow(env.DB, size)).tables.schemas.length).toBeGreaterThan(0);
    expect(MAX_SNAPSHOT_BYTES).toBe(30 * 1024 * 1024);
  });

  it('over the API, a registry of more than 30 MiB answers 422 / 42224 to both one-document snapshot routes', async () => {
    // 31 schemas of 1 MiB, straight into D1 (a client registers them the same way, one by one).
    const statements = Array.from({ length: 31 }, (_, i) =>
      env.DB.prepare('INSERT INTO schemas (context, id, guid, hash, schema_type, schema) VALUES (?1, ?2, ?3, ?4, ?5, ?6)').bind(
        '.',
        i + 1,
        crypto.randomUUID(),
        `h${i}`,
        'AVRO',
        `"${String(i % 10).repeat(1024 * 1024 - 2)}"`,
      ),
    );
    for (let i = 0; i < statements.length; i += 8) await env.DB.batch(statements.slice(i, i + 8));
    for (const method of ['GET', 'POST']) {
      const r = await call(method, '/v1/admin/snapshot');
      expect(r.status, method).toBe(422);
      expect(r.body.error_code).toBe(42224);
      expect(r.body.message).toContain('more than a one-document snapshot can restore (31457280)');
    }
  });
});

describe('restore of a snapshot that violates a constraint', () => {
  it('answers 422 naming the first offending row, and leaves the registry unchanged', async () => {
    const base = { format: 'llm-schema-registry-snapshot', version: 1, takenAt: new Date().toISOString() };
    const schema = {
      context: '.',
      id: 1,
      guid: 'g-1',
      hash: 'h1',
      schema_type: 'AVRO',
      schema: '"string"',
      refs: '[]',
      metadata: null,
      rule_set: null,
      created_at: 1,
    };
    const tables = {
      contexts: [{ context: '.', next_id: 3 }],
      schemas: [schema, { ...schema, guid: 'g-2', hash: 'h2' }],
      versions: [],
      refs: [],
      configs: [],
      modes: [],
    };
    const dup = await post('/v1/admin/restore', { ...base, tables });
    expect(dup.status).toBe(422);
    expect(dup.body.error_code).toBe(422);
    expect(dup.body.message).toContain('tables.schemas[1]: (context, id) = [".",1] appears twice');
    const missing = await post('/v1/admin/restore', { ...base, tables: { ...tables, schemas: [{ ...schema, guid: null }] } });
    expect(missing.body.message).toContain('tables.schemas[0]: guid is required');
    expect((await get('/subjects')).body).toEqual([]);
    expect((await get('/v1/admin/snapshot')).body.tables.schemas).toEqual([]);
    // Columns with a default may be left out. A version 1 snapshot taken before associations existed
    // has no associations, keks or deks: restored empty.
    const ok = await post('/v1/admin/restore', { ...base, tables: { ...tables, schemas: [{ ...schema, created_at: undefined }] } });
    expect(ok.status).toBe(200);
    expect(ok.body.restored).toEqual({ contexts: 1, schemas: 1, versions: 0, refs: 0, configs: 0, modes: 0, associations: 0, keks: 0, deks: 0 });
    expect((await get('/dek-registry/v1/keks?deleted=true')).body).toEqual([]);
  });
});
