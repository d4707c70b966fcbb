/**
 * What the built Worker (dist/index.js, as `wrangler deploy` uploads it) holds of its dependencies.
 * A new isolate evaluates the whole bundle before its first request (docs/performance.md,
 * "Start-up"), so code no route uses costs every cold start. zod is the case to guard: imported as
 * `import { z }`, its namespace object is kept whole, with its 64 locales (360 KB) and its code
 * generator; `import * as z` lets the bundler keep only what is used. eslint.config.mjs refuses
 * the named import; this checks the bundle itself, whatever the import looks like.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './registry-worker.mjs';

/** The package files esbuild bundled, from the `// node_modules/...` line it writes above each. */
function bundledFiles(): string[] {
  const bundle = readFileSync(join(ROOT, 'dist', 'index.js'), 'utf8');
  return [...bundle.matchAll(/^\/\/ (node_modules\/\S+)$/gm)].map((m) => m[1]);
}

describe('the built bundle', () => {
  const files = bundledFiles();

  it('is the build esbuild annotated (the checks below read its file markers)', () => {
    expect(files.some((f) => f.startsWith('node_modules/zod/'))).toBe(true);
    expect(files.some((f) => f.startsWith('node_modules/hono/'))).toBe(true);
  });

  it("holds only the zod locale its messages use (English), not all of zod's locales", () => {
    expect(files.filter((f) => f.startsWith('node_modules/zod/v4/locales/'))).toEqual(['node_modules/zod/v4/locales/en.js']);
  });

  it('holds no zod code generator (z.compile builds parsers with new Function, which Workers refuse at request time)', () => {
    expect(files.filter((f) => /^node_modules\/zod\/.*compile/.test(f))).toEqual([]);
  });
});
