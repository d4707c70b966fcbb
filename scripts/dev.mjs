#!/usr/bin/env node
// `npm run dev`: apply the D1 migrations locally, then `wrangler dev` on 127.0.0.1 (PORT, STATE_DIR).
// With REGISTRY_ADMIN_KEY and REGISTRY_ADMIN_SECRET in the environment, they are passed to the
// Worker as secrets (through a private env file, never on a command line) and auth is on;
// without them the registry runs open (AUTH_MODE=none) and says so. Values in .dev.vars apply too.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const state = process.env.STATE_DIR || '.wrangler/state';
const port = process.env.PORT || '8787';
const run = (args, env = process.env) => spawnSync('wrangler', args, { stdio: 'inherit', env });

const migrated = run(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state], { ...process.env, CI: 'true' });
if (migrated.status !== 0) process.exit(migrated.status ?? 1);

const args = ['dev', '--ip', '127.0.0.1', '--port', port, '--persist-to', state];
const { REGISTRY_ADMIN_KEY: key, REGISTRY_ADMIN_SECRET: secret } = process.env;
const dir = mkdtempSync(join(tmpdir(), 'lsr-dev-'));
try {
  // --env-file replaces the default .dev.vars loading: keep it first, ours after (later files win).
  const files = existsSync('.dev.vars') ? ['.dev.vars'] : [];
  if (key && secret) {
    const file = join(dir, 'admin.env');
    writeFileSync(file, `REGISTRY_ADMIN_KEY=${JSON.stringify(key)}\nREGISTRY_ADMIN_SECRET=${JSON.stringify(secret)}\n`, { mode: 0o600 });
    files.push(file);
    console.log(`Auth is ON: bootstrap admin key "${key}" (send it as Basic ${key}:<secret>, or Bearer ${key}:<secret>).`);
  } else if (!files.length) {
    args.push('--var', 'AUTH_MODE:none');
    console.log('Auth is OFF (local development): set REGISTRY_ADMIN_KEY and REGISTRY_ADMIN_SECRET to run with it on.');
  } else {
    console.log('Using .dev.vars: auth is off only if it sets AUTH_MODE=none.');
  }
  for (const f of files) args.push('--env-file', f);
  const dev = run(args);
  process.exitCode = dev.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
