/**
 * A small JSON reader/writer that behaves like the Jackson setup Avro Java uses
 * (org.apache.avro.Schema.FACTORY/MAPPER), because the canonical string Confluent stores is
 * Jackson's output:
 * - numbers keep their lexeme: Jackson makes IntNode/LongNode/BigIntegerNode for integral
 *   literals and DoubleNode for anything with '.', 'e' or 'E'; `1` and `1.0` print differently;
 * - objects keep key order; a duplicate key keeps its first position and its last value
 *   (Jackson ObjectNode is a LinkedHashMap, duplicates allowed by default);
 * - comments are accepted (Schema.FACTORY enables JsonParser.Feature.ALLOW_COMMENTS);
 * - strings are escaped like Jackson's generator (short escapes for \b \t \n \f \r, \u00XX with
 *   upper-case hex for the other control characters, nothing else escaped).
 * Work is bounded: input length and nesting depth are capped by the caller's limits.
 */
import { javaDoubleToString, javaFloatToString } from './java-number';

/** A JSON number with its source lexeme (or a value produced by a Java-side conversion). */
export class JNum {
  constructor(
    /** Lexeme as read, or a canonical JS number string for converted values. */
    readonly raw: string,
    /** 'int' = integral literal; 'double' = floating literal (Jackson DoubleNode); 'float' = Java float. */
    readonly kind: 'int' | 'double' | 'float',
  ) {}
  get value(): number {
    return Number(this.raw);
  }
  isIntegral(): boolean {
    return this.kind === 'int';
  }
  /** Jackson canConvertToInt / canConvertToLong for integral nodes. */
  fitsInt(): boolean {
    return this.kind === 'int' && inRange(this.raw, -2147483648n, 2147483647n);
  }
  fitsLong(): boolean {
    return this.kind === 'int' && inRange(this.raw, -9223372036854775808n, 9223372036854775807n);
  }
}

function inRange(raw: string, lo: bigint, hi: bigint): boolean {
  const v = BigInt(raw);
  return v >= lo && v <= hi;
}

export type JObj = Map<string, JVal>;
export type JVal = null | boolean | string | JNum | JVal[] | JObj;

export const isObj = (v: JVal | undefined): v is JObj => v instanceof Map;
export const isArr = (v: JVal | undefined): v is JVal[] => Array.isArray(v);
export const isNum = (v: JVal | undefined): v is JNum => v instanceof JNum;
/** Jackson JsonNode.textValue(): the string for textual nodes, null otherwise. */
export const textValue = (v: JVal | undefined): string | null => (typeof v === 'string' ? v : null);

export interface JsonLimits {
  maxDepth: number;
}

/** Thrown for malformed JSON; the message mimics Jackson's JsonParseException wording loosely. */
export class JsonSyntaxError extends Error {}

/**
 * Parse one JSON value. Returns undefined for empty/whitespace-only input (Jackson readTree
 * returns null there, which Avro reports as "Cannot parse <null> schema"). Trailing non-blank
 * content is reported through `trailing` (Avro 1.12 rejects it as dangling content).
 */
export function parseJson(text: string, limits: JsonLimits): { value: JVal | undefined; trailing: string } {
  const p = new Reader(text, limits);
  p.skipWs();
  if (p.pos >= text.length) return { value: undefined, trailing: '' };
  const value = p.value(0);
  p.skipWs();
  return { value, trailing: text.slice(p.pos).trim() };
}

class Reader {
  pos = 0;
  constructor(
    private readonly s: string,
    private readonly limits: JsonLimits,
  ) {}

  fail(what: string): never {
    let line = 1;
    let col = 1;
    for (let i = 0; i < this.pos && i < this.s.length; i++) {
      if (this.s.charCodeAt(i) === 10) {
        line++;
        col = 1;
      } else col++;
    }
    throw new JsonSyntaxError(`${what}\n at [Source: (String); line: ${line}, column: ${col}]`);
  }

  skipWs(): void {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) {
        this.pos++;
      } else if (c === 47 /* / */) {
        const n = s.charCodeAt(this.pos + 1);
        if (n === 47) {
          const end = s.indexOf('\n', this.pos + 2);
          this.pos = end < 0 ? s.length : end + 1;
        } else if (n === 42) {
          const end = s.indexOf('*/', this.pos + 2);
          if (end < 0) {
            this.pos = s.length;
            this.fail('Unexpected end-of-input in a comment');
          }
          this.pos = end + 2;
        } else {
          this.fail("Unexpected character ('/' (code 47)): maybe a (non-standard) comment?");
        }
      } else return;
    }
  }

  describe(): string {
    if (this.pos >= this.s.length) return 'Unexpected end-of-input';
    const ch = this.s[this.pos];
    return `Unexpected character ('${ch}' (code ${ch.charCodeAt(0)}))`;
  }

  value(depth: number): JVal {
    if (depth > this.limits.maxDepth) {
      this.fail(`Document nesting depth exceeds the maximum allowed (${this.limits.maxDepth})`);
    }
    this.skipWs();
    const c = this.s[this.pos];
    switch (c) {
      case '{':
        return this.object(depth);
      case '[':
        return this.array(depth);
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      default:
        if (c === '-' || (c >= '0' && c <= '9')) return this.number();
        this.fail(`${this.describe()}: expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`);
    }
  }

  literal<T extends JVal>(word: string, v: T): T {
    if (this.s.startsWith(word, this.pos)) {
      const after = this.s.charCodeAt(this.pos + word.length);
      // Jackson rejects "truex" as an unrecognized token
      if (!(after >= 97 && after <= 122) && !(after >= 65 && after <= 90) && !(after >= 48 && after <= 57)) {
        this.pos += word.length;
        return v;
      }
    }
    this.fail(
      `Unrecognized token '${this.s.slice(this.pos, this.pos + 20).split(/[\s,:\]}]/)[0]}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`,
    );
  }

  number(): JNum {
    const m = /^-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.s.slice(this.pos, this.pos + 1100));
    if (!m || m[0] === '-') this.fail(`${this.describe()}: invalid numeric value`);
    if (/[0-9.eE]/.test(this.s.charAt(this.pos + m[0].length))) {
      this.pos += m[0].length;
      this.fail(`${this.describe()}: invalid numeric value`);
    }
    this.pos += m[0].length;
    return new JNum(m[0], /[.eE]/.test(m[0]) ? 'double' : 'int');
  }

  string(): string {
    const s = this.s;
    this.pos++; // opening quote
    let out = '';
    let start = this.pos;
    for (;;) {
      if (this.pos >= s.length) this.fail('Unexpected end-of-input: was expecting closing quote for a string value');
      const c = s.charCodeAt(this.pos);
      if (c === 34) {
        out += s.slice(start, this.pos);
        this.pos++;
        return out;
      }
      if (c < 32) {
        this.fail(`Illegal unquoted character ((CTRL-CHAR, code ${c})): has to be escaped using backslash to be included in string value`);
      }
      if (c === 92) {
        out += s.slice(start, this.pos);
        const e = s.charAt(this.pos + 1); // '' past the end
        this.pos += 2;
        switch (e) {
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case '/':
            out += '/';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            const hex = s.slice(this.pos, this.pos + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Unexpected character: expected a hex-digit for character escape sequence');
            out += String.fromCharCode(parseInt(hex, 16));
            this.pos += 4;
            break;
          }
          default:
            this.pos--;
            this.fail(`Unrecognized character escape '${e}'`);
        }
        start = this.pos;
      } else this.pos++;
    }
  }

  array(depth: number): JVal[] {
    this.pos++;
    const out: JVal[] = [];
    this.skipWs();
    if (this.s[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.skipWs();
      const c = this.s[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ']') {
        this.pos++;
        return out;
      }
      this.fail(`${this.describe()}: was expecting comma to separate Array entries`);
    }
  }

  object(depth: number): JObj {
    this.pos++;
    const out: JObj = new Map();
    this.skipWs();
    if (this.s[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWs();
      if (this.s[this.pos] !== '"') this.fail(`${this.describe()}: was expecting double-quote to start field name`);
      const key = this.string();
      this.skipWs();
      if (this.s[this.pos] !== ':') this.fail(`${this.describe()}: was expecting a colon to separate field name and value`);
      this.pos++;
      out.set(key, this.value(depth + 1)); // Map.set keeps the first position, last value wins
      this.skipWs();
      const c = this.s[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === '}') {
        this.pos++;
        return out;
      }
      this.fail(`${this.describe()}: was expecting comma to separate Object entries`);
    }
  }
}

/** Jackson's string escaping (WriterBasedJsonGenerator with default CharacterEscapes). */
export function quote(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 32 && c !== 34 && c !== 92) continue;
    out += s.slice(start, i);
    start = i + 1;
    switch (c) {
      case 34:
        out += '\\"';
        break;
      case 92:
        out += '\\\\';
        break;
      case 8:
        out += '\\b';
        break;
      case 9:
        out += '\\t';
        break;
      case 10:
        out += '\\n';
        break;
      case 12:
        out += '\\f';
        break;
      case 13:
        out += '\\r';
        break;
      default:
        out += '\\u00' + c.toString(16).toUpperCase().padStart(2, '0');
    }
  }
  return out + s.slice(start) + '"';
}

/** How Jackson prints a numeric node. Non-finite doubles are quoted (WRITE_NAN_AS_STRINGS is on by default). */
function numberText(n: JNum): string {
  if (n.kind === 'int') return BigInt(n.raw).toString();
  const v = n.value;
  if (!Number.isFinite(v)) return quote(javaDoubleToString(v));
  return n.kind === 'float' ? javaFloatToString(v) : javaDoubleToString(v);
}

/** Compact JSON exactly as Jackson's JsonNode.toString()/writeTree would print it. */
export function writeJson(v: JVal, sortKeys = false): string {
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'string') return quote(v);
  if (v instanceof JNum) return numberText(v);
  if (Array.isArray(v)) return '[' + v.map((e) => writeJson(e, sortKeys)).join(',') + ']';
  const keys = [...v.keys()];
  if (sortKeys) keys.sort(compareJavaStrings);
  return '{' + keys.map((k) => quote(k) + ':' + writeJson(v.get(k) as JVal, sortKeys)).join(',') + '}';
}

/** java.lang.String.compareTo: UTF-16 code unit order (what TreeMap/TreeSet use). */
export function compareJavaStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
