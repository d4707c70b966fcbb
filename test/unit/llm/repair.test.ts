import { describe, expect, it } from 'vitest';
import type { ValidationError } from '../../../src/domain/validation';
import { noJsonRepair, REPAIR_HEADER, repairInstruction, schemaNodeOf } from '../../../src/domain/llm/repair';
import { describeExpected, describeValue } from '../../../src/domain/llm/describe';

const weather = {
  type: 'object',
  properties: {
    location: {
      type: 'object',
      properties: {
        city: { type: 'string', minLength: 1 },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      },
      required: ['city', 'unit'],
      additionalProperties: false,
    },
    days: { type: 'integer', minimum: 1, maximum: 14 },
    code: { type: 'string', pattern: '^[A-Z]{3}$' },
    when: { type: 'string', format: 'date' },
    tags: { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true },
    mode: { const: 'fast' },
    either: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
    ref: { $ref: '#/$defs/id' },
  },
  $defs: { id: { type: 'string', format: 'uuid' } },
};

const err = (instancePath: string, schemaPath: string, keyword: string, message = ''): ValidationError => ({
  instancePath,
  schemaPath,
  keyword,
  message,
});

describe('repairInstruction: one problem per keyword', () => {
  const instance = {
    location: { city: 'Oslo', extra: 1 },
    days: 'three',
    code: 'abc',
    when: 'tomorrow',
    tags: [],
    mode: 'slow',
    either: true,
    ref: 'nope',
  };
  it.each([
    [
      'required (name from the message, ajv style)',
      err('/location', '#/properties/location/required', 'required', "must have required property 'unit'"),
      'At /location: required property "unit" is missing; expected one of "celsius", "fahrenheit".',
    ],
    [
      'required (name from the message, cfworker style)',
      err('/location', '#/properties/location/required', 'required', 'Instance does not have required property "unit".'),
      'At /location: required property "unit" is missing; expected one of "celsius", "fahrenheit".',
    ],
    [
      'required (name from the instance when the message has none)',
      err('/location', '#/properties/location/required', 'required', 'must have required properties'),
      'At /location: required property "unit" is missing; expected one of "celsius", "fahrenheit".',
    ],
    ['type', err('/days', '#/properties/days/type', 'type', 'must be integer'), 'At /days: expected integer between 1 and 14, got string "three".'],
    ['pattern', err('/code', '#/properties/code/pattern', 'pattern'), 'At /code: expected string matching the pattern ^[A-Z]{3}$, got string "abc".'],
    ['format', err('/when', '#/properties/when/format', 'format'), 'At /when: expected string in date format, got string "tomorrow".'],
    [
      'minItems',
      err('/tags', '#/properties/tags/minItems', 'minItems'),
      'At /tags: expected array of at least 1 item (each item string) with unique items, got an array of 0 items.',
    ],
    ['const', err('/mode', '#/properties/mode/const', 'const'), 'At /mode: expected exactly "fast", got string "slow".'],
    ['anyOf', err('/either', '#/properties/either/anyOf', 'anyOf'), 'At /either: expected one of: string | integer, got boolean true.'],
    [
      'additionalProperties (name from the instance)',
      err('/location', '#/properties/location/additionalProperties', 'additionalProperties', 'must NOT have additional properties'),
      'At /location: property "extra" is not allowed; allowed properties: "city", "unit".',
    ],
    [
      'additionalProperties (error pointing at the property itself)',
      err('/location/extra', '#/properties/location/additionalProperties', 'additionalProperties', 'False schema does not allow 1'),
      'At /location/extra: property "extra" is not allowed; allowed properties: "city", "unit".',
    ],
    ['uniqueItems', err('/tags', '#/properties/tags/uniqueItems', 'uniqueItems'), 'At /tags: array items must be unique.'],
    ['not', err('/code', '#/properties/code/not', 'not'), 'At /code: the value must not match the excluded schema, got string "abc".'],
    ['false schema', err('/x', '#/properties/x', 'false schema', 'boolean schema is false'), 'At /x: no value is allowed here; remove it.'],
    [
      'static $ref target (ajv reports the $defs path)',
      err('/ref', '#/$defs/id/format', 'format'),
      'At /ref: expected string in uuid format, got string "nope".',
    ],
    [
      'dynamic path through $ref (cfworker style)',
      err('/ref', '#/properties/ref/$ref/format', 'format'),
      'At /ref: expected string in uuid format, got string "nope".',
    ],
    [
      'unresolvable schemaPath falls back to the message',
      err('/days', '#/nope/type', 'type', 'must be integer.'),
      'At /days: must be integer, got string "three".',
    ],
    ['root', err('', '#/type', 'type', 'must be object'), 'At the root: expected object, got an object.'],
  ])('%s', (_name, e, line) => {
    expect(repairInstruction([e], weather, { instance })).toBe(`${REPAIR_HEADER} 1. ${line}`);
  });
});

describe('repairInstruction: the example from the brief', () => {
  it('two problems, numbered, with expectations from the schema', () => {
    const text = repairInstruction(
      [
        err('/location', '#/properties/location/required', 'required', "must have required property 'unit'"),
        err('/days', '#/properties/days/type', 'type', 'must be integer'),
      ],
      {
        type: 'object',
        properties: {
          location: {
            type: 'object',
            properties: { unit: { enum: ['celsius', 'fahrenheit'] } },
            required: ['unit'],
          },
          days: { type: 'integer' },
        },
      },
      { instance: { location: {}, days: 'three' } },
    );
    expect(text).toBe(
      'The JSON does not match the required schema. Fix these problems and answer with only the corrected JSON: ' +
        '1. At /location: required property "unit" is missing; expected one of "celsius", "fahrenheit". ' +
        '2. At /days: expected integer, got string "three".',
    );
  });
});

describe('repairInstruction: length and duplicates', () => {
  const many = Array.from({ length: 8 }, (_, i) => err(`/a/${i}`, '#/properties/a/items/type', 'type', 'must be string'));
  const schema = { type: 'object', properties: { a: { type: 'array', items: { type: 'string' } } } };
  it.each([
    [3, '1. At /a/0: expected string. 2. At /a/1: expected string. 3. At /a/2: expected string. (5 more problems not shown.)'],
    [
      7,
      many
        .slice(0, 7)
        .map((_, i) => `${i + 1}. At /a/${i}: expected string.`)
        .join(' ') + ' (1 more problem not shown.)',
    ],
    [8, many.map((_, i) => `${i + 1}. At /a/${i}: expected string.`).join(' ')],
  ])('maxProblems %i', (max, body) => {
    expect(repairInstruction(many, schema, { maxProblems: max })).toBe(`${REPAIR_HEADER} ${body}`);
  });

  it('default is 5 problems', () => {
    expect(repairInstruction(many, schema)).toContain('(3 more problems not shown.)');
  });

  it('identical problems are listed once', () => {
    const e = err('/x', '#/properties/x/type', 'type', 'must be string');
    expect(repairInstruction([e, e, e], { properties: { x: { type: 'string' } } })).toBe(`${REPAIR_HEADER} 1. At /x: expected string.`);
  });

  it('no errors still gives a usable instruction', () => {
    expect(repairInstruction([], {})).toBe(`${REPAIR_HEADER} the value is not valid against the schema.`);
  });

  it('long values and long messages are clipped', () => {
    const text = repairInstruction([err('/s', '#/properties/s/type', 'type', 'x'.repeat(1000))], {}, { instance: { s: 'y'.repeat(500) } });
    expect(text.length).toBeLessThan(REPAIR_HEADER.length + 310);
  });

  it('without an instance there is no "got" part', () => {
    expect(repairInstruction([err('/days', '#/properties/days/type', 'type')], weather)).toBe(
      `${REPAIR_HEADER} 1. At /days: expected integer between 1 and 14.`,
    );
  });
});

describe('noJsonRepair', () => {
  it.each([
    ['the output is empty', 'No JSON value was found in your answer (the output is empty). Answer with only the JSON value, with no other text.'],
    [
      'no JSON object or array found in the output',
      'No JSON value was found in your answer (no JSON object or array found in the output). Answer with only the JSON value, with no other text.',
    ],
  ])('%s', (reason, text) => {
    expect(noJsonRepair(reason)).toBe(text);
  });
});

describe('describeExpected', () => {
  it.each([
    [{ type: 'string' }, 'string'],
    [{ type: ['string', 'null'] }, 'string or null'],
    [{ type: ['string', 'integer'] }, 'string or integer'],
    [{ type: 'string', minLength: 2, maxLength: 2 }, 'string of exactly 2 characters'],
    [{ type: 'string', maxLength: 5 }, 'string of at most 5 characters'],
    [{ type: 'number', exclusiveMinimum: 0 }, 'number > 0'],
    [{ type: 'number', minimum: 0 }, 'number >= 0'],
    [{ type: 'integer', maximum: 9, multipleOf: 3 }, 'integer <= 9 and that is a multiple of 3'],
    [{ type: 'array', maxItems: 2 }, 'array of at most 2 items'],
    [{ type: 'object', required: ['a', 'b'] }, 'object with the properties "a", "b"'],
    [{ properties: { a: {} } }, 'object'],
    [{ enum: Array.from({ length: 12 }, (_, i) => i) }, 'one of 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 (and 2 more)'],
    [{ oneOf: [{ type: 'string' }, {}] }, 'one of: string | another shape'],
    [false, 'no value at all'],
    [true, ''],
    [{}, ''],
  ])('%j -> %s', (node, text) => {
    expect(describeExpected(node)).toBe(text);
  });
});

describe('describeValue', () => {
  it.each([
    [null, 'null'],
    ['x', 'string "x"'],
    [1.5, 'number 1.5'],
    [false, 'boolean false'],
    [[1], 'an array of 1 item'],
    [{}, 'an object'],
    [undefined, 'nothing'],
    ['z'.repeat(100), `string "${'z'.repeat(38)}…`],
  ])('%j -> %s', (value, text) => {
    expect(describeValue(value)).toBe(text);
  });
});

describe('schemaNodeOf', () => {
  it.each([
    ['#/properties/days/type', weather.properties.days],
    ['/properties/days/type', weather.properties.days],
    ['https://example.com/s.json#/properties/days/type', weather.properties.days],
    ['#/properties/ref/$ref/format', weather.$defs.id],
    ['#/type', weather],
    ['#/properties/missing/type', undefined],
    ['#', undefined],
    ['not-a-pointer', undefined],
    ['#/properties/ref/$ref/$ref/x', undefined],
  ])('%s', (path, node) => {
    expect(schemaNodeOf(weather, path)).toBe(node);
  });
});
