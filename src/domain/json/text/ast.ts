/**
 * An order-preserving JSON tree. JSON.parse cannot be used for the stored form: JS objects put
 * integer-like keys first, lose the text of numbers ("1.0" vs "1"), and Confluent's canonical string
 * depends on both (Jackson keeps key order and reads floats as exact BigDecimal).
 */
export type JNode =
  | { readonly t: 'obj'; readonly entries: Map<string, JNode> }
  | { readonly t: 'arr'; readonly items: JNode[] }
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'num'; readonly raw: string; readonly int: boolean }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'null' };

/** The plain JS value of a tree (what JSON.parse would give, with `__proto__` kept as an own key). */
export function toValue(n: JNode): unknown {
  switch (n.t) {
    case 'obj': {
      const o: Record<string, unknown> = {};
      for (const [k, v] of n.entries) {
        if (k === '__proto__') Object.defineProperty(o, k, { value: toValue(v), enumerable: true, writable: true, configurable: true });
        else o[k] = toValue(v);
      }
      return o;
    }
    case 'arr':
      return n.items.map(toValue);
    case 'str':
    case 'bool':
      return n.v;
    case 'num':
      return Number(n.raw);
    case 'null':
      return null;
  }
}
