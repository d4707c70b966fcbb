/**
 * The TypeScript SDK (packages/client) in a browser: bundled for the page by esbuild and run in
 * Debian's Chromium on the registry's own origin (the console's page, so no CORS is involved and
 * the served CSP's `connect-src 'self'` applies to its requests). The Node run of the same client
 * is sdk.test.ts, the Workers run test/integration/sdk-workerd.test.ts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyMigrations, registryWorker, ROOT } from './registry-worker.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ADMIN = { key: 'root', secret: 'sdk-browser-secret' };

let mf: Miniflare | undefined;
let browser: Browser | undefined;
let url: string;
let bundle: string;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'build', 'assets', 'ui', 'app.js'))) throw new Error('build/assets/ui is missing: run `npm run build` first');
  const out = await build({
    entryPoints: [join(ROOT, 'packages', 'client', 'src', 'index.ts')],
    bundle: true,
    format: 'iife',
    globalName: 'LSR',
    platform: 'browser',
    target: 'es2022',
    write: false,
  });
  // An evaluated script's top-level `var` stays in its own scope: publish the namespace on window.
  bundle = `${out.outputFiles[0].text}\nwindow.LSR = LSR;`;
  mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    workers: [
      registryWorker({ id: 'sdk-browser', ui: true, vars: { AUTH_MODE: '', REGISTRY_ADMIN_KEY: ADMIN.key, REGISTRY_ADMIN_SECRET: ADMIN.secret } }),
    ],
  });
  url = (await mf.ready).toString().replace(/\/$/, '');
  await applyMigrations(mf);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await mf?.dispose();
});

it('registers, reads back with the bookmark, exports, parses model output and fails typed, in Chromium', async () => {
  const page = await browser!.newPage();
  const refused: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
  });
  await page.goto(`${url}/ui/`);
  // Through DevTools: the page's CSP allows no inline script, and none is needed for the test.
  await page.evaluate(bundle);
  const result = await page.evaluate(async (admin) => {
    const { RegistryClient, RegistryError } = (window as any).LSR;
    const client = new RegistryClient({ url: location.origin, auth: { username: admin.key, password: admin.secret } });
    const schema = JSON.stringify({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false });
    const registered = await client.register('browser-weather', { schemaType: 'JSON', schema });
    const bookmark = client.bookmark;
    const latest = await client.getVersion('browser-weather');
    const tool = await client.llm.anthropicTool('browser-weather');
    const ok = await client.parseOutput('browser-weather', 'Here you go: {"city":"Lyon"}');
    const bad = await client.parseOutput('browser-weather', '{"town":"Lyon"}');
    const missing = await client.getVersion('browser-none').catch((e: unknown) => e);
    return {
      id: registered.id,
      bookmark: typeof bookmark === 'string' && bookmark.length > 0,
      latest: { subject: latest.subject, version: latest.version, id: latest.id },
      tool: { name: tool.name, required: tool.input_schema.required },
      ok,
      badOk: bad.ok,
      badHasRepair: typeof bad.repair === 'string' && bad.repair.length > 0,
      missing: { typed: missing instanceof RegistryError, status: missing.status, errorCode: missing.errorCode },
    };
  }, ADMIN);
  expect(result).toEqual({
    id: 1,
    bookmark: true,
    latest: { subject: 'browser-weather', version: 1, id: 1 },
    tool: { name: 'browser-weather', required: ['city'] },
    ok: { ok: true, value: { city: 'Lyon' } },
    badOk: false,
    badHasRepair: true,
    missing: { typed: true, status: 404, errorCode: 40401 },
  });
  expect(refused).toEqual([]);
  await page.close();
});
