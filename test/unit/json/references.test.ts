import { describe, expect, it } from 'vitest';
import type { ResolvedReference } from '../../../src/domain/format';
import { SchemaParseError } from '../../../src/domain/errors';
import { parseJsonSchema } from '../../../src/domain/json/parse';
import { compileValidator } from '../../../src/domain/json/validator/index';
import { resolveUri } from '../../../src/domain/json/validator/uri';

const ref = (name: string, schema: object | string, references: ResolvedReference[] = []): ResolvedReference => ({
  name,
  subject: name,
  version: 1,
  schema: typeof schema === 'string' ? schema : JSON.stringify(schema),
  references,
});

const address = ref('address.json', { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] });
const country = ref('country.json', { type: 'string', enum: ['FR', 'US'] });
const addressWithCountry = ref('address.json', { type: 'object', properties: { country: { $ref: 'country.json' } }, required: ['country'] }, [
  country,
]);

describe('references: resolved by name, transitively, as Confluent registers them', () => {
  it.each([
    ['relative name', '{"properties":{"home":{"$ref":"address.json"}}}', [address], { home: { city: 'Paris' } }, { home: {} }],
    [
      '"./" prefix (json-sKema alias)',
      '{"properties":{"home":{"$ref":"./address.json"}}}',
      [address],
      { home: { city: 'Paris' } },
      { home: { city: 1 } },
    ],
    [
      'against the root $id',
      '{"$id":"https://acme.com/schemas/person.json","properties":{"home":{"$ref":"address.json"}}}',
      [address],
      { home: { city: 'x' } },
      { home: 3 },
    ],
    [
      'absolute name',
      '{"properties":{"home":{"$ref":"https://acme.com/address.json"}}}',
      [ref('https://acme.com/address.json', { type: 'string' })],
      { home: 'x' },
      { home: 1 },
    ],
    [
      'pointer into a reference',
      '{"properties":{"c":{"$ref":"defs.json#/definitions/code"}}}',
      [ref('defs.json', { definitions: { code: { pattern: '^[A-Z]{3}$' } } })],
      { c: 'ABC' },
      { c: 'abc' },
    ],
    [
      'transitive reference',
      '{"properties":{"home":{"$ref":"address.json"}}}',
      [addressWithCountry],
      { home: { country: 'FR' } },
      { home: { country: 'DE' } },
    ],
    [
      '2020-12 root',
      '{"$schema":"https://json-schema.org/draft/2020-12/schema","$ref":"address.json","unevaluatedProperties":false}',
      [address],
      { city: 'x' },
      { city: 'x', zip: 1 },
    ],
  ])('%s', (_name, text, refs, valid, invalid) => {
    const parsed = parseJsonSchema(text, refs);
    const v = compileValidator(parsed);
    expect(v.validate(valid).valid).toBe(true);
    expect(v.validate(invalid).valid).toBe(false);
  });

  it('builds the flat referenced map (name -> document), nested references included', () => {
    const parsed = parseJsonSchema('{"$ref":"address.json"}', [addressWithCountry]);
    expect([...parsed.referenced.keys()]).toEqual(['address.json', 'country.json']);
    expect(parsed.referenced.get('country.json')).toEqual({ type: 'string', enum: ['FR', 'US'] });
  });

  it('compileValidator caches one validator per parsed schema', () => {
    const parsed = parseJsonSchema('{"type":"string"}', []);
    expect(compileValidator(parsed)).toBe(compileValidator(parsed));
    expect(compileValidator(parsed, { formats: 'assert' })).not.toBe(compileValidator(parsed));
  });

  it.each([
    [
      'missing reference names the $ref',
      '{"properties":{"a":{"$ref":"missing.json"}}}',
      [address],
      /#\/properties\/a\/\$ref: can't resolve reference missing.json/,
    ],
    ['reference that is not JSON', '{"$ref":"address.json"}', [ref('address.json', '{nope')], /Invalid JSON in referenced schema 'address.json'/],
    [
      'reference that is an array',
      '{"$ref":"address.json"}',
      [ref('address.json', '[]')],
      /Invalid referenced schema 'address.json': a JSON Schema must be an object or a boolean/,
    ],
    [
      'missing pointer target in a reference',
      '{"$ref":"address.json#/definitions/x"}',
      [address],
      /can't resolve reference address.json#\/definitions\/x/,
    ],
    [
      'transitive reference missing',
      '{"$ref":"address.json"}',
      [ref('address.json', { $ref: 'country.json' })],
      /can't resolve reference country.json/,
    ],
  ])('%s', (_name, text, refs, message) => {
    expect(() => parseJsonSchema(text, refs)).toThrow(SchemaParseError);
    expect(() => parseJsonSchema(text, refs)).toThrow(message);
  });

  it('bounds the number of referenced documents', () => {
    let chain: ResolvedReference[] = [];
    for (let i = 0; i < 300; i++) chain = [ref(`r${i}.json`, { type: 'string' }, chain)];
    expect(() => parseJsonSchema('{"$ref":"r299.json"}', chain)).toThrow(/Too many referenced schemas/);
  });

  it('cyclic $ref graphs compile (links, not inlining) and a ref loop that consumes nothing is bounded at validation', () => {
    const a = ref('a.json', { properties: { b: { $ref: 'b.json' } } });
    const b = ref('b.json', { properties: { a: { $ref: 'a.json' } } });
    const parsed = parseJsonSchema('{"$ref":"a.json"}', [a, b]);
    expect(compileValidator(parsed).validate({ b: { a: { b: {} } } }).valid).toBe(true);
    const loop = parseJsonSchema('{"definitions":{"x":{"$ref":"#/definitions/y"},"y":{"$ref":"#/definitions/x"}},"$ref":"#/definitions/x"}', []);
    const r = compileValidator(loop).validate(1);
    expect(r.valid).toBe(false);
    expect(r.errors[0]).toMatchObject({ keyword: '$ref', message: expect.stringMatching(/nesting deeper than/) });
  });
});

describe('RFC 3986 reference resolution', () => {
  it.each([
    ['', 'a.json', 'a.json'],
    ['http://x.com/a/b.json', 'c.json', 'http://x.com/a/c.json'],
    ['http://x.com/a/b.json', '../c.json', 'http://x.com/c.json'],
    ['http://x.com/a/b.json', '/c.json#/d', 'http://x.com/c.json#/d'],
    ['http://x.com/a/b.json', '#foo', 'http://x.com/a/b.json#foo'],
    ['http://x.com', 'c.json', 'http://x.com/c.json'],
    ['urn:uuid:deadbeef', '#/defs/a', 'urn:uuid:deadbeef#/defs/a'],
    ['http://x.com/a/', 'HTTP://Y.com/./z/../w', 'http://Y.com/w'],
    ['a/b.json', 'c.json', 'a/c.json'],
  ])('resolve(%s, %s) = %s', (base, r, out) => {
    expect(resolveUri(base, r)).toBe(out);
  });
});
