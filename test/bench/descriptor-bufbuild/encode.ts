import { create, toBinary, type DescMessage, type MessageInitShape, type MessageShape } from '@bufbuild/protobuf';
import { reflect } from '@bufbuild/protobuf/reflect';
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import {
  DescriptorProtoSchema,
  Edition,
  EnumOptionsSchema,
  EnumValueOptionsSchema,
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FieldOptionsSchema,
  FileDescriptorProtoSchema,
  FileOptionsSchema,
  MessageOptionsSchema,
  MethodOptionsSchema,
  ServiceOptionsSchema,
} from '@bufbuild/protobuf/wkt';
import {
  mapTypes,
  type EnumElement,
  type ExtendElement,
  type FieldElement,
  type GroupElement,
  type Label,
  type Loc,
  type MessageElement,
  type OptionElement,
  type ServiceElement,
} from '../../../src/domain/protobuf/ast';
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
import { META_EXTENSION, collectMeta, metaNameOf } from '../../../src/domain/protobuf/descriptor-meta';
import { cEscape, jsonName, mapEntryName, type EncodeInput } from '../../../src/domain/protobuf/descriptor-encode';
import type { TypeInfo } from '../../../src/domain/protobuf/symbols';

/**
 * The alternative evaluated in docs/decisions/0004-protobuf-descriptor-codec.md (not used by the
 * registry): src/domain/protobuf/descriptor-encode.ts on @bufbuild/protobuf, the same mapping with
 * the message built by create() and written by toBinary() instead of the hand-written WireWriter.
 * Kept so that test/bench/descriptor.mjs can measure it; it writes the same bytes.
 */

type DescriptorInit = MessageInitShape<typeof DescriptorProtoSchema>;
type FieldInit = NonNullable<DescriptorInit['field']>[number];
type EnumInit = NonNullable<DescriptorInit['enumType']>[number];
type FileInit = MessageInitShape<typeof FileDescriptorProtoSchema>;
type ServiceInit = NonNullable<FileInit['service']>[number];

const T = FieldDescriptorProto_Type;
const SCALAR_TYPE_NUMBERS: ReadonlyMap<string, FieldDescriptorProto_Type> = new Map(
  Object.entries({
    double: T.DOUBLE,
    float: T.FLOAT,
    int64: T.INT64,
    uint64: T.UINT64,
    int32: T.INT32,
    fixed64: T.FIXED64,
    fixed32: T.FIXED32,
    bool: T.BOOL,
    string: T.STRING,
    bytes: T.BYTES,
    uint32: T.UINT32,
    sfixed32: T.SFIXED32,
    sfixed64: T.SFIXED64,
    sint32: T.SINT32,
    sint64: T.SINT64,
  }),
);
const LABELS: Readonly<Record<Label, FieldDescriptorProto_Label>> = {
  optional: FieldDescriptorProto_Label.OPTIONAL,
  required: FieldDescriptorProto_Label.REQUIRED,
  repeated: FieldDescriptorProto_Label.REPEATED,
};

export function encodeFileBufbuild(input: EncodeInput, fileName: string): Uint8Array {
  return toBinary(FileDescriptorProtoSchema, create(FileDescriptorProtoSchema, new Encoder(input).file(fileName)));
}

const before = (a: Loc, b: Loc): number => a.line - b.line || a.col - b.col;

class Encoder {
  private readonly proto3: boolean;
  private readonly pkg: string;

  constructor(private readonly input: EncodeInput) {
    this.proto3 = input.file.syntax === 'proto3' || input.file.edition !== null;
    this.pkg = input.file.packageName ?? '';
  }

  file(fileName: string): FileInit {
    const f = this.input.file;
    const loaded = (p: string): boolean => this.input.symbols.files.has(p);
    const unique = [...new Set([...f.imports, ...f.publicImports, ...f.weakImports].filter(loaded))];
    const out: FileInit = {
      name: fileName,
      dependency: unique,
      messageType: f.types.filter((t) => t.kind === 'message').map((t) => this.message(t, this.pkg)),
      enumType: f.types.filter((t) => t.kind === 'enum').map((t) => this.enumType(t)),
      service: f.services.map((s) => this.service(s)),
      extension: f.extendDeclarations.flatMap((e) => this.extension(e)),
      publicDependency: f.publicImports.filter(loaded).map((p) => unique.indexOf(p)),
      weakDependency: f.weakImports.filter(loaded).map((p) => unique.indexOf(p)),
    };
    if (f.packageName) out.package = f.packageName;
    const opts = this.options(f.options, FILE_OPTIONS, FileOptionsSchema);
    if (opts) out.options = opts;
    if (f.edition !== null) {
      out.syntax = 'editions';
      const edition = f.edition === '2023' ? Edition.EDITION_2023 : f.edition === '2024' ? Edition.EDITION_2024 : null;
      if (edition !== null) out.edition = edition;
    } else if (f.syntax !== null) {
      out.syntax = f.syntax;
    }
    return out;
  }

  private full(scope: string, name: string): string {
    return scope ? `${scope}.${name}` : name;
  }

  private message(m: MessageElement, scope: string): DescriptorInit {
    const fullName = this.full(scope, m.name);
    const members: { loc: Loc; encode: () => FieldInit }[] = [];
    const synthesized: DescriptorInit[] = [];
    const oneofNames = m.oneOfs.map((o) => o.name);
    const taken = new Set([...oneofNames, ...m.fields.map((f) => f.name)]);
    const synthetic: string[] = [];
    for (const f of m.fields) {
      const map = mapTypes(f.type);
      if (map) {
        const entry = mapEntryName(f.name);
        synthesized.push(this.mapEntry(f, entry, map.key, map.value));
        members.push({ loc: f.loc, encode: () => this.field(f, { label: 'repeated', typeName: `.${fullName}.${entry}`, type: T.MESSAGE }) });
      } else if (this.proto3 && f.label === 'optional') {
        let name = f.name.startsWith('_') ? f.name : `_${f.name}`;
        while (taken.has(name)) name = `X${name}`;
        taken.add(name);
        const index = oneofNames.length + synthetic.push(name) - 1;
        members.push({ loc: f.loc, encode: () => this.field(f, { oneof: index, proto3Optional: true }) });
      } else {
        members.push({ loc: f.loc, encode: () => this.field(f) });
      }
    }
    m.oneOfs.forEach((o, i) => {
      for (const f of o.fields) members.push({ loc: f.loc, encode: () => this.field(f, { oneof: i }) });
      for (const g of o.groups) {
        synthesized.push(this.groupType(g));
        members.push({ loc: g.loc, encode: () => this.groupField(g, fullName, i) });
      }
    });
    for (const g of m.groups) {
      synthesized.push(this.groupType(g));
      members.push({ loc: g.loc, encode: () => this.groupField(g, fullName, null) });
    }
    members.sort((a, b) => before(a.loc, b.loc));
    const ranges = (values: (number | [number, number] | string)[], endOffset: number) =>
      values
        .filter((v) => typeof v !== 'string')
        .map((v) => (typeof v === 'number' ? { start: v, end: v + endOffset } : { start: v[0], end: v[1] + endOffset }));
    const out: DescriptorInit = {
      name: m.name,
      field: members.map((x) => x.encode()),
      nestedType: [...m.nestedTypes.filter((t) => t.kind === 'message').map((t) => this.message(t, fullName)), ...synthesized],
      enumType: m.nestedTypes.filter((t) => t.kind === 'enum').map((t) => this.enumType(t)),
      extensionRange: m.extensions.flatMap((e) => ranges(e.values, 1)),
      extension: m.extendDeclarations.flatMap((e) => this.extension(e)),
      oneofDecl: [...oneofNames, ...synthetic].map((name) => ({ name })),
      reservedRange: m.reserveds.flatMap((r) => ranges(r.values, 1)),
      reservedName: m.reserveds.flatMap((r) => r.values.filter((v) => typeof v === 'string')),
    };
    const opts = this.options(m.options, MESSAGE_OPTIONS, MessageOptionsSchema);
    if (opts) out.options = opts;
    return out;
  }

  private mapEntry(f: FieldElement, name: string, key: string, value: string): DescriptorInit {
    const v: FieldInit = { name: 'value', number: 2, label: LABELS.optional, ...this.typeOf(value, this.input.resolved.get(f)), jsonName: 'value' };
    return {
      name,
      field: [{ name: 'key', number: 1, label: LABELS.optional, type: SCALAR_TYPE_NUMBERS.get(key) ?? T.MESSAGE, jsonName: 'key' }, v],
      options: { mapEntry: true },
    };
  }

  private typeOf(type: string, info: TypeInfo | undefined): Pick<FieldInit, 'type' | 'typeName'> {
    const scalar = SCALAR_TYPE_NUMBERS.get(type);
    if (scalar !== undefined) return { type: scalar };
    if (info) return { type: info.element.kind === 'enum' ? T.ENUM : T.MESSAGE, typeName: `.${info.fullName}` };
    return { type: T.MESSAGE, typeName: type };
  }

  private field(
    f: FieldElement,
    extra: { label?: Label; type?: FieldDescriptorProto_Type; typeName?: string; oneof?: number; proto3Optional?: boolean; extendee?: string } = {},
  ): FieldInit {
    const out: FieldInit = { name: f.name, number: f.tag, label: LABELS[extra.label ?? f.label ?? 'optional'] };
    if (extra.extendee !== undefined) out.extendee = extra.extendee;
    if (extra.type !== undefined) {
      out.type = extra.type;
      if (extra.typeName !== undefined) out.typeName = extra.typeName;
    } else {
      Object.assign(out, this.typeOf(f.type, this.input.resolved.get(f)));
    }
    if (f.defaultValue !== null) out.defaultValue = defaultValueText(f.type, f.defaultValue);
    const opts = this.options(f.options, FIELD_OPTIONS, FieldOptionsSchema);
    if (opts) out.options = opts;
    if (extra.oneof !== undefined) out.oneofIndex = extra.oneof;
    if (f.jsonName !== null) out.jsonName = f.jsonName;
    else if (extra.extendee === undefined) out.jsonName = jsonName(f.name);
    if (extra.proto3Optional) out.proto3Optional = true;
    return out;
  }

  private groupField(g: GroupElement, scope: string, oneof: number | null): FieldInit {
    const name = g.name.toLowerCase();
    const out: FieldInit = {
      name,
      number: g.tag,
      label: LABELS[g.label ?? 'optional'],
      type: T.GROUP,
      typeName: `.${scope}.${g.name}`,
      jsonName: jsonName(name),
    };
    if (oneof !== null) out.oneofIndex = oneof;
    return out;
  }

  private groupType(g: GroupElement): DescriptorInit {
    return { name: g.name, field: g.fields.map((f) => this.field(f)) };
  }

  private extension(e: ExtendElement): FieldInit[] {
    const target = this.input.resolved.get(e);
    const extendee = target ? `.${target.fullName}` : e.name;
    return e.fields.map((f) => this.field(f, { extendee }));
  }

  private enumType(e: EnumElement): EnumInit {
    const out: EnumInit = {
      name: e.name,
      value: e.constants.map((c) => {
        const v: NonNullable<EnumInit['value']>[number] = { name: c.name, number: c.tag };
        const opts = this.options(c.options, ENUM_VALUE_OPTIONS, EnumValueOptionsSchema);
        if (opts) v.options = opts;
        return v;
      }),
      reservedRange: e.reserveds.flatMap((r) =>
        r.values.filter((v) => typeof v !== 'string').map((v) => (typeof v === 'number' ? { start: v, end: v } : { start: v[0], end: v[1] })),
      ),
      reservedName: e.reserveds.flatMap((r) => r.values.filter((v) => typeof v === 'string')),
    };
    const opts = this.options(e.options, ENUM_OPTIONS, EnumOptionsSchema);
    if (opts) out.options = opts;
    return out;
  }

  private service(s: ServiceElement): ServiceInit {
    const visible = this.input.symbols.visibleFiles('');
    const qualify = (t: string): string => {
      const info = this.input.symbols.resolve(t, this.pkg, visible);
      return info ? `.${info.fullName}` : t;
    };
    const out: ServiceInit = {
      name: s.name,
      method: s.rpcs.map((r) => {
        const m: NonNullable<ServiceInit['method']>[number] = {
          name: r.name,
          inputType: qualify(r.requestType),
          outputType: qualify(r.responseType),
        };
        const opts = this.options(r.options, METHOD_OPTIONS, MethodOptionsSchema);
        if (opts) m.options = opts;
        if (r.requestStreaming) m.clientStreaming = true;
        if (r.responseStreaming) m.serverStreaming = true;
        return m;
      }),
    };
    const opts = this.options(s.options, SERVICE_OPTIONS, ServiceOptionsSchema);
    if (opts) out.options = opts;
    return out;
  }

  /** The known options by field number (reflection) and Confluent's Meta as unknown field 1088. */
  private options<D extends DescMessage>(options: OptionElement[], known: readonly KnownOption[], schema: D): MessageShape<D> | undefined {
    const msg = create(schema);
    const r = reflect(schema, msg);
    let any = false;
    for (const o of options) {
      if (o.parenthesized || typeof o.value !== 'string') continue;
      const k = known.find((x) => x.name === o.name);
      const field = k && r.findNumber(k.number);
      if (!k || !field) continue;
      if (k.type === 'bool') {
        if (o.value === 'true' || o.value === 'false') {
          r.set(field, o.value === 'true');
          any = true;
        }
      } else if (k.type === 'string') {
        if (o.kind === 'STRING') {
          r.set(field, o.value);
          any = true;
        }
      } else {
        const n = k.type.enum.indexOf(o.value);
        if (n > 0 || (n === 0 && o.value !== '')) {
          r.set(field, n);
          any = true;
        }
      }
    }
    const name = metaNameOf(known);
    const meta = name === null ? null : collectMeta(options, name);
    if (meta) {
      const w = new BinaryWriter();
      if (meta.doc !== null) w.tag(1, WireType.LengthDelimited).string(meta.doc);
      for (const [k, v] of meta.params)
        w.tag(2, WireType.LengthDelimited).fork().tag(1, WireType.LengthDelimited).string(k).tag(2, WireType.LengthDelimited).string(v).join();
      for (const t of meta.tags) w.tag(3, WireType.LengthDelimited).string(t);
      // unknown-field data of a LEN field carries its length prefix
      msg.$unknown = [{ no: META_EXTENSION, wireType: WireType.LengthDelimited, data: new BinaryWriter().bytes(w.finish()).finish() }];
      any = true;
    }
    return any ? msg : undefined;
  }
}

function defaultValueText(type: string, value: string): string {
  if (type === 'bytes') {
    const latin1 = /^[\u0000-\u00ff]*$/.test(value);
    return cEscape(latin1 ? Uint8Array.from(value, (c) => c.charCodeAt(0)) : new TextEncoder().encode(value));
  }
  if (/^(u?int|s?fixed|sint)(32|64)$/.test(type) && /^[-+]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(value)) {
    const neg = value.startsWith('-');
    const body = value.replace(/^[-+]/, '');
    const n = /^0[xX]/.test(body) ? BigInt(body) : /^0[0-7]+$/.test(body) ? BigInt(`0o${body.slice(1)}`) : BigInt(body);
    return (neg ? -n : n).toString();
  }
  return value;
}
