/**
 * Guids as Confluent 8.x makes them: the MD5 of the content (src/domain/guid.ts, whose byte layout
 * test/unit/guid.test.ts checks), so one content has one guid in every context;
 * GET /schemas/guids/{guid} (default context first) and GET /schemas/guids/{guid}/ids, both
 * limited to what the caller may read; `ts` and `deleted` on a stored version in profile 8.
 */
import { describe, expect, it } from 'vitest';
import { bearer, fetchWith } from './with-env';

const open = fetchWith({ AUTH_MODE: 'none', RESPONSE_PROFILE: '8' });
const schema = JSON.stringify({ type: 'record', name: 'G', fields: [{ name: 'a', type: 'string' }] });

async function md5Uuid(text: string): Promise<string> {
  const hex = [...new Uint8Array(await crypto.subtle.digest('MD5', new TextEncoder().encode(text)))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

describe('content-derived guids', () => {
  it('is the MD5 of the stored schema text, the same in every context, listed by /ids', async () => {
    const a = await open('POST', '/subjects/g-a/versions', { schema });
    const t = await open('POST', '/subjects/:.t:g-t/versions', { schema });
    expect(a.status).toBe(200);
    expect(t.status).toBe(200);
    const stored = (await open('GET', '/subjects/g-a/versions/1')).body.schema as string;
    expect(a.body.guid).toBe(await md5Uuid(stored));
    expect(t.body.guid).toBe(a.body.guid);

    const ids = await open('GET', `/schemas/guids/${a.body.guid}/ids`);
    expect(ids.status).toBe(200);
    expect(ids.body).toEqual([
      { context: '.', id: a.body.id },
      { context: '.t', id: t.body.id },
    ]);
    // Upper case is the same UUID.
    expect((await open('GET', `/schemas/guids/${a.body.guid.toUpperCase()}/ids`)).body).toEqual(ids.body);
    expect((await open('GET', `/schemas/guids/${a.body.guid}`)).body).toEqual({ schemaType: 'AVRO', schema: stored, guid: a.body.guid });
  });

  it('changes with the references, metadata and rule set, not with the context or subject', async () => {
    const plain = await open('POST', '/subjects/g-m1/versions', { schema });
    const withMeta = await open('POST', '/subjects/g-m2/versions', { schema, metadata: { properties: { owner: 'x' } } });
    const withRules = await open('POST', '/subjects/g-m3/versions', {
      schema,
      ruleSet: { domainRules: [{ name: 'r', kind: 'CONDITION', type: 'CEL', mode: 'WRITE', expr: 'true' }] },
    });
    const again = await open('POST', '/subjects/g-m4/versions', { schema });
    expect(new Set([plain.body.guid, withMeta.body.guid, withRules.body.guid]).size).toBe(3);
    expect(again.body.guid).toBe(plain.body.guid);
  });

  it('answers [] for a guid it does not hold and 40403 for its schema', async () => {
    const none = '00000000-0000-0000-0000-000000000001';
    expect(await open('GET', `/schemas/guids/${none}/ids`)).toMatchObject({ status: 200, body: [] });
    expect(await open('GET', `/schemas/guids/${none}`)).toMatchObject({ status: 404, body: { error_code: 40403 } });
    expect(await open('GET', `/schemas/guids/not-a-guid!/ids`)).toMatchObject({ status: 404, body: { error_code: 40403 } });
  });

  it('stops listing a copy once no version uses it', async () => {
    const a = await open('POST', '/subjects/g-d/versions', { schema: JSON.stringify({ type: 'enum', name: 'E', symbols: ['X'] }) });
    const t = await open('POST', '/subjects/:.t:g-d/versions', { schema: JSON.stringify({ type: 'enum', name: 'E', symbols: ['X'] }) });
    expect(await open('DELETE', '/subjects/g-d/versions/1')).toMatchObject({ status: 200 });
    // Soft-deleted still holds it (Confluent keeps soft-deleted schemas readable by id).
    expect((await open('GET', `/schemas/guids/${a.body.guid}/ids`)).body).toHaveLength(2);
    expect(await open('DELETE', '/subjects/g-d/versions/1?permanent=true')).toMatchObject({ status: 200 });
    expect((await open('GET', `/schemas/guids/${a.body.guid}/ids`)).body).toEqual([{ context: '.t', id: t.body.id }]);
    expect((await open('GET', `/schemas/guids/${a.body.guid}`)).status).toBe(200);
  });
});

describe('guids and grants', () => {
  it('lists and answers only copies the caller may read, and a hidden copy is never named', async () => {
    const a = await open('POST', '/subjects/gv-a/versions', { schema: JSON.stringify({ type: 'fixed', name: 'F', size: 4 }) });
    await open('POST', '/subjects/:.t:gv-t/versions', { schema: JSON.stringify({ type: 'fixed', name: 'F', size: 4 }) });
    const hidden = await open('POST', '/subjects/gv-hidden/versions', { schema: JSON.stringify({ type: 'fixed', name: 'H', size: 2 }) });
    const call = fetchWith({ AUTH_TOKENS: 'tonly:reader@.t,dflt:reader@./gv-a', RESPONSE_PROFILE: '8' });

    const tIds = await call('GET', `/schemas/guids/${a.body.guid}/ids`, undefined, bearer('tonly'));
    expect(tIds.status).toBe(200);
    expect(tIds.body).toEqual([{ context: '.t', id: expect.any(Number) }]);
    // The default context's copy is first, but this caller may only read the one in .t.
    const viaT = await call('GET', `/schemas/guids/${a.body.guid}`, undefined, bearer('tonly'));
    expect(viaT.status).toBe(200);
    expect(viaT.body.guid).toBe(a.body.guid);

    expect((await call('GET', `/schemas/guids/${a.body.guid}/ids`, undefined, bearer('dflt'))).body).toEqual([{ context: '.', id: a.body.id }]);
    // Not readable and absent are the same answers.
    expect(await call('GET', `/schemas/guids/${hidden.body.guid}/ids`, undefined, bearer('tonly'))).toMatchObject({ status: 200, body: [] });
    expect(await call('GET', `/schemas/guids/${hidden.body.guid}`, undefined, bearer('tonly'))).toMatchObject({
      status: 404,
      body: { error_code: 40403 },
    });
    expect((await call('GET', `/schemas/guids/${a.body.guid}/ids`)).status).toBe(401);
  });
});

describe('stored versions in profile 8', () => {
  it('carry ts (ms) and deleted; profile 7 carries neither', async () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    await open('POST', '/subjects/g-ts/versions', { schema: JSON.stringify({ type: 'enum', name: 'T', symbols: ['A'] }) });
    const v = (await open('GET', '/subjects/g-ts/versions/1')).body;
    expect(v.deleted).toBe(false);
    expect(v.ts).toBeGreaterThanOrEqual(before - 1000);
    expect(v.ts % 1000).toBe(0);
    await open('DELETE', '/subjects/g-ts/versions/1');
    expect((await open('GET', '/subjects/g-ts/versions/1?deleted=true')).body).toMatchObject({ deleted: true, ts: v.ts });
    const seven = await fetchWith({ AUTH_MODE: 'none', RESPONSE_PROFILE: '7' })('GET', '/subjects/g-ts/versions/1?deleted=true');
    expect(seven.body).not.toHaveProperty('ts');
    expect(seven.body).not.toHaveProperty('deleted');
  });
});
