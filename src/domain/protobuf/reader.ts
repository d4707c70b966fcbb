import { SchemaParseError } from '../errors';
import type { Loc } from './ast';

/**
 * The lexical layer of the .proto parser: whitespace and comments, words, quoted strings,
 * punctuation, with 1-based line:column positions for error messages. It works on characters
 * like Wire's SyntaxReader (a "word" is [A-Za-z0-9_.+-], so `1.5e-3`, `-inf`, `0x1F` and
 * `foo.Bar` are each one word); the parser checks words against the grammar.
 */
export class Reader {
  private pos = 0;
  private line = 1;
  private lineStart = 0;

  constructor(private readonly data: string) {}

  /** Position of the next token (after blanks and comments). */
  location(): Loc {
    this.skipWhitespace();
    return this.rawLocation();
  }

  private rawLocation(): Loc {
    return { line: this.line, col: this.pos - this.lineStart + 1 };
  }

  fail(message: string, at: Loc = this.rawLocation()): never {
    throw new SchemaParseError(`Syntax error at ${at.line}:${at.col}: ${message}`);
  }

  exhausted(): boolean {
    this.skipWhitespace();
    return this.pos >= this.data.length;
  }

  /** The next non-blank character, not consumed. Fails at end of input. */
  peekChar(): string {
    this.skipWhitespace();
    if (this.pos >= this.data.length) this.fail('unexpected end of file');
    return this.data[this.pos];
  }

  /** Consumes `c` if it is next; reports whether it was. */
  eat(c: string): boolean {
    if (this.peekChar() === c) {
      this.pos++;
      return true;
    }
    return false;
  }

  readChar(): string {
    const c = this.peekChar();
    this.pos++;
    return c;
  }

  require(c: string, what?: string): void {
    const at = this.location();
    const got = this.peekChar();
    if (got !== c) this.fail(`expected '${c}'${what ? ` ${what}` : ''} but was '${got}'`, at);
    this.pos++;
  }

  /** A non-empty run of word characters. */
  readWord(what = 'a word'): string {
    this.skipWhitespace();
    const start = this.pos;
    while (this.pos < this.data.length) {
      const c = this.data.charCodeAt(this.pos);
      const isWord = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45;
      // '+' only inside a number's exponent (1e+5).
      const isExpSign = c === 43 && this.pos > start && /[0-9.][eE]$/.test(this.data.slice(Math.max(start, this.pos - 2), this.pos));
      if (!isWord && !isExpSign) break;
      this.pos++;
    }
    if (start === this.pos) {
      if (this.pos >= this.data.length) this.fail(`expected ${what} but reached end of file`);
      this.fail(`expected ${what} but was '${this.data[this.pos]}'`);
    }
    return this.data.slice(start, this.pos);
  }

  /** An identifier: letters, digits, underscores, not starting with a digit. */
  readIdent(what = 'an identifier'): string {
    const at = this.location();
    const w = this.readWord(what);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(w)) this.fail(`expected ${what} but was '${w}'`, at);
    return w;
  }

  /** A possibly qualified type name: `Foo`, `a.b.Foo`, `.a.b.Foo`. */
  readTypeName(what = 'a type name'): string {
    const at = this.location();
    const w = this.readWord(what);
    if (!/^\.?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(w)) this.fail(`expected ${what} but was '${w}'`, at);
    return w;
  }

  /** An integer literal (decimal, 0x hex, 0 octal), optionally negative. */
  readInt(what = 'an integer'): number {
    const at = this.location();
    const w = this.readWord(what);
    const n = parseIntLiteral(w);
    if (n === null) this.fail(`expected ${what} but was '${w}'`, at);
    return n;
  }

  /** A quoted string; adjacent literals are concatenated ("a" "b" == "ab"). */
  readQuotedString(): string {
    let quote = this.readChar();
    if (quote !== '"' && quote !== "'") this.fail(`expected a quoted string but was '${quote}'`);
    let out = '';
    for (;;) {
      if (this.pos >= this.data.length) this.fail('unterminated string');
      let c = this.data[this.pos++];
      if (c === quote) {
        this.skipWhitespace();
        const next = this.data[this.pos];
        if (next === '"' || next === "'") {
          quote = next;
          this.pos++;
          continue;
        }
        return out;
      }
      if (c === '\n') this.fail('unterminated string (newline inside a string literal)');
      if (c === '\\') {
        if (this.pos >= this.data.length) this.fail('unterminated string');
        c = this.data[this.pos++];
        switch (c) {
          case 'a':
            c = '\u0007';
            break;
          case 'b':
            c = '\b';
            break;
          case 'f':
            c = '\f';
            break;
          case 'n':
            c = '\n';
            break;
          case 'r':
            c = '\r';
            break;
          case 't':
            c = '\t';
            break;
          case 'v':
            c = '\u000b';
            break;
          case 'x':
          case 'X':
            c = String.fromCharCode(this.readNumericEscape(16, 2));
            break;
          case 'u':
            c = String.fromCharCode(this.readNumericEscape(16, 4));
            break;
          default:
            if (c >= '0' && c <= '7') {
              this.pos--;
              c = String.fromCharCode(this.readNumericEscape(8, 3));
            }
        }
      }
      out += c;
    }
  }

  private readNumericEscape(radix: number, len: number): number {
    let value = -1;
    const end = Math.min(this.pos + len, this.data.length);
    while (this.pos < end) {
      const d = parseInt(this.data[this.pos], radix);
      if (Number.isNaN(d)) break;
      value = value < 0 ? d : value * radix + d;
      this.pos++;
    }
    if (value < 0) this.fail('expected a digit in escape sequence');
    return value;
  }

  private skipWhitespace(): void {
    const d = this.data;
    while (this.pos < d.length) {
      const c = d[this.pos];
      if (c === '\n') {
        this.pos++;
        this.line++;
        this.lineStart = this.pos;
      } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
        this.pos++;
      } else if (c === '/' && d[this.pos + 1] === '/') {
        while (this.pos < d.length && d[this.pos] !== '\n') this.pos++;
      } else if (c === '/' && d[this.pos + 1] === '*') {
        const at = this.rawLocation();
        this.pos += 2;
        for (;;) {
          if (this.pos >= d.length) this.fail('unterminated comment', at);
          if (d[this.pos] === '*' && d[this.pos + 1] === '/') {
            this.pos += 2;
            break;
          }
          if (d[this.pos] === '\n') {
            this.line++;
            this.lineStart = this.pos + 1;
          }
          this.pos++;
        }
      } else {
        return;
      }
    }
  }
}

/** Parses a protobuf integer literal; null if the text is not one (or not a safe integer). */
export function parseIntLiteral(w: string): number | null {
  let s = w;
  let sign = 1;
  if (s.startsWith('-')) {
    sign = -1;
    s = s.slice(1);
  }
  let n: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) n = parseInt(s.slice(2), 16);
  else if (/^0[0-7]+$/.test(s)) n = parseInt(s.slice(1), 8);
  else if (/^(0|[1-9][0-9]*)$/.test(s)) n = parseInt(s, 10);
  else return null;
  if (!Number.isSafeInteger(n)) return null;
  return sign * n;
}
