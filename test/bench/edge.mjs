/**
 * Edge benchmark: validations per second under Miniflare (the built Worker) for
 *   (a) gateway: a bench gateway Worker calling env.REGISTRY.validate() over the service binding,
 *   (b) http:    POST /v1/validate/subjects/{s}/versions/latest on the registry itself,
 *   (c) baseline: a Worker that only JSON-parses the same body and answers {valid:true},
 * each driven by autocannon over 127.0.0.1 with a fixed request count, rounds interleaved; reported
 * as ratios (a)/(c) and (b)/(c). Then cold vs warm (fresh workerd on the same persisted state: the
 * first validation per subject vs the steady state) and a storage check: with D1's tables renamed
 * away, KV emptied and the Cache API entries deleted, warm validations must still answer.
 */
import autocannon from 'autocannon';
import { workerdCpuSeconds } from './cpu.mjs';
import { loadCorpus, registerCorpus, startRegistry, tempPersistRoot } from './miniflare.mjs';
import { median } from './report.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const PREFIX = 'bench-';

/** Every corpus instance, valid ones first per schema. */
function cases(corpus) {
  const out = [];
  for (const c of corpus) {
    for (const v of c.valid) out.push({ schema: c.name, body: JSON.stringify(v), valid: true });
    for (const v of c.invalid) out.push({ schema: c.name, body: JSON.stringify(v), valid: false });
  }
  return out;
}

const TARGETS = {
  baseline: (urls, s) => ({ base: urls.baseline, path: `/validate/${PREFIX}${s}` }),
  http: (urls, s) => ({ base: urls.registry, path: `/v1/validate/subjects/${PREFIX}${s}/versions/latest` }),
  gateway: (urls, s) => ({ base: urls.gateway, path: `/validate/${PREFIX}${s}` }),
  // not asked for, for comparison: the gateway calling the HTTP route through a service binding (fetch)
  gatewayFetch: (urls, s) => ({ base: urls.gateway, path: `/http/${PREFIX}${s}` }),
};

async function post(urls, target, c) {
  const { base, path } = TARGETS[target](urls, c.schema);
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: c.body });
  return { status: res.status, body: await res.text() };
}

/** Each target answers every corpus instance, and the registry paths answer it correctly. */
async function checkAnswers(urls, list) {
  const wrong = [];
  for (const target of Object.keys(TARGETS)) {
    for (const c of list) {
      const r = await post(urls, target, c);
      const valid = r.status === 200 ? JSON.parse(r.body).valid : undefined;
      const expected = target === 'baseline' ? true : c.valid;
      if (valid !== expected) wrong.push(`${target} ${c.schema} ${c.body.slice(0, 40)}: ${r.status} ${r.body.slice(0, 120)}`);
    }
  }
  return wrong;
}

async function cannon(urls, target, list, { amount, connections }) {
  const base = TARGETS[target](urls, list[0].schema).base;
  const requests = list.map((c) => ({
    method: 'POST',
    path: TARGETS[target](urls, c.schema).path,
    headers: { 'content-type': 'application/json' },
    body: c.body,
  }));
  // autocannon's own duration is rounded up to its 1 s sampling tick: time first request to last response
  const cpu0 = workerdCpuSeconds();
  const client0 = process.cpuUsage();
  const t = performance.now();
  let last = t;
  const run = autocannon({ url: base, connections, amount, requests, timeout: 10 });
  run.on('response', () => {
    last = performance.now();
  });
  const r = await run;
  const seconds = (last - t) / 1000;
  const total = r['2xx'] + r.non2xx;
  const client = process.cpuUsage(client0);
  return {
    target,
    // workerd CPU per request (all Workers of the run, the gateway's included) and the load generator's CPU share
    cpuUs: ((workerdCpuSeconds() - cpu0) * 1e6) / total,
    clientCpuShare: (client.user + client.system) / 1e6 / seconds,
    rps: total / seconds,
    requests: total,
    seconds,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

async function throughput(urls, list, o, log) {
  const targets = Object.keys(TARGETS);
  for (const t of targets) await cannon(urls, t, list, { amount: o.warmup, connections: o.connections });
  const others = targets.filter((t) => t !== 'baseline');
  const runs = Object.fromEntries(targets.map((t) => [t, []]));
  const ratios = Object.fromEntries(others.map((t) => [t, []]));
  const cpuRatios = Object.fromEntries(others.map((t) => [t, []]));
  for (let round = 0; round < o.rounds; round++) {
    // rotate the order so no target always runs first (or right after the same neighbour)
    const order = targets.map((_, i) => targets[(i + round) % targets.length]);
    const got = {};
    for (const t of order) {
      got[t] = await cannon(urls, t, list, o);
      runs[t].push(got[t]);
    }
    for (const t of others) {
      ratios[t].push(got[t].rps / got.baseline.rps);
      cpuRatios[t].push(got[t].cpuUs / got.baseline.cpuUs);
    }
    log(`  round ${round + 1}: ${order.map((t) => `${t} ${got[t].rps.toFixed(0)} req/s`).join(', ')}`);
  }
  const summary = {};
  for (const t of targets) {
    const rs = runs[t];
    summary[t] = {
      rps: median(rs.map((x) => x.rps)),
      p50: median(rs.map((x) => x.p50)),
      p99: median(rs.map((x) => x.p99)),
      non2xx: rs.reduce((a, x) => a + x.non2xx, 0),
      errors: rs.reduce((a, x) => a + x.errors, 0),
      requests: rs.reduce((a, x) => a + x.requests, 0),
      cpuUs: median(rs.map((x) => x.cpuUs)),
      clientCpuShare: median(rs.map((x) => x.clientCpuShare)),
    };
  }
  return {
    summary,
    ratios: Object.fromEntries(others.map((t) => [t, median(ratios[t])])),
    cpuRatios: Object.fromEntries(others.map((t) => [t, median(cpuRatios[t])])),
    perRound: ratios,
  };
}

async function timed(fn) {
  const t = performance.now();
  const r = await fn();
  return { ms: performance.now() - t, r };
}

/** On a fresh workerd (module caches empty): first validation per subject, then the warm median. */
async function coldWarm(urls, corpus, target, warmReps) {
  const rows = [];
  for (const c of corpus) {
    const one = { schema: c.name, body: JSON.stringify(c.valid[0]), valid: true };
    const cold = await timed(() => post(urls, target, one));
    if (cold.r.status !== 200) throw new Error(`cold ${target} ${c.name}: ${cold.r.status} ${cold.r.body}`);
    const warm = [];
    for (let i = 0; i < warmReps; i++) warm.push((await timed(() => post(urls, target, one))).ms);
    const base = [];
    for (let i = 0; i < warmReps; i++) base.push((await timed(() => post(urls, 'baseline', one))).ms);
    rows.push({ schema: c.name, coldMs: cold.ms, warmMs: median(warm), baselineMs: median(base) });
  }
  return rows;
}

/**
 * Take storage away behind the registry's back and see what warm validations still answer.
 * Validators by id have no expiry; a subject's `latest` resolves to an id through a 5 s cache,
 * stale-while-revalidate (services/validators.ts): past it, the next validation still answers
 * from the stale resolution and refreshes it in the background; when that refresh fails (storage
 * gone), the resolution is dropped and the validation after it must read D1 itself.
 */
async function storageCheck(mf, urls, corpus, ids, log) {
  const one = (c) => ({ schema: c.name, body: JSON.stringify(c.valid[0]), valid: true });
  const byId = async (c) => {
    const res = await fetch(`${urls.registry}/v1/validate/ids/${ids[c.name]}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: one(c).body,
    });
    return res.status === 200 && (await res.json()).valid === true;
  };
  for (const c of corpus) if (!(await byId(c))) throw new Error(`warming /v1/validate/ids for ${c.name} failed`);
  // fill the by-id read path (Cache API, KV) too, so there is something to take away
  for (const c of corpus) await fetch(`${urls.registry}/schemas/ids/${ids[c.name]}`).then((r) => r.text());
  await sleep(300);
  // let every subject's `latest` resolution expire, then resolve all of them again at t0
  await sleep(5500);
  const t0 = performance.now();
  for (const c of corpus) await post(urls, 'http', one(c));
  // D1: rename the tables every read goes to; KV: delete every key; Cache API: delete the by-id entries
  const db = await mf.getD1Database('DB', 'registry');
  for (const t of ['versions', 'schemas', 'refs']) await db.prepare(`ALTER TABLE ${t} RENAME TO ${t}_bench_hidden`).run();
  const kv = await mf.getKVNamespace('SCHEMA_KV', 'registry');
  let kvDeleted = 0;
  for (const k of (await kv.list()).keys) {
    await kv.delete(k.name);
    kvDeleted++;
  }
  let cacheDeleted = 0;
  try {
    const cache = await (await mf.getCaches()).open('schemas');
    for (const c of corpus) if (await cache.delete(`https://schema-cache.internal/v2/0/ctx/./id/${ids[c.name]}`)) cacheDeleted++;
  } catch (e) {
    log(`  (could not reach the Cache API from Node: ${e.message})`);
  }
  // The control: D1 itself no longer has the tables (a warm GET /schemas/ids/{id} would not show
  // it: the isolate answers that from memory).
  let controlD1Fails = false;
  try {
    await db.prepare('SELECT 1 FROM versions LIMIT 1').all();
  } catch {
    controlD1Fails = true;
  }
  const warmIdRead = await fetch(`${urls.registry}/schemas/ids/${ids[corpus[0].name]}`);
  await warmIdRead.text();
  const sabotagedMs = performance.now() - t0;
  // within the 5 s window: by id and by subject (HTTP and gateway) must all answer
  let idOk = 0;
  let idTotal = 0;
  let subjOk = 0;
  let subjTotal = 0;
  while (performance.now() - t0 < 4000) {
    for (const c of corpus) {
      idTotal++;
      if (await byId(c)) idOk++;
      for (const target of ['http', 'gateway']) {
        subjTotal++;
        const r = await post(urls, target, one(c));
        if (r.status === 200 && JSON.parse(r.body).valid === true) subjOk++;
      }
    }
  }
  // after the window: the first validation by subject answers from the stale resolution and its
  // background refresh fails; the next one must re-resolve `latest` from D1 (gone) and fail. By id
  // still answers.
  await sleep(Math.max(0, 5600 - (performance.now() - t0)));
  let afterSubjStale = 0;
  for (const c of corpus) {
    const r = await post(urls, 'http', one(c));
    if (r.status === 200) afterSubjStale++;
  }
  await sleep(300);
  let afterSubjFail = 0;
  let afterIdOk = 0;
  for (const c of corpus) {
    const r = await post(urls, 'http', one(c));
    if (r.status !== 200) afterSubjFail++;
    if (await byId(c)) afterIdOk++;
  }
  return {
    storageRemovedWithinMs: sabotagedMs,
    controlD1Fails,
    warmIdReadStatus: warmIdRead.status,
    kvDeleted,
    cacheDeleted,
    warmById: { ok: idOk, total: idTotal },
    warmBySubject: { ok: subjOk, total: subjTotal },
    afterTtl: { subjectsStale: afterSubjStale, subjectsFailing: afterSubjFail, idsAnswering: afterIdOk, of: corpus.length },
  };
}

export async function runEdgeBench({ script, amount = 12000, warmup = 1000, connections = 8, rounds = 5, warmReps = 20, log = console.error } = {}) {
  const started = performance.now();
  const corpus = loadCorpus();
  const list = cases(corpus);
  const state = tempPersistRoot();
  let running;
  try {
    let t = performance.now();
    running = await startRegistry({ script, persistRoot: state.dir, bench: true });
    const startMs = performance.now() - t;
    const ids = await registerCorpus(running.urls.registry, corpus, PREFIX);
    const wrong = await checkAnswers(running.urls, list);
    if (wrong.length) throw new Error(`wrong answers:\n${wrong.join('\n')}`);
    log(`edge: ${corpus.length} schemas registered, ${list.length} instances checked on every target; ${o(amount, connections, rounds)}`);
    const tp = await throughput(running.urls, list, { amount, warmup, connections, rounds }, log);
    tp.registryErrorLogs = running.logs.filter((l) => l.includes('"level":"error"')).length;
    await running.stop();
    running = undefined;

    // cold vs warm: a fresh workerd on the same persisted state, once per path (they share the isolate)
    const cold = {};
    for (const target of ['http', 'gateway']) {
      t = performance.now();
      running = await startRegistry({ script, persistRoot: state.dir, bench: true, migrate: false });
      const restartMs = performance.now() - t;
      const first = await timed(() => fetch(`${running.urls.registry}/`).then((r) => r.text()));
      await fetch(`${running.urls.gateway}/`).then((r) => r.text());
      await fetch(`${running.urls.baseline}/`).then((r) => r.text());
      cold[target] = { restartMs, firstRequestMs: first.ms, rows: await coldWarm(running.urls, corpus, target, warmReps) };
      if (target === 'gateway') {
        const before = running.logs.length;
        cold.storage = await storageCheck(running.mf, running.urls, corpus, ids, log);
        // the registry logs every failed read while its storage is gone (expected)
        cold.storage.errorLogLines = running.logs.slice(before).filter((l) => l.includes('"level":"error"')).length;
      }
      await running.stop();
      running = undefined;
    }
    return {
      options: { amount, warmup, connections, rounds, warmReps },
      startMs,
      instances: list.length,
      throughput: tp,
      cold,
      elapsedMs: performance.now() - started,
    };
  } finally {
    if (running) await running.stop();
    state.cleanup();
  }
}

const o = (amount, connections, rounds) => `${rounds} rounds x ${amount} requests per target, ${connections} connections`;
