/**
 * Mutation fuzzing of the three parsers and their compatibility checks: whatever text a client
 * sends, parsing answers a schema or a RegistryError (42201 etc.), never another exception (which
 * would be a 500). Seeded, bounded, deterministic.
 */
import { describe, expect, it } from 'vitest';
import { RegistryError } from '../../src/domain/errors';
import type { ParsedSchema, SchemaFormat } from '../../src/domain/format';
import { avroFormat } from '../../src/domain/avro/index';
import { jsonFormat } from '../../src/domain/json/index';
import { protobufFormat } from '../../src/domain/protobuf/index';
import { compileValidator } from '../../src/domain/json/validator/index';
import type { JsonParsedSchema } from '../../src/domain/json/types';

const seeds: Record<string, string[]> = {
  AVRO: [
    '{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":"int","default":1},{"name":"b","type":["null","string"],"default":null},{"name":"c","type":{"type":"array","items":{"type":"enum","name":"E","symbols":["X","Y"],"default":"X"}}},{"name":"d","type":{"type":"map","values":{"type":"fixed","name":"F","size":4}}},{"name":"e","type":{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}}]}',
    '"string"',
    '["null","long",{"type":"record","name":"L","fields":[{"name":"next","type":["null","L"]}]}]',
  ],
  JSON: [
    '{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"a":{"type":"string","pattern":"^x+$","maxLength":5},"b":{"type":"array","prefixItems":[{"type":"integer"}],"items":{"$ref":"#/$defs/d"}},"c":{"oneOf":[{"const":1},{"enum":[2,3]}]}},"required":["a"],"unevaluatedProperties":false,"$defs":{"d":{"type":["number","null"],"minimum":0}}}',
    '{"type":"object","additionalProperties":{"type":"boolean"},"dependencies":{"a":["b"]},"if":{"required":["x"]},"then":{"minProperties":2}}',
  ],
  PROTOBUF: [
    'syntax = "proto3";\npackage p.q;\nimport "google/protobuf/timestamp.proto";\noption java_package = "x";\nmessage M {\n  string a = 1;\n  repeated int64 b = 2 [packed = true];\n  map<string, N> c = 3;\n  oneof o { bool d = 4; google.protobuf.Timestamp t = 5; }\n  message N { enum E { Z = 0; O = 1; } E e = 1; reserved 2, 5 to 9; reserved "x"; }\n}\nservice S { rpc Call (M) returns (stream M.N); }\n',
    'syntax = "proto2";\nmessage A { required int32 x = 1 [default = 5]; optional group G = 2 { optional string y = 3; } extensions 100 to 200; }\n',
  ],
};

const formats: Record<string, SchemaFormat> = { AVRO: avroFormat, JSON: jsonFormat, PROTOBUF: protobufFormat };

/** mulberry32: a small seeded PRNG, so failures reproduce. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const tokens = [
  '{',
  '}',
  '[',
  ']',
  '"',
  ':',
  ',',
  ';',
  '=',
  'null',
  '0',
  '-1',
  '1e999',
  '"type"',
  '"$ref"',
  '"#"',
  'message',
  'enum',
  '<',
  '>',
  '\\',
  '\u0000',
  '💩',
  '"record"',
  'repeated',
  '999999999999',
];

function mutate(text: string, rnd: () => number): string {
  let s = text;
  const n = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(rnd() * (s.length + 1));
    const op = rnd();
    if (op < 0.35) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 8));
    else if (op < 0.7) s = s.slice(0, at) + tokens[Math.floor(rnd() * tokens.length)] + s.slice(at);
    else if (op < 0.85) s = s.slice(0, at) + s.slice(at, at + 20) + s.slice(at);
    else s = s.slice(0, at) + String.fromCharCode(32 + Math.floor(rnd() * 90)) + s.slice(at + 1);
  }
  return s;
}

function attempt(run: () => unknown, where: string): unknown {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof RegistryError)) throw new Error(`${where}: ${String(e)}`);
    return undefined;
  }
}

describe('parsers under mutation', () => {
  for (const [type, texts] of Object.entries(seeds)) {
    it(`${type}: 1500 mutants parse or answer a RegistryError, and so do their compatibility checks`, () => {
      const rnd = prng(type.length * 7919);
      const format = formats[type];
      const base = texts.map((t) => format.parse(t, []));
      let parsed = 0;
      for (let i = 0; i < 1500; i++) {
        const text = mutate(texts[i % texts.length], rnd);
        const where = `${type} mutant ${i}: ${JSON.stringify(text).slice(0, 300)}`;
        const p = attempt(() => format.parse(text, []), where) as ParsedSchema | undefined;
        if (!p) continue;
        parsed++;
        attempt(() => p.normalized(), `${where} normalized`);
        for (const direction of ['BACKWARD', 'FORWARD', 'FULL'] as const) {
          attempt(() => format.compatibility(p, base[i % base.length], direction), `${where} ${direction}`);
        }
        if (type === 'JSON') attempt(() => compileValidator(p as JsonParsedSchema).validate({ a: 'x', b: [1, 2], c: 1 }), `${where} validate`);
      }
      // The mutants must exercise both outcomes, or the test proves nothing.
      expect(parsed).toBeGreaterThan(20);
      expect(parsed).toBeLessThan(1500);
    });
  }
});
