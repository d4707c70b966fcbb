// The built registry (dist/index.js) as a Miniflare worker: the bindings of wrangler.toml, in one
// place for the e2e tests, the benchmarks and the load runner. Plain JS so Node scripts can use it.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function compatibilityDate(config = join(ROOT, 'wrangler.toml')) {
  return /compatibility_date = "([^"]+)"/.exec(readFileSync(config, 'utf8'))?.[1];
}

/** The `[vars]` of wrangler.toml (simple `KEY = "value"` lines), so the built Worker runs with what a deploy has. */
function wranglerVars(config = join(ROOT, 'wrangler.toml')) {
  const text = readFileSync(config, 'utf8');
  const section = /^\[vars\]\s*$([\s\S]*?)(?=^\[)/m.exec(text)?.[1] ?? '';
  return Object.fromEntries([...section.matchAll(/^([A-Z_][A-Z0-9_]*)\s*=\s*"([^"]*)"\s*$/gm)].map((m) => [m[1], m[2]]));
}

/**
 * In front of the built Worker when the e2e suite records answers (test/e2e/setup-openapi.ts): it
 * passes each request through unchanged and hands a copy of the answer to the test process, which
 * checks it against the OpenAPI document. Everything else of the Worker is re-exported as built.
 */
function recorderModule(script) {
  const built = `./${basename(script)}`;
  return `import worker from '${built}';
export * from '${built}';
let document;
export default {
  ...worker,
  async fetch(request, env, ctx) {
    document ??= await (await worker.fetch(new Request('http://registry/openapi.json'), env, ctx)).text();
    const response = await worker.fetch(request, env, ctx);
    const body = await response.clone().text();
    await env.OPENAPI_RECORDER.fetch('http://recorder/', {
      method: 'POST',
      body: JSON.stringify({ method: request.method, url: request.url, status: response.status, type: response.headers.get('content-type'), body, document }),
    });
    return response;
  },
};
`;
}

export function registryWorker({
  name = 'llm-schema-registry',
  script = join(ROOT, 'dist', 'index.js'),
  id = 'e2e',
  vars = {},
  writeLimit = 1_000_000,
  serviceBindings = {},
  ui = false,
  ...rest
} = {}) {
  const record = globalThis.__openapiRecorder;
  const built = { type: 'ESModule', path: script };
  return {
    // The web console's static assets (build/assets, as wrangler.toml's [assets]): opt-in, since the
    // asset router in front changes nothing the API tests look at but costs a hop.
    ...(ui
      ? {
          assets: {
            directory: join(ROOT, 'build', 'assets'),
            routerConfig: { has_user_worker: true },
            assetConfig: { html_handling: 'auto-trailing-slash', not_found_handling: 'none' },
          },
        }
      : {}),
    name,
    modules: record
      ? [{ type: 'ESModule', path: join(dirname(script), '__openapi_recorder.mjs'), contents: recorderModule(script) }, built]
      : [built],
    serviceBindings: record
      ? {
          ...serviceBindings,
          OPENAPI_RECORDER: async (request) => {
            record(await request.json());
            return new Response(null, { status: 204 });
          },
        }
      : serviceBindings,
    modulesRoot: dirname(script),
    compatibilityDate: compatibilityDate(),
    compatibilityFlags: ['nodejs_compat'],
    d1Databases: { DB: `${id}-db` },
    kvNamespaces: { SCHEMA_KV: `${id}-kv` },
    r2Buckets: { ARCHIVE: `${id}-archive` },
    durableObjects: { WRITER: { className: 'RegistryWriter', useSQLite: true } },
    // Tests and benchmarks register far more than a client would in a minute.
    ratelimits: {
      WRITE_LIMITER: { namespace_id: '1001', simple: { limit: writeLimit, period: 60 } },
      AUTH_FAIL_LIMITER: { namespace_id: '1002', simple: { limit: 30, period: 60 } },
    },
    // Open (AUTH_MODE none) unless a test passes credentials in `vars`.
    bindings: { ...wranglerVars(), AUTH_MODE: 'none', ...vars },
    ...rest,
  };
}

/** Apply migrations/*.sql (drizzle-kit's statement breakpoints) to the worker's D1. */
export async function applyMigrations(mf, workerName = 'llm-schema-registry') {
  const db = await mf.getD1Database('DB', workerName);
  const dir = join(ROOT, 'migrations');
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    const statements = readFileSync(join(dir, file), 'utf8').split('--> statement-breakpoint');
    for (const s of statements.map((x) => x.trim()).filter(Boolean)) await db.prepare(s).run();
  }
}
