/**
 * Reference and subschema bombs through the Worker: each answers 422 / 42201 with a message naming
 * the bound (docs/json-schema.md, docs/avro.md, docs/protobuf.md "Limits"), never a hang.
 */
import { describe, expect, it } from 'vitest';
import { post, put, register } from './client';

const D2020 = 'https://json-schema.org/draft/2020-12/schema';

/** $defs d0 = {type: string}, d(i) = allOf [d(i-1), d(i-1)]; `root` wraps the ref to d(n). */
function allOfChain(n: number, root: (ref: string) => Record<string, unknown> = (r) => ({ $ref: r })) {
  const defs: Record<string, unknown> = { d0: { type: 'string' } };
  for (let i = 1; i <= n; i++) defs[`d${i}`] = { allOf: [{ $ref: `#/$defs/d${i - 1}` }, { $ref: `#/$defs/d${i - 1}` }] };
  return { $schema: D2020, ...root(`#/$defs/d${n}`), $defs: defs };
}

describe('bombs answer 42201', () => {
  it('JSON Schema: registering the 2^30 allOf chain', async () => {
    const r = await post('/subjects/bomb/versions', { schemaType: 'JSON', schema: JSON.stringify(allOfChain(30)) });
    expect(r.status).toBe(422);
    expect(r.body.error_code).toBe(42201);
    expect(r.body.message).toMatch(/one value would be checked against more than 100000 subschemas/);
  });

  it('JSON Schema: validating a large document against a fan-out under the registration bound', async () => {
    await register(
      'fan',
      allOfChain(13, (ref) => ({ type: 'array', items: { $ref: ref } })),
      { schemaType: 'JSON' },
    );
    const small = await post('/v1/validate/subjects/fan/versions/latest', ['a'], { 'content-type': 'application/json' });
    expect(small.body).toEqual({ valid: true, errors: [] });
    const big = await post('/v1/validate/subjects/fan/versions/latest', Array(1000).fill('a'), { 'content-type': 'application/json' });
    expect(big.status).toBe(422);
    expect(big.body.error_code).toBe(42201);
    expect(big.body.message).toMatch(/^Validation stopped after 10000000 subschema evaluations/);
  });

  it('Avro: a change under a record used on 2^30 paths', async () => {
    const records = (leaf: string) => {
      let s: unknown = { type: 'record', name: 'R0', fields: [{ name: 'x', type: leaf }] };
      for (let i = 1; i <= 30; i++)
        s = {
          type: 'record',
          name: `R${i}`,
          fields: [
            { name: 'a', type: s },
            { name: 'b', type: `R${i - 1}` },
          ],
        };
      return JSON.stringify(s);
    };
    await register('avro-dag', records('int'));
    const r = await post('/compatibility/subjects/avro-dag/versions/latest', { schema: records('string') });
    expect(r.status).toBe(422);
    expect(r.body.error_code).toBe(42201);
    expect(r.body.message).toMatch(/^Avro compatibility check gave up: more than 200000 incompatibilities/);
  });

  it('Protobuf: a change under a referenced message used on 2^30 paths', async () => {
    const lib = (leaf: string) => {
      let s = `syntax = "proto3";\npackage lib;\nmessage M0 { ${leaf} x = 1; }\n`;
      for (let i = 1; i <= 30; i++) s += `message M${i} { M${i - 1} a = 1; M${i - 1} b = 2; }\n`;
      return s;
    };
    expect((await put('/config/lib', { compatibility: 'NONE' })).status).toBe(200);
    await register('lib', lib('int32'), { schemaType: 'PROTOBUF' });
    await register('lib', lib('string'), { schemaType: 'PROTOBUF' });
    const root = 'syntax = "proto3";\nimport "lib.proto";\nmessage Root { lib.M30 r = 1; }\n';
    const ref = (version: number) => [{ name: 'lib.proto', subject: 'lib', version }];
    await register('root', root, { schemaType: 'PROTOBUF', references: ref(1) });
    const r = await post('/compatibility/subjects/root/versions/latest', { schemaType: 'PROTOBUF', schema: root, references: ref(2) });
    expect(r.status).toBe(422);
    expect(r.body.error_code).toBe(42201);
    expect(r.body.message).toMatch(/^Protobuf compatibility check gave up: more than 200000 differences/);
  });
});
