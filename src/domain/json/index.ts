/**
 * The JSON Schema format (Confluent schemaType "JSON"): parsing/canonical form here, compatibility
 * in ./compat, payload validation in ./validator (Workers engine) and src/node/ajv-validator.ts (Node).
 */
import type { CompatibilityOptions, Direction, SchemaFormat } from '../format';
import { jsonSchemaCompatibility } from './compat/index';
import { parseJsonSchema } from './parse';
import type { JsonParsedSchema } from './types';

export const jsonFormat: SchemaFormat<JsonParsedSchema> = {
  type: 'JSON',
  parse: (text, references) => parseJsonSchema(text, references),
  compatibility: (candidate: JsonParsedSchema, previous: JsonParsedSchema, direction: Direction, options?: CompatibilityOptions) =>
    jsonSchemaCompatibility(candidate, previous, direction, options?.policy ?? 'STRICT'),
};

export { parseJsonSchema, collectReferences } from './parse';
export { compileSchema, compileValidator, referenceDocuments, SchemaCompileError, ValidationBudgetError } from './validator/index';
export type { CompiledSchema, CompileSchemaOptions, EngineOptions } from './validator/index';
export { DEFAULT_DRAFT, draftFromSchemaUri, draftOf } from './drafts';
export { JSON_LIMITS } from './limits';
export type { Draft, JsonParsedSchema } from './types';
