/**
 * The read layer in every successful answer (W3C Server-Timing, http/answer-headers.ts): what
 * the load runner and the k6 scripts tally into a hit ratio per layer (load/scenarios.js
 * readLayerOf). With and without the METRICS binding, since a deployed Worker may run either way;
 * and never on a refusal, which would tell a caller something about what it may not see.
 */
import { describe, expect, it } from 'vitest';
import { readLayerOf } from '../../load/scenarios.js';
import { bearer, fetchWith } from './with-env';

const avro = (name: string) => JSON.stringify({ type: 'record', name, fields: [{ name: 'f', type: 'string' }] });
const dataset: AnalyticsEngineDataset = { writeDataPoint: () => undefined };

describe.each([
  ['without the METRICS binding', {}],
  ['with the METRICS binding', { METRICS: dataset }],
])('Server-Timing %s', (label, vars) => {
  const call = fetchWith({ AUTH_MODE: 'none', ...vars });
  const subject = `st-${label.split(' ')[0]}`;

  it('names the layer of a read by id: storage first, then the isolate', async () => {
    const id = (await call('POST', `/subjects/${subject}/versions`, { schema: avro('A') })).body.id as number;
    const first = await call('GET', `/schemas/ids/${id}`);
    expect(first.status).toBe(200);
    expect(['cache', 'kv', 'd1']).toContain(readLayerOf(first.headers.get('server-timing')));
    const warm = await call('GET', `/schemas/ids/${id}`);
    expect(warm.headers.get('server-timing')).toBe('read;desc="isolate"');
  });

  it('is absent from a miss and from an answer that made no cached read', async () => {
    const missing = await call('GET', '/schemas/ids/987654');
    expect(missing).toMatchObject({ status: 404, body: { error_code: 40403 } });
    expect(missing.headers.get('server-timing')).toBeNull();
    const health = await call('GET', '/v1/health');
    expect(health.status).toBe(200);
    expect(health.headers.get('server-timing')).toBeNull();
  });
});

describe('Server-Timing and grants', () => {
  it('a caller refused an id it may not read hears no layer, warm or cold', async () => {
    const open = fetchWith({ AUTH_MODE: 'none' });
    const id = (await open('POST', '/subjects/st-hidden/versions', { schema: avro('H') })).body.id as number;
    const call = fetchWith({ AUTH_TOKENS: 'narrow:reader@./st-visible' });
    for (let i = 0; i < 2; i++) {
      const refused = await call('GET', `/schemas/ids/${id}`, undefined, bearer('narrow'));
      expect(refused.status).toBe(404);
      expect(refused.headers.get('server-timing')).toBeNull();
    }
  });
});

describe('readLayerOf', () => {
  it.each([
    ['read;desc="isolate"', 'isolate'],
    ['read;desc=kv', 'kv'],
    ['cfEdge;dur=3, read;desc="d1", cfOrigin;dur=0', 'd1'],
    ['READ; DESC="cache"', 'cache'],
    ['read;desc="disk"', undefined],
    ['other;desc="isolate"', undefined],
    ['', undefined],
    [null, undefined],
  ])('%s -> %s', (header, layer) => {
    expect(readLayerOf(header)).toBe(layer);
  });
});
