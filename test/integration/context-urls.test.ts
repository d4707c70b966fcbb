/**
 * Context URLs (Confluent's ContextFilter; issue 13): `/contexts/{ctx}/...` answers exactly what
 * the rewritten path answers, for Confluent's routes and our /v1 routes, with the context written
 * `.t`, `t` or `:.t:`; it is authorized exactly as the rewritten path (a caller granted context .t
 * uses /contexts/t/... and nothing under /contexts/u/...), and a refusal or a missing answer is the
 * same whether what was asked for exists or not. DELETE /contexts/{ctx} (8.1) removes an empty context.
 */
import { describe, expect, it } from 'vitest';
import { bearer, fetchWith } from './with-env';

const avro = (name: string) => JSON.stringify({ type: 'record', name, fields: [{ name: 'a', type: 'string' }] });
const json = JSON.stringify({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false });

const tokens = 'adm:admin,ta:writer@.t,aa:admin@.t,tr:reader@.t';
const call = fetchWith({ AUTH_TOKENS: tokens });
const as = (token: string) => bearer(token);

/** Subjects `s` (Avro) and `j` (JSON Schema) in the default context, `.t` and `.u`, all distinct schemas. */
async function seed() {
  for (const [ctx, name] of [
    ['', 'D'],
    [':.t:', 'T'],
    [':.u:', 'U'],
  ]) {
    expect((await call('POST', `/subjects/${ctx}s/versions`, { schema: avro(name) }, as('adm'))).status).toBe(200);
    expect((await call('POST', `/subjects/${ctx}j/versions`, { schemaType: 'JSON', schema: json }, as('adm'))).status).toBe(200);
  }
}

type Row = [method: string, contextUrl: string, plainUrl: string, body?: unknown];

/** Each context URL and the plain URL it stands for: same status, same body. */
const SAME: Row[] = [
  ['GET', '/contexts/.t/subjects', '/subjects?subjectPrefix=:.t:'],
  ['GET', '/contexts/t/subjects?deleted=true', '/subjects?subjectPrefix=:.t:&deleted=true'],
  ['GET', '/contexts/.t/subjects/s/versions', '/subjects/:.t:s/versions'],
  ['GET', '/contexts/t/subjects/s/versions/1', '/subjects/:.t:s/versions/1'],
  ['GET', '/contexts/:.t:/subjects/s/versions/latest/schema', '/subjects/:.t:s/versions/latest/schema'],
  ['GET', '/contexts/%2Et/subjects/s/versions/1/referencedby', '/subjects/%3A.t%3As/versions/1/referencedby'],
  ['POST', '/contexts/.t/subjects/s', '/subjects/:.t:s', { schema: avro('T') }],
  ['POST', '/contexts/.t/compatibility/subjects/s/versions/latest', '/compatibility/subjects/:.t:s/versions/latest', { schema: avro('T') }],
  ['GET', '/contexts/.t/schemas', '/schemas?subjectPrefix=:.t:'],
  ['GET', '/contexts/.t/schemas/ids/1', '/schemas/ids/1?subject=:.t:'],
  ['GET', '/contexts/.t/schemas/ids/1/versions', '/schemas/ids/1/versions?subject=:.t:'],
  ['GET', '/contexts/.t/schemas/types', '/schemas/types'],
  ['GET', '/contexts/.t/config', '/config/:.t:'],
  ['GET', '/contexts/.t/config/s?defaultToGlobal=true', '/config/:.t:s?defaultToGlobal=true'],
  ['GET', '/contexts/.t/mode', '/mode/:.t:'],
  ['GET', '/contexts/:.:/subjects/s/versions/1', '/subjects/s/versions/1'],
  ['GET', '/contexts/:.:/config', '/config'],
  ['GET', '/contexts/.t/v1/subjects/j/versions/1/export?target=openai-chat-tool', '/v1/subjects/:.t:j/versions/1/export?target=openai-chat-tool'],
  ['POST', '/contexts/.t/v1/validate/subjects/j/versions/latest', '/v1/validate/subjects/:.t:j/versions/latest', { a: 'x' }],
  ['POST', '/contexts/.t/v1/validate/ids/2', '/v1/validate/ids/2?subject=:.t:', { a: 1 }],
];

describe('context URLs answer as the path they stand for', () => {
  // One seed for the whole table (each registration costs a writer round trip).
  it(`${SAME.length} routes`, async () => {
    await seed();
    for (const [method, contextUrl, plainUrl, body] of SAME) {
      const viaContext = await call(method, contextUrl, body, as('adm'));
      const plain = await call(method, plainUrl, body, as('adm'));
      expect(viaContext.status, `${method} ${contextUrl}: ${JSON.stringify(viaContext.body)}`).toBe(200);
      expect(viaContext.body, `${method} ${contextUrl}`).toEqual(plain.body);
    }
  });

  it('the context is the one named: .t and .u answer their own schemas', async () => {
    await seed();
    const t = await call('GET', '/contexts/.t/subjects/s/versions/1/schema', undefined, as('adm'));
    const u = await call('GET', '/contexts/u/subjects/s/versions/1/schema', undefined, as('adm'));
    expect([t.body.name, u.body.name]).toEqual(['T', 'U']);
    expect((await call('GET', '/contexts/.t/subjects', undefined, as('adm'))).body).toEqual([':.t:j', ':.t:s']);
  });

  it('writes through a context URL land in that context', async () => {
    const r = await call('POST', '/contexts/w/subjects/x/versions', { schema: avro('W') }, as('adm'));
    expect(r.status).toBe(200);
    expect((await call('GET', '/subjects/:.w:x/versions', undefined, as('adm'))).body).toEqual([1]);
    expect((await call('PUT', '/contexts/.w/config', { compatibility: 'NONE' }, as('adm'))).status).toBe(200);
    expect((await call('GET', '/config/:.w:', undefined, as('adm'))).body.compatibilityLevel).toBe('NONE');
    expect((await call('PUT', '/contexts/.w/mode/x', { mode: 'READONLY' }, as('adm'))).status).toBe(200);
    expect((await call('GET', '/mode/:.w:x', undefined, as('adm'))).body).toEqual({ mode: 'READONLY' });
    expect((await call('GET', '/contexts', undefined, as('adm'))).body).toContain('.w');
  });

  it('registry-wide routes are not reachable under a context: 404', async () => {
    for (const path of ['/contexts/.t/v1/admin/keys', '/contexts/.t/v1/metadata/id', '/contexts/.t/nothing']) {
      const r = await call('GET', path, undefined, as('adm'));
      expect([r.status, r.body.error_code], path).toEqual([404, 404]);
    }
  });
});

describe('context URLs are authorized as the path they stand for', () => {
  /** [method, path under /contexts/{ctx}, body]: the same request sent under .t (allowed) and .u (refused). */
  const REQUESTS: [string, string, unknown?][] = [
    ['GET', '/subjects/s/versions'],
    ['GET', '/subjects/s/versions/1'],
    ['POST', '/subjects/s', { schema: avro('T') }],
    ['POST', '/subjects/n/versions', { schema: avro('N') }],
    ['DELETE', '/subjects/nope'],
    ['POST', '/compatibility/subjects/s/versions/latest', { schema: avro('T') }],
    ['GET', '/config/s?defaultToGlobal=true'],
    ['GET', '/mode/s?defaultToGlobal=true'],
    ['POST', '/v1/validate/subjects/j/versions/latest', { a: 'x' }],
    ['GET', '/v1/subjects/j/versions/1/export?target=openai-chat-tool'],
  ];

  it(`${REQUESTS.length} requests, under .t and under .u`, async () => {
    await seed();
    for (const [method, path, body] of REQUESTS) await allowedOnlyUnderT(method, path, body);
  });

  async function allowedOnlyUnderT(method: string, path: string, body: unknown) {
    for (const ctx of ['.t', 't', ':.t:', '%2Et']) {
      const r = await call(method, `/contexts/${ctx}${path}`, body, as('ta'));
      expect([401, 403], `${method} ${ctx}${path}: ${JSON.stringify(r.body)}`).not.toContain(r.status);
    }
    // Refused the same way whether the subject exists (s, j) or not (a name never registered).
    const missing = path.replace(/\/(s|j)\//, '/never/');
    for (const ctx of ['.u', 'u', ':.u:', '%2Eu', ':.:', '.']) {
      for (const p of [path, missing]) {
        const r = await call(method, `/contexts/${ctx}${p}`, body, as('ta'));
        expect([r.status, r.body.error_code], `${method} ${ctx}${p}`).toEqual([403, 40301]);
      }
    }
  }

  it('settings of another context are refused; of its own, answered', async () => {
    await seed();
    expect((await call('GET', '/contexts/.t/config', undefined, as('tr'))).status).toBe(200);
    expect((await call('PUT', '/contexts/.t/config', { compatibility: 'NONE' }, as('aa'))).status).toBe(200);
    for (const [method, path, body] of [
      ['GET', '/contexts/.u/config'],
      ['PUT', '/contexts/u/config', { compatibility: 'NONE' }],
      ['PUT', '/contexts/.u/mode', { mode: 'READONLY' }],
      ['PUT', '/contexts/:.:/config', { compatibility: 'NONE' }],
    ] as [string, string, unknown?][]) {
      const r = await call(method, path, body, as('aa'));
      expect([r.status, r.body.error_code], path).toEqual([403, 40301]);
    }
  });

  it('listings and ids of another context answer as if it were empty (nothing leaks)', async () => {
    await seed();
    for (const path of ['/contexts/.u/subjects', '/contexts/.u/schemas', '/contexts/.nowhere/subjects']) {
      const r = await call('GET', path, undefined, as('ta'));
      expect([r.status, r.body], path).toEqual([200, []]);
    }
    const hidden = await call('GET', '/contexts/.u/schemas/ids/1', undefined, as('ta'));
    const missing = await call('GET', '/contexts/.t/schemas/ids/1', undefined, as('adm')).then(() =>
      call('GET', '/contexts/.nowhere/schemas/ids/1', undefined, as('ta')),
    );
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual(missing.body);
    // A qualified name under another context's URL is that other context (as Confluent): still refused.
    const r = await call('GET', '/contexts/.t/subjects/:.u:s/versions', undefined, as('ta'));
    expect([r.status, r.body.error_code]).toEqual([403, 40301]);
  });
});

describe('DELETE /contexts/{ctx} (Confluent 8.1)', () => {
  it('refuses a context holding subjects, soft-deleted ones too (42211); removes an empty one (204)', async () => {
    await seed();
    const full = await call('DELETE', '/contexts/.t', undefined, as('adm'));
    expect([full.status, full.body]).toEqual([422, { error_code: 42211, message: "The specified context ':.t:' is not empty." }]);
    for (const s of ['s', 'j']) expect((await call('DELETE', `/subjects/:.t:${s}`, undefined, as('adm'))).status).toBe(200);
    expect((await call('DELETE', '/contexts/t', undefined, as('adm'))).body.error_code).toBe(42211);
    for (const s of ['s', 'j']) expect((await call('DELETE', `/subjects/:.t:${s}?permanent=true`, undefined, as('adm'))).status).toBe(200);
    const done = await call('DELETE', '/contexts/:.t:', undefined, as('adm'));
    expect([done.status, done.body]).toEqual([204, undefined]);
    expect((await call('GET', '/contexts', undefined, as('adm'))).body).not.toContain('.t');
    // Idempotent, as Confluent's store delete: a second delete (or of a context never made) is 204.
    expect((await call('DELETE', '/contexts/.t', undefined, as('adm'))).status).toBe(204);
    expect((await call('DELETE', '/contexts/.never', undefined, as('adm'))).status).toBe(204);
  });

  it('ids are never reused after a context is deleted and made again', async () => {
    await seed();
    for (const s of ['s', 'j']) {
      await call('DELETE', `/subjects/:.t:${s}`, undefined, as('adm'));
      await call('DELETE', `/subjects/:.t:${s}?permanent=true`, undefined, as('adm'));
    }
    expect((await call('DELETE', '/contexts/.t', undefined, as('adm'))).status).toBe(204);
    const again = await call('POST', '/contexts/.t/subjects/new/versions', { schema: avro('Fresh') }, as('adm'));
    expect(again.body.id).toBe(3);
    expect((await call('GET', '/contexts', undefined, as('adm'))).body).toContain('.t');
  });

  it('needs the admin role on that context, refused the same whether it exists or not', async () => {
    await seed();
    expect((await call('DELETE', '/contexts/.t', undefined, as('ta'))).status).toBe(403);
    for (const ctx of ['.u', '.never']) {
      const r = await call('DELETE', `/contexts/${ctx}`, undefined, as('aa'));
      expect([r.status, r.body.error_code], ctx).toEqual([403, 40301]);
    }
    expect((await call('DELETE', '/contexts/.t', undefined, as('aa'))).body.error_code).toBe(42211);
  });

  it('is audited in the context stream', async () => {
    expect((await call('DELETE', '/contexts/.gone', undefined, as('adm'))).status).toBe(204);
    const rows = (await call('GET', '/v1/admin/audit?limit=1000', undefined, as('adm'))).body;
    const list = (rows.entries ?? rows.rows ?? rows) as { action: string; target: string; stream?: string }[];
    expect(list.some((r) => r.action === 'delete-context' && r.target === '.gone')).toBe(true);
  });
});
