/**
 * `pattern` / `patternProperties` regular expressions, on a linear-time engine.
 *
 * JSON Schema patterns are ECMA-262 regular expressions, searched unanchored. They come from schema
 * writers and run against payloads from anyone, so they never run on a backtracking engine: V8's
 * takes exponential time on `^(a+)+$` against forty `a`s and a `!`. They run on re2js (RE2/RE2J in
 * plain JavaScript: automata, no backtracking, no code generation), whose time is linear in
 * program size × input length.
 *
 * ecma-regex.ts translates the ECMA source to RE2 syntax. What RE2 cannot run is refused with a
 * RegexError (registration answers 42201): backreferences, lookbehind, lookahead other than a
 * leading `^(?=…)(?!…)` conjunction (run here as separate anchored programs), repetition counts
 * above 1000, and `\p{…}` names re2js lacks. docs/json-schema.md, "Regular expressions".
 *
 * Work is metered, not estimated: a test given a WorkBudget charges what the engine does (a scan
 * through cached DFA transitions, each DFA state it has to build, the whole NFA run when the DFA
 * gives up) as it does it, and throws RegexBudgetExceeded before the work that would pass the
 * budget. Honest patterns run on a warm DFA and cost little more than their strings' length;
 * patterns built to defeat the DFA pay for every state, at the rate the state costs.
 */
import { RE2JS, RE2JSException } from 're2js';
import { RegexBudgetExceeded, type WorkBudget } from '../budget';
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
  /**
   * Times a program's DFA may fill its cache before the program runs on the NFA only: a DFA that
   * keeps filling builds a state per character (slower than the NFA, and garbage for the GC) ...
   */
  dfaOverflows: 4,
  /** ... for this many tests; then the DFA gets another chance (its states serve short strings well). */
  nfaOnlyTests: 256,
} as const;

/** A compiled pattern. `test` is ECMA `RegExp.prototype.test` for a flagless `new RegExp(source)`. */
export interface Pattern {
  readonly engine: 're2js';
  /** RE2 instructions of all parts (budgeted per schema). */
  readonly program: number;
  /**
   * With a budget, the work is charged to `budget.regexSteps` as it is done, and RegexBudgetExceeded
   * is thrown before the work that would pass `budget.maxRegexSteps` (no answer then). Without one
   * (tests, diagnostics) nothing is metered.
   */
  test(s: string, budget?: WorkBudget): boolean;
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
 * re2js internals this module tunes and meters (the version is pinned; a unit test checks they are
 * still there): each program's lazily built DFA (its cache, the method that builds a state, its
 * match, which answers null when it gives up), its one-pass matcher, its NFA entry point and the
 * NFA machine's step over the threads of one position.
 */
interface Re2State {
  nfaStates: readonly number[];
}
interface Re2Input {
  endPos(): number;
}
interface Re2Dfa {
  /** Checked first by `match`: true sends every search to the NFA. */
  failed: boolean;
  stateBudget: number;
  memBudget: number;
  stateCount: number;
  clearCache: (this: Re2Dfa) => void;
  makeState: (this: Re2Dfa, pcs: readonly number[], flag: number, ids: readonly number[]) => Re2State | null;
  match: (this: Re2Dfa, input: Re2Input, pos: number, anchor: number) => boolean | null;
}
interface Re2Internals {
  readonly dfa?: Re2Dfa;
  onepass?: unknown;
  readonly machinePool?: unknown[];
  doExecuteNFA?: (this: Re2Internals, input: Re2Input, pos: number, anchor: number, ncap: number) => unknown;
}
interface Re2Queue {
  readonly size: number;
}
type Re2Step = (
  this: unknown,
  runq: Re2Queue,
  nextq: unknown,
  pos: unknown,
  nextPos: unknown,
  c: unknown,
  nextCond: unknown,
  anchor: unknown,
  atEnd: unknown,
) => void;
interface Re2Machine {
  step: Re2Step;
}
function dfaOf(re: RE2JS): Re2Dfa | undefined {
  const dfa = (re.re2() as unknown as Re2Internals).dfa;
  return dfa && typeof dfa.clearCache === 'function' && typeof dfa.makeState === 'function' && typeof dfa.match === 'function' ? dfa : undefined;
}

/**
 * What the metered work costs, in units of one automaton instruction on one character (one NFA
 * thread on one character). Calibrated so that every kind of work takes about the same time per
 * unit: 6–17 ns (median) on the reference machine, so the request budget JSON_LIMITS.maxRegexSteps
 * of 1,000,000 units is 10–20 ms of matching at most (test/bench/regex.mjs measures it).
 */
const REGEX_COSTS = {
  /** Each test of each program: input set-up, start state, calls (60–150 ns). */
  test: 8,
  /** Characters per unit for a scan through cached DFA transitions (about 6 ns per character). */
  charsPerUnit: 3,
  /** Building one DFA state: sets, sorting and hashing (2–3 µs) ... */
  state: 150,
  /** ... plus about 60 ns per instruction of the state it is built from and of the new one. */
  instruction: 4,
  /** One NFA position: the step's own work ... */
  nfaPosition: 2,
  /** ... plus each instruction live at that position (15–40 ns). */
  nfaThread: 2,
} as const;

/** The budget the test now running charges: set for the length of one synchronous test only. */
let metered: WorkBudget | null = null;

function charge(units: number): void {
  const b = metered;
  if (b === null) return;
  b.regexSteps += units;
  if (b.regexSteps > b.maxRegexSteps) throw new RegexBudgetExceeded(b.maxRegexSteps);
}

/**
 * The NFA machine's step, metered: each position charges its live threads before they run. The
 * machine class is not exported, so its prototype is taken from the first machine re2js builds
 * (see `runNfa`); `false` once that failed, and NFA runs are then charged in full beforehand.
 */
let nfaMetered: boolean | undefined;

function meterMachines(machine: unknown): boolean {
  const proto = machine !== null && typeof machine === 'object' ? (Object.getPrototypeOf(machine) as Partial<Re2Machine> | null) : null;
  const step = proto?.step;
  if (!proto || typeof step !== 'function') return false;
  proto.step = function (runq, nextq, pos, nextPos, c, nextCond, anchor, atEnd) {
    charge(REGEX_COSTS.nfaPosition + REGEX_COSTS.nfaThread * runq.size);
    step.call(this, runq, nextq, pos, nextPos, c, nextCond, anchor, atEnd);
  };
  return true;
}

/**
 * The NFA run re2js would start when the DFA gives up (the DFA never resumes: the run covers the
 * whole input), done here so that it is metered thread by thread. re2js would run its bit-state
 * backtracker instead on short inputs, whose work cannot be metered; the NFA gives the same answer.
 */
function runNfa(re2: Re2Internals, part: Part, input: Re2Input, pos: number, anchor: number): boolean {
  const execute = re2.doExecuteNFA;
  if (typeof execute !== 'function') throw new Error('re2js has no NFA entry point where regex.ts expects one (version changed?)');
  if (nfaMetered === undefined) {
    // build a machine on an empty input of the same kind (one step), to reach the class's prototype
    try {
      execute.call(re2, new (input.constructor as new (s: string) => Re2Input)(''), 0, anchor, 0);
      nfaMetered = meterMachines(re2.machinePool?.at(-1));
    } catch {
      nfaMetered = false;
    }
  }
  if (!nfaMetered) charge(nfaCost(part, input.endPos() - pos));
  return execute.call(re2, input, pos, anchor, 0) !== null;
}

/** Work of an NFA run over `length` characters if every instruction were live on every character. */
function nfaCost(part: Part, length: number): number {
  return part.program * (Math.min(length, part.reach) + 1);
}

/**
 * Meter a program's work while a test runs with a budget: each DFA state it builds, and the NFA run
 * when the DFA gives up. Own properties shadow the prototype's methods, which re2js calls through
 * `this`; without a budget (`metered` null) `charge` returns at once.
 */
function meter(re2: Re2Internals, dfa: Re2Dfa, part: Part): void {
  const { makeState, match } = dfa;
  let overflows = 0;
  let nfaOnly = 0;
  dfa.makeState = function (this: Re2Dfa, pcs, flag, ids) {
    const state = makeState.call(this, pcs, flag, ids);
    if (state === null && ++overflows >= REGEX_LIMITS.dfaOverflows) this.failed = true;
    // null: the cache is full (it is cleared next); the closure was computed all the same
    charge(REGEX_COSTS.state + REGEX_COSTS.instruction * (pcs.length + (state === null ? 2 * pcs.length : state.nfaStates.length)));
    return state;
  };
  dfa.match = function (this: Re2Dfa, input, pos, anchor) {
    const found = match.call(this, input, pos, anchor);
    if (found !== null) return found;
    if (this.failed && ++nfaOnly >= REGEX_LIMITS.nfaOnlyTests) {
      this.failed = false;
      overflows = nfaOnly = 0;
    }
    return runNfa(re2, part, input, pos, anchor);
  };
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

  test(s: string, budget?: WorkBudget): boolean {
    this.lastRun = ++clock;
    if (!liveDfas.has(this)) {
      liveDfas.add(this);
      if (liveDfas.size > REGEX_LIMITS.liveDfas) {
        // only when a pattern joins the set: a scan of a few hundred entries, not per test
        let oldest: LinearPattern | undefined;
        for (const p of liveDfas) if (oldest === undefined || p.lastRun < oldest.lastRun) oldest = p;
        if (oldest !== undefined) {
          liveDfas.delete(oldest);
          oldest.clearDfas();
        }
      }
    }
    if (budget === undefined) {
      for (const p of this.parts) if (p.re.test(s) === p.neg) return false;
      return true;
    }
    // each program's test and scan, charged before it runs; its DFA states and NFA steps as they come
    const base = REGEX_COSTS.test + Math.ceil(s.length / REGEX_COSTS.charsPerUnit);
    const outer = metered;
    metered = budget;
    try {
      for (const p of this.parts) {
        if ((budget.regexSteps += base) > budget.maxRegexSteps) throw new RegexBudgetExceeded(budget.maxRegexSteps);
        if (p.re.test(s) === p.neg) return false;
      }
      return true;
    } finally {
      metered = outer;
    }
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
  const part: Part = { re: compiled, neg, program: compiled.programSize(), reach: anchored ? max : Infinity };
  const dfa = dfaOf(compiled);
  // no DFA (another re2js): tests would run unmetered; fail loudly rather than run them
  if (!dfa) throw new Error('re2js has no lazy DFA where regex.ts expects one (version changed?)');
  dfa.stateBudget = dfa.memBudget = REGEX_LIMITS.dfaBytes;
  meter(internals, dfa, part);
  return part;
}

function refused(source: string, why: string): RegexError {
  return new RegexError(
    `regular expression /${source}/ is not supported: it uses ${why}; patterns run on a linear-time engine (docs/json-schema.md, "Regular expressions")`,
    why,
  );
}

function translateAndCompile(source: string): LinearPattern {
  const { alts, unsupported } = parseEcma(source);
  if (unsupported) throw refused(source, unsupported);
  // `^(?=A)(?!B)C` holds iff ^A, not ^B and ^C all match at position 0: three linear programs
  const leading: Term[] = [];
  const looks: NonNullable<Term['look']>[] = [];
  if (alts.length === 1 && alts[0][0]?.bol) {
    for (const t of alts[0].slice(1)) {
      if (!t.look) break;
      leading.push(t);
      looks.push(t.look);
    }
  }
  if (alts.some((a) => a.some((t) => t.look && !leading.includes(t)))) throw refused(source, 'a lookahead that is not at the start of the pattern');
  const main = looks.length > 0 ? join([[alts[0][0], ...alts[0].slice(1 + looks.length)]]) : join(alts);
  const anchored = alts.every((a) => a[0]?.bol === true);
  const pieces = [
    { re: main.re, neg: false, max: main.max, size: main.size },
    ...looks.map((l) => ({ re: `^(?:${l.body.re})`, neg: l.neg, max: l.body.max, size: l.body.size })),
  ];
  const estimate = pieces.reduce((n, p) => n + p.size, 0);
  if (estimate > REGEX_LIMITS.maxProgram) {
    throw new RegexError(
      `regular expression /${source}/ is too large: about ${estimate} automaton instructions, the limit is ${REGEX_LIMITS.maxProgram}`,
      `about ${estimate} automaton instructions (the limit is ${REGEX_LIMITS.maxProgram})`,
    );
  }
  try {
    return new LinearPattern(pieces.map((p) => compileRe2(p.re, p.neg, anchored, p.max)));
  } catch (e) {
    // the translation only emits what RE2 parses; what is left is its size checks
    if (!(e instanceof RE2JSException)) throw e;
    throw new RegexError(
      `regular expression /${source}/ is too complex for the linear-time engine: ${e.message}`,
      `more than the linear-time engine compiles (${e.message})`,
    );
  }
}

const cache = new Map<string, LinearPattern | RegexError>();

/** Compile (or reuse) `source`. Throws RegexError: invalid ECMA syntax, refused construct, too large. */
export function compilePattern(source: string): Pattern {
  return compileLinear(source);
}

function compileLinear(source: string): LinearPattern {
  let hit = cache.get(source);
  if (hit !== undefined) {
    cache.delete(source); // least recently used goes first
    cache.set(source, hit);
  } else {
    if (source.length > JSON_LIMITS.maxPatternLength) {
      throw new RegexError(
        `pattern is ${source.length} characters long, the limit is ${JSON_LIMITS.maxPatternLength}`,
        `${source.length} characters (the limit is ${JSON_LIMITS.maxPatternLength})`,
      );
    }
    try {
      hit = translateAndCompile(source);
    } catch (e) {
      if (!(e instanceof RegexError)) throw e;
      hit = e;
    }
    if (cache.size >= REGEX_LIMITS.cacheSize) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(source, hit);
  }
  if (hit instanceof RegexError) throw hit;
  return hit;
}

/** The engine a pattern compiles to (always the linear one; there is no fallback). For tests and diagnostics. */
export function patternEngine(source: string): { engine: 're2js'; program: number; parts: number; dfaBytes: number[]; dfaStates: number[] } {
  const p = compileLinear(source);
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
