/**
 * ECMA-262 regular expression syntax, translated to RE2 syntax with ECMA's meaning (regex.ts runs
 * the result on re2js). RE2 syntax is not ECMA syntax: `\s` (RE2: ASCII only), `.` (RE2: all but
 * \n), `\uXXXX`, `\cX`, `[]`, `[^]`, identity and octal escapes, `\p{Script=…}` differ or do
 * not exist. So the source is parsed with the ECMA-262 grammar (22.2.1, `u` mode; then Annex B
 * B.1.2 for patterns only legal without the flag) and re-emitted token by token: literals become
 * `\x{..}`, classes are spelled out where RE2's differ, groups become non-capturing (a yes/no
 * search needs no captures). Matching is by code points in both grammars. Constructs RE2 cannot
 * run are parsed (they are valid ECMA) and reported in `unsupported`. docs/json-schema.md has the table.
 */
import { RE2JS } from 're2js';

/** A pattern that cannot be compiled; `reason` is what it uses or breaks, without the pattern (e.g. "lookbehind"). */
export class RegexError extends Error {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
    this.name = 'RegexError';
  }
}

class EcmaSyntaxError extends Error {}

/** Group nesting: this parser and re2js's recurse (re2js stops at 1000). */
const MAX_NESTING = 500;

/** Translated RE2 source, its estimated program size and its longest match in characters. */
export interface Piece {
  re: string;
  size: number;
  max: number;
}

/** One term of an alternative; `bol` marks `^`, `look` a lookahead (only legal at the front). */
export interface Term extends Piece {
  bol?: boolean;
  look?: { neg: boolean; body: Piece };
}

/** ECMA WhiteSpace + LineTerminator (what `\s` matches), as RE2 class items. RE2's `\s` is ASCII only. */
const WS = '\\x{9}-\\x{D}\\x{20}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}';
/** ECMA `.` without the s flag: anything but a LineTerminator (RE2's `.` only excludes \n). */
const DOT = '[^\\x{A}\\x{D}\\x{2028}\\x{2029}]';
/** RE2 has no `[]` nor `[^]`. */
const NOTHING = '[^\\x{0}-\\x{10FFFF}]';
const ANYTHING = '[\\x{0}-\\x{10FFFF}]';
/** What a syntax-only parse returns for any atom. */
const CHECKED: Piece = { re: '', size: 1, max: 1 };
/** A placeholder for what is refused (the pattern never compiles, but the parse goes on for syntax). */
const REFUSED: Piece = { re: '(?:)', size: 1, max: 0 };
/** `u`-mode identity escapes (and `-` inside a class). */
const SYNTAX_CHARS = '^$\\.*+?()[]{}|/';

/** General_Category values (short name first, then ECMA's aliases): RE2 knows only the short names. */
const GENERAL_CATEGORY = new Map<string, string>();
for (const e of (
  'C:Other,Cc:Control:cntrl,Cf:Format,Cn:Unassigned,Co:Private_Use,Cs:Surrogate,L:Letter,LC:Cased_Letter,' +
  'Ll:Lowercase_Letter,Lm:Modifier_Letter,Lo:Other_Letter,Lt:Titlecase_Letter,Lu:Uppercase_Letter,' +
  'M:Mark:Combining_Mark,Mc:Spacing_Mark,Me:Enclosing_Mark,Mn:Nonspacing_Mark,N:Number,Nd:Decimal_Number:digit,' +
  'Nl:Letter_Number,No:Other_Number,P:Punctuation:punct,Pc:Connector_Punctuation,Pd:Dash_Punctuation,' +
  'Pe:Close_Punctuation,Pf:Final_Punctuation,Pi:Initial_Punctuation,Po:Other_Punctuation,Ps:Open_Punctuation,' +
  'S:Symbol,Sc:Currency_Symbol,Sk:Modifier_Symbol,Sm:Math_Symbol,So:Other_Symbol,Z:Separator,Zl:Line_Separator,' +
  'Zp:Paragraph_Separator,Zs:Space_Separator'
).split(',')) {
  const names = e.split(':');
  for (const n of names) GENERAL_CATEGORY.set(n, names[0]);
}
/** ECMA binary properties whose re2js name differs. */
const BINARY_RENAMED: Record<string, string> = { ASCII: 'Ascii' };

const hex = (cp: number): string => `\\x{${cp.toString(16).toUpperCase()}}`;
const isAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const lit = (cp: number): Piece => ({ re: isAlnum(cp) ? String.fromCharCode(cp) : hex(cp), size: 1, max: 1 });
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/** Small caches of answers about `\p{…}` names (a finite vocabulary; refusals end a parse, so stay few). */
const propertyAnswers = new Map<string, boolean>();
function remembered(key: string, compute: () => boolean): boolean {
  let ok = propertyAnswers.get(key);
  if (ok === undefined) {
    ok = compute();
    if (propertyAnswers.size < 4096) propertyAnswers.set(key, ok);
  }
  return ok;
}

/**
 * Which `\p{…}` names ECMA-262 accepts is Unicode data the runtime has. It is asked with a pattern
 * that is only this escape (the body is [A-Za-z0-9_=] only): compiled, never run against any input.
 */
function ecmaProperty(body: string): boolean {
  return remembered('ecma:' + body, () => {
    try {
      new RegExp(`\\p{${body}}`, 'u');
      return true;
    } catch {
      return false;
    }
  });
}

function re2Knows(name: string): boolean {
  return remembered('re2:' + name, () => {
    try {
      RE2JS.compile(`\\p{${name}}`);
      return true;
    } catch {
      return false;
    }
  });
}

/** The re2js name for a valid ECMA property escape body, or undefined when re2js has no such table. */
function re2Property(body: string): string | undefined {
  const eq = body.indexOf('=');
  const key = eq < 0 ? undefined : body.slice(0, eq);
  const value = eq < 0 ? body : body.slice(eq + 1);
  if (key === 'General_Category' || key === 'gc' || (key === undefined && GENERAL_CATEGORY.has(value))) return GENERAL_CATEGORY.get(value);
  if (key === 'Script' || key === 'sc' || key === undefined) {
    // re2js has scripts under their long names (no `Grek`), and a few binary properties
    const name = BINARY_RENAMED[value] ?? value;
    return re2Knows(name) ? name : undefined;
  }
  return undefined; // Script_Extensions
}

/** Counts capturing groups and collects group names (a backreference may point forward). */
function scanGroups(s: string): { count: number; names: Set<string> } {
  let count = 0;
  const names = new Set<string>();
  let inClass = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') {
      if (s[i + 1] !== '?') count++;
      else if (s[i + 2] === '<' && s[i + 3] !== '=' && s[i + 3] !== '!') {
        count++;
        // the name ends at `>`; stopping at a parenthesis keeps the scans disjoint (linear overall)
        let j = i + 3;
        while (j < s.length && j - i < 260 && s[j] !== '>' && s[j] !== '(' && s[j] !== ')') j++;
        if (s[j] === '>') names.add(s.slice(i + 3, j));
      }
    }
  }
  return { count, names };
}

/** Estimated RE2 instructions of `x{min,max}` (RE2 unrolls counted repetition). */
function repeatSize(size: number, min: number, max: number): number {
  if (max === Infinity) return Math.max(1, min) * size + 1;
  return min * size + (max - min) * (size + 1) || 1;
}

/** Alternatives as one piece (RE2 `a|b`). */
export function join(alts: Term[][]): Piece {
  let size = alts.length - 1;
  let max = 0;
  const res: string[] = [];
  for (const alt of alts) {
    let m = 0;
    let re = '';
    for (const t of alt) {
      re += t.re;
      size += t.size;
      m += t.max;
    }
    res.push(re);
    max = Math.max(max, m);
  }
  return { re: res.join('|'), size, max };
}

/**
 * Recursive descent over ECMA-262 `Pattern` (22.2.1), `u` mode or Annex B (B.1.2), emitting RE2.
 * Syntax errors throw EcmaSyntaxError; valid constructs RE2 cannot run set `unsupported` and the
 * parse goes on (so `format: "regex"` can tell valid from invalid).
 */
class EcmaParser {
  private i = 0;
  private depth = 0;
  private readonly captures: number;
  private readonly names: Set<string>;
  private readonly seenNames = new Set<string>();
  /** The first construct re2js cannot run. */
  unsupported: string | undefined;

  constructor(
    private readonly s: string,
    private readonly u: boolean,
    /** false: a syntax check only (format "regex" on document strings), no per-character allocation. */
    private readonly emit = true,
  ) {
    ({ count: this.captures, names: this.names } = scanGroups(s));
  }

  private lit(cp: number): Piece {
    return this.emit ? lit(cp) : CHECKED;
  }

  /** The code point at the cursor (callers know one is there). */
  private codePoint(): number {
    const cp = this.s.codePointAt(this.i);
    if (cp === undefined) this.fail('unexpected end of pattern');
    return cp;
  }

  private fail(msg: string): never {
    throw new EcmaSyntaxError(msg);
  }

  private refuse(what: string): Piece {
    this.unsupported ??= what;
    return REFUSED;
  }

  pattern(): Term[][] {
    const alts = this.disjunction();
    if (this.i < this.s.length) this.fail("unmatched ')'");
    return alts;
  }

  private disjunction(): Term[][] {
    const alts = [this.alternative()];
    while (this.s[this.i] === '|') {
      this.i++;
      alts.push(this.alternative());
    }
    return alts;
  }

  private alternative(): Term[] {
    const terms: Term[] = [];
    while (this.i < this.s.length && this.s[this.i] !== '|' && this.s[this.i] !== ')') {
      const t = this.term();
      if (this.emit) terms.push(t);
    }
    return terms;
  }

  /** Group body up to and including its `)`. */
  private group(): Piece {
    if (++this.depth > MAX_NESTING) this.fail(`groups nested deeper than ${MAX_NESTING}`);
    const alts = this.disjunction();
    if (this.s[this.i] !== ')') this.fail('unterminated group');
    this.i++;
    this.depth--;
    if (alts.some((a) => a.some((t) => t.look))) this.refuse('a lookahead that is not at the start of the pattern');
    return join(alts);
  }

  private term(): Term {
    const s = this.s;
    const c = s[this.i];
    // assertions: never quantifiable (a quantifier after one fails as "nothing to repeat")
    if (c === '^' || c === '$') {
      this.i++;
      return { re: c, size: 1, max: 0, bol: c === '^' };
    }
    if (c === '\\' && (s[this.i + 1] === 'b' || s[this.i + 1] === 'B')) {
      this.i += 2;
      return { re: '\\' + s[this.i - 1], size: 1, max: 0 }; // RE2's \b is ASCII, as ECMA's without /iu
    }
    if (c === '(' && s[this.i + 1] === '?' && (s[this.i + 2] === '=' || s[this.i + 2] === '!')) {
      const neg = s[this.i + 2] === '!';
      this.i += 3;
      const body = this.group();
      // Annex B lets a lookahead be quantified; such a thing is never needed, so it is refused
      if (!this.u && this.quantifier()) this.refuse('a quantified lookahead');
      return { ...REFUSED, look: { neg, body } };
    }
    if (c === '(' && s.startsWith('(?<', this.i) && (s[this.i + 3] === '=' || s[this.i + 3] === '!')) {
      this.i += 4;
      this.group();
      return this.refuse('a lookbehind');
    }
    return this.quantified(this.atom());
  }

  private atom(): Piece {
    const s = this.s;
    const c = s[this.i];
    switch (c) {
      case '(': {
        if (s.startsWith('(?:', this.i)) this.i += 3;
        else if (s.startsWith('(?<', this.i)) {
          this.i += 3;
          const name = this.groupName();
          if (this.seenNames.has(name)) this.fail(`duplicate capture group name '${name}'`);
          this.seenNames.add(name);
        } else if (s[this.i + 1] === '?') this.fail('invalid group');
        else this.i++;
        const body = this.group();
        return { re: `(?:${body.re})`, size: body.size, max: body.max };
      }
      case '[':
        return this.characterClass();
      case '.':
        this.i++;
        return { re: DOT, size: 1, max: 1 };
      case '\\':
        return this.atomEscape();
      case '*':
      case '+':
      case '?':
        return this.fail('nothing to repeat');
      case '{':
        if (this.u) this.fail(this.quantifier() ? 'nothing to repeat' : 'lone quantifier brackets');
        if (this.quantifier()) this.fail('nothing to repeat'); // Annex B: `{` is literal unless it reads as a quantifier
        this.i++;
        return this.lit(0x7b);
      case '}':
      case ']':
        if (this.u) this.fail(`lone '${c}'`);
        this.i++;
        return this.lit(c.charCodeAt(0));
      default: {
        const cp = this.codePoint();
        this.i += cp > 0xffff ? 2 : 1;
        return this.lit(cp);
      }
    }
  }

  /** `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}` (each optionally lazy, which a yes/no search ignores), or null. */
  private quantifier(): [number, number] | null {
    const s = this.s;
    const c = s[this.i];
    let q: [number, number] | null = null;
    if (c === '*') q = [0, Infinity];
    else if (c === '+') q = [1, Infinity];
    else if (c === '?') q = [0, 1];
    if (q) this.i++;
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i, this.i + 64));
      if (!m) return null; // u mode: the caller fails; Annex B: a literal `{`
      this.i += m[0].length;
      const upper = m.at(2) === undefined ? m[1] : m[3];
      q = [Number(m[1]), upper === '' ? Infinity : Number(upper)];
    } else return null;
    if (s[this.i] === '?') this.i++;
    return q;
  }

  private quantified(a: Piece): Piece {
    const at = this.i;
    const q = this.quantifier();
    if (!q) return a;
    const [min, max] = q;
    if (max < min) this.fail('numbers out of order in {} quantifier');
    // RE2 unrolls counted repetition and stops at 1000
    if (min > 1000 || (max !== Infinity && max > 1000)) return this.refuse(`a repetition count above 1000 (${this.s.slice(at, this.i)})`);
    const op =
      min === 0 && max === Infinity
        ? '*'
        : min === 1 && max === Infinity
          ? '+'
          : min === 0 && max === 1
            ? '?'
            : max === Infinity
              ? `{${min},}`
              : min === max
                ? `{${min}}`
                : `{${min},${max}}`;
    return { re: a.re + op, size: repeatSize(a.size, min, max), max: a.max === 0 || max === 0 ? 0 : a.max * max };
  }

  private groupName(): string {
    const rel = this.s.slice(this.i, this.i + 256).indexOf('>');
    if (rel < 0) this.fail('invalid capture group name');
    const end = this.i + rel;
    // \u escapes are legal in group names; decode them before the identifier check
    const name = this.s
      .slice(this.i, end)
      .replace(/\\u\{([0-9a-fA-F]{1,6})\}|\\u([0-9a-fA-F]{4})/g, (_: string, a: string | undefined, b: string) => {
        const v = parseInt(a ?? b, 16);
        return v <= 0x10ffff ? String.fromCodePoint(v) : '\\'; // out of range: makes the name invalid
      });
    if (!/^[$_\p{ID_Start}][$\u200c\u200d\p{ID_Continue}]*$/u.test(name)) this.fail('invalid capture group name');
    this.i = end + 1;
    return name;
  }

  private atomEscape(): Piece {
    const s = this.s;
    this.i++; // the backslash
    if (this.i >= s.length) this.fail('\\ at end of pattern');
    const c = s[this.i];
    if ('dDwW'.includes(c)) {
      this.i++;
      return { re: '\\' + c, size: 1, max: 1 }; // RE2's \d \w are ASCII, as ECMA's
    }
    if (c === 's' || c === 'S') {
      this.i++;
      return { re: c === 's' ? `[${WS}]` : `[^${WS}]`, size: 1, max: 1 };
    }
    if ((c === 'p' || c === 'P') && this.u) return { re: this.property(), size: 1, max: 1 };
    if (c === 'k' && (this.u || this.names.size > 0)) {
      const m = /^k<([^>]*)>/.exec(s.slice(this.i, this.i + 260));
      if (!m || !this.names.has(m[1])) this.fail('invalid named reference');
      this.i += m[0].length;
      return this.refuse('a backreference');
    }
    if (c >= '1' && c <= '9') {
      let end = this.i + 1;
      while (end < this.i + 12 && isDigit(s[end])) end++;
      const n = s.slice(this.i, end);
      if (Number(n) <= this.captures) {
        this.i += n.length;
        return this.refuse('a backreference');
      }
      if (this.u) this.fail('invalid escape');
      // Annex B: not a backreference, so an octal escape, or \8 \9 standing for themselves
    }
    return this.lit(this.characterEscape(false));
  }

  /** `\p{…}` / `\P{…}` (u mode) as RE2 syntax. */
  private property(): string {
    const neg = this.s[this.i] === 'P';
    const m = /^[pP]\{([A-Za-z0-9_]+(?:=[A-Za-z0-9_]+)?)\}/.exec(this.s.slice(this.i, this.i + 80));
    if (!m || !ecmaProperty(m[1])) this.fail('invalid property name');
    this.i += m[0].length;
    if (!this.emit) return '';
    const name = re2Property(m[1]);
    if (name === undefined)
      return this.refuse(`\\p{${m[1]}} (the engine has General_Category values, long Script names and a few binary properties)`).re;
    return `\\${neg ? 'P' : 'p'}{${name}}`;
  }

  /** CharacterEscape after the backslash: a code point. */
  private characterEscape(inClass: boolean): number {
    const s = this.s;
    const c = s[this.i];
    const control = 'fnrtv'.indexOf(c);
    if (control >= 0) {
      this.i++;
      return [12, 10, 13, 9, 11][control];
    }
    if (c === 'c') {
      const l = s.charAt(this.i + 1); // '' past the end
      if (/^[A-Za-z]$/.test(l)) {
        this.i += 2;
        return l.charCodeAt(0) % 32;
      }
      if (inClass && !this.u && (isDigit(l) || l === '_')) {
        this.i += 2;
        return l.charCodeAt(0) % 32;
      }
      if (this.u) this.fail('invalid unicode escape');
      return 0x5c; // Annex B: `\c` is a backslash, and the `c` is read next as itself
    }
    if (c === '0' && !isDigit(s[this.i + 1])) {
      this.i++;
      return 0;
    }
    if (isDigit(c)) {
      if (this.u) this.fail('invalid decimal escape');
      if (c === '8' || c === '9') {
        this.i++;
        return c.charCodeAt(0);
      }
      // Annex B LegacyOctalEscapeSequence: up to three octal digits, at most \377
      let v = 0;
      const maxDigits = c <= '3' ? 3 : 2;
      for (let n = 0; n < maxDigits && s[this.i] >= '0' && s[this.i] <= '7'; n++) v = v * 8 + Number(s[this.i++]);
      return v;
    }
    if (c === 'x') {
      if (isHex(s[this.i + 1]) && isHex(s[this.i + 2])) {
        this.i += 3;
        return parseInt(s.slice(this.i - 2, this.i), 16);
      }
      if (this.u) this.fail('invalid escape');
      this.i++;
      return 0x78;
    }
    if (c === 'u') {
      const cp = this.unicodeEscape();
      if (cp !== undefined) return cp;
      if (this.u) this.fail('invalid unicode escape');
      this.i++;
      return 0x75;
    }
    if (this.u) {
      if (!SYNTAX_CHARS.includes(c) && !(inClass && c === '-')) this.fail('invalid escape');
      this.i++;
      return c.charCodeAt(0);
    }
    const cp = this.codePoint(); // Annex B IdentityEscape: anything stands for itself
    this.i += cp > 0xffff ? 2 : 1;
    return cp;
  }

  /** `\uXXXX` (a surrogate pair of them is one code point), or `\u{…}` in u mode; undefined if none. */
  private unicodeEscape(): number | undefined {
    const s = this.s;
    if (this.u && s[this.i + 1] === '{') {
      const m = /^u\{([0-9a-fA-F]+)\}/.exec(s.slice(this.i, this.i + 16));
      if (!m || parseInt(m[1], 16) > 0x10ffff) this.fail('invalid unicode escape');
      this.i += m[0].length;
      return parseInt(m[1], 16);
    }
    const four = (at: number): number | undefined => (/^[0-9a-fA-F]{4}$/.test(s.slice(at, at + 4)) ? parseInt(s.slice(at, at + 4), 16) : undefined);
    const v = four(this.i + 1);
    if (v === undefined) return undefined;
    this.i += 5;
    if (v >= 0xd800 && v <= 0xdbff && s.startsWith('\\u', this.i)) {
      const lo = four(this.i + 2);
      if (lo !== undefined && lo >= 0xdc00 && lo <= 0xdfff) {
        this.i += 6;
        return 0x10000 + ((v - 0xd800) << 10) + (lo - 0xdc00);
      }
    }
    return v;
  }

  private characterClass(): Piece {
    const s = this.s;
    this.i++;
    const negated = s[this.i] === '^';
    if (negated) this.i++;
    const items: string[] = [];
    while (s[this.i] !== ']') {
      if (this.i >= s.length) this.fail('unterminated character class');
      const a = this.classAtom();
      if (s[this.i] === '-' && s[this.i + 1] !== ']' && this.i + 1 < s.length) {
        this.i++;
        const b = this.classAtom();
        if (typeof a === 'string' || typeof b === 'string') {
          if (this.u) this.fail('invalid character class');
          if (this.emit) items.push(typeof a === 'string' ? a : hex(a), hex(0x2d), typeof b === 'string' ? b : hex(b)); // Annex B: `[\w-a]` is \w, -, a
        } else {
          if (a > b) this.fail('range out of order in character class');
          if (this.emit) items.push(`${hex(a)}-${hex(b)}`);
        }
      } else if (this.emit) items.push(typeof a === 'string' ? a : hex(a));
    }
    this.i++;
    if (!this.emit) return CHECKED;
    if (items.length === 0) return { re: negated ? ANYTHING : NOTHING, size: 1, max: 1 };
    return { re: `[${negated ? '^' : ''}${items.join('')}]`, size: 1, max: 1 };
  }

  /** A code point, or a set as RE2 class items (`\d`, `\p{L}`, the \s ranges). */
  private classAtom(): number | string {
    const s = this.s;
    if (s[this.i] !== '\\') {
      const cp = this.codePoint();
      this.i += cp > 0xffff ? 2 : 1;
      return cp;
    }
    this.i++;
    if (this.i >= s.length) this.fail('\\ at end of pattern');
    const c = s[this.i];
    if ('dDwW'.includes(c)) {
      this.i++;
      return '\\' + c;
    }
    if (c === 's') {
      this.i++;
      return WS;
    }
    if (c === 'S') {
      this.i++;
      return NOT_WS;
    }
    if ((c === 'p' || c === 'P') && this.u) return this.property();
    if (c === 'b') {
      this.i++;
      return 8;
    }
    if (c === '-' && this.u) {
      this.i++;
      return 0x2d;
    }
    if (this.u && (c === 'B' || c === 'k' || (isDigit(c) && !(c === '0' && !isDigit(s[this.i + 1]))))) this.fail('invalid class escape');
    return this.characterEscape(true);
  }
}

/** The complement of WS over all code points: `\S` inside a class (RE2 cannot negate inside a class). */
const NOT_WS = (() => {
  const ranges: [number, number][] = [];
  for (const m of WS.matchAll(/\\x\{([0-9A-F]+)\}(?:-\\x\{([0-9A-F]+)\})?/g)) ranges.push([parseInt(m[1], 16), parseInt(m.at(2) ?? m[1], 16)]);
  let out = '';
  let next = 0;
  for (const [lo, hi] of ranges) {
    if (lo > next) out += lo - 1 > next ? `${hex(next)}-${hex(lo - 1)}` : hex(next);
    next = hi + 1;
  }
  return out + `${hex(next)}-${hex(0x10ffff)}`;
})();

/** A parse that succeeded: the top-level alternatives and the first construct re2js cannot run. */
export interface Parsed {
  alts: Term[][];
  unsupported: string | undefined;
}

/** ECMA syntax check and translation: the `u` grammar, then the Annex B one (as `new RegExp(s, 'u')`, then `new RegExp(s)`). */
export function parseEcma(source: string, checkOnly = false): Parsed {
  let first: EcmaSyntaxError | undefined;
  for (const u of checkOnly ? [true] : [true, false]) {
    try {
      const p = new EcmaParser(source, u, !checkOnly);
      return { alts: p.pattern(), unsupported: p.unsupported };
    } catch (e) {
      if (!(e instanceof EcmaSyntaxError)) throw e;
      first ??= e;
    }
  }
  const why = first?.message ?? 'invalid syntax';
  throw new RegexError(`invalid regular expression /${source}/: ${why}`, `invalid syntax (${why})`);
}

/**
 * `format: "regex"`: is `s` an ECMA-262 regular expression (`u` grammar, as `new RegExp(s, 'u')`)?
 * Only parses (linear in the length, bounded nesting); never compiles an automaton nor matches.
 */
export function isEcmaRegex(s: string): boolean {
  try {
    parseEcma(s, true);
    return true;
  } catch (e) {
    if (e instanceof RegexError) return false;
    throw e;
  }
}
