/**
 * unevaluatedProperties / unevaluatedItems (2019-09+): apply to the locations no adjacent keyword
 * (including in-place subschemas that passed) evaluated. Annotations come from the node's local `Ev`.
 */
import { patternOf } from './pattern';
import { hasOwn } from '../own-keys';
import { type Compiling, type Fn, type Loc, LimitExceeded, fail, ptr } from './types';

/** In-place applicators: their annotations make what unevaluated* sees depend on the instance. */
export const IN_PLACE = ['$ref', '$dynamicRef', '$recursiveRef', 'allOf', 'anyOf', 'oneOf', 'if', 'dependentSchemas', 'dependencies'];

/** compile.ts runs a node's unevaluated* keywords with the annotations its other keywords collected. */
const UNANNOTATED = 'unevaluated* keywords run without their annotations';

export function unevaluatedKeywords(c: Compiling, o: Record<string, unknown>, loc: Loc, out: Fn[]): void {
  const p = loc.path;
  const maxDepth = c.maxDepth;
  if ('unevaluatedProperties' in o) {
    const fn = c.child(o.unevaluatedProperties, loc, `${p}/unevaluatedProperties`);
    const isFalse = o.unevaluatedProperties === false;
    const sp = `${p}/unevaluatedProperties`;
    out.push((d, ip, ev, cx) => {
      if (ev === null) throw new Error(UNANNOTATED);
      if (d === null || typeof d !== 'object' || Array.isArray(d) || ev.allProps) return true;
      const seen = ev.props;
      let ok = true;
      for (const k in d) {
        if (!hasOwn(d, k) || (seen && seen.has(k))) continue;
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
      if (ok) ev.allProps = true;
      return ok;
    });
  }
  if ('unevaluatedItems' in o) {
    const fn = c.child(o.unevaluatedItems, loc, `${p}/unevaluatedItems`);
    const isFalse = o.unevaluatedItems === false;
    const sp = `${p}/unevaluatedItems`;
    out.push((d, ip, ev, cx) => {
      if (ev === null) throw new Error(UNANNOTATED);
      if (!Array.isArray(d) || ev.allItems) return true;
      let ok = true;
      const set = ev.itemSet;
      for (let i = ev.items; i < d.length; i++) {
        if (set && set.has(i)) continue;
        if (isFalse) {
          ok = fail(cx, ip, sp, 'unevaluatedItems', `must NOT have unevaluated item ${i}`);
          if (!cx.errors) return false;
          continue;
        }
        if (++cx.depth > maxDepth) throw new LimitExceeded('maxDepth', `instance nesting deeper than ${maxDepth}`, ip);
        const v = fn(d[i], cx.errors ? `${ip}/${i}` : ip, null, cx);
        cx.depth--;
        if (!v) {
          if (!cx.errors) return false;
          ok = false;
        }
      }
      if (ok) ev.allItems = true;
      return ok;
    });
  }
}

/**
 * unevaluatedProperties next to no in-place applicator, for a node whose parent collects no
 * annotations: what properties / patternProperties / additionalProperties evaluated is decidable per
 * key without tracking (no Ev, no Set per validation). Same outcome and same errors as the tracking
 * closure above: properties and patternProperties annotate every key they match, additionalProperties
 * every other key unless it is the false schema (which annotates only when it passes, i.e. when no
 * other key exists). `undefined` when the node needs the tracking version.
 */
export function staticUnevaluatedProps(c: Compiling, o: Record<string, unknown>, loc: Loc): Fn | undefined {
  if (!('unevaluatedProperties' in o) || 'unevaluatedItems' in o || IN_PLACE.some((k) => k in o)) return undefined;
  const p = loc.path;
  const maxDepth = c.maxDepth;
  const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if ('additionalProperties' in o && o.additionalProperties !== false) return () => true;
  const propSet = new Set(isMap(o.properties) ? Object.keys(o.properties) : []);
  const patRes = isMap(o.patternProperties)
    ? Object.keys(o.patternProperties).map((k) => patternOf(c, k, `${p}/patternProperties${ptr(k)}`, 'property names'))
    : [];
  const fn = c.child(o.unevaluatedProperties, loc, `${p}/unevaluatedProperties`);
  const isFalse = o.unevaluatedProperties === false;
  const sp = `${p}/unevaluatedProperties`;
  return (d, ip, _ev, cx) => {
    if (d === null || typeof d !== 'object' || Array.isArray(d)) return true;
    let ok = true;
    for (const k in d) {
      if (!hasOwn(d, k) || propSet.has(k) || patRes.some((re) => re.test(k, cx))) continue;
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
    return ok;
  };
}
