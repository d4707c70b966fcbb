/**
 * One row per Confluent Difference.Type: a pair of schemas that produces it, checked under every
 * level (BACKWARD, FORWARD, FULL) and both policies. Our own schemas, written to the rules of
 * Confluent's json-schema-provider diff.
 */
import { describe, expect, it } from 'vitest';
import {
  COMPATIBLE_CHANGES_LENIENT,
  COMPATIBLE_CHANGES_STRICT,
  DIFF_TYPES,
  type DiffType,
  formatDifference,
  jsonSchemaCompatibility,
} from '../../../src/domain/json/compat';
import type { Draft } from '../../../src/domain/json/types';
import { changes, D2020, schema } from './helpers';

type Row = [type: DiffType, original: unknown, update: unknown, path: string, draft?: Draft];

const str = { type: 'string' };
const numb = { type: 'number' };
const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra });
const tuple = (items: unknown[], extra: Record<string, unknown> = {}) => ({ type: 'array', items, ...extra });
const m20 = (s: Record<string, unknown>) => ({ $schema: D2020, ...s });

const ROWS: Row[] = [
  ['ID_CHANGED', { $id: 'urn:one', type: 'string' }, { $id: 'urn:two', type: 'string' }, '#/'],
  ['DESCRIPTION_CHANGED', { type: 'string', description: 'a' }, { type: 'string', description: 'b' }, '#/'],
  ['TITLE_CHANGED', { type: 'string', title: 'a' }, { type: 'string', title: 'b' }, '#/'],
  ['DEFAULT_CHANGED', { type: 'string', default: 'a' }, { type: 'string', default: 'b' }, '#/'],
  ['SCHEMA_ADDED', { type: 'array' }, { type: 'array', items: str }, '#/items'],
  ['SCHEMA_REMOVED', { type: 'array', items: str }, { type: 'array' }, '#/items'],
  ['TYPE_EXTENDED', { type: 'integer' }, { type: 'number' }, '#/'],
  ['TYPE_NARROWED', { type: 'number' }, { type: 'integer' }, '#/'],
  ['TYPE_CHANGED', { type: 'string' }, { type: 'boolean' }, '#/'],
  ['MAX_LENGTH_ADDED', str, { type: 'string', maxLength: 5 }, '#/maxLength'],
  ['MAX_LENGTH_REMOVED', { type: 'string', maxLength: 5 }, str, '#/maxLength'],
  ['MAX_LENGTH_INCREASED', { type: 'string', maxLength: 5 }, { type: 'string', maxLength: 6 }, '#/maxLength'],
  ['MAX_LENGTH_DECREASED', { type: 'string', maxLength: 6 }, { type: 'string', maxLength: 5 }, '#/maxLength'],
  ['MIN_LENGTH_ADDED', str, { type: 'string', minLength: 1 }, '#/minLength'],
  ['MIN_LENGTH_REMOVED', { type: 'string', minLength: 1 }, str, '#/minLength'],
  ['MIN_LENGTH_INCREASED', { type: 'string', minLength: 1 }, { type: 'string', minLength: 2 }, '#/minLength'],
  ['MIN_LENGTH_DECREASED', { type: 'string', minLength: 2 }, { type: 'string', minLength: 1 }, '#/minLength'],
  ['PATTERN_ADDED', str, { type: 'string', pattern: '^x' }, '#/pattern'],
  ['PATTERN_REMOVED', { type: 'string', pattern: '^x' }, str, '#/pattern'],
  ['PATTERN_CHANGED', { type: 'string', pattern: '^x' }, { type: 'string', pattern: '^y' }, '#/pattern'],
  ['MAXIMUM_ADDED', numb, { type: 'number', maximum: 9 }, '#/maximum'],
  ['MAXIMUM_REMOVED', { type: 'number', maximum: 9 }, numb, '#/maximum'],
  ['MAXIMUM_INCREASED', { type: 'number', maximum: 9 }, { type: 'number', maximum: 10 }, '#/maximum'],
  ['MAXIMUM_DECREASED', { type: 'number', maximum: 10 }, { type: 'number', maximum: 9 }, '#/maximum'],
  ['MINIMUM_ADDED', numb, { type: 'number', minimum: 1 }, '#/minimum'],
  ['MINIMUM_REMOVED', { type: 'number', minimum: 1 }, numb, '#/minimum'],
  ['MINIMUM_INCREASED', { type: 'number', minimum: 1 }, { type: 'number', minimum: 2 }, '#/minimum'],
  ['MINIMUM_DECREASED', { type: 'number', minimum: 2 }, { type: 'number', minimum: 1 }, '#/minimum'],
  ['EXCLUSIVE_MAXIMUM_ADDED', numb, { type: 'number', exclusiveMaximum: 9 }, '#/exclusiveMaximum'],
  ['EXCLUSIVE_MAXIMUM_REMOVED', { type: 'number', exclusiveMaximum: 9 }, numb, '#/exclusiveMaximum'],
  ['EXCLUSIVE_MAXIMUM_INCREASED', { type: 'number', exclusiveMaximum: 9 }, { type: 'number', exclusiveMaximum: 10 }, '#/exclusiveMaximum'],
  ['EXCLUSIVE_MAXIMUM_DECREASED', { type: 'number', exclusiveMaximum: 10 }, { type: 'number', exclusiveMaximum: 9 }, '#/exclusiveMaximum'],
  ['EXCLUSIVE_MINIMUM_ADDED', numb, { type: 'number', exclusiveMinimum: 1 }, '#/exclusiveMinimum'],
  ['EXCLUSIVE_MINIMUM_REMOVED', { type: 'number', exclusiveMinimum: 1 }, numb, '#/exclusiveMinimum'],
  ['EXCLUSIVE_MINIMUM_INCREASED', { type: 'number', exclusiveMinimum: 1 }, { type: 'number', exclusiveMinimum: 2 }, '#/exclusiveMinimum'],
  ['EXCLUSIVE_MINIMUM_DECREASED', { type: 'number', exclusiveMinimum: 2 }, { type: 'number', exclusiveMinimum: 1 }, '#/exclusiveMinimum'],
  ['MULTIPLE_OF_ADDED', numb, { type: 'number', multipleOf: 2 }, '#/multipleOf'],
  ['MULTIPLE_OF_REMOVED', { type: 'number', multipleOf: 2 }, numb, '#/multipleOf'],
  ['MULTIPLE_OF_EXPANDED', { type: 'number', multipleOf: 2 }, { type: 'number', multipleOf: 6 }, '#/multipleOf'],
  ['MULTIPLE_OF_REDUCED', { type: 'number', multipleOf: 6 }, { type: 'number', multipleOf: 3 }, '#/multipleOf'],
  ['MULTIPLE_OF_CHANGED', { type: 'number', multipleOf: 4 }, { type: 'number', multipleOf: 6 }, '#/multipleOf'],
  ['REQUIRED_ATTRIBUTE_ADDED', obj({ a: str }), obj({ a: str }, { required: ['a'] }), '#/required/a'],
  ['REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED', obj({ a: str }), obj({ a: { type: 'string', default: 'x' } }, { required: ['a'] }), '#/required/a'],
  ['REQUIRED_ATTRIBUTE_REMOVED', obj({ a: str }, { required: ['a'] }), obj({ a: str }), '#/required/a'],
  ['MAX_PROPERTIES_ADDED', obj({}), obj({}, { maxProperties: 3 }), '#/maxProperties'],
  ['MAX_PROPERTIES_REMOVED', obj({}, { maxProperties: 3 }), obj({}), '#/maxProperties'],
  ['MAX_PROPERTIES_INCREASED', obj({}, { maxProperties: 3 }), obj({}, { maxProperties: 4 }), '#/maxProperties'],
  ['MAX_PROPERTIES_DECREASED', obj({}, { maxProperties: 4 }), obj({}, { maxProperties: 3 }), '#/maxProperties'],
  ['MIN_PROPERTIES_ADDED', obj({}), obj({}, { minProperties: 1 }), '#/minProperties'],
  ['MIN_PROPERTIES_REMOVED', obj({}, { minProperties: 1 }), obj({}), '#/minProperties'],
  ['MIN_PROPERTIES_INCREASED', obj({}, { minProperties: 1 }), obj({}, { minProperties: 2 }), '#/minProperties'],
  ['MIN_PROPERTIES_DECREASED', obj({}, { minProperties: 2 }), obj({}, { minProperties: 1 }), '#/minProperties'],
  ['ADDITIONAL_PROPERTIES_ADDED', obj({}, { additionalProperties: false }), obj({}, { additionalProperties: true }), '#/additionalProperties'],
  ['ADDITIONAL_PROPERTIES_REMOVED', obj({}, { additionalProperties: true }), obj({}, { additionalProperties: false }), '#/additionalProperties'],
  ['ADDITIONAL_PROPERTIES_EXTENDED', obj({}, { additionalProperties: str }), obj({}), '#/additionalProperties'],
  ['ADDITIONAL_PROPERTIES_NARROWED', obj({}), obj({}, { additionalProperties: str }), '#/additionalProperties'],
  ['DEPENDENCY_ARRAY_ADDED', obj({}), obj({}, { dependencies: { a: ['b'] } }), '#/dependencies/a'],
  ['DEPENDENCY_ARRAY_REMOVED', obj({}, { dependencies: { a: ['b'] } }), obj({}), '#/dependencies/a'],
  ['DEPENDENCY_ARRAY_EXTENDED', obj({}, { dependencies: { a: ['b'] } }), obj({}, { dependencies: { a: ['b', 'c'] } }), '#/dependencies/a'],
  ['DEPENDENCY_ARRAY_NARROWED', obj({}, { dependencies: { a: ['b', 'c'] } }), obj({}, { dependencies: { a: ['b'] } }), '#/dependencies/a'],
  ['DEPENDENCY_ARRAY_CHANGED', obj({}, { dependencies: { a: ['b'] } }), obj({}, { dependencies: { a: ['c'] } }), '#/dependencies/a'],
  ['DEPENDENCY_SCHEMA_ADDED', obj({}), obj({}, { dependencies: { a: { required: ['b'] } } }), '#/dependencies/a'],
  ['DEPENDENCY_SCHEMA_REMOVED', obj({}, { dependencies: { a: { required: ['b'] } } }), obj({}), '#/dependencies/a'],
  ['PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL', obj({ a: str }), obj({ a: str, b: numb }), '#/properties/b'],
  ['PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL', obj({ a: str }), obj({ a: str, b: {} }), '#/properties/b'],
  [
    'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
    obj({ a: str }, { additionalProperties: false }),
    obj({ a: str, b: numb }, { additionalProperties: false, required: ['b'] }),
    '#/properties/b',
  ],
  [
    'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL',
    obj({ a: str }, { additionalProperties: false }),
    obj({ a: str, b: { type: 'number', default: 0 } }, { additionalProperties: false, required: ['b'] }),
    '#/properties/b',
  ],
  [
    'OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
    obj({ a: str }, { additionalProperties: false }),
    obj({ a: str, b: numb }, { additionalProperties: false }),
    '#/properties/b',
  ],
  ['PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL', obj({ a: str, b: numb }), obj({ a: str }), '#/properties/b'],
  [
    'PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL',
    obj({ a: str, b: false }, { additionalProperties: false }),
    obj({ a: str }, { additionalProperties: false }),
    '#/properties/b',
  ],
  [
    'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL',
    obj({ a: str, b: numb }, { additionalProperties: false }),
    obj({ a: str }, { additionalProperties: false }),
    '#/properties/b',
  ],
  [
    'PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    obj({ a: str, b: str }, { additionalProperties: false }),
    obj({ a: str }, { additionalProperties: str }),
    '#/properties/b',
  ],
  [
    'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    obj({ a: str, b: numb }, { additionalProperties: false }),
    obj({ a: str }, { additionalProperties: str }),
    '#/properties/b',
  ],
  [
    'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    obj({ a: str }, { additionalProperties: str }),
    obj({ a: str, b: str }, { additionalProperties: str }),
    '#/properties/b',
  ],
  [
    'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    obj({ a: str }, { additionalProperties: str }),
    obj({ a: str, b: numb }, { additionalProperties: str }),
    '#/properties/b',
  ],
  ['UNEVALUATED_PROPERTIES_ADDED', m20(obj({}, { unevaluatedProperties: false })), m20(obj({})), '#/unevaluatedProperties', '2020-12'],
  ['UNEVALUATED_PROPERTIES_REMOVED', m20(obj({})), m20(obj({}, { unevaluatedProperties: false })), '#/unevaluatedProperties', '2020-12'],
  ['UNEVALUATED_PROPERTIES_EXTENDED', m20(obj({}, { unevaluatedProperties: str })), m20(obj({})), '#/unevaluatedProperties', '2020-12'],
  ['UNEVALUATED_PROPERTIES_NARROWED', m20(obj({})), m20(obj({}, { unevaluatedProperties: str })), '#/unevaluatedProperties', '2020-12'],
  ['MAX_ITEMS_ADDED', { type: 'array' }, { type: 'array', maxItems: 3 }, '#/maxItems'],
  ['MAX_ITEMS_REMOVED', { type: 'array', maxItems: 3 }, { type: 'array' }, '#/maxItems'],
  ['MAX_ITEMS_INCREASED', { type: 'array', maxItems: 3 }, { type: 'array', maxItems: 4 }, '#/maxItems'],
  ['MAX_ITEMS_DECREASED', { type: 'array', maxItems: 4 }, { type: 'array', maxItems: 3 }, '#/maxItems'],
  ['MIN_ITEMS_ADDED', { type: 'array' }, { type: 'array', minItems: 1 }, '#/minItems'],
  ['MIN_ITEMS_REMOVED', { type: 'array', minItems: 1 }, { type: 'array' }, '#/minItems'],
  ['MIN_ITEMS_INCREASED', { type: 'array', minItems: 1 }, { type: 'array', minItems: 2 }, '#/minItems'],
  ['MIN_ITEMS_DECREASED', { type: 'array', minItems: 2 }, { type: 'array', minItems: 1 }, '#/minItems'],
  ['MAX_CONTAINS_ADDED', m20({ type: 'array', contains: str }), m20({ type: 'array', contains: str, maxContains: 3 }), '#/maxContains', '2020-12'],
  ['MAX_CONTAINS_REMOVED', m20({ type: 'array', contains: str, maxContains: 3 }), m20({ type: 'array', contains: str }), '#/maxContains', '2020-12'],
  [
    'MAX_CONTAINS_INCREASED',
    m20({ type: 'array', contains: str, maxContains: 3 }),
    m20({ type: 'array', contains: str, maxContains: 4 }),
    '#/maxContains',
    '2020-12',
  ],
  [
    'MAX_CONTAINS_DECREASED',
    m20({ type: 'array', contains: str, maxContains: 4 }),
    m20({ type: 'array', contains: str, maxContains: 3 }),
    '#/maxContains',
    '2020-12',
  ],
  ['MIN_CONTAINS_ADDED', m20({ type: 'array' }), m20({ type: 'array', contains: str }), '#/minContains', '2020-12'],
  ['MIN_CONTAINS_REMOVED', m20({ type: 'array', contains: str }), m20({ type: 'array' }), '#/minContains', '2020-12'],
  [
    'MIN_CONTAINS_INCREASED',
    m20({ type: 'array', contains: str }),
    m20({ type: 'array', contains: str, minContains: 2 }),
    '#/minContains',
    '2020-12',
  ],
  [
    'MIN_CONTAINS_DECREASED',
    m20({ type: 'array', contains: str, minContains: 2 }),
    m20({ type: 'array', contains: str }),
    '#/minContains',
    '2020-12',
  ],
  ['UNIQUE_ITEMS_ADDED', { type: 'array' }, { type: 'array', uniqueItems: true }, '#/uniqueItems'],
  ['UNIQUE_ITEMS_REMOVED', { type: 'array', uniqueItems: true }, { type: 'array' }, '#/uniqueItems'],
  ['ADDITIONAL_ITEMS_ADDED', tuple([str], { additionalItems: false }), tuple([str], { additionalItems: true }), '#/additionalItems'],
  ['ADDITIONAL_ITEMS_REMOVED', tuple([str], { additionalItems: true }), tuple([str], { additionalItems: false }), '#/additionalItems'],
  ['ADDITIONAL_ITEMS_EXTENDED', tuple([str], { additionalItems: numb }), tuple([str]), '#/additionalItems'],
  ['ADDITIONAL_ITEMS_NARROWED', tuple([str]), tuple([str], { additionalItems: numb }), '#/additionalItems'],
  ['UNEVALUATED_ITEMS_ADDED', m20({ type: 'array', unevaluatedItems: false }), m20({ type: 'array' }), '#/unevaluatedItems', '2020-12'],
  ['UNEVALUATED_ITEMS_REMOVED', m20({ type: 'array' }), m20({ type: 'array', unevaluatedItems: false }), '#/unevaluatedItems', '2020-12'],
  ['UNEVALUATED_ITEMS_EXTENDED', m20({ type: 'array', unevaluatedItems: str }), m20({ type: 'array' }), '#/unevaluatedItems', '2020-12'],
  ['UNEVALUATED_ITEMS_NARROWED', m20({ type: 'array' }), m20({ type: 'array', unevaluatedItems: str }), '#/unevaluatedItems', '2020-12'],
  ['ITEM_ADDED_TO_OPEN_CONTENT_MODEL', tuple([str]), tuple([str, numb]), '#/items/1'],
  ['ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL', tuple([str]), tuple([str, {}]), '#/items/1'],
  ['ITEM_ADDED_TO_CLOSED_CONTENT_MODEL', tuple([str], { additionalItems: false }), tuple([str, numb], { additionalItems: false }), '#/items/1'],
  ['ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL', tuple([str, numb]), tuple([str]), '#/items/1'],
  [
    'ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL',
    tuple([str, false], { additionalItems: false }),
    tuple([str], { additionalItems: false }),
    '#/items/1',
  ],
  ['ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL', tuple([str, numb], { additionalItems: false }), tuple([str], { additionalItems: false }), '#/items/1'],
  [
    'ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    tuple([str, numb], { additionalItems: numb }),
    tuple([str], { additionalItems: numb }),
    '#/items/1',
  ],
  [
    'ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    tuple([str, numb], { additionalItems: str }),
    tuple([str], { additionalItems: str }),
    '#/items/1',
  ],
  [
    'ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    tuple([str], { additionalItems: numb }),
    tuple([str, numb], { additionalItems: numb }),
    '#/items/1',
  ],
  [
    'ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    tuple([str], { additionalItems: str }),
    tuple([str, numb], { additionalItems: str }),
    '#/items/1',
  ],
  ['ENUM_ARRAY_EXTENDED', { enum: ['a'] }, { enum: ['a', 'b'] }, '#/enum'],
  ['ENUM_ARRAY_NARROWED', { enum: ['a', 'b'] }, { enum: ['a'] }, '#/enum'],
  ['ENUM_ARRAY_CHANGED', { enum: ['a'] }, { enum: ['b'] }, '#/enum'],
  ['COMBINED_TYPE_EXTENDED', { oneOf: [str, numb] }, { anyOf: [str, numb] }, '#/'],
  ['COMBINED_TYPE_CHANGED', { anyOf: [str, numb] }, { oneOf: [str, numb] }, '#/'],
  ['PRODUCT_TYPE_EXTENDED', { allOf: [str] }, { allOf: [str, { maxLength: 3 }] }, '#/'],
  ['PRODUCT_TYPE_NARROWED', { allOf: [str, { maxLength: 3 }] }, { allOf: [str] }, '#/'],
  ['SUM_TYPE_EXTENDED', { oneOf: [str] }, { oneOf: [str, numb] }, '#/'],
  ['SUM_TYPE_NARROWED', { oneOf: [str, numb] }, { oneOf: [str] }, '#/'],
  ['COMBINED_TYPE_SUBSCHEMAS_CHANGED', { oneOf: [str] }, { oneOf: [numb] }, '#/'],
  ['NOT_TYPE_EXTENDED', { not: { type: 'integer' } }, { not: numb }, '#/not'],
  ['NOT_TYPE_NARROWED', { not: numb }, { not: { type: 'integer' } }, '#/not'],
];

/**
 * Types our diff never produces, and why: the REQUIRED_/OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL
 * family only exists on Confluent's unreleased main branch (released versions report
 * PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL), and RESERVED_PROPERTY_* need subject metadata
 * (`confluent:reserved`), which the format contract does not carry.
 */
const NOT_EMITTED: DiffType[] = [
  'REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
  'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL',
  'OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
  'RESERVED_PROPERTY_REMOVED',
  'RESERVED_PROPERTY_CONFLICTS_WITH_PROPERTY',
];

describe('difference catalogue', () => {
  it('has a row (or a documented reason) for every Confluent Difference.Type', () => {
    const covered = new Set<string>([...ROWS.map((r) => r[0]), ...NOT_EMITTED]);
    expect(DIFF_TYPES.filter((t) => !covered.has(t))).toEqual([]);
    expect(ROWS.length + NOT_EMITTED.length).toBe(DIFF_TYPES.length);
  });

  it('LENIENT is STRICT plus exactly the open-content-model relaxations', () => {
    const extra = [...COMPATIBLE_CHANGES_LENIENT].filter((t) => !COMPATIBLE_CHANGES_STRICT.has(t)).sort();
    expect(extra).toEqual([
      'ADDITIONAL_PROPERTIES_NARROWED',
      'ADDITIONAL_PROPERTIES_REMOVED',
      'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
      'PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
      'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    ]);
    // PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL is listed in Confluent's lenient additions but is already strict
    expect(COMPATIBLE_CHANGES_STRICT.has('PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL')).toBe(true);
  });
});

describe.each(ROWS)('%s', (type, original, update, path, draft = 'draft-07') => {
  const prev = schema(original, { draft });
  const cand = schema(update, { draft });
  const backwardMsg = formatDifference(type, path, 'new', 'old');
  const forwardMsg = formatDifference(type, path, 'old', 'new');

  it(`diff(original, update) reports it at ${path}`, () => {
    expect(changes(original, update, draft)).toContain(`${type} ${path}`);
  });

  it.each(['STRICT', 'LENIENT'] as const)('BACKWARD / FORWARD / FULL under %s', (policy) => {
    const allowed = policy === 'STRICT' ? COMPATIBLE_CHANGES_STRICT : COMPATIBLE_CHANGES_LENIENT;
    const reported = !allowed.has(type);
    // BACKWARD: the update reads the original's data
    expect(jsonSchemaCompatibility(cand, prev, 'BACKWARD', policy).includes(backwardMsg)).toBe(reported);
    // FORWARD with the roles swapped asks the same question of the same pair
    expect(jsonSchemaCompatibility(prev, cand, 'FORWARD', policy).includes(forwardMsg)).toBe(reported);
    // FULL contains the BACKWARD answer
    expect(jsonSchemaCompatibility(cand, prev, 'FULL', policy).includes(backwardMsg)).toBe(reported);
  });
});
