/**
 * `npm run setup` (scripts/setup.mjs) against a fake `wrangler` on PATH
 * (test/fixtures/fake-wrangler/wrangler): it records every call and keeps a fake account in a JSON
 * file, answering in wrangler 4's formats. Proven: the commands a first run issues, the ids written
 * into a copy of the project's wrangler.toml with every other line kept, that a second run creates
 * nothing, queues read from the file (dead-letter queues included), --dry-run, and the failures
 * (not logged in, several accounts, a create refused by the API) with a clear message and exit 1.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'setup.mjs');
const FAKE = join(ROOT, 'test', 'fixtures', 'fake-wrangler');
const TOML = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8');

interface State {
  loggedIn?: boolean;
  accounts?: { name: string; id: string }[];
  d1?: { name: string; uuid: string }[];
  kv?: { id: string; title: string }[];
  r2?: string[];
  queues?: { name: string; id: string }[];
  migrations?: Record<string, number>;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'setup-test-'));
  writeFileSync(join(dir, 'wrangler.toml'), TOML);
  copyFileSync(join(ROOT, '.dev.vars.example'), join(dir, '.dev.vars.example'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const toml = () => readFileSync(join(dir, 'wrangler.toml'), 'utf8');
const state = (): State => JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
const setState = (s: State) => {
  writeFileSync(join(dir, 'state.json'), JSON.stringify(s));
};
const calls = (): string[] =>
  existsSync(join(dir, 'calls.log'))
    ? readFileSync(join(dir, 'calls.log'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { argv: string[] }).argv.join(' '))
    : [];
const creates = () => calls().filter((c) => / create /.test(c) || c.startsWith('d1 migrations apply'));

function setup(args: string[] = [], env: Record<string, string> = {}) {
  rmSync(join(dir, 'calls.log'), { force: true });
  const r = spawnSync(process.execPath, [SCRIPT, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      PATH: [FAKE, dirname(process.execPath), process.env.PATH ?? ''].join(delimiter),
      FAKE_WRANGLER_STATE: join(dir, 'state.json'),
      FAKE_WRANGLER_LOG: join(dir, 'calls.log'),
      ...env,
    },
  });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

/** The lines of the project's wrangler.toml that differ in `text` (same line count expected). */
function changedLines(text: string) {
  const before = TOML.split('\n');
  const after = text.split('\n');
  expect(after.length).toBe(before.length);
  return after.flatMap((line, i) => (line === before[i] ? [] : [{ before: before[i], after: line }]));
}

const QUEUES = `
# Change events (test addition): a producer, its consumer and the consumer's dead-letter queue.
[[queues.producers]]
binding = "EVENTS_QUEUE"
queue = "llm-schema-registry-events"

[[queues.consumers]]
queue = "llm-schema-registry-events" # the consumer reads what the producer sends
max_retries = 5
dead_letter_queue = "llm-schema-registry-events-dlq"
`;

// Each run spawns node and a few fake wranglers: generous timeouts for a loaded machine.
describe('npm run setup', { timeout: 60_000 }, () => {
  it("creates the D1 database in WRITER_LOCATION_HINT's region when D1 takes that hint, else where D1 chooses", () => {
    for (const [hint, flags] of [
      ['weur', ' --location weur'],
      ['apac', ' --location apac'],
      ['me', ''], // a Durable Object region D1 has no hint for
      ['', ''],
    ]) {
      rmSync(join(dir, 'state.json'), { force: true });
      writeFileSync(join(dir, 'wrangler.toml'), TOML.replace(/^WRITER_LOCATION_HINT = ".*"$/m, `WRITER_LOCATION_HINT = "${hint}"`));
      const r = setup();
      expect(r.status, r.err).toBe(0);
      expect(creates()[0]).toBe(`d1 create llm-schema-registry${flags}`);
    }
  });

  it('creates every resource of wrangler.toml on a fresh account, writes their ids, keeps every other line, migrates; a second run creates nothing', () => {
    const r = setup();
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    const queues = new Set([...TOML.matchAll(/^\s*(?:queue|dead_letter_queue)\s*=\s*"([^"]+)"/gm)].map((m) => `queues create ${m[1]}`));
    expect(creates().filter((c) => !c.startsWith('queues'))).toEqual([
      'd1 create llm-schema-registry',
      'kv namespace create SCHEMA_KV',
      'r2 bucket create llm-schema-registry-archive',
      'd1 migrations apply DB --remote',
    ]);
    expect(creates().filter((c) => c.startsWith('queues'))).toEqual(expect.arrayContaining([...queues]));
    expect(creates().filter((c) => c.startsWith('queues'))).toHaveLength(queues.size);
    // Queues are created before the migrations run (the deploy needs them all).
    expect(creates().at(-1)).toBe('d1 migrations apply DB --remote');
    expect(calls()[0]).toBe('whoami --json');

    const account = state();
    const db = account.d1!.find((d) => d.name === 'llm-schema-registry')!;
    const kv = account.kv!.find((n) => n.title === 'SCHEMA_KV')!;
    expect(changedLines(toml())).toEqual([
      { before: 'database_id = "00000000-0000-0000-0000-000000000000"', after: `database_id = "${db.uuid}"` },
      { before: 'id = "00000000000000000000000000000000"', after: `id = "${kv.id}"` },
    ]);
    expect(account.migrations).toEqual({ [db.uuid]: 1 });
    expect(r.out).toContain('npx wrangler secret put REGISTRY_ADMIN_KEY');
    expect(r.out).toContain('npx wrangler secret put REGISTRY_ADMIN_SECRET');
    expect(r.out).not.toMatch(/secret put (AUTH_MODE|RESPONSE_PROFILE)/); // [vars] are not secrets
    expect(r.out).toContain('npm run deploy');

    // Idempotent: the second run finds everything and leaves wrangler.toml byte for byte.
    const written = toml();
    const again = setup();
    expect(again.status).toBe(0);
    expect(creates()).toEqual(['d1 migrations apply DB --remote']); // a no-op when nothing is pending
    expect(toml()).toBe(written);
    expect(state()).toEqual(account);
    expect(again.out).toContain('Nothing to create');
  });

  it('finds resources that exist by name (placeholder ids in wrangler.toml) and only writes their ids', () => {
    setState({
      d1: [{ name: 'llm-schema-registry', uuid: '7f0c4e5a-1b2c-4d3e-8f9a-0b1c2d3e4f5a' }],
      kv: [{ id: 'abcdefabcdefabcdefabcdefabcdefab', title: 'SCHEMA_KV' }],
      r2: ['llm-schema-registry-archive'],
    });
    expect(setup().status).toBe(0);
    expect(calls().filter((c) => / create /.test(c) && !c.startsWith('queues'))).toEqual([]);
    expect(toml()).toContain('database_id = "7f0c4e5a-1b2c-4d3e-8f9a-0b1c2d3e4f5a"');
    expect(toml()).toContain('id = "abcdefabcdefabcdefabcdefabcdefab"');
  });

  it('creates the queues wrangler.toml declares, dead-letter queues included, and only the missing ones', () => {
    writeFileSync(join(dir, 'wrangler.toml'), TOML + QUEUES);
    setState({ queues: [{ name: 'llm-schema-registry-events', id: 'q1' }] });
    const r = setup();
    expect(r.status).toBe(0);
    // The test's queues beside wrangler.toml's own (webhook delivery and its dead-letter queue).
    expect(creates().filter((c) => c.startsWith('queues'))).toEqual([
      'queues create llm-schema-registry-webhooks',
      'queues create llm-schema-registry-webhooks-dlq',
      'queues create llm-schema-registry-events-dlq',
    ]);
    expect(TOML).toContain('dead_letter_queue = "llm-schema-registry-webhooks-dlq"');
    expect(r.out).toContain('llm-schema-registry-events: exists');
    expect(toml()).toContain('queue = "llm-schema-registry-events" # the consumer reads what the producer sends');
  });

  it('--dry-run asks only read-only questions and prints what it would create, write and run', () => {
    const r = setup(['--dry-run']);
    expect(r.status).toBe(0);
    expect(calls()).toEqual([
      'whoami --json',
      'd1 list --json',
      'kv namespace list',
      'r2 bucket list',
      ...(TOML.includes('queues.') ? ['queues list'] : []),
    ]);
    expect(existsSync(join(dir, 'state.json'))).toBe(false); // the fake account was never written
    expect(toml()).toBe(TOML);
    expect(r.out).toContain('would run: wrangler d1 create llm-schema-registry');
    expect(r.out).toContain('would run: wrangler kv namespace create SCHEMA_KV');
    expect(r.out).toContain('would run: wrangler r2 bucket create llm-schema-registry-archive');
    expect(r.out).toContain('would run: wrangler d1 migrations apply DB --remote');
    expect(r.out).toContain('wrangler.toml: would write');
  });

  it('refuses clearly when wrangler is not logged in, and runs nothing else', () => {
    setState({ loggedIn: false });
    const r = setup();
    expect(r.status).toBe(1);
    expect(r.err).toContain('wrangler is not logged in');
    expect(r.err).toContain('npx wrangler login');
    expect(r.err).toContain('CLOUDFLARE_API_TOKEN');
    expect(calls()).toEqual(['whoami --json']);
    expect(toml()).toBe(TOML);
  });

  it('asks which account when the login reaches several and none is named', () => {
    const accounts = [
      { name: 'Team A', id: 'a'.repeat(32) },
      { name: 'Team B', id: 'b'.repeat(32) },
    ];
    setState({ accounts });
    const r = setup();
    expect(r.status).toBe(1);
    expect(r.err).toContain('CLOUDFLARE_ACCOUNT_ID');
    expect(r.err).toContain(`${'b'.repeat(32)}  Team B`);
    expect(calls()).toEqual(['whoami --json']);
    expect(setup(['--dry-run'], { CLOUDFLARE_ACCOUNT_ID: 'a'.repeat(32) }).status).toBe(0);
  });

  it('stops at a failed create with wrangler’s error and exit 1; the next run resumes without creating twice', () => {
    const r = setup([], { FAKE_WRANGLER_FAIL: 'r2 bucket create' });
    expect(r.status).toBe(1);
    expect(r.err).toContain('`wrangler r2 bucket create llm-schema-registry-archive` exited with 1');
    expect(r.err).toContain('Authentication error [code: 10000]');
    expect(calls()).not.toContain('d1 migrations apply DB --remote');
    const again = setup();
    expect(again.status).toBe(0);
    expect(creates().filter((c) => !c.startsWith('queues'))).toEqual([
      'r2 bucket create llm-schema-registry-archive',
      'd1 migrations apply DB --remote',
    ]);
    expect(toml()).toContain(`database_id = "${state().d1![0].uuid}"`);
  });

  it('rejects an unknown argument', () => {
    const r = setup(['--force']);
    expect(r.status).toBe(2);
    expect(r.err).toContain('unknown argument --force');
    expect(calls()).toEqual([]);
  });
});
