/**
 * node test/bench/ab.mjs --a <bundle> [--b <bundle>] [--rounds 12] [--requests 6000]
 *                        [--registrations 1200] [--profile 7|8] [--only a,b]:
 * what one change costs or saves, as workerd CPU per request, paired. Two builds of the registry
 * run side by side, each in its own workerd (Miniflare instance) with the same seeded state and
 * paths as test/bench/api.mjs (test/bench/paths.mjs); every round sends each path the same requests (autocannon, 8 connections) to A and to B in turn, the order
 * alternating, and reads each process's CPU from /proc. Printed per path: the median CPU per
 * request of each and the median of the per-round differences B − A, with how many rounds B was
 * the cheaper. By default the warm reads; `--only` picks by substring among them and the writes
 * (`--only 'already registered,lookup,new subject'`: a fleet restarting with and without
 * auto-registration, and a burst of new subjects, `--registrations` per round and build; the CPU
 * of a registration is the Worker's, the writer's and the simulated D1's together). `--profile 8`
 * answers as Confluent 8.x (RESPONSE_PROFILE), which names each schema's guid, and adds the read
 * by guid.
 *
 * Why not api.mjs: its ratios divide by a baseline whose own rate moves by a third between runs
 * on this machine, so a change worth 5% of a read cannot be told from the noise there. Here both
 * builds share every moment of the machine's load. `--a X --b X` (the same bundle twice) is the
 * control: its differences are the instrument's noise (docs/performance.md: about ±4 µs on a read).
 * Without --b, B is the working tree, built as `npm run build` does. Prints only.
 */
import autocannon from 'autocannon';
import { processCpuSeconds } from './cpu.mjs';
import { buildWorker, startMeasured } from './miniflare.mjs';
import { median } from './report.mjs';
import { newSubjects, scenarios, seed } from './paths.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
const ROUNDS = Number(opt('--rounds', 12));
const REQUESTS = Number(opt('--requests', 6000));
const only = opt('--only')?.split(',');
const REGISTRATIONS = Number(opt('--registrations', 1200));
const PROFILE = opt('--profile', '7');

/** The paths of test/bench/paths.mjs (bench:api's) and a burst of new subjects; reads by default. */
const NEW_SUBJECT = 'POST /subjects/{s}/versions (new subject)';
const selected = (name, write) => (only ? only.some((o) => name.includes(o)) : !write);

/** One build under Miniflare in its own workerd, seeded. */
async function start(script) {
  const registry = await startMeasured(script, { RESPONSE_PROFILE: PROFILE });
  return { base: registry.url, pid: registry.pid, subjects: await seed(registry.url), stop: registry.stop };
}

/** workerd CPU µs per request of one autocannon run of `amount` requests against `target`; throws on a failed answer. */
async function cpuPerRequest(target, requests, amount) {
  const cpu0 = processCpuSeconds(target.pid);
  const r = await autocannon({ url: target.base, connections: 8, amount, requests });
  if (r.non2xx || r.errors || r.timeouts) throw new Error(`${r.non2xx} non-2xx answers, ${r.errors + r.timeouts} errors`);
  return ((processCpuSeconds(target.pid) - cpu0) * 1e6) / amount;
}

const a = opt('--a');
if (!a)
  throw new Error(
    'usage: node test/bench/ab.mjs --a <bundle> [--b <bundle>] [--rounds N] [--requests N] [--registrations N] [--profile 7|8] [--only a,b]',
  );
const built = opt('--b') ? undefined : buildWorker();
const b = opt('--b') ?? built.script;
const targets = { A: await start(a), B: await start(b) };
try {
  console.log(
    `A ${a}\nB ${b}\n${ROUNDS} rounds × ${REQUESTS} requests per path and build (${REGISTRATIONS} new subjects), ${new Date().toISOString()}\n`,
  );
  console.log('| Path | A µs/req | B µs/req | B − A (median of rounds) | B cheaper |');
  console.log('|---|---:|---:|---:|---:|');
  // The same paths in both (the seeds are the same, so are their ids and guids). `make` gives a
  // build its requests: new subjects count per build.
  const paths = scenarios(targets.A.subjects).map((p) => ({ ...p, amount: REQUESTS, make: () => p.requests }));
  const burst = () => {
    const { requests, setupRequest } = newSubjects('api-bench-new-');
    return requests.map((r) => ({ ...r, setupRequest }));
  };
  paths.push({ name: NEW_SUBJECT, write: true, amount: REGISTRATIONS, make: burst });
  for (const path of paths.filter((p) => selected(p.name, p.write))) {
    const { amount } = path;
    const requests = { A: path.make(), B: path.make() };
    // Warm both first (isolate caches, the writers' first groups).
    for (const name of ['A', 'B']) await cpuPerRequest(targets[name], requests[name], Math.min(1000, amount));
    const cpu = { A: [], B: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of round % 2 ? ['B', 'A'] : ['A', 'B']) cpu[name].push(await cpuPerRequest(targets[name], requests[name], amount));
    }
    const diffs = cpu.B.map((x, i) => x - cpu.A[i]);
    const cheaper = diffs.filter((d) => d < 0).length;
    console.log(`| ${path.name} | ${median(cpu.A).toFixed(1)} | ${median(cpu.B).toFixed(1)} | ${median(diffs).toFixed(1)} | ${cheaper}/${ROUNDS} |`);
  }
} finally {
  await targets.A.stop();
  await targets.B.stop();
  built?.cleanup();
}
