/**
 * node test/bench/api.mjs [--quick] [--use-dist]: the registry's API paths under load, each
 * against a Worker that answers a fixed body of the same size (test/bench/fixed-body.mjs: same
 * runtime, same run, same sockets). The built Worker runs under Miniflare on 127.0.0.1; autocannon
 * drives 8 connections with a fixed request count, registry and baseline interleaved per round.
 * Reported per path: requests per second and the ratio to the baseline, p50/p99, and workerd's
 * CPU time per request (from /proc: on Workers, CPU is the bill) and how busy workerd's busiest
 * thread was (near 100%: the run was bound by that one thread's CPU, which the Worker, the writer
 * and the simulated D1 share here). Time runs from the first request
 * to the last response (autocannon's own end is reported on a 1-second tick). Prints only.
 * `mixed reads` is load/scenarios.js readMixRequest (validations by id, schema reads, latest,
 * version lists, config) against the baseline answering each request kind's size; it also prints
 * the share of answers per read layer (Server-Timing `read`) and the hit ratio (not D1).
 * `fixed body + the answer headers (floor)` is the baseline Worker sending the headers every warm
 * registry answer carries (request id, trace, nosniff, no-store, Server-Timing) against itself
 * without them: the part of a ratio no route can win back. `registry Worker, fixed body before
 * routing (its floor)` is the registry bundle itself answering that body and those headers from a
 * module in front of it (withOwnFloor, bench only) against the baseline doing the same: what the
 * registry Worker costs before any of its code runs (its size, bindings, compatibility flags).
 * --only a,b picks paths by substring (`--only mixed`); --script <bundle> runs another build;
 * --metrics binds the METRICS Analytics Engine dataset (as wrangler.toml does; off by default).
 * Registrations: a new subject per request, in the default context and in a named one (`.bench`).
 * --registrations N sets the registrations per round (default 600, 200 with --quick).
 * --webhooks binds the WEBHOOKS queue producer (as wrangler.toml does; off by default): every
 * committed write then drains the webhook outbox after its answer, as deployed.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { busiestThread, workerdCpuSeconds, workerdThreadTicks } from './cpu.mjs';
import { buildWorker, inFrontOf, startRegistry, tempPersistRoot } from './miniflare.mjs';
import { median } from './report.mjs';
import { newSubjects, scenarios, seed, SUBJECTS } from './paths.mjs';
import { READ_LAYERS, READ_MIX_KINDS, READ_MIX_WEIGHTS, readMixRequest, tallyReadLayers } from '../../load/scenarios.js';

const argv = process.argv.slice(2);
const args = new Set(argv);
const quick = args.has('--quick');
const valueOf = (flag) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
/** --only a,b: only the paths whose name contains one of these (e.g. `--only latest,POST /subjects`). */
const only = valueOf('--only')?.split(',');
const wanted = (name) => !only || only.some((o) => name.includes(o));
const ROUNDS = quick ? 1 : 3;
const AMOUNT = quick ? 1_000 : 4_000;
/** --registrations N: registrations per round (a longer run steadies the figure on a loaded machine). */
const REGISTRATIONS = Number(valueOf('--registrations') ?? (quick ? 200 : 600));
const CONNECTIONS = 8;

/**
 * One autocannon run; `setupRequest` may vary each request (registrations, the mix). The answers'
 * read layers (Server-Timing `read`, load/scenarios.js readLayerOf) are tallied into `layers`.
 */
async function cannon(base, requests, amount, setupRequest) {
  const layers = Object.fromEntries(READ_LAYERS.map((l) => [l, 0]));
  const cpu0 = workerdCpuSeconds();
  const threads0 = workerdThreadTicks();
  const t = performance.now();
  let last = t;
  const run = autocannon({
    url: base,
    connections: CONNECTIONS,
    amount,
    timeout: 20,
    requests: setupRequest ? requests.map((r) => ({ ...r, setupRequest })) : requests,
    setupClient: tallyReadLayers(layers),
  });
  run.on('response', () => {
    last = performance.now();
  });
  const r = await run;
  const total = r['2xx'] + r.non2xx;
  // Over the time to the last response, as the rate (autocannon's own end comes up to a second later, idle).
  const busiest = busiestThread(threads0, workerdThreadTicks(), (last - t) / 1000);
  return {
    rps: total / ((last - t) / 1000),
    busiest,
    p50: r.latency.p50,
    p99: r.latency.p99,
    cpuUs: ((workerdCpuSeconds() - cpu0) * 1e6) / total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    layers,
  };
}

/** The size of each request's answer, so the baseline serves the same bytes. */
async function sizeOf(base, r) {
  const res = await fetch(base + r.path, { method: r.method, headers: r.headers, body: r.body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${r.method} ${r.path}: ${res.status} ${text}`);
  return Buffer.byteLength(text);
}

/**
 * Registry against baseline, interleaved per round. `setupRequest` varies the registry's requests;
 * `baselineSetup` (with it) gives the baseline's matching requests, else the baseline answers the
 * median size of the first ten answers.
 */
async function compare(urls, name, requests, amount, setupRequest, baselineSetup, bytesLabel) {
  let bytes = bytesLabel;
  let baseline = requests;
  if (!baselineSetup) {
    const sized = [];
    for (const r of requests.slice(0, 10)) sized.push(setupRequest ? 10 : await sizeOf(urls.registry, r));
    bytes = Math.round(median(sized));
    baseline = requests.map((r) => ({ ...r, path: `/?bytes=${bytes}` }));
  }
  const runs = { registry: [], baseline: [] };
  // The baseline answers at least a read path's count: 600 registrations' worth of a constant
  // answer lasts about 50 ms, over which its rate (and /proc's 10 ms CPU ticks) is mostly noise.
  const baselineAmount = Math.max(amount, AMOUNT);
  for (let round = 0; round < ROUNDS; round++) {
    for (const target of round % 2 ? ['baseline', 'registry'] : ['registry', 'baseline']) {
      const registry = target === 'registry';
      runs[target].push(
        await cannon(
          urls[registry ? 'registry' : 'fixed'],
          registry ? requests : baseline,
          registry ? amount : baselineAmount,
          registry ? setupRequest : baselineSetup,
        ),
      );
    }
  }
  const sum = (t) => ({
    rps: median(runs[t].map((x) => x.rps)),
    p50: median(runs[t].map((x) => x.p50)),
    p99: median(runs[t].map((x) => x.p99)),
    cpuUs: median(runs[t].map((x) => x.cpuUs)),
    busiest: median(runs[t].map((x) => x.busiest)),
    failed: runs[t].reduce((a, x) => a + x.non2xx + x.errors, 0),
  });
  const registry = sum('registry');
  const base = sum('baseline');
  const layers = Object.fromEntries(READ_LAYERS.map((l) => [l, runs.registry.reduce((a, x) => a + x.layers[l], 0)]));
  return { name, bytes, registry, baseline: base, layers, ratio: median(runs.registry.map((x, i) => x.rps / runs.baseline[i].rps)) };
}

const HERE = dirname(fileURLToPath(import.meta.url));

/** The path the registry Worker answers before routing (withOwnFloor): no route of the API has it. */
const OWN_FLOOR_PATH = '/__bench/fixed-body';

/**
 * The registry bundle with a module in front that answers OWN_FLOOR_PATH with a fixed 165-byte
 * body and the headers every warm answer carries (fixed-body.mjs `fixedAnswer`, the baseline's own
 * answer) before the registry sees the request, and passes every other request on: the registry
 * Worker's own floor (its bundle, bindings and compatibility flags, no routing). Bench only: the
 * bundle itself is not changed. The one `endsWith` it adds to every other request costs nanoseconds.
 */
function withOwnFloor(script) {
  return inFrontOf(script, {
    name: '__bench_own_floor.mjs',
    imports: "import { fixedAnswer } from './__bench_fixed_body.mjs';\n",
    fetch: `fetch(request, env, ctx) {
    return request.url.endsWith('${OWN_FLOOR_PATH}') ? fixedAnswer(165, true) : worker.fetch(request, env, ctx);
  }`,
    extra: [
      { type: 'ESModule', path: join(dirname(script), '__bench_fixed_body.mjs'), contents: readFileSync(join(HERE, 'fixed-body.mjs'), 'utf8') },
    ],
  });
}

/** --script <file>: a Worker bundle built elsewhere (e.g. from another commit, for before/after figures). */
const { script, cleanup } = valueOf('--script')
  ? { script: valueOf('--script'), cleanup: () => {} }
  : buildWorker({ useDist: args.has('--use-dist') });
const state = tempPersistRoot();
let running;
try {
  running = await startRegistry({
    script,
    persistRoot: state.dir,
    extra: [{ name: 'fixed', file: 'fixed-body.mjs' }],
    // --metrics: the METRICS Analytics Engine dataset bound, as deployed (a data point per request);
    // --webhooks: the WEBHOOKS queue producer bound, as deployed (every committed write drains the
    // outbox after its answer: services/webhook-delivery.ts), no subscription and no consumer.
    registryOptions: {
      modules: withOwnFloor(script),
      ...(args.has('--metrics') ? { analyticsEngineDatasets: { METRICS: { dataset: 'bench' } } } : {}),
      ...(args.has('--webhooks') ? { queueProducers: { WEBHOOKS: { queueName: 'bench-webhooks' } } } : {}),
    },
  });
  const { urls } = running;
  const subjects = await seed(urls.registry);
  console.log(
    `API bench${args.has('--metrics') ? ' (METRICS bound)' : ''}${args.has('--webhooks') ? ' (WEBHOOKS bound)' : ''}: ${SUBJECTS} subjects x 2 versions; ${ROUNDS} round(s) x ${AMOUNT} requests per path and target, ${CONNECTIONS} connections (node ${process.version})`,
  );
  const rows = [];
  for (const s of scenarios(subjects).filter((x) => wanted(x.name))) {
    await cannon(urls.registry, s.requests, 500); // warm: isolates, caches
    await cannon(urls.fixed, [{ method: 'GET', path: '/?bytes=100' }], 500);
    rows.push(await compare(urls, s.name, s.requests, AMOUNT));
  }
  // The floor under any route: the baseline Worker answering with the headers every warm registry
  // answer carries, against itself without them (a warm id read's body size).
  const FLOOR = 'fixed body + the answer headers (floor)';
  if (wanted(FLOOR)) {
    const floor = [{ method: 'GET', path: '/?bytes=165&headers=registry' }];
    await cannon(urls.fixed, floor, 500);
    rows.push(await compare({ registry: urls.fixed, fixed: urls.fixed }, FLOOR, floor, AMOUNT));
  }

  // The registry Worker's own floor: itself answering a fixed body before any routing, against the
  // baseline Worker sending the same body and headers. What no route of the registry can win back.
  const OWN_FLOOR = 'registry Worker, fixed body before routing (its floor)';
  if (wanted(OWN_FLOOR)) {
    const own = [{ method: 'GET', path: OWN_FLOOR_PATH }];
    const same = (req) => req;
    const withHeaders = (req) => ({ ...req, path: '/?bytes=165&headers=registry' });
    await cannon(urls.registry, own, 500);
    await cannon(urls.fixed, own, 500, withHeaders);
    rows.push(await compare(urls, OWN_FLOOR, own, AMOUNT, same, withHeaders, '165'));
  }

  // The read-heavy mix (load/scenarios.js readMixRequest), one counter shared by the connections;
  // the baseline answers each request with a body of that request kind's median answer size.
  const MIXED = 'mixed reads';
  if (wanted(MIXED)) {
    const ctx = { targets: subjects, body: '{"id":7,"note":"n"}' };
    const sizes = {};
    for (const kind of READ_MIX_KINDS) {
      const sized = [];
      for (let i = 0; sized.length < 5; i++) {
        const r = readMixRequest(i, ctx);
        if (r.kind === kind) sized.push(await sizeOf(urls.registry, r));
      }
      sizes[kind] = Math.round(median(sized));
    }
    const counter = () => {
      let i = 0;
      return () => readMixRequest(i++, ctx);
    };
    const asRequest = (req, r, path) => {
      const next = { ...req, method: r.method, path, headers: r.headers };
      if (r.body !== undefined) next.body = r.body;
      else delete next.body;
      return next;
    };
    const mix = (next) => (req) => {
      const r = next();
      return asRequest(req, r, r.path);
    };
    const mixBaseline = (next) => (req) => {
      const r = next();
      return asRequest(req, r, `/?bytes=${sizes[r.kind]}`);
    };
    const one = [{ method: 'GET', path: '/' }];
    await cannon(urls.registry, one, 500, mix(counter())); // warm
    await cannon(urls.fixed, one, 500, mixBaseline(counter()));
    const bytesLabel = READ_MIX_KINDS.map((k) => sizes[k]).join('/');
    rows.push(await compare(urls, MIXED, one, AMOUNT, mix(counter()), mixBaseline(counter()), bytesLabel));
  }

  // Registrations: every request a new subject (a fleet deploying), in the default context and in
  // a named one (a tenant's: its writes also check that the context exists, services/bounds.ts).
  for (const [name, prefix] of [
    ['POST /subjects/{s}/versions (new subject)', 'api-bench-new-'],
    ['POST /subjects/{s}/versions (new subject, named context)', ':.bench:api-bench-new-'],
  ])
    if (wanted(name)) {
      // Warm, as the reads are: the isolate's code for this path compiled, the context created.
      const warm = newSubjects(`${prefix}warm-`);
      await cannon(urls.registry, warm.requests, 200, warm.setupRequest);
      const { requests, setupRequest } = newSubjects(prefix);
      rows.push(await compare(urls, name, requests, REGISTRATIONS, setupRequest));
    }

  const f0 = (x) => x.toFixed(0);
  const pct = (x) => (Number.isNaN(x) ? 'n/a' : `${f0(100 * x)}%`);
  console.log(
    '\n| Path | Body B | Registry req/s | Baseline req/s | Ratio | p50 / p99 ms | CPU µs/req (registry / baseline) | Busiest thread (registry / baseline) | Failed |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.bytes} | ${f0(r.registry.rps)} | ${f0(r.baseline.rps)} | ${r.ratio.toFixed(2)}× | ${r.registry.p50} / ${r.registry.p99} | ${f0(r.registry.cpuUs)} / ${f0(r.baseline.cpuUs)} | ${pct(r.registry.busiest)} / ${pct(r.baseline.busiest)} | ${r.registry.failed} |`,
    );
  }
  console.log('');
  for (const r of rows) {
    const reads = READ_LAYERS.reduce((a, l) => a + r.layers[l], 0);
    if (!reads) continue;
    const shares = READ_LAYERS.map((l) => `${l} ${((100 * r.layers[l]) / reads).toFixed(1)}%`).join(', ');
    const what = r.name.startsWith('mixed')
      ? ` (${READ_MIX_WEIGHTS.map(([k, w]) => `${k} ${w * 2}%`).join(', ')}; Body B = median answer per kind)`
      : '';
    console.log(
      `${r.name}${what}: answers per read layer (Server-Timing read): ${shares} of ${reads.toLocaleString('en-US')} answers; hit ratio (not D1) ${((100 * (reads - r.layers.d1)) / reads).toFixed(1)}%`,
    );
  }
  const errorLogs = running.logs.filter((l) => l.includes('"level":"error"'));
  if (errorLogs.length) console.log(`\n${errorLogs.length} error log lines from the registry, first: ${errorLogs[0]}`);
} finally {
  if (running) await running.stop();
  state.cleanup();
  cleanup();
}
