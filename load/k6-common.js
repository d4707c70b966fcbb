/**
 * k6 side of the load scenarios (k6 is not installed in this repository's environment; run these
 * where it is):  k6 run -e BASE_URL=http://127.0.0.1:8787 load/validate.k6.js
 * Environment: BASE_URL (default http://127.0.0.1:8787), VUS (default 10), DURATION (default 30s),
 * TOKEN (sent as `Authorization: Bearer <TOKEN>`: an API key as key:secret, or an AUTH_TOKENS token).
 */
import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';
import { Counter, Rate, Trend } from 'k6/metrics';
import { CORPUS_NAMES, LOAD_PREFIX, READ_LAYERS, SCENARIOS, casesOf, readLayerOf, registerRequest } from './scenarios.js';

const BASE_URL = (__ENV.BASE_URL || 'http://127.0.0.1:8787').replace(/\/$/, '');
const here = (p) => (typeof import.meta.resolve === 'function' ? import.meta.resolve(p) : p);

// init context: the corpus, read once per VU
const corpus = CORPUS_NAMES.map((n) => JSON.parse(open(here(`../test/fixtures/llm-schemas/${n}.json`))));
const cases = casesOf(corpus);

// Which layer answered each read (the Server-Timing `read` metric of a successful answer): one
// counter per layer, the hit ratio (answered before D1) the product targets hold above 95%, and
// the time of the reads answered before D1, whose p95 they hold under 10 ms (k6's request time:
// sending, waiting and receiving, without connecting; so run k6 near the colo it measures).
const layerCounters = Object.fromEntries(READ_LAYERS.map((l) => [l, new Counter(`read_layer_${l}`)]));
const readHit = new Rate('read_hit');
const cachedReadDuration = new Trend('cached_read_duration', true);

/** The product targets for a scenario that reads (docs/performance.md, "On Cloudflare's network"). */
const READ_TARGETS = { read_hit: ['rate>0.95'], cached_read_duration: ['p(95)<10'] };

function headersOf(spec) {
  const h = { ...spec.headers };
  if (__ENV.TOKEN) h.authorization = `Bearer ${__ENV.TOKEN}`;
  return h;
}

export function options(scenario) {
  return {
    scenarios: {
      [scenario]: { executor: 'constant-vus', vus: Number(__ENV.VUS || 10), duration: __ENV.DURATION || '30s' },
    },
    // register-burst makes no cached read: a threshold on a metric with no samples would be noise.
    thresholds: scenario === 'register-burst' ? { http_req_failed: ['rate<0.01'] } : { http_req_failed: ['rate<0.01'], ...READ_TARGETS },
    summaryTrendStats: ['avg', 'p(50)', 'p(90)', 'p(95)', 'p(99)', 'max'],
  };
}

/** Register the corpus under load-<name> (idempotent) and hand the ids to the VUs. */
export function setup() {
  const ids = {};
  for (const c of corpus) {
    const spec = registerRequest(LOAD_PREFIX + c.name, c.schema);
    const res = http.request(spec.method, BASE_URL + spec.path, spec.body, { headers: headersOf(spec) });
    if (res.status !== 200) throw new Error(`registering ${c.name}: ${res.status} ${res.body}`);
    ids[c.name] = res.json('id');
  }
  return { ids, runId: `${Date.now().toString(36)}` };
}

export function iterate(scenario, data) {
  const ctx = { corpus, ids: data.ids, cases, runId: data.runId };
  // unique per request across VUs: the scenario-wide iteration number
  const spec = SCENARIOS[scenario].request(exec.scenario.iterationInTest, ctx);
  const res = http.request(spec.method, BASE_URL + spec.path, spec.body ?? null, {
    headers: headersOf(spec),
    tags: { name: spec.path.split('/').slice(0, 3).join('/') },
  });
  check(res, { 'status 200': (r) => r.status === 200 });
  const layer = readLayerOf(res.headers['Server-Timing']);
  if (layer) {
    layerCounters[layer].add(1);
    readHit.add(layer !== 'd1');
    if (layer !== 'd1') cachedReadDuration.add(res.timings.duration);
  }
}
