/**
 * In-place applicators: allOf, anyOf, oneOf, not, if/then/else. Annotations (for unevaluated*) flow
 * only out of subschemas that passed: each branch gets its own collector, merged when valid.
 */
import { DRAFT_RANK } from '../drafts';
import { type Compiling, type Ctx, type Ev, type Fn, type Loc, fail, newEv, mergeEv } from './types';
import type { ValidationError } from '../../validation';

export function logicKeywords(c: Compiling, o: Record<string, unknown>, loc: Loc, out: Fn[]): void {
  const rank = DRAFT_RANK[loc.draft];
  const p = loc.path;
  const subs = (k: string): Fn[] | undefined => {
    const a = o[k];
    return Array.isArray(a) ? a.map((s, i) => c.child(s, loc, `${p}/${k}/${i}`)) : undefined;
  };

  const allOf = subs('allOf');
  if (allOf) {
    out.push((d, ip, ev, cx) => {
      let ok = true;
      for (let i = 0; i < allOf.length; i++) {
        if (!allOf[i](d, ip, ev, cx)) {
          if (!cx.errors) return false;
          ok = false;
        }
      }
      return ok;
    });
  }

  const anyOf = subs('anyOf');
  if (anyOf) {
    const sp = `${p}/anyOf`;
    out.push((d, ip, ev, cx) => {
      if (!ev && !cx.errors) {
        for (let i = 0; i < anyOf.length; i++) if (anyOf[i](d, ip, null, cx)) return true;
        return false;
      }
      const saved = cx.errors;
      const branchErrors: ValidationError[] = [];
      let ok = false;
      for (let i = 0; i < anyOf.length; i++) {
        const local = ev ? newEv() : null;
        const errs: ValidationError[] = [];
        if (saved) cx.errors = errs;
        const v = anyOf[i](d, ip, local, cx);
        branchErrors.push(...errs);
        if (v) {
          ok = true;
          if (ev && local) mergeEv(ev, local);
          else break; // no annotations needed: the first match decides
        }
      }
      cx.errors = saved;
      if (ok) return true;
      if (saved) saved.push(...branchErrors);
      return fail(cx, ip, sp, 'anyOf', 'must match a schema in anyOf');
    });
  }

  const oneOf = subs('oneOf');
  if (oneOf) {
    const sp = `${p}/oneOf`;
    out.push((d, ip, ev, cx) => {
      const saved = cx.errors;
      const branchErrors: ValidationError[] = [];
      let count = 0;
      let matched: Ev | null = null;
      const passing: number[] = [];
      for (let i = 0; i < oneOf.length; i++) {
        const local = ev ? newEv() : null;
        const errs: ValidationError[] = [];
        if (saved) cx.errors = errs;
        const v = oneOf[i](d, ip, local, cx);
        branchErrors.push(...errs);
        if (v) {
          count++;
          passing.push(i);
          matched = local;
          if (count > 1 && !saved) break;
        }
      }
      cx.errors = saved;
      if (count === 1) {
        if (ev && matched) mergeEv(ev, matched);
        return true;
      }
      if (count === 0) {
        if (saved) saved.push(...branchErrors);
        return fail(cx, ip, sp, 'oneOf', 'must match exactly one schema in oneOf');
      }
      return fail(cx, ip, sp, 'oneOf', `must match exactly one schema in oneOf (matches ${passing.join(', ')})`);
    });
  }

  if ('not' in o) {
    const not = c.child(o.not, loc, `${p}/not`);
    const sp = `${p}/not`;
    out.push((d, ip, _ev, cx) => {
      const saved = cx.errors;
      cx.errors = null;
      const matched = not(d, ip, null, cx);
      cx.errors = saved;
      return matched ? fail(cx, ip, sp, 'not', 'must NOT be valid') : true;
    });
  }

  if (rank >= 7 && 'if' in o) {
    const cond = c.child(o.if, loc, `${p}/if`);
    const then = 'then' in o ? c.child(o.then, loc, `${p}/then`) : undefined;
    const els = 'else' in o ? c.child(o.else, loc, `${p}/else`) : undefined;
    out.push((d, ip, ev, cx) => {
      const local = ev ? newEv() : null;
      const saved = cx.errors;
      cx.errors = null;
      const ok = cond(d, ip, local, cx);
      cx.errors = saved;
      if (ok) {
        if (ev && local) mergeEv(ev, local);
        if (then && !then(d, ip, ev, cx)) return fail(cx, ip, `${p}/then`, 'if', 'must match "then" schema');
      } else if (els && !els(d, ip, ev, cx)) {
        return fail(cx, ip, `${p}/else`, 'if', 'must match "else" schema');
      }
      return true;
    });
  }
}

/** Run a subschema for its boolean result only: its errors are not part of the outcome. */
export function quiet(cx: Ctx, run: () => boolean): boolean {
  const saved = cx.errors;
  if (!saved) return run();
  cx.errors = null;
  const ok = run();
  cx.errors = saved;
  return ok;
}
