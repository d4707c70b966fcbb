import { type CompatibilityOptions, type Direction, inDirection, type ParsedSchema, type ResolvedReference, type SchemaFormat } from '../format';
import type { ProtoFile } from './ast';
import { DiffContext } from './confluent-context';
import { SchemaParseError } from '../errors';
import { textFromBase64Descriptor, toSerialized } from './descriptor';
import { compareSchemas, COMPATIBLE_CHANGES, describe } from './diff';
import { link, type Linked } from './linker';
import { printCanonical, printNormalized } from './printer';
import type { LoadedFile, SymbolTable, TypeInfo } from './symbols';

/** A parsed, linked and checked Protobuf schema. */
export interface ProtobufParsedSchema extends ParsedSchema {
  readonly type: 'PROTOBUF';
  /** The schema's own file. */
  readonly file: ProtoFile;
  /** The schema and every file it imports (transitively) that could be loaded. */
  readonly files: readonly LoadedFile[];
  readonly root: LoadedFile;
  readonly symbols: SymbolTable;
  /** Resolved message/enum type of each field (keyed by FieldElement). */
  readonly resolved: ReadonlyMap<object, TypeInfo>;
  /** Full names of the schema's messages, top-level and nested, in declaration order. */
  readonly messageNames: readonly string[];
  /** Confluent's ProtobufSchema.name(): the first message (or enum) with its package. */
  readonly name: string | null;
  /**
   * Confluent's formattedString("serialized"): base64 of the schema's binary
   * google.protobuf.FileDescriptorProto (file name "default"), what `?format=serialized` serves.
   */
  serialized(): string;
}

/**
 * Links `text`; when it is not .proto text but a base64 FileDescriptorProto, links the text
 * printed from the descriptor instead (Confluent's ProtobufSchema.toProtoFile fallback).
 */
function linkTextOrDescriptor(text: string, references: ResolvedReference[]): Linked {
  try {
    return link(text, references);
  } catch (e) {
    if (!(e instanceof SchemaParseError)) throw e;
    const printed = textFromBase64Descriptor(text, e);
    if (printed === null) throw e;
    try {
      return link(printed, references);
    } catch (e2) {
      if (e2 instanceof SchemaParseError) throw new SchemaParseError(`Invalid schema in base64 FileDescriptorProto: ${e2.message}`);
      throw e2;
    }
  }
}

export function parseProtobuf(text: string, references: ResolvedReference[]): ProtobufParsedSchema {
  const { root, symbols, resolved } = linkTextOrDescriptor(text, references);
  const files = [...symbols.files.values()];
  // Printed when first asked for, as Avro's is: a stored version parsed for a compatibility check
  // needs it only to describe an incompatibility, and printing was a third of such a parse.
  let canonical: string | undefined;
  let normalized: string | undefined;
  let serialized: string | undefined;
  const pkg = root.file.packageName ?? '';
  const q = (n: string): string => (pkg ? `${pkg}.${n}` : n);
  const messageNames: string[] = [];
  const walk = (types: ProtoFile['types'], prefix: string): void => {
    for (const t of types) {
      if (t.kind !== 'message') continue;
      const n = prefix ? `${prefix}.${t.name}` : q(t.name);
      messageNames.push(n);
      walk(t.nestedTypes, n);
    }
  };
  walk(root.file.types, '');
  const first = root.file.types.find((t) => t.kind === 'message') ?? root.file.types.at(0);
  return {
    type: 'PROTOBUF',
    get canonical(): string {
      canonical ??= printCanonical(root.file);
      return canonical;
    },
    file: root.file,
    files,
    root,
    symbols,
    resolved,
    messageNames,
    name: first ? q(first.name) : null,
    normalized(): string {
      if (normalized === undefined) {
        const ctx = new DiffContext();
        ctx.collectTypeInfo(files, root, true);
        normalized = printNormalized(root.file, ctx);
      }
      return normalized;
    },
    serialized(): string {
      serialized ??= toSerialized({ file: root.file, symbols, resolved });
      return serialized;
    },
  };
}

/**
 * Confluent's compatibility messages for one direction. BACKWARD: the candidate (reader, "new")
 * must read data written with `previous` (writer, "old"): SchemaDiff.compare(previous, candidate).
 * FORWARD swaps the roles; FULL reports both (forward first, see inDirection).
 */
export function protobufCompatibility(
  candidate: ProtobufParsedSchema,
  previous: ProtobufParsedSchema,
  direction: Direction,
  _options?: CompatibilityOptions,
): string[] {
  const run = (writer: ProtobufParsedSchema, reader: ProtobufParsedSchema, readerLabel: string, writerLabel: string): string[] =>
    compareSchemas(writer, reader)
      .filter((d) => !COMPATIBLE_CHANGES.has(d.type))
      .map((d) => describe(d, readerLabel, writerLabel));
  return inDirection(
    direction,
    () => run(previous, candidate, 'new', 'old'),
    () => run(candidate, previous, 'old', 'new'),
  );
}

export const protobufFormat: SchemaFormat<ProtobufParsedSchema> = {
  type: 'PROTOBUF',
  parse: parseProtobuf,
  compatibility: protobufCompatibility,
  // ProtobufSchema.formattedString("serialized"): what ProtobufDeserializer fetches.
  formatted: (parsed, format) => (format === 'serialized' ? parsed.serialized() : undefined),
};
