/**
 * Runs the BUILT Worker (dist/index.js from `npm run build`) under Miniflare on 127.0.0.1, with
 * the bindings of wrangler.toml and the D1 migrations applied. Nothing patches `Function` here:
 * code generation at request time fails exactly as it would in production.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';

const ROOT = join(import.meta.dirname, '..', '..');

export interface RunningWorker {
  url: string;
  mf: Miniflare;
  stop: () => Promise<void>;
}

export async function startWorker(vars: Record<string, string> = {}): Promise<RunningWorker> {
  const script = join(ROOT, 'dist', 'index.js');
  if (!existsSync(script)) throw new Error('dist/index.js is missing: run `npm run build` first');
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    modules: [{ type: 'ESModule', path: script }],
    modulesRoot: join(ROOT, 'dist'),
    compatibilityDate: /compatibility_date = "([^"]+)"/.exec(readFileSync(join(ROOT, 'wrangler.toml'), 'utf8'))?.[1],
    compatibilityFlags: ['nodejs_compat'],
    d1Databases: { DB: 'e2e-db' },
    kvNamespaces: { SCHEMA_KV: 'e2e-kv' },
    r2Buckets: { ARCHIVE: 'e2e-archive' },
    durableObjects: { WRITER: { className: 'RegistryWriter', useSQLite: true } },
    bindings: { RESPONSE_PROFILE: '7', AUTH_TOKENS: '', ...vars },
  });
  const url = (await mf.ready).toString().replace(/\/$/, '');
  const db = await mf.getD1Database('DB');
  const dir = join(ROOT, 'migrations');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
    const statements = readFileSync(join(dir, file), 'utf8').split('--> statement-breakpoint');
    for (const s of statements.map((x) => x.trim()).filter(Boolean)) await db.prepare(s).run();
  }
  return { url, mf, stop: () => mf.dispose() };
}
