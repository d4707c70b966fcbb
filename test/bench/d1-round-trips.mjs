/**
 * node test/bench/d1-round-trips.mjs [--requests N] [--rounds R]: what a D1 round trip and a
 * statement cost in workerd CPU, for the write path's choices (docs/performance-log.md, "What bounds
 * registrations"). A Worker under Miniflare with a local D1 answers each request after `k` batches
 * of `s` trivial SELECTs on a first-primary session; autocannon-like load from 8 concurrent fetch
 * loops; workerd's CPU per request (from /proc), median of the rounds, the shapes alternating.
 * Prints only; writes no tracked file.
 */
import { Miniflare } from 'miniflare';
import { workerdCpuSeconds } from './cpu.mjs';
import { compatibilityDate } from '../e2e/registry-worker.mjs';
import { median } from './report.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : dflt);
const REQUESTS = opt('--requests', 2000);
const ROUNDS = opt('--rounds', 3);
const CONNECTIONS = 8;
/** [round trips, statements per round trip] */
const SHAPES = [
  [0, 0],
  [1, 1],
  [1, 3],
  [1, 7],
  [2, 1],
];

const script = `export default {
  async fetch(req, env) {
    const u = new URL(req.url);
    const k = Number(u.searchParams.get('k')), s = Number(u.searchParams.get('s'));
    const db = env.DB.withSession('first-primary');
    for (let i = 0; i < k; i++) {
      const batch = [];
      for (let j = 0; j < s; j++) batch.push(db.prepare('SELECT ?1 AS a, ?2 AS b').bind(j, 'x'));
      await db.batch(batch);
    }
    return new Response('ok');
  },
};`;

const mf = new Miniflare({ modules: true, script, d1Databases: { DB: 'round-trips' }, compatibilityDate: compatibilityDate() });
try {
  const url = await mf.ready;
  const get = async (k, s) => (await fetch(`${url}?k=${k}&s=${s}`)).text();
  const cpu = Object.fromEntries(SHAPES.map(([k, s]) => [`${k}/${s}`, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const [k, s] of SHAPES) {
      for (let i = 0; i < 20; i++) await get(k, s);
      const c0 = workerdCpuSeconds();
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          for (let i = 0; i < REQUESTS / CONNECTIONS; i++) await get(k, s);
        }),
      );
      cpu[`${k}/${s}`].push(((workerdCpuSeconds() - c0) * 1e6) / REQUESTS);
    }
  }
  console.log(`D1 round trips and statements: ${ROUNDS} round(s) x ${REQUESTS} requests per shape, ${CONNECTIONS} connections`);
  console.log('\n| Round trips | Statements each | workerd CPU µs/request (median) | rounds |');
  console.log('|---:|---:|---:|---|');
  for (const [k, s] of SHAPES) {
    const xs = cpu[`${k}/${s}`];
    console.log(`| ${k} | ${s} | ${median(xs).toFixed(0)} | ${xs.map((x) => x.toFixed(0)).join(' ')} |`);
  }
} finally {
  await mf.dispose();
}
