/**
 * Every wrangler command the project tells someone to run (package.json scripts, scripts/, README,
 * docs/) names a binding, database or bucket that wrangler.toml defines: `npm run deploy` once
 * applied migrations to a database named nowhere. Checked against the config, and the D1 one
 * resolved by wrangler itself against local state. This scans all text (inline code too) for
 * names; test/unit/runbooks.test.ts checks every command of the shell blocks of the runbooks and
 * the operating docs whole (wrangler commands and flags, npm scripts, lsr, curl routes).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8');
const values = (key: string) => [...toml.matchAll(new RegExp(`^${key}\\s*=\\s*"([^"]+)"`, 'gm'))].map((m) => m[1]);

const d1 = new Set([...values('binding'), ...values('database_name')].filter((n) => n === 'DB' || n === 'llm-schema-registry'));
const buckets = new Set(values('bucket_name'));
const kvBindings = new Set(['SCHEMA_KV']);

function sources(): { file: string; text: string }[] {
  const docs = readdirSync(join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md'));
  return ['package.json', 'README.md', ...readdirSync(join(ROOT, 'scripts')).map((f) => join('scripts', f)), ...docs.map((f) => join('docs', f))].map(
    (file) => ({ file, text: readFileSync(join(ROOT, file), 'utf8') }),
  );
}

// Quotes are dropped, not a stop: `wrangler r2 object delete "bucket/key"` names its bucket inside them.
const commands = sources().flatMap(({ file, text }) =>
  [...text.matchAll(/wrangler (d1|r2|kv)(?:[^\n`"]|"[^\n`"]*")*/g)].map((m) => ({ file, command: m[0].replace(/"/g, '') })),
);

describe('wrangler commands in the project', () => {
  it('are found (the check is not vacuous)', () => {
    expect(commands.some((c) => c.command.includes('d1 migrations apply'))).toBe(true);
  });

  it.each(commands.map((c) => [c.file, c.command]))('%s: %s names what wrangler.toml defines', (_file, command) => {
    const words = command.split(/\s+/);
    if (words[1] === 'd1' && ['migrations', 'execute', 'export', 'time-travel', 'info'].includes(words[2])) {
      // `d1 migrations apply NAME`, `d1 time-travel restore NAME`: a subcommand before the name.
      const name = words[2] === 'migrations' || words[2] === 'time-travel' ? words[4] : words[3];
      expect(d1, command).toContain(name);
    }
    if (words[1] === 'r2' && words[2] === 'object') expect(buckets, command).toContain(words[4].split('/')[0]);
    if (words[1] === 'r2' && words[2] === 'bucket' && words[3] === 'create') expect(buckets, command).toContain(words[4]);
    if (words[1] === 'kv' && words[2] === 'namespace' && words[3] === 'create') expect(kvBindings, command).toContain(words[4]);
  });

  it('wrangler resolves the D1 binding of `npm run deploy` (against local state)', () => {
    const deploy = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.deploy;
    const name = /d1 migrations apply (\S+)/.exec(deploy)?.[1];
    expect(name).toBe('DB');
    const state = mkdtempSync(join(tmpdir(), 'wrangler-check-'));
    try {
      const out = execFileSync(
        join(ROOT, 'node_modules', '.bin', 'wrangler'),
        ['d1', 'migrations', 'list', name!, '--local', '--persist-to', state],
        {
          cwd: ROOT,
          encoding: 'utf8',
          env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
        },
      );
      expect(out).toContain('0000_init.sql');
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  }, 60_000);
});
