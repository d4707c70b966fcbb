/**
 * The parsed Avro schema model: a graph mirroring org.apache.avro.Schema. Named types are shared
 * objects (a reference by name points at the same node, recursion is a cycle); every primitive
 * occurrence is its own node, as Avro's Names.get creates a fresh primitive schema each time.
 * Object identity matters: compatibility memoizes on (reader node, writer node) pairs like
 * SchemaCompatibility does.
 */
import type { JVal } from './json';

export type PrimitiveName = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string';
export const PRIMITIVES: ReadonlySet<string> = new Set<PrimitiveName>(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

/** Insertion-ordered extra properties (JsonProperties), values as parsed JSON. */
export type Props = ReadonlyMap<string, JVal>;

/** A resolved logical type (only present when valid: Avro ignores invalid ones). */
export interface LogicalType {
  name: string;
  precision?: number;
  scale?: number;
}

/** Avro Schema.Name: the simple name, its namespace (null = none) and the full name. */
export interface AvroName {
  name: string;
  space: string | null;
  full: string;
}

interface Base {
  props: Props;
  logicalType: LogicalType | null;
}

export interface PrimitiveSchema extends Base {
  type: PrimitiveName;
}

interface NamedBase extends Base, AvroName {
  doc: string | null;
  aliases: AvroName[];
}

export type FieldOrder = 'ascending' | 'descending' | 'ignore';

export interface Field {
  name: string;
  type: AvroSchema;
  doc: string | null;
  /** The default as parsed JSON; undefined = no default. */
  default: JVal | undefined;
  order: FieldOrder;
  aliases: string[];
  props: Props;
  pos: number;
}

export interface RecordSchema extends NamedBase {
  type: 'record';
  isError: boolean;
  /** null while the record is being parsed (Avro: "Schema fields not set yet"). */
  fields: Field[] | null;
}

export interface EnumSchema extends NamedBase {
  type: 'enum';
  symbols: string[];
  default: string | null;
}

export interface FixedSchema extends NamedBase {
  type: 'fixed';
  size: number;
}

interface ArraySchema extends Base {
  type: 'array';
  items: AvroSchema;
}

interface MapSchema extends Base {
  type: 'map';
  values: AvroSchema;
}

interface UnionSchema {
  type: 'union';
  types: AvroSchema[];
}

export type NamedSchema = RecordSchema | EnumSchema | FixedSchema;
export type AvroSchema = PrimitiveSchema | NamedSchema | ArraySchema | MapSchema | UnionSchema;

const isNamed = (s: AvroSchema): s is NamedSchema => s.type === 'record' || s.type === 'enum' || s.type === 'fixed';

/** Avro Schema.Type name as Java prints it (Type enum constant), used in Avro messages. */
export function javaTypeName(s: AvroSchema): string {
  return s.type.toUpperCase();
}

/** Schema.getFullName(): full name for named types, the type name otherwise. */
export function fullNameOf(s: AvroSchema): string {
  return isNamed(s) ? s.full : s.type;
}
