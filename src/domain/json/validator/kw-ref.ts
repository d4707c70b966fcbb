/**
 * $ref (all drafts), $recursiveRef (2019-09 core 8.2.4.2) and $dynamicRef (2020-12 core 8.2.3.2).
 * References are resolved at compile time (an unresolvable one is a compile error naming it); dynamic
 * ones additionally search the dynamic scope (resources entered so far, outermost first) at run time.
 */
import { DRAFT_RANK } from '../drafts';
import { JSON_LIMITS } from '../limits';
import { type Compiling, type Fn, type Loc, type Resource, LimitExceeded, SchemaCompileError } from './types';
import { resolveUri, splitFragment } from './uri';

export function refKeywords(c: Compiling, o: Record<string, unknown>, loc: Loc, out: Fn[]): void {
  const rank = DRAFT_RANK[loc.draft];
  if (typeof o.$ref === 'string') out.push(staticRef(c, o.$ref, loc, '$ref'));
  if (rank === 8 && typeof o.$recursiveRef === 'string') out.push(recursiveRef(c, o.$recursiveRef, loc));
  if (rank === 9 && typeof o.$dynamicRef === 'string') out.push(dynamicRef(c, o.$dynamicRef, loc));
}

function target(c: Compiling, ref: string, loc: Loc, keyword: string): { fn: Fn; node: unknown; res: Resource } {
  const uri = resolveUri(loc.base, ref);
  const t = c.reg.resolve(uri);
  if (!t) {
    throw new SchemaCompileError(`${loc.path}/${keyword}: can't resolve reference ${ref}${uri !== ref ? ` (${uri})` : ''}`, loc.path);
  }
  return { fn: c.compile(t.node, t.loc), node: t.node, res: t.loc.resource };
}

/** Count reference nesting: a `$ref` loop that consumes no instance would otherwise recurse forever. */
function guarded(fn: Fn, res: Resource, here: Resource, dynamic: boolean): Fn {
  const max = JSON_LIMITS.maxRefDepth;
  const enter = dynamic && res !== here;
  return (d, ip, ev, cx) => {
    if (++cx.refDepth > max) throw new LimitExceeded('$ref', `$ref nesting deeper than ${max} (a reference cycle?)`, ip);
    if (enter) cx.dyn.push(res);
    const ok = fn(d, ip, ev, cx);
    if (enter) cx.dyn.pop();
    cx.refDepth--;
    return ok;
  };
}

function staticRef(c: Compiling, ref: string, loc: Loc, keyword: string): Fn {
  const t = target(c, ref, loc, keyword);
  return guarded(t.fn, t.res, loc.resource, c.reg.hasDynamic);
}

function recursiveRef(c: Compiling, ref: string, loc: Loc): Fn {
  const t = target(c, ref, loc, '$recursiveRef');
  const initial = guarded(t.fn, t.res, loc.resource, true);
  if (!isObj(t.node) || t.node.$recursiveAnchor !== true) return initial;
  const cache = new Map<Resource, Fn>();
  return (d, ip, ev, cx) => {
    // the outermost resource in the dynamic scope whose root has "$recursiveAnchor": true
    for (let i = 0; i < cx.dyn.length; i++) {
      const r = cx.dyn[i];
      if (isObj(r.root) && r.root.$recursiveAnchor === true) {
        let fn = cache.get(r);
        if (!fn) {
          const rt = c.reg.resolve(r.uri);
          // every resource of the dynamic scope was registered when it was scanned
          if (!rt) throw new Error(`dynamic scope resource ${r.uri} is not registered`);
          fn = guarded(c.compile(rt.node, rt.loc), r, loc.resource, true);
          cache.set(r, fn);
        }
        return fn(d, ip, ev, cx);
      }
    }
    return initial(d, ip, ev, cx);
  };
}

function dynamicRef(c: Compiling, ref: string, loc: Loc): Fn {
  const t = target(c, ref, loc, '$dynamicRef');
  const initial = guarded(t.fn, t.res, loc.resource, true);
  const frag = splitFragment(resolveUri(loc.base, ref))[1];
  // only a plain-name fragment that lands on a matching $dynamicAnchor is dynamic ("bookending")
  if (frag === '' || frag.startsWith('/') || !isObj(t.node) || t.node.$dynamicAnchor !== frag) return initial;
  const cache = new Map<Resource, Fn>();
  return (d, ip, ev, cx) => {
    for (let i = 0; i < cx.dyn.length; i++) {
      const r = cx.dyn[i];
      const a = r.dynamicAnchors.get(frag);
      if (a !== undefined) {
        let fn = cache.get(r);
        if (!fn) {
          const al = c.reg.locOf(a, {
            base: r.uri,
            draft: r.draft,
            resource: r,
            path: r.uri + '#',
            vocab: { noValidation: false, formatAssert: false },
          });
          fn = guarded(c.compile(a, al), r, loc.resource, true);
          cache.set(r, fn);
        }
        return fn(d, ip, ev, cx);
      }
    }
    return initial(d, ip, ev, cx);
  };
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
