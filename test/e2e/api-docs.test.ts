/**
 * GET /docs/: the interactive API reference, served by the built Worker's static assets (nothing
 * from a CDN), rendering every operation of the Worker's own /openapi.json in a real headless
 * Chromium (Debian's `chromium`, driven by playwright-core).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, registryWorker, ROOT } from './registry-worker.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let mf: Miniflare;
let url: string;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'build', 'assets', 'docs', 'index.html'))) throw new Error('build/assets/docs is missing: run `npm run build` first');
  mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    workers: [
      registryWorker({ id: 'api-docs', ui: true, vars: { AUTH_MODE: '', REGISTRY_ADMIN_KEY: 'root', REGISTRY_ADMIN_SECRET: 'api-docs-e2e-secret' } }),
    ],
  });
  url = (await mf.ready).toString().replace(/\/$/, '');
  await applyMigrations(mf);
});
afterAll(async () => {
  await mf.dispose();
});

describe('GET /docs/', () => {
  it('is served from the Worker, without credentials, with the licence of what it ships', async () => {
    const bare = await fetch(`${url}/docs`, { redirect: 'manual' });
    expect(bare.status).toBe(307);
    expect(bare.headers.get('location')).toBe('/docs/');
    const page = await fetch(`${url}/docs/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    // Security headers from build/assets/_headers (ui/_headers).
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp.split(/;\s*/)).toEqual(
      expect.arrayContaining(["default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"]),
    );
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const html = await page.text();
    expect(html).toContain('<script src="swagger-ui-bundle.js"></script>');
    expect(html).not.toMatch(/https?:\/\//); // nothing from another origin
    expect(await (await fetch(`${url}/docs/init.js`)).text()).toContain("url: '/openapi.json'");
    expect((await fetch(`${url}/docs/swagger-ui-bundle.js`)).status).toBe(200);
    expect(await (await fetch(`${url}/docs/LICENSE`)).text()).toContain('Apache License');
    // The API itself still needs credentials.
    expect((await fetch(`${url}/subjects`)).status).toBe(401);
  });

  it('renders every operation of /openapi.json in a browser, loading nothing from elsewhere', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    const document = (await (await fetch(`${url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.values(document.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const elsewhere: string[] = [];
      const errors: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(url) && !r.url().startsWith('data:')) elsewhere.push(r.url());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) errors.push(m.text());
      });
      await page.goto(`${url}/docs/`);
      await page.waitForSelector('.opblock', { timeout: 30_000 });
      expect(await page.locator('.opblock').count()).toBe(operations);
      expect(await page.locator('.info .title').textContent()).toContain('LLM Schema Registry');
      expect(elsewhere).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
