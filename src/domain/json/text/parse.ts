/**
 * A strict, bounded JSON (RFC 8259) parser producing an order-preserving tree.
 * Differences from Jackson as Confluent configures it, on purpose (see docs/json-schema.md):
 * NaN/Infinity are rejected (Jackson's ALLOW_NON_NUMERIC_NUMBERS accepts them, but no schema needs
 * them and JS cannot round-trip them) and trailing content after the document is rejected.
 * Duplicate keys behave as in Jackson's tree model: the last value wins, at the first key's position.
 */
import type { JNode } from './ast';

export class JsonTextError extends Error {}

export interface ParseLimits {
  maxChars: number;
  maxDepth: number;
}

export function parseJsonText(text: string, limits: ParseLimits): JNode {
  if (text.length > limits.maxChars) {
    throw new JsonTextError(`document is ${text.length} characters long, the limit is ${limits.maxChars}`);
  }
  const p = new Parser(text, limits.maxDepth);
  p.ws();
  const v = p.value(0);
  p.ws();
  if (p.i < text.length) p.fail('unexpected content after the JSON document');
  return v;
}

const NUM_RE = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;

class Parser {
  i = 0;
  constructor(
    readonly s: string,
    readonly maxDepth: number,
  ) {}

  fail(why: string): never {
    let line = 1;
    let col = 1;
    for (let k = 0; k < this.i && k < this.s.length; k++) {
      if (this.s.charCodeAt(k) === 10) {
        line++;
        col = 1;
      } else col++;
    }
    throw new JsonTextError(`${why} at line ${line}, column ${col}`);
  }

  ws(): void {
    const s = this.s;
    let i = this.i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.i = i;
  }

  value(depth: number): JNode {
    if (this.i >= this.s.length) return this.fail('unexpected end of input');
    const c = this.s[this.i];
    switch (c) {
      case '{':
        return this.object(depth + 1);
      case '[':
        return this.array(depth + 1);
      case '"':
        return { t: 'str', v: this.string() };
      case 't':
        return this.word('true', { t: 'bool', v: true });
      case 'f':
        return this.word('false', { t: 'bool', v: false });
      case 'n':
        return this.word('null', { t: 'null' });
      default:
        if (c === '-' || (c >= '0' && c <= '9')) return this.number();
        if (c === 'N' || c === 'I' || c === '+') this.fail('NaN and Infinity are not valid JSON numbers');
        return this.fail(`unexpected character '${c}'`);
    }
  }

  word(w: string, node: JNode): JNode {
    if (!this.s.startsWith(w, this.i)) this.fail(`unexpected token, expected '${w}'`);
    this.i += w.length;
    return node;
  }

  number(): JNode {
    NUM_RE.lastIndex = this.i;
    const m = NUM_RE.exec(this.s);
    if (!m) this.fail('invalid number');
    const raw = m[0];
    this.i += raw.length;
    if (this.i < this.s.length && /[0-9.eE+\-a-zA-Z]/.test(this.s[this.i])) this.fail('invalid number');
    if (raw === '-' || raw.endsWith('-')) this.fail('invalid number');
    return { t: 'num', raw, int: m.at(1) === undefined && m.at(2) === undefined };
  }

  string(): string {
    const s = this.s;
    let i = this.i + 1;
    let out = '';
    let start = i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 34) break; // "
      if (Number.isNaN(c)) {
        this.i = i;
        this.fail('unterminated string');
      }
      if (c < 0x20) {
        this.i = i;
        this.fail('unescaped control character in string');
      }
      if (c === 92) {
        out += s.slice(start, i);
        const e = s[i + 1];
        i += 2;
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
            const hex = s.slice(i, i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
              this.i = i;
              this.fail('invalid \\u escape');
            }
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
            break;
          }
          default:
            this.i = i - 1;
            this.fail('invalid escape in string');
        }
        start = i;
      } else i++;
    }
    out += s.slice(start, i);
    this.i = i + 1;
    return out;
  }

  array(depth: number): JNode {
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth}`);
    this.i++;
    const items: JNode[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return { t: 'arr', items };
    }
    for (;;) {
      this.ws();
      items.push(this.value(depth));
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return { t: 'arr', items };
      if (c !== ',') {
        this.i--;
        this.fail("expected ',' or ']'");
      }
    }
  }

  object(depth: number): JNode {
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth}`);
    this.i++;
    const entries = new Map<string, JNode>();
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return { t: 'obj', entries };
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('expected a property name in double quotes');
      const k = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail("expected ':'");
      this.i++;
      this.ws();
      entries.set(k, this.value(depth));
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return { t: 'obj', entries };
      if (c !== ',') {
        this.i--;
        this.fail("expected ',' or '}'");
      }
    }
  }
}
