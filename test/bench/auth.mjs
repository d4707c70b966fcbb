/**
 * What authentication and authorization cost a warm read: GET /schemas/ids/{id} on the built Worker
 * under Miniflare (127.0.0.1, direct sockets as bench:api), an open registry (AUTH_MODE none) and a
 * secured one side by side, each in its own workerd. Every round sends the same requests to the
 * open one and with each kind of credential to the secured one, in alternating order, and reads
 * each workerd's CPU from /proc: the figure is the median CPU per request and the median per-round
 * difference from the open registry (a paired measure, as test/bench/ab.mjs). With `--b <bundle>`
 * it compares two builds instead: both secured, each credential sent to A and B in turn, printing
 * the median difference B − A (`--a <bundle>`, default dist/index.js). Linux only; prints, writes
 * nothing.
 *
 *   npm run build && node test/bench/auth.mjs [--rounds 8] [--requests 6000] [--a <bundle>] [--b <bundle>]
 */
import autocannon from 'autocannon';
import { processCpuSeconds } from './cpu.mjs';
import { buildWorker, SR_JSON, startMeasured } from './miniflare.mjs';
import { median, table } from './report.mjs';

const argv = process.argv.slice(2);
const opt = (name, d) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : d);
const ROUNDS = Number(opt('--rounds', 8));
const REQUESTS = Number(opt('--requests', 6000));
const B = opt('--b');
const ADMIN = { REGISTRY_ADMIN_KEY: 'root', REGISTRY_ADMIN_SECRET: 'bench-secret-value' };
const basic = (u, p) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
const schema = JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'string' }] });

async function post(url, path, body, headers = {}) {
  const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': SR_JSON, ...headers }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** req/s and workerd CPU µs per request of `amount` warm reads; throws on any failed answer. */
async function run(target, path, headers, amount) {
  const cpu0 = processCpuSeconds(target.pid);
  const t = performance.now();
  let last = t;
  const cannon = autocannon({ url: target.url + path, connections: 8, amount, headers });
  cannon.on('response', () => (last = performance.now()));
  const r = await cannon;
  if (r.non2xx || r.errors || r.timeouts) throw new Error(`${r.non2xx} non-2xx answers, ${r.errors + r.timeouts} errors`);
  return { rps: amount / ((last - t) / 1000), cpuUs: ((processCpuSeconds(target.pid) - cpu0) * 1e6) / amount };
}

const A = opt('--a') ?? buildWorker({ useDist: true }).script;
const SECURED = { AUTH_MODE: '', ...ADMIN, AUTH_TOKENS: 'bench-token:reader' };
/** The pair every credential is measured on: [reference, measured]. */
const reference = await startMeasured(A, B ? SECURED : { AUTH_MODE: 'none' });
const measured = await startMeasured(B ?? A, SECURED);
try {
  const root = { authorization: basic(ADMIN.REGISTRY_ADMIN_KEY, ADMIN.REGISTRY_ADMIN_SECRET) };
  const refRoot = B ? root : {};
  const { id } = await post(reference.url, '/subjects/s/versions', { schema }, refRoot);
  if ((await post(measured.url, '/subjects/s/versions', { schema }, root)).id !== id) throw new Error('the two registries gave different ids');
  // The same keys in both when both are secured (the secret is the one the reference made).
  const keys = {};
  for (const [name, grants] of [
    ['wide', ['reader']],
    ['narrow', ['reader@./s']],
  ]) {
    const made = await post(measured.url, '/v1/admin/keys', { name, grants }, root);
    keys[name] = B ? { measured: made, reference: await post(reference.url, '/v1/admin/keys', { name, grants }, root) } : { measured: made };
  }
  const kinds = [
    ['bootstrap admin (Basic)', () => root],
    ['static token (Bearer)', () => ({ authorization: 'Bearer bench-token' })],
    ['API key, registry-wide reader (Basic)', (k) => ({ authorization: basic(keys.wide[k].key, keys.wide[k].secret) })],
    ['API key, reader on a subject prefix (Basic)', (k) => ({ authorization: basic(keys.narrow[k].key, keys.narrow[k].secret) })],
  ];
  /** The headers of a kind for one side: the reference is open (no credential) unless --b. */
  const headersFor = (kind, side) => (side === 'reference' && !B ? {} : kind(side));
  const path = `/schemas/ids/${id}`;
  // Warm both: isolate caches, the key rows, JIT.
  for (const [, kind] of kinds) {
    await run(reference, path, headersFor(kind, 'reference'), 2000);
    await run(measured, path, headersFor(kind, 'measured'), 2000);
  }
  const runs = Object.fromEntries(kinds.map(([name]) => [name, { reference: [], measured: [] }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, kind] of kinds) {
      for (const side of round % 2 ? ['measured', 'reference'] : ['reference', 'measured']) {
        runs[name][side].push(await run(side === 'reference' ? reference : measured, path, headersFor(kind, side), REQUESTS));
      }
    }
  }
  const what = B ? `A ${A} against B ${B}, both secured` : 'each credential against the open registry';
  console.log(
    `\nGET /schemas/ids/{id}, warm, 8 connections; ${ROUNDS} rounds × ${REQUESTS} requests per credential and side, ${what} (built Worker under Miniflare, 127.0.0.1, ${new Date().toISOString()})\n`,
  );
  const cpu = (xs) => median(xs.map((x) => x.cpuUs)).toFixed(1);
  console.log(
    table(
      [
        'credential',
        B ? 'A µs/req' : 'open µs/req',
        B ? 'B µs/req' : 'µs/req',
        B ? 'B − A (median of pairs)' : 'CPU − open (median of pairs)',
        'pairs costlier',
        'req/s',
      ],
      kinds.map(([name]) => {
        const r = runs[name];
        const d = r.measured.map((x, i) => x.cpuUs - r.reference[i].cpuUs);
        return [
          name,
          cpu(r.reference),
          cpu(r.measured),
          median(d).toFixed(1),
          `${d.filter((x) => x > 0).length}/${d.length}`,
          median(r.measured.map((x) => x.rps)).toFixed(0),
        ];
      }),
    ),
  );
} finally {
  await reference.stop();
  await measured.stop();
}
