/**
 * node test/bench/ab.mjs --a <bundle> [--b <bundle>] [--rounds 12] [--requests 6000] [--only a,b]:
 * what one change costs or saves, as workerd CPU per warm read, paired. Two builds of the registry
 * run side by side, each in its own workerd (Miniflare instance) with the same seeded state (50
 * subjects, two JSON Schema versions each, as test/bench/api.mjs seeds); every round sends each
 * read path the same requests (autocannon, 8 connections) to A and to B in turn, the order
 * alternating, and reads each process's CPU from /proc. Printed per path: the median CPU per
 * request of each and the median of the per-round differences B − A, with how many rounds B was
 * the cheaper.
 *
 * Why not api.mjs: its ratios divide by a baseline whose own rate moves by a third between runs
 * on this machine, so a change worth 5% of a read cannot be told from the noise there. Here both
 * builds share every moment of the machine's load. `--a X --b X` (the same bundle twice) is the
 * control: its differences are the instrument's noise (±2 µs per request when it was written).
 * Without --b, B is the working tree, built as `npm run build` does. Prints only.
 */
import autocannon from 'autocannon';
import { processCpuSeconds, workerdPids } from './cpu.mjs';
import { buildWorker, SR_JSON, startRegistry, tempPersistRoot } from './miniflare.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
const ROUNDS = Number(opt('--rounds', 12));
const REQUESTS = Number(opt('--requests', 6000));
const SUBJECTS = 50;
const only = opt('--only')?.split(',');

const PATHS = [
  ['GET /schemas/ids/{id}', (i) => `/schemas/ids/${i + 1}`],
  ['GET /schemas/ids/{id}/schema', (i) => `/schemas/ids/${i + 1}/schema`],
  ['GET /subjects/{s}/versions/latest', (i) => `/subjects/ab-${i}/versions/latest`],
  ['GET /subjects/{s}/versions', (i) => `/subjects/ab-${i}/versions`],
  ['GET /config/{s}?defaultToGlobal=true', (i) => `/config/ab-${i}?defaultToGlobal=true`],
].filter(([name]) => !only || only.some((o) => name.includes(o)));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** One build under Miniflare, seeded, with the pid of its workerd (the one that was not there before). */
async function start(script) {
  const before = new Set(workerdPids());
  const state = tempPersistRoot();
  const registry = await startRegistry({ script, persistRoot: state.dir });
  const pid = workerdPids().find((p) => !before.has(p));
  if (!pid) throw new Error('ab.mjs reads workerd CPU from /proc: Linux only');
  const base = registry.urls.registry;
  for (let i = 0; i < SUBJECTS; i++) {
    for (const version of [1, 2]) {
      const schema = JSON.stringify({ type: 'object', description: `subject ${i} v${version}`, properties: { id: { type: 'integer' } } });
      const res = await fetch(`${base}/subjects/ab-${i}/versions`, {
        method: 'POST',
        headers: { 'content-type': SR_JSON },
        body: JSON.stringify({ schemaType: 'JSON', schema }),
      });
      if (res.status !== 200) throw new Error(`seed ab-${i}: ${res.status} ${await res.text()}`);
    }
  }
  return {
    base,
    pid,
    stop: async () => {
      await registry.stop();
      state.cleanup();
    },
  };
}

/** workerd CPU µs per request of one autocannon run against `target`; throws on a failed answer. */
async function cpuPerRequest(target, requests) {
  const cpu0 = processCpuSeconds(target.pid);
  const r = await autocannon({ url: target.base, connections: 8, amount: REQUESTS, requests });
  if (r.non2xx || r.errors || r.timeouts) throw new Error(`${r.non2xx} non-2xx answers, ${r.errors + r.timeouts} errors`);
  return ((processCpuSeconds(target.pid) - cpu0) * 1e6) / REQUESTS;
}

const a = opt('--a');
if (!a) throw new Error('usage: node test/bench/ab.mjs --a <bundle> [--b <bundle>] [--rounds N] [--requests N] [--only a,b]');
const built = opt('--b') ? undefined : buildWorker();
const b = opt('--b') ?? built.script;
const targets = { A: await start(a), B: await start(b) };
try {
  console.log(`A ${a}\nB ${b}\n${ROUNDS} rounds × ${REQUESTS} requests per path and build, ${new Date().toISOString()}\n`);
  console.log('| Path | A µs/req | B µs/req | B − A (median of rounds) | B cheaper |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [name, path] of PATHS) {
    const requests = Array.from({ length: SUBJECTS }, (_, i) => ({ method: 'GET', path: path(i) }));
    for (const t of Object.values(targets)) await autocannon({ url: t.base, connections: 8, amount: 1000, requests });
    const cpu = { A: [], B: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of round % 2 ? ['B', 'A'] : ['A', 'B']) cpu[name].push(await cpuPerRequest(targets[name], requests));
    }
    const diffs = cpu.B.map((x, i) => x - cpu.A[i]);
    const cheaper = diffs.filter((d) => d < 0).length;
    console.log(`| ${name} | ${median(cpu.A).toFixed(1)} | ${median(cpu.B).toFixed(1)} | ${median(diffs).toFixed(1)} | ${cheaper}/${ROUNDS} |`);
  }
} finally {
  await targets.A.stop();
  await targets.B.stop();
  built?.cleanup();
}
