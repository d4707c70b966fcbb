/** The Confluent 8.x response profile (authentication and grants: security-*.test.ts, api-keys, audit-log). */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createFetch } from '../../src/app';

const fetchWith = (vars: Partial<Env>) => {
  const handler = createFetch();
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const ctx = createExecutionContext();
    const init: RequestInit = { method, headers: { 'content-type': 'application/json', ...headers } };
    if (body !== undefined) init.body = JSON.stringify(body);
    const res = await handler(new Request(`http://registry.test${path}`, init), { ...env, ...vars }, ctx);
    await waitOnExecutionContext(ctx);
    return { status: res.status, headers: res.headers, body: (await res.json()) as any };
  };
};

const schema = JSON.stringify({ type: 'record', name: 'P', fields: [{ name: 'a', type: 'string' }] });

describe('RESPONSE_PROFILE=8', () => {
  const call = fetchWith({ RESPONSE_PROFILE: '8' });

  it('answers schemaType AVRO, guid and the full register response', async () => {
    const r = await call('POST', '/subjects/p8/versions', { schema });
    expect(r.body).toMatchObject({ id: 1, version: 1, schemaType: 'AVRO', schema });
    expect(r.body.guid).toMatch(/^[0-9a-f-]{36}$/);
    expect((await call('GET', '/schemas/ids/1')).body).toEqual({ schemaType: 'AVRO', schema, guid: r.body.guid });
    // The same warm document under the 7.x profile, in the same isolate: its own answer text.
    expect((await fetchWith({ RESPONSE_PROFILE: '7' })('GET', '/schemas/ids/1')).body).toEqual({ schema });
    expect((await call('GET', '/schemas/ids/1')).body).toEqual({ schemaType: 'AVRO', schema, guid: r.body.guid });
    expect((await call('GET', '/subjects/p8/versions/1')).body).toEqual({
      subject: 'p8',
      version: 1,
      id: 1,
      guid: r.body.guid,
      schemaType: 'AVRO',
      schema,
      ts: expect.any(Number),
      deleted: false,
    });
  });

  it('answers error_code 40901 for an incompatible schema', async () => {
    await call('POST', '/subjects/p8i/versions', { schema });
    const next = JSON.stringify({
      type: 'record',
      name: 'P',
      fields: [
        { name: 'a', type: 'string' },
        { name: 'b', type: 'int' },
      ],
    });
    const r = await call('POST', '/subjects/p8i/versions', { schema: next });
    expect(r.status).toBe(409);
    expect(r.body.error_code).toBe(40901);
  });
});
