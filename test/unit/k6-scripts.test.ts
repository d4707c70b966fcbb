/**
 * The k6 scripts (load/*.k6.js) run where k6 is installed, not here: this drives their shared
 * module (load/k6-common.js) with k6's modules replaced by recorders, so what a deployed run
 * reports (each scenario's requests, the per-layer read counters, the hit-ratio threshold) is
 * checked in `npm test`.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, vi } from 'vitest';

const requests: { method: string; url: string; body: unknown; headers: Record<string, string> }[] = [];
const metrics = new Map<string, { kind: string; samples: (number | boolean)[] }>();
let iteration = 0;
let answer: (method: string, url: string) => { status: number; headers: Record<string, string>; body: string; timings?: { duration: number } };

vi.mock('k6/http', () => ({
  default: {
    request: (method: string, url: string, body: unknown, params: { headers: Record<string, string> }) => {
      requests.push({ method, url, body, headers: params.headers });
      const res = answer(method, url);
      return { timings: { duration: 0 }, ...res, json: (key: string) => (JSON.parse(res.body) as Record<string, unknown>)[key] };
    },
  },
}));
vi.mock('k6', () => ({ check: () => true }));
vi.mock('k6/execution', () => ({
  default: {
    scenario: {
      get iterationInTest() {
        return iteration;
      },
    },
  },
}));
vi.mock('k6/metrics', () => {
  const metric = (kind: string) =>
    class {
      samples: (number | boolean)[] = [];
      constructor(name: string) {
        metrics.set(name, { kind, samples: this.samples });
      }
      add(v: number | boolean) {
        this.samples.push(v);
      }
    };
  return { Counter: metric('counter'), Rate: metric('rate'), Trend: metric('trend') };
});

type K6Common = typeof import('../../load/k6-common.js');
let k6: K6Common;

beforeAll(async () => {
  // k6's init-context globals: the environment and open() (relative to the script).
  vi.stubGlobal('__ENV', { BASE_URL: 'http://127.0.0.1:8787/', TOKEN: 'key:secret' });
  vi.stubGlobal('open', (path: string) => readFileSync(new URL(path), 'utf8'));
  k6 = await import('../../load/k6-common.js');
});

describe('k6 scripts', () => {
  it('set up the corpus under load-<name> with the token, and hand the ids on', () => {
    let id = 0;
    answer = () => ({ status: 200, headers: {}, body: JSON.stringify({ id: ++id }) });
    const data = k6.setup();
    expect(Object.keys(data.ids)).toHaveLength(10);
    expect(requests.every((r) => r.url.startsWith('http://127.0.0.1:8787/subjects/load-') && r.headers.authorization === 'Bearer key:secret')).toBe(
      true,
    );
    answer = () => ({ status: 409, headers: {}, body: '{"error_code":409}' });
    expect(() => k6.setup()).toThrow(/registering .*: 409/);
  });

  it('count each read by the layer that answered it and feed the hit ratio', () => {
    const layers = ['read;desc="isolate"', 'read;desc="isolate"', 'read;desc="cache"', 'read;desc="kv"', 'read;desc="d1"', undefined];
    let id = 100;
    answer = () => ({ status: 200, headers: {}, body: JSON.stringify({ id: ++id }) });
    const data = k6.setup();
    let n = 0;
    answer = () => {
      const st = layers[n % layers.length];
      const headers: Record<string, string> = st ? { 'Server-Timing': st } : {};
      return { status: 200, headers, body: '{}', timings: { duration: 2 + n++ } };
    };
    requests.length = 0;
    for (iteration = 0; iteration < layers.length; iteration++) k6.iterate('read-by-id', data);
    expect(requests.map((r) => r.url)).toEqual(layers.map((_, i) => `http://127.0.0.1:8787/schemas/ids/${101 + (i % 10)}`));
    expect(metrics.get('read_layer_isolate')?.samples).toEqual([1, 1]);
    expect(metrics.get('read_layer_cache')?.samples).toEqual([1]);
    expect(metrics.get('read_layer_kv')?.samples).toEqual([1]);
    expect(metrics.get('read_layer_d1')?.samples).toEqual([1]);
    expect(metrics.get('read_hit')).toEqual({ kind: 'rate', samples: [true, true, true, true, false] });
    // The time of the reads answered before D1 (the p95 target), not of the D1 one or the unlayered answer.
    expect(metrics.get('cached_read_duration')).toEqual({ kind: 'trend', samples: [2, 3, 4, 5] });
  });

  it('restart: every other request registers again what a subject holds, the rest look it up', () => {
    let id = 200;
    answer = () => ({ status: 200, headers: {}, body: JSON.stringify({ id: ++id }) });
    const data = k6.setup();
    const registered = requests.slice(-10).map((r) => ({ url: r.url, body: r.body }));
    answer = () => ({ status: 200, headers: { 'Server-Timing': 'read;desc="isolate"' }, body: '{}' });
    requests.length = 0;
    for (iteration = 0; iteration < 4; iteration++) k6.iterate('restart', data);
    // Lookups (even iterations) and registrations (odd) of the corpus as set up, the same body.
    expect(requests.map((r) => ({ method: r.method, url: r.url, body: r.body }))).toEqual([
      { method: 'POST', url: registered[0].url.replace(/\/versions$/, ''), body: registered[0].body },
      { method: 'POST', url: registered[0].url, body: registered[0].body },
      { method: 'POST', url: registered[1].url.replace(/\/versions$/, ''), body: registered[1].body },
      { method: 'POST', url: registered[1].url, body: registered[1].body },
    ]);
    expect(k6.options('restart').thresholds).toHaveProperty('read_hit');
  });

  it('hold read scenarios to a 95% hit ratio and cached reads to a p95 under 10 ms, and not the write-only one', () => {
    expect(k6.options('mixed').thresholds).toEqual({
      http_req_failed: ['rate<0.01'],
      read_hit: ['rate>0.95'],
      cached_read_duration: ['p(95)<10'],
    });
    expect(k6.options('mixed').summaryTrendStats).toContain('p(95)');
    expect(k6.options('read-by-id').thresholds).toHaveProperty('read_hit');
    expect(k6.options('register-burst').thresholds).toEqual({ http_req_failed: ['rate<0.01'] });
  });
});
