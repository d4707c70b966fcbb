/**
 * The load scenarios of load/scenarios.js (the same ones the k6 scripts run), driven by autocannon.
 * Against --url, or by default against the built Worker started here under Miniflare on 127.0.0.1.
 * Each scenario is bounded by --duration seconds (default 10) and --connections (default 8), and
 * by --max-requests per scenario (default 200000). Prints req/s, p50/p99 latency, the p95 of the
 * reads answered before D1 (the product target k6 holds under 10 ms), error counts and
 * the share of reads each layer answered (isolate, Cache API, KV, D1: the Server-Timing `read`
 * metric of every successful answer, load/scenarios.js readLayerOf) and with --write (and no --url) also puts them into docs/performance.md ("Load (local runner)").
 *
 *   node load/run-local.mjs [--url http://127.0.0.1:8787] [--duration 10] [--connections 8]
 *                           [--scenarios validate,mixed] [--use-dist] [--write]
 *
 * Only loopback URLs are accepted (127.0.0.1, localhost, ::1): this is a local runner.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { buildWorker, loadCorpus, ROOT, startRegistry, tempPersistRoot } from '../test/bench/miniflare.mjs';
import { replaceSection, table } from '../test/bench/report.mjs';
import { casesOf, LOAD_PREFIX, READ_LAYERS, registerRequest, tallyReadLayers, SCENARIOS } from './scenarios.js';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i === -1 ? dflt : argv[i + 1];
};
const duration = Number(opt('--duration', 10));
const connections = Number(opt('--connections', 8));
const maxRequests = Number(opt('--max-requests', 200000));
const chosen = opt('--scenarios', Object.keys(SCENARIOS).join(',')).split(',');
for (const s of chosen) if (!SCENARIOS[s]) throw new Error(`unknown scenario ${s} (known: ${Object.keys(SCENARIOS).join(', ')})`);
if (!(duration > 0 && duration <= 120)) throw new Error('--duration must be 1..120 seconds');
if (!(connections > 0 && connections <= 256)) throw new Error('--connections must be 1..256');
const log = (...m) => console.error(...m);

async function prepare(base, corpus) {
  const ids = {};
  for (const c of corpus) {
    const spec = registerRequest(LOAD_PREFIX + c.name, c.schema);
    const res = await fetch(base + spec.path, { method: spec.method, headers: spec.headers, body: spec.body });
    const body = await res.json();
    if (res.status !== 200) throw new Error(`registering ${c.name}: ${res.status} ${JSON.stringify(body)}`);
    ids[c.name] = body.id;
  }
  return ids;
}

async function run(base, name, ctx) {
  const scenario = SCENARIOS[name];
  let i = 0;
  const statuses = {};
  const layers = Object.fromEntries(READ_LAYERS.map((l) => [l, 0]));
  const cachedTimes = [];
  const inst = autocannon({
    url: base,
    connections,
    duration,
    timeout: 10,
    setupClient: tallyReadLayers(layers, cachedTimes),
    requests: [
      {
        setupRequest: (req) => {
          const spec = scenario.request(i++, ctx);
          const next = { ...req, method: spec.method, path: spec.path, headers: spec.headers };
          if (spec.body !== undefined) next.body = spec.body;
          else delete next.body;
          return next;
        },
      },
    ],
  });
  // autocannon's `amount` would override `duration`: bound the request count by stopping instead
  let answered = 0;
  const t = performance.now();
  let last = t;
  inst.on('response', (_client, status) => {
    last = performance.now();
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (++answered === maxRequests) inst.stop();
  });
  const r = await inst;
  // autocannon's own duration is rounded up to its 1 s sampling tick: first request to last response
  const seconds = (last - t) / 1000;
  const total = r['2xx'] + r.non2xx;
  return {
    name,
    rps: total / seconds,
    requests: total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statuses,
    layers,
    cachedP95: percentile(cachedTimes, 0.95),
  };
}

/** The `q` quantile (nearest rank) of `xs`, or undefined when there are none. */
function percentile(xs, q) {
  if (xs.length === 0) return undefined;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** `isolate 93.1%, cache 0.0%, kv 0.0%, d1 6.9% of 1,234 reads`, or `no cached reads`. */
function layerShares(layers) {
  const reads = Object.values(layers).reduce((a, b) => a + b, 0);
  if (reads === 0) return 'no cached reads';
  const shares = READ_LAYERS.map((l) => `${l} ${((100 * layers[l]) / reads).toFixed(1)}%`).join(', ');
  return `${shares} of ${reads.toLocaleString('en-US')} reads; hit ratio (not D1) ${((100 * (reads - layers.d1)) / reads).toFixed(1)}%`;
}

const url = opt('--url');
if (url && !/^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/.test(url)) throw new Error(`--url must be a loopback address, got ${url}`);
const corpus = loadCorpus();
let running;
let worker;
let state;
const started = performance.now();
try {
  let base = url?.replace(/\/$/, '');
  if (!base) {
    worker = buildWorker({ useDist: argv.includes('--use-dist'), log });
    state = tempPersistRoot();
    running = await startRegistry({ script: worker.script, persistRoot: state.dir });
    base = running.urls.registry;
    log(`registry (built Worker under Miniflare) at ${base}`);
  }
  const ids = await prepare(base, corpus);
  const ctx = { corpus, ids, cases: casesOf(corpus), runId: Date.now().toString(36) };
  const results = [];
  for (const name of chosen) {
    log(`${name}: ${duration} s, ${connections} connections ...`);
    const r = await run(base, name, ctx);
    log(`  ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts}`);
    log(`  read layers: ${layerShares(r.layers)}${r.cachedP95 === undefined ? '' : `; reads before D1: p95 ${r.cachedP95.toFixed(1)} ms`}`);
    results.push(r);
  }
  const errorLogs = running ? running.logs.filter((l) => l.includes('"level":"error"')) : [];
  const rows = results.map((r) => [
    r.name,
    SCENARIOS[r.name].description,
    Math.round(r.rps).toLocaleString('en-US'),
    r.requests.toLocaleString('en-US'),
    r.p50,
    r.p99,
    r.cachedP95 === undefined ? '' : r.cachedP95.toFixed(1),
    r.non2xx,
    r.errors + r.timeouts,
    Object.entries(r.statuses)
      .map(([s, n]) => `${s}: ${n}`)
      .join(', '),
    layerShares(r.layers),
  ]);
  const command = `node load/run-local.mjs${argv.length ? ' ' + argv.join(' ') : ''}`;
  const c = cpus();
  const text = [
    `Command: \`${command}\` (${new Date().toISOString().slice(0, 10)}; target: ${url ? url : 'the built Worker under Miniflare, 127.0.0.1, fresh local state'}). ` +
      `${duration} s per scenario, ${connections} connections, at most ${maxRequests} requests per scenario. Machine: ${c.length} cores (${c[0]?.model ?? 'unknown'}), load average at the end ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}.`,
    '',
    table(
      [
        'scenario',
        'what',
        'req/s',
        'requests',
        'p50 ms',
        'p99 ms',
        'reads before D1: p95 ms',
        'non-2xx',
        'errors + timeouts',
        'statuses',
        'read layers',
      ],
      rows,
    ),
    '',
    running
      ? `Registry error log lines during the run: ${errorLogs.length}${errorLogs.length ? ` (first: ${errorLogs[0].slice(0, 200)})` : ''}. `
      : '',
    `Took ${((performance.now() - started) / 1000).toFixed(1)} s.`,
  ].join('\n');
  console.log('\n## Load (local runner)\n\n' + text);
  if (!url && argv.includes('--write')) {
    const path = join(ROOT, 'docs', 'performance.md');
    writeFileSync(path, replaceSection(readFileSync(path, 'utf8'), 'load', text));
    log('wrote the results into docs/performance.md');
  }
} finally {
  if (running) await running.stop();
  state?.cleanup();
  worker?.cleanup();
}
