/**
 * The fast boolean pass of a schema node. validate() first asks only "valid or not" (errors off, no
 * annotations wanted): then the node's keywords run fused in one closure that looks at the instance's
 * type once, checks scalar keywords inline (no call per keyword), and calls one object and one array
 * closure (fast-object.ts, fast-array.ts) over precomputed arrays. Keywords it does not fuse (in-place
 * applicators, $ref, contains, dependencies, propertyNames, format assertion, ...) run as their usual
 * keyword closures ("extras"). With errors on, or when a parent collects annotations for
 * unevaluated*, the node runs `generic` (the keyword closures in sequence), which stays the reference:
 * same errors, same annotations. Still closures only, no code generation.
 */
import { DRAFT_RANK } from '../drafts';
import { codePointLength, isMultipleOf, jsonEqual } from './equal';
import { fastArray } from './fast-array';
import { fastObject } from './fast-object';
import { arrayKeywords } from './kw-array';
import { logicKeywords } from './kw-logic';
import { objectKeywords } from './kw-object';
import { refKeywords } from './kw-ref';
import { IN_PLACE } from './kw-unevaluated';
import { validationKeywords } from './kw-validation';
import { patternOf } from './pattern';
import { type Compiling, type Fn, type Loc, counted, overBudget } from './types';

const T_NULL = 1;
const T_BOOL = 2;
const T_OBJECT = 4;
const T_ARRAY = 8;
const T_NUMBER = 16;
const T_INTEGER = 32;
const T_STRING = 64;
const T_ANY = 127;
const TYPE_BITS = new Map([
  ['null', T_NULL],
  ['boolean', T_BOOL],
  ['object', T_OBJECT],
  ['array', T_ARRAY],
  ['number', T_NUMBER],
  ['integer', T_INTEGER],
  ['string', T_STRING],
]);

/** Keywords the fused closure checks itself; the rest of the node compiles to extras. */
const INLINE_VALIDATION = [
  'type',
  'enum',
  'const',
  'maximum',
  'minimum',
  'exclusiveMaximum',
  'exclusiveMinimum',
  'multipleOf',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxProperties',
  'minProperties',
  'required',
];
const INLINE_OBJECT = ['properties', 'patternProperties', 'additionalProperties'];
const INLINE_ARRAY = ['items', 'prefixItems', 'additionalItems'];

const NaNBound = (v: unknown): number => (typeof v === 'number' ? v : NaN);

function without(o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  // fromEntries defines own properties: a "__proto__" key stays a key
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
}

/** The node's fast closure, or `generic` itself when fusing would not save anything. */
/**
 * `generic` runs when a parent collects annotations; `collect` (the same keywords, but a statically
 * decidable unevaluatedProperties checked without annotation tracking) when errors are collected.
 */
export function fastNode(c: Compiling, o: Record<string, unknown>, loc: Loc, generic: Fn, collect: Fn): Fn {
  const rank = DRAFT_RANK[loc.draft];
  const p = loc.path;
  // every closure returned here counts one evaluation of the node (the request's step budget)
  if (loc.vocab.noValidation || (rank <= 7 && typeof o.$ref === 'string')) return counted(generic);

  // unevaluatedProperties/Items next to no in-place applicator only see what properties /
  // patternProperties / additionalProperties (items / prefixItems) evaluated: a fixed set, so they
  // act exactly like additionalProperties (additionalItems) and need no annotation tracking here
  let uProps: Fn | undefined;
  let uItems: Fn | undefined;
  if (rank >= 8 && ('unevaluatedProperties' in o || 'unevaluatedItems' in o)) {
    if (IN_PLACE.some((k) => k in o) || ('unevaluatedItems' in o && 'contains' in o)) return counted(generic);
    if ('unevaluatedProperties' in o) uProps = c.child(o.unevaluatedProperties, loc, `${p}/unevaluatedProperties`);
    if ('unevaluatedItems' in o) uItems = c.child(o.unevaluatedItems, loc, `${p}/unevaluatedItems`);
  }

  let mask = T_ANY;
  if (typeof o.type === 'string' || Array.isArray(o.type)) {
    mask = 0;
    for (const t of typeof o.type === 'string' ? [o.type] : o.type) if (typeof t === 'string') mask |= TYPE_BITS.get(t) ?? 0;
  }
  // enum: primitives by a Set lookup, structures by deep equality
  const enumSet = Array.isArray(o.enum) ? new Set(o.enum.filter((v) => v === null || typeof v !== 'object')) : null;
  const enumComplex = Array.isArray(o.enum) ? o.enum.filter((v) => v !== null && typeof v === 'object') : [];
  const hasConst = rank >= 6 && 'const' in o;
  const constV = o.const;
  const constPrim = constV === null || typeof constV !== 'object';
  // numbers: draft-04 boolean exclusive* turn maximum/minimum exclusive; absent bounds are NaN (never fail)
  const ex4Max = rank === 4 && o.exclusiveMaximum === true;
  const ex4Min = rank === 4 && o.exclusiveMinimum === true;
  const max = ex4Max ? NaN : NaNBound(o.maximum);
  const min = ex4Min ? NaN : NaNBound(o.minimum);
  const exMax = ex4Max ? NaNBound(o.maximum) : rank >= 6 ? NaNBound(o.exclusiveMaximum) : NaN;
  const exMin = ex4Min ? NaNBound(o.minimum) : rank >= 6 ? NaNBound(o.exclusiveMinimum) : NaN;
  const mult = typeof o.multipleOf === 'number' && o.multipleOf > 0 ? o.multipleOf : 0;
  const numChecks = !(Number.isNaN(max) && Number.isNaN(min) && Number.isNaN(exMax) && Number.isNaN(exMin)) || mult > 0;
  // strings: a string of n UTF-16 units has at least n/2 code points, so the code point count is
  // needed only near the bounds
  const minLen = typeof o.minLength === 'number' ? o.minLength : 0;
  const maxLen = typeof o.maxLength === 'number' ? o.maxLength : Infinity;
  const re = typeof o.pattern === 'string' ? patternOf(c, o.pattern, `${p}/pattern`, 'value') : null;
  const strChecks = minLen > 0 || maxLen !== Infinity || re !== null;

  const obj = fastObject(c, o, loc, uProps, o.unevaluatedProperties === false);
  const arr = fastArray(c, o, loc, uItems, o.unevaluatedItems === false);

  const extras: Fn[] = [];
  validationKeywords(c, without(o, INLINE_VALIDATION), loc, extras);
  refKeywords(c, o, loc, extras);
  logicKeywords(c, o, loc, extras);
  objectKeywords(c, without(o, INLINE_OBJECT), loc, extras);
  arrayKeywords(c, without(o, INLINE_ARRAY), loc, extras);
  const nExtras = extras.length;
  const onlyExtra = nExtras === 1 ? extras[0] : null;

  const fused = mask !== T_ANY || enumSet !== null || hasConst || numChecks || strChecks || obj !== null || arr !== null;
  if (!fused) {
    // only extras: the keyword sequence is the same work
    if (generic === collect) return counted(generic);
    return (d, ip, ev, cx) => {
      if (++cx.steps > cx.maxSteps) overBudget(cx.maxSteps, ip);
      return ev !== null ? generic(d, ip, ev, cx) : collect(d, ip, null, cx);
    };
  }

  const fast: Fn = (d, ip, ev, cx) => {
    if (++cx.steps > cx.maxSteps) overBudget(cx.maxSteps, ip);
    if (ev !== null) return generic(d, ip, ev, cx);
    if (cx.errors !== null) return collect(d, ip, null, cx);
    if (typeof d === 'string') {
      if ((mask & T_STRING) === 0) return false;
      if (strChecks) {
        const n = d.length;
        if (n < minLen || (n < 2 * minLen && codePointLength(d) < minLen)) return false;
        if (n > maxLen && codePointLength(d) > maxLen) return false;
        if (re !== null && !re.test(d, cx)) return false;
      }
    } else if (typeof d === 'number') {
      if ((mask & T_NUMBER) === 0 && ((mask & T_INTEGER) === 0 || !Number.isInteger(d))) return false;
      if (numChecks) {
        if (d > max || d < min || d >= exMax || d <= exMin) return false;
        if (mult > 0 && !isMultipleOf(d, mult)) return false;
      }
    } else if (typeof d === 'boolean') {
      if ((mask & T_BOOL) === 0) return false;
    } else if (d === null) {
      if ((mask & T_NULL) === 0) return false;
    } else if (Array.isArray(d)) {
      if ((mask & T_ARRAY) === 0) return false;
      if (arr !== null && !arr(d, ip, cx)) return false;
    } else if (typeof d === 'object') {
      if ((mask & T_OBJECT) === 0) return false;
      if (obj !== null && !obj(d as Record<string, unknown>, ip, cx)) return false;
    } else if (mask !== T_ANY) {
      return false; // not a JSON value: no type admits it
    }
    if (enumSet !== null) {
      if (d === null || typeof d !== 'object') {
        if (!enumSet.has(d)) return false;
      } else {
        let found = false;
        for (let i = 0; i < enumComplex.length && !found; i++) found = jsonEqual(enumComplex[i], d);
        if (!found) return false;
      }
    }
    if (hasConst && (constPrim ? d !== constV : !jsonEqual(constV, d))) return false;
    if (nExtras === 0) return true;
    if (onlyExtra !== null) return onlyExtra(d, ip, null, cx);
    for (let i = 0; i < nExtras; i++) if (!extras[i](d, ip, null, cx)) return false;
    return true;
  };

  return fast;
}
