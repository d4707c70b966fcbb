/**
 * Validation vocabulary: type, enum, const, numeric bounds (draft-04 boolean exclusive* included),
 * string length/pattern, format, array and object size, uniqueItems, required, dependentRequired.
 */
import { DRAFT_RANK } from '../drafts';
import { codePointLength, isMultipleOf, jsonEqual } from './equal';
import { FORMATS } from './formats';
import { hasOwn } from '../own-keys';
import { patternOf } from './pattern';
import { type Compiling, type Fn, type Loc, fail } from './types';

function typeOk(t: string, d: unknown): boolean {
  switch (t) {
    case 'string':
      return typeof d === 'string';
    case 'number':
      return typeof d === 'number';
    case 'integer':
      return typeof d === 'number' && Number.isInteger(d);
    case 'boolean':
      return typeof d === 'boolean';
    case 'null':
      return d === null;
    case 'array':
      return Array.isArray(d);
    case 'object':
      return d !== null && typeof d === 'object' && !Array.isArray(d);
    default:
      return false;
  }
}

const num = (v: unknown): v is number => typeof v === 'number';

export function validationKeywords(c: Compiling, o: Record<string, unknown>, loc: Loc, out: Fn[]): void {
  const rank = DRAFT_RANK[loc.draft];
  const p = loc.path;

  if (typeof o.type === 'string' || Array.isArray(o.type)) {
    const types = (typeof o.type === 'string' ? [o.type] : o.type).filter((t): t is string => typeof t === 'string');
    const sp = `${p}/type`;
    const msg = `must be ${types.join(',')}`;
    if (types.length === 1) {
      const t = types[0];
      out.push((d, ip, _ev, cx) => typeOk(t, d) || fail(cx, ip, sp, 'type', msg));
    } else {
      out.push((d, ip, _ev, cx) => types.some((t) => typeOk(t, d)) || fail(cx, ip, sp, 'type', msg));
    }
  }

  if (Array.isArray(o.enum)) {
    const values = o.enum;
    const prim = new Set(values.filter((v) => v === null || typeof v !== 'object'));
    const complex = values.filter((v) => v !== null && typeof v === 'object');
    const sp = `${p}/enum`;
    out.push((d, ip, _ev, cx) => {
      if (d === null || typeof d !== 'object') return prim.has(d) || fail(cx, ip, sp, 'enum', 'must be equal to one of the allowed values');
      for (const v of complex) if (jsonEqual(v, d)) return true;
      return fail(cx, ip, sp, 'enum', 'must be equal to one of the allowed values');
    });
  }

  if (rank >= 6 && 'const' in o) {
    const v = o.const;
    const sp = `${p}/const`;
    out.push((d, ip, _ev, cx) => jsonEqual(v, d) || fail(cx, ip, sp, 'const', 'must be equal to constant'));
  }

  // numbers
  const bound = (kw: string, limit: number, exclusive: boolean, upper: boolean, path: string) => {
    const msg = `must be ${upper ? '<' : '>'}${exclusive ? '' : '='} ${limit}`;
    out.push((d, ip, _ev, cx) => {
      if (typeof d !== 'number') return true;
      const ok = upper ? (exclusive ? d < limit : d <= limit) : exclusive ? d > limit : d >= limit;
      return ok || fail(cx, ip, path, kw, msg);
    });
  };
  if (num(o.maximum)) {
    const ex = rank === 4 && o.exclusiveMaximum === true;
    bound(ex ? 'exclusiveMaximum' : 'maximum', o.maximum, ex, true, `${p}/${ex ? 'exclusiveMaximum' : 'maximum'}`);
  }
  if (num(o.minimum)) {
    const ex = rank === 4 && o.exclusiveMinimum === true;
    bound(ex ? 'exclusiveMinimum' : 'minimum', o.minimum, ex, false, `${p}/${ex ? 'exclusiveMinimum' : 'minimum'}`);
  }
  if (rank >= 6 && num(o.exclusiveMaximum)) bound('exclusiveMaximum', o.exclusiveMaximum, true, true, `${p}/exclusiveMaximum`);
  if (rank >= 6 && num(o.exclusiveMinimum)) bound('exclusiveMinimum', o.exclusiveMinimum, true, false, `${p}/exclusiveMinimum`);
  if (num(o.multipleOf) && o.multipleOf > 0) {
    const m = o.multipleOf;
    const sp = `${p}/multipleOf`;
    out.push((d, ip, _ev, cx) => typeof d !== 'number' || isMultipleOf(d, m) || fail(cx, ip, sp, 'multipleOf', `must be multiple of ${m}`));
  }

  // strings
  if (num(o.maxLength)) {
    const n = o.maxLength;
    const sp = `${p}/maxLength`;
    out.push(
      (d, ip, _ev, cx) =>
        typeof d !== 'string' || d.length <= n || codePointLength(d) <= n || fail(cx, ip, sp, 'maxLength', `must NOT have more than ${n} characters`),
    );
  }
  if (num(o.minLength)) {
    const n = o.minLength;
    const sp = `${p}/minLength`;
    out.push(
      (d, ip, _ev, cx) =>
        typeof d !== 'string' ||
        (d.length >= n && codePointLength(d) >= n) ||
        fail(cx, ip, sp, 'minLength', `must NOT have fewer than ${n} characters`),
    );
  }
  if (typeof o.pattern === 'string') {
    const re = patternOf(c, o.pattern, `${p}/pattern`, 'value');
    const sp = `${p}/pattern`;
    const msg = re.refused ?? `must match pattern "${o.pattern}"`;
    out.push((d, ip, _ev, cx) => typeof d !== 'string' || re.test(d, cx) || fail(cx, ip, sp, 'pattern', msg));
  }
  if (typeof o.format === 'string' && (c.assertFormats || loc.vocab.formatAssert)) {
    const f = o.format;
    const check = FORMATS[f];
    if (check) {
      const sp = `${p}/format`;
      out.push((d, ip, _ev, cx) => check(d) || fail(cx, ip, sp, 'format', `must match format "${f}"`));
    }
  }

  // arrays
  if (num(o.maxItems)) {
    const n = o.maxItems;
    const sp = `${p}/maxItems`;
    out.push((d, ip, _ev, cx) => !Array.isArray(d) || d.length <= n || fail(cx, ip, sp, 'maxItems', `must NOT have more than ${n} items`));
  }
  if (num(o.minItems)) {
    const n = o.minItems;
    const sp = `${p}/minItems`;
    out.push((d, ip, _ev, cx) => !Array.isArray(d) || d.length >= n || fail(cx, ip, sp, 'minItems', `must NOT have fewer than ${n} items`));
  }
  if (o.uniqueItems === true) {
    const sp = `${p}/uniqueItems`;
    out.push((d, ip, _ev, cx) => {
      if (!Array.isArray(d)) return true;
      const dup = findDuplicate(d);
      return dup === undefined || fail(cx, ip, sp, 'uniqueItems', `must NOT have duplicate items (items ## ${dup[0]} and ${dup[1]} are identical)`);
    });
  }

  // objects
  if (num(o.maxProperties)) {
    const n = o.maxProperties;
    const sp = `${p}/maxProperties`;
    out.push(
      (d, ip, _ev, cx) => !isObject(d) || Object.keys(d).length <= n || fail(cx, ip, sp, 'maxProperties', `must NOT have more than ${n} properties`),
    );
  }
  if (num(o.minProperties)) {
    const n = o.minProperties;
    const sp = `${p}/minProperties`;
    out.push(
      (d, ip, _ev, cx) => !isObject(d) || Object.keys(d).length >= n || fail(cx, ip, sp, 'minProperties', `must NOT have fewer than ${n} properties`),
    );
  }
  if (Array.isArray(o.required) && o.required.length > 0) {
    const req = o.required.filter((x): x is string => typeof x === 'string');
    const sp = `${p}/required`;
    out.push((d, ip, _ev, cx) => {
      if (!isObject(d)) return true;
      let ok = true;
      for (let i = 0; i < req.length; i++) {
        if (!hasOwn(d, req[i])) {
          ok = fail(cx, ip, sp, 'required', `must have required property '${req[i]}'`);
          if (!cx.errors) return false;
        }
      }
      return ok;
    });
  }
  if (rank >= 8 && isObject(o.dependentRequired)) {
    const m = o.dependentRequired;
    for (const k of Object.keys(m)) {
      const names = Array.isArray(m[k]) ? (m[k] as unknown[]).filter((x): x is string => typeof x === 'string') : [];
      const sp = `${p}/dependentRequired${k.includes('/') || k.includes('~') ? '/' + k.replace(/~/g, '~0').replace(/\//g, '~1') : '/' + k}`;
      out.push((d, ip, _ev, cx) => {
        if (!isObject(d) || !hasOwn(d, k)) return true;
        let ok = true;
        for (const n of names) {
          if (!hasOwn(d, n)) {
            ok = fail(cx, ip, sp, 'dependentRequired', `must have property '${n}' when property '${k}' is present`);
            if (!cx.errors) return false;
          }
        }
        return ok;
      });
    }
  }
}

function isObject(d: unknown): d is Record<string, unknown> {
  return d !== null && typeof d === 'object' && !Array.isArray(d);
}

/** Indexes [j, i] of the first duplicate pair, or undefined. Primitives by hash, structures pairwise. */
export function findDuplicate(a: unknown[]): [number, number] | undefined {
  const seen = new Map<unknown, number>();
  const complex: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v !== null && typeof v === 'object') {
      for (const j of complex) if (jsonEqual(a[j], v)) return [j, i];
      complex.push(i);
    } else {
      const j = seen.get(v);
      if (j !== undefined) return [j, i];
      seen.set(v, i);
    }
  }
  return undefined;
}
