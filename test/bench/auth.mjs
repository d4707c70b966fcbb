/**
 * What authentication and authorization cost a warm read: GET /schemas/ids/{id} on the built Worker
 * under Miniflare (127.0.0.1), open (AUTH_MODE none) against each kind of credential, in one run.
 * Prints req/s and the ratio to the open registry; writes nothing.
 *
 *   npm run build && node test/bench/auth.mjs [--seconds 5] [--connections 8]
 */
import autocannon from 'autocannon';
import { Miniflare } from 'miniflare';
import { applyMigrations, registryWorker } from '../e2e/registry-worker.mjs';
import { table } from './report.mjs';

const argv = process.argv.slice(2);
const opt = (name, d) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : d);
const seconds = opt('--seconds', 5);
const connections = opt('--connections', 8);
const ADMIN = { REGISTRY_ADMIN_KEY: 'root', REGISTRY_ADMIN_SECRET: 'bench-secret-value' };
const basic = (u, p) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
const schema = JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'string' }] });

async function start(vars) {
  const mf = new Miniflare({ host: '127.0.0.1', port: 0, workers: [registryWorker({ vars, id: `bench-auth-${Date.now()}` })] });
  const url = (await mf.ready).toString().replace(/\/$/, '');
  await applyMigrations(mf);
  return { mf, url };
}

async function run(url, headers) {
  const r = await autocannon({ url: `${url}/schemas/ids/1`, connections, duration: seconds, headers });
  if (r.non2xx) throw new Error(`${r.non2xx} non-2xx answers`);
  return r.requests.average;
}

async function post(url, path, body, headers = {}) {
  const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

const rows = [];
const open = await start({ AUTH_MODE: 'none' });
try {
  await post(open.url, '/subjects/s/versions', { schema });
  await run(open.url, {}); // warm-up
  rows.push(['open (AUTH_MODE none)', await run(open.url, {})]);
} finally {
  await open.mf.dispose();
}
const secured = await start({ AUTH_MODE: '', ...ADMIN, AUTH_TOKENS: 'bench-token:reader' });
try {
  const root = { authorization: basic(ADMIN.REGISTRY_ADMIN_KEY, ADMIN.REGISTRY_ADMIN_SECRET) };
  await post(secured.url, '/subjects/s/versions', { schema }, root);
  const wide = await post(secured.url, '/v1/admin/keys', { name: 'wide', grants: ['reader'] }, root);
  const narrow = await post(secured.url, '/v1/admin/keys', { name: 'narrow', grants: ['reader@./s'] }, root);
  await run(secured.url, root); // warm-up
  rows.push(['bootstrap admin (Basic)', await run(secured.url, root)]);
  rows.push(['static token (Bearer)', await run(secured.url, { authorization: 'Bearer bench-token' })]);
  rows.push(['API key, registry-wide reader (Basic)', await run(secured.url, { authorization: basic(wide.key, wide.secret) })]);
  rows.push(['API key, reader on a subject prefix (Basic)', await run(secured.url, { authorization: basic(narrow.key, narrow.secret) })]);
} finally {
  await secured.mf.dispose();
}
const base = rows[0][1];
console.log(`\nGET /schemas/ids/1, warm, ${connections} connections, ${seconds} s each (built Worker under Miniflare, 127.0.0.1)\n`);
console.log(
  table(
    ['credential', 'req/s', 'ratio to open'],
    rows.map(([name, rps]) => [name, rps.toFixed(0), (rps / base).toFixed(2)]),
  ),
);
