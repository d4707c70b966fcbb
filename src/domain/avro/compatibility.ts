/**
 * Avro schema resolution (spec "Schema Resolution") as Avro Java 1.11
 * SchemaCompatibility.checkReaderWriterCompatibility computes it, with Confluent's message
 * format (io.confluent.kafka.schemaregistry.avro.Difference, filled in by
 * SchemaValidatorBuilder.formatErrorMessages with "new"/"old").
 *
 * Faithful details:
 * - memoization by (reader node, writer node) identity; a pair met again while in progress counts
 *   as compatible (recursive types terminate); a memoized result keeps the locations of the first
 *   computation, as in Java;
 * - named types match by unqualified name, or a reader alias equal to the writer's full name;
 * - a writer union against a non-union reader checks every branch in a fresh location (paths of
 *   such incompatibilities restart at "/"; fixed upstream later by AVRO-3979);
 * - a reader union only reports MISSING_UNION_BRANCH at the current location;
 * - a reader field missing in the writer needs a default, except an enum with an enum default,
 *   which is then (oddly) compared with the writer record, as Java does;
 * - logical types are ignored.
 */
import type { AvroSchema, Field, RecordSchema } from './types';
import { javaTypeName } from './types';
import { schemaToString } from './canonical';
import { compareJavaStrings } from './json';

export type IncompatibilityType =
  | 'NAME_MISMATCH'
  | 'FIXED_SIZE_MISMATCH'
  | 'MISSING_ENUM_SYMBOLS'
  | 'READER_FIELD_MISSING_DEFAULT_VALUE'
  | 'TYPE_MISMATCH'
  | 'MISSING_UNION_BRANCH';

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

/** Upper bound on pair evaluations: hostile schemas cannot make a check run unbounded. */
const MAX_STEPS = 200_000;

export class CompatibilityBudgetError extends Error {}

function merge(a: Result, b: Result): Result {
  if (b.list.length === 0 && b.compatible) return a;
  return { compatible: a.compatible && b.compatible, list: [...a.list, ...b.list] };
}

function pointer(location: readonly string[]): string {
  // Incompatibility.getLocation(): skip the root token, JSON-pointer-escape the rest
  return '/' + location.slice(1).map((c) => c.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

function incompatible(type: IncompatibilityType, message: string, location: readonly string[]): Result {
  return { compatible: false, list: [{ type, message, location: pointer(location) }] };
}

/** Java's AvroRuntimeException from lookupWriterField, surfaced by Confluent as an "Unexpected exception". */
export class AmbiguousFieldError extends Error {}

class Checker {
  private readonly memo = new Map<AvroSchema, Map<AvroSchema, Result>>();
  private steps = 0;

  check(reader: AvroSchema, writer: AvroSchema): Result {
    return this.get('', reader, writer, []);
  }

  private get(token: string, reader: AvroSchema, writer: AvroSchema, location: string[]): Result {
    if (++this.steps > MAX_STEPS) throw new CompatibilityBudgetError('compatibility check exceeded its work budget');
    location.push(token);
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
    let result = COMPATIBLE;
    if (reader.type === writer.type) {
      switch (reader.type) {
        case 'array':
          return this.get('items', reader.items, (writer as typeof reader).items, location);
        case 'map':
          return this.get('values', reader.values, (writer as typeof reader).values, location);
        case 'fixed': {
          const w = writer as typeof reader;
          result = merge(result, this.checkNames(reader, w, location));
          location.push('size');
          if (reader.size !== w.size) {
            result = merge(result, incompatible('FIXED_SIZE_MISMATCH', `expected: ${w.size}, found: ${reader.size}`, location));
          }
          location.pop();
          return result;
        }
        case 'enum': {
          const w = writer as typeof reader;
          result = merge(result, this.checkNames(reader, w, location));
          location.push('symbols');
          const missing = [...new Set(w.symbols.filter((s) => !reader.symbols.includes(s)))].sort(compareJavaStrings);
          if (missing.length > 0 && !(reader.default !== null && reader.symbols.includes(reader.default))) {
            result = merge(result, incompatible('MISSING_ENUM_SYMBOLS', `[${missing.join(', ')}]`, location));
          }
          location.pop();
          return result;
        }
        case 'record': {
          const w = writer as RecordSchema;
          result = merge(result, this.checkNames(reader, w, location));
          return merge(result, this.checkFields(reader, w, location));
        }
        case 'union': {
          const w = writer as typeof reader;
          w.types.forEach((branch, i) => {
            location.push(String(i));
            const c = this.get('', reader, branch, []);
            if (!c.compatible) {
              result = merge(result, incompatible('MISSING_UNION_BRANCH', `reader union lacking writer type: ${javaTypeName(branch)}`, location));
            }
            location.pop();
          });
          return result;
        }
        default:
          return result; // same primitive type
      }
    }

    if (writer.type === 'union') {
      // every writer branch must be readable; Avro 1.11 checks each in a fresh location
      for (const branch of writer.types) result = merge(result, this.get('', reader, branch, []));
      return result;
    }

    const w = writer.type;
    switch (reader.type) {
      case 'long':
        return w === 'int' ? result : this.typeMismatch(reader, writer, location);
      case 'float':
        return w === 'int' || w === 'long' ? result : this.typeMismatch(reader, writer, location);
      case 'double':
        return w === 'int' || w === 'long' || w === 'float' ? result : this.typeMismatch(reader, writer, location);
      case 'bytes':
        return w === 'string' ? result : this.typeMismatch(reader, writer, location);
      case 'string':
        return w === 'bytes' ? result : this.typeMismatch(reader, writer, location);
      case 'union': {
        for (const branch of reader.types) {
          if (this.get('', branch, writer, []).compatible) return result;
        }
        return incompatible('MISSING_UNION_BRANCH', `reader union lacking writer type: ${javaTypeName(writer)}`, location);
      }
      default:
        return this.typeMismatch(reader, writer, location);
    }
  }

  private typeMismatch(reader: AvroSchema, writer: AvroSchema, location: string[]): Result {
    return incompatible(
      'TYPE_MISMATCH',
      `reader type: ${javaTypeName(reader)} not compatible with writer type: ${javaTypeName(writer)}`,
      location,
    );
  }

  private checkNames(reader: AvroSchema & { name: string; aliases: { full: string }[] }, writer: AvroSchema & { name: string; full: string }, location: string[]): Result {
    location.push('name');
    let result = COMPATIBLE;
    const equal = reader.name === writer.name || reader.aliases.some((a) => a.full === writer.full);
    if (!equal) result = incompatible('NAME_MISMATCH', `expected: ${writer.full}`, location);
    location.pop();
    return result;
  }

  private checkFields(reader: RecordSchema, writer: RecordSchema, location: string[]): Result {
    let result = COMPATIBLE;
    location.push('fields');
    for (const rf of reader.fields ?? []) {
      location.push(String(rf.pos));
      const wf = lookupWriterField(writer, rf);
      if (wf === null) {
        if (rf.default === undefined) {
          if (rf.type.type === 'enum' && rf.type.default !== null) {
            result = merge(result, this.get('type', rf.type, writer, location));
          } else {
            result = merge(result, incompatible('READER_FIELD_MISSING_DEFAULT_VALUE', rf.name, location));
          }
        }
      } else {
        result = merge(result, this.get('type', rf.type, wf.type, location));
      }
      location.pop();
    }
    location.pop();
    return result;
  }
}

/** SchemaCompatibility.lookupWriterField: by name, then by each reader alias; more than one match is an error. */
function lookupWriterField(writer: RecordSchema, readerField: Field): Field | null {
  const fields = writer.fields ?? [];
  const matches: Field[] = [];
  const direct = fields.find((f) => f.name === readerField.name);
  if (direct) matches.push(direct);
  for (const alias of readerField.aliases) {
    const f = fields.find((x) => x.name === alias);
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
export function differenceMessage(i: Incompatibility, readerLabel: string, writerLabel: string): string {
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
 * Unexpected failures become Confluent's single "Unexpected exception during compatibility check" message.
 */
export function readMessages(reader: AvroSchema, writer: AvroSchema, readerLabel: string, writerLabel: string): string[] {
  try {
    return readerWriterIncompatibilities(reader, writer).map((i) => differenceMessage(i, readerLabel, writerLabel));
  } catch (e) {
    if (e instanceof AmbiguousFieldError || e instanceof CompatibilityBudgetError) {
      return [`Unexpected exception during compatibility check: ${e.message}`];
    }
    throw e;
  }
}
