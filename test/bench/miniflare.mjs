/**
 * Start the BUILT registry Worker under Miniflare on 127.0.0.1 (as test/e2e/worker.ts does), optionally
 * with the bench gateway (service binding REGISTRY -> RegistryService) and the baseline Worker.
 * Every Worker gets its own direct socket, so the three targets are reached the same way (no
 * Miniflare entry-worker hop in front of any of them). Shared by test/bench/edge.mjs and
 * load/run-local.mjs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';

import { applyMigrations, compatibilityDate, registryWorker, ROOT } from '../e2e/registry-worker.mjs';
import { workerdPids } from './cpu.mjs';

export { ROOT };
const HERE = dirname(fileURLToPath(import.meta.url));

/**
 * Bundle the Worker exactly as `npm run build` does (wrangler deploy --dry-run), but into a private
 * directory, so a bench never races another process rebuilding dist/. Returns the script path.
 * `useDist` takes dist/index.js as it is instead.
 */
export function buildWorker({ useDist = false, log = console.error } = {}) {
  if (useDist) {
    const script = join(ROOT, 'dist', 'index.js');
    if (!existsSync(script)) throw new Error('dist/index.js is missing: run `npm run build` first (or drop --use-dist)');
    return { script, cleanup: () => {} };
  }
  const out = mkdtempSync(join(tmpdir(), 'registry-bench-dist-'));
  const t = performance.now();
  execFileSync(join(ROOT, 'node_modules', '.bin', 'wrangler'), ['deploy', '--dry-run', '--outdir', out], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  log(`built the Worker (wrangler deploy --dry-run) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return { script: join(out, 'index.js'), cleanup: () => rmSync(out, { recursive: true, force: true }) };
}

/**
 * @param {{ script: string, persistRoot?: string, bench?: boolean, migrate?: boolean, quiet?: boolean }} o
 * bench: also run the gateway and baseline Workers. migrate: apply migrations/ (first start only).
 * quiet: keep workerd's output in `logs` without echoing it. inspectorPort: open the V8 inspector (profiling).
 * extra: more plain module Workers `{name, file}` (a file in test/bench/), each on its own socket (`urls[name]`).
 * registryOptions: more Miniflare options for the registry Worker (e.g. an Analytics Engine dataset).
 */
export async function startRegistry({
  script,
  persistRoot,
  bench = false,
  migrate = true,
  quiet = true,
  inspectorPort,
  extra = [],
  registryOptions = {},
}) {
  // workerd's stdout/stderr (the registry's structured logs): kept in `logs`, echoed unless quiet
  const logs = [];
  const handleRuntimeStdio = (stdout, stderr) => {
    for (const stream of [stdout, stderr]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop();
        for (const line of lines) {
          if (!line.trim()) continue;
          logs.push(line);
          if (!quiet) process.stderr.write(line + '\n');
        }
      });
    }
  };
  const date = compatibilityDate();
  const socket = [{ host: '127.0.0.1', port: 0 }];
  const workers = [registryWorker({ name: 'registry', script, id: 'bench', unsafeDirectSockets: socket, ...registryOptions })];
  if (bench) {
    workers.push(
      {
        name: 'gateway',
        modules: [{ type: 'ESModule', path: join(HERE, 'gateway.mjs') }],
        compatibilityDate: date,
        serviceBindings: { REGISTRY: { name: 'registry', entrypoint: 'RegistryService' }, REGISTRY_HTTP: 'registry' },
        unsafeDirectSockets: socket,
      },
      {
        name: 'baseline',
        modules: [{ type: 'ESModule', path: join(HERE, 'baseline.mjs') }],
        compatibilityDate: date,
        unsafeDirectSockets: socket,
      },
    );
  }
  for (const { name, file } of extra) {
    workers.push({ name, modules: [{ type: 'ESModule', path: join(HERE, file) }], compatibilityDate: date, unsafeDirectSockets: socket });
  }
  const mf = new Miniflare({ host: '127.0.0.1', port: 0, defaultPersistRoot: persistRoot, handleRuntimeStdio, inspectorPort, workers });
  await mf.ready;
  const url = async (name) => (await mf.unsafeGetDirectURL(name)).toString().replace(/\/$/, '');
  const urls = { registry: await url('registry') };
  if (bench) {
    urls.gateway = await url('gateway');
    urls.baseline = await url('baseline');
  }
  for (const { name } of extra) urls[name] = await url(name);
  if (migrate) {
    await applyMigrations(mf, 'registry');
  }
  return { mf, urls, logs, stop: () => mf.dispose() };
}

/**
 * One registry in a workerd of its own, on fresh state, with that workerd's pid (the one that was
 * not there before), so a paired bench reads each build's CPU from /proc apart (ab.mjs, auth.mjs).
 * `vars` are the registry's; `options` more Miniflare options for it (e.g. `modules` in front of
 * the bundle). Linux only.
 */
export async function startMeasured(script, vars = {}, options = {}) {
  const before = new Set(workerdPids());
  const state = tempPersistRoot();
  const registry = await startRegistry({ script, persistRoot: state.dir, registryOptions: { vars, ...options } });
  const pid = workerdPids().find((p) => !before.has(p));
  if (!pid) {
    await registry.stop();
    state.cleanup();
    throw new Error('a paired bench reads workerd CPU from /proc: Linux only');
  }
  return {
    url: registry.urls.registry,
    pid,
    stop: async () => {
      await registry.stop();
      state.cleanup();
    },
  };
}

/**
 * Miniflare `modules` for a registry bundle with a bench module in front of it (bench only: the
 * bundle itself is not changed). The module re-exports everything the bundle exports and takes its
 * default export as `worker`; `fetch` is the source of its own fetch method (which passes what it
 * does not answer to `worker.fetch`), `imports` the import lines it needs, `extra` modules beside it.
 */
export function inFrontOf(script, { name, fetch, imports = '', extra = [] }) {
  const built = `./${basename(script)}`;
  const contents = `import worker from '${built}';
${imports}export * from '${built}';
export default {
  ...worker,
  ${fetch},
};
`;
  return [{ type: 'ESModule', path: join(dirname(script), name), contents }, ...extra, { type: 'ESModule', path: script }];
}

export function tempPersistRoot() {
  const dir = mkdtempSync(join(tmpdir(), 'registry-bench-state-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The LLM corpus (test/fixtures/llm-schemas/*.json), read as plain JSON. */
export function loadCorpus() {
  const dir = join(ROOT, 'test', 'fixtures', 'llm-schemas');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
}

export const SR_JSON = 'application/vnd.schemaregistry.v1+json';

/** Register every corpus schema (schemaType JSON) under subject `${prefix}${name}`; returns name -> id. */
export async function registerCorpus(base, corpus, prefix = 'bench-') {
  const ids = {};
  for (const c of corpus) {
    const res = await fetch(`${base}/subjects/${encodeURIComponent(prefix + c.name)}/versions`, {
      method: 'POST',
      headers: { 'content-type': SR_JSON },
      body: JSON.stringify({ schemaType: 'JSON', schema: JSON.stringify(c.schema) }),
    });
    const body = await res.json();
    if (res.status !== 200 || typeof body.id !== 'number') throw new Error(`registering ${c.name}: ${res.status} ${JSON.stringify(body)}`);
    ids[c.name] = body.id;
  }
  return ids;
}
