/**
 * Engine benchmark: the Workers JSON Schema engine (compileSchema, closures, no code generation)
 * against ajv (code generation, Node only) on the LLM corpus, in the same Node process.
 * Bundled by esbuild from test/bench/bench.mjs (it imports TypeScript from src/ and test/fixtures/).
 *
 * Throughput: for each schema and each instance kind (valid / invalid), the engines take turns
 * (alternating order per round) validating the instance list in a loop for `sliceMs`; after a
 * discarded warm-up slice, `rounds` measured rounds; the median validations/s per engine is kept.
 * Compile time: `compileReps` compilations per schema per engine, alternating, median.
 */
import type Ajv from 'ajv';
import type { AnySchema } from 'ajv';
import { compileSchema } from '../../src/domain/json/validator/index';
import { draftOf } from '../../src/domain/json/drafts';
import { ajvValidator, newAjv } from '../../src/node/ajv-validator';
import type { Validator } from '../../src/domain/validation';
import { LLM_SCHEMAS } from '../../test/fixtures/llm-schemas/index';

export interface EngineBenchOptions {
  rounds: number;
  sliceMs: number;
  compileReps: number;
  formats: 'annotate' | 'assert';
}

export interface Throughput {
  workers: number;
  ajv: number;
  ratio: number;
}

export interface SchemaRow {
  name: string;
  draft: string;
  instances: { valid: number; invalid: number };
  valid: Throughput;
  invalid: Throughput;
  /** All instances (valid and invalid) once each, combined from the two measured rates. */
  all: Throughput;
  compileUs: { workers: number; ajvFull: number; ajvCompileOnly: number; ratioFull: number; ratioCompileOnly: number };
  disagreements: string[];
}

export interface EngineBenchResult {
  options: EngineBenchOptions;
  rows: SchemaRow[];
  /** Geometric means of the per-schema ratios. */
  overall: { valid: number; invalid: number; all: number; compileFull: number; compileOnly: number };
  /** Total validations/s over the whole corpus (sum of instance-weighted times). */
  totals: { workers: number; ajv: number; ratio: number };
  elapsedMs: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const geomean = (xs: number[]) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);

let sink = 0;

/** Validations per second of `v` over `instances`, looping for at least `ms`. */
function rate(v: Validator, instances: unknown[], ms: number): number {
  const n = instances.length;
  let done = 0;
  const start = performance.now();
  let now = start;
  const end = start + ms;
  do {
    // a batch between clock reads keeps timer overhead out of the figure
    for (let b = 0; b < 64; b++) {
      for (let i = 0; i < n; i++) if (v.validate(instances[i]).valid) sink++;
      done += n;
    }
    now = performance.now();
  } while (now < end);
  return (done * 1000) / (now - start);
}

/** A prepared ajv instance exactly as src/node/ajv-validator.ts builds it (for compile-only timing). */
function freshAjv(root: unknown, formats: boolean): Ajv {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- ajv's Ajv class is declared by two of its entry points; the instance is the one src/node builds
  return newAjv(draftOf(root, undefined), formats);
}

function throughput(w: Validator, a: Validator, instances: unknown[], o: EngineBenchOptions): Throughput {
  if (instances.length === 0) return { workers: NaN, ajv: NaN, ratio: NaN };
  // warm-up (JIT, inline caches), discarded
  rate(w, instances, o.sliceMs / 2);
  rate(a, instances, o.sliceMs / 2);
  const ws: number[] = [];
  const as: number[] = [];
  for (let r = 0; r < o.rounds; r++) {
    if (r % 2 === 0) {
      ws.push(rate(w, instances, o.sliceMs));
      as.push(rate(a, instances, o.sliceMs));
    } else {
      as.push(rate(a, instances, o.sliceMs));
      ws.push(rate(w, instances, o.sliceMs));
    }
  }
  const workers = median(ws);
  const ajv = median(as);
  return { workers, ajv, ratio: workers / ajv };
}

function compileTimes(schema: unknown, o: EngineBenchOptions) {
  const assert = o.formats === 'assert';
  const engineOpts = { formats: o.formats };
  const w: number[] = [];
  const full: number[] = [];
  const only: number[] = [];
  // warm-up
  for (let i = 0; i < 5; i++) {
    compileSchema(schema, engineOpts);
    ajvValidator(schema, { formats: o.formats });
  }
  const prepared = Array.from({ length: o.compileReps }, () => freshAjv(schema, assert));
  for (let i = 0; i < o.compileReps; i++) {
    let t = performance.now();
    compileSchema(schema, engineOpts);
    w.push(performance.now() - t);
    t = performance.now();
    ajvValidator(schema, { formats: o.formats });
    full.push(performance.now() - t);
    const ajv = prepared[i];
    t = performance.now();
    ajv.compile(schema as AnySchema);
    only.push(performance.now() - t);
  }
  const workers = median(w) * 1000;
  const ajvFull = median(full) * 1000;
  const ajvCompileOnly = median(only) * 1000;
  return { workers, ajvFull, ajvCompileOnly, ratioFull: workers / ajvFull, ratioCompileOnly: workers / ajvCompileOnly };
}

export function runEngineBench(options: Partial<EngineBenchOptions> = {}): EngineBenchResult {
  const o: EngineBenchOptions = { rounds: 5, sliceMs: 100, compileReps: 40, formats: 'annotate', ...options };
  const started = performance.now();
  const rows: SchemaRow[] = [];
  let wTime = 0;
  let aTime = 0;
  let count = 0;
  for (const c of LLM_SCHEMAS) {
    const w = compileSchema(c.schema, { formats: o.formats });
    const a = ajvValidator(c.schema, { formats: o.formats });
    const disagreements: string[] = [];
    for (const [kind, list] of [
      ['valid', c.valid],
      ['invalid', c.invalid],
    ] as const) {
      for (const inst of list) {
        const rw = w.validate(inst).valid;
        const ra = a.validate(inst).valid;
        if (rw !== ra || rw !== (kind === 'valid')) disagreements.push(`${kind} ${JSON.stringify(inst).slice(0, 60)}: workers=${rw} ajv=${ra}`);
      }
    }
    const all = [...c.valid, ...c.invalid];
    const row: SchemaRow = {
      name: c.name,
      draft: draftOf(c.schema, undefined),
      instances: { valid: c.valid.length, invalid: c.invalid.length },
      valid: throughput(w, a, c.valid, o),
      invalid: throughput(w, a, c.invalid, o),
      all: { workers: 0, ajv: 0, ratio: 0 },
      compileUs: compileTimes(c.schema, o),
      disagreements,
    };
    // all instances once each: time-weighted combination of the valid and invalid rates
    const nv = c.valid.length;
    const ni = c.invalid.length;
    const combine = (rv: number, ri: number) => (nv + ni) / ((nv ? nv / rv : 0) + (ni ? ni / ri : 0));
    row.all.workers = combine(row.valid.workers, row.invalid.workers);
    row.all.ajv = combine(row.valid.ajv, row.invalid.ajv);
    row.all.ratio = row.all.workers / row.all.ajv;
    rows.push(row);
    // corpus total: each schema contributes its instances once
    wTime += all.length / row.all.workers;
    aTime += all.length / row.all.ajv;
    count += all.length;
  }
  // eslint-disable-next-line @typescript-eslint/no-unused-expressions -- reading the sink keeps the measured work observable
  sink;
  return {
    options: o,
    rows,
    overall: {
      valid: geomean(rows.map((r) => r.valid.ratio)),
      invalid: geomean(rows.map((r) => r.invalid.ratio)),
      all: geomean(rows.map((r) => r.all.ratio)),
      compileFull: geomean(rows.map((r) => r.compileUs.ratioFull)),
      compileOnly: geomean(rows.map((r) => r.compileUs.ratioCompileOnly)),
    },
    totals: { workers: count / wTime, ajv: count / aTime, ratio: aTime / wTime },
    elapsedMs: performance.now() - started,
  };
}
