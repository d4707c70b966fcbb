// Build: esbuild bundles the client (platform-neutral ESM, no dependencies) and the CLI (Node),
// then tsc writes the declarations. Output in dist/ (gitignored).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
rmSync(dist, { recursive: true, force: true });
const common = { bundle: true, format: 'esm', target: 'es2022', sourcemap: true, logLevel: 'warning' };
await build({ ...common, entryPoints: [join(here, 'src/index.ts')], outfile: join(dist, 'index.js'), platform: 'neutral' });
await build({ ...common, entryPoints: [join(here, 'src/cli/main.ts')], outfile: join(dist, 'cli.js'), platform: 'node' });
execFileSync(process.execPath, [join(here, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(here, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
