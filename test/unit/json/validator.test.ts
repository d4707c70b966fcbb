import { describe, expect, it } from 'vitest';
import { compileSchema, hasNestedQuantifier } from '../../../src/domain/json/validator/index';
import { ajvValidator } from '../../../src/node/ajv-validator';

const person = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1 },
    age: { type: 'integer', minimum: 0 },
    tags: { type: 'array', items: { type: 'string' }, uniqueItems: true },
    'a/b~c': { type: 'boolean' },
  },
  required: ['name'],
  additionalProperties: false,
};

describe('Workers engine: error shapes {instancePath, schemaPath, keyword, message}', () => {
  it.each([
    ['valid', person, { name: 'x', age: 3 }, []],
    [
      'type at a property',
      person,
      { name: 'x', age: 'old' },
      [{ instancePath: '/age', schemaPath: '#/properties/age/type', keyword: 'type', message: 'must be integer' }],
    ],
    ['required', person, {}, [{ instancePath: '', schemaPath: '#/required', keyword: 'required', message: "must have required property 'name'" }]],
    [
      'additionalProperties names the property',
      person,
      { name: 'x', extra: 1 },
      [
        {
          instancePath: '',
          schemaPath: '#/additionalProperties',
          keyword: 'additionalProperties',
          message: "must NOT have additional property 'extra'",
        },
      ],
    ],
    [
      'pointer escaping ~0 ~1',
      person,
      { name: 'x', 'a/b~c': 1 },
      [{ instancePath: '/a~1b~0c', schemaPath: '#/properties/a~1b~0c/type', keyword: 'type', message: 'must be boolean' }],
    ],
    [
      'array item path',
      person,
      { name: 'x', tags: ['a', 2] },
      [{ instancePath: '/tags/1', schemaPath: '#/properties/tags/items/type', keyword: 'type', message: 'must be string' }],
    ],
    [
      'uniqueItems',
      person,
      { name: 'x', tags: ['a', 'a'] },
      [
        {
          instancePath: '/tags',
          schemaPath: '#/properties/tags/uniqueItems',
          keyword: 'uniqueItems',
          message: 'must NOT have duplicate items (items ## 0 and 1 are identical)',
        },
      ],
    ],
    [
      'all errors collected',
      person,
      { name: '', age: -1 },
      [
        { instancePath: '/name', schemaPath: '#/properties/name/minLength', keyword: 'minLength', message: 'must NOT have fewer than 1 characters' },
        { instancePath: '/age', schemaPath: '#/properties/age/minimum', keyword: 'minimum', message: 'must be >= 0' },
      ],
    ],
    ['false schema', false, 1, [{ instancePath: '', schemaPath: '#', keyword: 'false schema', message: 'boolean schema is false' }]],
    [
      'enum',
      { enum: ['a', 'b'] },
      'c',
      [{ instancePath: '', schemaPath: '#/enum', keyword: 'enum', message: 'must be equal to one of the allowed values' }],
    ],
    [
      'const',
      { const: { a: [1] } },
      { a: [2] },
      [{ instancePath: '', schemaPath: '#/const', keyword: 'const', message: 'must be equal to constant' }],
    ],
    ['pattern', { pattern: '^a' }, 'b', [{ instancePath: '', schemaPath: '#/pattern', keyword: 'pattern', message: 'must match pattern "^a"' }]],
    [
      'multipleOf decimal',
      { multipleOf: 0.01 },
      0.333,
      [{ instancePath: '', schemaPath: '#/multipleOf', keyword: 'multipleOf', message: 'must be multiple of 0.01' }],
    ],
    [
      'exclusiveMaximum',
      { exclusiveMaximum: 5 },
      5,
      [{ instancePath: '', schemaPath: '#/exclusiveMaximum', keyword: 'exclusiveMaximum', message: 'must be < 5' }],
    ],
    [
      'draft-04 boolean exclusiveMinimum',
      { $schema: 'http://json-schema.org/draft-04/schema#', minimum: 5, exclusiveMinimum: true },
      5,
      [{ instancePath: '', schemaPath: '#/exclusiveMinimum', keyword: 'exclusiveMinimum', message: 'must be > 5' }],
    ],
    [
      '$ref reports the target path',
      { definitions: { s: { type: 'string' } }, properties: { a: { $ref: '#/definitions/s' } } },
      { a: 1 },
      [{ instancePath: '/a', schemaPath: '#/definitions/s/type', keyword: 'type', message: 'must be string' }],
    ],
    [
      'anyOf: branch errors then the summary',
      { anyOf: [{ type: 'string' }, { type: 'null' }] },
      1,
      [
        { instancePath: '', schemaPath: '#/anyOf/0/type', keyword: 'type', message: 'must be string' },
        { instancePath: '', schemaPath: '#/anyOf/1/type', keyword: 'type', message: 'must be null' },
        { instancePath: '', schemaPath: '#/anyOf', keyword: 'anyOf', message: 'must match a schema in anyOf' },
      ],
    ],
    [
      'oneOf matching two',
      { oneOf: [{ type: 'number' }, { type: 'integer' }] },
      1,
      [{ instancePath: '', schemaPath: '#/oneOf', keyword: 'oneOf', message: 'must match exactly one schema in oneOf (matches 0, 1)' }],
    ],
    ['not', { not: { type: 'string' } }, 'x', [{ instancePath: '', schemaPath: '#/not', keyword: 'not', message: 'must NOT be valid' }]],
    [
      'if/then',
      { if: { type: 'string' }, then: { minLength: 2 } },
      'x',
      [
        { instancePath: '', schemaPath: '#/then/minLength', keyword: 'minLength', message: 'must NOT have fewer than 2 characters' },
        { instancePath: '', schemaPath: '#/then', keyword: 'if', message: 'must match "then" schema' },
      ],
    ],
    [
      'contains',
      { contains: { const: 1 } },
      [2],
      [{ instancePath: '', schemaPath: '#/contains', keyword: 'contains', message: 'must contain at least 1 valid item(s)' }],
    ],
    [
      'dependentRequired',
      { $schema: 'https://json-schema.org/draft/2020-12/schema', dependentRequired: { a: ['b'] } },
      { a: 1 },
      [
        {
          instancePath: '',
          schemaPath: '#/dependentRequired/a',
          keyword: 'dependentRequired',
          message: "must have property 'b' when property 'a' is present",
        },
      ],
    ],
    [
      'unevaluatedProperties',
      { $schema: 'https://json-schema.org/draft/2020-12/schema', allOf: [{ properties: { a: true } }], unevaluatedProperties: false },
      { a: 1, b: 2 },
      [
        {
          instancePath: '',
          schemaPath: '#/unevaluatedProperties',
          keyword: 'unevaluatedProperties',
          message: "must NOT have unevaluated property 'b'",
        },
      ],
    ],
    [
      'propertyNames',
      { propertyNames: { maxLength: 2 } },
      { abc: 1 },
      [{ instancePath: '', schemaPath: '#/propertyNames', keyword: 'propertyNames', message: "property name 'abc' is invalid" }],
    ],
    ['maxLength counts code points', { maxLength: 1 }, '😀', []],
  ])('%s', (_name, schema, instance, errors) => {
    const r = compileSchema(schema).validate(instance);
    expect(r.errors).toEqual(errors);
    expect(r.valid).toBe(errors.length === 0);
  });
});

describe('formats: annotation by default, assertion on request', () => {
  it.each([
    ['date-time', '2024-02-30T00:00:00Z', false],
    ['date-time', '2024-02-29T23:59:60Z', true],
    ['date', '2023-02-29', false],
    ['email', 'a@example.com', true],
    ['email', 'a@@example.com', false],
    ['ipv4', '256.0.0.1', false],
    ['ipv6', '::1', true],
    ['uuid', '123e4567-e89b-12d3-a456-426614174000', true],
    ['uri', 'relative/path', false],
    ['hostname', '-bad.com', false],
    ['unknown-format', 'anything', true],
  ])('%s %s -> %s', (format, value, ok) => {
    expect(compileSchema({ format }).validate(value).valid).toBe(true);
    expect(compileSchema({ format }, { formats: 'assert' }).validate(value).valid).toBe(ok);
  });
});

describe('bounds', () => {
  const nested = (n: number): unknown => {
    let v: unknown = 1;
    for (let i = 0; i < n; i++) v = [v];
    return v;
  };
  const tree = { type: ['array', 'integer'], items: { $ref: '#' } };

  it.each([
    ['instance at the depth limit', 10, true],
    ['instance deeper than the limit', 11, false],
  ])('%s', (_n, depth, valid) => {
    const r = compileSchema(tree, { maxInstanceDepth: 10 }).validate(nested(depth));
    expect(r.valid).toBe(valid);
    if (!valid)
      expect(r.errors).toEqual([
        { instancePath: '/0/0/0/0/0/0/0/0/0/0', schemaPath: '#', keyword: 'maxDepth', message: 'instance nesting deeper than 10' },
      ]);
  });

  it.each([
    ['(a+)+$', true],
    ['(\\w*)*', true],
    ['^(a|b)+$', false],
    ['^(\\d{3}-)+$', false],
    ['^([a-z]+\\.)+[a-z]+$', true],
    ['[(a+)+]', false],
    ['^a+b+$', false],
  ])('hasNestedQuantifier(%s) = %s', (p, unsafe) => {
    expect(hasNestedQuantifier(p)).toBe(unsafe);
  });

  it.each([
    ['invalid regex', { pattern: '[' }, /#\/pattern: invalid regular expression/],
    ['pattern too long', { pattern: 'a'.repeat(5000) }, /pattern is 5000 characters long/],
    ['unresolvable $ref', { $ref: '#/nope' }, /#\/\$ref: can't resolve reference #\/nope/],
    ['schema that is not a schema', { properties: { a: 5 } }, /#\/properties\/a: a schema must be an object or a boolean/],
  ])('compile error: %s', (_n, schema, message) => {
    expect(() => compileSchema(schema)).toThrow(message);
  });
});

describe('Node engine (ajv) behind the same interface', () => {
  it.each([
    ['valid', person, { name: 'x' }, true, undefined],
    [
      'invalid',
      person,
      { name: 'x', age: 'old' },
      false,
      { instancePath: '/age', schemaPath: '#/properties/age/type', keyword: 'type', message: 'must be integer' },
    ],
    [
      '2020-12',
      { $schema: 'https://json-schema.org/draft/2020-12/schema', prefixItems: [{ type: 'string' }], items: false },
      ['a', 1],
      false,
      { keyword: 'items' },
    ],
    [
      '2019-09',
      { $schema: 'https://json-schema.org/draft/2019-09/schema', dependentRequired: { a: ['b'] } },
      { a: 1 },
      false,
      { keyword: 'dependentRequired' },
    ],
    ['draft-06', { $schema: 'http://json-schema.org/draft-06/schema#', contains: { const: 1 } }, [1], true, undefined],
    [
      'draft-04 (ajv-draft-04)',
      { $schema: 'http://json-schema.org/draft-04/schema#', minimum: 5, exclusiveMinimum: true },
      5,
      false,
      { keyword: 'minimum', message: 'must be > 5' },
    ],
    [
      'draft-07: $ref replaces its siblings',
      { definitions: { s: { type: 'string' } }, properties: { a: { $ref: '#/definitions/s', maxLength: 1 } } },
      { a: 'long' },
      true,
      undefined,
    ],
    [
      '2020-12: $ref and siblings both apply',
      {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $defs: { s: { type: 'string' } },
        properties: { a: { $ref: '#/$defs/s', maxLength: 1 } },
      },
      { a: 'long' },
      false,
      { keyword: 'maxLength' },
    ],
    ['required sees own properties only', { required: ['toString'] }, {}, false, { keyword: 'required' }],
    ['format asserted on request', { format: 'email' }, 'nope', true, undefined],
  ])('%s', (_n, schema, instance, valid, firstError) => {
    const r = ajvValidator(schema).validate(instance);
    expect(r.valid).toBe(valid);
    if (firstError) expect(r.errors[0]).toMatchObject(firstError);
  });

  it('a $ref into a document declaring another draft resolves', () => {
    const other = { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'string' };
    const v = ajvValidator(
      { $schema: 'http://json-schema.org/draft-07/schema#', $ref: 'http://x/other.json' },
      { documents: [['http://x/other.json', other]] },
    );
    expect([v.validate('a').valid, v.validate(1).valid]).toEqual([true, false]);
  });

  it('both engines agree on validity for the person schema', () => {
    for (const inst of [{ name: 'x' }, {}, { name: 1 }, { name: 'x', tags: ['a', 'a'] }, { name: 'x', extra: true }]) {
      expect(compileSchema(person).validate(inst).valid).toBe(ajvValidator(person).validate(inst).valid);
    }
  });
});
