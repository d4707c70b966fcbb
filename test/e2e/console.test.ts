/**
 * The web console in a real headless Chromium (Debian's `chromium`, driven by playwright-core),
 * served by the built Worker with its static assets under Miniflare, auth on. Each page is checked
 * with axe-core in light and dark. UPDATE_SCREENSHOTS=1 writes docs/screenshots/*.png.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, registryWorker, ROOT } from './registry-worker.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ADMIN = { key: 'root', secret: 'console-e2e-secret' };
const BASIC = `Basic ${Buffer.from(`${ADMIN.key}:${ADMIN.secret}`).toString('base64')}`;
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'screenshots') : undefined;
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let mf: Miniflare | undefined;
let url: string;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;
/** What Chromium reports refusing under the served Content-Security-Policy: nothing, by the last test. */
const refused: string[] = [];

async function call(method: string, path: string, body?: unknown, type = 'application/json'): Promise<any> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: BASIC, 'content-type': type },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

const registerSchema = (subject: string, schema: unknown, extra: Record<string, unknown> = {}) =>
  call('POST', `/subjects/${encodeURIComponent(subject)}/versions`, { schema: JSON.stringify(schema), ...extra });

async function axe(name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE); // through DevTools: the page's CSP allows no inline script
    const result: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] = await page.evaluate(async () => {
      const r = await (window as any).axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v: any) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n: any) => ({ target: n.target })) }));
    });
    const serious = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious, `${name} (${scheme}): ${JSON.stringify(serious, null, 1)}`).toEqual([]);
    // Every page in light; the subject page (the diff) in dark too.
    if (SHOTS && (scheme === 'light' || name === 'subject')) {
      // The subject page is shown at its diff; the others from the top.
      if (name !== 'subject')
        await page.evaluate(() => {
          window.scrollTo(0, 0);
        });
      await page.screenshot({ path: join(SHOTS, `${name}-${scheme}.png`), fullPage: false });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'build', 'assets', 'ui', 'app.js'))) throw new Error('build/assets/ui is missing: run `npm run build` first');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    workers: [
      registryWorker({ id: 'console', ui: true, vars: { AUTH_MODE: '', REGISTRY_ADMIN_KEY: ADMIN.key, REGISTRY_ADMIN_SECRET: ADMIN.secret } }),
    ],
  });
  url = (await mf.ready).toString().replace(/\/$/, '');
  await applyMigrations(mf);

  // A registry to look at: a JSON Schema subject with two versions, an Avro and a Protobuf one, and many others.
  await registerSchema(
    'orders-value',
    { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'], additionalProperties: false },
    { schemaType: 'JSON' },
  );
  await registerSchema(
    'orders-value',
    {
      type: 'object',
      properties: { id: { type: 'integer' }, note: { type: 'string', description: 'Free text' } },
      required: ['id'],
      additionalProperties: false,
    },
    { schemaType: 'JSON' },
  );
  await registerSchema('payments-value', { type: 'record', name: 'Payment', fields: [{ name: 'id', type: 'long' }] });
  await call('POST', `/subjects/users-proto/versions`, {
    schemaType: 'PROTOBUF',
    schema: 'syntax = "proto3";\npackage demo;\n\n// A user\nmessage User {\n  string name = 1;\n  int64 id = 2;\n}\n',
  });
  for (let i = 0; i < 60; i++) await registerSchema(`bulk-${String(i).padStart(3, '0')}`, { type: 'string' });

  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
  page = await context.newPage();
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
  });
  page.setDefaultTimeout(20_000);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await mf?.dispose();
});

describe('the web console', () => {
  it('is served under /ui/ without shadowing the API', async () => {
    const redirect = await fetch(`${url}/ui`, { redirect: 'manual' });
    expect([301, 302, 307, 308]).toContain(redirect.status);
    expect(redirect.headers.get('location')).toMatch(/\/ui\/$/);
    const index = await fetch(`${url}/ui/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<main id="main"');
    // Security headers from build/assets/_headers (ui/_headers), on the page and on its script.
    for (const res of [index, await fetch(`${url}/ui/app.js`)]) {
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp.split(/;\s*/)).toEqual(
        expect.arrayContaining(["default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"]),
      );
      expect(csp).not.toContain('unsafe');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
    // The API is still the Worker's, still behind authentication.
    const subjects = await fetch(`${url}/subjects`);
    expect(subjects.status).toBe(401);
    // The console's requests get a Bearer challenge: a Basic one would open the browser's own dialog.
    const console401 = await fetch(`${url}/subjects`, { headers: { 'x-requested-with': 'llm-schema-registry-console' } });
    expect(console401.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('signs in with an API key and finds a subject by typing', async () => {
    await page.goto(`${url}/ui/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await axe('signin');
    await page.getByLabel('Key id').fill(ADMIN.key);
    await page.getByLabel('Secret').fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Those credentials were refused.').waitFor();
    await page.getByLabel('Secret').fill(ADMIN.secret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Subjects' }).waitFor();
    // 63 subjects: one page of 50, then the next.
    await page.getByText('Subjects 1–50').waitFor();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Subjects 51–63 of 63').waitFor();
    await page.getByLabel('Find subjects').fill('ord');
    await page.getByText('Subjects 1–1 of 1').waitFor();
    await page.getByRole('link', { name: 'orders-value' }).waitFor();
    expect(await page.locator('#subject-results li').count()).toBe(1);
    await axe('subjects');
  });

  it('shows a subject with its schema highlighted and a side-by-side diff', async () => {
    await page.getByRole('link', { name: 'orders-value' }).click();
    await page.getByRole('heading', { name: 'orders-value', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Version 2' }).waitFor();
    expect(await page.locator('pre.code .tok-key', { hasText: '"note"' }).count()).toBe(1);
    await page.getByLabel('From').selectOption('1');
    await page.getByLabel('To').selectOption('2');
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.getByText(/changed lines between v1 and v2/).waitFor();
    const added = await page.locator('table.diff td.add').allTextContents();
    expect(added.join('\n')).toContain('"description": "Free text"');
    // v2 only adds lines: nothing on the left is marked removed.
    expect(await page.locator('table.diff td.del').count()).toBe(0);
    await axe('subject');
  });

  it('checks a schema against the subject before registering it', async () => {
    await page.goto(`${url}/ui/#/check/orders-value`);
    await page.getByRole('heading', { name: 'Check & register' }).waitFor();
    await page.getByLabel('Schema type').selectOption('JSON');
    const incompatible = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'], additionalProperties: false };
    await page.getByLabel('Schema', { exact: true }).fill(JSON.stringify(incompatible));
    await page.getByRole('button', { name: 'Check compatibility' }).click();
    await page.getByText('Incompatible: registering it would be refused.').waitFor();
    expect(await page.getByRole('list', { name: 'Reasons' }).locator('li').count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Register' }).isDisabled()).toBe(true);
    await axe('check');
    const compatible = {
      type: 'object',
      properties: { id: { type: 'integer' }, note: { type: 'string', description: 'Free text' }, tag: { type: 'string' } },
      required: ['id'],
      additionalProperties: false,
    };
    await page.getByLabel('Schema', { exact: true }).fill(JSON.stringify(compatible));
    await page.getByRole('button', { name: 'Check compatibility' }).click();
    await page.getByText('Compatible: the subject’s compatibility level accepts this schema.').waitFor();
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByText(/Registered with schema id \d+/).waitFor();
    expect(await call('GET', '/subjects/orders-value/versions')).toEqual([1, 2, 3]);
  });

  it('validates raw model output: errors at their instance paths, the extracted value, the repair hint', async () => {
    await page.goto(`${url}/ui/#/validate/orders-value`);
    await page.getByRole('heading', { name: 'Validate' }).waitFor();
    await page.getByLabel('Document or model output').fill('Sure! Here is the order:\n```json\n{"id": "seven"}\n```');
    await page.getByRole('button', { name: 'Validate' }).click();
    await page.getByText(/^Invalid: 1 error\.$/).waitFor();
    const row = page.getByRole('table', { name: 'Validation errors' }).locator('tbody tr');
    expect(await row.locator('td').first().textContent()).toBe('/id');
    expect(await page.getByRole('region', { name: 'The extracted value' }).textContent()).toContain('"seven"');
    expect(await page.locator('p.repair').textContent()).toMatch(/\S/);
    await axe('validate');
  });

  it('exports for each provider with its findings and copies the definition', async () => {
    await page.goto(`${url}/ui/#/export/orders-value?v=latest`);
    const section = page.locator('section[data-target="openai-response-format"]');
    await section.getByRole('button', { name: 'Copy' }).waitFor();
    expect(await page.locator('section.export').count()).toBe(6);
    await section.getByRole('button', { name: 'Copy' }).click();
    await section.getByText('Copied to the clipboard.').waitFor();
    const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
    const served = await call('GET', '/v1/subjects/orders-value/versions/latest/export?target=openai-response-format&fix=true');
    expect(copied).toEqual(served.output);
    await axe('export');
  });

  it("lets an admin change a subject's compatibility and read keys and the audit log", async () => {
    await page.goto(`${url}/ui/#/subjects/payments-value`);
    await page.getByRole('heading', { name: 'payments-value', level: 1 }).waitFor();
    await page.getByLabel('Compatibility level').selectOption('FULL');
    await page.getByRole('button', { name: 'Save compatibility' }).click();
    await page.getByText('Compatibility set to FULL.').waitFor();
    expect((await call('GET', '/config/payments-value')).compatibilityLevel).toBe('FULL');
    await call('POST', '/v1/admin/keys', { name: 'console reader', grants: ['reader'] });
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('table', { name: 'API keys' }).getByText('console reader').waitFor();
    expect(await page.getByRole('table', { name: 'Audit log' }).locator('tbody tr').count()).toBeGreaterThan(0);
    await axe('admin');
  });

  it('lists the change events a page at a time, linking their subjects', async () => {
    await page.goto(`${url}/ui/#/changes`);
    const table = page.getByRole('table', { name: 'Change events' });
    await table.waitFor();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(50);
    expect(await rows.first().locator('td').allTextContents()).toEqual([
      '1',
      expect.any(String),
      'register',
      'orders-value',
      '1',
      '1',
      'bootstrap:root',
    ]);
    await axe('changes');
    // The compatibility the admin test set is a later change: page on to it.
    await page.getByRole('link', { name: 'Next changes' }).click();
    const setConfig = page.getByRole('table', { name: 'Change events' }).locator('tbody tr', { hasText: 'set-config' });
    await setConfig.waitFor();
    expect(await setConfig.locator('td').nth(3).textContent()).toBe('payments-value');
    await setConfig.getByRole('link', { name: 'payments-value' }).click();
    await page.getByRole('heading', { name: 'payments-value', level: 1 }).waitFor();
  });

  it('offers a narrower key only what its grants allow (from GET /v1/whoami)', async () => {
    const key = await call('POST', '/v1/admin/keys', { name: 'console pay writer', grants: ['reader', 'writer@./pay'] });
    const own = await browser!.newContext({ viewport: { width: 1280, height: 860 } });
    const p = await own.newPage();
    p.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
    });
    p.setDefaultTimeout(20_000);
    try {
      await p.goto(`${url}/ui/`);
      await p.getByLabel('Key id').fill(key.key);
      await p.getByLabel('Secret').fill(key.secret);
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByRole('heading', { name: 'Subjects' }).waitFor();
      expect(await p.getByRole('link', { name: 'Admin' }).count()).toBe(0);

      // Not an admin on the subject: the settings as text, no Save button to be refused.
      await p.goto(`${url}/ui/#/subjects/payments-value`);
      await p.getByText(/needs the admin role on this subject, which this credential does not have/).waitFor();
      expect(await p.getByRole('button', { name: 'Save compatibility' }).count()).toBe(0);
      expect(await p.locator('dl.settings dd').first().textContent()).toBe('FULL');

      // A writer under pay*, not on orders-value: checking works everywhere, registering only there.
      await p.goto(`${url}/ui/#/check/orders-value`);
      await p.getByLabel('Schema type').selectOption('JSON');
      await p.getByLabel('Schema', { exact: true }).fill(JSON.stringify({ type: 'object' }));
      await p.getByRole('button', { name: 'Check compatibility' }).click();
      await p.locator('#register-denied').waitFor();
      expect(await p.getByRole('button', { name: 'Register' }).isDisabled()).toBe(true);

      await p.goto(`${url}/ui/#/check/pay-new`);
      await p.getByLabel('Schema type').selectOption('JSON');
      await p.getByLabel('Schema', { exact: true }).fill(JSON.stringify({ type: 'object' }));
      await p.getByRole('button', { name: 'Check compatibility' }).click();
      // An empty subject accepts anything (POST /compatibility/subjects/{s}/versions checks no history).
      await p.getByText(/^(Compatible: the subject’s compatibility level accepts this schema\.|A new subject: .* It can be registered\.)$/).waitFor();
      expect(await p.getByRole('button', { name: 'Register' }).isDisabled()).toBe(false);
      expect(await p.locator('#register-denied').count()).toBe(0);
      await p.getByRole('button', { name: 'Register' }).click();
      await p.getByText(/Registered with schema id \d+/).waitFor();
    } finally {
      await own.close();
    }
  });

  it('is keyboard navigable: the skip link moves focus to the content', async () => {
    await page.goto(`${url}/ui/#/`);
    await page.reload();
    await page.getByRole('heading', { name: 'Subjects' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('skip');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('context');
    // The route did not change: the skip link does not touch the router's hash.
    expect(new URL(page.url()).hash).toBe('#/');
  });

  it('ran every page under the served CSP without a violation', () => {
    expect(refused).toEqual([]);
  });
});
