/**
 * Verbose message of one difference, as Confluent prints it: Difference.toString() gives
 * `{errorType:"<TYPE>", description:"<text>'}` with two `%s` in the text, and
 * SchemaValidatorBuilder.formatErrorMessages fills them with the reader and the writer role
 * ("new"/"old" for BACKWARD, "old"/"new" for FORWARD).
 *
 * The texts (including "The %s has a closed content model", without "schema", and the closing
 * `'}` where a `"}` would be expected) are those of the released 7.x/8.x line, which is what
 * clients see from a running Confluent registry; Confluent's main branch later reworded two of
 * them. Types without a text (the compatible ones, never reported) render an empty description.
 */
import type { DiffType } from './differences';

const KEYWORD_ADDED_OR_REMOVED = new Set<DiffType>([
  'MAXIMUM_ADDED',
  'MINIMUM_ADDED',
  'EXCLUSIVE_MAXIMUM_ADDED',
  'EXCLUSIVE_MINIMUM_ADDED',
  'MULTIPLE_OF_ADDED',
  'MAX_LENGTH_ADDED',
  'MIN_LENGTH_ADDED',
  'PATTERN_ADDED',
  'REQUIRED_ATTRIBUTE_ADDED',
  'MAX_PROPERTIES_ADDED',
  'MIN_PROPERTIES_ADDED',
  'DEPENDENCY_ARRAY_ADDED',
  'DEPENDENCY_SCHEMA_ADDED',
  'MAX_ITEMS_ADDED',
  'MIN_ITEMS_ADDED',
  'MAX_CONTAINS_ADDED',
  'MIN_CONTAINS_ADDED',
  'UNIQUE_ITEMS_ADDED',
  'ADDITIONAL_ITEMS_REMOVED',
  'ADDITIONAL_PROPERTIES_REMOVED',
  'UNEVALUATED_PROPERTIES_REMOVED',
  'UNEVALUATED_ITEMS_REMOVED',
]);
const VALUE_INCREASED = new Set<DiffType>([
  'MIN_LENGTH_INCREASED',
  'MINIMUM_INCREASED',
  'EXCLUSIVE_MINIMUM_INCREASED',
  'MIN_PROPERTIES_INCREASED',
  'MULTIPLE_OF_EXPANDED',
  'MIN_ITEMS_INCREASED',
  'MIN_CONTAINS_INCREASED',
]);
const VALUE_DECREASED = new Set<DiffType>([
  'MAX_LENGTH_DECREASED',
  'MAXIMUM_DECREASED',
  'MAX_ITEMS_DECREASED',
  'MAX_CONTAINS_DECREASED',
  'EXCLUSIVE_MAXIMUM_DECREASED',
  'MAX_PROPERTIES_DECREASED',
]);
const TYPE_NARROWED_SET = new Set<DiffType>([
  'ADDITIONAL_ITEMS_NARROWED',
  'ENUM_ARRAY_NARROWED',
  'SUM_TYPE_NARROWED',
  'ADDITIONAL_PROPERTIES_NARROWED',
  'UNEVALUATED_PROPERTIES_NARROWED',
  'UNEVALUATED_ITEMS_NARROWED',
]);
const VALUE_CHANGED = new Set<DiffType>(['PATTERN_CHANGED', 'MULTIPLE_OF_CHANGED', 'DEPENDENCY_ARRAY_CHANGED']);
const TYPE_CHANGED_SET = new Set<DiffType>([
  'TYPE_CHANGED',
  'TYPE_NARROWED',
  'COMBINED_TYPE_CHANGED',
  'COMBINED_TYPE_SUBSCHEMAS_CHANGED',
  'ENUM_ARRAY_CHANGED',
]);
const TYPE_EXTENDED_SET = new Set<DiffType>(['DEPENDENCY_ARRAY_EXTENDED', 'PRODUCT_TYPE_EXTENDED', 'SUM_TYPE_EXTENDED', 'NOT_TYPE_EXTENDED']);
const ADDED_TO_OPEN = new Set<DiffType>([
  'PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
  'ITEM_ADDED_TO_OPEN_CONTENT_MODEL',
  'REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
  'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL',
  'OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
]);

/** The description with `r` (reader role) and `w` (writer role) in place of Confluent's two `%s`. */
export function describe(type: DiffType, path: string, r: string, w: string): string {
  const p = path;
  if (KEYWORD_ADDED_OR_REMOVED.has(type)) {
    return `The keyword at path '${p}' in the ${r} schema is not present in the ${w} schema`;
  }
  if (VALUE_INCREASED.has(type)) return `The value at path '${p}' in the ${r} schema is more than its value in the ${w} schema`;
  if (VALUE_DECREASED.has(type)) return `The value at path '${p}' in the ${r} schema is less than its value in the ${w} schema`;
  if (VALUE_CHANGED.has(type)) return `The value at path '${p}' is different between the ${r} and ${w} schema`;
  if (TYPE_NARROWED_SET.has(type)) {
    return `An array or combined type at path '${p}' has fewer elements in the ${r} schema than the ${w} schema`;
  }
  if (TYPE_EXTENDED_SET.has(type)) {
    return `An array or combined type at path '${p}' has more elements in the ${r} schema than the ${w} schema`;
  }
  if (TYPE_CHANGED_SET.has(type)) return `A type at path '${p}' is different between the ${r} schema and the ${w} schema`;
  if (ADDED_TO_OPEN.has(type)) {
    return `The ${r} schema has an open content model and has a property or item at path '${p}' which is missing in the ${w} schema`;
  }
  switch (type) {
    case 'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL':
      return `The ${r} schema has an unopen content model and has a required property at path '${p}' which is missing in the ${w} schema`;
    case 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL':
    case 'ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL':
      return `The ${r} has a closed content model and is missing a property or item present at path '${p}' in the ${w} schema`;
    case 'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL':
    case 'ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL':
      return `A property or item is missing in the ${r} schema but present at path '${p}' in the ${w} schema and is not covered by its partially open content model`;
    case 'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL':
    case 'ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL':
      return `The ${r} schema has a property or item at path '${p}' which is missing in the ${w} schema and is not covered by its partially open content model`;
    case 'RESERVED_PROPERTY_REMOVED':
      return `The ${r} schema has reserved property '${p}' removed from its metadata which is present in the ${w} schema.`;
    case 'RESERVED_PROPERTY_CONFLICTS_WITH_PROPERTY':
      return `The ${r} schema has property at path '${p}' that conflicts with the reserved properties which is missing in the ${w} schema.`;
    default:
      return '';
  }
}

/** One verbose message, byte for byte as Confluent's registry returns it. */
export function formatDifference(type: DiffType, path: string, reader: string, writer: string): string {
  return `{errorType:"${type}", description:"${describe(type, path, reader, writer)}'}`;
}
