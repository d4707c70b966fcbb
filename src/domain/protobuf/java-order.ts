/**
 * Iteration order of java.util.HashSet / HashMap, so that compatibility messages come out in the
 * order Confluent's Java code produces them (its diff walks HashSets of names and tags).
 * Model: a table of 2^k buckets (16 by default, or tableSizeFor(n / 0.75 + 1) when built from a
 * collection), bucket = (h ^ (h >>> 16)) & (size - 1), a bucket keeps insertion order, and the
 * table doubles when the size exceeds 0.75 * capacity (a resize keeps relative order).
 */

function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

function javaHash(k: string | number): number {
  return typeof k === 'number' ? k | 0 : javaStringHash(k);
}

function tableSizeFor(cap: number): number {
  let n = 1;
  while (n < cap) n *= 2;
  return Math.max(n, 1);
}

export class JavaHashSet<K extends string | number> {
  private capacity: number;
  private readonly items: K[] = [];
  private readonly present = new Set<K>();

  /** `initial` = a collection as in `new HashSet<>(collection)`; none = `new HashSet<>()`. */
  constructor(initial?: Iterable<K>) {
    const list = initial ? [...initial] : [];
    this.capacity = initial ? tableSizeFor(Math.max(Math.floor(list.length / 0.75) + 1, 16)) : 16;
    for (const k of list) this.add(k);
  }

  add(k: K): void {
    if (this.present.has(k)) return;
    this.present.add(k);
    this.items.push(k);
    if (this.items.length > this.capacity * 0.75) this.capacity *= 2;
  }

  addAll(ks: Iterable<K>): void {
    for (const k of ks) this.add(k);
  }

  has(k: K): boolean {
    return this.present.has(k);
  }

  /** Elements in Java iteration order. */
  ordered(): K[] {
    const mask = this.capacity - 1;
    const bucket = (k: K): number => {
      const h = javaHash(k);
      return (h ^ (h >>> 16)) & mask;
    };
    return this.items
      .map((k, i) => ({ k, i, b: bucket(k) }))
      .sort((x, y) => x.b - y.b || x.i - y.i)
      .map((x) => x.k);
  }
}

/** Key order of a `new HashMap<>()` filled by `put` in the given order. */
export function javaMapKeys<K extends string | number>(keys: Iterable<K>): K[] {
  const s = new JavaHashSet<K>();
  s.addAll(keys);
  return s.ordered();
}
