import { SchemaParseError } from '../errors';
import type {
  EnumConstantElement,
  EnumElement,
  ExtendElement,
  ExtensionsElement,
  FieldElement,
  Label,
  Loc,
  MessageElement,
  OneOfElement,
  OptionElement,
  ProtoFile,
  ReservedElement,
  RpcElement,
  ServiceElement,
  TypeElement,
} from './ast';
import {
  ENUM_OPTIONS,
  ENUM_VALUE_OPTIONS,
  FIELD_OPTIONS,
  FILE_OPTIONS,
  MESSAGE_OPTIONS,
  METHOD_OPTIONS,
  SERVICE_OPTIONS,
  type KnownOption,
} from './descriptor-options';
import { decodeMeta, metaNameOf } from './descriptor-meta';
import { WireMessage } from './descriptor-wire';
import { PROTOBUF_LIMITS } from './limits';
import { MAX_NESTING } from './parser';

/**
 * Decodes a binary google.protobuf.FileDescriptorProto into our (Wire-shaped) model the way
 * Confluent's ProtobufSchema.toProtoFile(FileDescriptorProto) does, so that a schema registered as
 * base64 descriptor gets the canonical text Confluent would store: type names as written in the
 * descriptor (`.pkg.Msg`), map entries kept as nested messages with `option map_entry = true` and
 * their fields `repeated`, oneofs without their (synthetic or empty) members dropped, proto3
 * `optional` from `proto3_optional`, defaults only outside proto3, `json_name` when present, the
 * standard options of descriptor-options.ts (custom options are not decoded). Names are checked
 * here because the result is printed and re-parsed: a name must not be able to smuggle syntax.
 */

/** Bound on decoded elements (fields, types, values, ...) so printing stays proportionate. */
export const MAX_DESCRIPTOR_ELEMENTS = PROTOBUF_LIMITS.maxDescriptorElements;

const LOC: Loc = { line: 0, col: 0 };
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TYPE_NAME = /^\.?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const PACKAGE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
/** Non-string defaults are printed unquoted: numbers, inf/nan, bools, enum value names. */
const BARE_DEFAULT = /^[-+]?[A-Za-z0-9_.]+([eE][-+]?[0-9]+)?$/;

// FieldDescriptorProto.Type names by number, lower-cased as Confluent's dataType() prints them.
const TYPE_NAMES = [
  '',
  'double',
  'float',
  'int64',
  'uint64',
  'int32',
  'fixed64',
  'fixed32',
  'bool',
  'string',
  'group',
  'message',
  'bytes',
  'uint32',
  'enum',
  'sfixed32',
  'sfixed64',
  'sint32',
  'sint64',
];

export function decodeFile(bytes: Uint8Array): ProtoFile {
  return new Decoder().file(new WireMessage(bytes, 'FileDescriptorProto'));
}

class Decoder {
  private count = 0;
  private proto3 = false;

  private tick(): void {
    if (++this.count > MAX_DESCRIPTOR_ELEMENTS) throw new SchemaParseError(`FileDescriptorProto has more than ${MAX_DESCRIPTOR_ELEMENTS} elements`);
  }

  private name(value: string | null, what: string, pattern = IDENT): string {
    if (value === null || !pattern.test(value)) {
      throw new SchemaParseError(
        `Invalid FileDescriptorProto: ${what} name ${value === null ? 'is missing' : `"${value}" is not a valid identifier`}`,
      );
    }
    return value;
  }

  file(m: WireMessage): ProtoFile {
    const syntax = m.string(12) ?? '';
    this.proto3 = syntax === 'proto3';
    const pkg = m.string(2);
    const deps = m.strings(3);
    for (const d of deps) {
      // Printed inside quotes without escaping: refuse what could close the string.
      if (d.length === 0 || /["\\\n\r\u0000-\u001f]/.test(d)) throw new SchemaParseError(`Invalid FileDescriptorProto: invalid dependency "${d}"`);
    }
    const publicIndexes = new Set(m.ints(10));
    const types: TypeElement[] = [
      ...m.messages(4, 'DescriptorProto').map((x) => this.message(x, 0)),
      ...m.messages(5, 'EnumDescriptorProto').map((x) => this.enumType(x)),
    ];
    return {
      syntax: syntax === 'proto2' || syntax === 'proto3' ? syntax : null,
      edition: null,
      packageName: pkg === null || pkg === '' ? null : this.name(pkg, 'package', PACKAGE),
      imports: deps.filter((_, i) => !publicIndexes.has(i)),
      publicImports: deps.filter((_, i) => publicIndexes.has(i)),
      weakImports: [],
      options: this.options(m.message(8, 'FileOptions'), FILE_OPTIONS),
      types,
      extendDeclarations: this.extends(m.messages(7, 'FieldDescriptorProto')),
      services: m.messages(6, 'ServiceDescriptorProto').map((x) => this.service(x)),
    };
  }

  private message(m: WireMessage, depth: number): MessageElement {
    if (depth >= MAX_NESTING) throw new SchemaParseError(`FileDescriptorProto messages nested deeper than ${MAX_NESTING} levels`);
    this.tick();
    const name = this.name(m.string(1), 'message');
    const oneofDecls = m.messages(8, 'OneofDescriptorProto').map((o) => this.name(o.string(1), 'oneof'));
    const oneofFields: FieldElement[][] = oneofDecls.map(() => []);
    const fields: FieldElement[] = [];
    for (const fd of m.messages(2, 'FieldDescriptorProto')) {
      const index = fd.int(9);
      if (index !== null && fd.bool(17) !== true) {
        if (index < 0 || index >= oneofFields.length) {
          throw new SchemaParseError(`Invalid FileDescriptorProto: oneof_index ${index} out of range in message ${name}`);
        }
        oneofFields[index].push(this.field(fd, true));
      } else {
        fields.push(this.field(fd, false));
      }
    }
    const nestedTypes: TypeElement[] = [
      ...m.messages(3, 'DescriptorProto').map((x) => this.message(x, depth + 1)),
      ...m.messages(4, 'EnumDescriptorProto').map((x) => this.enumType(x)),
    ];
    const reserveds: ReservedElement[] = [
      // DescriptorProto ranges are [start, end) (descriptor.proto).
      ...m.messages(9, 'ReservedRange').map((r) => this.range(r, 1)),
      ...m.strings(10).map((n): ReservedElement => ({ loc: LOC, values: [this.name(n, 'reserved')] })),
    ];
    const extensions: ExtensionsElement[] = m
      .messages(5, 'ExtensionRange')
      .map((r) => ({ loc: LOC, values: this.range(r, 1).values as (number | [number, number])[], options: [] }));
    const oneOfs: OneOfElement[] = oneofDecls
      .map((n, i): OneOfElement => ({ loc: LOC, name: n, options: [], fields: oneofFields[i], groups: [] }))
      .filter((o) => o.fields.length > 0);
    return {
      kind: 'message',
      loc: LOC,
      name,
      options: this.options(m.message(7, 'MessageOptions'), MESSAGE_OPTIONS),
      reserveds,
      fields,
      oneOfs,
      groups: [],
      extensions,
      nestedTypes,
      extendDeclarations: this.extends(m.messages(6, 'FieldDescriptorProto')),
    };
  }

  /** A reserved or extension range; `exclusive` = 1 when `end` is exclusive. */
  private range(r: WireMessage, exclusive: number): ReservedElement {
    this.tick();
    const start = r.int(1) ?? 0;
    const end = (r.int(2) ?? 0) - exclusive;
    if (end < start) throw new SchemaParseError(`Invalid FileDescriptorProto: range ${start} to ${end} is empty`);
    return { loc: LOC, values: [start === end ? start : [start, end]] };
  }

  private field(fd: WireMessage, inOneof: boolean): FieldElement {
    this.tick();
    const name = this.name(fd.string(1), 'field');
    const tag = fd.int(3);
    if (tag === null) throw new SchemaParseError(`Invalid FileDescriptorProto: field ${name} has no number`);
    let type: string;
    const typeName = fd.string(6);
    if (typeName !== null) {
      type = this.name(typeName, `type of field ${name}`, TYPE_NAME);
    } else {
      const t = fd.int(5) ?? 1; // descriptor.proto: an unset Type reads as its first value, TYPE_DOUBLE
      type = TYPE_NAMES[t] ?? '';
      if (type === '' || type === 'group' || type === 'message' || type === 'enum') {
        throw new SchemaParseError(`Invalid FileDescriptorProto: field ${name} has type ${type || t} without a type_name`);
      }
    }
    const rawDefault = !this.proto3 ? fd.string(7) : null;
    let defaultValue: string | null = null;
    if (rawDefault !== null) {
      if (type === 'bytes') defaultValue = cUnescape(rawDefault);
      else if (type === 'string') defaultValue = rawDefault;
      else if (BARE_DEFAULT.test(rawDefault)) defaultValue = rawDefault;
      else throw new SchemaParseError(`Invalid FileDescriptorProto: default value "${rawDefault}" of field ${name}`);
    }
    return {
      loc: LOC,
      label: inOneof ? null : this.label(fd),
      type,
      name,
      tag,
      defaultValue,
      jsonName: fd.string(10),
      options: this.options(fd.message(8, 'FieldOptions'), FIELD_OPTIONS),
    };
  }

  /** Confluent's label(): proto3_optional → optional; proto3 drops optional/required. */
  private label(fd: WireMessage): Label | null {
    if (fd.bool(17) === true) return 'optional';
    const l = fd.int(4);
    if (l === 3) return 'repeated';
    if (this.proto3) return null;
    return l === 2 ? 'required' : 'optional';
  }

  /** Extension fields grouped by extendee, in first-seen order (Confluent's toExtendElements). */
  private extends(fields: WireMessage[]): ExtendElement[] {
    const byExtendee = new Map<string, FieldElement[]>();
    for (const fd of fields) {
      const extendee = this.name(fd.string(2), 'extendee', TYPE_NAME);
      let list = byExtendee.get(extendee);
      if (!list) byExtendee.set(extendee, (list = []));
      list.push(this.field(fd, false));
    }
    return [...byExtendee].map(([name, fs]) => ({ loc: LOC, name, fields: fs }));
  }

  private enumType(m: WireMessage): EnumElement {
    this.tick();
    const name = this.name(m.string(1), 'enum');
    const constants: EnumConstantElement[] = m.messages(2, 'EnumValueDescriptorProto').map((v) => {
      this.tick();
      return {
        loc: LOC,
        name: this.name(v.string(1), 'enum value'),
        tag: v.int(2) ?? 0,
        options: this.options(v.message(3, 'EnumValueOptions'), ENUM_VALUE_OPTIONS),
      };
    });
    const reserveds: ReservedElement[] = [
      // EnumReservedRange is inclusive on both ends.
      ...m.messages(4, 'EnumReservedRange').map((r) => this.range(r, 0)),
      ...m.strings(5).map((n): ReservedElement => ({ loc: LOC, values: [this.name(n, 'reserved')] })),
    ];
    return { kind: 'enum', loc: LOC, name, options: this.options(m.message(3, 'EnumOptions'), ENUM_OPTIONS), constants, reserveds };
  }

  private service(m: WireMessage): ServiceElement {
    this.tick();
    const rpcs = m.messages(2, 'MethodDescriptorProto').map((x): RpcElement => {
      this.tick();
      const name = this.name(x.string(1), 'method');
      return {
        loc: LOC,
        name,
        requestType: this.name(x.string(2), `input type of ${name}`, TYPE_NAME),
        responseType: this.name(x.string(3), `output type of ${name}`, TYPE_NAME),
        requestStreaming: x.bool(5) === true,
        responseStreaming: x.bool(6) === true,
        options: this.options(x.message(4, 'MethodOptions'), METHOD_OPTIONS),
      };
    });
    return { loc: LOC, name: this.name(m.string(1), 'service'), options: this.options(m.message(3, 'ServiceOptions'), SERVICE_OPTIONS), rpcs };
  }

  private options(m: WireMessage | null, known: readonly KnownOption[]): OptionElement[] {
    if (!m) return [];
    const out: OptionElement[] = [];
    for (const k of known) {
      if (!m.has(k.number)) continue;
      if (k.type === 'bool') {
        out.push({ name: k.name, kind: 'BOOLEAN', value: String(m.bool(k.number)), parenthesized: false });
      } else if (k.type === 'string') {
        out.push({ name: k.name, kind: 'STRING', value: m.string(k.number) ?? '', parenthesized: false });
      } else {
        const v = k.type.enum[m.int(k.number) ?? -1];
        if (v) out.push({ name: k.name, kind: 'ENUM', value: v, parenthesized: false });
      }
    }
    const meta = decodeMeta(m, metaNameOf(known));
    if (meta) out.push(meta);
    return out;
  }
}

/** Inverse of CEscape for bytes defaults: the bytes as code units 0..255 (what the parser keeps). */
export function cUnescape(s: string): string {
  return s.replace(/\\([0-7]{1,3}|x[0-9a-fA-F]{1,2}|.)/g, (_, e: string) => {
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8) & 0xff);
    if (e[0] === 'x' && e.length > 1) return String.fromCharCode(parseInt(e.slice(1), 16));
    const named: Record<string, string> = { n: '\n', r: '\r', t: '\t', a: '\u0007', b: '\b', f: '\f', v: '\u000b' };
    return named[e] ?? e;
  });
}
