import { SchemaParseError } from '../errors';
import {
  MAX_TAG,
  mapTypes,
  SCALAR_TYPES,
  type EnumConstantElement,
  type EnumElement,
  type ExtendElement,
  type ExtensionsElement,
  type FieldElement,
  type GroupElement,
  type MessageElement,
  type OneOfElement,
  type OptionElement,
  type OptionMapValue,
  type ProtoFile,
  type ReservedElement,
  type RpcElement,
  type ServiceElement,
} from './ast';
import { DiffContext, mapTypeOf } from './confluent-context';

/**
 * The text Confluent stores for a Protobuf schema: ProtobufSchemaUtils.toString(ProtoFileElement)
 * (canonical) and toNormalizedString (normalize=true), ported to our Wire-shaped model. Layout:
 * syntax, package, blank line + imports, blank line + options, blank line + messages then enums
 * (not separated by blank lines), extends, services; bodies indented by two spaces with sections
 * (reserved, options, fields, oneofs, groups, extensions, nested types) separated by blank lines.
 * Normalization sorts imports, options, fields by number, enum values, reserved ranges and oneofs,
 * fully qualifies type names with a leading dot, and drops synthetic map-entry messages.
 * Comments are not kept (Confluent's printer drops them too).
 */

export function printCanonical(file: ProtoFile): string {
  return new Printer(new DiffContext(), false).file(file);
}

/** `ctx` must hold the schema's type info (DiffContext.collectTypeInfo, original side). */
export function printNormalized(file: ProtoFile, ctx: DiffContext): string {
  return new Printer(ctx, true).file(file);
}

const byName = (a: OptionElement, b: OptionElement): number => cmp(a.name, b.name);
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Java's String.split("\n") then two-space indentation (trailing empty pieces dropped). */
function indent(value: string): string {
  const lines = value.split('\n');
  while (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 1 && lines[0] === '' && value !== '') lines.pop();
  return lines.map((l) => `  ${l}\n`).join('');
}

/** ProtobufSchemaUtils.escapeChars. */
function escapeChars(s: string): string {
  let out = '';
  for (const ch of s) {
    switch (ch) {
      case '\u0007':
        out += '\\a';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\u000b':
        out += '\\v';
        break;
      case '\\':
        out += '\\\\';
        break;
      case "'":
        out += "\\'";
        break;
      case '"':
        out += '\\"';
        break;
      default:
        out += ch;
    }
  }
  return out;
}

class Printer {
  constructor(
    private readonly ctx: DiffContext,
    private readonly normalize: boolean,
  ) {}

  file(f: ProtoFile): string {
    let sb = '';
    if (f.syntax !== null) sb += `syntax = "${f.syntax}";\n`;
    if (f.edition !== null) sb += `edition = "${f.edition}";\n`;
    if (f.packageName !== null) sb += `package ${f.packageName};\n`;
    if (f.imports.length > 0 || f.publicImports.length > 0) {
      sb += '\n';
      for (const i of this.sortedDistinct(f.imports)) sb += `import "${i}";\n`;
      for (const i of this.sortedDistinct(f.publicImports)) sb += `import public "${i}";\n`;
    }
    if (f.options.length > 0) {
      sb += '\n';
      for (const o of this.sortOptions(f.options)) sb += this.optionDecl(o);
    }
    if (f.types.length > 0) {
      sb += '\n';
      for (const t of f.types) {
        if (t.kind !== 'message' || this.isSyntheticMap(t.name)) continue;
        sb += this.ctx.inName(t.name, () => this.message(t));
      }
      for (const t of f.types) if (t.kind === 'enum') sb += this.ctx.inName(t.name, () => this.enumType(t));
    }
    if (f.extendDeclarations.length > 0) {
      sb += '\n';
      for (const e of f.extendDeclarations) sb += wireExtend(e);
    }
    if (f.services.length > 0) {
      sb += '\n';
      for (const s of f.services) sb += this.service(s);
    }
    return sb;
  }

  private sortedDistinct(list: string[]): string[] {
    return this.normalize ? [...new Set(list)].sort(cmp) : list;
  }

  /** Normalized: one value per `reserved` line, sorted by number (names last, then by text). */
  private sortReserveds(reserveds: ReservedElement[]): ReservedElement[] {
    if (!this.normalize) return reserveds;
    const start = (r: ReservedElement): number => {
      const v = r.values[0];
      return typeof v === 'number' ? v : Array.isArray(v) ? v[0] : Number.MAX_SAFE_INTEGER;
    };
    return reserveds
      .flatMap((r) => r.values.map((v) => ({ loc: r.loc, values: [v] })))
      .sort((a, b) => start(a) - start(b) || cmp(reservedValueJava(a.values[0]), reservedValueJava(b.values[0])));
  }

  /** ProtobufSchemaUtils.toString(ReservedElement): `max` for the top of the range; normalized `n to n` is `n`. */
  private reserved(r: ReservedElement): string {
    const parts = r.values.map((v) => {
      if (typeof v === 'string') return `"${v}"`;
      if (typeof v === 'number') return String(v);
      return this.normalize && v[0] === v[1] ? String(v[0]) : `${v[0]} to ${v[1] < MAX_TAG ? v[1] : 'max'}`;
    });
    return `reserved ${parts.join(', ')};\n`;
  }

  private sortOptions(options: OptionElement[]): OptionElement[] {
    return this.normalize ? [...options].sort(byName) : options;
  }

  private isSyntheticMap(name: string): boolean {
    if (!this.normalize) return false;
    const info = this.ctx.getType(name, true);
    return info !== null && info.isMap;
  }

  private resolveOrThrow(type: string): string {
    const r = this.ctx.resolve(type, true);
    if (r === null) throw new SchemaParseError(`Could not resolve type: ${type}`);
    return `.${r}`;
  }

  private service(s: ServiceElement): string {
    let sb = `service ${s.name} {`;
    if (s.options.length > 0) {
      sb += '\n';
      for (const o of this.sortOptions(s.options)) sb += indent(this.optionDecl(o));
    }
    if (s.rpcs.length > 0) {
      sb += '\n';
      for (const r of s.rpcs) sb += indent(this.rpc(r));
    }
    return `${sb}}\n`;
  }

  private rpc(r: RpcElement): string {
    let sb = `rpc ${r.name} (`;
    if (r.requestStreaming) sb += 'stream ';
    sb += this.normalize ? this.resolveOrThrow(r.requestType) : r.requestType;
    sb += ') returns (';
    if (r.responseStreaming) sb += 'stream ';
    sb += this.normalize ? this.resolveOrThrow(r.responseType) : r.responseType;
    sb += ')';
    if (r.options.length > 0) {
      sb += ' {\n';
      for (const o of this.sortOptions(r.options)) sb += indent(this.optionDecl(o));
      sb += '}';
    }
    return `${sb};\n`;
  }

  private enumType(e: EnumElement): string {
    let sb = `enum ${e.name} {`;
    // Confluent prints an enum's reserved ranges/names first (no blank line after them).
    if (e.reserveds.length > 0) {
      sb += '\n';
      for (const r of this.sortReserveds(e.reserveds)) sb += indent(this.reserved(r));
    } else if (e.options.length > 0 || e.constants.length > 0) {
      sb += '\n';
    }
    for (const o of this.sortOptions(e.options)) sb += indent(this.optionDecl(o));
    const constants = this.normalize ? [...e.constants].sort((a, b) => a.tag - b.tag || cmp(a.name, b.name)) : e.constants;
    for (const c of constants) sb += indent(this.enumConstant(c));
    return `${sb}}\n`;
  }

  private enumConstant(c: EnumConstantElement): string {
    let sb = `${c.name} = ${c.tag}`;
    if (c.options.length > 0) sb += ` ${this.appendOptions(this.sortOptions(c.options))}`;
    return `${sb};\n`;
  }

  private message(m: MessageElement): string {
    let sb = `message ${m.name} {`;
    if (m.reserveds.length > 0) {
      sb += '\n';
      for (const r of this.sortReserveds(m.reserveds)) sb += indent(this.reserved(r));
    }
    if (m.options.length > 0) {
      sb += '\n';
      for (const o of this.sortOptions(m.options)) sb += indent(this.optionDecl(o));
    }
    if (m.fields.length > 0) {
      sb += '\n';
      const fields = this.normalize ? [...m.fields].sort((a, b) => a.tag - b.tag) : m.fields;
      for (const f of fields) sb += indent(this.field(f));
    }
    if (m.oneOfs.length > 0) {
      sb += '\n';
      let oneOfs = m.oneOfs;
      if (this.normalize) {
        oneOfs = m.oneOfs
          .filter((o) => o.fields.length > 0)
          .map((o) => ({ ...o, fields: [...o.fields].sort((a, b) => a.tag - b.tag) }))
          .sort((a, b) => a.fields[0].tag - b.fields[0].tag);
      }
      for (const o of oneOfs) sb += indent(this.oneOf(o));
    }
    if (m.groups.length > 0) {
      sb += '\n';
      for (const g of m.groups) sb += indent(wireGroup(g));
    }
    if (m.extensions.length > 0) {
      sb += '\n';
      if (this.normalize) {
        // Newer ProtobufSchemaUtils: one range per line, sorted by start, `n to n` printed as `n`.
        const start = (v: number | [number, number]): number => (typeof v === 'number' ? v : v[0]);
        const singles = m.extensions.flatMap((e) => e.values.map((v) => ({ ...e, values: [v] })));
        singles.sort((a, b) => start(a.values[0]) - start(b.values[0]));
        for (const e of singles) sb += indent(wireExtensions(e, true));
      } else {
        for (const e of m.extensions) sb += indent(wireExtensions(e));
      }
    }
    if (m.nestedTypes.length > 0) {
      sb += '\n';
      for (const t of m.nestedTypes) {
        if (t.kind !== 'message' || this.isSyntheticMap(t.name)) continue;
        sb += indent(this.ctx.inName(t.name, () => this.message(t)));
      }
      for (const t of m.nestedTypes) if (t.kind === 'enum') sb += indent(this.ctx.inName(t.name, () => this.enumType(t)));
    }
    return `${sb}}\n`;
  }

  private oneOf(o: OneOfElement): string {
    let sb = `oneof ${o.name} {`;
    if (o.options.length > 0) {
      sb += '\n';
      for (const op of this.sortOptions(o.options)) sb += indent(this.optionDecl(op));
    }
    if (o.fields.length > 0) {
      sb += '\n';
      for (const f of o.fields) sb += indent(this.field(f));
    }
    if (o.groups.length > 0) {
      sb += '\n';
      for (const g of o.groups) sb += indent(wireGroup(g));
    }
    return `${sb}}\n`;
  }

  private field(f: FieldElement): string {
    let label = f.label;
    let fieldType = f.type;
    if (this.normalize) {
      let protoType = fieldType;
      if (!SCALAR_TYPES.has(fieldType) && !fieldType.startsWith('map<')) {
        fieldType = this.resolveOrThrow(fieldType);
        const info = this.ctx.getTypeForFullName(fieldType, true);
        protoType = (info && mapTypeOf(info)) ?? fieldType;
      }
      const mt = mapTypes(protoType);
      if (mt) {
        const valueType = this.ctx.resolve(mt.value, true);
        if (valueType !== null) protoType = `map<${mt.key}, .${valueType}>`;
        label = null;
      }
      fieldType = protoType;
    }
    let sb = label !== null ? `${label} ` : '';
    sb += `${fieldType} ${f.name} = ${f.tag}`;
    const options = [...f.options];
    if (f.defaultValue !== null) options.push({ name: 'default', kind: defaultKind(fieldType), value: f.defaultValue, parenthesized: false });
    if (f.jsonName !== null) options.push({ name: 'json_name', kind: 'STRING', value: f.jsonName, parenthesized: false });
    if (options.length > 0) {
      if (this.normalize) options.sort(byName);
      sb += ` ${this.appendOptions(options)}`;
    }
    return `${sb};\n`;
  }

  private optionDecl(o: OptionElement): string {
    return `option ${this.option(o)};\n`;
  }

  private appendOptions(options: OptionElement[]): string {
    if (options.length === 1) return `[${this.option(options[0])}]`;
    let sb = '[\n';
    options.forEach((o, i) => {
      sb += indent(this.option(o) + (i < options.length - 1 ? ',' : ''));
    });
    return `${sb}]`;
  }

  private option(o: OptionElement): string {
    let sb = o.parenthesized ? `(${o.name})` : o.name;
    switch (o.kind) {
      case 'STRING':
        sb += ` = "${escapeChars(o.value as string)}"`;
        break;
      case 'NUMBER':
        sb += ` = ${this.normalize ? formatNumberNormalized(o.value as string) : (o.value as string)}`;
        break;
      case 'BOOLEAN':
      case 'ENUM':
        sb += ` = ${o.value as string}`;
        break;
      case 'OPTION':
        sb += `.${this.option({ ...(o.value as OptionElement), parenthesized: false })}`;
        break;
      case 'MAP':
        sb += ` = {\n${this.optionMap(o.value as OptionMapValue)}}`;
        break;
      case 'LIST': {
        // appendOptions: a single item stays inside `[...]` on the option's line.
        const v = o.value as OptionMapValue;
        const items = v.type === 'list' ? v.items : [v];
        if (items.length === 1) {
          sb += ` = [${this.optionMapValue(items[0])}]`;
        } else {
          sb += ' = [\n';
          items.forEach((item, i) => {
            sb += indent(this.optionMapValue(item) + (i < items.length - 1 ? ',' : ''));
          });
          sb += ']';
        }
        break;
      }
    }
    return sb;
  }

  private optionMap(v: OptionMapValue): string {
    if (v.type !== 'map') return '';
    const entries = this.normalize ? [...v.entries].sort((a, b) => cmp(a[0], b[0])) : v.entries;
    let sb = '';
    entries.forEach(([k, val], i) => {
      sb += indent(`${k}: ${this.optionMapValue(val)}${i !== entries.length - 1 ? ',' : ''}`);
    });
    return sb;
  }

  private optionMapValue(v: OptionMapValue): string {
    switch (v.type) {
      case 'prim':
        if (v.kind === 'STRING') return `"${escapeChars(v.value)}"`;
        return this.normalize && v.kind === 'NUMBER' ? formatNumberNormalized(v.value) : v.value;
      case 'map':
        return `{\n${this.optionMap(v)}}`;
      case 'list': {
        if (this.normalize && v.items.length === 1) return this.optionMapValue(v.items[0]);
        let sb = '[\n';
        v.items.forEach((item, i) => {
          sb += indent(this.optionMapValue(item) + (i !== v.items.length - 1 ? ',' : ''));
        });
        return `${sb}]`;
      }
    }
  }
}

/** FieldElement.toKind in Confluent's printer; bytes defaults are quoted here (see docs). */
function defaultKind(type: string): OptionElement['kind'] {
  const simple = type.slice(type.lastIndexOf('.') + 1);
  if (simple === 'bool') return 'BOOLEAN';
  if (simple === 'string' || simple === 'bytes') return 'STRING';
  if (SCALAR_TYPES.has(simple)) return 'NUMBER';
  return 'ENUM';
}

function reservedValueJava(v: ReservedElement['values'][number]): string {
  // Kotlin IntRange.toString() is "a..b".
  return Array.isArray(v) ? `${v[0]}..${v[1]}` : String(v);
}

// ---- Wire's own toSchema() for the elements Confluent delegates to it (groups, extensions, extend).

function wireOption(o: OptionElement): string {
  const name = o.parenthesized ? `(${o.name})` : o.name;
  switch (o.kind) {
    case 'STRING':
      return `${name} = "${o.value as string}"`;
    case 'OPTION':
      return `${name}.${wireOption({ ...(o.value as OptionElement), parenthesized: false })}`;
    case 'MAP':
    case 'LIST':
      return new Printer(new DiffContext(), false)['option'](o);
    default:
      return `${name} = ${o.value as string}`;
  }
}

function wireOptions(options: OptionElement[]): string {
  if (options.length === 1) return `[${wireOption(options[0])}]`;
  return `[\n${options.map((o, i) => indent(wireOption(o) + (i < options.length - 1 ? ',' : ''))).join('')}]`;
}

function wireField(f: FieldElement): string {
  let sb = f.label !== null ? `${f.label} ` : '';
  sb += `${f.type} ${f.name} = ${f.tag}`;
  const options = [...f.options];
  if (f.defaultValue !== null) options.push({ name: 'default', kind: defaultKind(f.type), value: f.defaultValue, parenthesized: false });
  if (f.jsonName !== null) options.push({ name: 'json_name', kind: 'STRING', value: f.jsonName, parenthesized: false });
  if (options.length > 0) sb += ` ${wireOptions(options)}`;
  return `${sb};\n`;
}

function wireGroup(g: GroupElement): string {
  let sb = g.label !== null ? `${g.label} ` : '';
  sb += `group ${g.name} = ${g.tag} {`;
  if (g.fields.length > 0) {
    sb += '\n';
    for (const f of g.fields) sb += indent(wireField(f));
  }
  return `${sb}}\n`;
}

function wireExtensions(e: ExtensionsElement, normalize = false): string {
  const parts = e.values.map((v) =>
    typeof v === 'number' ? String(v) : normalize && v[0] === v[1] ? String(v[0]) : `${v[0]} to ${v[1] < MAX_TAG ? v[1] : 'max'}`,
  );
  let sb = `extensions ${parts.join(', ')}`;
  if (e.options.length > 0) sb += ` ${wireOptions(e.options)}`;
  return `${sb};\n`;
}

function wireExtend(e: ExtendElement): string {
  let sb = `extend ${e.name} {`;
  if (e.fields.length > 0) {
    sb += '\n';
    for (const f of e.fields) sb += indent(wireField(f));
  }
  return `${sb}}\n`;
}

/**
 * Normalized option numbers (newer ProtobufSchemaUtils.formatNumber): commons-lang
 * NumberUtils.createNumber, then java.text.DecimalFormat without grouping (at most three
 * fraction digits, HALF_EVEN). So `10f` -> `10`, `-2.0` -> `-2`, `1.23f` -> `1.23`, `0x10` -> `16`.
 * Values createNumber rejects (inf, nan, ...) are printed as written.
 */
function formatNumberNormalized(text: string): string {
  const neg = text.startsWith('-');
  let body = /^[+-]/.test(text) ? text.slice(1) : text;
  const sign = neg ? '-' : '';
  if (/^0[xX][0-9a-fA-F]+[lL]?$/.test(body)) return sign + BigInt(body.replace(/[lL]$/, '')).toString();
  if (/^0[0-7]+[lL]?$/.test(body)) return sign + BigInt(`0o${body.replace(/[lL]$/, '').slice(1)}`).toString();
  if (/^[0-9]+[lL]?$/.test(body)) return sign + BigInt(body.replace(/[lL]$/, '')).toString();
  const suffix = /[fFdD]$/.test(body) ? body[body.length - 1].toLowerCase() : '';
  if (suffix) body = body.slice(0, -1);
  if (!/^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(body)) return text;
  let x = Number(sign + body);
  if (!Number.isFinite(x)) return text;
  // createNumber picks Float for an `f` suffix or for at most 7 fraction digits (when finite).
  const fraction = /\.([0-9]*)/.exec(body)?.[1].length ?? 0;
  if (suffix === 'f' || (suffix === '' && fraction <= 7 && Number.isFinite(Math.fround(x)) && !(Math.fround(x) === 0 && x !== 0))) {
    x = Math.fround(x);
  }
  return decimalFormat(x);
}

/** java.text.DecimalFormat() with grouping off: up to three fraction digits, HALF_EVEN. */
function decimalFormat(x: number): string {
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  let s: string;
  if (a >= 1e21) {
    // Shortest round-trip digits padded with zeros, as Java's FloatingDecimal gives them.
    const [mant, exp] = a.toExponential().split('e');
    const digits = mant.replace('.', '');
    s = digits + '0'.repeat(Number(exp) - (digits.length - 1));
  } else {
    s = a.toFixed(3);
    const scaled = a * 1000;
    // toFixed rounds exact ties up; DecimalFormat rounds them to even.
    if (Number.isInteger(scaled * 2) && !Number.isInteger(scaled) && Math.floor(scaled) % 2 === 0) {
      s = (Math.floor(scaled) / 1000).toFixed(3);
    }
    s = s.replace(/\.?0+$/, '');
  }
  return (neg ? '-' : '') + s;
}
