/**
 * Node runs no TypeScript: a bench written in TS (engine.ts, regex.ts, descriptor.ts) is bundled
 * with esbuild into a temporary folder, imported, used, and the folder removed. `use` also gets
 * the folder, for benches that build more bundles beside it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ROOT } from '../e2e/registry-worker.mjs';

export async function withBundled(name, use) {
  const dir = mkdtempSync(join(tmpdir(), `registry-bench-${name}-`));
  try {
    const outfile = join(dir, `${name}.mjs`);
    await build({
      entryPoints: [join(ROOT, 'test', 'bench', `${name}.ts`)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      outfile,
      logLevel: 'warning',
    });
    return await use(await import(pathToFileURL(outfile).href), dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
