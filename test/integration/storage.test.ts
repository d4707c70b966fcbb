/** The storage architecture: single writer, idempotency, the immutable read path, no per-write R2 archive, bookmarks. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, get, post, register } from './client';

const record = (name: string, fields: string[] = ['a']) =>
  JSON.stringify({ type: 'record', name, fields: fields.map((f) => ({ name: f, type: 'string' })) });

describe('RegistryWriter', () => {
  it('serializes concurrent registrations: distinct schemas get distinct ids and versions', async () => {
    await fetchPut('/config/conc', { compatibility: 'NONE' });
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => register('conc', record(`R${i}`))));
    expect(new Set(answers).size).toBe(12);
    expect([...answers].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect((await get('/subjects/conc/versions')).body).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('is idempotent under concurrent retries of the same schema: one id, one version', async () => {
    const ids = await Promise.all(Array.from({ length: 8 }, () => register('retry', record('Same'))));
    expect(new Set(ids)).toEqual(new Set([1]));
    expect((await get('/subjects/retry/versions')).body).toEqual([1]);
  });

  it('writes nothing to R2 on a registration: the per-schema archive is retired, snapshots are the R2 copy', async () => {
    await register('arch', record('Archived'));
    expect((await env.ARCHIVE.list()).objects).toEqual([]);
  });
});

describe('immutable read path', () => {
  it('serves a warm schema-by-id read without D1', async () => {
    const id = await register('warm', record('Warm'));
    expect((await get(`/schemas/ids/${id}`)).status).toBe(200); // fills KV and the cache
    await env.DB.exec('DELETE FROM schemas');
    const again = await get(`/schemas/ids/${id}`);
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body.schema).name).toBe('Warm');
    expect(await env.SCHEMA_KV.get(`v2/0/ctx/./id/${id}`)).not.toBeNull();
  });

  it('answers guids from the same path', async () => {
    await register('guid', record('G'));
    const { guid } = (await env.DB.prepare('SELECT guid FROM schemas').first<{ guid: string }>())!;
    const r = await get(`/schemas/guids/${guid}`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body.schema).name).toBe('G');
    expect((await get('/schemas/guids/00000000-0000-0000-0000-000000000000')).body.error_code).toBe(40403);
  });

  it('forgets an id after the permanent delete of its last version', async () => {
    const id = await register('gone', record('Gone'));
    await get(`/schemas/ids/${id}`);
    await fetchDelete('/subjects/gone');
    expect((await get(`/schemas/ids/${id}`)).status).toBe(200); // soft-deleted ids still resolve
    await fetchDelete('/subjects/gone?permanent=true');
    const r = await get(`/schemas/ids/${id}`);
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error_code: 40403, message: `Schema ${id} not found` });
    // Re-registering the same schema answers the same id: ids are stable and never reused.
    expect(await register('gone', record('Gone'))).toBe(id);
    expect(await register('other', record('Other'))).toBe(id + 1);
  });
});

describe('permanent deletes evict cached documents', () => {
  it('of the ids no version holds any more, and only those, however many versions went', async () => {
    await fetchPut('/config/many', { compatibility: 'NONE' });
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) ids.push(await register('many', record(`M${i}`)));
    // The third schema is also another subject's: its id stays held.
    expect(await register('keeper', record('M2'))).toBe(ids[2]);
    for (const id of ids) expect((await get(`/schemas/ids/${id}`)).status).toBe(200); // KV copies, filled after the answer
    const cachedIds = async () =>
      (await env.SCHEMA_KV.list({ prefix: 'v2/' })).keys.flatMap((k) => /\/ctx\/\.\/id\/(\d+)$/.exec(k.name)?.[1] ?? []).map(Number);
    expect((await cachedIds()).sort((a, b) => a - b)).toEqual(ids);
    await fetchDelete('/subjects/many');
    await fetchDelete('/subjects/many?permanent=true');
    expect(await cachedIds()).toEqual([ids[2]]);
    expect((await get(`/schemas/ids/${ids[2]}`)).status).toBe(200);
    for (const id of ids.filter((_, i) => i !== 2)) expect((await get(`/schemas/ids/${id}`)).status).toBe(404);
  });
});

describe('bookmarks (read-your-writes)', () => {
  it('answers a bookmark on writes and reads, and accepts it back', async () => {
    const w = await post('/subjects/bm/versions', { schema: record('B') });
    const bookmark = w.headers.get('x-registry-bookmark');
    expect(bookmark).toBeTruthy();
    const r = await get('/subjects/bm/versions/latest', { 'x-registry-bookmark': bookmark! });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-registry-bookmark')).toBeTruthy();
    expect(r.headers.get('x-request-id')).toBeTruthy();
  });
});

const fetchPut = (p: string, b: unknown) => call('PUT', p, b);
const fetchDelete = (p: string) => call('DELETE', p);

describe('IMPORT mode', () => {
  it('purges soft-deleted subjects when the scope switches to IMPORT, and keeps imported ids', async () => {
    const id = await register('old', record('Old'));
    // While a live version exists, entering IMPORT is refused (Confluent, unless forced).
    const refused = await fetchPut('/mode', { mode: 'IMPORT' });
    expect(refused.status).toBe(422);
    expect(refused.body).toEqual({ error_code: 42205, message: 'Cannot import since found existing subjects' });
    await fetchDelete('/subjects/old');
    const r = await fetchPut('/mode', { mode: 'IMPORT' });
    expect(r.body).toEqual({ mode: 'IMPORT' });
    expect((await get('/subjects/old/versions?deleted=true')).body.error_code).toBe(40401);
    expect((await get(`/schemas/ids/${id}`)).status).toBe(404);
    const imported = await post('/subjects/imp/versions', { schema: record('Imp'), id: 100, version: 7 });
    expect(imported.body).toEqual({ id: 100 });
    expect((await get('/subjects/imp/versions')).body).toEqual([7]);
    await fetchPut('/mode', { mode: 'READWRITE' });
    // New ids continue past imported ones.
    expect(await register('after', record('After'))).toBe(101);
  });
});

describe('GET /schemas across contexts', () => {
  it('lists the default context by default, one context by prefix, every context with :*:', async () => {
    await register('s', record('A'));
    await register(':.t1:s', record('B'));
    const names = async (q: string) =>
      ((await get(`/schemas${q}`)).body as { subject: string; version: number }[]).map((x) => `${x.subject}@${x.version}`);
    expect(await names('')).toEqual(['s@1']);
    expect(await names('?subjectPrefix=:.t1:')).toEqual([':.t1:s@1']);
    // Sorted lexically by qualified name, as Confluent sorts: ':'-prefixed names first.
    expect(await names('?subjectPrefix=:*:')).toEqual([':.t1:s@1', 's@1']);
    expect(await names('?subjectPrefix=:*:&latestOnly=true')).toEqual([':.t1:s@1', 's@1']);
  });
});

describe('register: explicit ids and versions', () => {
  it('refuses a version that is not the next one outside IMPORT mode (42201)', async () => {
    await register('ver', record('V'));
    const r = await post('/subjects/ver/versions', { schema: record('V', ['a', 'b']), version: 5 });
    expect(r.status).toBe(422);
    expect(r.body).toEqual({ error_code: 42201, message: 'Version is not one more than previous version' });
  });

  it('in IMPORT mode refuses a taken version (42205) and the same schema under another id (42207)', async () => {
    await fetchPut('/mode', { mode: 'IMPORT' });
    expect((await post('/subjects/imp/versions', { schema: record('I'), id: 10, version: 1 })).status).toBe(200);
    const taken = await post('/subjects/imp/versions', { schema: record('J'), id: 11, version: 1 });
    expect(taken.status).toBe(422);
    expect(taken.body.error_code).toBe(42205);
    const moved = await post('/subjects/other/versions', { schema: record('I'), id: 12 });
    expect(moved.status).toBe(422);
    expect(moved.body).toEqual({ error_code: 42207, message: 'Schema already registered with id 10 instead of input id 12' });
  });
});
