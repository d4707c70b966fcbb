/** GET /v1/admin/stats (docs/operations.md#stats): registry-wide counts, each a SQL aggregate. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { basic, fetchWith } from './with-env';

const ROOT = basic('root', 'bootstrap-secret');
const call = fetchWith({ REGISTRY_ADMIN_KEY: 'root', REGISTRY_ADMIN_SECRET: 'bootstrap-secret' });

/** A distinct Avro record per (name, fields): the second version of a subject adds a field with a default (BACKWARD). */
const avro = (name: string, fields = 1) => ({
  schema: JSON.stringify({
    type: 'record',
    name,
    fields: Array.from({ length: fields }, (_, i) => ({ name: `f${i}`, type: 'string', default: '' })),
  }),
});
const json = { schemaType: 'JSON', schema: JSON.stringify({ type: 'object', title: 'B' }) };
const proto = { schemaType: 'PROTOBUF', schema: 'syntax = "proto3";\nmessage P { string a = 1; }\n' };

async function ok(method: string, path: string, body?: unknown) {
  const r = await call(method, path, body, ROOT);
  expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBe(200);
  return r.body;
}

const stats = async () => {
  const r = await call('GET', '/v1/admin/stats', undefined, ROOT);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};

describe('GET /v1/admin/stats', () => {
  it('an empty registry: the default context, nothing else', async () => {
    expect(await stats()).toEqual({
      contexts: 1,
      subjects: { live: 0, softDeleted: 0 },
      versions: { live: 0, softDeleted: 0 },
      schemas: { AVRO: 0, JSON: 0, PROTOBUF: 0 },
      writes: { lastHour: 0, lastDay: 0 },
      at: expect.any(String),
    });
  });

  it('counts across two contexts: live and soft-deleted subjects and versions, schemas by type, writes by hour and day', async () => {
    // Default context: a-value (2 versions), b-value (JSON), c-value; .orders: p-value (PROTOBUF), q-value (2 versions).
    await ok('POST', '/subjects/a-value/versions', avro('A'));
    await ok('POST', '/subjects/a-value/versions', avro('A', 2));
    await ok('POST', '/subjects/b-value/versions', json);
    await ok('POST', '/subjects/c-value/versions', avro('C'));
    await ok('POST', '/contexts/.orders/subjects/p-value/versions', proto);
    await ok('POST', '/contexts/.orders/subjects/q-value/versions', avro('Q'));
    await ok('POST', '/contexts/.orders/subjects/q-value/versions', avro('Q', 2));
    await ok('DELETE', '/subjects/a-value/versions/1'); // a version soft-deleted, the subject still live
    await ok('DELETE', '/contexts/.orders/subjects/q-value'); // a whole subject soft-deleted
    await ok('DELETE', '/subjects/c-value');
    await ok('DELETE', '/subjects/c-value?permanent=true'); // gone: its schema content stays
    const events = (await env.DB.prepare(`SELECT COUNT(*) AS n FROM events`).first<{ n: number }>())!.n;
    expect(events).toBe(11); // 7 registrations, 4 deletes

    const now = await stats();
    expect(now).toEqual({
      contexts: 2,
      subjects: { live: 3, softDeleted: 1 }, // a, b, p; q
      versions: { live: 3, softDeleted: 3 }, // a2, b1, p1; a1, q1, q2
      schemas: { AVRO: 5, JSON: 1, PROTOBUF: 1 }, // a1 a2 c1 (.), q1 q2 (.orders)
      writes: { lastHour: 11, lastDay: 11 },
      at: expect.any(String),
    });
    expect(Math.abs(Date.parse(now.at) - Date.now())).toBeLessThan(60_000);

    // Three events two hours old, one of them two days old.
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    await env.DB.prepare(`UPDATE events SET at = ?1 WHERE seq IN (SELECT seq FROM events ORDER BY seq LIMIT 3)`)
      .bind(ago(2 * 3_600_000))
      .run();
    await env.DB.prepare(`UPDATE events SET at = ?1 WHERE seq = (SELECT MIN(seq) FROM events)`)
      .bind(ago(2 * 86_400_000))
      .run();
    expect((await stats()).writes).toEqual({ lastHour: 8, lastDay: 10 });

    // The counts agree with what the API lists.
    expect(((await ok('GET', '/contexts')) as string[]).length).toBe(2);
    expect(await ok('GET', '/subjects')).toEqual([':.orders:p-value', 'a-value', 'b-value']);
    expect(await ok('GET', '/subjects?deleted=true')).toEqual([':.orders:p-value', ':.orders:q-value', 'a-value', 'b-value']);
  });

  it('is for registry-wide admins only, and audited', async () => {
    const key = async (grants: string[]) => {
      const r = await call('POST', '/v1/admin/keys', { name: grants.join(','), grants }, ROOT);
      expect(r.status).toBe(201);
      return basic(r.body.key, r.body.secret);
    };
    for (const grants of [['admin@.orders'], ['reader'], ['writer']]) {
      const r = await call('GET', '/v1/admin/stats', undefined, await key(grants));
      expect(r.status, grants.join()).toBe(403);
      expect(r.body.error_code).toBe(40301);
    }
    expect((await call('GET', '/v1/admin/stats')).status).toBe(401);
    await stats();
    const audit = await env.DB.prepare(`SELECT action, result FROM audit_log WHERE action LIKE '%/v1/admin/stats%' ORDER BY id`).all();
    expect(audit.results.at(-1)).toMatchObject({ result: '200' });
  });
});
