/**
 * The official JSON Schema Test Suite with NOTHING patched (the integration pool patches `Function`,
 * so code generation would wrongly pass there; see docs/testing.md).
 *
 * 1. Every required test of every draft through the Workers engine, in a harness Worker
 *    (test/e2e/suite-worker/index.ts) bundled here with esbuild and run under plain Miniflare.
 * 2. The production path: draft 2020-12 groups registered as JSON subjects in the BUILT Worker
 *    (dist/index.js, `npm run build` first) and their tests validated through /v1/validate/ids/{id}.
 *    Groups whose schema needs a suite remote (http://localhost:1234/...) are left out: remotes are
 *    not registered subjects.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUITE_DIR, remotes } from '../unit/json/suite-runner';
import { REQUIRED_TOTALS, type RunResult, type SuiteGroup, SUITE_FOLDERS } from './suite-worker/run';
import { type RunningWorker, startWorker } from './worker';

const ROOT = join(import.meta.dirname, '..', '..');
const COMPAT_DATE = /compatibility_date = "([^"]+)"/.exec(readFileSync(join(ROOT, 'wrangler.toml'), 'utf8'))?.[1];

/** Required files of one draft folder: tests/<folder>/*.json (optional/ excluded). */
function requiredFiles(folder: string): Record<string, SuiteGroup[]> {
  const dir = join(SUITE_DIR, 'tests', folder);
  const out: Record<string, SuiteGroup[]> = {};
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('.json')) out[name] = JSON.parse(readFileSync(join(dir, name), 'utf8')) as SuiteGroup[];
  }
  return out;
}

describe('JSON Schema Test Suite: Workers engine bundled, under Miniflare with no Function patch', () => {
  let mf: Miniflare;
  let url: string;
  beforeAll(async () => {
    const bundle = await build({
      entryPoints: [join(import.meta.dirname, 'suite-worker', 'index.ts')],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      conditions: ['workerd', 'worker', 'browser'],
      target: 'es2022',
      logLevel: 'silent',
    });
    mf = new Miniflare({
      modules: true,
      script: bundle.outputFiles[0].text,
      compatibilityDate: COMPAT_DATE,
      compatibilityFlags: ['nodejs_compat'],
    });
    url = (await mf.ready).toString().replace(/\/$/, '');
  });
  afterAll(async () => {
    await mf.dispose();
  });

  it('refuses code generation (so a passing run proves the engine needs none)', async () => {
    const r = (await (await fetch(`${url}/codegen`)).json()) as { function: string; eval: string };
    expect(r.function).toMatch(/^refused: .*[Cc]ode generation/);
    expect(r.eval).toMatch(/^refused: .*[Cc]ode generation/);
  });

  it.each(SUITE_FOLDERS)('$folder: every required test passes', async ({ folder, draft }) => {
    const res = await fetch(`${url}/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ draft, files: requiredFiles(folder), remotes: remotes() }),
    });
    expect(res.status).toBe(200);
    const r = (await res.json()) as RunResult;
    expect(r.failed).toEqual([]);
    expect(r.total).toBe(REQUIRED_TOTALS[folder]);
    expect(r.passed).toBe(r.total);
  });
});

describe('JSON Schema Test Suite through the built Worker: register, then /v1/validate/ids/{id}', () => {
  let worker: RunningWorker;
  beforeAll(async () => {
    worker = await startWorker();
  });
  afterAll(async () => {
    await worker.stop();
  });

  const SR = 'application/vnd.schemaregistry.v1+json';

  it('draft2020-12: every registrable group validates exactly as the suite says', async () => {
    const files = requiredFiles('draft2020-12');
    const groups: { subject: string; label: string; group: SuiteGroup }[] = [];
    let needRemotes = 0;
    for (const [file, gs] of Object.entries(files)) {
      gs.forEach((group, i) => {
        if (JSON.stringify(group.schema).includes('localhost:1234')) needRemotes++;
        else groups.push({ subject: `suite-2020-12-${file.replace(/\.json$/, '')}-${i}`, label: `${file}: ${group.description}`, group });
      });
    }
    const failures: string[] = [];
    let tests = 0;
    const one = async ({ subject, label, group }: (typeof groups)[number]) => {
      const reg = await fetch(`${worker.url}/subjects/${encodeURIComponent(subject)}/versions`, {
        method: 'POST',
        headers: { 'content-type': SR },
        body: JSON.stringify({ schemaType: 'JSON', schema: JSON.stringify(group.schema) }),
      });
      const regBody = (await reg.json()) as { id?: number; message?: string };
      if (reg.status !== 200) {
        failures.push(`${label}: register answered ${reg.status} ${regBody.message}`);
        return;
      }
      const ndjson = group.tests.map((t) => JSON.stringify(t.data)).join('\n') + '\n';
      const val = await fetch(`${worker.url}/v1/validate/ids/${regBody.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body: ndjson,
      });
      const valBody = (await val.json()) as { results?: { valid: boolean }[]; message?: string };
      if (val.status !== 200 || !valBody.results) {
        failures.push(`${label}: validate answered ${val.status} ${valBody.message}`);
        return;
      }
      group.tests.forEach((t, i) => {
        tests++;
        if (valBody.results![i]?.valid !== t.valid) failures.push(`${label} / ${t.description}: expected ${t.valid ? 'valid' : 'invalid'}`);
      });
    };
    // A few requests in flight at a time (writes serialize in the Durable Object anyway).
    const queue = [...groups];
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        for (let g = queue.shift(); g; g = queue.shift()) await one(g);
      }),
    );
    expect(failures).toEqual([]);
    // At the pinned suite commit: 357 groups (1242 tests) registered, 26 left out for remotes.
    expect({ groups: groups.length, tests, needRemotes }).toEqual({ groups: 357, tests: 1242, needRemotes: 26 });
  }, 120_000);
});
