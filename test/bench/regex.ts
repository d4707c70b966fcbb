/**
 * Regex micro-benchmark: the linear-time engine behind `pattern` / `patternProperties`
 * (src/domain/json/validator/regex.ts, re2js) against V8's backtracking RegExp, which the engine
 * used before. Bundled and run by test/bench/regex.mjs; prints only.
 *
 * 1. Per call, short realistic strings: re2js vs native RegExp (µs per test()).
 * 2. A pattern-heavy document through the Workers validator, against the same document with the
 *    patterns removed (the regex share of validation) and against ajv (native RegExp, code generation).
 * 3. Catastrophic patterns: V8 on an input short enough to finish, re2js on 100k characters.
 */
import { compileSchema } from '../../src/domain/json/validator/index';
import { compilePattern } from '../../src/domain/json/validator/regex';
import { ajvValidator } from '../../src/node/ajv-validator';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Median over `rounds` of the time per call of `f`, each round running for about `sliceMs`. */
function perCall(f: () => unknown, sliceMs: number, rounds: number): number {
  const out: number[] = [];
  for (let r = 0; r <= rounds; r++) {
    let n = 0;
    const t = performance.now();
    let dt = 0;
    while ((dt = performance.now() - t) < sliceMs) {
      for (let i = 0; i < 100; i++) f();
      n += 100;
    }
    if (r > 0) out.push(dt / n); // round 0 warms up
  }
  return median(out);
}

const REALISTIC: [string, string, string][] = [
  ['currency code', '^[A-Z]{3}$', 'USD'],
  ['identifier', '^[a-zA-Z_][a-zA-Z0-9_]{0,63}$', 'get_weather_v2'],
  ['email-like', '^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$', 'jane.doe@example.com'],
  ['uuid', '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', '123e4567-e89b-12d3-a456-426614174000'],
  ['date', '^\\d{4}-\\d{2}-\\d{2}$', '2026-12-04'],
  ['unanchored word', 'error', 'an error occurred in the tool call'],
  ['password policy', '^(?=.*[a-z])(?=.*[A-Z])(?=.*\\d).{8,64}$', 'Sup3rSecret'],
  ['unicode letters', '^\\p{L}+$', 'Überprüfung'],
];

const CATASTROPHIC: [string, string, number][] = [
  ['^(a+)+$', 'a', 24],
  ['^(a|aa)+$', 'a', 32],
  ['(x+x+)+y', 'x', 22],
];

export interface RegexBenchOptions {
  sliceMs: number;
  rounds: number;
}

export function runRegexBench(o: RegexBenchOptions): string[] {
  const lines: string[] = [];
  const us = (ms: number) => (ms * 1000).toFixed(2);

  lines.push('per call (short strings): pattern | re2js µs | native µs | ratio');
  for (const [name, p, s] of REALISTIC) {
    const re = compilePattern(p);
    const nat = new RegExp(p, 'u');
    if (re.test(s) !== nat.test(s)) throw new Error(`engines disagree on ${p}`);
    const a = perCall(() => re.test(s), o.sliceMs, o.rounds);
    const b = perCall(() => nat.test(s), o.sliceMs, o.rounds);
    lines.push(`  ${name.padEnd(18)} ${us(a).padStart(8)} ${us(b).padStart(8)} ${(a / b).toFixed(1).padStart(7)}x`);
  }

  // a tool-call-like document: 200 records, 6 patterned strings each, plus patternProperties keys
  const props: Record<string, unknown> = {};
  const record: Record<string, unknown> = {};
  for (const [name, p, s] of REALISTIC.slice(0, 6)) {
    props[name.replace(/\W/g, '_')] = { type: 'string', pattern: p };
    record[name.replace(/\W/g, '_')] = s;
  }
  const withPatterns = {
    type: 'object',
    properties: {
      items: {
        type: 'array',
        items: { type: 'object', properties: props, patternProperties: { '^x-[a-z]+$': { type: 'string' } }, additionalProperties: false },
      },
    },
  };
  const strip = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(strip)
      : x && typeof x === 'object'
        ? Object.fromEntries(
            Object.entries(x)
              .filter(([k]) => k !== 'pattern')
              .map(([k, v]) => [k, strip(v)]),
          )
        : x;
  const withoutPatterns = strip(withPatterns);
  const doc = { items: Array.from({ length: 200 }, (_, i) => ({ ...record, 'x-trace': `t${i}` })) };
  const workers = compileSchema(withPatterns);
  const workersBare = compileSchema(withoutPatterns);
  const ajv = ajvValidator(withPatterns, { draft: 'draft-07' });
  for (const v of [workers, workersBare, ajv]) if (!v.validate(doc).valid) throw new Error('bench document must be valid');
  const tW = perCall(() => workers.validate(doc), o.sliceMs * 3, o.rounds);
  const tB = perCall(() => workersBare.validate(doc), o.sliceMs * 3, o.rounds);
  const tA = perCall(() => ajv.validate(doc), o.sliceMs * 3, o.rounds);
  lines.push('pattern-heavy document (200 records x 6 `pattern` + 1 `patternProperties` tests): µs per validate()');
  lines.push(`  Workers engine, patterns on re2js     ${us(tW).padStart(9)}`);
  lines.push(
    `  Workers engine, \`pattern\`s removed   ${us(tB).padStart(9)}  (the 1,200 \`pattern\` tests: ${(((tW - tB) / tW) * 100).toFixed(0)}% of the time, ${us((tW - tB) / 1200)} µs each)`,
  );
  lines.push(`  ajv (native RegExp, code generation)  ${us(tA).padStart(9)}`);

  lines.push('catastrophic patterns: native on n characters + "!" vs re2js on 100,000 + "!" (ms, one call)');
  for (const [p, c, n] of CATASTROPHIC) {
    const nat = new RegExp(p);
    let t = performance.now();
    nat.test(c.repeat(n) + '!');
    const tn = performance.now() - t;
    const re = compilePattern(p);
    t = performance.now();
    re.test(c.repeat(100_000) + '!');
    const tr = performance.now() - t;
    lines.push(`  ${p.padEnd(12)} native n=${n}: ${tn.toFixed(1).padStart(8)} ms   re2js n=100000: ${tr.toFixed(1).padStart(6)} ms`);
  }
  return lines;
}
