/**
 * unevaluatedProperties / unevaluatedItems (2019-09+): apply to the locations no adjacent keyword
 * (including in-place subschemas that passed) evaluated. Annotations come from the node's local `Ev`.
 */
import { type Compiler, fail } from './compile';
import { type Fn, type Loc, LimitExceeded, ptr } from './types';

const hasOwn = Object.prototype.hasOwnProperty;

export function unevaluatedKeywords(c: Compiler, o: Record<string, unknown>, loc: Loc, out: Fn[]): void {
  const p = loc.path;
  const maxDepth = c.maxDepth;
  if ('unevaluatedProperties' in o) {
    const fn = c.child(o.unevaluatedProperties, loc, `${p}/unevaluatedProperties`);
    const isFalse = o.unevaluatedProperties === false;
    const sp = `${p}/unevaluatedProperties`;
    out.push((d, ip, ev, cx) => {
      if (d === null || typeof d !== 'object' || Array.isArray(d) || ev!.allProps) return true;
      const seen = ev!.props;
      let ok = true;
      for (const k in d) {
        if (!hasOwn.call(d, k) || (seen && seen.has(k))) continue;
        if (isFalse) {
          ok = fail(cx, ip, sp, 'unevaluatedProperties', `must NOT have unevaluated property '${k}'`);
          if (!cx.errors) return false;
          continue;
        }
        if (++cx.depth > maxDepth) throw new LimitExceeded('maxDepth', `instance nesting deeper than ${maxDepth}`, ip);
        const v = fn((d as Record<string, unknown>)[k], cx.errors ? ip + ptr(k) : ip, null, cx);
        cx.depth--;
        if (!v) {
          if (!cx.errors) return false;
          ok = false;
        }
      }
      if (ok) ev!.allProps = true;
      return ok;
    });
  }
  if ('unevaluatedItems' in o) {
    const fn = c.child(o.unevaluatedItems, loc, `${p}/unevaluatedItems`);
    const isFalse = o.unevaluatedItems === false;
    const sp = `${p}/unevaluatedItems`;
    out.push((d, ip, ev, cx) => {
      if (!Array.isArray(d) || ev!.allItems) return true;
      let ok = true;
      const set = ev!.itemSet;
      for (let i = ev!.items; i < d.length; i++) {
        if (set && set.has(i)) continue;
        if (isFalse) {
          ok = fail(cx, ip, sp, 'unevaluatedItems', `must NOT have unevaluated item ${i}`);
          if (!cx.errors) return false;
          continue;
        }
        if (++cx.depth > maxDepth) throw new LimitExceeded('maxDepth', `instance nesting deeper than ${maxDepth}`, ip);
        const v = fn(d[i], cx.errors ? ip + '/' + i : ip, null, cx);
        cx.depth--;
        if (!v) {
          if (!cx.errors) return false;
          ok = false;
        }
      }
      if (ok) ev!.allItems = true;
      return ok;
    });
  }
}
