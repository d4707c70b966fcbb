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
  const assoc = await post('/associations', {
    resourceName: 'orders',
    resourceNamespace: 'tenant',
    resourceId: 'lkc:orders',
    associations: [
      { subject: 'user', associationType: 'key' },
      { associationType: 'value', lifecycle: 'STRONG', subject: ':.tenant:orders' },
    ],
  });
  if (assoc.status !== 200) throw new Error(JSON.stringify(assoc.body));
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
  return Object.fromEntries(await Promise.all(paths.map(async (p) => [p, (await get(p)).body])));
}

async function sha256(bytes: Uint8Array): Promise<string> {
  return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const ORDER = ['contexts', 'schemas', 'versions', 'refs', 'configs', 'modes'] as const;

/** A hand-made snapshot in R2 (one part per table), with correct checksums unless told otherwise. */
/** A manifest as written before associations existed (no `associations` table): it still restores. */
async function putSnapshot(name: string, tables: Partial<Record<(typeof ORDER)[number], object[]>>) {
  const manifest = {
    format: 'llm-schema-registry-snapshot',
    version: 2,
    name,
    takenAt: new Date().toISOString(),
    finishedAt: new Date().toISOString(),
    generation: 0,
    quiescent: true,
    rows: 0,
    tables: {} as Record<string, unknown>,
  };
  for (const t of ORDER) {
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
      tables: { contexts: 2, schemas: 4, versions: 4, refs: 1, configs: 1, modes: 1, associations: 2 },
    });
    const name: string = taken.body.name;

    const listed = await get('/v1/admin/snapshots');
    expect(listed.body.snapshots.map((s: { name: string }) => s.name)).toEqual([name]);
    const manifest = (await get(`/v1/admin/snapshots/${name}`)).body;
    expect(manifest).toMatchObject({ format: 'llm-schema-registry-snapshot', version: 2, name, rows: 15 });
    // Each part is NDJSON whose SHA-256 is the manifest's.
    const part = manifest.tables.versions.parts[0];
    const bytes = new Uint8Array(await (await env.ARCHIVE.get(`snapshots/${name}/${part.file}`))!.arrayBuffer());
    expect(await sha256(bytes)).toBe(part.sha256);
    const lines = new TextDecoder().decode(bytes).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).subject)).toEqual(['base', 'gone', 'user', 'orders']);
    expect((await get('/v1/admin/snapshots/nope')).status).toBe(404);

    const generationBefore = (await get('/v1/admin/generation')).body.generation;
    await freshRegistryKeepingR2();
    expect((await get('/subjects')).body).toEqual([]);
    const done = await post(`/v1/admin/snapshots/${name}/restore`, {});
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      state: 'done',
      snapshot: name,
      restored: { contexts: 2, schemas: 4, versions: 4, refs: 1, associations: 2 },
      rows: 15,
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

    const { last, answers } = await restoreToEnd(name, 1);
    expect(answers.length).toBeGreaterThan(2);
    expect(last.status).toBe(200);
    expect(last.body.restored).toEqual({ contexts: 2, schemas: 4, versions: 4, refs: 1, configs: 1, modes: 1, associations: 2 });
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
    // The last part in restore order is changed: the earlier tables must not have been written either.
    const key = `snapshots/${name}/modes-00000.ndjson`;
    const text = await (await env.ARCHIVE.get(key))!.text();
    await env.ARCHIVE.put(key, text.replace('READONLY', 'READWRITE'));
    const r = await post(`/v1/admin/snapshots/${name}/restore`, {});
    expect(r.status).toBe(422);
    expect(r.body.message).toMatch(/part modes-00000\.ndjson: its SHA-256 is [0-9a-f]{64}, the manifest says [0-9a-f]{64}; nothing was restored/);
    expect((await get('/v1/admin/snapshot')).body.tables).toEqual({
      contexts: [],
      schemas: [],
      versions: [],
      refs: [],
      configs: [],
      modes: [],
      associations: [],
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
