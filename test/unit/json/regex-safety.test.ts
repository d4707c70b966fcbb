/**
 * Regular expressions from schemas run on the linear-time engine (src/domain/json/validator/regex.ts):
 * catastrophic-backtracking patterns against adversarial inputs give the right answer, and the
 * answer comes from re2js (asserted through `patternEngine`), never from a backtracking engine.
 * Timings are measured only to be printed (the project asserts no wall-clock times). The ECMA-262
 * translation is checked against V8's own RegExp on inputs where backtracking cannot hurt.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SchemaParseError } from '../../../src/domain/errors';
import { incompatibleDifferences, schemaDiff } from '../../../src/domain/json/compat';
import { safeFind } from '../../../src/domain/json/compat/regex';
import { workBudget } from '../../../src/domain/json/budget';
import { JSON_LIMITS } from '../../../src/domain/json/limits';
import { parseJsonSchema } from '../../../src/domain/json/parse';
import { compileSchema, ValidationBudgetError } from '../../../src/domain/json/validator/index';
import { REGEX_LIMITS, RegexError, compilePattern, isEcmaRegex, patternEngine } from '../../../src/domain/json/validator/regex';
import { schema } from '../json-compat/helpers';

const timings: [string, number, number][] = [];
function timed<T>(label: string, length: number, f: () => T): T {
  const t = performance.now();
  try {
    return f();
  } finally {
    timings.push([label, length, performance.now() - t]);
  }
}
afterAll(() => {
  console.log('regex-safety timings (reported, not asserted):');
  for (const [label, n, ms] of timings) console.log(`  ${label.padEnd(58)} ${String(n).padStart(7)} chars ${ms.toFixed(2).padStart(9)} ms`);
});

const a = (n: number) => 'a'.repeat(n);

/** `n` pseudo-random a/b characters (seeded). */
function randomAb(n: number, seed: number): string {
  let x = seed;
  let out = '';
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out += (x >> 16) & 1 ? 'a' : 'b';
  }
  return out;
}

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

/** [pattern, input, expected] — each would take V8's backtracking engine seconds to forever. */
const CATASTROPHIC: [string, string, boolean][] = [
  ['^(a+)+$', a(40) + '!', false],
  ['^(a+)+$', a(100_000) + '!', false],
  ['^(a+)+$', a(100_000), true],
  ['^(a|a)+$', a(40) + '!', false],
  ['^(a|a)+$', a(100_000) + '!', false],
  ['^(a|aa)+$', a(41) + '!', false],
  ['^(a|aa)+$', a(100_000), true],
  ['(.*a){20}', a(19) + 'b'.repeat(100_000), false],
  ['(.*a){20}', 'ab'.repeat(50_000), true],
  ['^(\\w+\\s?)*$', a(30) + '!', false],
  ['^(\\w+\\s?)*$', 'word '.repeat(20_000) + '!', false],
  ['^(\\w+\\s?)*$', 'word '.repeat(20_000), true],
  ['(x+x+)+y', 'x'.repeat(100_000), false],
  ['(x+x+)+y', 'x'.repeat(10_000) + 'y', true],
  ['^(([a-z])+.)+[A-Z]([a-z])+$', a(50) + '!', false],
  ['^((a*)*b)*$', a(100_000) + 'c', false],
  ['(a*)*b', a(100_000), false],
  ['^(\\d+)*$', '1'.repeat(50_000) + 'x', false],
  ['^(a?){30}a{30}$', a(30), true],
  ['^(a?){30}a{30}$', a(29), false],
  ['a*a*a*a*a*a*b', a(100_000), false],
  ['^(?:\\s*,?\\s*)*$', ' ,'.repeat(30_000) + 'x', false],
  ['^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$', a(5_000) + '!', false],
  ['^(?=(a+)+$)', a(30) + '!', false],
  ['^(?=(a+)+$)', a(30), true],
  ['^(?!(a|a)+$).', a(50_000) + '!', true],
];

describe('catastrophic patterns run in linear time on re2js', () => {
  it.each(CATASTROPHIC.map(([p, s, want]) => [p, s.length, s, want] as const))('%s against %i chars', (p, n, s, want) => {
    expect(patternEngine(p).engine).toBe('re2js');
    const re = compilePattern(p);
    expect(timed(`${p.slice(0, 40)} ${want ? 'match' : 'no match'}`, n, () => re.test(s))).toBe(want);
  });

  it('every compiled pattern has its DFA cache capped (re2js internals reached by regex.ts are still there)', () => {
    for (const p of ['^(a+)+$', '^(?=.*\\d)(?=.*[A-Z]).{8,}$']) {
      const e = patternEngine(p);
      expect(e.dfaBytes.length).toBe(e.parts);
      for (const b of e.dfaBytes) expect(b).toBe(REGEX_LIMITS.dfaBytes);
    }
  });

  it('at most REGEX_LIMITS.liveDfas patterns keep DFA states; the least recently used is cleared', () => {
    const first = '^first[a-z]+$';
    compilePattern(first).test('firstabc');
    expect(patternEngine(first).dfaStates[0]).toBeGreaterThan(0);
    for (let i = 0; i < REGEX_LIMITS.liveDfas; i++) compilePattern(`^other${i}[a-z]+$`).test(`other${i}abc`);
    expect(patternEngine(first).dfaStates).toEqual([0]);
    expect(patternEngine(`^other${REGEX_LIMITS.liveDfas - 1}[a-z]+$`).dfaStates[0]).toBeGreaterThan(0);
  });

  it('a leading lookahead conjunction compiles to one linear program per part', () => {
    expect(patternEngine('^(?=.*[A-Z])(?=.*\\d)(?!.*\\s).{8,}$').parts).toBe(4);
    expect(patternEngine('^(a+)+$').parts).toBe(1);
  });
});

/** Patterns and inputs small enough for V8's backtracking to be harmless: the reference. */
const PATTERNS = [
  '^abc$',
  'a+',
  '^\\d+$',
  '^\\D$',
  '^\\s$',
  '^\\S$',
  '^.$',
  '^.*$',
  '^[^]$',
  '^[]$',
  'x[]',
  '^[\\s]+$',
  '^[\\S]+$',
  '^[^\\s]+$',
  '^[^\\S]+$',
  '\\bfoo\\b',
  '\\Bo',
  '^\\w+$',
  '^\\W$',
  '^\\p{Letter}+$',
  '^\\p{digit}+$',
  '\\p{Lu}',
  '\\P{L}',
  '^\\p{Script=Greek}+$',
  '^\\p{sc=Latin}+$',
  '^[\\p{L}\\d]+$',
  '^\\p{L}\\p{M}*$',
  '\\p{ASCII}',
  '^\\p{Any}$',
  '^\\p{Assigned}$',
  '^\\p{Alphabetic}+$',
  '^\\p{gc=Lu}$',
  '^\\p{General_Category=Nd}+$',
  '\\p{White_Space}',
  '^\\cC$',
  '^\\cc$',
  '\\u00e9',
  '^\\u{1F432}$',
  '^🐲*$',
  '^[🐲a]$',
  '^\\uD83D\\uDC32$',
  '^[\\uD83D\\uDC32-\\uD83D\\uDC33]$',
  '\\-',
  '[\\w-.]+',
  '\\/',
  '^a{2,3}$',
  'a{2,}',
  '^(?:ab|cd){2}$',
  '^(?<y>\\d{4})-(?<m>\\d{2})$',
  'a{',
  'a{,5}',
  '}',
  ']',
  '\\8',
  '\\012',
  '\\0',
  '^\\x41$',
  '^[\\x41-\\x43]+$',
  '^[\\b]$',
  '\\k',
  '^[a\\-z]+$',
  '^[-a]$',
  '^[a-]$',
  '$',
  '',
  '^$',
  'a|',
  '(|a)',
  '^(?=.*[A-Z])(?=.*\\d).{8,}$',
  '^(?!foo)\\w+$',
  '^(?=a)',
  '^(?!a)',
  '^[\\d\\s]+$',
  '[\\D]',
  '[^\\W]',
  '\\c',
  '[\\c]',
  '[\\c1]',
  '\\ca',
  '^\\t\\n\\v\\f\\r$',
  '[\\t-\\r]',
  '^(?:a|b)*?c$',
  'a??b',
  '(?:)',
  '^[.]$',
  '^\\.$',
  '^\\$\\^$',
  '^[$^]+$',
  '^[\\^]$',
  '[\\]]',
  '[^\\]]',
  '\\u{61}',
  '^[\\u{1F400}-\\u{1F4FF}]$',
  '\\p{Emoji_Presentation}',
  '^\\p{Lowercase}+$',
];
const INPUTS = [
  '',
  'abc',
  'ABC',
  'a',
  'aa',
  'aaa',
  ' ',
  '\t',
  '\u000b',
  '\u00a0',
  '\u1680',
  '\u2000',
  '\u200a',
  '\u200b',
  '\ufeff',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
  '\u180e',
  '\u0085',
  '\n',
  '\r',
  '\r\n',
  'é',
  'école',
  '🐲',
  '🐳',
  '🐲🐲',
  'a🐲',
  '\ud83d',
  '\udc32',
  '\u0003',
  'cC',
  '\\cC',
  '123',
  '৪২',
  '߀',
  'Passw0rdX',
  'passw0rd',
  'Pass word1',
  'foo',
  'foobar',
  'barfoo',
  'x-y.z',
  '/',
  '-',
  '2024-01',
  'ab',
  'abcd',
  'cdab',
  'aab',
  'ac',
  'bc',
  '\b',
  'A',
  'k',
  '8',
  '\n\n',
  'αβγ',
  'ΑΒΓ',
  'a{',
  'a{,5}',
  '}',
  ']',
  '\u0000',
  '\u000a',
  '$^',
  'c',
  '\\c',
  '\u0011',
  'b',
  'ba',
  '.',
  '^',
  '\t\n\u000b\f\r',
  'ſ',
  'K',
  'aé',
  'Ǆ',
  '😀',
];

function native(p: string): RegExp | undefined {
  try {
    return new RegExp(p, 'u');
  } catch {
    try {
      return new RegExp(p);
    } catch {
      return undefined;
    }
  }
}

describe('ECMA-262 semantics (V8 RegExp as the reference, on harmless inputs)', () => {
  it.each(PATTERNS)('%s', (p) => {
    const ref = native(p)!;
    expect(ref).toBeDefined();
    const re = compilePattern(p);
    const wrong = INPUTS.filter((s) => re.test(s) !== ref.test(s));
    expect(wrong).toEqual([]);
  });

  it.each([
    ['\\s', '[\\s]', '[^\\S]'],
    ['\\S', '[\\S]', '[^\\s]'],
    ['.', '[^\\n\\r\\u2028\\u2029]', '[^\\n\\r\\u2028\\u2029]'],
    ['\\d', '[\\d]', '[^\\D]'],
    ['\\w', '[\\w]', '[^\\W]'],
    ['\\W', '[\\W]', '[^\\w]'],
  ])('%s (and %s, %s) agree with V8 on every BMP code point and the astral planes', (...forms) => {
    const cps: number[] = [];
    for (let c = 0; c <= 0xffff; c++) cps.push(c);
    for (let c = 0x10000; c <= 0x10ffff; c += 0x3ff) cps.push(c);
    for (const form of forms) {
      const re = compilePattern(`^${form}$`);
      const ref = new RegExp(`^${form}$`, 'u');
      const wrong = cps.filter((c) => re.test(String.fromCodePoint(c)) !== ref.test(String.fromCodePoint(c)));
      expect(wrong.map((c) => c.toString(16))).toEqual([]);
    }
  });

  it('random patterns from an ECMA token soup agree with V8 (seeded)', () => {
    let seed = 12345;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    const atoms = [
      'a',
      'b',
      '.',
      '\\d',
      '\\s',
      '\\S',
      '\\w',
      '\\W',
      '[ab]',
      '[^a]',
      '[a-c\\s]',
      '\\x61',
      '\\u0062',
      'é',
      '🐲',
      '\\.',
      '\\p{L}',
      '[\\p{Lu}\\d]',
      '\\n',
    ];
    const quants = ['', '', '', '*', '+', '?', '{2}', '{1,3}', '{0,}', '*?', '+?'];
    const gen = (depth: number): string => {
      let out = '';
      const n = 1 + rnd(4);
      for (let i = 0; i < n; i++) {
        const r = rnd(10);
        if (r === 0 && depth < 3) out += `(${gen(depth + 1)}|${gen(depth + 1)})`;
        else if (r === 1 && depth < 3) out += `(?:${gen(depth + 1)})`;
        else if (r === 2) out += i === 0 ? '^' : '\\b';
        else out += atoms[rnd(atoms.length)];
        out += quants[rnd(quants.length)];
      }
      return out + (rnd(6) === 0 ? '$' : '');
    };
    const alphabet = ['a', 'b', 'c', ' ', '\n', '1', 'é', '🐲', '.', 'A', '\u2028'];
    let compared = 0;
    const wrong: string[] = [];
    for (let k = 0; k < 600; k++) {
      const p = gen(0);
      const ref = native(p);
      if (!ref) continue; // e.g. a quantifier after \b: invalid for both
      const re = compilePattern(p);
      for (let j = 0; j < 12; j++) {
        let s = '';
        for (let m = rnd(8); m > 0; m--) s += alphabet[rnd(alphabet.length)];
        compared++;
        if (re.test(s) !== ref.test(s)) wrong.push(`${p} ${JSON.stringify(s)}`);
      }
    }
    expect(compared).toBeGreaterThan(5000);
    expect(wrong).toEqual([]);
  });
});

describe('what the linear engine cannot run is refused, with the reason', () => {
  it.each([
    ['(a)\\1', /backreference/],
    ['(?<x>a)\\k<x>', /backreference/],
    ['(?<=a)b', /lookbehind/],
    ['(?<!a)b', /lookbehind/],
    ['a(?=b)', /lookahead that is not at the start/],
    ['^a(?=b)', /lookahead that is not at the start/],
    ['^(?=a)|b', /lookahead that is not at the start/],
    ['^((?=a)a)', /lookahead that is not at the start/],
    ['a{1001}', /repetition count above 1000/],
    ['a{2,5000}', /repetition count above 1000/],
    ['\\p{Script_Extensions=Latin}', /\\p\{Script_Extensions=Latin\}/],
    ['\\p{sc=Grek}', /\\p\{sc=Grek\}/],
  ])('%s', (p, why) => {
    expect(() => compilePattern(p)).toThrow(RegexError);
    expect(() => compilePattern(p)).toThrow(why);
    expect(isEcmaRegex(p)).toBe(true); // valid ECMA-262 all the same
  });

  it.each(['(a', 'a)', '[a', '[z-a]', 'a**', 'a{2}{3}', '*a', '\\', '(?i:a)', '(?<1>a)', '\\p{Foo}x(', 'a{3,1}', '(?<a>x)(?<a>y)'])(
    '%s is invalid',
    (p) => {
      expect(() => compilePattern(p)).toThrow(/invalid regular expression/);
    },
  );

  it('a pattern over the program bound is refused before it is compiled', () => {
    expect(() => compilePattern('[a-z]{1,1000}'.repeat(6))).toThrow(/too large/);
  });
});

describe('format "regex" is a linear parse, never a compile or a match', () => {
  it.each([
    ['([abc])+\\s+$', true],
    ['^(abc]', false],
    ['(?<=a)b', true],
    ['\\p{Letter}', true],
    ['\\p{Foo}', false],
    ['\\-', false],
    ['a{', false],
    ['[\\w-a]', false],
  ])('%s -> %s (as new RegExp(s, "u"))', (s, ok) => {
    expect(isEcmaRegex(s)).toBe(ok);
    let v8 = true;
    try {
      new RegExp(s, 'u');
    } catch {
      v8 = false;
    }
    expect(v8).toBe(ok);
  });

  it.each<[string, string, boolean]>([
    ['a million plain characters', 'a'.repeat(1_000_000), true],
    ['a million open groups', '('.repeat(1_000_000), false],
    ['200k property escapes', '\\p{L}'.repeat(200_000), true],
    ['an unterminated class of a million', '[' + 'a'.repeat(1_000_000), false],
    ['named groups without their ">"', '(?<a'.repeat(250_000), false],
    ['nested catastrophic shapes', '(a+)+'.repeat(150_000), true],
  ])('%s', (label, s, ok) => {
    expect(timed(`isEcmaRegex: ${label}`, s.length, () => isEcmaRegex(s))).toBe(ok);
  });
});

describe('the Workers validator', () => {
  it('pattern ^(a+)+$: forty a and a bang, and 100k characters', () => {
    const v = compileSchema({ type: 'string', pattern: '^(a+)+$' });
    expect(timed('validator pattern ^(a+)+$ a*40+!', 41, () => v.validate(a(40) + '!').valid)).toBe(false);
    expect(timed('validator pattern ^(a+)+$ a*100k', 100_000, () => v.validate(a(100_000)).valid)).toBe(true);
    expect(timed('validator pattern ^(a+)+$ a*100k+!', 100_001, () => v.validate(a(100_000) + '!').valid)).toBe(false);
    expect(v.validate(a(100_000) + '!').errors).toEqual([
      { instancePath: '', schemaPath: '#/pattern', keyword: 'pattern', message: 'must match pattern "^(a+)+$"' },
    ]);
  });

  it('patternProperties ^(a|a)+$ against long keys (all code paths: fast pass, error pass, unevaluatedProperties)', () => {
    const key = a(50_000) + '!';
    for (const s of [
      { type: 'object', patternProperties: { '^(a|a)+$': { type: 'integer' } }, additionalProperties: false },
      {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        patternProperties: { '^(a|a)+$': { type: 'integer' } },
        unevaluatedProperties: false,
      },
      {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        allOf: [{ patternProperties: { '^(a|a)+$': { type: 'integer' } } }],
        unevaluatedProperties: false,
      },
    ]) {
      const v = compileSchema(s);
      expect(timed('validator patternProperties ^(a|a)+$ key a*50k+!', key.length, () => v.validate({ [key]: 1 }).valid)).toBe(false);
      expect(v.validate({ [a(50_000)]: 1 }).valid).toBe(true);
      expect(v.validate({ [a(50_000)]: 'x' }).valid).toBe(false);
    }
  });

  it("regex work is metered against the request's regex budget: an answer or a 42201, never a long stall", () => {
    const v = compileSchema({ type: 'string', pattern: 'a[ab]{1000}c' });
    // re2js's prefilter sees that no `c` occurs: no automaton runs, the answer is cheap
    expect(v.validate('ab'.repeat(10_000)).valid).toBe(false);
    // with a `c`, the automaton's work would pass the budget: stopped while matching, no verdict
    const e = thrown(() => timed('validator over the regex budget (stopped while matching)', 20_001, () => v.validate('ab'.repeat(10_000) + 'c')));
    expect(e).toBeInstanceOf(ValidationBudgetError);
    expect(e).toMatchObject({ code: 42201, budget: 'regex', max: JSON_LIMITS.maxRegexSteps });
    expect(e.message).toBe(
      `Validation stopped after ${JSON_LIMITS.maxRegexSteps} units of regular expression work in this request: a pattern of this schema is too costly for these strings (docs/json-schema.md, "Regular expressions"); the document was neither accepted nor rejected`,
    );
    expect(v.validate('ab'.repeat(100)).valid).toBe(false);
    // a start-anchored bounded pattern: the NFA stops after its reach, whatever the string's length
    const anchored = compileSchema({ type: 'string', pattern: '^[a-z]{1,1000}$' });
    expect(anchored.validate(a(500_000)).valid).toBe(false);
    expect(anchored.validate(a(1000)).valid).toBe(true);
  });

  it('work is metered as done: a sparse NFA run costs its live threads, not program × length', () => {
    const re = compilePattern('^[a-z]{1,1000}$');
    const s = 'abcdefghijklmnopqrstuvwxyz'.repeat(20).slice(0, 450);
    for (let round = 0; round < 3; round++) {
      const budget = workBudget();
      expect(re.test(s, budget)).toBe(true);
      expect(budget.regexSteps).toBeGreaterThan(0);
      expect(budget.regexSteps).toBeLessThan((re.program * s.length) / 5);
    }
    // unmetered without a budget, metered with one: same answers
    expect(re.test(s + '!')).toBe(false);
    expect(re.test(s + '!', workBudget())).toBe(false);
  });

  it('the hostile a[ab]{200}(?:c|$) against 48,000 random a/b: 42201 within the budget, in milliseconds', () => {
    const v = compileSchema({ type: 'string', pattern: 'a[ab]{200}(?:c|$)' });
    const s = randomAb(48_000, 7);
    const budget = workBudget();
    expect(() => timed('hostile a[ab]{200}(?:c|$), 48k random a/b', s.length, () => v.validate(s, budget))).toThrow(ValidationBudgetError);
    expect(budget.regexSteps).toBeGreaterThan(budget.maxRegexSteps);
    // the honest case of the same pattern: short strings answer
    expect(v.validate(randomAb(150, 3)).valid).toBe(false);
    expect(v.validate('a'.repeat(201)).valid).toBe(true);
  });

  it('one budget per request: documents of a batch share it, and the next document after it is spent gets 42201', () => {
    const v = compileSchema({ type: 'object', properties: { s: { type: 'string', pattern: 'a[ab]{200}(?:c|$)' } } });
    const budget = workBudget();
    let answered = 0;
    const e = thrown(() => {
      for (let i = 0; i < 1000; i++) {
        v.validate({ s: randomAb(300, i) }, budget);
        answered++;
      }
    });
    expect(e).toMatchObject({ budget: 'regex' });
    expect(answered).toBeGreaterThan(0);
    expect(answered).toBeLessThan(1000);
    // each of those documents alone is answered
    expect(typeof v.validate({ s: randomAb(300, answered) }).valid).toBe('boolean');
  });

  it('error pass over the regex budget: invalid (known from the fast pass), the error list is cut with maxSteps', () => {
    const v = compileSchema({ type: 'array', items: { type: 'string', pattern: 'a[ab]{200}(?:c|$)' } });
    const doc = [1, ...Array.from({ length: 40 }, (_, i) => randomAb(250, i))];
    // the fast pass stops at the first item; the error pass goes on and runs out
    const r = v.validate(doc, workBudget({ maxRegexSteps: 300_000 }));
    expect(r.valid).toBe(false);
    expect(r.errors[0]).toMatchObject({ instancePath: '/0', keyword: 'type' });
    expect(r.errors.at(-1)).toMatchObject({
      keyword: 'maxSteps',
      schemaPath: '#',
      message: expect.stringMatching(/^regular expression work passed its budget of 300000 units/) as unknown,
    });
  });

  it('format "regex" asserts ECMA syntax', () => {
    const v = compileSchema({ format: 'regex' }, { formats: 'assert' });
    expect(v.validate('^(a+)+$').valid).toBe(true);
    expect(v.validate('^(abc]').valid).toBe(false);
  });
});

describe('registration refuses what cannot run, as 42201', () => {
  it.each([
    ['(a)\\1', /backreference/],
    ['^\\d+(?=px)', /lookahead/],
    ['(?<=\\$)\\d+', /lookbehind/],
    ['^.{0,5000}$', /above 1000/],
  ])('%s', (p, why) => {
    const text = JSON.stringify({ type: 'string', pattern: p });
    expect(() => parseJsonSchema(text)).toThrow(SchemaParseError);
    expect(() => parseJsonSchema(text)).toThrow(why);
    try {
      parseJsonSchema(text);
    } catch (e) {
      expect((e as SchemaParseError).code).toBe(42201);
    }
  });

  it('a password-policy lookahead conjunction is accepted and means what it says', () => {
    const parsed = parseJsonSchema(JSON.stringify({ type: 'string', pattern: '^(?=.*[a-z])(?=.*[A-Z])(?=.*\\d)(?!.*\\s).{8,64}$' }));
    expect(parsed.type).toBe('JSON');
    const v = compileSchema(parsed.root);
    expect(['Passw0rdX', 'aB3defgh'].map((s) => v.validate(s).valid)).toEqual([true, true]);
    expect(['password1', 'PASSWORD1', 'Password', 'Pass w0rd', 'aB3'].map((s) => v.validate(s).valid)).toEqual([false, false, false, false, false]);
  });

  it('per schema: distinct patterns and their total program are bounded', () => {
    const many: Record<string, unknown> = {};
    for (let i = 0; i < 2001; i++) many[`p${i}`] = { type: 'string', pattern: `^x${i}$` };
    expect(() => parseJsonSchema(JSON.stringify({ properties: many }))).toThrow(/more than 2000 distinct patterns/);
    const big: Record<string, unknown> = {};
    for (let i = 0; i < 30; i++) big[`p${i}`] = { type: 'string', pattern: `^[a-z]{${i},1000}$` };
    expect(() => parseJsonSchema(JSON.stringify({ properties: big }))).toThrow(/more than 50000 automaton instructions/);
  });
});

describe('compatibility: patternProperties matching (Java find()) on the same engine', () => {
  const s = { type: 'string' };
  const model = (extra: string) => ({
    type: 'object',
    properties: extra ? { id: s, [extra]: s } : { id: s },
    additionalProperties: false,
    patternProperties: { '^(a|a)+$': s },
  });
  const diff = (name: string) => schemaDiff(schema(model('')), schema(model(name))).map((d) => d.type);

  it('a long name that does not match: not covered, so an incompatible addition', () => {
    const name = a(5_000) + '!';
    expect(timed('compat ^(a|a)+$ name a*5000+!', name.length, () => diff(name))).toEqual(['OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL']);
  });

  it('a long name that matches: covered by the partially open content model', () => {
    const name = a(5_000);
    const d = timed('compat ^(a|a)+$ name a*5000', name.length, () => diff(name));
    expect(d).toContain('PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL');
    expect(incompatibleDifferences(schema(model('')), schema(model(name)))).toEqual([]);
  });

  it('safeFind: unanchored search; a refused pattern matches nothing; an absurd name gives up with 42201', () => {
    expect(safeFind('b+', 'abba', workBudget())).toBe(true);
    expect(safeFind('^b+', 'abba', workBudget())).toBe(false);
    expect(safeFind('(a)\\1', 'aa', workBudget())).toBe(false);
    // the literal `c` lets a prefilter answer without the automaton: no work, no refusal
    expect(safeFind('a[ab]{1000}c', 'ab'.repeat(1000), workBudget())).toBe(false);
    expect(() => timed('safeFind over budget', 10_001, () => safeFind('a[ab]{1000}c', 'ab'.repeat(5000) + 'c', workBudget()))).toThrow(
      /^JSON schema compatibility check gave up: matching property names against patternProperties took more than 1000000 units/,
    );
  });

  it('safeFind: every name against every pattern of one check spends one budget', () => {
    const budget = workBudget();
    const names = Array.from({ length: 200 }, (_, i) => `${i}a${randomAb(200, i)}c`);
    expect(() => {
      for (const name of names) safeFind('a[ab]{200}c', name, budget);
    }).toThrow(SchemaParseError);
    expect(budget.regexSteps).toBeGreaterThan(budget.maxRegexSteps);
    // each name alone is cheap
    for (const name of names.slice(0, 5)) expect(safeFind('a[ab]{200}c', name, workBudget())).toBe(true);
  });
});
