/**
 * Objects, after Confluent's ObjectSchemaDiff: required, properties under the three content models,
 * dependencies, additionalProperties, unevaluatedProperties (2019-09+), min/maxProperties.
 *
 * Content models (of the *original* when a property is added, of the *update* when one is removed):
 * - open: no patternProperties, no additionalProperties schema, additionalProperties not false
 *   (and no restricting unevaluatedProperties);
 * - partially open: a patternProperties entry matching the name, else the additionalProperties
 *   schema (else a restricting unevaluatedProperties schema) covers the property, and the property
 *   schema is compared with it;
 * - closed: neither.
 */
import type { Ctx } from './context';
import { javaHashOrder, javaHashSetUnion } from './java-order';
import type { Json, Model, ObjectModel } from './model';
import { safeFind } from './regex';

export function compareObject(ctx: Ctx, a: ObjectModel, b: ObjectModel): void {
  compareRequired(ctx, a, b);
  compareProperties(ctx, a, b);
  compareDependencies(ctx, a, b);
  compareAdditionalProperties(ctx, a, b);
  compareUnevaluatedProperties(ctx, a, b);
  ctx.bound('maxProperties', a.maxProperties, b.maxProperties, [
    'MAX_PROPERTIES_ADDED',
    'MAX_PROPERTIES_REMOVED',
    'MAX_PROPERTIES_INCREASED',
    'MAX_PROPERTIES_DECREASED',
  ]);
  ctx.bound('minProperties', a.minProperties, b.minProperties, [
    'MIN_PROPERTIES_ADDED',
    'MIN_PROPERTIES_REMOVED',
    'MIN_PROPERTIES_INCREASED',
    'MIN_PROPERTIES_DECREASED',
  ]);
}

/** Property names in the order everit's HashMap holds them. */
function propertyOrder(m: ObjectModel): string[] {
  return javaHashOrder(m.properties.keys());
}

const requiredSets = new WeakMap<ObjectModel, Set<string>>();

/** `required` as a Set: a schema may list thousands of names, and `includes` per property is quadratic. */
function requiredOf(m: ObjectModel): Set<string> {
  let set = requiredSets.get(m);
  if (!set) requiredSets.set(m, (set = new Set(m.required)));
  return set;
}

function compareRequired(ctx: Ctx, a: ObjectModel, b: ObjectModel): void {
  ctx.enter('required');
  const ra = requiredOf(a);
  const rb = requiredOf(b);
  for (const key of propertyOrder(a)) {
    if (!b.properties.has(key)) continue;
    const was = ra.has(key);
    const is = rb.has(key);
    if (was && !is) ctx.addAt(key, 'REQUIRED_ATTRIBUTE_REMOVED');
    else if (!was && is) {
      const hasDefault = b.side.load(b.properties.get(key)).meta.hasDefault;
      ctx.addAt(key, hasDefault ? 'REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED' : 'REQUIRED_ATTRIBUTE_ADDED');
    }
  }
  ctx.leave();
}

function isUnevaluatedOpen(m: ObjectModel): boolean {
  if (m.unevaluated === undefined) return true;
  const u = m.side.load(m.unevaluated);
  return u.kind === 'empty';
}

function isOpenObject(m: ObjectModel): boolean {
  return m.patternProperties.length === 0 && m.additionalSchema === undefined && m.permitsAdditional && isUnevaluatedOpen(m);
}

/** The schema a partially open content model gives an undeclared property, or null. */
function coveringSchema(ctx: Ctx, m: ObjectModel, key: string): Model | null {
  for (const [pattern, schema] of m.patternProperties) {
    if (safeFind(pattern, key, ctx.run.budget)) return m.side.load(schema);
  }
  if (m.additionalSchema !== undefined) return m.side.load(m.additionalSchema);
  if (m.permitsAdditional && m.unevaluated !== undefined) {
    const u = m.side.load(m.unevaluated);
    if (u.kind !== 'false' && u.kind !== 'empty') return u;
  }
  return null;
}

function compareProperties(ctx: Ctx, a: ObjectModel, b: ObjectModel): void {
  ctx.enter('properties');
  for (const key of javaHashSetUnion(propertyOrder(a), propertyOrder(b))) {
    ctx.enter(key);
    const oNode = a.properties.has(key) ? a.properties.get(key) : undefined;
    const uNode = b.properties.has(key) ? b.properties.get(key) : undefined;
    const inA = a.properties.has(key);
    const inB = b.properties.has(key);
    if (!inB) {
      removedProperty(ctx, a.side.load(oNode), b, key);
    } else if (!inA) {
      addedProperty(ctx, a, b, key, uNode);
    } else {
      ctx.compare(a.side.load(oNode), b.side.load(uNode));
    }
    ctx.leave();
  }
  ctx.leave();
}

function removedProperty(ctx: Ctx, original: Model, update: ObjectModel, key: string): void {
  // only the update's content model matters: it is the one that must accept the old data
  if (isOpenObject(update)) {
    ctx.add('PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL');
    return;
  }
  const covering = coveringSchema(ctx, update, key);
  if (covering !== null) {
    const sub = ctx.trial(original, covering);
    ctx.addAll(sub.diffs);
    ctx.add(
      sub.isCompatible()
        ? 'PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
        : 'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    );
    return;
  }
  ctx.add(original.kind === 'false' ? 'PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL' : 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL');
}

function addedProperty(ctx: Ctx, a: ObjectModel, b: ObjectModel, key: string, uNode: Json): void {
  const added = b.side.load(uNode);
  // only the original's content model matters: old data must not already use the name differently
  if (isOpenObject(a)) {
    ctx.add(added.kind === 'empty' ? 'PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL' : 'PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL');
    return;
  }
  const covering = coveringSchema(ctx, a, key);
  if (covering !== null) {
    const sub = ctx.trial(covering, added);
    ctx.addAll(sub.diffs);
    ctx.add(
      sub.isCompatible() ? 'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL' : 'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    );
  }
  // for closed and partially open models alike
  if (requiredOf(b).has(key)) {
    ctx.add(
      added.meta.hasDefault ? 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL' : 'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
    );
  } else {
    ctx.add('OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL');
  }
}

/** Every member of `x` is in `y` (Sets: dependency lists can be long). */
function within(x: ReadonlySet<string>, y: ReadonlySet<string>): boolean {
  for (const v of x) if (!y.has(v)) return false;
  return true;
}

function compareDependencies(ctx: Ctx, a: ObjectModel, b: ObjectModel): void {
  ctx.enter('dependencies');
  const arrayKeys = javaHashSetUnion(javaHashOrder(a.propertyDependencies.keys()), javaHashOrder(b.propertyDependencies.keys()));
  for (const key of arrayKeys) {
    const o = a.propertyDependencies.get(key);
    const u = b.propertyDependencies.get(key);
    if (u === undefined) ctx.addAt(key, 'DEPENDENCY_ARRAY_REMOVED');
    else if (o === undefined) ctx.addAt(key, 'DEPENDENCY_ARRAY_ADDED');
    else {
      const os = new Set(o);
      const us = new Set(u);
      const oInU = within(os, us);
      const uInO = within(us, os);
      if (oInU && uInO) continue;
      if (oInU) ctx.addAt(key, 'DEPENDENCY_ARRAY_EXTENDED');
      else if (uInO) ctx.addAt(key, 'DEPENDENCY_ARRAY_NARROWED');
      else ctx.addAt(key, 'DEPENDENCY_ARRAY_CHANGED');
    }
  }
  const schemaKeys = javaHashSetUnion(javaHashOrder(a.schemaDependencies.keys()), javaHashOrder(b.schemaDependencies.keys()));
  for (const key of schemaKeys) {
    const inA = a.schemaDependencies.has(key);
    const inB = b.schemaDependencies.has(key);
    if (!inB) ctx.addAt(key, 'DEPENDENCY_SCHEMA_REMOVED');
    else if (!inA) ctx.addAt(key, 'DEPENDENCY_SCHEMA_ADDED');
    else {
      ctx.enter(key);
      ctx.compare(a.side.load(a.schemaDependencies.get(key)), b.side.load(b.schemaDependencies.get(key)));
      ctx.leave();
    }
  }
  ctx.leave();
}

function compareAdditionalProperties(ctx: Ctx, a: ObjectModel, b: ObjectModel): void {
  ctx.enter('additionalProperties');
  if (a.permitsAdditional !== b.permitsAdditional) {
    ctx.add(b.permitsAdditional ? 'ADDITIONAL_PROPERTIES_ADDED' : 'ADDITIONAL_PROPERTIES_REMOVED');
  } else if (a.additionalSchema === undefined && b.additionalSchema !== undefined) {
    ctx.add('ADDITIONAL_PROPERTIES_NARROWED');
  } else if (b.additionalSchema === undefined && a.additionalSchema !== undefined) {
    ctx.add('ADDITIONAL_PROPERTIES_EXTENDED');
  } else if (a.additionalSchema !== undefined && b.additionalSchema !== undefined) {
    ctx.compare(a.side.load(a.additionalSchema), b.side.load(b.additionalSchema));
  }
  ctx.leave();
}

/** Mirrors ArraySchemaDiff.compareUnevaluatedItems for `unevaluatedProperties`. */
function compareUnevaluatedProperties(ctx: Ctx, a: ObjectModel, b: ObjectModel): void {
  const o = a.unevaluated === undefined ? null : a.side.load(a.unevaluated);
  const u = b.unevaluated === undefined ? null : b.side.load(b.unevaluated);
  if (o === null && u === null) return;
  ctx.enter('unevaluatedProperties');
  if (o === null) {
    if (u !== null) ctx.add(u.kind === 'false' ? 'UNEVALUATED_PROPERTIES_REMOVED' : 'UNEVALUATED_PROPERTIES_NARROWED');
  } else if (u === null) ctx.add(o.kind === 'false' ? 'UNEVALUATED_PROPERTIES_ADDED' : 'UNEVALUATED_PROPERTIES_EXTENDED');
  else if (o.kind === 'false' && u.kind !== 'false') ctx.add('UNEVALUATED_PROPERTIES_ADDED');
  else if (o.kind !== 'false' && u.kind === 'false') ctx.add('UNEVALUATED_PROPERTIES_REMOVED');
  else if (o.kind === 'empty' && u.kind !== 'empty') ctx.add('UNEVALUATED_PROPERTIES_NARROWED');
  else if (o.kind !== 'empty' && u.kind === 'empty') ctx.add('UNEVALUATED_PROPERTIES_EXTENDED');
  else ctx.compare(o, u);
  ctx.leave();
}
