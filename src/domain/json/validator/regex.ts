/**
 * `pattern` / `patternProperties` regular expressions, on a linear-time engine.
 *
 * JSON Schema patterns are ECMA-262 regular expressions, searched unanchored. They come from schema
 * writers and run against payloads from anyone, so they never run on a backtracking engine: V8's
 * takes exponential time on `^(a+)+$` against forty `a`s and a `!`. They run on re2js (RE2/RE2J in
 * plain JavaScript: automata, no backtracking, no code generation), whose time is linear in
 * program size × input length; `cost()` states that product so callers can budget it.
 *
 * ecma-regex.ts translates the ECMA source to RE2 syntax. What RE2 cannot run is refused with a
 * RegexError (registration answers 42201): backreferences, lookbehind, lookahead other than a
 * leading `^(?=…)(?!…)` conjunction (run here as separate anchored programs), repetition counts
 * above 1000, and `\p{…}` names re2js lacks. docs/json-schema.md, "Regular expressions".
 */
import { RE2JS } from 're2js';
import { JSON_LIMITS } from '../limits';
import { RegexError, type Term, isEcmaRegex, join, parseEcma } from './ecma-regex';

export { RegexError, isEcmaRegex };

export const REGEX_LIMITS = {
  /** RE2 instructions one pattern may compile to: compiling costs µs per instruction. */
  maxProgram: 10_000,
  /** DFA cache per pattern in bytes as re2js counts them (its default, 8 MiB, would let a few hostile patterns fill the isolate). */
  dfaBytes: 64 * 1024,
  /** Patterns whose DFA may hold states at a time; the least recently used one is cleared. */
  liveDfas: 256,
  /** Compiled patterns (and refusals) kept in module scope by source. */
  cacheSize: 4096,
} as const;

/** A compiled pattern. `test` is ECMA `RegExp.prototype.test` for a flagless `new RegExp(source)`. */
export interface Pattern {
  readonly engine: 're2js';
  /** RE2 instructions of all parts (budgeted per schema). */
  readonly program: number;
  test(s: string): boolean;
  /** Upper bound of the work `test` does on a string of `length` UTF-16 units (instructions × characters). */
  cost(length: number): number;
}

/** One anchored or unanchored RE2 program; the pattern holds when every part's verdict is `!neg`. */
interface Part {
  re: RE2JS;
  neg: boolean;
  program: number;
  /** Longest match in characters when the part is anchored at the start (work stops there), else Infinity. */
  reach: number;
}

/**
 * re2js internals this module tunes (the version is pinned; a unit test checks they are still there):
 * each pattern's lazily built DFA cache, and its one-pass matcher.
 */
interface Re2Dfa {
  stateBudget: number;
  memBudget: number;
  stateCount: number;
  clearCache(): void;
}
interface Re2Internals {
  dfa?: Re2Dfa;
  onepass?: unknown;
}
function dfaOf(re: RE2JS): Re2Dfa | undefined {
  const dfa = (re.re2() as unknown as Re2Internals).dfa;
  return dfa && typeof dfa.clearCache === 'function' ? dfa : undefined;
}

/** Patterns whose DFA may hold states; each remembers when it last ran (a tick of `clock`). */
const liveDfas = new Set<LinearPattern>();
let clock = 0;

class LinearPattern implements Pattern {
  readonly engine = 're2js' as const;
  readonly program: number;

  constructor(private readonly parts: Part[]) {
    this.program = parts.reduce((n, p) => n + p.program, 0);
  }

  private lastRun = 0;

  test(s: string): boolean {
    this.lastRun = ++clock;
    if (!liveDfas.has(this)) {
      liveDfas.add(this);
      if (liveDfas.size > REGEX_LIMITS.liveDfas) {
        // only when a pattern joins the set: a scan of a few hundred entries, not per test
        let oldest: LinearPattern = this;
        for (const p of liveDfas) if (p.lastRun < oldest.lastRun) oldest = p;
        liveDfas.delete(oldest);
        oldest.clearDfas();
      }
    }
    for (const p of this.parts) if (p.re.test(s) === p.neg) return false;
    return true;
  }

  cost(length: number): number {
    let n = 0;
    // a start-anchored program is dead after `reach` characters; the rest is a cheap scan
    for (const p of this.parts) n += p.program * (Math.min(length, p.reach) + 1) + (p.reach === Infinity ? 0 : length);
    return n;
  }

  clearDfas(): void {
    for (const p of this.parts) dfaOf(p.re)?.clearCache();
  }

  /** For tests: each part's DFA byte budget and cached states. */
  dfas(): { bytes: number; states: number }[] {
    return this.parts.map((p) => ({ bytes: dfaOf(p.re)?.stateBudget ?? NaN, states: dfaOf(p.re)?.stateCount ?? NaN }));
  }
}

function compileRe2(re: string, neg: boolean, anchored: boolean, max: number): Part {
  const compiled = RE2JS.compile(re);
  const internals = compiled.re2() as unknown as Re2Internals;
  // a yes/no search needs no capture positions, and the DFA answers it about 3x faster than the
  // one-pass matcher re2js prefers for anchored patterns (same linear bound, same answer)
  if ('onepass' in internals) internals.onepass = null;
  const dfa = dfaOf(compiled);
  if (dfa) dfa.stateBudget = dfa.memBudget = REGEX_LIMITS.dfaBytes;
  return { re: compiled, neg, program: compiled.programSize(), reach: anchored ? max : Infinity };
}

function refused(source: string, why: string): RegexError {
  return new RegexError(`regular expression /${source}/ is not supported: it uses ${why}; patterns run on a linear-time engine (docs/json-schema.md, "Regular expressions")`);
}

function translateAndCompile(source: string): LinearPattern {
  const { alts, unsupported } = parseEcma(source);
  if (unsupported) throw refused(source, unsupported);
  // `^(?=A)(?!B)C` holds iff ^A, not ^B and ^C all match at position 0: three linear programs
  let looks: Term[] = [];
  if (alts.length === 1 && alts[0][0]?.bol) {
    let k = 1;
    while (alts[0][k]?.look) k++;
    looks = alts[0].slice(1, k);
  }
  if (alts.some((a) => a.some((t) => t.look && !looks.includes(t)))) throw refused(source, 'a lookahead that is not at the start of the pattern');
  const main = looks.length > 0 ? join([[alts[0][0], ...alts[0].slice(1 + looks.length)]]) : join(alts);
  const anchored = alts.every((a) => a[0]?.bol === true);
  const pieces = [{ re: main.re, neg: false, max: main.max, size: main.size }, ...looks.map((t) => ({ re: `^(?:${t.look!.body.re})`, neg: t.look!.neg, max: t.look!.body.max, size: t.look!.body.size }))];
  const estimate = pieces.reduce((n, p) => n + p.size, 0);
  if (estimate > REGEX_LIMITS.maxProgram) {
    throw new RegexError(`regular expression /${source}/ is too large: about ${estimate} automaton instructions, the limit is ${REGEX_LIMITS.maxProgram}`);
  }
  try {
    return new LinearPattern(pieces.map((p) => compileRe2(p.re, p.neg, anchored, p.max)));
  } catch (e) {
    // the translation only emits what RE2 parses; what is left is its size checks
    throw new RegexError(`regular expression /${source}/ is too complex for the linear-time engine: ${(e as Error).message}`);
  }
}

const cache = new Map<string, LinearPattern | RegexError>();

/** Compile (or reuse) `source`. Throws RegexError: invalid ECMA syntax, refused construct, too large. */
export function compilePattern(source: string): Pattern {
  let hit = cache.get(source);
  if (hit !== undefined) {
    cache.delete(source); // least recently used goes first
    cache.set(source, hit);
  } else {
    if (source.length > JSON_LIMITS.maxPatternLength) {
      throw new RegexError(`pattern is ${source.length} characters long, the limit is ${JSON_LIMITS.maxPatternLength}`);
    }
    try {
      hit = translateAndCompile(source);
    } catch (e) {
      if (!(e instanceof RegexError)) throw e;
      hit = e;
    }
    if (cache.size >= REGEX_LIMITS.cacheSize) cache.delete(cache.keys().next().value!);
    cache.set(source, hit);
  }
  if (hit instanceof RegexError) throw hit;
  return hit;
}

/** The engine a pattern compiles to (always the linear one; there is no fallback). For tests and diagnostics. */
export function patternEngine(source: string): { engine: 're2js'; program: number; parts: number; dfaBytes: number[]; dfaStates: number[] } {
  const p = compilePattern(source) as LinearPattern;
  const d = p.dfas();
  return { engine: p.engine, program: p.program, parts: d.length, dfaBytes: d.map((x) => x.bytes), dfaStates: d.map((x) => x.states) };
}

/**
 * Star height > 1 (`(a+)+`, `(\w*)*`): the shape that backtracking engines take exponential time
 * on. Informational only since patterns run on the linear-time engine (no such pattern is slow here).
 */
export function hasNestedQuantifier(source: string): boolean {
  const stack: boolean[] = []; // per open group: contains an unbounded quantifier
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') stack.push(false);
    else if (c === ')') {
      const inner = stack.pop() ?? false;
      const q = source[i + 1];
      const unbounded = q === '*' || q === '+' || (q === '{' && /^\{\d+,\}/.test(source.slice(i + 1)));
      if (inner && unbounded) return true;
      if ((inner || unbounded) && stack.length > 0) stack[stack.length - 1] = true;
    } else if (c === '*' || c === '+' || (c === '{' && /^\{\d+,\}/.test(source.slice(i)))) {
      if (stack.length > 0) stack[stack.length - 1] = true;
    }
  }
  return false;
}
