/**
 * The JSON Schema format (Confluent schemaType "JSON"): parsing/canonical form here, compatibility
 * in ./compat, payload validation in ./validator (Workers engine) and src/node/ajv-validator.ts (Node).
 */
import type { CompatibilityOptions, Direction, SchemaFormat } from '../format';
import type { WorkBudget } from './budget';
import { jsonSchemaCompatibility } from './compat/index';
import { parseJsonSchema } from './parse';
import type { JsonParsedSchema } from './types';

/**
 * CompatibilityOptions as the JSON format reads them: `budget` is the check's work budget, shared by
 * every version a *_TRANSITIVE check compares with (services/compatibility-check.ts creates one per
 * check); absent, each pair of schemas gets a fresh one.
 */
export interface JsonCompatibilityOptions extends CompatibilityOptions {
  budget?: WorkBudget;
}

export const jsonFormat: SchemaFormat<JsonParsedSchema> = {
  type: 'JSON',
  parse: (text, references, options) => parseJsonSchema(text, references, options),
  compatibility: (candidate: JsonParsedSchema, previous: JsonParsedSchema, direction: Direction, options?: JsonCompatibilityOptions) =>
    jsonSchemaCompatibility(candidate, previous, direction, options?.policy ?? 'STRICT', options?.budget),
};

export { workBudget } from './budget';
export type { JsonParsedSchema } from './types';
