/**
 * Fast boolean pass, array part: min/maxItems + items/prefixItems/additionalItems (or a statically
 * decidable unevaluatedItems, see fast-node.ts) + uniqueItems in one closure. Errors off, no
 * annotation collector; kw-array.ts / kw-validation.ts stay the reference and produce the errors.
 */
import { tupleOf } from './kw-array';
import { findDuplicate } from './kw-validation';
import { type Compiling, type Ctx, type Fn, type Loc, LimitExceeded } from './types';

export type ArrayCheck = (d: unknown[], ip: string, cx: Ctx) => boolean;

const bound = (v: unknown): number => (typeof v === 'number' ? v : NaN);

export function fastArray(
  c: Compiling,
  o: Record<string, unknown>,
  loc: Loc,
  unevaluated: Fn | undefined,
  unevaluatedFalse: boolean,
): ArrayCheck | null {
  const maxDepth = c.maxDepth;
  const parts = tupleOf(c, o, loc);
  const tuple = parts.tuple ?? [];
  let rest: Fn | null = parts.rest ?? null;
  let restFalse = parts.restFalse;
  if (rest === null && unevaluated) {
    rest = unevaluated;
    restFalse = unevaluatedFalse;
  }
  const n = tuple.length;
  const minI = bound(o.minItems);
  const maxI = bound(o.maxItems);
  const unique = o.uniqueItems === true;
  if (n === 0 && rest === null && !unique && Number.isNaN(minI) && Number.isNaN(maxI)) return null;

  return (d, ip, cx) => {
    const len = d.length;
    if (len < minI || len > maxI) return false;
    if (restFalse && len > n) return false;
    const head = Math.min(n, len);
    for (let i = 0; i < head; i++) {
      if (++cx.depth > maxDepth) throw new LimitExceeded('maxDepth', `instance nesting deeper than ${maxDepth}`, ip);
      const ok = tuple[i](d[i], ip, null, cx);
      cx.depth--;
      if (!ok) return false;
    }
    if (rest !== null && !restFalse) {
      for (let i = n; i < len; i++) {
        if (++cx.depth > maxDepth) throw new LimitExceeded('maxDepth', `instance nesting deeper than ${maxDepth}`, ip);
        const ok = rest(d[i], ip, null, cx);
        cx.depth--;
        if (!ok) return false;
      }
    }
    return !unique || findDuplicate(d) === undefined;
  };
}
