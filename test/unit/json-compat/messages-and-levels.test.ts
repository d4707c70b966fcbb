/**
 * Exact verbose messages (Difference.toString() + SchemaValidatorBuilder's reader/writer roles),
 * the message order of FULL, the policy switch, and the Java HashMap order our message lists follow.
 */
import { describe, expect, it } from 'vitest';
import { formatDifference, jsonSchemaCompatibility } from '../../../src/domain/json/compat';
import { javaHashOrder, javaHashSetUnion, javaStringHash } from '../../../src/domain/json/compat/java-order';
import { describe as describeDiff } from '../../../src/domain/json/compat/messages';
import { schema } from './helpers';

describe('message texts', () => {
  it.each<[Parameters<typeof formatDifference>[0], string, string]>([
    [
      'TYPE_CHANGED',
      '#/properties/a',
      '{errorType:"TYPE_CHANGED", description:"A type at path \'#/properties/a\' is different between the new schema and the old schema\'}',
    ],
    [
      'MAX_LENGTH_ADDED',
      '#/maxLength',
      '{errorType:"MAX_LENGTH_ADDED", description:"The keyword at path \'#/maxLength\' in the new schema is not present in the old schema\'}',
    ],
    [
      'MIN_ITEMS_INCREASED',
      '#/minItems',
      '{errorType:"MIN_ITEMS_INCREASED", description:"The value at path \'#/minItems\' in the new schema is more than its value in the old schema\'}',
    ],
    [
      'MAXIMUM_DECREASED',
      '#/maximum',
      '{errorType:"MAXIMUM_DECREASED", description:"The value at path \'#/maximum\' in the new schema is less than its value in the old schema\'}',
    ],
    [
      'PATTERN_CHANGED',
      '#/pattern',
      '{errorType:"PATTERN_CHANGED", description:"The value at path \'#/pattern\' is different between the new and old schema\'}',
    ],
    [
      'SUM_TYPE_NARROWED',
      '#/',
      '{errorType:"SUM_TYPE_NARROWED", description:"An array or combined type at path \'#/\' has fewer elements in the new schema than the old schema\'}',
    ],
    [
      'PRODUCT_TYPE_EXTENDED',
      '#/',
      '{errorType:"PRODUCT_TYPE_EXTENDED", description:"An array or combined type at path \'#/\' has more elements in the new schema than the old schema\'}',
    ],
    [
      'PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
      '#/properties/b',
      '{errorType:"PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", description:"The new schema has an open content model and has a property or item at path \'#/properties/b\' which is missing in the old schema\'}',
    ],
    [
      'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
      '#/properties/b',
      '{errorType:"REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", description:"The new schema has an unopen content model and has a required property at path \'#/properties/b\' which is missing in the old schema\'}',
    ],
    [
      'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL',
      '#/properties/b',
      '{errorType:"PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", description:"The new has a closed content model and is missing a property or item present at path \'#/properties/b\' in the old schema\'}',
    ],
    [
      'ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
      '#/items/1',
      '{errorType:"ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", description:"A property or item is missing in the new schema but present at path \'#/items/1\' in the old schema and is not covered by its partially open content model\'}',
    ],
    [
      'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
      '#/properties/b',
      '{errorType:"PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", description:"The new schema has a property or item at path \'#/properties/b\' which is missing in the old schema and is not covered by its partially open content model\'}',
    ],
    [
      'RESERVED_PROPERTY_REMOVED',
      'x',
      '{errorType:"RESERVED_PROPERTY_REMOVED", description:"The new schema has reserved property \'x\' removed from its metadata which is present in the old schema.\'}',
    ],
    [
      'RESERVED_PROPERTY_CONFLICTS_WITH_PROPERTY',
      '#/properties/x',
      '{errorType:"RESERVED_PROPERTY_CONFLICTS_WITH_PROPERTY", description:"The new schema has property at path \'#/properties/x\' that conflicts with the reserved properties which is missing in the old schema.\'}',
    ],
    ['TITLE_CHANGED', '#/', '{errorType:"TITLE_CHANGED", description:"\'}'],
  ])('%s', (type, path, expected) => {
    expect(formatDifference(type, path, 'new', 'old')).toBe(expected);
  });

  it('swaps the roles for FORWARD', () => {
    expect(describeDiff('MAX_LENGTH_DECREASED', '#/maxLength', 'old', 'new')).toBe(
      "The value at path '#/maxLength' in the old schema is less than its value in the new schema",
    );
  });
});

const v1 = schema({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } }, additionalProperties: false });
const v2 = schema({ type: 'object', properties: { a: { type: 'string' }, c: { type: 'number' } }, required: ['c'], additionalProperties: false });

describe('levels', () => {
  const removedB = (r: string, w: string) =>
    `{errorType:"PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", description:"The ${r} has a closed content model and is missing a property or item present at path '#/properties/b' in the ${w} schema'}`;
  const requiredC = (r: string, w: string) =>
    `{errorType:"REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", description:"The ${r} schema has an unopen content model and has a required property at path '#/properties/c' which is missing in the ${w} schema'}`;
  const removedC = (r: string, w: string) =>
    `{errorType:"PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", description:"The ${r} has a closed content model and is missing a property or item present at path '#/properties/c' in the ${w} schema'}`;

  it.each<[string, 'BACKWARD' | 'FORWARD' | 'FULL', string[]]>([
    // properties are visited in Java HashSet order: b (bucket 2) before c (bucket 3)
    ['BACKWARD: v2 reads v1 data', 'BACKWARD', [removedB('new', 'old'), requiredC('new', 'old')]],
    // FORWARD: diff(original = v2, update = v1): c disappears from a closed model, b is an optional addition
    ['FORWARD: v1 reads v2 data', 'FORWARD', [removedC('old', 'new')]],
    ['FULL: FORWARD messages first, then BACKWARD', 'FULL', [removedC('old', 'new'), removedB('new', 'old'), requiredC('new', 'old')]],
  ])('%s', (_d, level, expected) => {
    expect(jsonSchemaCompatibility(v2, v1, level)).toEqual(expected);
  });

  it.each(['BACKWARD', 'FORWARD', 'FULL'] as const)('identical schemas are compatible under %s', (level) => {
    expect(jsonSchemaCompatibility(v1, v1, level)).toEqual([]);
    expect(jsonSchemaCompatibility(v1, v1, level, 'LENIENT')).toEqual([]);
  });

  it.each<[string, 'STRICT' | 'LENIENT', number]>([
    ['STRICT rejects a new optional property in an open model', 'STRICT', 1],
    ['LENIENT accepts it', 'LENIENT', 0],
  ])('%s', (_d, policy, count) => {
    const open1 = schema({ type: 'object', properties: { a: { type: 'string' } } });
    const open2 = schema({ type: 'object', properties: { a: { type: 'string' }, z: { type: 'number' } } });
    expect(jsonSchemaCompatibility(open2, open1, 'BACKWARD', policy)).toHaveLength(count);
  });

  it('defaults to STRICT', () => {
    const open1 = schema({ type: 'object', properties: { a: { type: 'string' } } });
    const open2 = schema({ type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } });
    expect(jsonSchemaCompatibility(open2, open1, 'BACKWARD')).toEqual(jsonSchemaCompatibility(open2, open1, 'BACKWARD', 'STRICT'));
    expect(jsonSchemaCompatibility(open2, open1, 'BACKWARD')).toHaveLength(1);
    expect(jsonSchemaCompatibility(open2, open1, 'BACKWARD', 'LENIENT')).toEqual([]);
  });
});

describe('Java HashMap order', () => {
  it.each<[string, number]>([
    ['', 0],
    ['a', 97],
    ['foo', 101574],
    ['bar', 97299],
    ['hello', 99162322],
    ['polygenelubricants', -2147483648],
  ])('String.hashCode(%j) = %i', (s, h) => {
    expect(javaStringHash(s)).toBe(h);
  });

  it.each<[string, string[], number, string[]]>([
    ['bucket order', ['foo', 'bar'], 16, ['bar', 'foo']],
    ['insertion order within a bucket', ['Aa', 'BB'], 16, ['Aa', 'BB']],
    ['insertion order within a bucket, reversed', ['BB', 'Aa'], 16, ['BB', 'Aa']],
    ['duplicates ignored', ['b', 'a', 'b'], 16, ['a', 'b']],
    [
      'table grows past 12 entries',
      Array.from({ length: 13 }, (_, i) => `k${i}`),
      16,
      javaHashOrder(
        Array.from({ length: 13 }, (_, i) => `k${i}`),
        32,
      ),
    ],
  ])('%s', (_d, keys, cap, expected) => {
    expect(javaHashOrder(keys, cap)).toEqual(expected);
  });

  it('union of two key sets', () => {
    expect(javaHashSetUnion(['foo'], ['bar'])).toEqual(['bar', 'foo']);
  });
});
