#!/usr/bin/env node
// The web console (ui/) → build/assets/ui/: one minified ES module, one stylesheet, index.html.
// Run by wrangler's [build] command (wrangler dev, deploy, deploy --dry-run), so `npm run dev`,
// `npm run build` and the benches all serve a fresh console. Prints the sizes (docs/ui.md).
// Also build/assets/_headers (ui/_headers): the assets' CSP and other security headers.
import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(ROOT, 'build', 'assets', 'ui');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: join(ROOT, 'ui', 'app.ts') },
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  outdir: out,
  logLevel: 'warning',
});
copyFileSync(join(ROOT, 'ui', 'index.html'), join(out, 'index.html'));
// The security headers of every static asset (the console's and /docs/'s): ui/_headers.
copyFileSync(join(ROOT, 'ui', '_headers'), join(ROOT, 'build', 'assets', '_headers'));

if (!process.env.QUIET) {
  const sizes = ['app.js', 'app.css', 'index.html'].map((f) => {
    const bytes = statSync(join(out, f)).size;
    const gz = gzipSync(readFileSync(join(out, f))).length;
    return `${f} ${(bytes / 1024).toFixed(1)} KiB (${(gz / 1024).toFixed(1)} KiB gzip)`;
  });
  console.error(`console built into build/assets/ui: ${sizes.join(', ')}`);
}
