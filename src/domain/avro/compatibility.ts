/**
 * Avro schema resolution (spec "Schema Resolution") as Avro Java 1.11
 * SchemaCompatibility.checkReaderWriterCompatibility computes it, with Confluent's message
 * format (io.confluent.kafka.schemaregistry.avro.Difference, filled in by
 * SchemaValidatorBuilder.formatErrorMessages with "new"/"old").
 *
 * Faithful details:
 * - memoization by (reader node, writer node) identity; a pair met again while in progress counts
 *   as compatible (recursive types terminate); a memoized result keeps the locations of the first
 *   computation, as in Java. Pairs of `flat` nodes (primitives, unions of primitives) are computed
 *   without the memo: they hold no named type, so they never recurse, and each is met at most once
 *   (every primitive and union occurrence is its own node, types.ts, and only one pair leads to
 *   it), so the answers are Java's without a memo entry per pair. Most fields of a wide record
 *   are such pairs, and the memo was most of a check's time;
 * - named types match by unqualified name, or a reader alias equal to the writer's full name;
 * - a writer union against a non-union reader checks every branch in a fresh location (paths of
 *   such incompatibilities restart at "/"; fixed upstream later by AVRO-3979);
 * - a reader union only reports MISSING_UNION_BRANCH at the current location;
 * - a reader field missing in the writer needs a default, except an enum with an enum default,
 *   which is then (oddly) compared with the writer record, as Java does;
 * - logical types are ignored.
 */
import { SchemaParseError } from '../errors';
import type { AvroSchema, Field, RecordSchema } from './types';
import { javaTypeName } from './types';
import { schemaToString } from './canonical';
import { compareJavaStrings } from './json';
import { AVRO_LIMITS } from './limits';

type IncompatibilityType =
  'NAME_MISMATCH' | 'FIXED_SIZE_MISMATCH' | 'MISSING_ENUM_SYMBOLS' | 'READER_FIELD_MISSING_DEFAULT_VALUE' | 'TYPE_MISMATCH' | 'MISSING_UNION_BRANCH';

export interface Incompatibility {
  type: IncompatibilityType;
  /** Avro's Incompatibility.getMessage(). */
  message: string;
  /** JSON Pointer as Incompatibility.getLocation() renders it. */
  location: string;
}

interface Result {
  compatible: boolean;
  list: Incompatibility[];
}

const COMPATIBLE: Result = { compatible: true, list: [] };
const IN_PROGRESS: Result = { compatible: true, list: [] };

/** Upper bounds on pair evaluations and on listed incompatibilities (AVRO_LIMITS). */
const MAX_STEPS = AVRO_LIMITS.maxCompatSteps;
const MAX_LISTED = AVRO_LIMITS.maxCompatIncompatibilities;

/** A check past its work bounds: answered as 42201 (SchemaParseError), not as an incompatibility. */
class CompatibilityBudgetError extends SchemaParseError {}

/** A result being built by one `calculate`: child results are appended in place (never shared). */
interface Acc {
  compatible: boolean;
  list: Incompatibility[];
}

function pointer(location: readonly string[]): string {
  // Incompatibility.getLocation(): skip the root token, JSON-pointer-escape the rest
  return (
    '/' +
    location
      .slice(1)
      .map((c) => c.replace(/~/g, '~0').replace(/\//g, '~1'))
      .join('/')
  );
}

function incompatible(type: IncompatibilityType, message: string, location: readonly string[]): Result {
  return { compatible: false, list: [{ type, message, location: pointer(location) }] };
}

/** Java's AvroRuntimeException from lookupWriterField, surfaced by Confluent as an "Unexpected exception". */
class AmbiguousFieldError extends Error {}

class Checker {
  private readonly memo = new Map<AvroSchema, Map<AvroSchema, Result>>();
  private steps = 0;
  private listed = 0;

  check(reader: AvroSchema, writer: AvroSchema): Result {
    return this.get('', reader, writer, []);
  }

  /**
   * Append `r` to `acc`. A memoized result is appended again wherever its pair recurs (as in Java),
   * so a record used by two fields at each of 30 levels would list one change 2^30 times: copies
   * count against the budget like new entries.
   */
  private add(acc: Acc, r: Result): void {
    if (!r.compatible) acc.compatible = false;
    if (r.list.length === 0) return;
    this.listed += r.list.length;
    if (this.listed > MAX_LISTED) {
      throw new CompatibilityBudgetError(
        `Avro compatibility check gave up: more than ${MAX_LISTED} incompatibilities (a named type used on many paths repeats its incompatibilities on each)`,
      );
    }
    for (const i of r.list) acc.list.push(i);
  }

  private done(acc: Acc): Result {
    return acc.compatible && acc.list.length === 0 ? COMPATIBLE : acc;
  }

  private step(): void {
    if (++this.steps > MAX_STEPS) {
      throw new CompatibilityBudgetError(`Avro compatibility check gave up: more than ${MAX_STEPS} type comparisons (schema too complex)`);
    }
  }

  /** Whether `reader` reads `writer`, when only that is asked (a reader union's branches): no messages made. */
  private reads(reader: AvroSchema, writer: AvroSchema): boolean {
    if (primitive(reader) && primitive(writer)) {
      this.step();
      return primitiveReads(reader.type, writer.type);
    }
    return this.get('', reader, writer, []).compatible;
  }

  private get(token: string, reader: AvroSchema, writer: AvroSchema, location: string[]): Result {
    this.step();
    if (primitive(reader) && primitive(writer)) {
      if (primitiveReads(reader.type, writer.type)) return COMPATIBLE;
      location.push(token);
      const mismatch = this.typeMismatch(reader, writer, location);
      location.pop();
      return mismatch;
    }
    location.push(token);
    if (flat(reader) && flat(writer)) {
      const result = this.calculate(reader, writer, location);
      location.pop();
      return result;
    }
    let byWriter = this.memo.get(reader);
    if (byWriter === undefined) {
      byWriter = new Map();
      this.memo.set(reader, byWriter);
    }
    let result = byWriter.get(writer);
    if (result !== undefined) {
      if (result === IN_PROGRESS) result = COMPATIBLE;
    } else {
      byWriter.set(writer, IN_PROGRESS);
      result = this.calculate(reader, writer, location);
      byWriter.set(writer, result);
    }
    location.pop();
    return result;
  }

  private calculate(reader: AvroSchema, writer: AvroSchema, location: string[]): Result {
    if (reader.type === writer.type) {
      switch (reader.type) {
        case 'array':
          return this.get('items', reader.items, (writer as typeof reader).items, location);
        case 'map':
          return this.get('values', reader.values, (writer as typeof reader).values, location);
        case 'fixed': {
          const acc: Acc = { compatible: true, list: [] };
          const w = writer as typeof reader;
          this.add(acc, this.checkNames(reader, w, location));
          location.push('size');
          if (reader.size !== w.size) {
            this.add(acc, incompatible('FIXED_SIZE_MISMATCH', `expected: ${w.size}, found: ${reader.size}`, location));
          }
          location.pop();
          return this.done(acc);
        }
        case 'enum': {
          const acc: Acc = { compatible: true, list: [] };
          const w = writer as typeof reader;
          this.add(acc, this.checkNames(reader, w, location));
          location.push('symbols');
          const readerSymbols = new Set(reader.symbols);
          const missing = [...new Set(w.symbols.filter((s) => !readerSymbols.has(s)))].sort(compareJavaStrings);
          if (missing.length > 0 && !(reader.default !== null && readerSymbols.has(reader.default))) {
            this.add(acc, incompatible('MISSING_ENUM_SYMBOLS', `[${missing.join(', ')}]`, location));
          }
          location.pop();
          return this.done(acc);
        }
        case 'record': {
          const acc: Acc = { compatible: true, list: [] };
          const w = writer as RecordSchema;
          this.add(acc, this.checkNames(reader, w, location));
          this.checkFields(acc, reader, w, location);
          return this.done(acc);
        }
        case 'union': {
          const branches = (writer as typeof reader).types;
          let missing: Acc | undefined;
          for (let i = 0; i < branches.length; i++) {
            if (this.get('', reader, branches[i], []).compatible) continue;
            location.push(String(i));
            missing ??= { compatible: true, list: [] };
            this.add(missing, incompatible('MISSING_UNION_BRANCH', `reader union lacking writer type: ${javaTypeName(branches[i])}`, location));
            location.pop();
          }
          return missing ? this.done(missing) : COMPATIBLE;
        }
        default:
          return COMPATIBLE; // same primitive type (decided in `get`; kept for the switch to be total)
      }
    }

    if (writer.type === 'union') {
      // every writer branch must be readable; Avro 1.11 checks each in a fresh location
      let found: Acc | undefined;
      for (const branch of writer.types) {
        const r = this.get('', reader, branch, []);
        if (r === COMPATIBLE) continue;
        found ??= { compatible: true, list: [] };
        this.add(found, r);
      }
      return found ? this.done(found) : COMPATIBLE;
    }

    // Two primitives were decided in `get`: a primitive against anything else, or two different
    // complex types, only a reader union can still read.
    if (reader.type === 'union') {
      for (const branch of reader.types) {
        if (this.reads(branch, writer)) return COMPATIBLE;
      }
      return incompatible('MISSING_UNION_BRANCH', `reader union lacking writer type: ${javaTypeName(writer)}`, location);
    }
    return this.typeMismatch(reader, writer, location);
  }

  private typeMismatch(reader: AvroSchema, writer: AvroSchema, location: string[]): Result {
    return incompatible('TYPE_MISMATCH', `reader type: ${javaTypeName(reader)} not compatible with writer type: ${javaTypeName(writer)}`, location);
  }

  private checkNames(
    reader: AvroSchema & { name: string; aliases: { full: string }[] },
    writer: AvroSchema & { name: string; full: string },
    location: string[],
  ): Result {
    location.push('name');
    let result = COMPATIBLE;
    const equal = reader.name === writer.name || reader.aliases.some((a) => a.full === writer.full);
    if (!equal) result = incompatible('NAME_MISMATCH', `expected: ${writer.full}`, location);
    location.pop();
    return result;
  }

  private checkFields(acc: Acc, reader: RecordSchema, writer: RecordSchema, location: string[]): void {
    location.push('fields');
    for (const rf of reader.fields ?? []) {
      location.push(String(rf.pos));
      const wf = lookupWriterField(writer, rf);
      if (wf === null) {
        if (rf.default === undefined) {
          if (rf.type.type === 'enum' && rf.type.default !== null) {
            this.add(acc, this.get('type', rf.type, writer, location));
          } else {
            this.add(acc, incompatible('READER_FIELD_MISSING_DEFAULT_VALUE', rf.name, location));
          }
        }
      } else {
        this.add(acc, this.get('type', rf.type, wf.type, location));
      }
      location.pop();
    }
    location.pop();
  }
}

/** A primitive or a union of primitives: nothing beneath it names a type (see the memo note above). */
function flat(s: AvroSchema): boolean {
  if (s.type !== 'union') return primitive(s);
  for (const branch of s.types) if (!primitive(branch)) return false;
  return true;
}

/** types.ts PRIMITIVES, by the complex types there are (a switch on interned strings, not a Set lookup: this runs per pair). */
function primitive(s: AvroSchema): boolean {
  switch (s.type) {
    case 'record':
    case 'enum':
    case 'fixed':
    case 'array':
    case 'map':
    case 'union':
      return false;
    default:
      return true;
  }
}

/**
 * Whether data written as primitive `writer` reads as primitive `reader`: the same type, or one of
 * the spec's promotions (int to long, float, double; long to float, double; float to double;
 * string and bytes both ways).
 */
function primitiveReads(reader: string, writer: string): boolean {
  if (reader === writer) return true;
  switch (reader) {
    case 'long':
      return writer === 'int';
    case 'float':
      return writer === 'int' || writer === 'long';
    case 'double':
      return writer === 'int' || writer === 'long' || writer === 'float';
    case 'bytes':
      return writer === 'string';
    case 'string':
      return writer === 'bytes';
    default:
      return false;
  }
}

const fieldIndex = new WeakMap<RecordSchema, Map<string, Field>>();

/** Schema.getField(name) is a hash lookup in Java too; a linear scan per field is quadratic on wide records. */
function fieldsByName(r: RecordSchema): Map<string, Field> {
  let m = fieldIndex.get(r);
  if (!m) fieldIndex.set(r, (m = new Map((r.fields ?? []).map((f) => [f.name, f]))));
  return m;
}

/** SchemaCompatibility.lookupWriterField: by name, then by each reader alias; more than one match is an error. */
function lookupWriterField(writer: RecordSchema, readerField: Field): Field | null {
  const fields = fieldsByName(writer);
  if (readerField.aliases.length === 0) return fields.get(readerField.name) ?? null;
  const matches: Field[] = [];
  const direct = fields.get(readerField.name);
  if (direct) matches.push(direct);
  for (const alias of readerField.aliases) {
    const f = fields.get(alias);
    if (f) matches.push(f);
  }
  if (matches.length === 0) return null;
  if (matches.length === 1) return matches[0];
  throw new AmbiguousFieldError(
    `Reader record field ${readerField.name} type:${javaTypeName(readerField.type)} pos:${readerField.pos} matches multiple fields in writer record schema ${schemaToString(writer)}`,
  );
}

/** Raw Avro incompatibilities of reading `writer` data with `reader`. */
export function readerWriterIncompatibilities(reader: AvroSchema, writer: AvroSchema): Incompatibility[] {
  return new Checker().check(reader, writer).list;
}

/**
 * Confluent's Difference.error() with the "%s" placeholders filled as
 * SchemaValidatorBuilder does: String.format(msg, readerLabel, writerLabel).
 */
function differenceMessage(i: Incompatibility, readerLabel: string, writerLabel: string): string {
  const path = i.location;
  let description: string;
  switch (i.type) {
    case 'FIXED_SIZE_MISMATCH':
      description = `The size of FIXED type field at path '${path}' in the ${readerLabel} schema does not match with the ${writerLabel} schema`;
      break;
    case 'TYPE_MISMATCH':
      description = `The type (path '${path}') of a field in the ${readerLabel} schema does not match with the ${writerLabel} schema`;
      break;
    case 'NAME_MISMATCH':
      description = `The name of the schema has changed (path '${path}')`;
      break;
    case 'MISSING_ENUM_SYMBOLS':
      description = `The ${readerLabel} schema is missing enum symbols '${i.message}' at path '${path}' in the ${writerLabel} schema`;
      break;
    case 'MISSING_UNION_BRANCH':
      description = `The ${readerLabel} schema is missing a type inside a union field at path '${path}' in the ${writerLabel} schema`;
      break;
    case 'READER_FIELD_MISSING_DEFAULT_VALUE':
      description = `The field '${i.message}' at path '${path}' in the ${readerLabel} schema has no default value and is missing in the ${writerLabel} schema`;
      break;
  }
  return `{errorType:'${i.type}', description:'${description}', additionalInfo:'${i.message}'}`;
}

/**
 * AvroSchema.isBackwardCompatible(previous) from the point of view of `reader`, formatted.
 * Unexpected failures become Confluent's single "Unexpected exception during compatibility check" message;
 * a check past AVRO_LIMITS throws CompatibilityBudgetError (a SchemaParseError: 42201).
 */
export function readMessages(reader: AvroSchema, writer: AvroSchema, readerLabel: string, writerLabel: string): string[] {
  try {
    return readerWriterIncompatibilities(reader, writer).map((i) => differenceMessage(i, readerLabel, writerLabel));
  } catch (e) {
    // Java's exception, answered by Confluent as an incompatibility; CompatibilityBudgetError
    // (our work bound) is not one and goes out as 42201
    if (e instanceof AmbiguousFieldError) return [`Unexpected exception during compatibility check: ${e.message}`];
    throw e;
  }
}
