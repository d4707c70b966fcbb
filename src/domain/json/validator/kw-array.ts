/**
 * Array applicators: items (schema or, before 2020-12, array form) + additionalItems, prefixItems
 * (2020-12), contains with minContains/maxContains (2019-09+; contains annotates indexes in 2020-12).
 */
import { DRAFT_RANK } from '../drafts';
import { quiet } from './kw-logic';
import { type Compiling, type Fn, type Loc, LimitExceeded, fail } from './types';

export function arrayKeywords(c: Compiling, o: Record<string, unknown>, loc: Loc, out: Fn[]): void {
  const rank = DRAFT_RANK[loc.draft];
  const p = loc.path;
  const maxDepth = c.maxDepth;

  const { tuple, rest, restKw, restFalse } = tupleOf(c, o, loc);
  if (tuple || rest) {
    const n = tuple ? tuple.length : 0;
    const restPath = `${p}/${restKw}`;
    out.push((d, ip, ev, cx) => {
      if (!Array.isArray(d)) return true;
      let ok = true;
      const len = d.length;
      if (restFalse && len > n) {
        if (!cx.errors) return false;
        ok = fail(cx, ip, restPath, restKw, `must NOT have more than ${n} items`);
      }
      for (let i = 0; i < len; i++) {
        const fn = i < n ? tuple?.[i] : rest;
        if (!fn) break;
        if (i >= n && restFalse) break;
        if (++cx.depth > maxDepth) throw new LimitExceeded('maxDepth', `instance nesting deeper than ${maxDepth}`, ip);
        const v = fn(d[i], cx.errors ? `${ip}/${i}` : ip, null, cx);
        cx.depth--;
        if (!v) {
          if (!cx.errors) return false;
          ok = false;
        }
      }
      if (ok && ev) {
        if (rest) ev.allItems = true;
        else if (Math.min(n, len) > ev.items) ev.items = Math.min(n, len);
      }
      return ok;
    });
  }

  if (rank >= 6 && 'contains' in o) {
    const fn = c.child(o.contains, loc, `${p}/contains`);
    const useBounds = rank >= 8 && !loc.vocab.noValidation;
    const min = useBounds && typeof o.minContains === 'number' ? o.minContains : 1;
    const max = useBounds && typeof o.maxContains === 'number' ? o.maxContains : Infinity;
    const annotate = rank >= 9;
    const sp = `${p}/contains`;
    out.push((d, ip, ev, cx) => {
      if (!Array.isArray(d)) return true;
      let count = 0;
      for (let i = 0; i < d.length; i++) {
        if (++cx.depth > maxDepth) throw new LimitExceeded('maxDepth', `instance nesting deeper than ${maxDepth}`, ip);
        const v = quiet(cx, () => fn(d[i], ip, null, cx));
        cx.depth--;
        if (v) {
          count++;
          if (annotate && ev && !ev.allItems) (ev.itemSet ??= new Set()).add(i);
          else if (count > max) break;
        }
      }
      if (count < min) {
        return fail(cx, ip, sp, min === 1 ? 'contains' : 'minContains', `must contain at least ${min} valid item(s)`);
      }
      if (count > max) return fail(cx, ip, `${p}/maxContains`, 'maxContains', `must contain at most ${max} valid item(s)`);
      if (annotate && ev && count === d.length) ev.allItems = true;
      return true;
    });
  }
}

export interface TupleParts {
  /** Positional subschemas: prefixItems (2020-12) or items-as-array (earlier drafts, tolerated in 2020-12). */
  tuple: Fn[] | undefined;
  /** Subschema for the items after the tuple (or for all items without one). */
  rest: Fn | undefined;
  restKw: 'items' | 'additionalItems';
  /** `rest` is the false schema: more items than the tuple is an error in itself. */
  restFalse: boolean;
}

/** The item applicators of a node; shared by the keyword closures and the fast pass (kw-fast-array). */
export function tupleOf(c: Compiling, o: Record<string, unknown>, loc: Loc): TupleParts {
  const rank = DRAFT_RANK[loc.draft];
  const p = loc.path;
  let tuple: Fn[] | undefined;
  let rest: Fn | undefined;
  let restKw: 'items' | 'additionalItems' = 'items';
  if (rank >= 9 && Array.isArray(o.prefixItems)) {
    tuple = o.prefixItems.map((s, i) => c.child(s, loc, `${p}/prefixItems/${i}`));
    if ('items' in o && !Array.isArray(o.items)) rest = c.child(o.items, loc, `${p}/items`);
  } else if (Array.isArray(o.items)) {
    tuple = o.items.map((s, i) => c.child(s, loc, `${p}/items/${i}`));
    if (rank <= 8 && 'additionalItems' in o) {
      restKw = 'additionalItems';
      rest = c.child(o.additionalItems, loc, `${p}/additionalItems`);
    }
  } else if ('items' in o) {
    rest = c.child(o.items, loc, `${p}/items`);
  }
  const restFalse = rest !== undefined && (restKw === 'additionalItems' ? o.additionalItems : o.items) === false;
  return { tuple, rest, restKw, restFalse };
}
