/**
 * What a parsed schema, or a validator, holds on the heap per character of its schema text: the
 * largest measured, rounded up (`node test/bench/parsed-memory.mjs` prints them and says if one
 * exceeds these). The isolate's caches of parsed schemas (services/schemas.ts) and validators
 * (services/validators.ts) weigh their entries by it, so that their budgets bound memory, not text.
 */
import type { SchemaType } from './format';

export const HEAP_PER_SCHEMA_CHAR = {
  /** A schema parsed as stored (isNew false): Avro 6-12 (12 with a custom property on every field), JSON Schema 4-5, Protobuf 19-43. */
  parsed: { AVRO: 16, JSON: 8, PROTOBUF: 48 } as Readonly<Record<SchemaType, number>>,
  /** A validator (JSON Schema 34-39, Protobuf 20-36), and a new schema, which may carry one (a new JSON Schema is compiled when parsed). */
  compiled: 48,
} as const;
