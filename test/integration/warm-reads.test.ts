/**
 * A warm immutable read does no I/O: after the first read of an id (or guid) fills the layers,
 * later reads in the isolate are answered from its memory, with zero D1, KV and Cache API
 * operations, counted here on the bindings themselves and on `caches` (docs/performance.md). A permanent delete forgets the
 * isolate's copy at once where it runs.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { del, post, register } from './client';
import { fetchWith } from './with-env';

const counts = { d1: 0, kv: 0, cache: 0 };

// The Cache API is a global, not a binding: count its opens (every lookup starts with one).
const open = caches.open.bind(caches);
vi.spyOn(caches, 'open').mockImplementation((name: string) => {
  counts.cache++;
  return open(name);
});

/** D1 whose sessions count every statement prepared and every batch. */
const countedDb = new Proxy(env.DB, {
  get(target, key) {
    if (key === 'withSession')
      return (bookmark?: string) => {
        const session = target.withSession(bookmark);
        return new Proxy(session, {
          get(s, k) {
            if (k === 'prepare' || k === 'batch') counts.d1++;
            const v = Reflect.get(s, k, s) as unknown;
            return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(s) : v;
          },
        });
      };
    if (key === 'prepare' || key === 'batch') counts.d1++;
    const v = Reflect.get(target, key, target) as unknown;
    return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
  },
});

const countedKv = new Proxy(env.SCHEMA_KV, {
  get(target, key) {
    if (typeof key === 'string' && ['get', 'put', 'delete', 'list', 'getWithMetadata'].includes(key)) counts.kv++;
    const v = Reflect.get(target, key, target) as unknown;
    return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
  },
});

const call = fetchWith({ AUTH_MODE: 'none', DB: countedDb, SCHEMA_KV: countedKv });
const avro = JSON.stringify({ type: 'record', name: 'Warm', fields: [{ name: 'a', type: 'string' }] });

async function measured(path: string): Promise<{ status: number; d1: number; kv: number; cache: number; body: unknown }> {
  counts.d1 = 0;
  counts.kv = 0;
  counts.cache = 0;
  const r = await call('GET', path);
  return { status: r.status, d1: counts.d1, kv: counts.kv, cache: counts.cache, body: r.body };
}

describe('warm immutable reads', () => {
  it('cost zero D1 and zero KV operations once the isolate holds the document', async () => {
    const id = await register('warm-value', avro);
    const guid = ((await call('GET', `/subjects/warm-value/versions/1`)).body as { guid?: string }).guid;
    const cold = await measured(`/schemas/ids/${id}`);
    expect(cold.status).toBe(200);
    expect(cold.d1 + cold.kv).toBeGreaterThan(0); // the first read went to storage
    for (const path of [`/schemas/ids/${id}`, `/schemas/ids/${id}/schema`, `/schemas/ids/${id}?subject=warm-value`]) {
      for (let i = 0; i < 3; i++) {
        const warm = await measured(path);
        expect(warm.status, path).toBe(200);
        expect({ path, d1: warm.d1, kv: warm.kv, cache: warm.cache }).toEqual({ path, d1: 0, kv: 0, cache: 0 });
      }
    }
    if (guid) {
      await measured(`/schemas/guids/${guid}`);
      expect(await measured(`/schemas/guids/${guid}`)).toMatchObject({ status: 200, d1: 0, kv: 0, cache: 0 });
    }
  });

  it('a permanent delete makes the id unreadable at once in this isolate', async () => {
    const id = await register('gone-value', avro);
    expect((await measured(`/schemas/ids/${id}`)).status).toBe(200);
    expect((await measured(`/schemas/ids/${id}`)).d1).toBe(0);
    expect((await del('/subjects/gone-value')).status).toBe(200);
    expect((await del('/subjects/gone-value?permanent=true')).status).toBe(200);
    const after = await measured(`/schemas/ids/${id}`);
    expect(after.status).toBe(404);
    expect((after.body as { error_code: number }).error_code).toBe(40403);
    // And a new registration of other content gets a new id, read fresh.
    const next = await register('other-value', JSON.stringify({ type: 'record', name: 'Other', fields: [] }));
    expect(next).not.toBe(id);
    expect((await post(`/subjects/other-value`, { schema: JSON.stringify({ type: 'record', name: 'Other', fields: [] }) })).status).toBe(200);
  });

  it('a rendering (?format=serialized, resolved) of a schema with references costs zero D1 and KV operations once warm, by id and by version', async () => {
    await register('dep', 'syntax = "proto3"; package p; message Dep { string a = 1; }', { schemaType: 'PROTOBUF' });
    const proto = await register('main', 'syntax = "proto3"; package p; import "dep.proto"; message Main { Dep d = 1; }', {
      schemaType: 'PROTOBUF',
      references: [{ name: 'dep.proto', subject: 'dep', version: 1 }],
    });
    await register('adep', { type: 'record', name: 'ADep', namespace: 'a', fields: [{ name: 'x', type: 'string' }] });
    const avroId = await register(
      'amain',
      { type: 'record', name: 'AMain', namespace: 'a', fields: [{ name: 'd', type: 'a.ADep' }] },
      {
        references: [{ name: 'a.ADep', subject: 'adep', version: 1 }],
      },
    );
    const paths = [
      `/schemas/ids/${proto}?format=serialized`,
      `/subjects/main/versions/1?format=serialized`,
      `/schemas/ids/${avroId}/schema?format=resolved`,
      `/subjects/amain/versions/latest/schema?format=resolved`,
    ];
    for (const path of paths) {
      const cold = await measured(path);
      expect(cold.status, path).toBe(200);
      for (let i = 0; i < 2; i++) expect({ path, ...(await measured(path)) }).toEqual({ path, ...cold, d1: 0, kv: 0, cache: 0 });
    }
    // What is kept is the rendering, not the stored text: the referenced record is inlined.
    const resolved = (await measured(paths[2])).body as { fields: { type: unknown }[] };
    expect(resolved.fields[0].type).toMatchObject({ type: 'record', name: 'ADep' });
    const serialized = (await measured(paths[0])).body as { schema: string };
    expect(serialized.schema).toMatch(/^[A-Za-z0-9+/]+=*$/);
    // A format the schema does not have answers the stored text, also one named as an Object property.
    const stored = (await measured(`/schemas/ids/${avroId}`)).body;
    for (const format of ['serialized', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect({ format, ...(await measured(`/schemas/ids/${avroId}?format=${format}`)) }).toMatchObject({ format, status: 200, body: stored });
    }
  });
});
