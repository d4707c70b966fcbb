/**
 * node test/bench/dispatch.mjs --a <bundle> [--b <bundle>] [--rounds 12] [--dispatches 20000] [--only a,b] [--each]:
 * what the registry's own code costs per request, without HTTP, paired. Each build runs in its
 * own workerd with a module in front of it (bench only; the bundle is not changed) that answers
 * one request by handing the Worker's `fetch` the same paths as test/bench/api.mjs
 * (test/bench/paths.mjs), one after another, 2,000 times, each with its answer read to the end;
 * the CPU that workerd spends on `--dispatches` of them, from /proc, divided by their number, is
 * the figure. Rounds alternate A and B, as test/bench/ab.mjs does.
 *
 * Why beside ab.mjs: over HTTP a request also costs workerd its parsing, its sockets and the
 * answer's serialization, and autocannon shares the machine; ab.mjs's control (the same bundle as
 * A and B) moves by ±4-9 µs a read on this machine, more than most single changes to the request
 * path are worth. Here only the Request and Response objects and our code run, 20,000 times per
 * sample, so /proc's 10 ms ticks weigh 0.5 µs a dispatch at most. What it leaves out is the same
 * for both builds, except what depends on the answer's bytes on the wire (the number and size
 * of headers): judge those with ab.mjs. The `harness` row is the loop alone (a Request made and a
 * fixed Response read), the part of every row that is not the registry; `A − harness` is A's
 * own part, what the registry adds to a bare Request and Response. `--a X --b X` is the control.
 * `--each` also prints every round's figures (to stderr). Prints only.
 */
import { processCpuSeconds } from './cpu.mjs';
import { buildWorker, inFrontOf, startMeasured } from './miniflare.mjs';
import { median } from './report.mjs';
import { scenarios, seed } from './paths.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
const ROUNDS = Number(opt('--rounds', 12));
const DISPATCHES = Number(opt('--dispatches', 20_000));
const only = opt('--only')?.split(',');
const each = argv.includes('--each');

/** The path the module in front answers; no route of the API has it. */
const LOOP_PATH = '/__bench/dispatch';

/** The module in front of a bundle: LOOP_PATH runs the loop, every other request goes to the Worker. */
function inFront(script) {
  return {
    modules: inFrontOf(script, {
      name: '__bench_dispatch.mjs',
      fetch: `async fetch(request, env, ctx) {
    if (!request.url.endsWith('${LOOP_PATH}')) return worker.fetch(request, env, ctx);
    const { requests, dispatches, harness } = await request.json();
    let failed = 0;
    for (let i = 0; i < dispatches; i++) {
      const { url, init } = requests[i % requests.length];
      const req = new Request(url, init);
      const res = harness ? new Response('{"id":1}', { headers: { 'content-type': 'application/json' } }) : await worker.fetch(req, env, ctx);
      await res.arrayBuffer();
      if (res.status >= 300) failed++;
    }
    return Response.json({ failed });
  }`,
    }),
  };
}

/** One build in its own workerd, seeded as bench:api seeds. */
async function start(script) {
  const registry = await startMeasured(script, {}, inFront(script));
  return { base: registry.url, pid: registry.pid, subjects: await seed(registry.url), stop: registry.stop };
}

/**
 * Dispatches per loop request: one request's context keeps what its work leaves behind (promises
 * handed to waitUntil, subrequest counts) until it ends, so a sample is several loops.
 */
const PER_LOOP = 2_000;

/** workerd CPU µs per dispatch over `DISPATCHES` dispatches; throws on a failed answer. */
async function cpuPerDispatch(target, requests, harness = false) {
  const body = JSON.stringify({
    dispatches: PER_LOOP,
    harness,
    // A body framed by its Content-Length, as autocannon and every HTTP/1.1 client send it (the
    // registry reads such a body in one call: http/respond.ts readText).
    requests: requests.map(({ method, path, headers, body }) => ({
      url: target.base + path,
      init: { method, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) }, body },
    })),
  });
  const loops = Math.max(1, Math.round(DISPATCHES / PER_LOOP));
  const cpu0 = processCpuSeconds(target.pid);
  for (let i = 0; i < loops; i++) {
    const res = await fetch(target.base + LOOP_PATH, { method: 'POST', body });
    const { failed } = await res.json();
    if (!res.ok || failed) throw new Error(`${failed} of ${PER_LOOP} dispatches failed (HTTP ${res.status})`);
  }
  return ((processCpuSeconds(target.pid) - cpu0) * 1e6) / (loops * PER_LOOP);
}

const a = opt('--a');
if (!a) throw new Error('usage: node test/bench/dispatch.mjs --a <bundle> [--b <bundle>] [--rounds N] [--dispatches N] [--only a,b]');
const built = opt('--b') ? undefined : buildWorker();
const b = opt('--b') ?? built.script;
const targets = { A: await start(a), B: await start(b) };
try {
  console.log(`A ${a}\nB ${b}\n${ROUNDS} rounds × ${DISPATCHES} dispatches per path and build, ${new Date().toISOString()}\n`);
  console.log('| Path | A µs/dispatch | B µs/dispatch | A − harness | B − A (median of rounds) | B cheaper |');
  console.log('|---|---:|---:|---:|---:|---:|');
  let harness;
  const paths = [{ name: 'harness', requests: [{ method: 'GET', path: '/' }], harness: true }, ...scenarios(targets.A.subjects)];
  for (const path of paths.filter((p) => p.harness || !only || only.some((o) => p.name.includes(o)))) {
    // Warm both first (isolate caches, the JIT).
    for (const name of ['A', 'B']) await cpuPerDispatch(targets[name], path.requests, path.harness);
    const cpu = { A: [], B: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of round % 2 ? ['B', 'A'] : ['A', 'B']) cpu[name].push(await cpuPerDispatch(targets[name], path.requests, path.harness));
    }
    if (each) console.error(`${path.name}: A ${cpu.A.map((x) => x.toFixed(1)).join(' ')}; B ${cpu.B.map((x) => x.toFixed(1)).join(' ')}`);
    const diffs = cpu.B.map((x, i) => x - cpu.A[i]);
    const cheaper = diffs.filter((d) => d < 0).length;
    harness ??= median(cpu.A);
    const own = path.harness ? '' : (median(cpu.A) - harness).toFixed(1);
    console.log(
      `| ${path.name} | ${median(cpu.A).toFixed(1)} | ${median(cpu.B).toFixed(1)} | ${own} | ${median(diffs).toFixed(1)} | ${cheaper}/${ROUNDS} |`,
    );
  }
} finally {
  await targets.A.stop();
  await targets.B.stop();
  built?.cleanup();
}
