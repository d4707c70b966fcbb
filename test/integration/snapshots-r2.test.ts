/**
 * Snapshots in R2 that scale (docs/operations.md#back-up-and-restore): NDJSON parts with a
 * manifest, listed and taken through /v1/admin/snapshots, restored in bounded steps into an empty
 * registry (resumable, checksums first, writes refused while it runs, the generation advanced).
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { call, del, get, post, put, register } from './client';
import { seedAssociations } from './association-seed';
import { observeDeks, seedDeks } from './dek-seed';
import { freshRegistryKeepingR2 } from './fresh-registry';

const rec = (name: string) => JSON.stringify({ type: 'record', name, fields: [{ name: 'a', type: 'string' }] });

async function seed() {
  await register('base', JSON.stringify({ type: 'record', name: 'Base', namespace: 'ns', fields: [{ name: 'x', type: 'int' }] }));
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
    '/schemas/ids/2',
  ];
  return { ...Object.fromEntries(await Promise.all(paths.map(async (p) => [p, (await get(p)).body]))), ...(await observeDeks()) };
}

async function sha256(bytes: Uint8Array): Promise<string> {
  return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const ORDER = ['contexts', 'schemas', 'versions', 'refs', 'configs', 'modes', 'associations', 'keks', 'deks'] as const;
/** Manifest version 2 had no DEK registry tables, and until associations existed no `associations` either. */
const ORDER_V2 = ORDER.slice(0, 6);

/**
 * A hand-made snapshot in R2 (one part per table), with correct checksums unless told otherwise.
 * Version 3 has every table; version 2 the first six, and `associations` only when rows of it are given.
 */
async function putSnapshot(name: string, tables: Partial<Record<(typeof ORDER)[number], object[]>>, version = 3) {
  const manifest = {
    format: 'llm-schema-registry-snapshot',
    version,
    name,
    takenAt: new Date().toISOString(),
    finishedAt: new Date().toISOString(),
    generation: 0,
    quiescent: true,
    rows: 0,
    tables: {} as Record<string, unknown>,
  };
  const order = version === 2 ? [...ORDER_V2, ...(tables.associations ? (['associations'] as const) : [])] : ORDER;
  for (const t of order) {
    const rows = tables[t] ?? [];
    const bytes = new TextEncoder().encode(rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
    const file = `${t}-00000.ndjson`;
    await env.ARCHIVE.put(`snapshots/${name}/${file}`, bytes);
    manifest.tables[t] = { rows: rows.length, parts: [{ file, rows: rows.length, bytes: bytes.byteLength, sha256: await sha256(bytes) }] };
    manifest.rows += rows.length;
  }
  await env.ARCHIVE.put(`snapshots/${name}/manifest.json`, JSON.stringify(manifest));
}

const schemaRow = (id: number) => ({
  context: '.',
  id,
  guid: `00000000-0000-4000-8000-00000000000${id}`,
  hash: `h${id}`,
  schema_type: 'AVRO',
  schema: '"string"',
  refs: '[]',
  metadata: null,
  rule_set: null,
  created_at: 1,
});

async function restoreToEnd(name: string, maxSteps?: number) {
  const answers: number[] = [];
  for (let i = 0; i < 100; i++) {
    const r = await post(`/v1/admin/snapshots/${name}/restore`, maxSteps ? { maxSteps } : {});
    answers.push(r.status);
    if (r.status !== 202) return { last: r, answers };
  }
  throw new Error('restore never finished');
}

describe('snapshots in R2', () => {
  it('takes a snapshot as NDJSON parts with a manifest, lists it, and restores it into a fresh registry', async () => {
    await seed();
    const before = await observe();
    const taken = await post('/v1/admin/snapshots', {});
    expect(taken.status).toBe(201);
    expect(taken.body).toMatchObject({
      quiescent: true,
      tables: { contexts: 2, schemas: 4, versions: 4, refs: 1, configs: 1, modes: 1, associations: 2, keks: 3, deks: 5 },
    });
    const name: string = taken.body.name;

    const listed = await get('/v1/admin/snapshots');
    expect(listed.body.snapshots.map((s: { name: string }) => s.name)).toEqual([name]);
    const manifest = (await get(`/v1/admin/snapshots/${name}`)).body;
    expect(manifest).toMatchObject({ format: 'llm-schema-registry-snapshot', version: 3, name, rows: 23 });
    // Each part is NDJSON whose SHA-256 is the manifest's.
    const part = manifest.tables.versions.parts[0];
    const bytes = new Uint8Array(await (await env.ARCHIVE.get(`snapshots/${name}/${part.file}`))!.arrayBuffer());
    expect(await sha256(bytes)).toBe(part.sha256);
    const lines = new TextDecoder().decode(bytes).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).subject)).toEqual(['base', 'gone', 'user', 'orders']);
    const dekPart = manifest.tables.deks.parts[0];
    const dekLines = (await (await env.ARCHIVE.get(`snapshots/${name}/${dekPart.file}`))!.text()).trimEnd().split('\n');
    expect(dekLines.map((l) => JSON.parse(l))).toContainEqual(
      expect.objectContaining({ context: '.tenant', kek_name: 'kek-a', subject: 'pay', encrypted_key_material: 'AAAABA==' }),
    );
    expect((await get('/v1/admin/snapshots/nope')).status).toBe(404);

    const generationBefore = (await get('/v1/admin/generation')).body.generation;
    await freshRegistryKeepingR2();
    expect((await get('/subjects')).body).toEqual([]);
    const done = await post(`/v1/admin/snapshots/${name}/restore`, {});
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      state: 'done',
      snapshot: name,
      restored: { contexts: 2, schemas: 4, versions: 4, refs: 1, configs: 1, modes: 1, associations: 2, keks: 3, deks: 5 },
      rows: 23,
    });
    expect(done.body.generation).toBeGreaterThan(generationBefore);
    expect(await observe()).toEqual(before);
    expect(await register('next', rec('Next'))).toBe(4); // the id counter came back
    expect((await get('/v1/admin/restore')).body).toEqual({ state: 'idle' });
  });

  it('the cron trigger writes the same kind of snapshot', async () => {
    await seed();
    const ctx = createExecutionContext();
    worker.scheduled(createScheduledController({ cron: '17 3 * * *', scheduledTime: Date.now() }), env, ctx);
    await waitOnExecutionContext(ctx);
    const listed = (await get('/v1/admin/snapshots')).body.snapshots;
    expect(listed).toHaveLength(1);
    expect(listed[0].tables.versions).toBe(4);
  });

  it('an interrupted restore resumes where it stopped; writes are refused (503) until it completes', async () => {
    await seed();
    const before = await observe();
    const { name } = (await post('/v1/admin/snapshots', {})).body;
    await freshRegistryKeepingR2();

    const first = await post(`/v1/admin/snapshots/${name}/restore`, { maxSteps: 1 });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ state: 'running', phase: 'verify', table: 'schemas', part: 0 });
    // Verifying writes nothing; the registry is held all the same.
    const refused = await post('/subjects/x/versions', { schema: rec('X') });
    expect(refused.status).toBe(503);
    expect(refused.body.error_code).toBe(50303);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect((await put('/config', { compatibility: 'NONE' })).status).toBe(503);
    // Another snapshot cannot cut in, nor the JSON restore.
    expect((await post('/v1/admin/snapshots/other/restore', {})).body.error_code).toBe(42205);

    // Into the write phase, part-way: some tables in, others not.
    let r = first;
    while (r.body.phase === 'verify') r = await post(`/v1/admin/snapshots/${name}/restore`, { maxSteps: 1 });
    r = await post(`/v1/admin/snapshots/${name}/restore`, { maxSteps: 2 });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ phase: 'write', table: 'versions', restored: { contexts: 2, schemas: 4 } });
    const status = (await get('/v1/admin/restore')).body;
    expect(status).toMatchObject({ state: 'running', snapshot: name, phase: 'write', table: 2, part: 0, line: 0 });
    expect((await put('/config/user', { compatibility: 'NONE' })).status).toBe(503);
    expect((await post('/dek-registry/v1/keks', { name: 'kek-new', kmsType: 'local-kms', kmsKeyId: 'k' })).status).toBe(503);
    // Once the versions are in (the subject exists), an association write reaches the guard too.
    while (r.body.table === 'versions') r = await post(`/v1/admin/snapshots/${name}/restore`, { maxSteps: 1 });
    expect(r.body.restored).toMatchObject({ versions: 4 });
    const assocRefused = await post('/associations', {
      resourceName: 'pay',
      resourceNamespace: 'tenant',
      resourceId: 'lkc:pay',
      associations: [{ subject: 'base' }],
    });
    expect(assocRefused.status, JSON.stringify(assocRefused.body)).toBe(503);

    const { last, answers } = await restoreToEnd(name, 1);
    expect(answers.length).toBeGreaterThan(2);
    expect(last.status).toBe(200);
    expect(last.body.restored).toEqual({ contexts: 2, schemas: 4, versions: 4, refs: 1, configs: 1, modes: 1, associations: 2, keks: 3, deks: 5 });
    expect(await observe()).toEqual(before);
    expect((await post('/subjects/x/versions', { schema: rec('X') })).status).toBe(200);
  });

  it('refuses a non-empty registry, and a snapshot that is not there', async () => {
    await seed();
    const { name } = (await post('/v1/admin/snapshots', {})).body;
    const over = await post(`/v1/admin/snapshots/${name}/restore`, {});
    expect(over.status).toBe(422);
    expect(over.body.error_code).toBe(42205);
    expect(over.body.message).toContain('empty registry');
    expect((await post('/v1/admin/snapshots/missing/restore', {})).status).toBe(404);
    expect((await post('/v1/admin/snapshots/..%2F..%2Fx/restore', {})).status).toBe(404);
    expect((await get('/v1/admin/restore')).body).toEqual({ state: 'idle' });
  });

  it('verifies every checksum before it writes: a changed part is refused naming it, nothing written', async () => {
    await seed();
    const { name } = (await post('/v1/admin/snapshots', {})).body;
    await freshRegistryKeepingR2();
    // The last part in restore order (the DEKs) is changed: the earlier tables must not have been written either.
    const key = `snapshots/${name}/deks-00000.ndjson`;
    const text = await (await env.ARCHIVE.get(key))!.text();
    await env.ARCHIVE.put(key, text.replace('AAAABA==', 'AAAABB=='));
    const r = await post(`/v1/admin/snapshots/${name}/restore`, {});
    expect(r.status).toBe(422);
    expect(r.body.message).toMatch(/part deks-00000\.ndjson: its SHA-256 is [0-9a-f]{64}, the manifest says [0-9a-f]{64}; nothing was restored/);
    expect((await get('/v1/admin/snapshot')).body.tables).toEqual({
      contexts: [],
      schemas: [],
      versions: [],
      refs: [],
      configs: [],
      modes: [],
      associations: [],
      keks: [],
      deks: [],
    });
    expect((await get('/v1/admin/restore')).body).toEqual({ state: 'idle' });
    expect((await post('/subjects/x/versions', { schema: rec('X') })).status).toBe(200);

    // A missing part, and a row of the wrong shape, are refused the same way.
    await freshRegistryKeepingR2();
    await env.ARCHIVE.delete(`snapshots/${name}/refs-00000.ndjson`);
    expect((await post(`/v1/admin/snapshots/${name}/restore`, {})).body.message).toContain('part refs-00000.ndjson is missing');
    await putSnapshot('shape', { contexts: [{ context: '.', next_id: 2 }], schemas: [{ ...schemaRow(1), guid: null }] });
    const shape = await post('/v1/admin/snapshots/shape/restore', {});
    expect(shape.status).toBe(422);
    expect(shape.body.message).toContain('schemas-00000.ndjson line 1: guid is required');
  });

  it('a constraint violation answers 422 naming the first offending row and leaves the registry empty', async () => {
    await putSnapshot('dup', {
      contexts: [{ context: '.', next_id: 3 }],
      schemas: [schemaRow(1), { ...schemaRow(1), guid: '00000000-0000-4000-8000-000000000009', hash: 'h9' }],
    });
    const r = await post('/v1/admin/snapshots/dup/restore', {});
    expect(r.status).toBe(422);
    expect(r.body.error_code).toBe(422);
    expect(r.body.message).toBe('Invalid snapshot dup: schemas-00000.ndjson line 2: (context, id) = [".",1] appears twice; nothing was restored');
    // The contexts written before the failing chunk are gone again.
    expect((await get('/v1/admin/snapshot')).body.tables.contexts).toEqual([]);
    expect((await get('/v1/admin/restore')).body).toEqual({ state: 'idle' });
    expect(await register('after', rec('After'))).toBe(1);
  });

  it('a version 2 manifest (before KEKs and DEKs were snapshotted) restores, with no KEKs or DEKs', async () => {
    const dek = { context: '.', kek_name: 'k', subject: 's', algorithm: 'AES256_GCM', version: 1, encrypted_key_material: 'AAAAAQ==', ts: 5 };
    // A version 2 manifest naming no keks/deks; the DEK rows given are not written (not in its tables).
    await putSnapshot('old', { contexts: [{ context: '.', next_id: 2 }], schemas: [schemaRow(1)], deks: [dek] }, 2);
    const r = await post('/v1/admin/snapshots/old/restore', {});
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.restored).toEqual({ contexts: 1, schemas: 1, versions: 0, refs: 0, configs: 0, modes: 0 });
    expect((await get('/dek-registry/v1/keks?deleted=true')).body).toEqual([]);
    expect((await get('/v1/admin/snapshot')).body.tables.schemas).toHaveLength(1);
  });

  it('real version 2 manifests restore: with associations (taken before KEKs and DEKs), and without (taken before associations)', async () => {
    await seed();
    const before = await observe();
    const { name } = (await post('/v1/admin/snapshots', {})).body;
    const key = `snapshots/${name}/manifest.json`;
    const manifest = await (await env.ARCHIVE.get(key))!.json<{ version: number; rows: number; tables: Record<string, { rows: number }> }>();
    expect(manifest.version).toBe(3);
    // As a snapshot taken between associations and the DEK registry wrote it: version 2, no keks or deks.
    const { keks, deks, ...withAssociations } = manifest.tables;
    const rowsWith = manifest.rows - keks.rows - deks.rows;
    await env.ARCHIVE.put(key, JSON.stringify({ ...manifest, version: 2, rows: rowsWith, tables: withAssociations }));
    await freshRegistryKeepingR2();
    const r = await restoreToEnd(name, 1);
    expect(r.last.status, JSON.stringify(r.last.body)).toBe(200);
    expect(r.last.body).toMatchObject({ rows: 15, restored: { contexts: 2, schemas: 4, versions: 4, associations: 2 } });
    expect(r.last.body.restored).not.toHaveProperty('keks');
    expect((await get('/associations/resources/lkc:orders')).body).toEqual(before['/associations/resources/lkc:orders']);
    expect((await get('/subjects?deleted=true')).body).toEqual(before['/subjects?deleted=true']);
    expect((await get('/dek-registry/v1/keks?deleted=true')).body).toEqual([]);
    // The listing shows the tables it lacks as empty.
    expect((await get(`/v1/admin/snapshots/${name}`)).body.tables.deks).toEqual({ rows: 0, parts: [] });

    // As one taken before associations existed: version 2 with the first six tables only.
    const { associations, ...withoutAssociations } = withAssociations;
    await env.ARCHIVE.put(key, JSON.stringify({ ...manifest, version: 2, rows: rowsWith - associations.rows, tables: withoutAssociations }));
    await freshRegistryKeepingR2();
    const older = await post(`/v1/admin/snapshots/${name}/restore`, {});
    expect(older.status, JSON.stringify(older.body)).toBe(200);
    expect(older.body.restored).toEqual({ contexts: 2, schemas: 4, versions: 4, refs: 1, configs: 1, modes: 1 });
    expect((await get('/v1/admin/snapshot')).body.tables).toMatchObject({ associations: [], keks: [], deks: [] });
    expect((await get('/subjects?deleted=true')).body).toEqual(before['/subjects?deleted=true']);

    // Version 3 must hold every table.
    await freshRegistryKeepingR2();
    await env.ARCHIVE.put(key, JSON.stringify({ ...manifest, tables: withAssociations }));
    const v3 = await post(`/v1/admin/snapshots/${name}/restore`, {});
    expect(v3.status).toBe(422);
    expect(v3.body.message).toContain("the manifest's tables.keks is missing or malformed");
  });

  it('an association row breaking a unique key answers 422 naming it', async () => {
    const assoc = {
      guid: 'a-1',
      resource_name: 'orders',
      resource_namespace: 'tenant',
      resource_id: 'lkc:orders',
      resource_type: 'topic',
      association_type: 'value',
      context: '.',
      subject: 'orders-value',
      lifecycle: 'WEAK',
      create_ts: 5,
      update_ts: 5,
    };
    await putSnapshot('assocdup', { contexts: [{ context: '.', next_id: 1 }], associations: [assoc, { ...assoc, guid: 'a-2', subject: 'other' }] });
    const r = await post('/v1/admin/snapshots/assocdup/restore', {});
    expect(r.status).toBe(422);
    expect(r.body.message).toBe(
      'Invalid snapshot assocdup: associations-00000.ndjson line 2: (resource_id, resource_type, association_type) = ["lkc:orders","topic","value"] appears twice; nothing was restored',
    );
    expect((await get('/v1/admin/snapshot')).body.tables.contexts).toEqual([]);
    // frozen has a default.
    await putSnapshot('assocok', { contexts: [{ context: '.', next_id: 1 }], associations: [assoc] });
    const ok = await post('/v1/admin/snapshots/assocok/restore', {});
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect((await get('/v1/admin/snapshot')).body.tables.associations).toEqual([{ ...assoc, frozen: 0 }]);
  });

  it('a DEK row breaking its key answers 422 naming it; KEK defaults fill absent columns', async () => {
    const kek = { name: 'k', kms_type: 'local-kms', kms_key_id: 'x', ts: 5 };
    const dek = { context: '.', kek_name: 'k', subject: 's', algorithm: 'AES256_GCM', version: 1, encrypted_key_material: 'AAAAAQ==', ts: 5 };
    await putSnapshot('dekdup', {
      contexts: [{ context: '.', next_id: 1 }],
      keks: [kek],
      deks: [dek, { ...dek, encrypted_key_material: 'AAAAAg==' }],
    });
    const r = await post('/v1/admin/snapshots/dekdup/restore', {});
    expect(r.status).toBe(422);
    expect(r.body.message).toBe(
      'Invalid snapshot dekdup: deks-00000.ndjson line 2: (context, kek_name, subject, algorithm, version) = [".","k","s","AES256_GCM",1] appears twice; nothing was restored',
    );
    expect((await get('/v1/admin/snapshot')).body.tables.keks).toEqual([]);
    await putSnapshot('dekok', { contexts: [{ context: '.', next_id: 1 }], keks: [kek], deks: [dek] });
    expect((await post('/v1/admin/snapshots/dekok/restore', {})).status).toBe(200);
    expect((await get('/dek-registry/v1/keks/k')).body).toEqual({
      name: 'k',
      kmsType: 'local-kms',
      kmsKeyId: 'x',
      kmsProps: {},
      shared: false,
      ts: 5,
    });
    expect((await get('/dek-registry/v1/keks/k/deks/s')).body).toMatchObject({
      kekName: 'k',
      subject: 's',
      version: 1,
      encryptedKeyMaterial: 'AAAAAQ==',
    });
  });

  it('abandoning a restore removes what it wrote and accepts writes again', async () => {
    await seed();
    const { name } = (await post('/v1/admin/snapshots', {})).body;
    await freshRegistryKeepingR2();
    let r = await post(`/v1/admin/snapshots/${name}/restore`, { maxSteps: 1 });
    while (r.body.phase === 'verify' || r.body.table === 'contexts') r = await post(`/v1/admin/snapshots/${name}/restore`, { maxSteps: 1 });
    expect(r.body.restored.contexts).toBe(2);
    const abandoned = await del('/v1/admin/restore');
    expect(abandoned.body).toEqual({ abandoned: name });
    expect((await get('/v1/admin/snapshot')).body.tables.contexts).toEqual([]);
    expect(await register('fresh', rec('Fresh'))).toBe(1);
    expect((await del('/v1/admin/restore')).body).toEqual({ abandoned: null });
  });
});
