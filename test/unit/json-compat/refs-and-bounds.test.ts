/**
 * `$ref` dereferencing (local pointers, $defs, anchors, embedded $id, referenced documents by name
 * and name#/pointer), cycle handling, the fixed-point iteration over recursive unions, and the work
 * bounds on hostile input.
 */
import { describe, expect, it } from 'vitest';
import { incompatibleDifferences, jsonSchemaCompatibility, schemaDiff } from '../../../src/domain/json/compat';
import { SchemaParseError } from '../../../src/domain/errors';
import { schema } from './helpers';

const s = { type: 'string' };
const n = { type: 'number' };

function diffOf(o: unknown, u: unknown, oRefs: Record<string, unknown> = {}, uRefs: Record<string, unknown> = {}): string[] {
  return schemaDiff(schema(o, { referenced: oRefs }), schema(u, { referenced: uRefs })).map((d) => `${d.type} ${d.path}`);
}

describe('$ref resolution', () => {
  it.each<[string, unknown, unknown, Record<string, unknown>, Record<string, unknown>, string[]]>([
    [
      'json pointer into definitions',
      { properties: { a: { $ref: '#/definitions/x' } }, definitions: { x: s } },
      { properties: { a: n } },
      {},
      {},
      ['TYPE_CHANGED #/properties/a'],
    ],
    ['json pointer into $defs', { properties: { a: { $ref: '#/$defs/x' } }, $defs: { x: s } }, { properties: { a: s } }, {}, {}, []],
    [
      'escaped pointer tokens',
      { properties: { a: { $ref: '#/definitions/a~1b%20c' } }, definitions: { 'a/b c': s } },
      { properties: { a: n } },
      {},
      {},
      ['TYPE_CHANGED #/properties/a'],
    ],
    [
      'pointer into an array',
      { properties: { a: { $ref: '#/definitions/list/1' } }, definitions: { list: [n, s] } },
      { properties: { a: s } },
      {},
      {},
      [],
    ],
    ['$ref to the root', { properties: { self: { $ref: '#' } } }, { properties: { self: { $ref: '#' } } }, {}, {}, []],
    [
      '$anchor',
      { properties: { a: { $ref: '#thing' } }, $defs: { t: { $anchor: 'thing', type: 'string' } } },
      { properties: { a: n } },
      {},
      {},
      ['TYPE_CHANGED #/properties/a'],
    ],
    [
      'draft-07 $id "#name"',
      { properties: { a: { $ref: '#thing' } }, definitions: { t: { $id: '#thing', type: 'string' } } },
      { properties: { a: s } },
      {},
      {},
      ['ID_CHANGED #/properties/a'],
    ],
    [
      'embedded $id resource',
      { $id: 'http://example.com/root.json', properties: { a: { $ref: 'item.json' } }, definitions: { i: { $id: 'item.json', type: 'string' } } },
      { $id: 'http://example.com/root.json', properties: { a: n } },
      {},
      {},
      ['TYPE_CHANGED #/properties/a'],
    ],
    [
      'referenced document by name',
      { properties: { a: { $ref: 'other.json' } } },
      { properties: { a: { $ref: 'other.json' } } },
      { 'other.json': s },
      { 'other.json': n },
      ['TYPE_CHANGED #/properties/a'],
    ],
    [
      'referenced document with a pointer',
      { properties: { a: { $ref: 'lib.json#/definitions/t' } } },
      { properties: { a: s } },
      { 'lib.json': { definitions: { t: { type: 'string', maxLength: 3 } } } },
      {},
      ['MAX_LENGTH_REMOVED #/properties/a/maxLength'],
    ],
    [
      'referenced name resolved against the root $id',
      { $id: 'http://example.com/schemas/root.json', properties: { a: { $ref: 'http://example.com/schemas/other.json' } } },
      { properties: { a: s } },
      { 'other.json': n },
      {},
      ['ID_CHANGED #/', 'TYPE_CHANGED #/properties/a'],
    ],
    ['./name matches name', { properties: { a: { $ref: './other.json' } } }, { properties: { a: s } }, { 'other.json': s }, {}, []],
    [
      'local refs inside a referenced document',
      { properties: { a: { $ref: 'lib.json' } } },
      { properties: { a: { $ref: 'lib.json' } } },
      { 'lib.json': { properties: { x: { $ref: '#/definitions/d' } }, definitions: { d: s } } },
      { 'lib.json': { properties: { x: { $ref: '#/definitions/d' } }, definitions: { d: n } } },
      ['TYPE_CHANGED #/properties/a/properties/x'],
    ],
    ['ref chains are followed', { $ref: '#/definitions/a', definitions: { a: { $ref: '#/definitions/b' }, b: s } }, n, {}, {}, ['TYPE_CHANGED #/']],
  ])('%s', (_d, o, u, oRefs, uRefs, expected) => {
    expect(diffOf(o, u, oRefs, uRefs)).toEqual(expected);
  });

  it.each<[string, unknown, Record<string, unknown>]>([
    ['missing pointer target', { properties: { a: { $ref: '#/definitions/nope' } } }, {}],
    ['unknown document', { properties: { a: { $ref: 'nowhere.json' } } }, {}],
    ['unknown anchor', { properties: { a: { $ref: '#nothing' } } }, {}],
    ['pure $ref loop', { $ref: '#/definitions/a', definitions: { a: { $ref: '#/definitions/b' }, b: { $ref: '#/definitions/a' } } }, {}],
  ])('throws SchemaParseError: %s', (_d, o, refs) => {
    const run = () => jsonSchemaCompatibility(schema({ properties: { a: s } }), schema(o, { referenced: refs }), 'BACKWARD');
    expect(run).toThrow(SchemaParseError);
    expect(run).toThrow(/\$ref/);
  });
});

/** A linked list whose node type is configurable: recursive through $ref. */
function list(valueType: string) {
  return {
    $ref: '#/definitions/node',
    definitions: { node: { type: 'object', properties: { value: { type: valueType }, next: { $ref: '#/definitions/node' } } } },
  };
}

/** Recursive oneOf union over many definitions, the shape that blew up Confluent before memoization. */
function trade(idType = 'string', width = 12) {
  const names = Array.from({ length: width }, (_, i) => `T${i}`);
  const union = { oneOf: names.map((x) => ({ $ref: `#/definitions/${x}` })) };
  const definitions: Record<string, unknown> = {};
  names.forEach((x, i) => {
    definitions[x] = { type: 'object', properties: { id: { type: i === 0 ? idType : 'string' }, under: union, ref: union } };
  });
  return { type: 'object', additionalProperties: true, definitions, properties: { product: union } };
}

/** T0 -> T2 -> T0 cycle behind a singleton oneOf; root oneOf[T0, T1] (the masking reproducer). */
function masking(t0: string, t1: string) {
  const rec = (id: string, target: string) => ({
    type: 'object',
    additionalProperties: true,
    properties: { id: { type: id }, ref: { oneOf: [{ $ref: `#/definitions/${target}` }] } },
  });
  return {
    type: 'object',
    additionalProperties: true,
    definitions: { T0: rec(t0, 'T2'), T1: rec(t1, 'T2'), T2: rec('integer', 'T0') },
    properties: { root: { oneOf: [{ $ref: '#/definitions/T0' }, { $ref: '#/definitions/T1' }] } },
  };
}

describe('recursion', () => {
  it.each<[string, unknown, unknown, boolean]>([
    ['identical recursive list', list('string'), list('string'), true],
    ['recursive list with a changed value type', list('string'), list('number'), false],
    ['recursive list with a widened value type', list('integer'), list('number'), true],
    ['identical recursive oneOf union', trade(), trade(), true],
    ['recursive union with a deep type change', trade('string'), trade('number'), false],
    ['cycle must not mask an incompatibility (fixed point)', masking('integer', 'boolean'), masking('boolean', 'number'), false],
    ['cycle pair compatible', masking('integer', 'boolean'), masking('integer', 'boolean'), true],
  ])('%s', (_d, o, u, compatible) => {
    expect(incompatibleDifferences(schema(o), schema(u)).length === 0).toBe(compatible);
  });

  it('reports the deep change of a recursive list at its path', () => {
    expect(diffOf(list('string'), list('number'))).toEqual(['TYPE_CHANGED #/properties/value']);
  });
});

describe('bounds', () => {
  it('a wide recursive union finishes (memoized) and is compatible with itself', () => {
    expect(incompatibleDifferences(schema(trade('string', 60)), schema(trade('string', 60)))).toEqual([]);
  });

  it('gives up with SchemaParseError instead of exploding on a huge cross product', () => {
    // 300 x 300 distinct oneOf branches, each an object with 3 properties: > 50k pair comparisons
    const branches = (k: number) =>
      Array.from({ length: 300 }, (_, i) => ({ type: 'object', properties: { [`p${i}`]: { type: 'string', maxLength: i + k } } }));
    const run = () => incompatibleDifferences(schema({ oneOf: branches(1) }), schema({ oneOf: branches(2) }));
    expect(run).toThrow(SchemaParseError);
    expect(run).toThrow(/too complex/);
  });

  it('gives up with SchemaParseError on a chain of distinct refs deeper than the bound', () => {
    const definitions: Record<string, unknown> = {};
    for (let i = 0; i < 600; i++) definitions[`d${i}`] = { type: 'object', properties: { next: { $ref: `#/definitions/d${i + 1}` } } };
    definitions.d600 = { type: 'string' };
    const doc = { $ref: '#/definitions/d0', definitions };
    expect(() => incompatibleDifferences(schema(doc), schema(structuredClone(doc)))).toThrow(/nested deeper/);
  });

  it('patternProperties with catastrophic backtracking is not run against long names', () => {
    const name = `${'a'.repeat(80)}!`;
    const o = { type: 'object', properties: { id: s }, additionalProperties: false, patternProperties: { '^(a+)+$': s } };
    const u = { type: 'object', properties: { id: s, [name]: s }, additionalProperties: false, patternProperties: { '^(a+)+$': s } };
    const started = Date.now();
    expect(diffOf(o, u)).toEqual([`OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/${name}`]);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
