/**
 * The TypeScript SDK as published (packages/client/dist) in Deno and in Bun, both real runtimes
 * installed from npm as devDependencies (`deno`, `bun`), against the built Worker. The same
 * scenario as the Chromium run (sdk-browser.test.ts), plus a retry through a 503 with
 * Retry-After served by a stub here, so each runtime's own fetch and timers carry it.
 * Node is sdk.test.ts, Workers test/integration/sdk-workerd.test.ts.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './registry-worker.mjs';
import { type RunningWorker, startWorker } from './worker';

const run = promisify(execFile);
const ADMIN = { key: 'root', secret: 'sdk-runtimes-secret' };
const SCENARIO = join(ROOT, 'test', 'e2e', 'sdk-runtime-scenario.mjs');
const bin = (name: string): string => join(ROOT, 'node_modules', '.bin', name);

// Each runtime gets its own command: Deno with no config or lockfile and network only to 127.0.0.1.
const RUNTIMES = {
  deno: [bin('deno'), ['run', '--no-config', '--no-lock', '--no-prompt', '--allow-net=127.0.0.1', '--allow-env', SCENARIO]],
  bun: [bin('bun'), ['run', SCENARIO]],
} as const;

let worker: RunningWorker;
let stub: Server;
let stubUrl: string;
const stubHits = new Map<string, number>();

beforeAll(async () => {
  worker = await startWorker({ AUTH_MODE: '', REGISTRY_ADMIN_KEY: ADMIN.key, REGISTRY_ADMIN_SECRET: ADMIN.secret });
  // The first request from each runtime (told apart by its User-Agent) is refused for one second.
  stub = createServer((req, res) => {
    const agent = (req.headers['user-agent'] ?? '').split('/')[0].toLowerCase();
    const hits = (stubHits.get(agent) ?? 0) + 1;
    stubHits.set(agent, hits);
    res.setHeader('content-type', 'application/vnd.schemaregistry.v1+json');
    if (hits === 1) {
      res.writeHead(503, { 'retry-after': '1' }).end(JSON.stringify({ error_code: 50301, message: 'try again' }));
    } else {
      res.writeHead(200).end(JSON.stringify(['from-stub']));
    }
  });
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => stub.close(resolve));
  await worker.stop();
});

describe.each(Object.entries(RUNTIMES))('SDK in %s', (runtime, [command, args]) => {
  it('registers, reads back with the bookmark, exports, parses model output, fails typed and retries after Retry-After', async () => {
    const { stdout } = await run(command, [...args], {
      cwd: ROOT,
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        LSR_RUNTIME: runtime,
        LSR_URL: worker.url,
        LSR_ADMIN_KEY: ADMIN.key,
        LSR_ADMIN_SECRET: ADMIN.secret,
        LSR_STUB_URL: stubUrl,
      },
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(result).toEqual({
      id: expect.any(Number),
      bookmark: true,
      latest: { subject: `${runtime}-weather`, version: 1, id: expect.any(Number) },
      tool: { name: `${runtime}-weather`, required: ['city'] },
      ok: { ok: true, value: { city: 'Lyon' } },
      badOk: false,
      badHasRepair: true,
      missing: { typed: true, status: 404, errorCode: 40401 },
      retried: ['from-stub'],
      waitedAtLeastRetryAfter: true,
    });
    expect(result.latest.id).toBe(result.id);
    expect(stubHits.get(runtime)).toBe(2);
  }, 90_000);
});
