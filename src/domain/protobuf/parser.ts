import { SchemaParseError } from '../errors';
import {
  MAX_TAG,
  type EnumConstantElement,
  type EnumElement,
  type ExtendElement,
  type ExtensionsElement,
  type FieldElement,
  type GroupElement,
  type Label,
  type Loc,
  type MessageElement,
  type OneOfElement,
  type OptionElement,
  type OptionMapValue,
  type ProtoFile,
  type ReservedElement,
  type ReservedValue,
  type RpcElement,
  type ServiceElement,
} from './ast';
import { PROTOBUF_LIMITS } from './limits';
import { parseIntLiteral, Reader } from './reader';

/**
 * Recursive-descent parser for proto2/proto3 text (the grammar of
 * https://protobuf.dev/reference/protobuf/proto2-spec/ and proto3-spec/), producing the
 * Wire-shaped model of ast.ts. Structure follows Wire's ProtoParser (which Confluent uses), with
 * stricter token checks (identifiers, integers) so that protoc-invalid text is rejected here with
 * a line:column message. Semantic checks (numbers, names, types) are in linker.ts.
 */

/** Limits that keep hostile input bounded (stack depth and work): PROTOBUF_LIMITS. */
export const MAX_SCHEMA_LENGTH = PROTOBUF_LIMITS.maxSchemaChars;
export const MAX_NESTING = PROTOBUF_LIMITS.maxNesting;
const MAX_OPTION_DEPTH = PROTOBUF_LIMITS.maxOptionDepth;

type Context = 'FILE' | 'MESSAGE' | 'ENUM' | 'SERVICE' | 'RPC' | 'EXTEND';

export function parseProto(text: string): ProtoFile {
  if (text.length > MAX_SCHEMA_LENGTH) {
    throw new SchemaParseError(`Protobuf schema is too large (${text.length} characters; limit ${MAX_SCHEMA_LENGTH})`);
  }
  return new Parser(text).readFile();
}

class Parser {
  private readonly r: Reader;
  private readonly file: ProtoFile = {
    syntax: null,
    edition: null,
    packageName: null,
    imports: [],
    publicImports: [],
    weakImports: [],
    options: [],
    types: [],
    extendDeclarations: [],
    services: [],
  };
  private declarationCount = 0;
  private depth = 0;

  constructor(text: string) {
    this.r = new Reader(text);
  }

  private get proto3(): boolean {
    return this.file.syntax === 'proto3' || this.file.edition !== null;
  }

  readFile(): ProtoFile {
    const r: Reader = this.r;
    while (!r.exhausted()) {
      const index = this.declarationCount++;
      if (r.eat(';')) continue;
      const at = r.location();
      const word = r.readWord('a declaration');
      switch (word) {
        case 'syntax':
        case 'edition': {
          if (this.file.syntax !== null || this.file.edition !== null) r.fail('too many syntax definitions', at);
          if (index !== 0) r.fail(`'${word}' element must be the first declaration in a file`, at);
          r.require('=');
          const sAt = r.location();
          const value = r.readQuotedString();
          if (word === 'syntax') {
            if (value !== 'proto2' && value !== 'proto3') r.fail(`unexpected syntax: "${value}" (expected "proto2" or "proto3")`, sAt);
            this.file.syntax = value;
          } else {
            if (!/^[0-9]{4}$/.test(value)) r.fail(`unknown edition: "${value}"`, sAt);
            this.file.edition = value;
          }
          r.require(';');
          break;
        }
        case 'package': {
          if (this.file.packageName !== null) r.fail('too many package names', at);
          const name = r.readTypeName('a package name');
          if (name.startsWith('.')) r.fail(`invalid package name '${name}'`, at);
          this.file.packageName = name;
          r.require(';');
          break;
        }
        case 'import': {
          const c = r.peekChar();
          let list = this.file.imports;
          if (c !== '"' && c !== "'") {
            const kind = r.readWord();
            if (kind === 'public') list = this.file.publicImports;
            else if (kind === 'weak') list = this.file.weakImports;
            else r.fail(`expected a quoted import path, 'public' or 'weak' but was '${kind}'`, at);
          }
          const path = r.readQuotedString();
          if (path.length === 0) r.fail('empty import path', at);
          list.push(path);
          r.require(';');
          break;
        }
        case 'option':
          this.file.options.push(this.readOption('='));
          r.require(';');
          break;
        case 'message':
        case 'enum': {
          const t = word === 'message' ? this.readMessage(at) : this.readEnum(at);
          const dup = this.file.types.find((x) => x.name === t.name);
          if (dup) r.fail(`${t.name} is already defined at ${dup.loc.line}:${dup.loc.col}`, at);
          this.file.types.push(t);
          break;
        }
        case 'service': {
          const s = this.readService(at);
          const dup = this.file.services.find((x) => x.name === s.name);
          if (dup) r.fail(`${s.name} is already defined at ${dup.loc.line}:${dup.loc.col}`, at);
          this.file.services.push(s);
          break;
        }
        case 'extend':
          this.file.extendDeclarations.push(this.readExtend(at));
          break;
        default:
          r.fail(`unexpected label: ${word}`, at);
      }
    }
    return this.file;
  }

  private enter(at: Loc): void {
    if (++this.depth > MAX_NESTING) this.r.fail(`nesting deeper than ${MAX_NESTING} levels`, at);
  }

  private readMessage(at: Loc): MessageElement {
    const r: Reader = this.r;
    const name = r.readIdent('a message name');
    this.enter(at);
    const m: MessageElement = {
      kind: 'message',
      loc: at,
      name,
      options: [],
      reserveds: [],
      fields: [],
      oneOfs: [],
      groups: [],
      extensions: [],
      nestedTypes: [],
      extendDeclarations: [],
    };
    r.require('{', 'after message name');
    while (!r.eat('}')) {
      if (r.eat(';')) continue;
      const dAt = r.location();
      const word = r.readWord('a field, option or declaration');
      switch (word) {
        case 'option':
          m.options.push(this.readOption('='));
          r.require(';');
          break;
        case 'reserved':
          m.reserveds.push(this.readReserved(dAt, 'MESSAGE'));
          break;
        case 'message':
          m.nestedTypes.push(this.readMessage(dAt));
          break;
        case 'enum':
          m.nestedTypes.push(this.readEnum(dAt));
          break;
        case 'extend':
          m.extendDeclarations.push(this.readExtend(dAt));
          break;
        case 'oneof':
          m.oneOfs.push(this.readOneOf(dAt));
          break;
        case 'extensions':
          m.extensions.push(this.readExtensions(dAt));
          break;
        default: {
          const f = this.readField(dAt, word, 'MESSAGE');
          if ('fields' in f) m.groups.push(f);
          else m.fields.push(f);
        }
      }
    }
    this.depth--;
    return m;
  }

  private readEnum(at: Loc): EnumElement {
    const r: Reader = this.r;
    const name = r.readIdent('an enum name');
    const e: EnumElement = { kind: 'enum', loc: at, name, options: [], constants: [], reserveds: [] };
    r.require('{', 'after enum name');
    while (!r.eat('}')) {
      if (r.eat(';')) continue;
      const cAt = r.location();
      const word = r.readWord('an enum value');
      if (word === 'option') {
        e.options.push(this.readOption('='));
        r.require(';');
      } else if (word === 'reserved') {
        e.reserveds.push(this.readReserved(cAt, 'ENUM'));
      } else {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(word)) r.fail(`expected an enum value name but was '${word}'`, cAt);
        r.require('=', `after enum value ${word}`);
        const tag = r.readInt('an enum value number');
        if (tag < -2147483648 || tag > 2147483647) r.fail(`enum value ${word} = ${tag} is out of the int32 range`, cAt);
        const options = this.readBracketOptions();
        r.require(';');
        const c: EnumConstantElement = { loc: cAt, name: word, tag, options };
        e.constants.push(c);
      }
    }
    return e;
  }

  /** A field (or proto2 group) after its first word, which is a label or the type. */
  private readField(at: Loc, word: string, _context: Context): FieldElement | GroupElement {
    const r: Reader = this.r;
    let label: Label | null = null;
    let type: string;
    if (word === 'required' || word === 'optional' || word === 'repeated') {
      label = word;
      if (word === 'required' && this.file.syntax === 'proto3') r.fail("'required' label forbidden in proto3 field declarations", at);
      type = this.readDataType();
    } else {
      type = this.readDataType(word, at);
      const isMap = type.startsWith('map<');
      if (!this.proto3 && !isMap) {
        r.fail(`unexpected label: ${word} (proto2 fields need 'optional', 'required' or 'repeated')`, at);
      }
    }
    if (type.startsWith('map<') && label !== null) r.fail("'map' type cannot have label", at);
    if (type === 'group') return this.readGroup(at, label);
    return this.readFieldRest(at, label, type);
  }

  /** Reads a scalar, message/enum name or `map<K, V>`; `first` is an already-read word. */
  private readDataType(first?: string, at?: Loc): string {
    const r: Reader = this.r;
    const wAt = at ?? r.location();
    const word = first ?? r.readWord('a type');
    if (word === 'map' && r.peekChar() === '<') {
      r.require('<');
      const key = r.readTypeName('a map key type');
      r.require(',', 'in map type');
      const vAt = r.location();
      const value = r.readTypeName('a map value type');
      if (value === 'map') r.fail('map value cannot be a map', vAt);
      r.require('>', 'to close map type');
      return `map<${key}, ${value}>`;
    }
    if (!/^\.?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(word)) r.fail(`expected a type but was '${word}'`, wAt);
    return word;
  }

  private readFieldRest(at: Loc, label: Label | null, type: string): FieldElement {
    const r: Reader = this.r;
    const nAt = r.location();
    const name = r.readWord('a field name');
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      r.fail(/^[0-9]/.test(name) ? 'field and constant names cannot start with a digit' : `invalid field name '${name}'`, nAt);
    }
    r.require('=', `after field name ${name}`);
    const tag = r.readInt('a field number');
    const options = this.readBracketOptions();
    r.require(';', `after field ${name}`);
    // Wire: `default` and `json_name` are not options (they are absent from FieldOptions).
    let defaultValue: string | null = null;
    let jsonName: string | null = null;
    const kept: OptionElement[] = [];
    for (const o of options) {
      if (!o.parenthesized && o.name === 'default' && o.kind !== 'OPTION') {
        if (typeof o.value !== 'string') r.fail('invalid default value', at);
        defaultValue = o.value;
      } else if (!o.parenthesized && o.name === 'json_name' && o.kind !== 'OPTION') {
        if (o.kind !== 'STRING' || typeof o.value !== 'string') r.fail('json_name must be a string', at);
        jsonName = o.value;
      } else {
        kept.push(o);
      }
    }
    return { loc: at, label, type, name, tag, defaultValue, jsonName, options: kept };
  }

  private readGroup(at: Loc, label: Label | null): GroupElement {
    const r: Reader = this.r;
    if (this.proto3) r.fail('groups are not supported in proto3', at);
    const nAt = r.location();
    const name = r.readIdent('a group name');
    if (!/^[A-Z]/.test(name)) r.fail('group names must start with a capital letter', nAt);
    r.require('=');
    const tag = r.readInt('a field number');
    this.enter(at);
    r.require('{');
    const fields: FieldElement[] = [];
    while (!r.eat('}')) {
      if (r.eat(';')) continue;
      const fAt = r.location();
      const word = r.readWord('a field');
      const f = this.readField(fAt, word, 'MESSAGE');
      if ('fields' in f) r.fail('nested groups inside groups are not supported', fAt);
      fields.push(f);
    }
    this.depth--;
    return { loc: at, label, name, tag, fields };
  }

  private readOneOf(at: Loc): OneOfElement {
    const r: Reader = this.r;
    const name = r.readIdent('a oneof name');
    const o: OneOfElement = { loc: at, name, options: [], fields: [], groups: [] };
    r.require('{');
    while (!r.eat('}')) {
      if (r.eat(';')) continue;
      const fAt = r.location();
      const word = r.readWord('a oneof field');
      if (word === 'option') {
        o.options.push(this.readOption('='));
        r.require(';');
        continue;
      }
      if (word === 'required' || word === 'optional' || word === 'repeated') r.fail('fields in oneofs must not have labels', fAt);
      const type = this.readDataType(word, fAt);
      if (type.startsWith('map<')) r.fail('map fields are not allowed in oneofs', fAt);
      if (type === 'group') o.groups.push(this.readGroup(fAt, null));
      else o.fields.push(this.readFieldRest(fAt, null, type));
    }
    if (o.fields.length === 0 && o.groups.length === 0) r.fail(`oneof ${name} must have at least one field`, at);
    return o;
  }

  private readExtend(at: Loc): ExtendElement {
    const r: Reader = this.r;
    const name = r.readTypeName('an extended type name');
    const fields: FieldElement[] = [];
    r.require('{');
    while (!r.eat('}')) {
      if (r.eat(';')) continue;
      const fAt = r.location();
      const word = r.readWord('a field');
      const f = this.readField(fAt, word, 'EXTEND');
      if ('fields' in f) r.fail('groups in extend blocks are not supported', fAt);
      if (f.type.startsWith('map<')) r.fail('map fields are not allowed in extend blocks', fAt);
      if (f.label === 'required') r.fail('extension fields cannot be required', fAt);
      fields.push(f);
    }
    return { loc: at, name, fields };
  }

  private readReserved(at: Loc, context: Context): ReservedElement {
    const r: Reader = this.r;
    const values: ReservedValue[] = [];
    for (;;) {
      const c = r.peekChar();
      if (c === '"' || c === "'") {
        const vAt = r.location();
        const s = r.readQuotedString();
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) r.fail(`reserved name "${s}" is not a valid identifier`, vAt);
        values.push(s);
      } else {
        const start = r.readInt('a reserved number or name');
        const next = r.peekChar();
        if (next === ',' || next === ';') {
          values.push(start);
        } else {
          const toAt = r.location();
          if (r.readWord() !== 'to') r.fail("expected ',', ';', or 'to'", toAt);
          const endAt = r.location();
          const endWord = r.readWord('a range end');
          const end = endWord === 'max' ? (context === 'ENUM' ? 2147483647 : MAX_TAG) : parseIntLiteral(endWord);
          if (end === null) r.fail(`expected an integer or 'max' but was '${endWord}'`, endAt);
          if (end < start) r.fail(`reserved range end ${end} is before its start ${start}`, endAt);
          values.push([start, end]);
        }
      }
      const sep = r.readChar();
      if (sep === ';') break;
      if (sep !== ',') r.fail(`expected ',' or ';' but was '${sep}'`);
    }
    return { loc: at, values };
  }

  private readExtensions(at: Loc): ExtensionsElement {
    const r: Reader = this.r;
    if (this.file.syntax === 'proto3') r.fail('extension ranges are not allowed in proto3', at);
    const values: (number | [number, number])[] = [];
    let options: OptionElement[] = [];
    for (;;) {
      const start = r.readInt('an extension number');
      const next = r.peekChar();
      if (next === ',' || next === ';' || next === '[') {
        values.push(start);
      } else {
        const toAt = r.location();
        if (r.readWord() !== 'to') r.fail("expected ',', ';', '[' or 'to'", toAt);
        const endAt = r.location();
        const endWord = r.readWord('a range end');
        const end = endWord === 'max' ? MAX_TAG : parseIntLiteral(endWord);
        if (end === null) r.fail(`expected an integer or 'max' but was '${endWord}'`, endAt);
        if (end < start) r.fail(`extension range end ${end} is before its start ${start}`, endAt);
        values.push([start, end]);
      }
      if (r.peekChar() === '[') {
        options = this.readBracketOptions();
        r.require(';');
        break;
      }
      const sep = r.readChar();
      if (sep === ';') break;
      if (sep !== ',') r.fail(`expected ',' or ';' but was '${sep}'`);
    }
    return { loc: at, values, options };
  }

  private readService(at: Loc): ServiceElement {
    const r: Reader = this.r;
    const name = r.readIdent('a service name');
    const s: ServiceElement = { loc: at, name, options: [], rpcs: [] };
    r.require('{');
    while (!r.eat('}')) {
      if (r.eat(';')) continue;
      const dAt = r.location();
      const word = r.readWord('rpc or option');
      if (word === 'option') {
        s.options.push(this.readOption('='));
        r.require(';');
      } else if (word === 'rpc') {
        s.rpcs.push(this.readRpc(dAt));
      } else {
        r.fail(`unexpected label: ${word}`, dAt);
      }
    }
    return s;
  }

  private readRpc(at: Loc): RpcElement {
    const r: Reader = this.r;
    const name = r.readIdent('an rpc name');
    const readType = (): [string, boolean] => {
      r.require('(');
      let word = r.readWord('a message type');
      let streaming = false;
      if (word === 'stream' && r.peekChar() !== ')') {
        streaming = true;
        word = r.readWord('a message type');
      }
      const t = this.readDataType(word);
      if (t.startsWith('map<')) r.fail('rpc types must be message types');
      r.require(')');
      return [t, streaming];
    };
    const [requestType, requestStreaming] = readType();
    const retAt = r.location();
    if (r.readWord() !== 'returns') r.fail("expected 'returns'", retAt);
    const [responseType, responseStreaming] = readType();
    const options: OptionElement[] = [];
    if (r.eat('{')) {
      while (!r.eat('}')) {
        if (r.eat(';')) continue;
        const oAt = r.location();
        const word = r.readWord('option');
        if (word !== 'option') r.fail(`unexpected label: ${word}`, oAt);
        options.push(this.readOption('='));
        r.require(';');
      }
    } else {
      r.require(';');
    }
    return { loc: at, name, requestType, responseType, requestStreaming, responseStreaming, options };
  }

  /** `[a = 1, (b).c = "x"]` after a field or enum value; empty if absent. */
  private readBracketOptions(): OptionElement[] {
    const r: Reader = this.r;
    if (!r.eat('[')) return [];
    const out: OptionElement[] = [];
    for (;;) {
      out.push(this.readOption('='));
      if (r.eat(']')) break;
      const at = r.location();
      if (!r.eat(',')) r.fail(`expected ',' or ']' but was '${r.peekChar()}'`, at);
    }
    return out;
  }

  /** One option: name (plain, `(ext)`, `(ext).sub`, `[ext]` in aggregates), separator, value. */
  private readOption(separator: '=' | ':', depth = 0): OptionElement {
    const r: Reader = this.r;
    if (depth > MAX_OPTION_DEPTH) r.fail(`option value nested deeper than ${MAX_OPTION_DEPTH} levels`);
    const at = r.location();
    const first = r.peekChar();
    let name: string;
    let parenthesized = false;
    if (first === '(' || first === '[') {
      r.readChar();
      name = r.readTypeName('an option name');
      r.require(first === '(' ? ')' : ']');
      if (first === '(') parenthesized = true;
      else name = `[${name}]`;
    } else {
      name = r.readWord('an option name');
      if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(name)) r.fail(`invalid option name '${name}'`, at);
    }
    let subNames: string[] = [];
    if (r.peekChar() === '.') {
      r.readChar();
      // Sub-field paths may contain parenthesized extensions: (a).(b.c).d
      const parts: string[] = [];
      for (;;) {
        if (r.peekChar() === '(') {
          r.readChar();
          parts.push(`(${r.readTypeName('an option name')})`);
          r.require(')');
        } else {
          // Wire's OptionReader reads the rest as one dotted name, `(a).b.c`, and nests one
          // OPTION per component: (a) -> b -> c = value.
          const at = r.location();
          const word = r.readWord('an option field name');
          if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(word)) r.fail(`expected an option field name but was '${word}'`, at);
          parts.push(...word.split('.'));
        }
        if (r.peekChar() !== '.') break;
        r.readChar();
      }
      subNames = parts;
    }
    const c = r.peekChar();
    if (separator === ':' && c === '{') {
      // Text format: message values may omit the ':'.
    } else {
      r.require(separator, 'in option');
    }
    const read = this.readOptionValue(depth);
    let kind: OptionElement['kind'] = read.kind;
    let value: OptionElement['value'] = read.value;
    for (let i = subNames.length - 1; i >= 0; i--) {
      value = { name: subNames[i], kind, value, parenthesized: false };
      kind = 'OPTION';
    }
    return { name, kind, value, parenthesized };
  }

  private readOptionValue(depth: number): { kind: OptionElement['kind']; value: string | OptionMapValue } {
    const r: Reader = this.r;
    const c = r.peekChar();
    if (c === '{') return { kind: 'MAP', value: this.readOptionMap(depth + 1) };
    if (c === '[') return { kind: 'LIST', value: this.readOptionList(depth + 1) };
    if (c === '"' || c === "'") return { kind: 'STRING', value: r.readQuotedString() };
    const at = r.location();
    const word = r.readWord('an option value');
    if (/^[-+]?([0-9.]|inf$|nan$)/i.test(word) || word === '-inf' || word === 'inf' || word === 'nan') {
      if (!/^-?(0[xX][0-9a-fA-F]+|[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?|\.[0-9]+([eE][-+]?[0-9]+)?|inf|nan)[fF]?$/i.test(word)) {
        r.fail(`invalid number '${word}'`, at);
      }
      return { kind: 'NUMBER', value: word };
    }
    if (word === 'true' || word === 'false') return { kind: 'BOOLEAN', value: word };
    if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(word)) r.fail(`invalid option value '${word}'`, at);
    return { kind: 'ENUM', value: word };
  }

  /** `{ key: value, nested { ... }, list: [..] }`: repeated keys become lists, like Wire. */
  private readOptionMap(depth: number): OptionMapValue {
    const r: Reader = this.r;
    if (depth > MAX_OPTION_DEPTH) r.fail(`option value nested deeper than ${MAX_OPTION_DEPTH} levels`);
    const open = r.readChar();
    const close = open === '<' ? '>' : '}';
    const entries: [string, OptionMapValue][] = [];
    const put = (key: string, v: OptionMapValue): void => {
      const i = entries.findIndex(([k]) => k === key);
      if (i < 0) {
        entries.push([key, v]);
        return;
      }
      const prev = entries[i][1];
      const items = v.type === 'list' ? v.items : [v];
      entries[i][1] = prev.type === 'list' ? { type: 'list', items: [...prev.items, ...items] } : { type: 'list', items: [prev, ...items] };
    };
    for (;;) {
      if (r.eat(close)) return { type: 'map', entries };
      const opt = this.readOption(':', depth + 1);
      const toMapValue = (kind: OptionElement['kind'], value: OptionElement['value']): OptionMapValue => {
        if (kind === 'OPTION') {
          const inner = value as OptionElement;
          return { type: 'map', entries: [[inner.name, toMapValue(inner.kind, inner.value)]] };
        }
        if (kind === 'MAP' || kind === 'LIST') return value as OptionMapValue;
        return { type: 'prim', kind, value: value as string };
      };
      const key = opt.parenthesized ? `(${opt.name})` : opt.name;
      if (opt.kind === 'OPTION') {
        // `a.b: 1` inside a map nests like Wire: { a: { b: 1 } }
        const inner = opt.value as OptionElement;
        const i = entries.findIndex(([k]) => k === key);
        const nested: OptionMapValue = i >= 0 && entries[i][1].type === 'map' ? entries[i][1] : { type: 'map', entries: [] };
        nested.entries.push([inner.name, toMapValue(inner.kind, inner.value)]);
        if (i < 0) entries.push([key, nested]);
      } else {
        put(key, toMapValue(opt.kind, opt.value));
      }
      if (!r.eat(',')) r.eat(';');
    }
  }

  private readOptionList(depth: number): OptionMapValue {
    const r: Reader = this.r;
    if (depth > MAX_OPTION_DEPTH) r.fail(`option value nested deeper than ${MAX_OPTION_DEPTH} levels`);
    r.require('[');
    const items: OptionMapValue[] = [];
    for (;;) {
      if (r.eat(']')) return { type: 'list', items };
      const { kind, value } = this.readOptionValue(depth);
      items.push(kind === 'MAP' || kind === 'LIST' ? (value as OptionMapValue) : { type: 'prim', kind: kind as 'STRING', value: value as string });
      if (r.eat(',')) continue;
      const at = r.location();
      if (r.peekChar() !== ']') r.fail("expected ',' or ']'", at);
    }
  }
}
