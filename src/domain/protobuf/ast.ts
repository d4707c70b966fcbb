/**
 * The parsed form of a .proto file. It mirrors the element model of Square Wire's parser
 * (com.squareup.wire.schema.internal.parser.*Element), because Confluent's registry parses with
 * Wire and both its canonical printer (ProtobufSchemaUtils.toString) and its compatibility diff
 * (protobuf.diff.*) walk that model: fields in declaration order, oneofs and groups kept apart
 * from plain fields, `default` and `json_name` pulled out of the field options, type names kept
 * exactly as written (resolution happens later, in linker.ts).
 */

export interface Loc {
  line: number;
  col: number;
}

export type Label = 'optional' | 'required' | 'repeated';

type OptionKind = 'STRING' | 'BOOLEAN' | 'NUMBER' | 'ENUM' | 'MAP' | 'LIST' | 'OPTION';

/** A value inside an aggregate (text-format) option value `{ a: 1, b: "x" }`. */
export type OptionMapValue =
  | { type: 'prim'; kind: 'STRING' | 'BOOLEAN' | 'NUMBER' | 'ENUM'; value: string }
  | { type: 'map'; entries: [string, OptionMapValue][] }
  | { type: 'list'; items: OptionMapValue[] };

/**
 * `name = value`, `(ext.name) = value`, `(ext).sub = value` (kind OPTION, value = the nested
 * option), or an aggregate `name = { ... }` (kind MAP). Scalar values keep their source text.
 */
export interface OptionElement {
  name: string;
  kind: OptionKind;
  value: string | OptionElement | OptionMapValue;
  parenthesized: boolean;
}

export interface FieldElement {
  loc: Loc;
  /** null = no label written (proto3 implicit presence, map fields, oneof members). */
  label: Label | null;
  /** As written: `int32`, `Foo.Bar`, `.pkg.Foo`, `map<string, Foo>`. */
  type: string;
  name: string;
  tag: number;
  defaultValue: string | null;
  jsonName: string | null;
  options: OptionElement[];
}

export interface GroupElement {
  loc: Loc;
  label: Label | null;
  name: string;
  tag: number;
  fields: FieldElement[];
}

export interface OneOfElement {
  loc: Loc;
  name: string;
  options: OptionElement[];
  fields: FieldElement[];
  groups: GroupElement[];
}

/** A reserved value: a field name, a single number, or an inclusive range [start, end]. */
export type ReservedValue = string | number | [number, number];

export interface ReservedElement {
  loc: Loc;
  values: ReservedValue[];
}

export interface ExtensionsElement {
  loc: Loc;
  values: (number | [number, number])[];
  options: OptionElement[];
}

export interface ExtendElement {
  loc: Loc;
  name: string;
  fields: FieldElement[];
}

export interface MessageElement {
  kind: 'message';
  loc: Loc;
  name: string;
  options: OptionElement[];
  reserveds: ReservedElement[];
  fields: FieldElement[];
  oneOfs: OneOfElement[];
  groups: GroupElement[];
  extensions: ExtensionsElement[];
  nestedTypes: TypeElement[];
  extendDeclarations: ExtendElement[];
}

export interface EnumConstantElement {
  loc: Loc;
  name: string;
  tag: number;
  options: OptionElement[];
}

export interface EnumElement {
  kind: 'enum';
  loc: Loc;
  name: string;
  options: OptionElement[];
  constants: EnumConstantElement[];
  reserveds: ReservedElement[];
}

export type TypeElement = MessageElement | EnumElement;

export interface RpcElement {
  loc: Loc;
  name: string;
  requestType: string;
  responseType: string;
  requestStreaming: boolean;
  responseStreaming: boolean;
  options: OptionElement[];
}

export interface ServiceElement {
  loc: Loc;
  name: string;
  options: OptionElement[];
  rpcs: RpcElement[];
}

type Syntax = 'proto2' | 'proto3';

export interface ProtoFile {
  /** null when the file has no `syntax` line (protoc then assumes proto2). */
  syntax: Syntax | null;
  /** `edition = "2023";` files (not parsed by Confluent's Wire version; see docs/protobuf.md). */
  edition: string | null;
  packageName: string | null;
  imports: string[];
  publicImports: string[];
  weakImports: string[];
  options: OptionElement[];
  types: TypeElement[];
  extendDeclarations: ExtendElement[];
  services: ServiceElement[];
}

/** Largest field number (2^29 - 1); `max` in ranges means this. */
export const MAX_TAG = 536870911;

export const SCALAR_TYPES: ReadonlySet<string> = new Set([
  'double',
  'float',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'sint32',
  'sint64',
  'fixed32',
  'fixed64',
  'sfixed32',
  'sfixed64',
  'bool',
  'string',
  'bytes',
]);

/** Splits `map<K, V>` (the form the parser writes) into its key and value types. */
export function mapTypes(type: string): { key: string; value: string } | null {
  if (!type.startsWith('map<') || !type.endsWith('>')) return null;
  const inner = type.slice(4, -1);
  const comma = inner.indexOf(',');
  if (comma < 0) return null;
  return { key: inner.slice(0, comma).trim(), value: inner.slice(comma + 1).trim() };
}
