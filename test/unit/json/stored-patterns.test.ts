/**
 * Schemas registered before the linear-time engine refused some regex constructs still load: a
 * stored schema (ParseOptions isNew: false, as services/schemas.ts parseStored re-reads history and
 * validators) parses, renders, exports and takes part in compatibility checks; validating a value
 * against such a pattern answers a validation error naming the construct, never a backtracking
 * run; a new registration of the same text is still refused (42201). docs/json-schema.md,
 * "Regular expressions".
 */
import { describe, expect, it } from 'vitest';
import { SchemaParseError } from '../../../src/domain/errors';
import { jsonFormat } from '../../../src/domain/json/index';
import { bundleReferences } from '../../../src/domain/json/bundle';
import { jsonSchemaCompatibility } from '../../../src/domain/json/compat/index';
import { parseJsonSchema, validatorOf } from '../../../src/domain/json/parse';
import { compileValidator } from '../../../src/domain/json/validator/index';
import { exportSchema } from '../../../src/domain/llm/export/index';

const D2020 = 'https://json-schema.org/draft/2020-12/schema';
const stored = { isNew: false };

const LOOKBEHIND = '(?<=\\$)\\d+';
const BACKREF = '^(a)\\1$';

describe('a stored schema with a refused pattern still loads', () => {
  const text = JSON.stringify({ type: 'object', properties: { price: { type: 'string', pattern: LOOKBEHIND } } });

  it('parses (jsonFormat.parse with isNew: false), with its canonical and normalized text', () => {
    const parsed = jsonFormat.parse(text, [], stored);
    expect(parsed.isNew).toBe(false);
    expect(parsed.canonical).toBe(text);
    expect(parsed.normalized()).toBe(JSON.stringify({ properties: { price: { pattern: LOOKBEHIND, type: 'string' } }, type: 'object' }));
  });

  it('a new registration of the same text is still refused with 42201, naming the construct', () => {
    for (const parse of [() => parseJsonSchema(text), () => jsonFormat.parse(text, [], { isNew: true }), () => jsonFormat.parse(text, [])]) {
      expect(parse).toThrow(SchemaParseError);
      expect(parse).toThrow(/#\/properties\/price\/pattern: regular expression .* is not supported: it uses a lookbehind/);
    }
  });

  it('validating against the pattern answers a validation error for the keyword, naming the construct', () => {
    const v = compileValidator(parseJsonSchema(text, [], stored));
    expect(v.validate({ price: '$12' })).toEqual({
      valid: false,
      errors: [
        {
          instancePath: '/price',
          schemaPath: '#/properties/price/pattern',
          keyword: 'pattern',
          message: `the pattern /${LOOKBEHIND}/ cannot be run: it uses a lookbehind, which this registry does not run (docs/json-schema.md, "Regular expressions"); the value cannot be checked against it`,
        },
      ],
    });
    // the keyword applies to strings only: other values and absent properties are unaffected
    expect(v.validate({ price: 12 }).errors.map((e) => e.keyword)).toEqual(['type']);
    expect(v.validate({})).toEqual({ valid: true, errors: [] });
  });

  it.each([
    ['backreference', BACKREF, /it uses a backreference/],
    ['lookahead inside', 'a(?=b)', /it uses a lookahead that is not at the start of the pattern/],
    ['count above 1000', '^.{0,5000}$', /it uses a repetition count above 1000/],
  ])('%s: the same answer, with its reason', (_name, pattern, why) => {
    const v = compileValidator(parseJsonSchema(JSON.stringify({ type: 'string', pattern }), [], stored));
    const r = v.validate('aa');
    expect(r.valid).toBe(false);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ keyword: 'pattern', schemaPath: '#/pattern' });
    expect(r.errors[0].message).toMatch(why);
    expect(r.errors[0].message).toMatch(/which this registry does not run/);
  });

  it('patternProperties: an object with properties cannot be checked (every code path); an empty one can', () => {
    const schemas = [
      { type: 'object', patternProperties: { [BACKREF]: { type: 'integer' } } },
      { type: 'object', properties: { id: {} }, patternProperties: { [BACKREF]: { type: 'integer' } }, additionalProperties: false },
      { $schema: D2020, patternProperties: { [BACKREF]: { type: 'integer' } }, unevaluatedProperties: false },
      { $schema: D2020, allOf: [{ patternProperties: { [BACKREF]: { type: 'integer' } } }], unevaluatedProperties: false },
    ];
    for (const s of schemas) {
      const v = compileValidator(parseJsonSchema(JSON.stringify(s), [], stored));
      expect(v.validate({})).toEqual({ valid: true, errors: [] });
      for (const doc of [{ aa: 1 }, { id: 1 }, { other: 'x' }]) {
        const r = v.validate(doc);
        expect(r.valid).toBe(false);
        expect(r.errors).toContainEqual({
          instancePath: '',
          schemaPath: `#${'allOf' in s ? '/allOf/0' : ''}/patternProperties/${BACKREF}`,
          keyword: 'patternProperties',
          message: `the pattern /${BACKREF}/ cannot be run: it uses a backreference, which this registry does not run (docs/json-schema.md, "Regular expressions"); property names cannot be checked against it`,
        });
      }
      expect(() => parseJsonSchema(JSON.stringify(s))).toThrow(/backreference/);
    }
  });

  it('a pattern past the per-schema bounds: refused when new, a failing keyword when stored', () => {
    const many: Record<string, unknown> = {};
    for (let i = 0; i < 2001; i++) many[`p${i}`] = { type: 'string', pattern: `^x${i}$` };
    const text2 = JSON.stringify({ properties: many });
    expect(() => parseJsonSchema(text2)).toThrow(/more than 2000 distinct patterns/);
    const v = compileValidator(parseJsonSchema(text2, [], stored));
    expect(v.validate({ p0: 'x0' }).valid).toBe(true);
    const last = v.validate({ p2000: 'x2000' });
    expect(last.valid).toBe(false);
    expect(last.errors[0].message).toMatch(/it uses more than 2000 distinct patterns in the schema/);
  });

  it('exports (bundled, then rendered for a provider) as any stored schema', () => {
    const parsed = parseJsonSchema(text, [], stored);
    const out = exportSchema('openai-response-format', { subject: 'prices', schema: bundleReferences(parsed.root, parsed.referenced) });
    expect(JSON.stringify(out.output)).toContain(JSON.stringify(LOOKBEHIND).slice(1, -1));
  });
});

describe('compatibility with a stored schema whose pattern is refused', () => {
  /** A pattern that can never match, standing in for "matches nothing". */
  const NEVER = '[^\\s\\S]';
  const partiallyOpen = (pattern: string, extra: Record<string, unknown> = {}) => ({
    type: 'object',
    properties: { id: { type: 'string' }, ...extra },
    patternProperties: { [pattern]: { type: 'string' } },
    additionalProperties: false,
  });

  it.each(['BACKWARD', 'FORWARD', 'FULL'] as const)('%s: the refused pattern matches nothing (as a never-matching one does)', (direction) => {
    const previous = parseJsonSchema(JSON.stringify(partiallyOpen(LOOKBEHIND)), [], stored);
    const candidate = parseJsonSchema(JSON.stringify(partiallyOpen(LOOKBEHIND, { $12: { type: 'integer' } })), [], stored);
    const reference = [
      parseJsonSchema(JSON.stringify(partiallyOpen(NEVER, { $12: { type: 'integer' } }))),
      parseJsonSchema(JSON.stringify(partiallyOpen(NEVER))),
    ] as const;
    const got = jsonSchemaCompatibility(candidate, previous, direction);
    expect(got).toEqual(jsonSchemaCompatibility(...reference, direction));
    expect(jsonSchemaCompatibility(previous, previous, direction)).toEqual([]);
  });

  it('a new candidate against the stored history: the check completes', () => {
    const previous = parseJsonSchema(JSON.stringify(partiallyOpen(LOOKBEHIND)), [], stored);
    const candidate = parseJsonSchema(
      JSON.stringify({ type: 'object', properties: { id: { type: 'string' }, $12: { type: 'string' } }, additionalProperties: false }),
    );
    expect(jsonSchemaCompatibility(candidate, previous, 'BACKWARD')).toEqual([]);
    expect(jsonSchemaCompatibility(candidate, previous, 'FORWARD').length).toBeGreaterThan(0);
  });
});

describe('a stored schema is compiled only when something validates against it', () => {
  // An unresolvable $ref is a compile error: a new schema is refused at parse, a stored one when validated.
  const text = JSON.stringify({ type: 'object', properties: { a: { $ref: '#/definitions/missing' } } });
  const unresolvable = /Invalid JSON Schema: #\/properties\/a\/\$ref: can't resolve reference #\/definitions\/missing/;

  it('a new schema is compiled when parsed: 42201', () => {
    expect(() => jsonFormat.parse(text, [], { isNew: true })).toThrow(SchemaParseError);
    expect(() => jsonFormat.parse(text, [], { isNew: true })).toThrow(unresolvable);
  });

  it('a stored one parses (a compatibility check reads it without compiling), and validatorOf answers the same 42201', () => {
    const parsed = jsonFormat.parse(text, [], stored);
    expect(parsed.canonical).toBe(text);
    expect(() => validatorOf(parsed)).toThrow(SchemaParseError);
    expect(() => validatorOf(parsed)).toThrow(unresolvable);
  });

  it('a new schema keeps its validator; a stored one does not (the validator cache keeps it, weighed as a validator)', () => {
    const text = JSON.stringify({ type: 'string' });
    const fresh = jsonFormat.parse(text, [], { isNew: true });
    expect(validatorOf(fresh)).toBe(validatorOf(fresh));
    const parsed = jsonFormat.parse(text, [], stored);
    const v = validatorOf(parsed);
    expect(validatorOf(parsed)).not.toBe(v);
    expect(v.validate(1).valid).toBe(false);
    expect(v.validate('x').valid).toBe(true);
  });
});
