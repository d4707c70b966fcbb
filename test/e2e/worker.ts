/**
 * Runs the BUILT Worker (dist/index.js from `npm run build`) under Miniflare on 127.0.0.1, with
 * the bindings of wrangler.toml and the D1 migrations applied. Nothing patches `Function` here:
 * code generation at request time fails exactly as it would in production.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { applyMigrations, registryWorker, ROOT } from './registry-worker.mjs';

export interface RunningWorker {
  url: string;
  mf: Miniflare;
  stop: () => Promise<void>;
}

export async function startWorker(vars: Record<string, string> = {}): Promise<RunningWorker> {
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) throw new Error('dist/index.js is missing: run `npm run build` first');
  // E2E_RESPONSE_PROFILE=8 runs the client suites against the 8.x response profile (docs/testing.md).
  const profile = process.env.E2E_RESPONSE_PROFILE ? { RESPONSE_PROFILE: process.env.E2E_RESPONSE_PROFILE } : {};
  const mf = new Miniflare({ host: '127.0.0.1', port: 0, workers: [registryWorker({ vars: { ...profile, ...vars } })] });
  const url = (await mf.ready).toString().replace(/\/$/, '');
  await applyMigrations(mf);
  return { url, mf, stop: () => mf.dispose() };
}
