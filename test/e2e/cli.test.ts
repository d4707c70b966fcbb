/**
 * The lsr CLI as a CI runs it: the built bin in a child process against the built Worker (auth on),
 * credentials from LSR_URL/LSR_KEY/LSR_SECRET, --json output, and the exit codes (0 ok,
 * 1 incompatible/invalid, 2 usage, 3 server/network error).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lsr } from './cli-run';
import { type RunningWorker, startWorker } from './worker';

let worker: RunningWorker;
let env: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), 'lsr-cli-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

const person = {
  type: 'object',
  description: 'A person',
  properties: { name: { type: 'string' }, age: { type: 'integer' } },
  required: ['name'],
  additionalProperties: false,
};

beforeAll(async () => {
  worker = await startWorker({ AUTH_MODE: '', REGISTRY_ADMIN_KEY: 'root', REGISTRY_ADMIN_SECRET: 'cli-bootstrap-secret' });
  env = { LSR_URL: worker.url, LSR_KEY: 'root:cli-bootstrap-secret' };
});
afterAll(async () => {
  await worker.stop();
});

describe('lsr against the built Worker', () => {
  it('register (key:secret or key + LSR_SECRET), idempotent; an invalid schema exits 1', async () => {
    const r = await lsr(['register', 'person', file('person.json', person), '--json'], env);
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ subject: 'person', id: 1, version: 1 });
    const [again, bad] = await Promise.all([
      lsr(['register', 'person', join(dir, 'person.json')], { LSR_URL: worker.url, LSR_KEY: 'root', LSR_SECRET: 'cli-bootstrap-secret' }),
      lsr(['register', 'bad', file('bad.json', '{"type": 12}'), '--json'], env),
    ]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('registered person version 1 (id 1)\n');
    expect(bad.code).toBe(1);
    expect(bad.json().error).toMatchObject({ status: 422, error_code: 42201 });
  });

  it('check: exit 0 when compatible, 1 with the reasons when not', async () => {
    const next = { ...person, properties: { ...person.properties, email: { type: 'string' } } };
    const breaking = { ...person, properties: { ...person.properties, age: { type: 'string' } } };
    const [ok, no, json] = await Promise.all([
      lsr(['check', 'person', file('next.json', next)], env),
      lsr(['check', 'person', file('breaking.json', breaking), '--version', '1'], env),
      lsr(['check', 'person', join(dir, 'breaking.json'), '--json'], env),
    ]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^compatible with person/);
    expect(no.code, no.stdout + no.stderr).toBe(1);
    expect(no.stdout).toMatch(/^INCOMPATIBLE with person \(version 1\):\n {2}- /);
    expect(json.code, json.stdout + json.stderr).toBe(1);
    expect(json.json()).toMatchObject({
      subject: 'person',
      compatible: false,
      messages: expect.arrayContaining([expect.stringMatching(/TYPE_CHANGED/)]),
    });
  });

  it('diff between two versions, with their compatibility', async () => {
    expect((await lsr(['register', 'person', join(dir, 'next.json')], env)).code).toBe(0);
    const [d, j] = await Promise.all([lsr(['diff', 'person', '1', '2'], env), lsr(['diff', 'person', '1', 'latest', '--json'], env)]);
    expect(d.code, d.stdout + d.stderr).toBe(0);
    expect(d.stdout).toMatch(/^--- person version 1 \(id 1\)\n\+\+\+ person version 2 \(id 2\)\n/);
    expect(d.stdout).toMatch(/\n\+ {5}"email": \{/);
    expect(d.stdout).toMatch(/version 2 is compatible with version 1\n$/);
    expect(j.json()).toMatchObject({ from: { version: 1 }, to: { version: 2 }, compatible: true });
    expect(j.json().changes.filter((c: any) => c.op === '+').length).toBeGreaterThan(0);
  });

  it('export --target: the provider definition on stdout, findings on stderr', async () => {
    const [a, v, strict, fixed, nope] = await Promise.all([
      lsr(['export', 'person', '--target', 'anthropic-tool'], env),
      lsr(['export', 'person', '--target', 'vercel-ai-tool', '--json'], env),
      lsr(['export', 'person', '--target', 'openai-response-format'], env),
      lsr(['export', 'person', '--target', 'openai-response-format', '--fix'], env),
      lsr(['export', 'person', '--target', 'nope'], env),
    ]);
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout)).toMatchObject({ name: 'person', description: 'A person', input_schema: { type: 'object' } });
    expect(v.json()).toMatchObject({ target: 'vercel-ai-tool', output: { name: 'person', inputSchema: { type: 'object' } } });
    // OpenAI strict mode refuses optional properties: error findings, exit 1; --fix rewrites them.
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/^error: /m);
    expect(fixed.code).toBe(0);
    expect(fixed.stderr).toMatch(/^fixed: /m);
    expect(nope.code).toBe(2);
  });

  it('validate an NDJSON file: summary and failing lines, exit 1 when any fails', async () => {
    const lines = ['{"name":"a"}', '{"name":1}', '', 'not json', '{"name":"b","age":3}', '{"age":2}'];
    const path = file('docs.ndjson', lines.join('\n') + '\n');
    const [r, j, good] = await Promise.all([
      lsr(['validate', 'person', path, '--version', '1'], env),
      lsr(['validate', 'person', path, '--json'], env),
      lsr(['validate', 'person', file('good.ndjson', '{"name":"x"}\n{"name":"y"}\n')], env),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe(`2 of 5 documents valid, 3 invalid (person, ${path})`);
    expect(r.stdout).toMatch(/\nline 2: \/name /);
    expect(r.stdout).toMatch(/\nline 4: not JSON/);
    expect(r.stdout).toMatch(/\nline 6: /);
    expect(r.stderr).toBe(''); // no progress bar without a terminal
    expect(j.json()).toMatchObject({ total: 5, valid: 2, invalid: 3 });
    expect(j.json().failures.map((f: any) => f.line)).toEqual([2, 4, 6]);
    expect(good.code).toBe(0);
    expect(good.stdout).toBe(`2 of 2 documents valid, 0 invalid (person, ${join(dir, 'good.ndjson')})\n`);
  });

  it('snapshot, then restore into an empty registry', async () => {
    const out = join(dir, 'snap.json');
    const s = await lsr(['snapshot', '--out', out, '--json'], env);
    expect(s.code).toBe(0);
    expect(s.json()).toMatchObject({ file: out, rows: expect.any(Number) });
    expect(JSON.parse(readFileSync(out, 'utf8')).tables).toBeDefined();
    const empty = await startWorker({ AUTH_MODE: '', REGISTRY_ADMIN_KEY: 'root', REGISTRY_ADMIN_SECRET: 'other' });
    try {
      const r = await lsr(['restore', out, '--url', empty.url, '--key', 'root:other']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^restored /);
      const read = await lsr(['diff', 'person', '1', '2', '--url', empty.url, '--key', 'root:other', '--json']);
      expect(read.json()).toMatchObject({ to: { version: 2, id: 2 } });
      // Restoring again: the registry is not empty any more, the server refuses (exit 3).
      expect((await lsr(['restore', out, '--url', empty.url, '--key', 'root:other'])).code).toBe(3);
    } finally {
      await empty.stop();
    }
  });

  it('exit 2 on usage errors, 3 on server and network errors', async () => {
    const p = join(dir, 'person.json');
    const [noUrl, unknown, missingArg, missingFile, badFlag, badVersion, bareKey, denied, noSubject, down, help] = await Promise.all([
      lsr(['register', 'x', p]),
      lsr(['frobnicate'], env),
      lsr(['register', 'x'], env),
      lsr(['register', 'x', join(dir, 'missing.json')], env),
      lsr(['register', 'x', p, '--bogus'], env),
      lsr(['diff', 'person', '1', 'two'], env),
      lsr(['check', 'person', p], { LSR_URL: worker.url, LSR_KEY: 'root' }),
      lsr(['diff', 'person', '1', '2', '--json'], { LSR_URL: worker.url, LSR_KEY: 'root:wrong' }),
      lsr(['diff', 'nobody', '1', '2'], env),
      lsr(['diff', 'person', '1', '2'], { LSR_URL: 'http://127.0.0.1:1' }),
      lsr(['--help']),
    ]);
    expect(noUrl.stderr).toMatch(/LSR_URL/);
    expect([noUrl, unknown, missingArg, missingFile, badFlag, badVersion, bareKey].map((r) => r.code)).toEqual([2, 2, 2, 2, 2, 2, 2]);
    expect([denied, noSubject, down].map((r) => r.code)).toEqual([3, 3, 3]);
    expect(denied.json().error).toMatchObject({ status: 401, error_code: 40101 });
    expect(down.stderr).toMatch(/^error 0: /);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes: 0 ok, 1 incompatible or invalid, 2 usage, 3 server or network error/);
  });
});
