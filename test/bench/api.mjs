/**
 * node test/bench/api.mjs [--quick] [--use-dist]: the registry's API paths under load, each
 * against a Worker that answers a fixed body of the same size (test/bench/fixed-body.mjs: same
 * runtime, same run, same sockets). The built Worker runs under Miniflare on 127.0.0.1; autocannon
 * drives 8 connections with a fixed request count, registry and baseline interleaved per round.
 * Reported per path: requests per second and the ratio to the baseline, p50/p99, and workerd's
 * CPU time per request (from /proc: on Workers, CPU is the bill). Time runs from the first request
 * to the last response (autocannon's own end is reported on a 1-second tick). Prints only.
 */
import autocannon from 'autocannon';
import { workerdCpuSeconds } from './cpu.mjs';
import { buildWorker, SR_JSON, startRegistry, tempPersistRoot } from './miniflare.mjs';

const argv = process.argv.slice(2);
const args = new Set(argv);
const quick = args.has('--quick');
const valueOf = (flag) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
/** --only a,b: only the paths whose name contains one of these (e.g. `--only latest,POST /subjects`). */
const only = valueOf('--only')?.split(',');
const wanted = (name) => !only || only.some((o) => name.includes(o));
const ROUNDS = quick ? 1 : 3;
const AMOUNT = quick ? 1_000 : 4_000;
const REGISTRATIONS = quick ? 200 : 600;
const CONNECTIONS = 8;
const SUBJECTS = 50;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const avro = (name, fields) => JSON.stringify({ type: 'record', name, namespace: 'bench', fields });
/** JSON Schema, so /v1/validate applies; version 2 differs by its description only (compatible). */
const jsonSchema = (i, version) =>
  JSON.stringify({ type: 'object', description: `subject ${i} v${version}`, properties: { id: { type: 'integer' }, note: { type: 'string' } } });

/** Registers SUBJECTS subjects (two versions each) and returns what the scenarios address. */
async function seed(base) {
  const subjects = [];
  for (let i = 0; i < SUBJECTS; i++) {
    const subject = `api-bench-${i}`;
    for (const version of [1, 2]) {
      const res = await fetch(`${base}/subjects/${subject}/versions`, {
        method: 'POST',
        headers: { 'content-type': SR_JSON },
        body: JSON.stringify({ schemaType: 'JSON', schema: jsonSchema(i, version) }),
      });
      if (res.status !== 200) throw new Error(`seed ${subject}: ${res.status} ${await res.text()}`);
    }
    const latest = await (await fetch(`${base}/subjects/${subject}/versions/latest`)).json();
    subjects.push({ subject, id: latest.id });
  }
  return subjects;
}

/** Each scenario: the requests one round cycles through (autocannon rotates them per connection). */
function scenarios(subjects) {
  const each = (f) => subjects.map(f);
  return [
    { name: 'GET /schemas/ids/{id}', requests: each((s) => ({ method: 'GET', path: `/schemas/ids/${s.id}` })) },
    { name: 'GET /schemas/ids/{id}/schema', requests: each((s) => ({ method: 'GET', path: `/schemas/ids/${s.id}/schema` })) },
    { name: 'GET /subjects/{s}/versions/latest', requests: each((s) => ({ method: 'GET', path: `/subjects/${s.subject}/versions/latest` })) },
    { name: 'GET /subjects/{s}/versions', requests: each((s) => ({ method: 'GET', path: `/subjects/${s.subject}/versions` })) },
    { name: 'GET /config/{s}?defaultToGlobal=true', requests: each((s) => ({ method: 'GET', path: `/config/${s.subject}?defaultToGlobal=true` })) },
    {
      name: 'POST /v1/validate/ids/{id}',
      requests: each((s) => ({
        method: 'POST',
        path: `/v1/validate/ids/${s.id}`,
        headers: { 'content-type': 'application/json' },
        body: '{"id":7,"note":"n"}',
      })),
    },
  ];
}

/** One autocannon run; `setupRequest` may vary each request (registrations). */
async function cannon(base, requests, amount, setupRequest) {
  const cpu0 = workerdCpuSeconds();
  const t = performance.now();
  let last = t;
  const run = autocannon({
    url: base,
    connections: CONNECTIONS,
    amount,
    timeout: 20,
    requests: setupRequest ? requests.map((r) => ({ ...r, setupRequest })) : requests,
  });
  run.on('response', () => {
    last = performance.now();
  });
  const r = await run;
  const total = r['2xx'] + r.non2xx;
  return {
    rps: total / ((last - t) / 1000),
    p50: r.latency.p50,
    p99: r.latency.p99,
    cpuUs: ((workerdCpuSeconds() - cpu0) * 1e6) / total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

/** The size of each request's answer, so the baseline serves the same bytes. */
async function sizeOf(base, r) {
  const res = await fetch(base + r.path, { method: r.method, headers: r.headers, body: r.body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${r.method} ${r.path}: ${res.status} ${text}`);
  return Buffer.byteLength(text);
}

async function compare(urls, name, requests, amount, setupRequest) {
  const sized = [];
  for (const r of requests.slice(0, 10)) sized.push(setupRequest ? 10 : await sizeOf(urls.registry, r));
  const bytes = Math.round(median(sized));
  const baseline = requests.map((r) => ({ ...r, path: `/?bytes=${bytes}` }));
  const runs = { registry: [], baseline: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const target of round % 2 ? ['baseline', 'registry'] : ['registry', 'baseline']) {
      const list = target === 'registry' ? requests : baseline;
      runs[target].push(
        await cannon(urls[target === 'registry' ? 'registry' : 'fixed'], list, amount, target === 'registry' ? setupRequest : undefined),
      );
    }
  }
  const sum = (t) => ({
    rps: median(runs[t].map((x) => x.rps)),
    p50: median(runs[t].map((x) => x.p50)),
    p99: median(runs[t].map((x) => x.p99)),
    cpuUs: median(runs[t].map((x) => x.cpuUs)),
    failed: runs[t].reduce((a, x) => a + x.non2xx + x.errors, 0),
  });
  const registry = sum('registry');
  const base = sum('baseline');
  return { name, bytes, registry, baseline: base, ratio: median(runs.registry.map((x, i) => x.rps / runs.baseline[i].rps)) };
}

/** --script <file>: a Worker bundle built elsewhere (e.g. from another commit, for before/after figures). */
const { script, cleanup } = valueOf('--script')
  ? { script: valueOf('--script'), cleanup: () => {} }
  : buildWorker({ useDist: args.has('--use-dist') });
const state = tempPersistRoot();
let running;
try {
  running = await startRegistry({ script, persistRoot: state.dir, extra: [{ name: 'fixed', file: 'fixed-body.mjs' }] });
  const { urls } = running;
  const subjects = await seed(urls.registry);
  console.log(
    `API bench: ${SUBJECTS} subjects x 2 versions; ${ROUNDS} round(s) x ${AMOUNT} requests per path and target, ${CONNECTIONS} connections (node ${process.version})`,
  );
  const rows = [];
  for (const s of scenarios(subjects).filter((x) => wanted(x.name))) {
    await cannon(urls.registry, s.requests, 500); // warm: isolates, caches
    await cannon(urls.fixed, [{ method: 'GET', path: '/?bytes=100' }], 500);
    rows.push(await compare(urls, s.name, s.requests, AMOUNT));
  }
  // Registrations: every request a new subject in the default context (a fleet deploying).
  let n = 0;
  const register = (req) => ({
    ...req,
    path: `/subjects/api-bench-new-${n}/versions`,
    body: JSON.stringify({ schema: avro(`N${n++}`, [{ name: 'id', type: 'long' }]) }),
  });
  if (wanted('POST /subjects/{s}/versions (new subject)'))
    rows.push(
      await compare(
        urls,
        'POST /subjects/{s}/versions (new subject)',
        [{ method: 'POST', path: '/', headers: { 'content-type': SR_JSON } }],
        REGISTRATIONS,
        register,
      ),
    );

  const f0 = (x) => x.toFixed(0);
  console.log('\n| Path | Body B | Registry req/s | Baseline req/s | Ratio | p50 / p99 ms | CPU µs/req (registry / baseline) | Failed |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.bytes} | ${f0(r.registry.rps)} | ${f0(r.baseline.rps)} | ${r.ratio.toFixed(2)}× | ${r.registry.p50} / ${r.registry.p99} | ${f0(r.registry.cpuUs)} / ${f0(r.baseline.cpuUs)} | ${r.registry.failed} |`,
    );
  }
  const errorLogs = running.logs.filter((l) => l.includes('"level":"error"'));
  if (errorLogs.length) console.log(`\n${errorLogs.length} error log lines from the registry, first: ${errorLogs[0]}`);
} finally {
  if (running) await running.stop();
  state.cleanup();
  cleanup();
}
