/**
 * Names that are Object.prototype members (`__proto__`, `constructor`, `prototype`, `toString`,
 * `hasOwnProperty`) as subjects, references, properties and definitions: every map built from
 * client input must keep them as plain keys (Object.create(null) or Map), never as prototypes.
 */
import { describe, expect, it } from 'vitest';
import { get, post, register } from './client';

const NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

describe('Object.prototype member names', () => {
  it.each(NAMES)('a subject named %s registers, lists, reads and validates', async (name) => {
    const schema = { type: 'object', properties: { [name]: { type: 'string' } }, required: [name] };
    const id = await register(name, JSON.stringify(schema), { schemaType: 'JSON' });
    expect((await get('/subjects')).body).toEqual([name]);
    expect((await get(`/subjects/${encodeURIComponent(name)}/versions/latest`)).body).toMatchObject({ subject: name, id });
    const ok = await post(`/v1/validate/subjects/${encodeURIComponent(name)}/versions/latest`, JSON.parse(`{"${name}": "x"}`), {
      'content-type': 'application/json',
    });
    expect(ok.body).toEqual({ valid: true, errors: [] });
    const bad = await post(`/v1/validate/subjects/${encodeURIComponent(name)}/versions/latest`, JSON.parse(`{"${name}": 1}`), {
      'content-type': 'application/json',
    });
    expect(bad.body.valid).toBe(false);
  });

  it.each(NAMES)('a reference named %s survives bundling into provider exports', async (name) => {
    await register('dep', JSON.stringify({ type: 'object', properties: { n: { type: 'number' } } }), { schemaType: 'JSON' });
    const main = { type: 'object', properties: { [name]: { $ref: name }, d: { $ref: name } } };
    await register('main', JSON.stringify(main), { schemaType: 'JSON', references: [{ name, subject: 'dep', version: 1 }] });
    const r = await get('/v1/subjects/main/versions/1/export?target=mcp-tool');
    expect(r.status).toBe(200);
    const text = JSON.stringify(r.body.output);
    // The referenced schema is inlined under its own key, and every $ref points at something present.
    const defs = r.body.output.inputSchema?.$defs ?? r.body.output.$defs ?? {};
    expect(Object.keys(defs).length).toBeGreaterThan(0);
    for (const m of text.matchAll(/"\$ref":"#\/\$defs\/([^"]+)"/g)) {
      const key = decodeURIComponent(m[1]).replace(/~1/g, '/').replace(/~0/g, '~');
      expect(Object.hasOwn(defs, key), `${key} in ${text}`).toBe(true);
    }
    expect(Object.hasOwn(JSON.parse(text).inputSchema?.properties ?? JSON.parse(text).properties ?? {}, name)).toBe(true);
    expect((await get('/subjects/dep/versions/1/referencedby')).body).toHaveLength(1);
  });
});
