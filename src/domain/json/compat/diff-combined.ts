/**
 * oneOf / anyOf / allOf against each other, after Confluent's CombinedSchemaDiff: the criterion
 * change is judged first (allOf/oneOf -> anyOf widens; a singleton may become oneOf, or allOf when
 * both are singletons; anything else is COMBINED_TYPE_CHANGED), then duplicate subschemas collapse,
 * the branch count tells SUM/PRODUCT_TYPE_EXTENDED/NARROWED, and every original branch is compared
 * with every update branch: the compatible pairs form a bipartite graph whose maximum matching must
 * cover the smaller side, or the result is COMBINED_TYPE_SUBSCHEMAS_CHANGED. Differences of matched
 * pairs are reported under `<criterion>/<index of the original branch>`.
 */
import type { Ctx } from './context';
import type { Difference, DiffType } from './differences';
import { maximumMatching } from './matching';
import type { CombinedModel, Model } from './model';

function dedupe(subs: readonly Model[]): Model[] {
  const seen = new Set<string>();
  const out: Model[] = [];
  for (const s of subs) {
    const key = s.dupKey();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  return out;
}

function criterionChange(a: CombinedModel, b: CombinedModel): DiffType | null {
  if (a.criterion === b.criterion) return null;
  if (b.criterion === 'anyOf') return 'COMBINED_TYPE_EXTENDED';
  if (b.criterion === 'oneOf') return a.subs.length === 1 ? 'COMBINED_TYPE_EXTENDED' : 'COMBINED_TYPE_CHANGED';
  // update is allOf
  return a.subs.length === 1 && b.subs.length === 1 ? 'COMBINED_TYPE_EXTENDED' : 'COMBINED_TYPE_CHANGED';
}

export function compareCombined(ctx: Ctx, a: CombinedModel, b: CombinedModel): void {
  const change = criterionChange(a, b);
  if (change !== null) ctx.add(change);
  if (change === 'COMBINED_TYPE_CHANGED') return;

  const orig = dedupe(a.subs);
  const upd = dedupe(b.subs);
  if (orig.length < upd.length) ctx.add(b.criterion === 'allOf' ? 'PRODUCT_TYPE_EXTENDED' : 'SUM_TYPE_EXTENDED');
  else if (orig.length > upd.length) ctx.add(b.criterion === 'allOf' ? 'PRODUCT_TYPE_NARROWED' : 'SUM_TYPE_NARROWED');

  const edges: number[][] = [];
  const found = new Map<string, readonly Difference[]>();
  orig.forEach((o, i) => {
    ctx.enter(`${a.criterion}/${i}`);
    edges.push([]);
    upd.forEach((u, j) => {
      const sub = ctx.trial(o, u);
      if (sub.isCompatible()) {
        edges[i].push(j);
        found.set(`${i}:${j}`, sub.diffs);
      }
    });
    ctx.leave();
  });
  const match = maximumMatching(orig.length, upd.length, edges);
  let size = 0;
  match.forEach((j, i) => {
    if (j < 0) return;
    size++;
    ctx.addAll(found.get(`${i}:${j}`) ?? []);
  });
  if (size < Math.min(orig.length, upd.length)) ctx.add('COMBINED_TYPE_SUBSCHEMAS_CHANGED');
}
