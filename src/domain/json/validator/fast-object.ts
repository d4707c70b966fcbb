/**
 * Fast boolean pass, object part: required + properties + patternProperties + additionalProperties
 * (or a statically decidable unevaluatedProperties, see fast-node.ts) + min/maxProperties fused into
 * one closure over precomputed arrays, instead of one closure (and one type check) per keyword.
 * Only ever called with errors off and no annotation collector; the keyword closures of kw-object.ts
 * and kw-validation.ts stay the reference and produce the errors.
 */
import { hasOwn } from '../own-keys';
import { patternOf } from './pattern';
import { type Compiling, type Ctx, type Fn, type Loc, LimitExceeded, ptr } from './types';

export type ObjectCheck = (d: Record<string, unknown>, ip: string, cx: Ctx) => boolean;

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
/** NaN as "no bound": every comparison with NaN is false, so an absent bound never fails (no branch). */
const bound = (v: unknown): number => (typeof v === 'number' ? v : NaN);

/** `unevaluated`: the node's statically decidable unevaluatedProperties subschema, checked like additionalProperties. */
export function fastObject(
  c: Compiling,
  o: Record<string, unknown>,
  loc: Loc,
  unevaluated: Fn | undefined,
  unevaluatedFalse: boolean,
): ObjectCheck | null {
  const p = loc.path;
  const maxDepth = c.maxDepth;
  const props = isMap(o.properties) ? Object.keys(o.properties) : [];
  const propFns = props.map((k) => c.child((o.properties as Record<string, unknown>)[k], loc, `${p}/properties${ptr(k)}`));
  const reqSet = new Set(Array.isArray(o.required) ? o.required.filter((x): x is string => typeof x === 'string') : []);
  // required names that are declared properties are counted while walking the instance's keys;
  // only the others need a lookup of their own
  const propRequired = props.map((k) => reqSet.has(k));
  const nReqDeclared = propRequired.filter(Boolean).length;
  const propSet = new Set(props); // a Set: `includes` per required name is quadratic on wide schemas
  const reqOther = [...reqSet].filter((k) => !propSet.has(k));
  const pats = isMap(o.patternProperties) ? Object.keys(o.patternProperties) : [];
  const patRes = pats.map((k) => patternOf(c, k, `${p}/patternProperties${ptr(k)}`, 'property names'));
  // a stored schema's pattern the engine refuses: any property fails the fast pass (kw-object.ts reports it)
  const refused = patRes.some((re) => re.refused !== undefined);
  const patFns = pats.map((k) => c.child((o.patternProperties as Record<string, unknown>)[k], loc, `${p}/patternProperties${ptr(k)}`));
  let addFn: Fn | null = null;
  let addFalse = false;
  if ('additionalProperties' in o) {
    addFn = c.child(o.additionalProperties, loc, `${p}/additionalProperties`);
    addFalse = o.additionalProperties === false;
  } else if (unevaluated) {
    addFn = unevaluated;
    addFalse = unevaluatedFalse;
  }
  const minP = bound(o.minProperties);
  const maxP = bound(o.maxProperties);
  if (props.length === 0 && reqSet.size === 0 && pats.length === 0 && addFn === null && Number.isNaN(minP) && Number.isNaN(maxP)) return null;
  const nProps = props.length;
  const nPats = pats.length;
  const nOther = reqOther.length;
  // many declared properties: a Map; few: a scan by string identity (keys from JSON.parse and schema
  // keys are internalized strings, so === is mostly a pointer compare)
  const index = nProps > 12 ? new Map(props.map((k, i) => [k, i])) : null;

  return (d, ip, cx) => {
    for (let i = 0; i < nOther; i++) if (!hasOwn(d, reqOther[i])) return false;
    // for-in yields inherited enumerable keys too; a JSON.parse object's prototype is Object.prototype
    // and, unless something added enumerable members to it (checked per validation, cx.plainProto), has
    // none: then the hasOwnProperty call per key (a real call in this shared, megamorphic code) is skipped
    const proto: unknown = Object.getPrototypeOf(d);
    const ownOnly = cx.plainProto && (proto === Object.prototype || proto === null);
    let n = 0;
    let reqSeen = 0;
    let next = 0;
    // One walk over the instance's own keys: the value load inside for-in uses V8's enum cache (no
    // keyed lookup by name), and each key is validated by whichever keyword covers it.
    for (const k in d) {
      if (!ownOnly && !hasOwn(d, k)) continue;
      n++;
      let i = -1;
      if (index !== null) i = index.get(k) ?? -1;
      else if (next < nProps && props[next] === k)
        i = next; // instance keys usually come in schema order
      else
        for (let j = 0; j < nProps; j++)
          if (props[j] === k) {
            i = j;
            break;
          }
      let matched = false;
      if (i >= 0) {
        matched = true;
        next = i + 1;
        if (propRequired[i]) reqSeen++;
        if (++cx.depth > maxDepth) throw new LimitExceeded('maxDepth', `instance nesting deeper than ${maxDepth}`, ip);
        const ok = propFns[i](d[k], ip, null, cx);
        cx.depth--;
        if (!ok) return false;
      }
      if (refused) return false;
      for (let j = 0; j < nPats; j++) {
        if (!patRes[j].test(k, cx)) continue;
        matched = true;
        if (++cx.depth > maxDepth) throw new LimitExceeded('maxDepth', `instance nesting deeper than ${maxDepth}`, ip);
        const ok = patFns[j](d[k], ip, null, cx);
        cx.depth--;
        if (!ok) return false;
      }
      if (matched || addFn === null) continue;
      if (addFalse) return false;
      if (++cx.depth > maxDepth) throw new LimitExceeded('maxDepth', `instance nesting deeper than ${maxDepth}`, ip);
      const ok = addFn(d[k], ip, null, cx);
      cx.depth--;
      if (!ok) return false;
    }
    return reqSeen === nReqDeclared && !(n < minP || n > maxP);
  };
}
