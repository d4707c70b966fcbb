/**
 * Profiling driver for the Workers JSON Schema engine: validates corpus instances in a loop so that
 * `node --cpu-prof` (or --prof) shows where validation time goes. Not part of `npm run bench`.
 *
 *   npx esbuild test/bench/engine-profile.ts --bundle --platform=node --format=esm --outfile=/tmp/prof/p.mjs
 *   npx node --cpu-prof --cpu-prof-dir=/tmp/prof /tmp/prof/p.mjs [schema-name|all] [valid|invalid|both] [seconds]
 */
import { compileSchema } from '../../src/domain/json/validator/index';
import { LLM_SCHEMAS } from '../fixtures/llm-schemas/index';

const [name = 'all', kind = 'both', seconds = '3'] = process.argv.slice(2);
const cases = LLM_SCHEMAS.filter((c) => name === 'all' || c.name === name);
const work = cases.map((c) => ({
  v: compileSchema(c.schema),
  xs: kind === 'valid' ? c.valid : kind === 'invalid' ? c.invalid : [...c.valid, ...c.invalid],
}));
let n = 0;
let sink = 0;
const end = performance.now() + Number(seconds) * 1000;
while (performance.now() < end) {
  for (let r = 0; r < 200; r++) {
    for (const w of work) for (const x of w.xs) if (w.v.validate(x).valid) sink++;
  }
  n += 200;
}
const per = work.reduce((a, w) => a + w.xs.length, 0);
console.log(`${name} ${kind}: ${((n * per) / Number(seconds) / 1e6).toFixed(3)} M validations/s (${sink > 0 ? 'some valid' : 'none valid'})`);
