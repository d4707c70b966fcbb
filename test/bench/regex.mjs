/**
 * node test/bench/regex.mjs [--quick]: the regex micro-benchmark (test/bench/regex.ts, bundled with
 * esbuild on the fly, as bench.mjs does for engine.ts). Prints only; writes no tracked file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ROOT } from '../e2e/registry-worker.mjs';

const quick = process.argv.includes('--quick');
const dir = mkdtempSync(join(tmpdir(), 'registry-bench-regex-'));
try {
  const outfile = join(dir, 'regex.mjs');
  await build({
    entryPoints: [join(ROOT, 'test', 'bench', 'regex.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    outfile,
    logLevel: 'warning',
  });
  const { runRegexBench } = await import(pathToFileURL(outfile).href);
  console.log(`regex bench (node ${process.version})`);
  for (const line of runRegexBench(quick ? { sliceMs: 30, rounds: 3 } : { sliceMs: 100, rounds: 5 })) console.log(line);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
