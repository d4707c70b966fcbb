/**
 * Default-value validation as Avro Java 1.11 Schema.isValidDefault (Parser.setValidateDefaults(true),
 * which Confluent uses for new schemas: AvroSchema.getParser -> setValidateDefaults(isNew)).
 * Notable rules kept on purpose:
 * - a union default is checked against the FIRST branch only;
 * - enum/fixed/bytes defaults only need to be strings (symbol and length are not checked);
 * - int/long need an integral literal in range; float/double accept any number;
 * - a record default is an object whose fields are checked, a missing field falling back to
 *   that field's own default.
 */
import { AvroError } from './errors';
import { AVRO_LIMITS } from './limits';
import { isArr, isNum, isObj, type JVal } from './json';
import type { AvroSchema } from './types';

/** Guards: field defaults of nested records are re-checked where a default omits them, which can
 * blow up (2 fields x 40 levels = 2^40 checks) or nest deeply; both are capped. */
const MAX_DEPTH = AVRO_LIMITS.maxDefaultDepth;
const MAX_STEPS = AVRO_LIMITS.maxDefaultSteps;

export function isValidDefault(schema: AvroSchema, value: JVal | undefined, depth = 0, budget = { steps: 0 }): boolean {
  if (value === undefined) return false;
  if (depth > MAX_DEPTH) throw new AvroError('Default value is nested too deeply to validate');
  if (++budget.steps > MAX_STEPS) throw new AvroError('Default value validation exceeded its work budget');
  switch (schema.type) {
    case 'string':
    case 'bytes':
    case 'enum':
    case 'fixed':
      return typeof value === 'string';
    case 'int':
      return isNum(value) && value.fitsInt();
    case 'long':
      return isNum(value) && value.fitsLong();
    case 'float':
    case 'double':
      return isNum(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'array':
      return isArr(value) && value.every((e) => isValidDefault(schema.items, e, depth + 1, budget));
    case 'map':
      return isObj(value) && [...value.values()].every((e) => isValidDefault(schema.values, e, depth + 1, budget));
    case 'union':
      return isValidDefault(schema.types[0], value, depth + 1, budget);
    case 'record': {
      if (!isObj(value)) return false;
      if (schema.fields === null) throw new AvroError('Schema fields not set yet');
      for (const f of schema.fields) {
        const v = value.has(f.name) ? value.get(f.name) : f.default;
        if (!isValidDefault(f.type, v, depth + 1, budget)) return false;
      }
      return true;
    }
  }
}
