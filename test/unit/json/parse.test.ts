import { describe, expect, it } from 'vitest';
import { SchemaParseError } from '../../../src/domain/errors';
import { draftFromSchemaUri } from '../../../src/domain/json/drafts';
import { parseJsonSchema } from '../../../src/domain/json/parse';

const S04 = 'http://json-schema.org/draft-04/schema#';
const S06 = 'http://json-schema.org/draft-06/schema#';
const S07 = 'http://json-schema.org/draft-07/schema#';
const S19 = 'https://json-schema.org/draft/2019-09/schema';
const S20 = 'https://json-schema.org/draft/2020-12/schema';
const withSchema = (uri: string, body: object) => JSON.stringify({ $schema: uri, ...body });

describe('draft selection by $schema (default draft-07, as Confluent)', () => {
  it.each([
    ['{"type":"string"}', 'draft-07'],
    ['true', 'draft-07'],
    [withSchema(S04, {}), 'draft-04'],
    [withSchema('http://json-schema.org/draft-04/schema', {}), 'draft-04'],
    [withSchema(S06, {}), 'draft-06'],
    [withSchema('https://json-schema.org/draft-07/schema', {}), 'draft-07'],
    [withSchema(S19, {}), '2019-09'],
    [withSchema(S20 + '#', {}), '2020-12'],
    [withSchema('http://example.com/custom-meta', {}), 'draft-07'],
  ])('%s -> %s', (text, draft) => {
    expect(parseJsonSchema(text, []).draft).toBe(draft);
  });

  it.each([
    ['http://json-schema.org/schema#', undefined],
    ['http://json-schema.org/draft-03/schema#', undefined],
    [42, undefined],
    ['https://json-schema.org/draft/2020-12/schema', '2020-12'],
  ])('draftFromSchemaUri(%s) = %s', (uri, draft) => {
    expect(draftFromSchemaUri(uri)).toBe(draft);
  });
});

describe('valid schemas per draft', () => {
  it.each([
    ['draft-04 exclusiveMaximum boolean', withSchema(S04, { maximum: 5, exclusiveMaximum: true, id: 'http://x/y' })],
    ['draft-06 const/contains/propertyNames', withSchema(S06, { const: 1, contains: { type: 'string' }, propertyNames: { maxLength: 3 } })],
    ['draft-07 if/then/else', withSchema(S07, { if: { type: 'string' }, then: { minLength: 1 }, else: false })],
    [
      '2019-09 unevaluated/dependentSchemas/$anchor',
      withSchema(S19, {
        $defs: { a: { $anchor: 'A', type: 'string' } },
        properties: { x: { $ref: '#A' } },
        unevaluatedProperties: false,
        dependentSchemas: { x: { required: ['y'] } },
      }),
    ],
    ['2019-09 $recursiveRef', withSchema(S19, { $recursiveAnchor: true, properties: { c: { $recursiveRef: '#' } } })],
    ['2020-12 prefixItems/$dynamicRef', withSchema(S20, { $dynamicAnchor: 'n', prefixItems: [{ type: 'string' }], items: { $dynamicRef: '#n' } })],
    ['unknown keywords are allowed', '{"type":"object","x-vendor":{"anything":[1,2]},"connect.name":"x"}'],
    ['local $ref to definitions', '{"definitions":{"a":{"type":"string"}},"properties":{"a":{"$ref":"#/definitions/a"}}}'],
    ['$ref to a bundled meta-schema', '{"properties":{"schema":{"$ref":"http://json-schema.org/draft-07/schema#"}}}'],
    ['recursive $ref', '{"type":"object","properties":{"children":{"type":"array","items":{"$ref":"#"}}}}'],
    ['unicode property pattern', '{"patternProperties":{"^\\\\p{L}+$":{}}}'],
    ['pattern legal only without the u flag', '{"pattern":"^[a-z\\\\-]+\\\\-$"}'],
    ['boolean false schema', 'false'],
  ])('%s', (_name, text) => {
    expect(() => parseJsonSchema(text, [])).not.toThrow();
  });
});

describe('invalid schemas are SchemaParseError (42201) with pointer and reason', () => {
  it.each([
    ['not JSON', '{"type":', /^Invalid JSON: unexpected end of input at line 1, column 9$/],
    ['array document', '[{"type":"string"}]', /a schema must be a JSON object or a boolean/],
    ['string document', '"string"', /a schema must be a JSON object or a boolean/],
    [
      'unknown type name',
      '{"properties":{"a":{"type":"strin"}}}',
      /^Invalid JSON Schema \(draft-07\): #\/properties\/a\/type: must be equal to one of the allowed values/,
    ],
    ['negative minLength', '{"minLength":-1}', /#\/minLength: must be >= 0/],
    ['required not an array (draft-07)', '{"required":true}', /#\/required: must be array/],
    ['properties not an object', '{"properties":[]}', /#\/properties: must be object/],
    ['draft-04 numeric exclusiveMinimum', withSchema(S04, { exclusiveMinimum: 3 }), /\(draft-04\): #\/exclusiveMinimum: must be boolean/],
    ['draft-04 empty required', withSchema(S04, { required: [] }), /\(draft-04\): #\/required: must NOT have fewer than 1 items/],
    ['draft-06 boolean exclusiveMaximum', withSchema(S06, { exclusiveMaximum: true }), /\(draft-06\): #\/exclusiveMaximum: must be number/],
    ['2019-09 bad $anchor', withSchema(S19, { $anchor: '1bad' }), /\(2019-09\): #\/\$anchor: must match pattern/],
    ['2020-12 items array', withSchema(S20, { items: [{}] }), /\(2020-12\): #\/items: must be (object|boolean)/],
    ['2020-12 nested bad type', withSchema(S20, { properties: { a: { properties: { b: { type: 5 } } } } }), /#\/properties\/a\/properties\/b\/type/],
    ['duplicate enum values', '{"enum":[1,1]}', /#\/enum: must NOT have duplicate items/],
    ['invalid regex', '{"pattern":"(["}', /^Invalid JSON Schema: #\/pattern: invalid regular expression/],
    ['invalid patternProperties regex', '{"patternProperties":{"a(":{}}}', /#\/patternProperties\/a\(: invalid regular expression/],
    [
      'unresolvable local $ref',
      '{"properties":{"a":{"$ref":"#/definitions/missing"}}}',
      /#\/properties\/a\/\$ref: can't resolve reference #\/definitions\/missing/,
    ],
    ['unresolvable $ref in an unused definition', '{"definitions":{"x":{"$ref":"#/nope"}}}', /can't resolve reference #\/nope/],
    ['missing referenced document', '{"$ref":"address.json"}', /can't resolve reference address.json/],
    [
      'remote http $ref (no network)',
      '{"$ref":"https://example.com/schemas/a.json"}',
      /can't resolve reference https:\/\/example.com\/schemas\/a.json/,
    ],
    ['unknown anchor', withSchema(S20, { $ref: '#nope' }), /can't resolve reference #nope/],
    ['too deep', '['.repeat(200) + ']'.repeat(200), /nesting deeper than 128/],
  ])('%s', (_name, text, message) => {
    let err: unknown;
    try {
      parseJsonSchema(text, []);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SchemaParseError);
    expect((err as SchemaParseError).code).toBe(42201);
    expect((err as Error).message).toMatch(message);
  });
});
