/**
 * The local load runner's tally (load/scenarios.js tallyReadLayers): each answer's read layer is
 * counted from its Server-Timing, and with a list the time of each answer read before D1 is kept
 * for the p95 the product targets hold under 10 ms (k6's cached_read_duration).
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { tallyReadLayers } from '../../load/scenarios.js';

/** An autocannon client as the tally sees it: `headers` (a flat name/value list), then `response`. */
function answer(client: EventEmitter, serverTiming: string | undefined, ms: number) {
  client.emit('headers', {
    headers: serverTiming ? ['Content-Type', 'application/json', 'Server-Timing', serverTiming] : ['Content-Type', 'application/json'],
  });
  client.emit('response', 200, 10, ms);
}

describe('tallyReadLayers', () => {
  it('counts layers and keeps the time of the answers read before D1', () => {
    const layers = { isolate: 0, cache: 0, kv: 0, d1: 0 };
    const times: number[] = [];
    const client = new EventEmitter();
    tallyReadLayers(layers, times)(client);
    answer(client, 'read;desc="isolate"', 1.5);
    answer(client, 'read;desc="d1"', 9);
    answer(client, undefined, 7);
    answer(client, 'read;desc="kv"', 2.5);
    answer(client, 'read;desc="cache"', 3);
    expect(layers).toEqual({ isolate: 1, cache: 1, kv: 1, d1: 1 });
    expect(times).toEqual([1.5, 2.5, 3]);
  });

  it('without a list, only counts', () => {
    const layers = { isolate: 0, cache: 0, kv: 0, d1: 0 };
    const client = new EventEmitter();
    tallyReadLayers(layers)(client);
    answer(client, 'read;desc="isolate"', 1);
    expect(layers.isolate).toBe(1);
    expect(client.listenerCount('response')).toBe(0);
  });
});
