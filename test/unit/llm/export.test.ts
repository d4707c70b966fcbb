import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCode, RegistryError } from '../../../src/domain/errors';
import { EXPORT_TARGETS, exportSchema, type ExportTarget, type Finding } from '../../../src/domain/llm/export';
import { ANTHROPIC_NAME, MCP_NAME, OPENAI_NAME, sanitizeName, toolName } from '../../../src/domain/llm/export/names';
import { MAX_SCHEMA_JSON_DEPTH, MAX_SCHEMA_JSON_NODES } from '../../../src/domain/llm/export/schema-walk';

function fixture(target: string, file: string): any {
  return JSON.parse(readFileSync(new URL(`../../fixtures/exports/${target}/${file}`, import.meta.url), 'utf8'));
}

function thrown(fn: () => unknown): RegistryError {
  try {
    fn();
  } catch (e) {
    if (e instanceof RegistryError) return e;
    throw e;
  }
  throw new Error('expected a RegistryError');
}

/** rule@path:severity, the compact form the tables below compare. */
const brief = (fs: Finding[]) => fs.map((f) => `${f.rule}@${f.path}:${f.severity}`);

describe('exportSchema: fixtures (test/fixtures/exports/<target>)', () => {
  it.each(EXPORT_TARGETS.map((t) => [t]))('%s without fix', (target) => {
    const input = fixture(target, 'input.json');
    expect(exportSchema(target, { ...input, fix: false })).toEqual(fixture(target, 'expected.json'));
  });
  it.each(EXPORT_TARGETS.map((t) => [t]))('%s with fix', (target) => {
    const input = fixture(target, 'input.json');
    expect(exportSchema(target, { ...input, fix: true })).toEqual(fixture(target, 'expected-fix.json'));
  });
  it.each(EXPORT_TARGETS.map((t) => [t]))('%s: the input schema is not mutated', (target) => {
    const input = fixture(target, 'input.json');
    const before = JSON.stringify(input);
    exportSchema(target, { ...input, fix: true });
    exportSchema(target, { ...input, fix: false });
    expect(JSON.stringify(input)).toBe(before);
  });
  it.each(EXPORT_TARGETS.map((t) => [t]))('%s: a fixed schema fixed again changes nothing', (target) => {
    const input = fixture(target, 'input.json');
    const once = exportSchema(target, { ...input, fix: true });
    const schemaOf = (o: any) =>
      o.function?.parameters ?? o.parameters ?? o.json_schema?.schema ?? o.input_schema ?? o.inputSchema ?? o.responseJsonSchema;
    const o: any = once.output;
    const description = o.function?.description ?? o.description ?? o.json_schema?.description ?? input.description;
    const twice = exportSchema(target, { ...input, description, schema: schemaOf(once.output), fix: true });
    expect(twice.changes).toEqual([]);
    expect(twice.output).toEqual(once.output);
  });
});

describe('exportSchema: errors', () => {
  it('unknown target lists the valid ones', () => {
    const e = thrown(() => exportSchema('openai', { subject: 's', schema: {} }));
    expect(e.code).toBe(ErrorCode.UNSUPPORTED_TARGET);
    expect(e.message).toBe(
      "Unknown export target 'openai'. Valid targets: openai-chat-tool, openai-responses-tool, openai-response-format, anthropic-tool, gemini-response-schema, mcp-tool.",
    );
  });
  it.each([[null], ['{"type":"object"}'], [42], [[{ type: 'object' }]]])('schema %j is refused', (schema) => {
    const e = thrown(() => exportSchema('mcp-tool', { subject: 's', schema }));
    expect(e.code).toBe(ErrorCode.INVALID_SCHEMA);
    expect(e.message).toBe('The schema to export must be a JSON Schema object or boolean.');
  });
  it('too deep', () => {
    let schema: any = { type: 'string' };
    for (let i = 0; i < MAX_SCHEMA_JSON_DEPTH; i++) schema = { type: 'array', items: schema };
    const e = thrown(() => exportSchema('anthropic-tool', { subject: 's', schema }));
    expect(e.code).toBe(ErrorCode.DOCUMENT_TOO_DEEP);
    expect(e.message).toBe(`Schema is nested deeper than ${MAX_SCHEMA_JSON_DEPTH} levels; export refused.`);
  });
  it('too large', () => {
    const schema = { type: 'object', enum: Array.from({ length: MAX_SCHEMA_JSON_NODES }, (_, i) => i) };
    const e = thrown(() => exportSchema('anthropic-tool', { subject: 's', schema }));
    expect(e.code).toBe(ErrorCode.SCHEMA_TOO_LARGE);
    expect(e.message).toBe(`Schema has more than ${MAX_SCHEMA_JSON_NODES} JSON values; export refused.`);
  });
});

const okObject = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false };

describe('exportSchema: output shapes', () => {
  it.each<[ExportTarget, unknown]>([
    ['openai-chat-tool', { type: 'function', function: { name: 'my-subject', description: 'D', parameters: okObject, strict: true } }],
    ['openai-responses-tool', { type: 'function', name: 'my-subject', description: 'D', parameters: okObject, strict: true }],
    ['openai-response-format', { type: 'json_schema', json_schema: { name: 'my-subject', description: 'D', schema: okObject, strict: true } }],
    ['anthropic-tool', { name: 'my-subject', description: 'D', input_schema: okObject }],
    ['gemini-response-schema', { responseMimeType: 'application/json', responseJsonSchema: okObject }],
    ['mcp-tool', { name: 'my-subject', description: 'D', inputSchema: okObject }],
  ])('%s', (target, output) => {
    expect(exportSchema(target, { subject: 'my-subject', schema: okObject, description: 'D' })).toEqual({ target, output, findings: [] });
  });

  it.each<[ExportTarget, string]>([
    ['openai-chat-tool', 'function'],
    ['openai-responses-tool', ''],
    ['anthropic-tool', ''],
    ['mcp-tool', ''],
  ])('%s: no description -> key omitted, warning', (target, nest) => {
    const r = exportSchema(target, { subject: 's', schema: okObject });
    const o: any = nest ? (r.output as any)[nest] : r.output;
    expect('description' in o).toBe(false);
    expect(brief(r.findings)).toEqual(['description@:warning']);
  });

  it.each([
    [{ ...okObject, description: 'from description', title: 'from title' }, undefined, 'from description'],
    [{ ...okObject, title: 'from title' }, undefined, 'from title'],
    [{ ...okObject, description: 'from description' }, 'explicit', 'explicit'],
  ])('description source %#', (schema, description, expected) => {
    const r = exportSchema('anthropic-tool', { subject: 's', schema, description });
    expect((r.output as any).description).toBe(expected);
  });

  it.each<[ExportTarget]>([['openai-chat-tool'], ['openai-responses-tool']])('%s: strict is false while errors remain', (target) => {
    const r = exportSchema(target, { subject: 's', schema: { type: 'object', properties: { a: { type: 'string' } } }, description: 'd' });
    const o: any = target === 'openai-chat-tool' ? (r.output as any).function : r.output;
    expect(o.strict).toBe(false);
  });

  it('response_format keeps strict: true (the findings say it will be rejected)', () => {
    const r = exportSchema('openai-response-format', { subject: 's', schema: { type: 'string' } });
    expect((r.output as any).json_schema.strict).toBe(true);
    expect(brief(r.findings)).toEqual(['root-object@:error']);
  });

  it('gemini ignores name and description inputs', () => {
    const r = exportSchema('gemini-response-schema', { subject: 's', schema: { type: 'string' }, name: 'bad name', description: 'd' });
    expect(r).toEqual({
      target: 'gemini-response-schema',
      output: { responseMimeType: 'application/json', responseJsonSchema: { type: 'string' } },
      findings: [],
    });
  });

  it('changes is present only when fix was asked', () => {
    expect('changes' in exportSchema('mcp-tool', { subject: 's', schema: okObject })).toBe(false);
    expect(exportSchema('mcp-tool', { subject: 's', schema: okObject, fix: true }).changes).toEqual([]);
  });
});

describe('tool names', () => {
  it.each([
    ['orders-value', OPENAI_NAME, 'orders-value'],
    ['com.acme.Orders', OPENAI_NAME, 'com_acme_Orders'],
    [':.tenant-a:orders-value', OPENAI_NAME, 'tenant-a_orders-value'],
    ['a  b//c', OPENAI_NAME, 'a_b_c'],
    ['x'.repeat(70), OPENAI_NAME, 'x'.repeat(64)],
    ['x'.repeat(63) + '.y', OPENAI_NAME, 'x'.repeat(63)],
    ['ünïcödé', OPENAI_NAME, 'n_c_d'],
    ['...', OPENAI_NAME, 'schema'],
    ['', OPENAI_NAME, 'schema'],
    ['x'.repeat(130), ANTHROPIC_NAME, 'x'.repeat(128)],
    ['com.acme.Orders', ANTHROPIC_NAME, 'com_acme_Orders'],
    ['com.acme.Orders', MCP_NAME, 'com.acme.Orders'],
    [':.tenant-a:inventory.lookup', MCP_NAME, 'tenant-a_inventory.lookup'],
    ['admin tools/list', MCP_NAME, 'admin_tools_list'],
    ['😀emoji', MCP_NAME, 'emoji'],
  ])('%j (%s)', (raw, rule, name) => {
    expect(sanitizeName(raw, rule)).toBe(name);
  });

  it.each([
    [{ subject: 'bad subject' }, 'bad_subject', undefined],
    [{ subject: 's', name: 'good_name' }, 'good_name', undefined],
    [{ subject: 's', name: 'bad name' }, 'bad_name', 'Name "bad name" does not match OpenAI\'s ^[a-zA-Z0-9_-]{1,64}$; exported as "bad_name".'],
  ])('explicit names warn when changed %#', (input, name, message) => {
    const r = toolName(input, OPENAI_NAME);
    expect(r.name).toBe(name);
    expect(r.finding?.message).toBe(message);
  });
});

/** Lint one schema for a target; findings other than the description warning. */
function lint(target: ExportTarget, schema: unknown): string[] {
  return brief(exportSchema(target, { subject: 's', schema, description: 'd' }).findings);
}

const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
  ...extra,
});

describe('OpenAI strict lint: one rule per row', () => {
  it.each<[string, unknown, string[]]>([
    ['conforming schema', obj({ a: { type: 'string' } }), []],
    ['root not an object', { type: 'array', items: { type: 'string' } }, ['root-object@:error']],
    ['root nullable object', { ...obj({}), type: ['object', 'null'] }, ['root-object@:error']],
    ['boolean root', true, ['root-object@:error', 'missing-type@:error']],
    ['root anyOf', { anyOf: [obj({})] }, ['root-object@:error', 'root-any-of@:error']],
    ['additionalProperties missing', { ...obj({}), additionalProperties: undefined }, ['additional-properties@:error']],
    ['additionalProperties a schema', obj({}, { additionalProperties: { type: 'string' } }), ['additional-properties@:error']],
    ['property not required', obj({ a: { type: 'string' }, b: { type: 'string' } }, { required: ['a'] }), ['required-all@:error']],
    [
      'nested object rules',
      obj({ o: { type: 'object', properties: { x: { type: 'string' } } } }),
      ['additional-properties@/properties/o:error', 'required-all@/properties/o:error'],
    ],
    [
      'object inside array items',
      obj({ l: { type: 'array', items: { type: 'object', properties: {} } } }),
      ['additional-properties@/properties/l/items:error'],
    ],
    [
      'object inside anyOf',
      obj({ u: { anyOf: [{ type: 'object', properties: {} }, { type: 'null' }] } }),
      ['additional-properties@/properties/u/anyOf/0:error'],
    ],
    ['object in $defs', obj({}, { $defs: { d: { type: 'object', properties: {} } } }), ['additional-properties@/$defs/d:error']],
    ...(['allOf', 'not', 'if', 'then', 'else', 'dependentRequired', 'dependentSchemas', 'patternProperties'] as const).map(
      (k): [string, unknown, string[]] => [
        `unsupported keyword ${k}`,
        obj({
          a: {
            type: 'object',
            properties: {},
            required: [],
            additionalProperties: false,
            [k]: k === 'dependentRequired' ? {} : k === 'allOf' ? [{}] : k === 'patternProperties' || k === 'dependentSchemas' ? {} : {},
          },
        }),
        ['unsupported-keyword@/properties/a:error'],
      ],
    ),
    [
      'insides of unsupported keywords are not linted again',
      obj({ a: { type: 'string', not: { type: 'object', properties: {} } } }),
      ['unsupported-keyword@/properties/a:error'],
    ],
    ...(['minLength', 'maxLength'] as const).map((k): [string, unknown, string[]] => [
      `string ${k}`,
      obj({ a: { type: 'string', [k]: 1 } }),
      ['undocumented-keyword@/properties/a:warning'],
    ]),
    ['uniqueItems', obj({ a: { type: 'array', items: { type: 'string' }, uniqueItems: true } }), ['undocumented-keyword@/properties/a:warning']],
    ['minProperties', obj({}, { minProperties: 1 }), ['undocumented-keyword@:warning']],
    ['oneOf', obj({ a: { oneOf: [{ type: 'string' }, { type: 'integer' }] } }), ['undocumented-keyword@/properties/a:warning']],
    ['default', obj({ a: { type: 'string', default: 'x' } }), ['undocumented-keyword@/properties/a:warning']],
    ['$schema', obj({}, { $schema: 'https://json-schema.org/draft/2020-12/schema' }), ['undocumented-keyword@:warning']],
    ['keyword of another type (pattern on a number)', obj({ a: { type: 'number', pattern: 'x' } }), ['undocumented-keyword@/properties/a:warning']],
    ['tuple items', obj({ a: { type: 'array', items: [{ type: 'string' }] } }), ['undocumented-keyword@/properties/a:warning']],
    [
      'supported constraints are fine',
      obj({
        s: { type: 'string', pattern: '^a', format: 'email' },
        n: { type: 'number', minimum: 0, maximum: 1, exclusiveMinimum: -1, exclusiveMaximum: 2, multipleOf: 0.5 },
        l: { type: 'array', items: { type: 'integer' }, minItems: 1, maxItems: 3 },
        e: { enum: ['x', 'y'] },
        c: { const: 'k' },
        u: { anyOf: [{ type: 'string' }, { type: 'null' }] },
        t: { type: ['string', 'null'], description: 'd', title: 't' },
      }),
      [],
    ],
    ...['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid'].map((f): [string, unknown, string[]] => [
      `format ${f}`,
      obj({ a: { type: 'string', format: f } }),
      [],
    ]),
    ['format uri', obj({ a: { type: 'string', format: 'uri' } }), ['format@/properties/a:error']],
    ['unknown type', obj({ a: { type: 'decimal' } }), ['type@/properties/a:error']],
    ['no type', obj({ a: { description: 'anything' } }), ['missing-type@/properties/a:error']],
    ['empty schema', obj({ a: {} }), ['missing-type@/properties/a:error']],
    ['true schema', obj({ a: true }), ['missing-type@/properties/a:error']],
    ['false schema', obj({ a: false }), ['missing-type@/properties/a:error']],
    ['local $ref', obj({ a: { $ref: '#/$defs/x' } }, { $defs: { x: { type: 'string' } } }), []],
    ['root recursion', obj({ kids: { type: 'array', items: { $ref: '#' } } }), []],
    ['external $ref', obj({ a: { $ref: 'https://example.com/x.json' } }), ['ref-external@/properties/a:error']],
    ['unresolved $ref', obj({ a: { $ref: '#/$defs/nope' } }), ['ref-unresolved@/properties/a:error']],
    [
      '$ref with siblings',
      obj({ a: { $ref: '#/$defs/x', description: 'd' } }, { $defs: { x: { type: 'string' } } }),
      ['ref-siblings@/properties/a:warning'],
    ],
  ])('%s', (_name, schema, expected) => {
    expect(lint('openai-response-format', schema)).toEqual(expected);
  });
});

/** Nest objects `n` levels deep (the root counts as level 1). */
function nested(n: number): unknown {
  let s: any = obj({ leaf: { type: 'string' } });
  for (let i = 1; i < n; i++) s = obj({ child: s });
  return s;
}

describe('OpenAI strict lint: limits', () => {
  const manyProps = (n: number, name = (i: number) => `p${i}`) =>
    obj(Object.fromEntries(Array.from({ length: n }, (_, i) => [name(i), { type: 'string' }])));
  it.each<[string, unknown, string[]]>([
    ['10 levels of nesting', nested(10), []],
    ['11 levels of nesting', nested(11), [`nesting-depth@${'/properties/child'.repeat(10)}:error`]],
    ['nesting is counted from each definition', obj({ r: { $ref: '#/$defs/d' } }, { $defs: { d: nested(10) } }), []],
    ['arrays do not add a level', obj({ l: { type: 'array', items: { type: 'array', items: nested(9) } } }), []],
    ['5000 properties', manyProps(5000), []],
    ['5001 properties', manyProps(5001), ['property-count@:error']],
    ['120,000 characters of names', manyProps(1000, (i) => `${i}`.padStart(120, 'n')), []],
    [
      '120,001 characters of names',
      obj({ ...(manyProps(1000, (i) => `${i}`.padStart(120, 'n')) as any).properties, x: { type: 'string' } }),
      ['string-size@:error'],
    ],
    ['1000 enum values', obj({ a: { enum: Array.from({ length: 1000 }, (_, i) => i) } }), []],
    [
      '1001 enum values across two enums',
      obj({ a: { enum: Array.from({ length: 600 }, (_, i) => i) }, b: { enum: Array.from({ length: 401 }, (_, i) => i) } }),
      ['enum-count@:error'],
    ],
    ['251 string values within 15,000 characters', obj({ a: { enum: Array.from({ length: 251 }, (_, i) => `${i}`.padStart(59, 'v')) } }), []],
    [
      '251 string values over 15,000 characters',
      obj({ a: { enum: Array.from({ length: 251 }, (_, i) => `${i}`.padStart(60, 'v')) } }),
      ['enum-size@/properties/a:error'],
    ],
    ['250 long string values are not limited per enum', obj({ a: { enum: Array.from({ length: 250 }, (_, i) => `${i}`.padStart(100, 'v')) } }), []],
    ['const values count toward the characters', obj({ a: { const: 'c'.repeat(120_000) } }), ['string-size@:error']],
  ])('%s', (_name, schema, expected) => {
    expect(lint('openai-chat-tool', schema)).toEqual(expected);
  });
});

/** Run the OpenAI fix on one schema: the fixed schema and the change lines. */
function fixOpenAi(schema: unknown) {
  const r = exportSchema('openai-response-format', { subject: 's', schema, fix: true });
  return { schema: (r.output as any).json_schema.schema, changes: r.changes, findings: brief(r.findings) };
}

describe('OpenAI strict fix: one rewrite per row', () => {
  it.each<[string, unknown, unknown, string[]]>([
    [
      'optional string becomes required and nullable',
      { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false },
      { type: 'object', properties: { a: { type: ['string', 'null'] } }, additionalProperties: false, required: ['a'] },
      ['/properties/a: optional property is now required and nullable'],
    ],
    [
      'optional enum gains null in type and enum',
      { type: 'object', properties: { u: { type: 'string', enum: ['C', 'F'] } }, required: [], additionalProperties: false },
      { type: 'object', properties: { u: { type: ['string', 'null'], enum: ['C', 'F', null] } }, required: ['u'], additionalProperties: false },
      ['/properties/u: optional property is now required and nullable'],
    ],
    [
      'optional type list gains null',
      obj({ k: { type: ['string', 'integer'] } }, { required: [] }),
      obj({ k: { type: ['string', 'integer', 'null'] } }),
      ['/properties/k: optional property is now required and nullable'],
    ],
    [
      'optional already-nullable property is only added to required',
      obj({ k: { type: ['string', 'null'] } }, { required: [] }),
      obj({ k: { type: ['string', 'null'] } }),
      ['/properties/k: optional property is now required and nullable'],
    ],
    [
      'optional const becomes a nullable enum',
      obj({ k: { const: 'x' } }, { required: [] }),
      obj({ k: { enum: ['x', null] } }),
      ['/properties/k: optional property is now required and nullable'],
    ],
    [
      'optional anyOf gains a null branch',
      obj({ k: { anyOf: [{ type: 'string' }, { type: 'integer' }] } }, { required: [] }),
      obj({ k: { anyOf: [{ type: 'string' }, { type: 'integer' }, { type: 'null' }] } }),
      ['/properties/k: optional property is now required and nullable'],
    ],
    [
      'optional $ref is wrapped in anyOf with null, description stays outside',
      obj({ k: { $ref: '#/$defs/x' } }, { required: [], $defs: { x: { type: 'string' } } }),
      obj({ k: { anyOf: [{ $ref: '#/$defs/x' }, { type: 'null' }] } }, { $defs: { x: { type: 'string' } } }),
      ['/properties/k: optional property is now required and nullable'],
    ],
    [
      'additionalProperties set to false everywhere',
      { type: 'object', properties: { o: { type: 'object', properties: {}, required: [] } }, required: ['o'] },
      {
        type: 'object',
        properties: { o: { type: 'object', properties: {}, required: [], additionalProperties: false } },
        required: ['o'],
        additionalProperties: false,
      },
      ['(root): set "additionalProperties": false', '/properties/o: set "additionalProperties": false'],
    ],
    [
      'a map (additionalProperties schema) becomes a closed empty object',
      obj({ m: { type: 'object', additionalProperties: { type: 'string' } } }),
      obj({ m: { type: 'object', additionalProperties: false, properties: {}, required: [] } }),
      ['/properties/m: replaced "additionalProperties": {"type":"string"} with false (extra keys are no longer allowed)'],
    ],
    [
      'object without type gets one',
      obj({ o: { properties: { x: { type: 'string' } }, required: ['x'], additionalProperties: false } }),
      obj({ o: { properties: { x: { type: 'string' } }, required: ['x'], additionalProperties: false, type: 'object' } }),
      ['/properties/o: added "type": "object"'],
    ],
    [
      'unsupported and undocumented keywords move into the description',
      obj({ s: { type: 'string', description: 'Name', minLength: 1, maxLength: 5 } }),
      obj({ s: { type: 'string', description: 'Name\n\n{minLength: 1, maxLength: 5}' } }),
      ['/properties/s: moved minLength, maxLength into the description (not supported by OpenAI strict mode)'],
    ],
    [
      '$-keywords are removed',
      obj({}, { $schema: 'x', $id: 'y', $comment: 'z' }),
      obj({}),
      ['(root): removed $schema, $id, $comment (not supported by OpenAI strict mode)'],
    ],
    [
      'unsupported format moves into the description',
      obj({ u: { type: 'string', format: 'uri' } }),
      obj({ u: { type: 'string', description: '{format: "uri"}' } }),
      ['/properties/u: moved format into the description (not supported by OpenAI strict mode)'],
    ],
    [
      'oneOf becomes anyOf',
      obj({ v: { oneOf: [{ type: 'string' }, { type: 'integer' }] } }),
      obj({ v: { anyOf: [{ type: 'string' }, { type: 'integer' }] } }),
      ['/properties/v: replaced oneOf with anyOf'],
    ],
    [
      'allOf of object parts is merged',
      {
        type: 'object',
        allOf: [
          { properties: { a: { type: 'string' } }, required: ['a'] },
          { properties: { b: { type: 'integer' } }, required: ['b'] },
        ],
        additionalProperties: false,
      },
      { type: 'object', additionalProperties: false, properties: { a: { type: 'string' }, b: { type: 'integer' } }, required: ['a', 'b'] },
      ['(root): merged allOf into the schema'],
    ],
    [
      'allOf that cannot be merged (same property twice) moves into the description',
      obj({
        x: {
          type: 'object',
          properties: {},
          required: [],
          additionalProperties: false,
          allOf: [{ properties: { a: { type: 'string' } } }, { properties: { a: { type: 'integer' } } }],
        },
      }),
      obj({
        x: {
          type: 'object',
          properties: {},
          required: [],
          additionalProperties: false,
          description: '{allOf: [{"properties":{"a":{"type":"string"}}},{"properties":{"a":{"type":"integer"}}}]}',
        },
      }),
      ['/properties/x: moved allOf into the description (not supported by OpenAI strict mode)'],
    ],
    [
      '$ref with a sibling description moves into anyOf',
      obj({ r: { $ref: '#/$defs/x', description: 'd' } }, { $defs: { x: { type: 'string' } } }),
      obj({ r: { anyOf: [{ $ref: '#/$defs/x' }], description: 'd' } }, { $defs: { x: { type: 'string' } } }),
      ['/properties/r: moved the $ref into anyOf so its sibling keywords are kept'],
    ],
    [
      'non-object root is wrapped; refs to the root follow it',
      { type: 'array', items: { $ref: '#/$defs/n' }, $defs: { n: obj({ kids: { $ref: '#' } }) } },
      {
        type: 'object',
        properties: { value: { type: 'array', items: { $ref: '#/$defs/n' } } },
        required: ['value'],
        additionalProperties: false,
        $defs: { n: obj({ kids: { $ref: '#/properties/value' } }) },
      },
      [
        '(root): wrapped the schema in an object with one property "value" (OpenAI requires an object root without anyOf); answers are {"value": ...}',
      ],
    ],
    [
      'root anyOf is wrapped',
      { anyOf: [obj({ a: { type: 'string' } }), obj({ b: { type: 'string' } })] },
      {
        type: 'object',
        properties: { value: { anyOf: [obj({ a: { type: 'string' } }), obj({ b: { type: 'string' } })] } },
        required: ['value'],
        additionalProperties: false,
      },
      [
        '(root): wrapped the schema in an object with one property "value" (OpenAI requires an object root without anyOf); answers are {"value": ...}',
      ],
    ],
    [
      'true root becomes an empty object',
      true,
      { type: 'object', properties: {}, required: [], additionalProperties: false },
      ['(root): replaced the `true` schema with an empty object'],
    ],
  ])('%s', (_name, input, schema, changes) => {
    const r = fixOpenAi(input);
    expect(r.schema).toEqual(schema);
    expect(r.changes).toEqual(changes);
    expect(r.findings).toEqual([]);
  });

  it.each<[string, unknown, string[]]>([
    ['empty property schema stays untyped', obj({ a: {} }), ['missing-type@/properties/a:error']],
    ['false root cannot be fixed', false, ['root-object@:error', 'missing-type@:error']],
    ['limits are not rewritten', nested(11), [`nesting-depth@${'/properties/child'.repeat(10)}:error`]],
  ])('left as findings: %s', (_name, input, findings) => {
    expect(fixOpenAi(input).findings).toEqual(findings);
  });
});

describe('Gemini lint: one rule per row', () => {
  it.each<[string, unknown, string[]]>([
    [
      'conforming schema',
      {
        type: 'object',
        properties: { a: { type: 'string', format: 'date-time' }, n: { type: ['integer', 'null'], minimum: 0, maximum: 9 } },
        required: ['a'],
        propertyOrdering: ['a', 'n'],
      },
      [],
    ],
    ['array root is fine', { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3, prefixItems: [{ type: 'string' }] }, []],
    ['any root type is fine', { type: 'string', enum: ['a', 'b'] }, []],
    ['anyOf and oneOf', { anyOf: [{ type: 'string' }], oneOf: [{ type: 'integer' }] }, []],
    ['$defs and local $ref', { $defs: { x: { type: 'string' } }, type: 'object', properties: { a: { $ref: '#/$defs/x' } } }, []],
    ...(
      [
        'minLength',
        'maxLength',
        'pattern',
        'multipleOf',
        'exclusiveMinimum',
        'exclusiveMaximum',
        'const',
        'uniqueItems',
        'default',
        'examples',
        '$schema',
        '$comment',
        'not',
        'definitions',
      ] as const
    ).map((k): [string, unknown, string[]] => [
      `ignored keyword ${k}`,
      { type: 'string', [k]: k === 'not' || k === 'definitions' ? {} : 1 },
      ['unsupported-keyword@:warning'],
    ]),
    ['allOf insides are not linted again', { allOf: [{ minLength: 1 }] }, ['unsupported-keyword@:warning']],
    ['enum of booleans', { enum: [true, false] }, ['enum-values@:warning']],
    ['unknown type', { type: 'date' }, ['type@:error']],
    [
      '$ref with a sibling',
      { $defs: { x: { type: 'string' } }, type: 'object', properties: { a: { $ref: '#/$defs/x', description: 'd' } } },
      ['ref-siblings@/properties/a:error'],
    ],
    [
      '$ref with a $-sibling is allowed',
      { $defs: { x: { type: 'string' } }, type: 'object', properties: { a: { $ref: '#/$defs/x', $comment: 'c' } } },
      ['unsupported-keyword@/properties/a:warning'],
    ],
    ['external $ref', { type: 'object', properties: { a: { $ref: 'other.json' } } }, ['ref-external@/properties/a:error']],
    ['unresolved $ref', { type: 'object', properties: { a: { $ref: '#/$defs/none' } } }, ['ref-unresolved@/properties/a:error']],
    [
      'cycle through an optional property is fine',
      { $defs: { n: { type: 'object', properties: { next: { $ref: '#/$defs/n' } } } }, $ref: '#/$defs/n' },
      [],
    ],
    [
      'cycle through a required property',
      {
        $defs: { n: { type: 'object', properties: { next: { $ref: '#/$defs/n' } }, required: ['next'] } },
        type: 'object',
        properties: { head: { $ref: '#/$defs/n' } },
      },
      ['cyclic-ref-required@/$defs/n/properties/next:error'],
    ],
    [
      'nullable is not enough',
      {
        $defs: { n: { type: ['object', 'null'], properties: { next: { anyOf: [{ $ref: '#/$defs/n' }, { type: 'null' }] } }, required: ['next'] } },
        type: 'object',
        properties: { head: { $ref: '#/$defs/n' } },
      },
      ['cyclic-ref-required@/$defs/n/properties/next/anyOf/0:error'],
    ],
    [
      'root recursion through required array items',
      { type: 'object', properties: { kids: { type: 'array', items: { $ref: '#' } } }, required: ['kids'] },
      ['cyclic-ref-required@/properties/kids/items:error'],
    ],
    [
      'two-step cycle',
      {
        $defs: {
          a: { type: 'object', properties: { b: { $ref: '#/$defs/b' } }, required: ['b'] },
          b: { type: 'object', properties: { a: { $ref: '#/$defs/a' } }, required: ['a'] },
        },
        type: 'object',
        properties: { x: { $ref: '#/$defs/a' } },
      },
      ['cyclic-ref-required@/$defs/a/properties/b:error'],
    ],
  ])('%s', (_name, schema, expected) => {
    expect(lint('gemini-response-schema', schema)).toEqual(expected);
  });
});

describe('Gemini fix: one rewrite per row', () => {
  it.each<[string, unknown, unknown, string[]]>([
    [
      'const becomes a typed one-value enum',
      { type: 'object', properties: { k: { const: 'x' }, n: { const: 2 }, f: { const: 1.5 } } },
      { type: 'object', properties: { k: { enum: ['x'], type: 'string' }, n: { enum: [2], type: 'integer' }, f: { enum: [1.5], type: 'number' } } },
      [
        '/properties/k: replaced const with a one-value enum',
        '/properties/n: replaced const with a one-value enum',
        '/properties/f: replaced const with a one-value enum',
      ],
    ],
    [
      'ignored keywords move into the description',
      { type: 'string', description: 'Code', pattern: '^[A-Z]+$' },
      { type: 'string', description: 'Code\n\n{pattern: "^[A-Z]+$"}' },
      ['(root): moved pattern into the description (not supported by Gemini responseJsonSchema)'],
    ],
    [
      'definitions are renamed to $defs',
      { definitions: { x: { type: 'string' } }, type: 'object', properties: { a: { $ref: '#/definitions/x' } } },
      { $defs: { x: { type: 'string' } }, type: 'object', properties: { a: { $ref: '#/$defs/x' } } },
      ['(root): renamed definitions to $defs and updated the references'],
    ],
    [
      '$ref siblings move next to an anyOf',
      { $defs: { x: { type: 'string' } }, type: 'object', properties: { a: { $ref: '#/$defs/x', description: 'd' } } },
      { $defs: { x: { type: 'string' } }, type: 'object', properties: { a: { anyOf: [{ $ref: '#/$defs/x' }], description: 'd' } } },
      ['/properties/a: moved the $ref into anyOf so its sibling keywords are kept'],
    ],
    [
      'single allOf is merged',
      { allOf: [{ type: 'object', properties: { a: { type: 'string' } } }] },
      { type: 'object', properties: { a: { type: 'string' } } },
      ['(root): merged allOf into the schema'],
    ],
    [
      'a required recursive property becomes optional',
      { type: 'object', properties: { kids: { type: 'array', items: { $ref: '#' } }, name: { type: 'string' } }, required: ['kids', 'name'] },
      { type: 'object', properties: { kids: { type: 'array', items: { $ref: '#' } }, name: { type: 'string' } }, required: ['name'] },
      ['(root): made "kids" optional (Gemini recurses only through non-required properties)'],
    ],
  ])('%s', (_name, input, schema, changes) => {
    const r = exportSchema('gemini-response-schema', { subject: 's', schema: input, fix: true });
    expect((r.output as any).responseJsonSchema).toEqual(schema);
    expect(r.changes).toEqual(changes);
    expect(r.findings).toEqual([]);
  });
});

describe('Anthropic and MCP: object root', () => {
  const targets: Array<[ExportTarget, string]> = [
    ['anthropic-tool', 'input_schema'],
    ['mcp-tool', 'inputSchema'],
  ];
  it.each(
    targets.flatMap(
      ([t]) =>
        [
          [t, 'object root', obj({ a: { type: 'string' } }), []],
          [t, 'optional properties and open objects are fine', { type: 'object', properties: { a: { type: 'string', minLength: 1 } } }, []],
          [t, 'no parameters', { type: 'object', additionalProperties: false }, []],
          [t, 'string root', { type: 'string' }, ['root-object@:error']],
          [t, 'nullable object root', { type: ['object', 'null'] }, ['root-object@:error']],
          [t, 'untyped root', { properties: { a: {} } }, ['root-object@:error']],
          [t, 'boolean root', true, ['root-object@:error']],
          [
            t,
            'external $ref is a warning',
            { type: 'object', properties: { a: { $ref: 'https://x/y.json' } } },
            ['ref-external@/properties/a:warning'],
          ],
        ] as Array<[ExportTarget, string, unknown, string[]]>,
    ),
  )('%s: %s', (target, _name, schema, expected) => {
    expect(lint(target, schema)).toEqual(expected);
  });

  it.each(
    targets.flatMap(
      ([t, field]) =>
        [
          [
            t,
            field,
            'untyped object schema gets a type',
            { $schema: 'x', properties: { a: { type: 'string' } } },
            { $schema: 'x', type: 'object', properties: { a: { type: 'string' } } },
            ['(root): added "type": "object"'],
          ],
          [
            t,
            field,
            'anyOf of objects gets a type, same shape',
            { anyOf: [{ type: 'object' }, { type: 'object' }] },
            { type: 'object', anyOf: [{ type: 'object' }, { type: 'object' }] },
            ['(root): added "type": "object"'],
          ],
          [t, field, 'true becomes any object', true, { type: 'object' }, ['(root): replaced the `true` schema with {"type": "object"}']],
          [
            t,
            field,
            'a string root is wrapped',
            { type: 'string', description: 'd' },
            { type: 'object', properties: { value: { type: 'string', description: 'd' } }, required: ['value'], additionalProperties: false },
            [
              `(root): wrapped the schema in an object with one property "value" (${t === 'mcp-tool' ? 'MCP' : 'Anthropic'} requires an object root); answers are {"value": ...}`,
            ],
          ],
          [
            t,
            field,
            'anyOf with a non-object branch is wrapped',
            { anyOf: [{ type: 'object' }, { type: 'string' }] },
            {
              type: 'object',
              properties: { value: { anyOf: [{ type: 'object' }, { type: 'string' }] } },
              required: ['value'],
              additionalProperties: false,
            },
            [
              `(root): wrapped the schema in an object with one property "value" (${t === 'mcp-tool' ? 'MCP' : 'Anthropic'} requires an object root); answers are {"value": ...}`,
            ],
          ],
        ] as Array<[ExportTarget, string, string, unknown, unknown, string[]]>,
    ),
  )('%s fix: %s', (target, field, _name, input, schema, changes) => {
    const r = exportSchema(target, { subject: 's', schema: input, description: 'd', fix: true });
    expect((r.output as any)[field]).toEqual(schema);
    expect(r.changes).toEqual(changes);
    expect(r.findings).toEqual([]);
  });

  it('false root stays an error after fix', () => {
    expect(brief(exportSchema('mcp-tool', { subject: 's', schema: false, description: 'd', fix: true }).findings)).toEqual(['root-object@:error']);
  });
});
