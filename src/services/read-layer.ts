/**
 * Which layer answered a read: the one notion shared by the metrics (the `layer` blob of every
 * request's Analytics Engine data point, docs/observability.md), the read caches and the benches.
 *
 * - `isolate`: this isolate's memory (module-scope caches: documents, validators, resolutions);
 * - `cache`: this colo's Cache API;
 * - `kv`: Workers KV;
 * - `d1`: the store of record.
 *
 * Each request carries one ReadTrace (the per-request services, http/env.ts). Every cached read
 * notes the layer that answered it; the request's layer is the deepest one any of its reads
 * reached (one D1 read makes the request a D1 read however many reads were warm).
 */
export type ReadLayer = 'isolate' | 'cache' | 'kv' | 'd1';

const DEPTH: Record<ReadLayer, number> = { isolate: 0, cache: 1, kv: 2, d1: 3 };

export class ReadTrace {
  /** How many reads each layer answered in this request. */
  readonly counts: Record<ReadLayer, number> = { isolate: 0, cache: 0, kv: 0, d1: 0 };
  private deepest: ReadLayer | undefined;

  note(layer: ReadLayer): void {
    this.counts[layer]++;
    if (this.deepest === undefined || DEPTH[layer] > DEPTH[this.deepest]) this.deepest = layer;
  }

  /** The deepest layer any read of the request reached; undefined when it made no cached read. */
  get layer(): ReadLayer | undefined {
    return this.deepest;
  }
}
