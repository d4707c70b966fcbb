/**
 * Object applicators: properties, patternProperties, additionalProperties, dependencies (drafts 4-7,
 * kept in later drafts for compatibility), dependentSchemas, propertyNames.
 */
import { DRAFT_RANK } from '../drafts';
import { quiet } from './kw-logic';
import { hasOwn } from '../own-keys';
import { patternOf } from './pattern';
import { type Compiling, type Fn, type Loc, LimitExceeded, addProp, fail, ptr } from './types';

function isObject(d: unknown): d is Record<string, unknown> {
  return d !== null && typeof d === 'object' && !Array.isArray(d);
}

export function objectKeywords(c: Compiling, o: Record<string, unknown>, loc: Loc, out: Fn[]): void {
  const rank = DRAFT_RANK[loc.draft];
  const p = loc.path;
  const maxDepth = c.maxDepth;

  const props = isObject(o.properties) ? Object.keys(o.properties) : [];
  const propPtrs = props.map((k) => ptr(k));
  const propFns = props.map((k) => c.child((o.properties as Record<string, unknown>)[k], loc, `${p}/properties${ptr(k)}`));
  const patterns = isObject(o.patternProperties) ? Object.keys(o.patternProperties) : [];
  const patRes = patterns.map((k) => patternOf(c, k, `${p}/patternProperties${ptr(k)}`, 'property names'));
  // a stored schema's pattern the engine refuses: an object with properties cannot be checked
  const refusals = patRes.flatMap((re, i) =>
    re.refused === undefined ? [] : [{ sp: `${p}/patternProperties${ptr(patterns[i])}`, message: re.refused }],
  );
  const patFns = patterns.map((k) => c.child((o.patternProperties as Record<string, unknown>)[k], loc, `${p}/patternProperties${ptr(k)}`));
  const hasAdditional = 'additionalProperties' in o;
  const addFn = hasAdditional ? c.child(o.additionalProperties, loc, `${p}/additionalProperties`) : undefined;
  const addFalse = o.additionalProperties === false;
  const propSet = new Set(props);

  if (props.length > 0) {
    out.push((d, ip, ev, cx) => {
      if (!isObject(d)) return true;
      let ok = true;
      for (let i = 0; i < props.length; i++) {
        const k = props[i];
        if (!hasOwn(d, k)) continue;
        if (ev) addProp(ev, k);
        if (++cx.depth > maxDepth) throw new LimitExceeded('maxDepth', `instance nesting deeper than ${maxDepth}`, ip);
        const v = propFns[i](d[k], cx.errors ? ip + propPtrs[i] : ip, null, cx);
        cx.depth--;
        if (!v) {
          if (!cx.errors) return false;
          ok = false;
        }
      }
      return ok;
    });
  }

  if (patterns.length > 0 || addFn) {
    const sp = `${p}/additionalProperties`;
    out.push((d, ip, ev, cx) => {
      if (!isObject(d)) return true;
      let ok = true;
      if (refusals.length > 0 && Object.keys(d).length > 0) {
        if (!cx.errors) return false;
        for (const r of refusals) ok = fail(cx, ip, r.sp, 'patternProperties', r.message);
      }
      for (const k in d) {
        if (!hasOwn(d, k)) continue;
        let matched = propSet.has(k);
        for (let i = 0; i < patRes.length; i++) {
          if (!patRes[i].test(k, cx)) continue;
          matched = true;
          if (ev) addProp(ev, k);
          if (++cx.depth > maxDepth) throw new LimitExceeded('maxDepth', `instance nesting deeper than ${maxDepth}`, ip);
          const v = patFns[i](d[k], cx.errors ? ip + ptr(k) : ip, null, cx);
          cx.depth--;
          if (!v) {
            if (!cx.errors) return false;
            ok = false;
          }
        }
        if (matched || !addFn) continue;
        if (addFalse) {
          if (!cx.errors) return false;
          ok = fail(cx, ip, sp, 'additionalProperties', `must NOT have additional property '${k}'`);
          continue;
        }
        if (ev) addProp(ev, k);
        if (++cx.depth > maxDepth) throw new LimitExceeded('maxDepth', `instance nesting deeper than ${maxDepth}`, ip);
        const v = addFn(d[k], cx.errors ? ip + ptr(k) : ip, null, cx);
        cx.depth--;
        if (!v) {
          if (!cx.errors) return false;
          ok = false;
        }
      }
      if (ok && ev && addFn) ev.allProps = true;
      return ok;
    });
  }

  // dependencies: array = required names (validation), schema = applied in place (drafts 4-7)
  const deps = isObject(o.dependencies) ? o.dependencies : undefined;
  const depSchemas = rank >= 8 && isObject(o.dependentSchemas) ? o.dependentSchemas : undefined;
  for (const [kw, m] of [
    ['dependencies', deps],
    ['dependentSchemas', depSchemas],
  ] as const) {
    if (!m) continue;
    for (const k of Object.keys(m)) {
      const v = m[k];
      const sp = `${p}/${kw}${ptr(k)}`;
      if (Array.isArray(v)) {
        if (loc.vocab.noValidation) continue;
        const names = v.filter((x): x is string => typeof x === 'string');
        out.push((d, ip, _ev, cx) => {
          if (!isObject(d) || !hasOwn(d, k)) return true;
          let ok = true;
          for (const n of names) {
            if (!hasOwn(d, n)) {
              ok = fail(cx, ip, sp, kw, `must have property '${n}' when property '${k}' is present`);
              if (!cx.errors) return false;
            }
          }
          return ok;
        });
      } else {
        const fn = c.child(v, loc, sp);
        out.push((d, ip, ev, cx) => (!isObject(d) || !hasOwn(d, k) ? true : fn(d, ip, ev, cx)));
      }
    }
  }

  if (rank >= 6 && 'propertyNames' in o) {
    const fn = c.child(o.propertyNames, loc, `${p}/propertyNames`);
    const sp = `${p}/propertyNames`;
    out.push((d, ip, _ev, cx) => {
      if (!isObject(d)) return true;
      for (const k in d) {
        if (!hasOwn(d, k)) continue;
        if (!quiet(cx, () => fn(k, ip, null, cx))) return fail(cx, ip, sp, 'propertyNames', `property name '${k}' is invalid`);
      }
      return true;
    });
  }
}
