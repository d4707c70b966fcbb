/**
 * The TypeScript SDK (packages/client) against the built Worker, auth on, 8.x response profile:
 * every auth mode, the API across subjects, ids, guids, compatibility, config, mode, contexts,
 * validation, exports and admin; the bookmark carried from a write to later reads; the LLM
 * helpers' shapes; parseOutput. Retries are driven by a local stub server (Retry-After, bounded
 * attempts, never for a request that is not safe to repeat).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient, RegistryError } from '../../packages/client/src/index';
import { type RunningWorker, startWorker } from './worker';

let worker: RunningWorker;
let admin: RegistryClient;
let writer: { key: string; secret: string };

const person = {
  type: 'object',
  title: 'A person',
  properties: { name: { type: 'string' }, age: { type: 'integer' } },
  required: ['name', 'age'],
  additionalProperties: false,
};
const invoice = {
  type: 'object',
  description: 'Extract an invoice',
  properties: { number: { type: 'string' }, total_cents: { type: 'integer' }, buyer: { $ref: 'person.json' } },
  required: ['number', 'total_cents', 'buyer'],
  additionalProperties: false,
};

async function rejection(p: Promise<unknown>): Promise<RegistryError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(RegistryError);
  return e as RegistryError;
}

beforeAll(async () => {
  worker = await startWorker({ AUTH_MODE: '', REGISTRY_ADMIN_KEY: 'root', REGISTRY_ADMIN_SECRET: 'sdk-bootstrap-secret', RESPONSE_PROFILE: '8' });
  admin = new RegistryClient({ url: worker.url, auth: { username: 'root', password: 'sdk-bootstrap-secret' } });
  writer = await admin.admin.createKey({ name: 'sdk-writer', grants: [{ role: 'writer' }] });
});
afterAll(async () => {
  await worker.stop();
});

describe('SDK against the built Worker', () => {
  it('auth: API key in both forms, Bearer, Basic; a wrong secret is a typed 40101', async () => {
    const forms = [
      { apiKey: `${writer.key}:${writer.secret}` },
      { apiKey: writer.key, secret: writer.secret },
      { bearer: `${writer.key}:${writer.secret}` },
    ];
    for (const auth of forms) expect(await new RegistryClient({ url: worker.url, auth }).listSubjects()).toEqual([]);
    const wrong = await rejection(
      new RegistryClient({ url: worker.url, auth: { apiKey: writer.key, secret: 'nope' }, retry: { attempts: 1 } }).listSubjects(),
    );
    expect(wrong).toMatchObject({ status: 401, errorCode: 40101 });
    const anonymous = await rejection(new RegistryClient({ url: worker.url }).listSubjects());
    expect(anonymous.errorCode).toBe(40101);
    // A writer may not read the admin API: 40301, not retried.
    const forbidden = await rejection(new RegistryClient({ url: worker.url, auth: forms[0] }).admin.listKeys());
    expect(forbidden).toMatchObject({ status: 403, errorCode: 40301, transient: false });
  });

  it('subjects, versions, references, ids, guids, lookup, compatibility (typed errors)', async () => {
    const c = new RegistryClient({ url: worker.url, auth: { apiKey: `${writer.key}:${writer.secret}` } });
    const p = await c.register('person', { schemaType: 'JSON', schema: JSON.stringify(person) });
    expect(p).toMatchObject({ id: 1, version: 1, schemaType: 'JSON' });
    const inv = await c.register('invoice', {
      schemaType: 'JSON',
      schema: JSON.stringify(invoice),
      references: [{ name: 'person.json', subject: 'person', version: 1 }],
    });
    expect(inv).toMatchObject({ id: 2, version: 1 });
    // Registration is idempotent: the same id, no new version.
    expect((await c.register('person', { schemaType: 'JSON', schema: JSON.stringify(person) })).id).toBe(1);

    expect(await c.listSubjects()).toEqual(['invoice', 'person']);
    expect(await c.listVersions('invoice')).toEqual([1]);
    const v = await c.getVersion('invoice', 'latest');
    expect(v).toMatchObject({ subject: 'invoice', version: 1, id: 2, schemaType: 'JSON', references: [{ subject: 'person' }] });
    expect(JSON.parse(await c.getVersionSchema('invoice', 1))).toMatchObject({ description: 'Extract an invoice' });
    expect(await c.referencedBy('person', 1)).toEqual([2]);
    expect(await c.getSchemaById(2)).toMatchObject({ schemaType: 'JSON', guid: inv.guid });
    expect(JSON.parse(await c.getSchemaTextById(1))).toEqual(person);
    expect((await c.getSchemaByGuid(p.guid!)).schema).toBe((await c.getSchemaById(1)).schema);
    expect(await c.subjectsOfId(1)).toEqual(['person']);
    expect(await c.versionsOfId(2)).toEqual([{ subject: 'invoice', version: 1 }]);
    expect((await c.listSchemas({ latestOnly: true })).map((s) => s.subject)).toEqual(['invoice', 'person']);
    expect(await c.lookup('person', { schemaType: 'JSON', schema: JSON.stringify(person) })).toMatchObject({ id: 1, version: 1 });
    expect(await c.schemaTypes()).toEqual(expect.arrayContaining(['AVRO', 'JSON', 'PROTOBUF']));

    const narrower = { ...person, properties: { ...person.properties, age: { type: 'string' } } };
    const check = await c.checkCompatibility('person', { schemaType: 'JSON', schema: JSON.stringify(narrower) }, { verbose: true });
    expect(check.is_compatible).toBe(false);
    expect(check.messages?.length).toBeGreaterThan(0);
    expect(await c.checkCompatibility('person', { schemaType: 'JSON', schema: JSON.stringify(person) }, { version: 1 })).toEqual({
      is_compatible: true,
    });
    const refused = await rejection(c.register('person', { schemaType: 'JSON', schema: JSON.stringify(narrower) }));
    expect(refused).toMatchObject({ status: 409, errorCode: 40901 });
    expect(refused.message).toMatch(/incompatible/);
    expect(await rejection(c.getVersion('nobody'))).toMatchObject({ status: 404, errorCode: 40401 });
    expect(await rejection(c.getSchemaById(999))).toMatchObject({ errorCode: 40403 });
    expect(await rejection(c.register('bad', { schemaType: 'JSON', schema: '{"type": 12}' }))).toMatchObject({ errorCode: 42201 });
  });

  it('config, mode, contexts, deletes', async () => {
    expect(await admin.setConfig(undefined, { compatibility: 'FULL' })).toEqual({ compatibility: 'FULL' });
    expect(await admin.getConfig()).toMatchObject({ compatibilityLevel: 'FULL' });
    await admin.setConfig('person', { compatibility: 'NONE', normalize: true });
    expect(await admin.getConfig('person')).toMatchObject({ compatibilityLevel: 'NONE', normalize: true });
    expect(await admin.deleteConfig('person')).toMatchObject({ compatibilityLevel: 'NONE' });
    expect(await rejection(admin.getConfig('person'))).toMatchObject({ errorCode: 40408 });
    expect(await admin.getConfig('person', { defaultToGlobal: true })).toMatchObject({ compatibilityLevel: 'FULL' });
    await admin.setConfig(undefined, { compatibility: 'BACKWARD' });

    expect(await admin.setMode('person', 'READONLY')).toEqual({ mode: 'READONLY' });
    expect(await admin.getMode('person')).toEqual({ mode: 'READONLY' });
    expect(await rejection(admin.register('person', { schemaType: 'JSON', schema: '{"type":"object"}' }))).toMatchObject({ errorCode: 42205 });
    expect(await admin.deleteMode('person')).toEqual({ mode: 'READONLY' });
    expect(await admin.getMode()).toEqual({ mode: 'READWRITE' });

    await admin.register(':.tenant:orders', { schemaType: 'JSON', schema: '{"type":"object"}' });
    expect(await admin.listContexts()).toEqual(['.', '.tenant']);
    expect(await admin.listSubjects({ subjectPrefix: ':.tenant:' })).toEqual([':.tenant:orders']);
    expect((await admin.getVersion(':.tenant:orders')).id).toBe(1);
    expect(await admin.getSchemaById(1, { subject: ':.tenant:' })).toMatchObject({ schema: '{"type":"object"}' });
    expect(await admin.deleteVersion(':.tenant:orders', 1)).toBe(1);
    expect(await admin.deleteSubject(':.tenant:orders', { permanent: true })).toEqual([1]);
    expect(await rejection(admin.getVersion(':.tenant:orders'))).toMatchObject({ errorCode: 40401 });
  });

  it('validation: one document, a batch, by id; parseOutput typed value or errors and repair hint', async () => {
    expect(await admin.validate('person', { name: 'Ada', age: 36 })).toEqual({ valid: true, errors: [] });
    const bad = await admin.validate('person', { name: 'Ada' }, { version: 1 });
    expect(bad.valid).toBe(false);
    expect(bad.errors[0]).toMatchObject({ keyword: 'required' });
    const batch = await admin.validateBatch('person', [
      { name: 'A', age: 1 },
      { name: 'B', age: 'x' },
    ]);
    expect(batch.map((r) => r.valid)).toEqual([true, false]);
    expect((await admin.validateById(1, { name: 'A', age: 2 })).valid).toBe(true);

    const ok = await admin.parseOutput<{ name: string; age: number }>('person', 'Sure:\n```json\n{"name": "Ada", "age": 36}\n```');
    expect(ok).toEqual({ ok: true, value: { name: 'Ada', age: 36 } });
    if (ok.ok) expect(ok.value.age + 1).toBe(37); // typed
    const no = await admin.parseOutput('person', '{"name": "Ada", "age": "old"}');
    expect(no.ok).toBe(false);
    if (!no.ok) {
      expect(no.value).toEqual({ name: 'Ada', age: 'old' });
      expect(no.errors[0]).toMatchObject({ instancePath: '/age' });
      expect(no.repair).toMatch(/age/);
    }
    const none = await admin.parseOutput('person', 'I cannot help with that.');
    expect(none).toMatchObject({ ok: false, errors: [] });
    if (!none.ok) expect(none.repair.length).toBeGreaterThan(0);
    expect(await rejection(admin.parseOutput('nobody', '{}'))).toMatchObject({ errorCode: 40401 });
  });

  it('LLM helpers: the definitions each provider takes, from the server export', async () => {
    const chat = await admin.llm.openAIChatTool('invoice');
    expect(chat).toMatchObject({ type: 'function', function: { name: 'invoice', description: 'Extract an invoice', strict: true } });
    expect(chat.function.parameters).toMatchObject({ type: 'object', $defs: expect.any(Object) });
    expect(await admin.llm.openAIResponsesTool('invoice', { name: 'extract_invoice' })).toMatchObject({
      type: 'function',
      name: 'extract_invoice',
      parameters: { type: 'object' },
      strict: true,
    });
    const format = await admin.llm.openAIResponseFormat('person');
    expect(format).toMatchObject({ type: 'json_schema', json_schema: { name: 'person', schema: { type: 'object' }, strict: true } });
    expect(await admin.llm.openAIResponsesTextFormat('person')).toEqual({ type: 'json_schema', ...format.json_schema });
    expect(await admin.llm.anthropicTool('invoice')).toMatchObject({
      name: 'invoice',
      description: 'Extract an invoice',
      input_schema: { type: 'object' },
    });
    expect(await admin.llm.geminiResponseSchema('person')).toMatchObject({
      responseMimeType: 'application/json',
      responseJsonSchema: { type: 'object' },
    });
    expect(await admin.llm.mcpTool('person', { description: 'Record a person' })).toMatchObject({
      name: 'person',
      description: 'Record a person',
      inputSchema: { type: 'object' },
    });
    const wrapped = await admin.llm.vercelAITool('invoice', { jsonSchema: (s) => ({ wrapped: s }) });
    expect(wrapped).toMatchObject({ name: 'invoice', description: 'Extract an invoice', inputSchema: { wrapped: { type: 'object' } } });
    const full = await admin.exportSchema('person', 'openai-chat-tool', { fix: true });
    expect(full).toMatchObject({ target: 'openai-chat-tool', findings: expect.any(Array), changes: expect.any(Array) });
    expect(await rejection(admin.exportSchema('person', 'nope' as never))).toMatchObject({ errorCode: 42223 });
  });

  it('admin: keys, rotate, revoke, audit, snapshot', async () => {
    const k = await admin.admin.createKey({ name: 'sdk-temp', grants: ['reader'] });
    expect(k.secret.length).toBeGreaterThan(10);
    expect((await admin.admin.listKeys()).map((x) => x.name)).toContain('sdk-temp');
    expect(await admin.admin.getKey(k.key)).toMatchObject({ name: 'sdk-temp', grants: [{ role: 'reader' }] });
    const rotated = await admin.admin.rotateKey(k.key, { graceSeconds: 0 });
    expect(rotated.secret).not.toBe(k.secret);
    expect(await new RegistryClient({ url: worker.url, auth: { apiKey: k.key, secret: rotated.secret } }).listContexts()).toContain('.');
    expect(await admin.admin.revokeKey(k.key)).toMatchObject({ key: k.key });
    const audit = await admin.admin.audit({ limit: 5 });
    expect(audit.rows).toHaveLength(5);
    expect(audit.next).toBeGreaterThan(0);
    expect(await admin.admin.verifyAudit()).toMatchObject({ ok: true });
    const snap = await admin.admin.snapshot();
    expect(snap).toMatchObject({ version: 2, tables: expect.any(Object) });
    const restore = await rejection(admin.admin.restore(snap)); // this registry is not empty
    expect(restore.status).toBe(422);
  });

  it('read-your-writes: the bookmark of a write goes with later reads, and to another client', async () => {
    const sent: (string | null)[] = [];
    const recording: typeof fetch = (input, init) => {
      sent.push(new Headers(init?.headers).get('x-registry-bookmark'));
      return fetch(input, init);
    };
    const c = new RegistryClient({ url: worker.url, auth: { apiKey: `${writer.key}:${writer.secret}` }, fetch: recording });
    expect(c.bookmark).toBeUndefined();
    await c.register('bookmarked', { schemaType: 'JSON', schema: '{"type":"string"}' });
    const afterWrite = c.bookmark;
    expect(afterWrite).toEqual(expect.any(String));
    await c.getVersion('bookmarked');
    expect(sent).toEqual([null, afterWrite]);
    const handed = c.bookmark;
    const other = new RegistryClient({ url: worker.url, auth: { apiKey: `${writer.key}:${writer.secret}` }, bookmark: handed, fetch: recording });
    expect((await other.getVersion('bookmarked')).version).toBe(1);
    expect(sent[2]).toBe(handed);
  });
});

describe('SDK retries (local stub server)', () => {
  let server: Server;
  let url: string;
  let script: ((req: IncomingMessage) => { status: number; headers?: Record<string, string>; body: unknown }) | undefined;
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      req.resume();
      const r = script?.(req) ?? { status: 500, body: {} };
      res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
      res.end(JSON.stringify(r.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const unavailable = (retryAfter?: string): { status: number; headers: Record<string, string>; body: unknown } => ({
    status: 503,
    headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter },
    body: { error_code: 50301, message: 'D1 is unavailable' },
  });

  it('a read: 503 with Retry-After twice, then the answer; each wait honours Retry-After', async () => {
    seen.length = 0;
    let n = 0;
    script = () => (++n <= 2 ? unavailable('1') : { status: 200, body: ['a'] });
    const delays: number[] = [];
    const c = new RegistryClient({ url, onRetry: (i) => delays.push(i.delayMs) });
    expect(await c.listSubjects()).toEqual(['a']);
    expect(seen).toEqual(['GET /subjects', 'GET /subjects', 'GET /subjects']);
    expect(delays).toHaveLength(2);
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(1000);
  });

  it('register (idempotent on the server) is retried on 429; attempts are bounded', async () => {
    seen.length = 0;
    script = () => ({ status: 429, headers: { 'retry-after': '0' }, body: { error_code: 42901, message: 'slow down' } });
    const c = new RegistryClient({ url, retry: { attempts: 3 } });
    const e = await rejection(c.register('s', '{"type":"string"}'));
    expect(e).toMatchObject({ status: 429, errorCode: 42901, retryAfterMs: 0, transient: true });
    expect(seen).toEqual(Array(3).fill('POST /subjects/s/versions'));
  });

  it('no retry for a request that is not safe to repeat, nor past maxDelayMs, nor on other errors', async () => {
    seen.length = 0;
    script = () => unavailable('0');
    const c = new RegistryClient({ url, retry: { baseDelayMs: 1 } });
    expect(await rejection(c.admin.createKey({ name: 'x', grants: ['reader'] }))).toMatchObject({ status: 503, errorCode: 50301 });
    expect(await rejection(c.deleteSubject('s'))).toMatchObject({ status: 503 });
    expect(seen).toEqual(['POST /v1/admin/keys', 'DELETE /subjects/s']);

    seen.length = 0;
    script = () => unavailable('3600');
    expect(await rejection(c.listSubjects())).toMatchObject({ retryAfterMs: 3_600_000 });
    script = () => ({ status: 500, body: { error_code: 500, message: 'boom' } });
    expect(await rejection(c.listSubjects())).toMatchObject({ status: 500, transient: false });
    script = () => unavailable(); // no Retry-After: jittered backoff, 4 attempts by default
    expect(await rejection(c.listSubjects())).toMatchObject({ errorCode: 50301 });
    expect(seen).toHaveLength(1 + 1 + 4);
  });

  it('a network failure on a read is retried, then a RegistryError with status 0', async () => {
    const c = new RegistryClient({ url: 'http://127.0.0.1:1', retry: { attempts: 2, baseDelayMs: 1 } });
    expect(await rejection(c.listSubjects())).toMatchObject({ status: 0, errorCode: 0, transient: true });
  });

  it('a body that is not the error envelope keeps the HTTP status as the code', async () => {
    script = () => ({ status: 502, body: 'Bad gateway' });
    expect(await rejection(new RegistryClient({ url }).getMode())).toMatchObject({ status: 502, errorCode: 502, message: '"Bad gateway"' });
  });
});
