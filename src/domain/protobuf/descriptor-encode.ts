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
  type ProtoFile,
  type ServiceElement,
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
import { encodeMeta, metaNameOf } from './descriptor-meta';
import { WireWriter } from './descriptor-wire';
import type { SymbolTable, TypeInfo } from './symbols';

/**
 * Encodes a parsed schema as google.protobuf.FileDescriptorProto (descriptor.proto), the binary
 * form Confluent serves for `?format=serialized` (ProtobufSchema.formattedString: base64 of
 * toDynamicSchema().getFileDescriptorProto()). Shapes follow protoc (descriptor.cc CopyTo and
 * parser.cc): type names fully qualified with a leading dot, maps as repeated `XxxEntry` messages
 * with `map_entry = true` and fields key = 1 / value = 2, groups as TYPE_GROUP fields with a nested
 * type, proto3 `optional` as a synthetic oneof `_name` after the real ones. Two choices follow
 * Confluent's DynamicSchema instead: synthesized nested types (map entries, groups) come after the
 * declared nested messages, so that message indexes computed on the .proto text stay valid on the
 * descriptor; `syntax` is "proto3", or "proto2" only when the text says so (protoc omits it).
 */

// FieldDescriptorProto.Type numbers (descriptor.proto). A Map: it is looked up with field type
// names, and a message may be named "constructor" or "toString" (Object.prototype members).
const SCALAR_TYPE_NUMBERS: ReadonlyMap<string, number> = new Map(
  Object.entries({
    double: 1,
    float: 2,
    int64: 3,
    uint64: 4,
    int32: 5,
    fixed64: 6,
    fixed32: 7,
    bool: 8,
    string: 9,
    bytes: 12,
    uint32: 13,
    sfixed32: 15,
    sfixed64: 16,
    sint32: 17,
    sint64: 18,
  }),
);
const TYPE_GROUP = 10;
const TYPE_MESSAGE = 11;
const TYPE_ENUM = 14;
const LABELS: Readonly<Record<Label, number>> = { optional: 1, required: 2, repeated: 3 };

export interface EncodeInput {
  file: ProtoFile;
  symbols: SymbolTable;
  resolved: ReadonlyMap<object, TypeInfo>;
}

export function encodeFile(input: EncodeInput, fileName: string): Uint8Array {
  return new Encoder(input).file(fileName);
}

/** protoc's MapEntryName (descriptor.cc): CamelCase of the field name + "Entry". */
export function mapEntryName(fieldName: string): string {
  let out = '';
  let capNext = true;
  for (const c of fieldName) {
    if (c === '_') capNext = true;
    else if (capNext) {
      out += c >= 'a' && c <= 'z' ? c.toUpperCase() : c;
      capNext = false;
    } else out += c;
  }
  return `${out}Entry`;
}

/**
 * protoc's ToJsonName (descriptor.cc): underscores dropped, the next character upper-cased.
 * protoc writes json_name on every field of the descriptors it emits (CopyJsonNameTo), and
 * @bufbuild/protobuf takes JSON names only from there, so we do the same.
 */
export function jsonName(fieldName: string): string {
  let out = '';
  let capNext = false;
  for (const c of fieldName) {
    if (c === '_') capNext = true;
    else if (capNext) {
      out += c >= 'a' && c <= 'z' ? c.toUpperCase() : c;
      capNext = false;
    } else out += c;
  }
  return out;
}

const before = (a: Loc, b: Loc): number => a.line - b.line || a.col - b.col;

class Encoder {
  private readonly proto3: boolean;
  private readonly pkg: string;

  constructor(private readonly input: EncodeInput) {
    this.proto3 = input.file.syntax === 'proto3' || input.file.edition !== null;
    this.pkg = input.file.packageName ?? '';
  }

  file(fileName: string): Uint8Array {
    const f = this.input.file;
    const w = new WireWriter();
    w.string(1, fileName);
    if (f.packageName) w.string(2, f.packageName);
    // Only imports that resolved (a reference or a bundled file), as Confluent's DynamicSchema
    // does: a reader must be able to load every dependency by name.
    const loaded = (p: string): boolean => this.input.symbols.files.has(p);
    const deps = [...f.imports, ...f.publicImports, ...f.weakImports].filter(loaded);
    const unique = [...new Set(deps)];
    for (const d of unique) w.string(3, d);
    for (const type of f.types) if (type.kind === 'message') w.message(4, this.message(type, this.pkg));
    for (const type of f.types) if (type.kind === 'enum') w.message(5, this.enumType(type));
    for (const s of f.services) w.message(6, this.service(s));
    for (const e of f.extendDeclarations) for (const x of this.extension(e, this.pkg)) w.message(7, x);
    const opts = this.options(f.options, FILE_OPTIONS);
    if (opts) w.message(8, opts);
    for (const p of f.publicImports) if (loaded(p)) w.int(10, unique.indexOf(p));
    for (const p of f.weakImports) if (loaded(p)) w.int(11, unique.indexOf(p));
    if (f.edition !== null) {
      w.string(12, 'editions');
      // Edition enum: EDITION_2023 = 1000, EDITION_2024 = 1001.
      const edition = f.edition === '2023' ? 1000 : f.edition === '2024' ? 1001 : null;
      if (edition !== null) w.int(14, edition);
    } else if (f.syntax !== null) {
      w.string(12, f.syntax);
    }
    return w.finish();
  }

  private full(scope: string, name: string): string {
    return scope ? `${scope}.${name}` : name;
  }

  private message(m: MessageElement, scope: string): WireWriter {
    const fullName = this.full(scope, m.name);
    const w = new WireWriter().string(1, m.name);
    // Every field with its oneof index, in declaration order (protoc keeps source order).
    type Member = { loc: Loc; encode: () => WireWriter };
    const members: Member[] = [];
    const synthesized: WireWriter[] = [];
    const oneofNames = m.oneOfs.map((o) => o.name);
    const taken = new Set([...oneofNames, ...m.fields.map((f) => f.name)]);
    const synthetic: string[] = [];
    for (const f of m.fields) {
      const map = mapTypes(f.type);
      if (map) {
        const entry = mapEntryName(f.name);
        synthesized.push(this.mapEntry(f, entry, map.key, map.value));
        members.push({
          loc: f.loc,
          encode: () => this.field(f, fullName, { label: 'repeated', typeName: `.${fullName}.${entry}`, type: TYPE_MESSAGE }),
        });
      } else if (this.proto3 && f.label === 'optional') {
        // protoc: "_" + name, prefixed with "X" until it clashes with nothing.
        let name = f.name.startsWith('_') ? f.name : `_${f.name}`;
        while (taken.has(name)) name = `X${name}`;
        taken.add(name);
        const index = oneofNames.length + synthetic.push(name) - 1;
        members.push({ loc: f.loc, encode: () => this.field(f, fullName, { oneof: index, proto3Optional: true }) });
      } else {
        members.push({ loc: f.loc, encode: () => this.field(f, fullName) });
      }
    }
    m.oneOfs.forEach((o, i) => {
      for (const f of o.fields) members.push({ loc: f.loc, encode: () => this.field(f, fullName, { oneof: i }) });
      for (const g of o.groups) {
        synthesized.push(this.groupType(g, fullName));
        members.push({ loc: g.loc, encode: () => this.groupField(g, fullName, i) });
      }
    });
    for (const g of m.groups) {
      synthesized.push(this.groupType(g, fullName));
      members.push({ loc: g.loc, encode: () => this.groupField(g, fullName, null) });
    }
    members.sort((a, b) => before(a.loc, b.loc));
    for (const member of members) w.message(2, member.encode());
    for (const t of m.nestedTypes) if (t.kind === 'message') w.message(3, this.message(t, fullName));
    for (const s of synthesized) w.message(3, s);
    for (const t of m.nestedTypes) if (t.kind === 'enum') w.message(4, this.enumType(t));
    for (const e of m.extensions) {
      for (const v of e.values) {
        const [start, end] = typeof v === 'number' ? [v, v] : v;
        w.message(5, new WireWriter().int(1, start).int(2, end + 1));
      }
    }
    for (const e of m.extendDeclarations) for (const x of this.extension(e, fullName)) w.message(6, x);
    const opts = this.options(m.options, MESSAGE_OPTIONS);
    if (opts) w.message(7, opts);
    for (const name of [...oneofNames, ...synthetic]) w.message(8, new WireWriter().string(1, name));
    for (const r of m.reserveds) {
      for (const v of r.values) {
        if (typeof v === 'string') continue;
        const [start, end] = typeof v === 'number' ? [v, v] : v;
        w.message(9, new WireWriter().int(1, start).int(2, end + 1));
      }
    }
    for (const r of m.reserveds) for (const v of r.values) if (typeof v === 'string') w.string(10, v);
    return w;
  }

  private mapEntry(f: FieldElement, name: string, key: string, value: string): WireWriter {
    const w = new WireWriter().string(1, name);
    w.message(
      2,
      new WireWriter()
        .string(1, 'key')
        .int(3, 1)
        .int(4, LABELS.optional)
        .int(5, SCALAR_TYPE_NUMBERS.get(key) ?? TYPE_MESSAGE)
        .string(10, 'key'),
    );
    const v = new WireWriter().string(1, 'value').int(3, 2).int(4, LABELS.optional);
    this.typeOf(v, value, this.input.resolved.get(f));
    w.message(2, v.string(10, 'value'));
    w.message(7, new WireWriter().bool(7, true));
    return w;
  }

  /** Writes `type` (5) and `type_name` (6) for a type written as `type`. */
  private typeOf(w: WireWriter, type: string, info: TypeInfo | undefined): void {
    const scalar = SCALAR_TYPE_NUMBERS.get(type);
    if (scalar !== undefined) {
      w.int(5, scalar);
      return;
    }
    if (info) {
      w.int(5, info.element.kind === 'enum' ? TYPE_ENUM : TYPE_MESSAGE).string(6, `.${info.fullName}`);
      return;
    }
    // Unresolved (only possible in tolerated, unloaded imports): keep the name; readers qualify it.
    w.int(5, TYPE_MESSAGE).string(6, type);
  }

  private field(
    f: FieldElement,
    scope: string,
    extra: { label?: Label; type?: number; typeName?: string; oneof?: number; proto3Optional?: boolean; extendee?: string } = {},
  ): WireWriter {
    const w = new WireWriter().string(1, f.name);
    if (extra.extendee !== undefined) w.string(2, extra.extendee);
    w.int(3, f.tag);
    w.int(4, LABELS[extra.label ?? f.label ?? 'optional']);
    if (extra.type !== undefined) {
      w.int(5, extra.type);
      if (extra.typeName !== undefined) w.string(6, extra.typeName);
    } else {
      this.typeOf(w, f.type, this.input.resolved.get(f));
    }
    if (f.defaultValue !== null) w.string(7, defaultValueText(f.type, f.defaultValue));
    const opts = this.options(f.options, FIELD_OPTIONS);
    if (opts) w.message(8, opts);
    if (extra.oneof !== undefined) w.int(9, extra.oneof);
    // Extensions have no JSON name of their own (their JSON key is "[full.name]").
    if (f.jsonName !== null) w.string(10, f.jsonName);
    else if (extra.extendee === undefined) w.string(10, jsonName(f.name));
    if (extra.proto3Optional) w.bool(17, true);
    return w;
  }

  /** protoc: a group is a TYPE_GROUP field named in lower case plus a nested message type. */
  private groupField(g: GroupElement, scope: string, oneof: number | null): WireWriter {
    const name = g.name.toLowerCase();
    const w = new WireWriter()
      .string(1, name)
      .int(3, g.tag)
      .int(4, LABELS[g.label ?? 'optional']);
    w.int(5, TYPE_GROUP).string(6, `.${scope}.${g.name}`);
    if (oneof !== null) w.int(9, oneof);
    w.string(10, jsonName(name));
    return w;
  }

  private groupType(g: GroupElement, scope: string): WireWriter {
    const fullName = `${scope}.${g.name}`;
    const w = new WireWriter().string(1, g.name);
    for (const f of g.fields) w.message(2, this.field(f, fullName));
    return w;
  }

  private extension(e: ExtendElement, scope: string): WireWriter[] {
    const target = this.input.resolved.get(e);
    const extendee = target ? `.${target.fullName}` : e.name;
    return e.fields.map((f) => this.field(f, scope, { extendee }));
  }

  private enumType(e: EnumElement): WireWriter {
    const w = new WireWriter().string(1, e.name);
    for (const c of e.constants) {
      const v = new WireWriter().string(1, c.name).int(2, c.tag);
      const opts = this.options(c.options, ENUM_VALUE_OPTIONS);
      if (opts) v.message(3, opts);
      w.message(2, v);
    }
    const opts = this.options(e.options, ENUM_OPTIONS);
    if (opts) w.message(3, opts);
    for (const r of e.reserveds) {
      for (const v of r.values) {
        if (typeof v === 'string') continue;
        const [start, end] = typeof v === 'number' ? [v, v] : v;
        w.message(4, new WireWriter().int(1, start).int(2, end)); // inclusive for enums
      }
    }
    for (const r of e.reserveds) for (const v of r.values) if (typeof v === 'string') w.string(5, v);
    return w;
  }

  private service(s: ServiceElement): WireWriter {
    const w = new WireWriter().string(1, s.name);
    const visible = this.input.symbols.visibleFiles('');
    const qualify = (t: string): string => {
      const info = this.input.symbols.resolve(t, this.pkg, visible);
      return info ? `.${info.fullName}` : t;
    };
    for (const r of s.rpcs) {
      const m = new WireWriter().string(1, r.name).string(2, qualify(r.requestType)).string(3, qualify(r.responseType));
      const opts = this.options(r.options, METHOD_OPTIONS);
      if (opts) m.message(4, opts);
      if (r.requestStreaming) m.bool(5, true);
      if (r.responseStreaming) m.bool(6, true);
      w.message(2, m);
    }
    const opts = this.options(s.options, SERVICE_OPTIONS);
    if (opts) w.message(3, opts);
    return w;
  }

  /**
   * The known options of one options message and Confluent's Meta; other custom options are not
   * encoded. Written in field-number order, as protobuf-java and protoc serialize (Meta, 1088, is
   * last); an option set twice keeps its last value.
   */
  private options(options: OptionElement[], known: readonly KnownOption[]): WireWriter | null {
    const byNumber = new Map<number, (w: WireWriter) => void>();
    for (const o of options) {
      if (o.parenthesized || typeof o.value !== 'string') continue;
      const k = known.find((x) => x.name === o.name);
      if (!k) continue;
      const value = o.value;
      if (k.type === 'bool') {
        if (value === 'true' || value === 'false') byNumber.set(k.number, (w) => w.bool(k.number, value === 'true'));
      } else if (k.type === 'string') {
        if (o.kind === 'STRING') byNumber.set(k.number, (w) => w.string(k.number, value));
      } else {
        const n = k.type.enum.indexOf(value);
        if (n > 0 || (n === 0 && value !== '')) byNumber.set(k.number, (w) => w.int(k.number, n));
      }
    }
    const w = new WireWriter();
    for (const [, write] of [...byNumber].sort(([a], [b]) => a - b)) write(w);
    encodeMeta(w, options, metaNameOf(known));
    return w.length > 0 ? w : null;
  }
}

/**
 * FieldDescriptorProto.default_value text (descriptor.proto): integers in decimal, bytes C-escaped,
 * strings, enums (value name), bools and floats as written.
 */
function defaultValueText(type: string, value: string): string {
  if (type === 'bytes') {
    // The parser keeps escapes like \377 as code units 0..255: those are the bytes themselves.
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

/** protobuf's CEscape: printable ASCII kept, \n \r \t \" \' \\ named, the rest as 3-digit octal. */
export function cEscape(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    switch (b) {
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x22:
        out += '\\"';
        break;
      case 0x27:
        out += "\\'";
        break;
      case 0x5c:
        out += '\\\\';
        break;
      default:
        out += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\${b.toString(8).padStart(3, '0')}`;
    }
  }
  return out;
}
