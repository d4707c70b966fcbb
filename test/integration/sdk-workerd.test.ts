/**
 * The TypeScript SDK (packages/client) running inside workerd, the Workers runtime, as a Worker
 * that calls the registry would use it: no Node API, only fetch, AbortSignal.timeout, btoa,
 * TextEncoder and timers. Its requests go to the registry's own fetch handler (auth on, bootstrap
 * admin and a managed writer key). The Node and wire-level behaviour (every method, retries against
 * a stub server) is test/e2e/sdk.test.ts; this file proves the same client runs on the runtime.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { RegistryClient, RegistryError } from '../../packages/client/src/index';
import { createFetch } from '../../src/app';

const handler = createFetch();
const bindings = { ...env, AUTH_MODE: '', REGISTRY_ADMIN_KEY: 'root', REGISTRY_ADMIN_SECRET: 'workerd-bootstrap' };

/** The registry's fetch handler as the SDK's `fetch`, recording what each request carried. */
function registryFetch(seen: Request[] = [], fault?: (req: Request) => Response | undefined): typeof fetch {
  return async (input, init) => {
    const req = new Request(input, init);
    seen.push(req.clone());
    const injected = fault?.(req);
    if (injected) return injected;
    const ctx = createExecutionContext();
    const res = await handler(req, bindings, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  };
}

const person = {
  type: 'object',
  properties: { name: { type: 'string' }, age: { type: 'integer' } },
  required: ['name', 'age'],
  additionalProperties: false,
};

describe('the SDK inside workerd', () => {
  it('authenticates, registers, reads back with the bookmark, exports and parses model output', async () => {
    const seen: Request[] = [];
    const admin = new RegistryClient({
      url: 'http://registry.test',
      auth: { username: 'root', password: 'workerd-bootstrap' },
      fetch: registryFetch(seen),
    });
    const key = await admin.admin.createKey({ name: 'workerd-writer', grants: [{ role: 'writer' }] });
    expect(seen[0].headers.get('authorization')).toBe(`Basic ${btoa('root:workerd-bootstrap')}`);

    const client = new RegistryClient({ url: 'http://registry.test', auth: { apiKey: key.key, secret: key.secret }, fetch: registryFetch(seen) });
    const registered = await client.register('wd-person', { schemaType: 'JSON', schema: JSON.stringify(person) });
    expect(registered.id).toBeGreaterThan(0);
    // The write's bookmark rides on the next read.
    const afterWrite = client.bookmark;
    expect(afterWrite).toBeTruthy();
    const latest = await client.getVersion('wd-person');
    expect(seen.at(-1)?.headers.get('x-registry-bookmark')).toBe(afterWrite);
    expect(latest).toMatchObject({ subject: 'wd-person', version: 1, id: registered.id, schemaType: 'JSON' });

    const tool = await client.llm.openAIChatTool('wd-person');
    expect(tool).toMatchObject({ type: 'function', function: { name: 'wd-person', parameters: { type: 'object', required: ['name', 'age'] } } });

    const ok = await client.parseOutput<{ name: string; age: number }>('wd-person', 'Sure:\n```json\n{"name":"Ada","age":36}\n```');
    expect(ok).toEqual({ ok: true, value: { name: 'Ada', age: 36 } });
    const bad = await client.parseOutput('wd-person', '{"name":"Ada"}');
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors.length).toBeGreaterThan(0);
      expect(bad.repair).toContain('age');
    }
  });

  it('answers typed errors: a wrong secret is 40101, a missing subject 40401, a reader cannot write (40301)', async () => {
    const wrong = new RegistryClient({
      url: 'http://registry.test',
      auth: { apiKey: 'lsr_0123456789abcdef01234567', secret: 'nope' },
      fetch: registryFetch(),
    });
    const e401 = await wrong.listSubjects().catch((e: unknown) => e);
    expect(e401).toBeInstanceOf(RegistryError);
    expect(e401).toMatchObject({ status: 401, errorCode: 40101 });

    const admin = new RegistryClient({
      url: 'http://registry.test',
      auth: { username: 'root', password: 'workerd-bootstrap' },
      fetch: registryFetch(),
    });
    expect(await admin.getVersion('wd-none').catch((e: unknown) => e)).toMatchObject({ status: 404, errorCode: 40401 });
    const key = await admin.admin.createKey({ name: 'workerd-reader', grants: [{ role: 'reader' }] });
    const reader = new RegistryClient({ url: 'http://registry.test', auth: { apiKey: `${key.key}:${key.secret}` }, fetch: registryFetch() });
    expect(await reader.register('wd-x', { schemaType: 'JSON', schema: '{}' }).catch((e: unknown) => e)).toMatchObject({
      status: 403,
      errorCode: 40301,
    });
  });

  it('retries a 503 after its Retry-After on the runtime timers, registrations too (idempotent), never a key creation', async () => {
    const seen: Request[] = [];
    let failures = 1;
    const flaky = () =>
      failures-- > 0 ? new Response('{"error_code":50303,"message":"try again"}', { status: 503, headers: { 'retry-after': '0' } }) : undefined;
    const admin = new RegistryClient({
      url: 'http://registry.test',
      auth: { username: 'root', password: 'workerd-bootstrap' },
      fetch: registryFetch(seen, flaky),
      retry: { baseDelayMs: 1 },
    });
    expect(await admin.listSubjects()).toEqual(expect.any(Array));
    expect(seen.map((r) => r.method)).toEqual(['GET', 'GET']);

    failures = 1;
    seen.length = 0;
    expect((await admin.register('wd-once', { schemaType: 'JSON', schema: '{}' })).id).toBeGreaterThan(0);
    expect(seen.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual(['POST /subjects/wd-once/versions', 'POST /subjects/wd-once/versions']);

    failures = 1;
    seen.length = 0;
    const e = await admin.admin.createKey({ name: 'wd-once', grants: [{ role: 'reader' }] }).catch((err: unknown) => err);
    expect(e).toMatchObject({ status: 503, errorCode: 50303 });
    expect(seen).toHaveLength(1);
  });
});
