import { fromBinary, isFieldSet, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { reflect } from '@bufbuild/protobuf/reflect';
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import {
  EnumOptionsSchema,
  EnumValueOptionsSchema,
  FieldDescriptorProtoSchema,
  FieldDescriptorProto_Label,
  FieldOptionsSchema,
  FileDescriptorProtoSchema,
  FileOptionsSchema,
  MessageOptionsSchema,
  MethodOptionsSchema,
  ServiceOptionsSchema,
  type DescriptorProto,
  type EnumDescriptorProto,
  type FieldDescriptorProto,
  type FileDescriptorProto,
  type ServiceDescriptorProto,
} from '@bufbuild/protobuf/wkt';
import { SchemaParseError } from '../../../src/domain/errors';
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
  OptionMapValue,
  ProtoFile,
  ReservedElement,
  RpcElement,
  ServiceElement,
  TypeElement,
} from '../../../src/domain/protobuf/ast';
import { cUnescape, MAX_DESCRIPTOR_ELEMENTS } from '../../../src/domain/protobuf/descriptor-decode';
import {
  ENUM_OPTIONS,
  ENUM_VALUE_OPTIONS,
  FIELD_OPTIONS,
  FILE_OPTIONS,
  MESSAGE_OPTIONS,
  METHOD_OPTIONS,
  SERVICE_OPTIONS,
  type KnownOption,
} from '../../../src/domain/protobuf/descriptor-options';
import { META_EXTENSION, metaNameOf, type MetaName } from '../../../src/domain/protobuf/descriptor-meta';
import { MAX_NESTING } from '../../../src/domain/protobuf/parser';

/**
 * The alternative evaluated in docs/decisions/0004-protobuf-descriptor-codec.md (not used by the
 * registry): src/domain/protobuf/descriptor-decode.ts on @bufbuild/protobuf. fromBinary() decodes
 * the whole FileDescriptorProto, then the same mapping reads typed fields (presence through
 * isFieldSet: descriptor.proto is proto2). Kept so that test/bench/descriptor.mjs can measure it.
 */

const LOC: Loc = { line: 0, col: 0 };
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TYPE_NAME = /^\.?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const PACKAGE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const BARE_DEFAULT = /^[-+]?[A-Za-z0-9_.]+([eE][-+]?[0-9]+)?$/;
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
const F = FieldDescriptorProtoSchema.field;

export function decodeFileBufbuild(bytes: Uint8Array): ProtoFile {
  let file: FileDescriptorProto;
  try {
    file = fromBinary(FileDescriptorProtoSchema, bytes);
  } catch (e) {
    throw new SchemaParseError(`Invalid FileDescriptorProto: ${(e as Error).message}`);
  }
  return new Decoder().file(file);
}

class Decoder {
  private count = 0;
  private proto3 = false;

  private tick(): void {
    if (++this.count > MAX_DESCRIPTOR_ELEMENTS) throw new SchemaParseError(`FileDescriptorProto has more than ${MAX_DESCRIPTOR_ELEMENTS} elements`);
  }

  private name(value: string, what: string, pattern = IDENT): string {
    if (!pattern.test(value)) {
      throw new SchemaParseError(`Invalid FileDescriptorProto: ${what} name ${value === '' ? 'is missing' : `"${value}" is not a valid identifier`}`);
    }
    return value;
  }

  file(m: FileDescriptorProto): ProtoFile {
    const syntax = m.syntax;
    this.proto3 = syntax === 'proto3';
    for (const d of m.dependency) {
      if (d.length === 0 || /["\\\n\r\u0000-\u001f]/.test(d)) throw new SchemaParseError(`Invalid FileDescriptorProto: invalid dependency "${d}"`);
    }
    const publicIndexes = new Set(m.publicDependency);
    return {
      syntax: syntax === 'proto2' || syntax === 'proto3' ? syntax : null,
      edition: null,
      packageName: m.package === '' ? null : this.name(m.package, 'package', PACKAGE),
      imports: m.dependency.filter((_, i) => !publicIndexes.has(i)),
      publicImports: m.dependency.filter((_, i) => publicIndexes.has(i)),
      weakImports: [],
      options: this.options(m.options, FILE_OPTIONS, FileOptionsSchema),
      types: [...m.messageType.map((x) => this.message(x, 0)), ...m.enumType.map((x) => this.enumType(x))],
      extendDeclarations: this.extends(m.extension),
      services: m.service.map((x) => this.service(x)),
    };
  }

  private message(m: DescriptorProto, depth: number): MessageElement {
    if (depth >= MAX_NESTING) throw new SchemaParseError(`FileDescriptorProto messages nested deeper than ${MAX_NESTING} levels`);
    this.tick();
    const name = this.name(m.name, 'message');
    const oneofDecls = m.oneofDecl.map((o) => this.name(o.name, 'oneof'));
    const oneofFields: FieldElement[][] = oneofDecls.map(() => []);
    const fields: FieldElement[] = [];
    for (const fd of m.field) {
      if (isFieldSet(fd, F.oneofIndex) && !fd.proto3Optional) {
        const index = fd.oneofIndex;
        if (index < 0 || index >= oneofFields.length) {
          throw new SchemaParseError(`Invalid FileDescriptorProto: oneof_index ${index} out of range in message ${name}`);
        }
        oneofFields[index].push(this.field(fd, true));
      } else {
        fields.push(this.field(fd, false));
      }
    }
    const nestedTypes: TypeElement[] = [...m.nestedType.map((x) => this.message(x, depth + 1)), ...m.enumType.map((x) => this.enumType(x))];
    const reserveds: ReservedElement[] = [
      ...m.reservedRange.map((r) => this.range(r.start, r.end, 1)),
      ...m.reservedName.map((n): ReservedElement => ({ loc: LOC, values: [this.name(n, 'reserved')] })),
    ];
    const extensions: ExtensionsElement[] = m.extensionRange.map((r) => ({
      loc: LOC,
      values: this.range(r.start, r.end, 1).values as (number | [number, number])[],
      options: [],
    }));
    const oneOfs: OneOfElement[] = oneofDecls
      .map((n, i): OneOfElement => ({ loc: LOC, name: n, options: [], fields: oneofFields[i], groups: [] }))
      .filter((o) => o.fields.length > 0);
    return {
      kind: 'message',
      loc: LOC,
      name,
      options: this.options(m.options, MESSAGE_OPTIONS, MessageOptionsSchema),
      reserveds,
      fields,
      oneOfs,
      groups: [],
      extensions,
      nestedTypes,
      extendDeclarations: this.extends(m.extension),
    };
  }

  private range(start: number, rawEnd: number, exclusive: number): ReservedElement {
    this.tick();
    const end = rawEnd - exclusive;
    if (end < start) throw new SchemaParseError(`Invalid FileDescriptorProto: range ${start} to ${end} is empty`);
    return { loc: LOC, values: [start === end ? start : [start, end]] };
  }

  private field(fd: FieldDescriptorProto, inOneof: boolean): FieldElement {
    this.tick();
    const name = this.name(fd.name, 'field');
    if (!isFieldSet(fd, F.number)) throw new SchemaParseError(`Invalid FileDescriptorProto: field ${name} has no number`);
    let type: string;
    if (isFieldSet(fd, F.typeName)) {
      type = this.name(fd.typeName, `type of field ${name}`, TYPE_NAME);
    } else {
      const t = fd.type as number;
      type = TYPE_NAMES[t] ?? '';
      if (type === '' || type === 'group' || type === 'message' || type === 'enum') {
        throw new SchemaParseError(`Invalid FileDescriptorProto: field ${name} has type ${type || t} without a type_name`);
      }
    }
    let defaultValue: string | null = null;
    if (!this.proto3 && isFieldSet(fd, F.defaultValue)) {
      const raw = fd.defaultValue;
      if (type === 'bytes') defaultValue = cUnescape(raw);
      else if (type === 'string') defaultValue = raw;
      else if (BARE_DEFAULT.test(raw)) defaultValue = raw;
      else throw new SchemaParseError(`Invalid FileDescriptorProto: default value "${raw}" of field ${name}`);
    }
    return {
      loc: LOC,
      label: inOneof ? null : this.label(fd),
      type,
      name,
      tag: fd.number,
      defaultValue,
      jsonName: isFieldSet(fd, F.jsonName) ? fd.jsonName : null,
      options: this.options(fd.options, FIELD_OPTIONS, FieldOptionsSchema),
    };
  }

  private label(fd: FieldDescriptorProto): Label | null {
    if (fd.proto3Optional) return 'optional';
    if (fd.label === FieldDescriptorProto_Label.REPEATED) return 'repeated';
    if (this.proto3) return null;
    return fd.label === FieldDescriptorProto_Label.REQUIRED ? 'required' : 'optional';
  }

  private extends(fields: FieldDescriptorProto[]): ExtendElement[] {
    const byExtendee = new Map<string, FieldElement[]>();
    for (const fd of fields) {
      const extendee = this.name(fd.extendee, 'extendee', TYPE_NAME);
      let list = byExtendee.get(extendee);
      if (!list) byExtendee.set(extendee, (list = []));
      list.push(this.field(fd, false));
    }
    return [...byExtendee].map(([name, fs]) => ({ loc: LOC, name, fields: fs }));
  }

  private enumType(m: EnumDescriptorProto): EnumElement {
    this.tick();
    const name = this.name(m.name, 'enum');
    const constants: EnumConstantElement[] = m.value.map((v) => {
      this.tick();
      return {
        loc: LOC,
        name: this.name(v.name, 'enum value'),
        tag: v.number,
        options: this.options(v.options, ENUM_VALUE_OPTIONS, EnumValueOptionsSchema),
      };
    });
    const reserveds: ReservedElement[] = [
      ...m.reservedRange.map((r) => this.range(r.start, r.end, 0)),
      ...m.reservedName.map((n): ReservedElement => ({ loc: LOC, values: [this.name(n, 'reserved')] })),
    ];
    return { kind: 'enum', loc: LOC, name, options: this.options(m.options, ENUM_OPTIONS, EnumOptionsSchema), constants, reserveds };
  }

  private service(m: ServiceDescriptorProto): ServiceElement {
    this.tick();
    const rpcs = m.method.map((x): RpcElement => {
      this.tick();
      const name = this.name(x.name, 'method');
      return {
        loc: LOC,
        name,
        requestType: this.name(x.inputType, `input type of ${name}`, TYPE_NAME),
        responseType: this.name(x.outputType, `output type of ${name}`, TYPE_NAME),
        requestStreaming: x.clientStreaming,
        responseStreaming: x.serverStreaming,
        options: this.options(x.options, METHOD_OPTIONS, MethodOptionsSchema),
      };
    });
    return { loc: LOC, name: this.name(m.name, 'service'), options: this.options(m.options, SERVICE_OPTIONS, ServiceOptionsSchema), rpcs };
  }

  private options<D extends DescMessage>(m: MessageShape<D> | undefined, known: readonly KnownOption[], schema: D): OptionElement[] {
    if (!m) return [];
    const r = reflect(schema, m);
    const out: OptionElement[] = [];
    for (const k of known) {
      const field = r.findNumber(k.number);
      if (!field || field.fieldKind === 'list' || field.fieldKind === 'map' || field.fieldKind === 'message' || !r.isSet(field)) continue;
      const v = r.get(field);
      if (k.type === 'bool') {
        out.push({ name: k.name, kind: 'BOOLEAN', value: String(v), parenthesized: false });
      } else if (k.type === 'string') {
        out.push({ name: k.name, kind: 'STRING', value: String(v), parenthesized: false });
      } else {
        const name = k.type.enum[v as number];
        if (name) out.push({ name: k.name, kind: 'ENUM', value: name, parenthesized: false });
      }
    }
    const meta = decodeMeta(m.$unknown, metaNameOf(known));
    if (meta) out.push(meta);
    return out;
  }
}

/** Confluent's toOption(name, Meta), from the unknown field 1088 (concatenated occurrences merge). */
function decodeMeta(unknown: { no: number; wireType: WireType; data: Uint8Array }[] | undefined, name: MetaName | null): OptionElement | null {
  if (name === null || !unknown) return null;
  const parts = unknown.filter((u) => u.no === META_EXTENSION && u.wireType === WireType.LengthDelimited);
  if (parts.length === 0) return null;
  let doc: string | null = null;
  const params = new Map<string, string>();
  const tags: string[] = [];
  try {
    for (const part of parts) {
      // unknown-field data of a LEN field keeps its length prefix
      const outer = new BinaryReader(part.data);
      const r = new BinaryReader(outer.bytes());
      while (r.pos < r.len) {
        const [no, wt] = r.tag();
        if (no === 1 && wt === WireType.LengthDelimited) doc = r.string();
        else if (no === 3 && wt === WireType.LengthDelimited) tags.push(r.string());
        else if (no === 2 && wt === WireType.LengthDelimited) {
          const e = new BinaryReader(r.bytes());
          let k = '';
          let v = '';
          while (e.pos < e.len) {
            const [eno, ewt] = e.tag();
            if (eno === 1 && ewt === WireType.LengthDelimited) k = e.string();
            else if (eno === 2 && ewt === WireType.LengthDelimited) v = e.string();
            else e.skip(ewt);
          }
          params.set(k, v);
        } else r.skip(wt);
      }
    }
  } catch (e) {
    throw new SchemaParseError(`Invalid FileDescriptorProto: ${(e as Error).message} in confluent.Meta`);
  }
  const str = (value: string): OptionMapValue => ({ type: 'prim', kind: 'STRING', value });
  const entries: [string, OptionMapValue][] = [];
  if (doc) entries.push(['doc', str(doc)]);
  if (params.size > 0) {
    const list = [...params].map(([k, v]): OptionMapValue => ({
      type: 'map',
      entries:
        k === 'precision' || k === 'scale'
          ? [
              ['value', str(v)],
              ['key', str(k)],
            ]
          : [
              ['key', str(k)],
              ['value', str(v)],
            ],
    }));
    entries.push(['params', { type: 'list', items: list }]);
  }
  if (tags.length > 0) entries.push(['tags', { type: 'list', items: tags.map(str) }]);
  return entries.length > 0 ? { name, kind: 'MAP', value: { type: 'map', entries }, parenthesized: true } : null;
}
