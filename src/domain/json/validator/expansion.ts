/**
 * The expansion bound (JSON_LIMITS.maxExpandedSubschemas), checked once per compilation.
 *
 * Compilation is linear: a node reached by many `$ref`s is compiled once. Validation is not: each
 * use evaluates the node again. Here, for every compiled node, we count the subschemas one value
 * is checked against at that node: the node itself plus, recursively, its in-place applicators
 * (allOf/anyOf/oneOf/not/if/then/else, dependencies/dependentSchemas, $ref targets). Memoized per
 * node, so the count costs one pass over the graph even when it is exponential (2^30 for
 * `d1 = allOf[d0, d0]` 30 levels deep). A node on the current path (a `$ref` cycle) counts once:
 * such loops are broken at validation time by maxRefDepth.
 *
 * Keywords that move to a child value (properties, items, ...) do not add here: their cost is
 * per value of the document and bounded by the validation step budget instead.
 */
import { DRAFT_RANK } from '../drafts';
import { JSON_LIMITS } from '../limits';
import type { Compiler } from './compile';
import { type Loc, SchemaCompileError } from './types';
import { resolveUri } from './uri';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The subschemas a node applies to the same value (static targets for $dynamicRef/$recursiveRef). */
function inPlace(c: Compiler, o: Obj, loc: Loc): unknown[] {
  const rank = DRAFT_RANK[loc.draft];
  const out: unknown[] = [];
  const ref = (k: string) => {
    const r = o[k];
    if (typeof r !== 'string') return;
    const t = c.reg.resolve(resolveUri(loc.base, r));
    if (t) out.push(t.node);
  };
  ref('$ref');
  // drafts 4-7: "All other properties in a "$ref" object MUST be ignored."
  if (rank <= 7 && typeof o.$ref === 'string') return out;
  if (rank === 8) ref('$recursiveRef');
  if (rank === 9) ref('$dynamicRef');
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    const a = o[k];
    if (Array.isArray(a)) out.push(...(a as unknown[]));
  }
  if ('not' in o) out.push(o.not);
  if (rank >= 7) for (const k of ['if', 'then', 'else']) if (k in o) out.push(o[k]);
  for (const k of rank >= 8 ? ['dependencies', 'dependentSchemas'] : ['dependencies']) {
    const m = o[k];
    if (!isObj(m)) continue;
    for (const name of Object.keys(m)) if (!Array.isArray(m[name])) out.push(m[name]);
  }
  return out;
}

/** Throws SchemaCompileError naming the first node (deepest first) past the bound. */
export function checkExpansion(c: Compiler, limit: number = JSON_LIMITS.maxExpandedSubschemas): void {
  const size = new Map<object, number>();
  const onPath = new Set<object>();
  // iterative post-order DFS: $ref chains can be as long as the schema has nodes
  type Frame = { node: Obj; loc: Loc; children: unknown[]; next: number; sum: number };
  for (const [start, startSlot] of c.slots) {
    if (size.has(start)) continue;
    const stack: Frame[] = [{ node: start as Obj, loc: startSlot.loc, children: inPlace(c, start as Obj, startSlot.loc), next: 0, sum: 1 }];
    onPath.add(start);
    while (stack.length > 0) {
      const f = stack[stack.length - 1];
      if (f.next < f.children.length) {
        const ch = f.children[f.next++];
        // booleans and other non-schemas cost nothing; a node on the path (a cycle) counts once
        if (!isObj(ch)) continue;
        const known = size.get(ch);
        if (known !== undefined) f.sum += known;
        else if (onPath.has(ch)) f.sum += 1;
        else {
          const slot = c.slots.get(ch);
          // every in-place child was compiled with the node; one that was not is evaluated nowhere
          if (!slot) continue;
          onPath.add(ch);
          stack.push({ node: ch, loc: slot.loc, children: inPlace(c, ch, slot.loc), next: 0, sum: 1 });
        }
        // saturate: only "over the limit" matters, and 2^1000 is not a number
        if (f.sum > limit) f.sum = limit + 1;
        continue;
      }
      stack.pop();
      onPath.delete(f.node);
      size.set(f.node, f.sum);
      if (f.sum > limit) {
        const path = f.loc.path;
        throw new SchemaCompileError(
          `${path}: one value would be checked against more than ${limit} subschemas here ` +
            '(allOf/anyOf/oneOf/$ref over shared definitions multiply at each level)',
          path,
        );
      }
      const parent = stack.at(-1);
      if (parent) parent.sum = Math.min(parent.sum + f.sum, limit + 1);
    }
  }
}
