/**
 * The Avro format (SchemaFormat contract in ../format.ts), behaving like Confluent Schema
 * Registry's AvroSchemaProvider / AvroSchema on Avro Java 1.11:
 * - parse: referenced schemas are parsed first, depth-first with dependencies before dependents
 *   and de-duplicated by reference name (AbstractSchemaProvider.resolveReferences), into one shared
 *   names table; then the main schema, which may use their named types by name;
 * - canonical: Schema.toString(referencedSchemas) - the top-level type of each reference prints
 *   by name only (AvroSchema.canonicalString);
 * - normalized(): AvroSchemaUtils.toNormalizedString, re-parsed and printed canonically
 *   (AvroSchema.normalize().canonicalString());
 * - compatibility: SchemaCompatibility + Confluent's Difference messages.
 */
import {
  type CompatibilityOptions,
  type Direction,
  inDirection,
  type ParseOptions,
  type ParsedSchema,
  type ResolvedReference,
  type SchemaFormat,
} from '../format';
import { SchemaParseError } from '../errors';
import { schemaToString } from './canonical';
import { readMessages } from './compatibility';
import { AvroError, AvroParseError } from './errors';
import { AVRO_LIMITS } from './limits';
import { toNormalizedString } from './normalize';
import { DEFAULT_LIMITS, ParseContext, parseSchemaText, type ParseLimits } from './parser';
import type { AvroSchema } from './types';

export { readerWriterIncompatibilities } from './compatibility';
export interface AvroParseOptions {
  /**
   * Validate field defaults (Avro Parser.setValidateDefaults). Confluent validates for new
   * schemas (registration, compatibility checks of a candidate) and not when re-reading stored
   * ones (AvroSchema(..., isNew)). Default true.
   */
  validateDefaults?: boolean;
  limits?: Partial<ParseLimits>;
}

export interface AvroParsedSchema extends ParsedSchema {
  readonly type: 'AVRO';
  /** The parsed main schema (a graph; named types are shared nodes). */
  readonly schema: AvroSchema;
  /** Top-level schemas of the resolved references, in parse order. */
  readonly referenced: readonly AvroSchema[];
  /** Resolved references in parse order (dependencies first, unique by name). */
  readonly references: readonly ResolvedReference[];
  /** AvroSchema.name(): the full name when the top level is a record, else null. */
  readonly name: string | null;
  /** AvroSchema.formattedString("resolved"): Schema.toString() with referenced types inlined. */
  resolved(): string;
}

/** Most references any one schema may pull in (transitively); bounds work on hostile graphs. */
const MAX_REFERENCES = AVRO_LIMITS.maxReferences;
const MAX_REFERENCE_DEPTH = AVRO_LIMITS.maxReferenceDepth;

/**
 * AbstractSchemaProvider.resolveReferences: depth-first, a reference's own references first,
 * skipping names already visited.
 */
export function orderReferences(references: readonly ResolvedReference[]): ResolvedReference[] {
  const out: ResolvedReference[] = [];
  const visited = new Set<string>();
  const byName = new Set<string>();
  const walk = (refs: readonly ResolvedReference[], depth: number): void => {
    if (depth > MAX_REFERENCE_DEPTH) throw new AvroError(`References are nested more than ${MAX_REFERENCE_DEPTH} levels deep`);
    for (const ref of refs) {
      if (visited.has(ref.name)) continue;
      visited.add(ref.name);
      if (visited.size > MAX_REFERENCES) throw new AvroError(`Too many references (more than ${MAX_REFERENCES})`);
      if (!byName.has(ref.name)) {
        walk(ref.references, depth + 1);
        byName.add(ref.name);
        out.push(ref);
      }
    }
  };
  walk(references, 0);
  return out;
}

export function parseAvro(text: string, references: readonly ResolvedReference[] = [], options: AvroParseOptions = {}): AvroParsedSchema {
  const validateDefaults = options.validateDefaults ?? true;
  const limits: ParseLimits = { ...DEFAULT_LIMITS, ...options.limits };
  let ordered: ResolvedReference[] = [];
  let schema: AvroSchema;
  const referenced: AvroSchema[] = [];
  try {
    ordered = orderReferences(references);
    const ctx = new ParseContext(validateDefaults, limits);
    for (const ref of ordered) referenced.push(parseSchemaText(ref.schema, ctx));
    schema = parseSchemaText(text, ctx);
  } catch (e) {
    if (e instanceof AvroError) throw new AvroParseError(e.message, text, references);
    if (e instanceof SchemaParseError) throw e;
    // A bug or an engine limit (e.g. stack): still answer 42201 with a clear message, never hang.
    if (e instanceof RangeError) throw new AvroParseError(`Schema is too deeply nested: ${e.message}`, text, references);
    throw e;
  }
  // Printed when first asked for: a stored version parsed for a compatibility check needs it only
  // to describe an incompatibility, and printing is about a sixth of parsing.
  let canonicalCache: string | undefined;
  let normalizedCache: string | undefined;
  return {
    type: 'AVRO',
    get canonical(): string {
      canonicalCache ??= schemaToString(schema, referenced);
      return canonicalCache;
    },
    schema,
    referenced,
    references: ordered,
    name: schema.type === 'record' ? schema.full : null,
    normalized(): string {
      if (normalizedCache === undefined) {
        const text2 = toNormalizedString(schema, referenced);
        normalizedCache = parseAvro(text2, references, options).canonical;
      }
      return normalizedCache;
    },
    resolved(): string {
      return schemaToString(schema);
    },
  };
}

/**
 * Incompatibilities for one direction, formatted as Confluent does
 * (SchemaValidatorBuilder: canRead = new reads old, canBeRead = old reads new, mutualRead =
 * old-reads-new messages first, then new-reads-old).
 */
export function avroCompatibility(candidate: AvroParsedSchema, previous: AvroParsedSchema, direction: Direction): string[] {
  const guarded = (reader: AvroSchema, writer: AvroSchema, r: string, w: string): string[] => {
    try {
      return readMessages(reader, writer, r, w);
    } catch (e) {
      // engine stack exhausted on a pathological graph: Confluent's catch-all message shape
      if (e instanceof RangeError) return [`Unexpected exception during compatibility check: ${e.message}`];
      throw e;
    }
  };
  const backward = () => guarded(candidate.schema, previous.schema, 'new', 'old');
  const forward = () => guarded(previous.schema, candidate.schema, 'old', 'new');
  return inDirection(direction, backward, forward);
}

export const avroFormat: SchemaFormat<AvroParsedSchema> = {
  type: 'AVRO',
  // Confluent validates defaults only for new schemas (AvroSchema(..., isNew)).
  parse: (text: string, references: ResolvedReference[], options?: ParseOptions) =>
    parseAvro(text, references, { validateDefaults: options?.isNew !== false }),
  compatibility: (candidate, previous, direction, _options?: CompatibilityOptions) => avroCompatibility(candidate, previous, direction),
  formatted: (parsed, format) => (format === 'resolved' ? parsed.resolved() : undefined),
};
