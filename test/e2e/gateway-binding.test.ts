/**
 * The example gateway (examples/llm-gateway) and the BUILT registry (dist/index.js) as two Workers
 * in one Miniflare, the gateway bound to the registry's RegistryService entrypoint exactly as its
 * wrangler.toml says. The registry is driven over its HTTP API, the gateway over its own socket;
 * the gateway reaches the registry only through the service binding: it has no registry URL, and
 * every outbound fetch it might make is caught and counted (there must be none).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare, Response as MiniflareResponse } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, compatibilityDate, registryWorker, ROOT } from './registry-worker.mjs';

const GATEWAY_CONFIG = join(ROOT, 'examples', 'llm-gateway', 'wrangler.toml');

/** Bundles the gateway the way `wrangler deploy` would, into a temporary directory. */
function buildGateway(outdir: string): string {
  const wrangler = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
  execFileSync(process.execPath, [wrangler, 'deploy', '--dry-run', '--outdir', outdir, '-c', GATEWAY_CONFIG], {
    cwd: ROOT,
    stdio: 'pipe',
    env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
  });
  return join(outdir, 'index.js');
}

let mf: Miniflare;
let registryUrl: string;
let gatewayUrl: string;
let outdir: string;
let gatewayScript: string;
/** Every request the gateway tried to send anywhere but through a binding. */
const outbound: string[] = [];

beforeAll(async () => {
  const registryScript = join(ROOT, 'dist', 'index.js');
  if (!existsSync(registryScript)) throw new Error('dist/index.js is missing: run `npm run build` first');
  outdir = mkdtempSync(join(tmpdir(), 'llm-gateway-'));
  gatewayScript = buildGateway(outdir);

  mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    workers: [
      registryWorker({ id: 'gateway-e2e' }),
      {
        name: 'gateway',
        modules: [{ type: 'ESModule', path: gatewayScript }],
        modulesRoot: outdir,
        compatibilityDate: compatibilityDate(GATEWAY_CONFIG),
        serviceBindings: { REGISTRY: { name: 'llm-schema-registry', entrypoint: 'RegistryService' } },
        outboundService: (request: { url: string }) => {
          outbound.push(request.url);
          return new MiniflareResponse('the gateway has no network access in this test', { status: 502 });
        },
        unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }],
      },
    ],
  });
  registryUrl = (await mf.ready).toString().replace(/\/$/, '');
  gatewayUrl = (await mf.unsafeGetDirectURL('gateway')).toString().replace(/\/$/, '');
  await applyMigrations(mf);
});

afterAll(async () => {
  await mf.dispose();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

const weather = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  description: 'Get the weather forecast for a city.',
  type: 'object',
  properties: {
    city: { type: 'string', minLength: 1 },
    unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
    days: { type: 'integer', minimum: 1, maximum: 14 },
  },
  required: ['city'],
};

interface GatewayAnswer {
  ok: boolean;
  arguments?: unknown;
  errors?: { instancePath: string; keyword: string; message: string }[];
  repair?: string;
  error?: { error_code: number; message: string };
}

async function toolCall(tool: string, output: string): Promise<{ status: number; body: GatewayAnswer }> {
  const r = await fetch(`${gatewayUrl}/chat-tool-call`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tool, output }),
  });
  return { status: r.status, body: (await r.json()) as GatewayAnswer };
}

describe('example gateway bound to the registry (RegistryService over a service binding)', () => {
  let id: number;

  beforeAll(async () => {
    const r = await fetch(`${registryUrl}/subjects/get_weather/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schemaType: 'JSON', schema: JSON.stringify(weather) }),
    });
    expect(r.status).toBe(200);
    id = ((await r.json()) as { id: number }).id;
    expect(id).toBeGreaterThan(0);
  });

  it('answers 200 with the arguments for a valid tool call in a code fence', async () => {
    const output = 'Sure, let me look that up.\n```json\n{"city": "Oslo", "unit": "celsius", "days": 3}\n```\n';
    expect(await toolCall('get_weather', output)).toEqual({
      status: 200,
      body: { ok: true, arguments: { city: 'Oslo', unit: 'celsius', days: 3 } },
    });
  });

  it('answers 422 with the errors and a repair prompt naming the path for an invalid call', async () => {
    const { status, body } = await toolCall('get_weather', '```json\n{"city": "Oslo", "days": "three"}\n```');
    expect(status).toBe(422);
    expect(body.ok).toBe(false);
    expect(body.errors?.map((e) => e.instancePath)).toContain('/days');
    expect(body.repair).toMatch(/^The JSON does not match the required schema\./);
    expect(body.repair).toContain('At /days: expected integer');
    expect(body.repair).toContain('"three"');
  });

  it('answers 422 with the "no JSON" repair prompt when the output holds no JSON', async () => {
    const { status, body } = await toolCall('get_weather', 'I cannot help with that.');
    expect(status).toBe(422);
    expect(body).toMatchObject({ ok: false, errors: [] });
    expect(body.repair).toMatch(/^No JSON value was found in your answer \(/);
  });

  it('answers 404 with error_code 40401 for an unknown tool', async () => {
    expect(await toolCall('launch_rockets', '{"target": "moon"}')).toEqual({
      status: 404,
      body: { ok: false, error: { error_code: 40401, message: "Subject 'launch_rockets' not found." } },
    });
  });

  it('answers 422 for a request body of the wrong shape, without asking the registry', async () => {
    const r = await fetch(`${gatewayUrl}/chat-tool-call`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"tool": 1}' });
    expect(r.status).toBe(422);
    expect(((await r.json()) as GatewayAnswer).error?.error_code).toBe(422);
  });

  it('GET /tools/:name resolves the latest version through the binding', async () => {
    const r = await fetch(`${gatewayUrl}/tools/get_weather`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { subject: string; version: number; id: number; schemaType: string; schema: string };
    expect(body).toMatchObject({ subject: 'get_weather', version: 1, id, schemaType: 'JSON' });
    expect(JSON.parse(body.schema)).toMatchObject({ required: ['city'] });
    const missing = await fetch(`${gatewayUrl}/tools/launch_rockets`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as GatewayAnswer).error?.error_code).toBe(40401);
  });

  it('validates against a new latest version registered over HTTP within the latest-cache window', async () => {
    const call = '{"city": "Oslo", "days": 15}';
    expect((await toolCall('get_weather', call)).status).toBe(422);
    // A backward-compatible change (a maximum raised) as version 2.
    const v2 = { ...weather, properties: { ...weather.properties, days: { type: 'integer', minimum: 1, maximum: 16 } } };
    const r = await fetch(`${registryUrl}/subjects/get_weather/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schemaType: 'JSON', schema: JSON.stringify(v2) }),
    });
    expect(r.status).toBe(200);
    expect(((await (await fetch(`${gatewayUrl}/tools/get_weather`)).json()) as { version: number }).version).toBe(2);
    // validate resolves `latest` through a cache that lives a few seconds (LATEST_TTL_MS = 5 s in
    // src/services/validators.ts), so the gateway picks version 2 up within that window.
    const deadline = Date.now() + 8_000;
    let answer = await toolCall('get_weather', call);
    while (answer.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      answer = await toolCall('get_weather', call);
    }
    expect(answer).toEqual({ status: 200, body: { ok: true, arguments: { city: 'Oslo', days: 15 } } });
  });

  it('went through the binding: the gateway made no outbound request and has no registry URL', () => {
    expect(outbound).toEqual([]);
    const bundle = readFileSync(gatewayScript, 'utf8');
    expect(bundle).not.toContain(new URL(registryUrl).host);
    // The only binding the gateway declares is the service binding to the registry's entrypoint.
    const config = readFileSync(GATEWAY_CONFIG, 'utf8');
    expect(config.match(/^\[\[?[a-z_.]+\]\]?$/gm)).toEqual(['[[services]]']);
    expect(config).toMatch(/entrypoint = "RegistryService"/);
  });
});
