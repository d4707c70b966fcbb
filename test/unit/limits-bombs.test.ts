/**
 * Reference and subschema bombs: schemas whose shared parts multiply the work (a definition used
 * twice at each of 30 levels is 2^30 uses). Every format must answer them with a bounded outcome,
 * a 42201 naming the bound (or, for validation, the documented error), and leave honest schemas of
 * realistic size alone. Bounds: JSON_LIMITS, AVRO_LIMITS, PROTOBUF_LIMITS, EXPORT_LIMITS.
 * No wall-clock assertions: the outcome is what is checked.
 */
import { describe, expect, it } from 'vitest';
import { avroCompatibility, parseAvro } from '../../src/domain/avro';
import { ErrorCode, RegistryError, SchemaParseError } from '../../src/domain/errors';
import { bundleReferences } from '../../src/domain/json/bundle';
import { checkCompatibility } from '../../src/domain/compatibility';
import { workBudget } from '../../src/domain/json/budget';
import { jsonSchemaCompatibility } from '../../src/domain/json/compat';
import { type JsonCompatibilityOptions, jsonFormat } from '../../src/domain/json/index';
import { JSON_LIMITS } from '../../src/domain/json/limits';
import { parseJsonSchema } from '../../src/domain/json/parse';
import { compileSchema, compileValidator, ValidationBudgetError } from '../../src/domain/json/validator';
import { exportSchema } from '../../src/domain/llm/export';
import { parseProtobuf, protobufCompatibility, protobufValidator } from '../../src/domain/protobuf';
import type { ResolvedReference } from '../../src/domain/format';

const D2020 = 'https://json-schema.org/draft/2020-12/schema';

/** d0 = leaf; d(i) = wrap(ref to d(i-1)) for i = 1..n; the root uses d(n). */
function chain(
  n: number,
  leaf: unknown,
  wrap: (ref: string) => unknown,
  root: (ref: string) => Record<string, unknown> = (r) => ({ $ref: r }),
  key = '$defs',
) {
  const defs: Record<string, unknown> = { d0: leaf };
  for (let i = 1; i <= n; i++) defs[`d${i}`] = wrap(`#/${key}/d${i - 1}`);
  return { ...root(`#/${key}/d${n}`), [key]: defs };
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('JSON Schema: in-place fan-out is refused at registration (maxExpandedSubschemas)', () => {
  const two = (k: string) => (r: string) => ({ [k]: [{ $ref: r }, { $ref: r }] });
  it.each<[string, unknown]>([
    ['allOf twice per level, 30 levels (2020-12)', { $schema: D2020, ...chain(30, { type: 'string' }, two('allOf')) }],
    ['anyOf', { $schema: D2020, ...chain(30, { type: 'string' }, two('anyOf')) }],
    ['oneOf', { $schema: D2020, ...chain(30, { type: 'string' }, two('oneOf')) }],
    ['draft-07 definitions', chain(30, { type: 'string' }, two('allOf'), undefined, 'definitions')],
    ['draft-04', { $schema: 'http://json-schema.org/draft-04/schema#', ...chain(30, { type: 'string' }, two('allOf'), undefined, 'definitions') }],
    [
      '$ref beside siblings (2019+: both apply)',
      { $schema: D2020, ...chain(30, { type: 'string' }, (r) => ({ $ref: r, not: { not: { $ref: r } } })) },
    ],
    ['if/then/else', { $schema: D2020, ...chain(30, { type: 'string' }, (r) => ({ if: { $ref: r }, then: { $ref: r }, else: { $ref: r } })) }],
    ['dependentSchemas', { $schema: D2020, ...chain(30, { type: 'string' }, (r) => ({ dependentSchemas: { a: { $ref: r }, b: { $ref: r } } })) }],
    [
      'hidden below a property',
      { $schema: D2020, ...chain(30, { type: 'string' }, two('allOf'), (r) => ({ type: 'object', properties: { a: { $ref: r } } })) },
    ],
  ])('%s', (_d, schema) => {
    const e = thrown(() => parseJsonSchema(JSON.stringify(schema)));
    expect(e).toBeInstanceOf(SchemaParseError);
    if (!(e instanceof SchemaParseError)) return;
    expect(e.code).toBe(ErrorCode.INVALID_SCHEMA);
    expect(e.message).toMatch(
      /^Invalid JSON Schema: #\/(\$defs|definitions)\/d\d+: one value would be checked against more than 100000 subschemas here/,
    );
  });

  it('a chain of 2,000 distinct $refs through properties: 42201 past maxCompileDepth, not a stack overflow', () => {
    const deep = { $schema: D2020, ...chain(2000, { type: 'string' }, (r) => ({ type: 'object', properties: { n: { $ref: r } } })) };
    const e = thrown(() => parseJsonSchema(JSON.stringify(deep)));
    expect(e).toBeInstanceOf(SchemaParseError);
    expect(e.message).toMatch(/^Invalid JSON Schema: #\/\$defs\/d\d+\/properties\/n: subschemas nested deeper than 400 levels/);
    // honest depth: 150 chained definitions compile and validate
    const ok = { $schema: D2020, ...chain(150, { type: 'string' }, (r) => ({ type: 'object', properties: { n: { $ref: r } } })) };
    expect(compileValidator(parseJsonSchema(JSON.stringify(ok))).validate({ n: { n: {} } }).valid).toBe(true);
  });

  it('split across referenced documents', () => {
    const refs: ResolvedReference[] = [];
    let prev = '';
    for (let i = 0; i <= 30; i++) {
      const schema = i === 0 ? { type: 'string' } : { allOf: [{ $ref: prev }, { $ref: prev }] };
      refs.push({ name: `d${i}.json`, subject: `d${i}`, version: 1, schema: JSON.stringify(schema), references: i ? [refs[i - 1]] : [] });
      prev = `d${i}.json`;
    }
    expect(() => parseJsonSchema('{"$ref":"d30.json"}', [refs[30]])).toThrow(/more than 100000 subschemas/);
  });

  it('only what the schema reaches counts: a bomb in a definition nothing uses is never evaluated', () => {
    const unused = { $schema: D2020, ...chain(30, { type: 'string' }, two('allOf'), () => ({ type: 'string' })) };
    expect(compileValidator(parseJsonSchema(JSON.stringify(unused))).validate('x')).toEqual({ valid: true, errors: [] });
  });

  it('a $ref cycle counts once; validation breaks the loop with maxRefDepth', () => {
    const loop = {
      $schema: D2020,
      $defs: { a: { allOf: [{ $ref: '#/$defs/b' }, { $ref: '#/$defs/b' }] }, b: { anyOf: [{ $ref: '#/$defs/a' }, { type: 'string' }] } },
      $ref: '#/$defs/a',
    };
    const r = compileValidator(parseJsonSchema(JSON.stringify(loop))).validate('x');
    expect(r.valid).toBe(false);
    expect(r.errors.at(-1)).toMatchObject({ keyword: '$ref', message: `$ref nesting deeper than ${JSON_LIMITS.maxRefDepth} (a reference cycle?)` });
  });

  it('honest sharing is accepted: inheritance through allOf over shared definitions', () => {
    // 60 definitions, each an allOf of 3 earlier ones plus its own properties: wide reuse, small fan-out
    const defs: Record<string, unknown> = {};
    for (let i = 0; i < 60; i++) {
      const bases = i < 3 ? [] : [i - 1, i - 2, Math.floor(i / 2)].map((j) => ({ $ref: `#/$defs/t${j}` }));
      defs[`t${i}`] = { allOf: [...bases, { type: 'object', properties: { [`p${i}`]: { type: 'string' } } }] };
    }
    const schema = { $schema: D2020, $defs: defs, type: 'array', items: { $ref: '#/$defs/t12' } };
    const v = compileValidator(parseJsonSchema(JSON.stringify(schema)));
    expect(v.validate(Array.from({ length: 2000 }, () => ({ p1: 'x', p12: 'y' }))).valid).toBe(true);
    expect(v.validate([{ p12: 1 }]).valid).toBe(false);
  });
});

describe('JSON Schema: validation work is bounded per request (maxValidationSteps)', () => {
  // d13 fans out to ~16k checks per value: under the registration bound, over budget for 1000 values
  const schema = {
    $schema: D2020,
    ...chain(
      13,
      { type: 'string' },
      (r) => ({ allOf: [{ $ref: r }, { $ref: r }] }),
      (r) => ({ type: 'array', items: { $ref: r } }),
    ),
  };
  const v = compileValidator(parseJsonSchema(JSON.stringify(schema)));

  it('accepted at registration, cheap for a small document', () => {
    expect(v.validate(['a', 'b'])).toEqual({ valid: true, errors: [] });
  });

  it.each<[string, unknown]>([
    ['all valid', Array(1000).fill('x')],
    ['invalid at the end', [...Array(1000).fill('x'), 1]],
  ])('fast pass over budget: throws 42201, the document is neither accepted nor rejected (%s)', (_d, docValue) => {
    const e = thrown(() => v.validate(docValue));
    expect(e).toBeInstanceOf(ValidationBudgetError);
    expect(e).toBeInstanceOf(RegistryError);
    if (!(e instanceof RegistryError)) return;
    expect(e.code).toBe(ErrorCode.INVALID_SCHEMA);
    expect(e.status).toBe(422);
    expect(e.message).toBe(
      `Validation stopped after ${JSON_LIMITS.maxValidationSteps} subschema evaluations in this request: this schema is too costly for this document (shared definitions used many times over, or a very large document or batch); the document was neither accepted nor rejected`,
    );
  });

  it('error pass over budget: invalid (known from the fast pass), the error list is cut with maxSteps', () => {
    const r = v.validate([1, ...Array(1000).fill('x')]);
    expect(r.valid).toBe(false);
    expect(r.errors.at(-1)).toMatchObject({ keyword: 'maxSteps', schemaPath: '#' });
    expect(r.errors.length).toBeLessThanOrEqual(JSON_LIMITS.maxValidationErrors + 1);
  });

  it('too many errors: the list is cut with maxErrors', () => {
    const r = v.validate([1, 2, 3]);
    expect(r.valid).toBe(false);
    expect(r.errors).toHaveLength(JSON_LIMITS.maxValidationErrors + 1);
    expect(r.errors.at(-1)).toEqual({
      instancePath: '/1',
      schemaPath: '#',
      keyword: 'maxErrors',
      message: `more than ${JSON_LIMITS.maxValidationErrors} errors; the rest are not listed`,
    });
  });

  it('a call given no budget gets a fresh one: the next call starts afresh', () => {
    expect(() => v.validate(Array(1000).fill('x'))).toThrow(ValidationBudgetError);
    expect(v.validate(['x'])).toEqual({ valid: true, errors: [] });
  });

  it('one budget per request: the documents of a batch share it (both passes of each document count)', () => {
    // ~16k steps per value: 100 values a document; alone each is answered
    const docs = Array.from({ length: 20 }, () => Array(100).fill('x'));
    const one = workBudget();
    expect(v.validate(docs[0], one).valid).toBe(true);
    const fit = Math.floor(one.maxSteps / one.steps);
    expect(fit).toBeGreaterThan(1);
    expect(fit).toBeLessThan(docs.length);
    const budget = workBudget();
    let answered = 0;
    const e = thrown(() => {
      for (const d of docs) {
        v.validate(d, budget);
        answered++;
      }
    });
    expect(e).toBeInstanceOf(ValidationBudgetError);
    expect(e.message).toMatch(/^Validation stopped after 10000000 subschema evaluations in this request/);
    expect(answered).toBe(fit);
    expect(budget.steps).toBeGreaterThan(budget.maxSteps);
    // spent: even a small document is refused in that request, not in the next
    expect(() => v.validate(['x'], budget)).toThrow(ValidationBudgetError);
    expect(v.validate(['x'], workBudget())).toEqual({ valid: true, errors: [] });
  });

  it('fan-out through properties costs per document value, so it is not refused and stays cheap', () => {
    const props = { $schema: D2020, ...chain(30, { type: 'string' }, (r) => ({ type: 'object', properties: { x: { $ref: r }, y: { $ref: r } } })) };
    const pv = compileValidator(parseJsonSchema(JSON.stringify(props)));
    expect(pv.validate({ x: { y: { x: {} } } })).toEqual({ valid: true, errors: [] });
    expect(pv.validate({ x: { y: 1 } }).valid).toBe(false);
  });

  it('honest large documents stay far below the budget (12,000 items of the invoice shape)', () => {
    const invoice = {
      $schema: D2020,
      type: 'object',
      properties: {
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              description: { type: 'string' },
              quantity: { type: 'number', exclusiveMinimum: 0 },
              unit: { $ref: '#/$defs/money' },
              tax: { $ref: '#/$defs/money' },
            },
            required: ['description', 'quantity'],
            additionalProperties: false,
          },
        },
      },
      $defs: { money: { type: 'object', properties: { amount: { type: 'number' }, currency: { type: 'string', pattern: '^[A-Z]{3}$' } } } },
    };
    const iv = compileSchema(invoice);
    const item = { description: 'Widget', quantity: 2, unit: { amount: 9.99, currency: 'EUR' }, tax: { amount: 2, currency: 'EUR' } };
    expect(iv.validate({ items: Array(12_000).fill(item) })).toEqual({ valid: true, errors: [] });
  });

  it('meta-schema validation has no step budget (fixed, trusted schema; work linear in the document)', () => {
    const wide = {
      type: 'object',
      properties: Object.fromEntries(Array.from({ length: 12_000 }, (_, i) => [`p${i}`, { type: 'string', minLength: 1, description: 'x' }])),
    };
    expect(parseJsonSchema(JSON.stringify({ $schema: D2020, ...wide })).canonical.length).toBeGreaterThan(100_000);
  });
});

describe('JSON Schema: compatibility and bundling are bounded', () => {
  /** d(i) = object with x, y both d(i-1): 2^30 paths to d0. */
  const props = (leaf: unknown) => ({
    $schema: D2020,
    ...chain(30, leaf, (r) => ({ type: 'object', properties: { x: { $ref: r }, y: { $ref: r } } })),
  });

  it('a change under a definition used on 2^30 paths: 42201 past maxCompatDifferences', () => {
    const before = parseJsonSchema(JSON.stringify(props({ type: 'object', properties: { a: { type: 'string' } } })));
    const after = parseJsonSchema(JSON.stringify(props({ type: 'object', properties: { a: { type: 'integer' } } })));
    const e = thrown(() => jsonSchemaCompatibility(after, before, 'BACKWARD'));
    expect(e).toBeInstanceOf(SchemaParseError);
    expect(e.message).toBe(
      `JSON schema compatibility check gave up: more than ${JSON_LIMITS.maxCompatDifferences} differences (shared definitions repeat their differences on every path that uses them)`,
    );
  });

  it('the same DAG against itself, or with a change at its top, is answered (pairs are memoized)', () => {
    const s = parseJsonSchema(JSON.stringify(props({ type: 'string' })));
    expect(jsonSchemaCompatibility(s, s, 'FULL')).toEqual([]);
    const top = parseJsonSchema(
      JSON.stringify(props({ type: 'string' })).replace('"d30":{"type":"object"', '"d30":{"type":"object","maxProperties":5'),
    );
    expect(jsonSchemaCompatibility(top, s, 'BACKWARD')).toEqual([
      `{errorType:"MAX_PROPERTIES_ADDED", description:"The keyword at path '#/maxProperties' in the new schema is not present in the old schema'}`,
    ]);
  });

  it('*_TRANSITIVE: one budget for the whole check, over every version compared (same error as for one pair)', () => {
    // ~500 distinct pairs per direction: a FULL check of one pair uses ~1000 of the 50000
    const props = Object.fromEntries(
      Array.from({ length: 120 }, (_, i) => [
        `p${i}`,
        { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'array', items: { type: 'string' } } } },
      ]),
    );
    const previous = parseJsonSchema(JSON.stringify({ type: 'object', properties: props }));
    const candidate = parseJsonSchema(JSON.stringify({ type: 'object', properties: props }));
    const history = Array.from({ length: 100 }, (_, i) => ({ version: i + 1, parsed: previous }));
    expect(
      checkCompatibility(jsonFormat, 'FULL', candidate, history, { policy: 'STRICT', budget: workBudget() } as JsonCompatibilityOptions),
    ).toEqual([]);
    // each pair alone is within bounds (no shared budget: a fresh one per pair, as before)
    expect(checkCompatibility(jsonFormat, 'FULL_TRANSITIVE', candidate, history)).toEqual([]);
    const options: JsonCompatibilityOptions = { policy: 'STRICT', budget: workBudget() };
    const e = thrown(() => checkCompatibility(jsonFormat, 'FULL_TRANSITIVE', candidate, history, options));
    expect(e).toBeInstanceOf(SchemaParseError);
    expect(e.message).toBe(
      `JSON schema compatibility check gave up: more than ${JSON_LIMITS.maxCompatPairs} subschema comparisons (schema too complex)`,
    );
    expect(options.budget?.compatPairs).toBeGreaterThan(JSON_LIMITS.maxCompatPairs);
  });

  it('differences count over the whole check too', () => {
    const budget = workBudget({ maxCompatDifferences: 1000 });
    const mk = (t: string) =>
      parseJsonSchema(
        JSON.stringify({ type: 'object', properties: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`p${i}`, { type: t }])) }),
      );
    const [a, b] = [mk('string'), mk('integer')];
    expect(jsonSchemaCompatibility(a, b, 'BACKWARD', 'STRICT', budget)).toHaveLength(300);
    expect(() => jsonSchemaCompatibility(a, b, 'BACKWARD', 'STRICT', budget)).toThrow(
      'JSON schema compatibility check gave up: more than 1000 differences (shared definitions repeat their differences on every path that uses them)',
    );
  });

  it('long required lists compare by set (no quadratic scan)', () => {
    const names = Array.from({ length: 5_000 }, (_, i) => `p${i}`);
    const mk = (req: string[]) =>
      parseJsonSchema(JSON.stringify({ type: 'object', properties: Object.fromEntries(names.map((n) => [n, true])), required: req }));
    expect(jsonSchemaCompatibility(mk(names.slice(1)), mk(names), 'BACKWARD')).toEqual([]);
    expect(jsonSchemaCompatibility(mk(names), mk(names.slice(1)), 'BACKWARD')).toHaveLength(1);
  });

  it('bundling copies each document once: output size is linear in the input', () => {
    const refs = new Map<string, unknown>();
    for (let i = 0; i < 30; i++) refs.set(`d${i}.json`, { allOf: [{ $ref: `d${i + 1}.json` }, { $ref: `d${i + 1}.json` }] });
    refs.set('d30.json', { type: 'string' });
    const out = JSON.stringify(bundleReferences({ $ref: 'd0.json' }, refs));
    expect(out.length).toBeLessThan(4 * JSON.stringify([...refs]).length);
  });
});

describe('LLM exports are bounded (EXPORT_LIMITS)', () => {
  it('the Gemini required-cycle search gives up with 42209 instead of walking nested targets for ever', () => {
    // 60 nested levels, each a $ref target with 1,200 required properties: each target's walk covers
    // every level below it, ~2.2M visits in all
    let node: Record<string, unknown> = { type: 'object' };
    const refs: Record<string, unknown> = {};
    for (let level = 59; level >= 0; level--) {
      const leaves = Object.fromEntries(Array.from({ length: 1200 }, (_, i) => [`p${i}`, true]));
      node = { type: 'object', properties: { ...leaves, a: node }, required: [...Object.keys(leaves), 'a'] };
      refs[`r${level}`] = { $ref: '#' + '/properties/a'.repeat(level) };
    }
    const schema = { ...node, $defs: refs };
    const e = thrown(() => exportSchema('gemini-response-schema', { subject: 's', schema }));
    expect(e).toBeInstanceOf(RegistryError);
    if (!(e instanceof RegistryError)) return;
    expect(e.code).toBe(ErrorCode.SCHEMA_TOO_LARGE);
    expect(e.message).toMatch(/too many nested \$ref targets .* export refused\.$/);
  });

  it('a recursive schema of honest size exports with its cycle reported', () => {
    const tree = { type: 'object', properties: { children: { type: 'array', items: { $ref: '#' } } }, required: ['children'] };
    const r = exportSchema('gemini-response-schema', { subject: 'tree', schema: tree });
    expect(r.findings.map((f) => f.rule)).toEqual(['cyclic-ref-required']);
  });
});

describe('Avro: named types are shared, every walk is bounded (AVRO_LIMITS)', () => {
  /** R(i) has two fields of type R(i-1): 2^30 paths to R0. */
  function records(n: number, leafType: string): string {
    let s: unknown = { type: 'record', name: 'R0', fields: [{ name: 'x', type: leafType }] };
    for (let i = 1; i <= n; i++)
      s = {
        type: 'record',
        name: `R${i}`,
        fields: [
          { name: 'a', type: s },
          { name: 'b', type: `R${i - 1}` },
        ],
      };
    return JSON.stringify(s);
  }

  it('canonical, normalized and resolved forms print each named type once (linear size)', () => {
    const text = records(30, 'int');
    const a = parseAvro(text);
    expect(a.canonical).toBe(text);
    expect(a.normalized().length).toBeLessThan(2 * text.length);
    expect(a.resolved()).toBe(text);
  });

  it('the same schema is compatible with itself (pairs memoized)', () => {
    const a = parseAvro(records(30, 'int'));
    expect(avroCompatibility(a, a, 'FULL')).toEqual([]);
  });

  it('a change under a type used on 2^30 paths: 42201 past maxCompatIncompatibilities', () => {
    const e = thrown(() => avroCompatibility(parseAvro(records(30, 'string')), parseAvro(records(30, 'int')), 'BACKWARD'));
    expect(e).toBeInstanceOf(SchemaParseError);
    if (!(e instanceof SchemaParseError)) return;
    expect(e.code).toBe(ErrorCode.INVALID_SCHEMA);
    expect(e.message).toBe(
      'Avro compatibility check gave up: more than 200000 incompatibilities (a named type used on many paths repeats its incompatibilities on each)',
    );
  });

  it('the same change on few paths is listed on each, as Avro does', () => {
    expect(avroCompatibility(parseAvro(records(2, 'string')), parseAvro(records(2, 'int')), 'BACKWARD')).toHaveLength(4);
  });

  it('a cross product of union branches: 42201 past maxCompatSteps (was an "Unexpected exception" incompatibility)', () => {
    const union = (prefix: string) => Array.from({ length: 500 }, (_, i) => ({ type: 'record', name: `${prefix}${i}`, fields: [] }));
    const e = thrown(() => avroCompatibility(parseAvro(JSON.stringify(union('B'))), parseAvro(JSON.stringify(union('A'))), 'BACKWARD'));
    expect(e).toBeInstanceOf(SchemaParseError);
    expect(e.message).toBe('Avro compatibility check gave up: more than 200000 type comparisons (schema too complex)');
  });

  it('wide records compare field by name lookup (5,000 fields)', () => {
    const rec = (t: string) =>
      JSON.stringify({ type: 'record', name: 'W', fields: Array.from({ length: 5000 }, (_, i) => ({ name: `f${i}`, type: t })) });
    expect(avroCompatibility(parseAvro(rec('int')), parseAvro(rec('int')), 'FULL')).toEqual([]);
    expect(avroCompatibility(parseAvro(rec('string')), parseAvro(rec('int')), 'BACKWARD')).toHaveLength(5000);
  });
});

describe('Protobuf: referenced messages are compared once per pair, and bounded (PROTOBUF_LIMITS)', () => {
  /** lib.proto: M(i) has two fields of type M(i-1); `extra` adds a field to every M(i). */
  function lib(n: number, leaf: string, extra = ''): string {
    let s = `syntax = "proto3";\npackage lib;\nmessage M0 { ${leaf} x = 1; }\n`;
    for (let i = 1; i <= n; i++) s += `message M${i} { M${i - 1} a = 1; M${i - 1} b = 2;${extra.replaceAll('N', String(n))} }\n`;
    return s;
  }
  const root = (n: number) => `syntax = "proto3";\nimport "lib.proto";\nmessage Root { lib.M${n} r = 1; }\n`;
  const parse = (n: number, text: string, version: number) =>
    parseProtobuf(root(n), [{ name: 'lib.proto', subject: 'lib', version, schema: text, references: [] }]);

  it('a DAG of 2^30 paths, unchanged but from another version: compatible, each pair compared once', () => {
    expect(protobufCompatibility(parse(30, lib(30, 'int32'), 2), parse(30, lib(30, 'int32'), 1), 'FULL')).toEqual([]);
  });

  it('a change under it: 42201 past maxDiffDifferences', () => {
    const e = thrown(() => protobufCompatibility(parse(30, lib(30, 'string'), 2), parse(30, lib(30, 'int32'), 1), 'BACKWARD'));
    expect(e).toBeInstanceOf(SchemaParseError);
    expect(e.message).toBe(
      'Protobuf compatibility check gave up: more than 200000 differences (a referenced message used on many paths repeats its differences on each)',
    );
  });

  it('recursive types defeat the memo: 42201 past maxDiffSteps', () => {
    const back = ' MN top = 3;';
    const e = thrown(() => protobufCompatibility(parse(30, lib(30, 'int32', back), 2), parse(30, lib(30, 'int32', back), 1), 'BACKWARD'));
    expect(e).toBeInstanceOf(SchemaParseError);
    expect(e.message).toBe('Protobuf compatibility check gave up: more than 200000 message and field comparisons (schema too complex)');
  });

  it('a chain of 1,000 referenced message types: 42201 past maxDiffDepth, not a stack overflow', () => {
    const linked = (n: number) => {
      let t = 'syntax = "proto3";\npackage lib;\n';
      for (let i = 0; i < n; i++) t += `message M${i} { string a = 1; M${Math.min(i + 1, n - 1)} next = 2; }\n`;
      return t;
    };
    const top = 'syntax = "proto3";\nimport "lib.proto";\nmessage Root { lib.M0 r = 1; }\n';
    const at = (text: string, version: number) => parseProtobuf(top, [{ name: 'lib.proto', subject: 'lib', version, schema: text, references: [] }]);
    expect(() => protobufCompatibility(at(linked(1000), 2), at(linked(1000), 1), 'BACKWARD')).toThrow(
      /^Protobuf compatibility check gave up: referenced message types nested deeper than 256 levels$/,
    );
    expect(protobufCompatibility(at(linked(100), 2), at(linked(100), 1), 'FULL')).toEqual([]);
  });

  it("small graphs keep Confluent's repeated differences, in order", () => {
    const messages = protobufCompatibility(parse(2, lib(2, 'string'), 2), parse(2, lib(2, 'int32'), 1), 'BACKWARD');
    const brief = messages.map((m) => /errorType:"(\w+)".*path '([^']+)'/.exec(m)!.slice(1).join(' '));
    expect(brief).toEqual([
      'FIELD_SCALAR_KIND_CHANGED #/M0/1',
      'FIELD_NAMED_TYPE_CHANGED #/M1/1',
      'FIELD_SCALAR_KIND_CHANGED #/M0/1',
      'FIELD_NAMED_TYPE_CHANGED #/M1/2',
      'FIELD_NAMED_TYPE_CHANGED #/M2/1',
      'FIELD_SCALAR_KIND_CHANGED #/M0/1',
      'FIELD_NAMED_TYPE_CHANGED #/M1/1',
      'FIELD_SCALAR_KIND_CHANGED #/M0/1',
      'FIELD_NAMED_TYPE_CHANGED #/M1/2',
      'FIELD_NAMED_TYPE_CHANGED #/M2/2',
      'FIELD_NAMED_TYPE_CHANGED #/Root/1',
    ]);
  });

  it('printing is linear: canonical, normalized and serialized forms of the 2^30 DAG', () => {
    const text = lib(30, 'int32');
    const p = parseProtobuf(text, []);
    expect(p.canonical.length).toBeLessThan(2 * text.length);
    expect(p.normalized().length).toBeLessThan(3 * text.length);
    expect(p.serialized().length).toBeLessThan(3 * text.length);
  });

  it.each<[string, string, ResolvedReference[], RegExp]>([
    ['messages nested 70 deep', `syntax = "proto3";\n${'message A { '.repeat(70)}${'}'.repeat(70)}`, [], /nesting deeper than 64 levels/],
    [
      'references nested 40 deep',
      'syntax = "proto3";\nimport "r39.proto";',
      [
        Array.from({ length: 40 }, (_, i) => i).reduce<ResolvedReference | null>(
          (prev, i) => ({
            name: `r${i}.proto`,
            subject: `r${i}`,
            version: 1,
            schema: `syntax = "proto3";\n${prev ? `import "${prev.name}";` : ''}`,
            references: prev ? [prev] : [],
          }),
          null,
        )!,
      ],
      /nested deeper than 32 levels/,
    ],
  ])('parse bounds: %s', (_d, text, refs, message) => {
    expect(() => parseProtobuf(text, refs)).toThrow(message);
  });

  it('the JSON validator checks each value once: a deep recursive document is cut at maxDocumentDepth', () => {
    const p = parseProtobuf('syntax = "proto3";\nmessage Node { Node a = 1; Node b = 2; }\n', []);
    let value: unknown = {};
    for (let i = 0; i < 100; i++) value = { a: value, b: {} };
    const r = protobufValidator(p).validate(value);
    expect(r.valid).toBe(false);
    expect(r.errors.map((e) => `${e.keyword}: ${e.message}`)).toEqual(Array(2).fill('maxDepth: document nested deeper than 64 levels'));
  });
});
