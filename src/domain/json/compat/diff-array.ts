/**
 * Arrays, after Confluent's ArraySchemaDiff: the all-items schema (`items`), the tuple
 * (`items: [..]` / `prefixItems`) under open / partially open / closed content models,
 * additionalItems, unevaluatedItems (2019-09+), min/maxItems, uniqueItems, min/maxContains.
 * Tuple positions are reported as `#/items/<index>` whatever the draft calls them.
 */
import type { Ctx } from './context';
import type { ArrayModel, Model } from './model';

export function compareArray(ctx: Ctx, a: ArrayModel, b: ArrayModel): void {
  ctx.enter('items');
  ctx.compare(load(a, a.allItems), load(b, b.allItems));
  ctx.leave();
  compareTuple(ctx, a, b);
  compareAdditionalItems(ctx, a, b);
  compareUnevaluatedItems(ctx, a, b);
  ctx.bound('maxItems', a.maxItems, b.maxItems, ['MAX_ITEMS_ADDED', 'MAX_ITEMS_REMOVED', 'MAX_ITEMS_INCREASED', 'MAX_ITEMS_DECREASED']);
  ctx.bound('minItems', a.minItems, b.minItems, ['MIN_ITEMS_ADDED', 'MIN_ITEMS_REMOVED', 'MIN_ITEMS_INCREASED', 'MIN_ITEMS_DECREASED']);
  if (a.uniqueItems !== b.uniqueItems) ctx.addAt('uniqueItems', a.uniqueItems ? 'UNIQUE_ITEMS_REMOVED' : 'UNIQUE_ITEMS_ADDED');
  ctx.bound('maxContains', a.maxContains, b.maxContains, [
    'MAX_CONTAINS_ADDED',
    'MAX_CONTAINS_REMOVED',
    'MAX_CONTAINS_INCREASED',
    'MAX_CONTAINS_DECREASED',
  ]);
  ctx.bound('minContains', a.minContains, b.minContains, [
    'MIN_CONTAINS_ADDED',
    'MIN_CONTAINS_REMOVED',
    'MIN_CONTAINS_INCREASED',
    'MIN_CONTAINS_DECREASED',
  ]);
}

function load(m: ArrayModel, node: unknown): Model | null {
  return node === undefined ? null : m.side.load(node);
}

function isUnevaluatedOpen(m: ArrayModel): boolean {
  return m.unevaluated === undefined || m.side.load(m.unevaluated).kind === 'empty';
}

function isOpenArray(m: ArrayModel): boolean {
  return m.permitsAdditional && m.additionalSchema === undefined && isUnevaluatedOpen(m);
}

function coveringSchema(m: ArrayModel): Model | null {
  if (m.additionalSchema !== undefined) return m.side.load(m.additionalSchema);
  if (m.permitsAdditional && m.unevaluated !== undefined) {
    const u = m.side.load(m.unevaluated);
    if (u.kind !== 'false' && u.kind !== 'empty') return u;
  }
  return null;
}

function compareTuple(ctx: Ctx, a: ArrayModel, b: ArrayModel): void {
  const o = a.itemSchemas ?? [];
  const u = b.itemSchemas ?? [];
  const common = Math.min(o.length, u.length);
  for (let i = 0; i < common; i++) {
    ctx.enter(`items/${i}`);
    ctx.compare(a.side.load(o[i]), b.side.load(u[i]));
    ctx.leave();
  }
  for (let i = common; i < o.length; i++) {
    ctx.enter(`items/${i}`);
    const original = a.side.load(o[i]);
    if (isOpenArray(b)) ctx.add('ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL');
    else {
      const covering = coveringSchema(b);
      if (covering !== null) {
        const sub = ctx.trial(original, covering);
        ctx.addAll(sub.diffs);
        ctx.add(
          sub.isCompatible() ? 'ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL' : 'ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
        );
      } else {
        ctx.add(original.kind === 'false' ? 'ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL' : 'ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL');
      }
    }
    ctx.leave();
  }
  for (let i = common; i < u.length; i++) {
    ctx.enter(`items/${i}`);
    const added = b.side.load(u[i]);
    if (isOpenArray(a)) {
      ctx.add(added.kind === 'empty' ? 'ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL' : 'ITEM_ADDED_TO_OPEN_CONTENT_MODEL');
    } else {
      const covering = coveringSchema(a);
      if (covering !== null) {
        const sub = ctx.trial(covering, added);
        ctx.addAll(sub.diffs);
        ctx.add(
          sub.isCompatible() ? 'ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL' : 'ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
        );
      } else {
        ctx.add('ITEM_ADDED_TO_CLOSED_CONTENT_MODEL');
      }
    }
    ctx.leave();
  }
}

function compareAdditionalItems(ctx: Ctx, a: ArrayModel, b: ArrayModel): void {
  ctx.enter('additionalItems');
  if (a.permitsAdditional !== b.permitsAdditional) {
    ctx.add(a.permitsAdditional ? 'ADDITIONAL_ITEMS_REMOVED' : 'ADDITIONAL_ITEMS_ADDED');
  } else if (a.additionalSchema === undefined && b.additionalSchema !== undefined) {
    ctx.add('ADDITIONAL_ITEMS_NARROWED');
  } else if (b.additionalSchema === undefined && a.additionalSchema !== undefined) {
    ctx.add('ADDITIONAL_ITEMS_EXTENDED');
  } else if (a.additionalSchema !== undefined && b.additionalSchema !== undefined) {
    ctx.compare(a.side.load(a.additionalSchema), b.side.load(b.additionalSchema));
  }
  ctx.leave();
}

function compareUnevaluatedItems(ctx: Ctx, a: ArrayModel, b: ArrayModel): void {
  const o = load(a, a.unevaluated);
  const u = load(b, b.unevaluated);
  if (o === null && u === null) return;
  ctx.enter('unevaluatedItems');
  if (o === null) {
    if (u !== null) ctx.add(u.kind === 'false' ? 'UNEVALUATED_ITEMS_REMOVED' : 'UNEVALUATED_ITEMS_NARROWED');
  } else if (u === null) ctx.add(o.kind === 'false' ? 'UNEVALUATED_ITEMS_ADDED' : 'UNEVALUATED_ITEMS_EXTENDED');
  else if (o.kind === 'false' && u.kind !== 'false') ctx.add('UNEVALUATED_ITEMS_ADDED');
  else if (o.kind !== 'false' && u.kind === 'false') ctx.add('UNEVALUATED_ITEMS_REMOVED');
  else if (o.kind === 'empty' && u.kind !== 'empty') ctx.add('UNEVALUATED_ITEMS_NARROWED');
  else if (o.kind !== 'empty' && u.kind === 'empty') ctx.add('UNEVALUATED_ITEMS_EXTENDED');
  else ctx.compare(o, u);
  ctx.leave();
}
