/**
 * node test/bench/regex.mjs [--quick]: the regex micro-benchmark (test/bench/regex.ts, bundled with
 * esbuild on the fly, as bench.mjs does for engine.ts). Prints only; writes no tracked file.
 */
import { withBundled } from './bundled.mjs';

const quick = process.argv.includes('--quick');
await withBundled('regex', ({ runRegexBench }) => {
  console.log(`regex bench (node ${process.version})`);
  for (const line of runRegexBench(quick ? { sliceMs: 30, rounds: 3 } : { sliceMs: 100, rounds: 5 })) console.log(line);
});
