/**
 * Iteration order of java.util.HashMap / HashSet over String keys. Confluent's diff walks
 * `new HashSet<>(original.getPropertySchemas().keySet())` (+ the update's keys) and everit keeps
 * properties in a HashMap, so the order of its messages is the hash-bucket order, not the
 * document order. Reproducing it keeps our verbose message lists in Confluent's order.
 *
 * Model (JDK 8+ HashMap): bucket = (h ^ (h >>> 16)) & (capacity - 1) with h = String.hashCode();
 * the table doubles when size exceeds 0.75 * capacity, and resizing keeps the relative order of
 * entries within a bucket, so the final order is "by final bucket, then by insertion". Treeified
 * buckets (8+ colliding keys) are not modelled.
 */

/** java.lang.String.hashCode over UTF-16 code units, as a signed 32-bit int. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** HashMap.tableSizeFor: the power of two >= n (at least 1). */
function tableSizeFor(n: number): number {
  let cap = 1;
  while (cap < n) cap *= 2;
  return cap;
}

/**
 * Keys in the order a HashMap/HashSet created with `initialCapacity` and filled with `keys` (in
 * that order, duplicates ignored) iterates them.
 */
export function javaHashOrder(keys: Iterable<string>, initialCapacity = 16): string[] {
  const inserted: string[] = [];
  const seen = new Set<string>();
  let cap = tableSizeFor(initialCapacity);
  for (const k of keys) {
    if (seen.has(k)) continue;
    seen.add(k);
    inserted.push(k);
    if (inserted.length > cap * 0.75) cap *= 2;
  }
  const bucket = (k: string) => {
    const h = javaStringHash(k);
    return (h ^ (h >>> 16)) & (cap - 1);
  };
  return inserted
    .map((k, i) => ({ k, i, b: bucket(k) }))
    .sort((a, b) => a.b - b.b || a.i - b.i)
    .map((e) => e.k);
}

/** Order of `new HashSet<>(first)` followed by `addAll(second)` (ObjectSchemaDiff's key union). */
export function javaHashSetUnion(first: readonly string[], second: readonly string[]): string[] {
  const initial = Math.max(Math.floor(first.length / 0.75) + 1, 16);
  return javaHashOrder([...first, ...second], initial);
}
