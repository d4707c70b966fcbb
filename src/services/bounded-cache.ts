/**
 * A small LRU for module-scope caches (parsed schemas, validators). Bounded by entry count and by
 * a caller-supplied weight (e.g. schema text length), because an isolate has 128 MB and one
 * hostile-but-valid schema can be large.
 *
 * Recency is a doubly linked list beside the Map, not the Map's own insertion order. Refreshing
 * an entry by deleting and re-inserting its key leaves a deleted slot in V8's table, in the same
 * hash chain as the key, until the table is next rebuilt; a key refreshed over and over (a hot
 * schema id, the one context scope every registration writes) makes its own chain thousands of
 * slots long, and every lookup of it walks them. In `written` of fresh-cache.ts (10,000 entries)
 * that cost each registration about 35 µs (stop 35, docs/performance-log.md). Here a key is
 * inserted once and deleted once; a refresh only relinks two nodes.
 */
interface Node<V> {
  key: string;
  value: V;
  weight: number;
  older: Node<V> | null;
  newer: Node<V> | null;
}

export class BoundedCache<V> {
  private readonly entries = new Map<string, Node<V>>();
  private weight = 0;
  /** The least and the most recently used entries: eviction starts at `oldest`. */
  private oldest: Node<V> | null = null;
  private newest: Node<V> | null = null;

  constructor(
    private readonly maxEntries: number,
    private readonly maxWeight: number,
  ) {}

  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.unlink(hit);
    this.link(hit);
    return hit.value;
  }

  set(key: string, value: V, weight = 1): V {
    if (weight > this.maxWeight) {
      this.delete(key);
      return value; // too big to keep; still usable by the caller
    }
    const held = this.entries.get(key);
    if (held) {
      // In place: a delete and re-insert of the key is what the list is here to avoid.
      this.weight += weight - held.weight;
      held.value = value;
      held.weight = weight;
      this.unlink(held);
      this.link(held);
    } else {
      const node: Node<V> = { key, value, weight, older: null, newer: null };
      this.entries.set(key, node);
      this.weight += weight;
      this.link(node);
    }
    while (this.entries.size > this.maxEntries || this.weight > this.maxWeight) {
      // Never empty here: the weight of an empty cache is 0, and maxEntries is at least 0.
      this.delete((this.oldest as Node<V>).key);
    }
    return value;
  }

  delete(key: string): void {
    const hit = this.entries.get(key);
    if (!hit) return;
    this.entries.delete(key);
    this.unlink(hit);
    this.weight -= hit.weight;
  }

  clear(): void {
    this.entries.clear();
    this.oldest = this.newest = null;
    this.weight = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Make `node` the most recently used. */
  private link(node: Node<V>): void {
    node.older = this.newest;
    node.newer = null;
    if (this.newest) this.newest.newer = node;
    else this.oldest = node;
    this.newest = node;
  }

  private unlink(node: Node<V>): void {
    if (node.older) node.older.newer = node.newer;
    else this.oldest = node.newer;
    if (node.newer) node.newer.older = node.older;
    else this.newest = node.older;
    node.older = node.newer = null;
  }
}
