#!/usr/bin/env node
// `npm run dev`: apply local D1 migrations, then run the Worker under wrangler dev with local
// D1, KV, R2 and Durable Objects. No Cloudflare account needed. PORT and STATE_DIR from the env.
import { spawnSync, spawn } from 'node:child_process';

const port = process.env.PORT ?? '8787';
const state = process.env.STATE_DIR ?? '.wrangler/state';
const wrangler = ['wrangler'];

const migrate = spawnSync('npx', [...wrangler, 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state], {
  stdio: 'inherit',
  env: { ...process.env, CI: 'true' }, // non-interactive: never prompt for confirmation
});
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const dev = spawn('npx', [...wrangler, 'dev', '--ip', '127.0.0.1', '--port', port, '--persist-to', state, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => dev.kill(sig));
dev.on('exit', (code) => process.exit(code ?? 0));
