/**
 * The recursive comparison, after Confluent's SchemaDiff.compare and the per-kind *SchemaDiff
 * classes for strings, numbers, enums, consts and `not` (objects, arrays and combined schemas have
 * their own files). `original` is the schema data was written with, `update` the reader.
 */
import { compareArray } from './diff-array';
import { compareCombined } from './diff-combined';
import { compareObject } from './diff-object';
import type { Ctx } from './context';
import { isDecimalMultiple } from './decimal';
import type { ConstModel, EnumModel, Model, NotModel, NumberModel, StringModel } from './model';

/** SchemaDiff.compare(ctx, original, update); `null` is an absent schema. */
export function compare(ctx: Ctx, original: Model | null, update: Model | null): void {
  if (original === null) {
    if (update !== null) ctx.add('SCHEMA_ADDED');
    return;
  }
  if (update === null) {
    ctx.add('SCHEMA_REMOVED');
    return;
  }
  const a = original.side.deref(original);
  const b = update.side.deref(update);
  const run = ctx.run;
  const key = run.key(a, b);
  let relative = run.memo.get(key);
  if (relative === undefined) {
    if (run.inProgress.has(key)) {
      // a $ref cycle: answer with the current assumption for this pair
      run.cycleHits.add(key);
      ctx.addRebased(run.assumed.get(key) ?? []);
      return;
    }
    run.countPair();
    run.enter();
    run.inProgress.add(key);
    try {
      const inner = ctx.fresh();
      compareDereferenced(inner, a, b);
      relative = inner.diffs;
      run.memo.set(key, relative);
    } finally {
      run.inProgress.delete(key);
      run.leave();
    }
  }
  ctx.addRebased(relative);
}

function sameKind(a: Model, b: Model): boolean {
  return a.kind === b.kind;
}

function compareDereferenced(ctx: Ctx, a: Model, b: Model): void {
  // One side combined, the other not: try to see the plain schema as one branch.
  if (a.kind !== 'combined' && b.kind === 'combined') {
    if (b.subs.length === 1) {
      const sub = ctx.trial(a, b.subs[0]);
      if (sub.isCompatible()) {
        ctx.addAll(sub.diffs);
        return;
      }
    } else if (b.criterion === 'anyOf' || b.criterion === 'oneOf') {
      for (const s of b.subs) {
        const sub = ctx.trial(a, s);
        if (sub.isCompatible()) {
          ctx.addAll(sub.diffs);
          ctx.add('SUM_TYPE_EXTENDED');
          return;
        }
      }
    }
  } else if (a.kind === 'combined' && b.kind !== 'combined') {
    if (a.subs.length === 1) {
      const sub = ctx.trial(a.subs[0], b);
      if (sub.isCompatible()) {
        ctx.addAll(sub.diffs);
        return;
      }
    }
    if (a.criterion === 'allOf') {
      for (const s of a.subs) {
        const sub = ctx.trial(s, b);
        if (sub.isCompatible()) {
          ctx.addAll(sub.diffs);
          ctx.add('PRODUCT_TYPE_NARROWED');
          return;
        }
      }
    }
  }

  if (!sameKind(a, b)) {
    // Anything may become the empty (true) schema, and the false schema may become anything.
    if (a.kind === 'false' || b.kind === 'empty') return;
    if (a.meta.connectType === 'bytes' && b.meta.connectType === 'bytes') return;
    ctx.add('TYPE_CHANGED');
    return;
  }

  if (a.meta.id !== b.meta.id) ctx.add('ID_CHANGED');
  if (a.meta.title !== b.meta.title) ctx.add('TITLE_CHANGED');
  if (a.meta.description !== b.meta.description) ctx.add('DESCRIPTION_CHANGED');
  if (a.meta.defaultKey !== b.meta.defaultKey) ctx.add('DEFAULT_CHANGED');

  switch (a.kind) {
    case 'string':
      compareString(ctx, a, b as StringModel);
      return;
    case 'number':
      compareNumber(ctx, a, b as NumberModel);
      return;
    case 'enum':
      compareEnum(ctx, a, b as EnumModel);
      return;
    case 'const':
      compareConst(ctx, a, b as ConstModel);
      return;
    case 'combined':
      compareCombined(ctx, a, b as typeof a);
      return;
    case 'not':
      compareNot(ctx, a, b as NotModel);
      return;
    case 'object':
      compareObject(ctx, a, b as typeof a);
      return;
    case 'array':
      compareArray(ctx, a, b as typeof a);
      return;
    default:
      return;
  }
}

function compareString(ctx: Ctx, a: StringModel, b: StringModel): void {
  ctx.bound('maxLength', a.maxLength, b.maxLength, ['MAX_LENGTH_ADDED', 'MAX_LENGTH_REMOVED', 'MAX_LENGTH_INCREASED', 'MAX_LENGTH_DECREASED']);
  ctx.bound('minLength', a.minLength, b.minLength, ['MIN_LENGTH_ADDED', 'MIN_LENGTH_REMOVED', 'MIN_LENGTH_INCREASED', 'MIN_LENGTH_DECREASED']);
  if (a.pattern === undefined && b.pattern !== undefined) ctx.addAt('pattern', 'PATTERN_ADDED');
  else if (a.pattern !== undefined && b.pattern === undefined) ctx.addAt('pattern', 'PATTERN_REMOVED');
  else if (a.pattern !== b.pattern) ctx.addAt('pattern', 'PATTERN_CHANGED');
}

function compareNumber(ctx: Ctx, a: NumberModel, b: NumberModel): void {
  ctx.bound('maximum', a.maximum, b.maximum, ['MAXIMUM_ADDED', 'MAXIMUM_REMOVED', 'MAXIMUM_INCREASED', 'MAXIMUM_DECREASED']);
  ctx.bound('minimum', a.minimum, b.minimum, ['MINIMUM_ADDED', 'MINIMUM_REMOVED', 'MINIMUM_INCREASED', 'MINIMUM_DECREASED']);
  const oMax = a.exclusiveMaximum;
  const uMax = b.exclusiveMaximum;
  if (oMax !== uMax) {
    if (oMax === undefined) ctx.addAt('exclusiveMaximum', 'EXCLUSIVE_MAXIMUM_ADDED');
    else if (uMax === undefined) ctx.addAt('exclusiveMaximum', 'EXCLUSIVE_MAXIMUM_REMOVED');
    else if (oMax < uMax) ctx.addAt('exclusiveMaximum', 'EXCLUSIVE_MAXIMUM_INCREASED');
    // NumberSchemaDiff compares the decrease against the update's *maximum* (a Confluent slip); with
    // no maximum Java throws, so we report the intended decrease.
    else if (oMax > (b.maximum ?? Number.NEGATIVE_INFINITY)) ctx.addAt('exclusiveMaximum', 'EXCLUSIVE_MAXIMUM_DECREASED');
  }
  ctx.bound('exclusiveMinimum', a.exclusiveMinimum, b.exclusiveMinimum, [
    'EXCLUSIVE_MINIMUM_ADDED',
    'EXCLUSIVE_MINIMUM_REMOVED',
    'EXCLUSIVE_MINIMUM_INCREASED',
    'EXCLUSIVE_MINIMUM_DECREASED',
  ]);
  const om = a.multipleOf;
  const um = b.multipleOf;
  if (om !== um) {
    if (om === undefined) ctx.addAt('multipleOf', 'MULTIPLE_OF_ADDED');
    else if (um === undefined) ctx.addAt('multipleOf', 'MULTIPLE_OF_REMOVED');
    else {
      // Released NumberSchemaDiff tests divisibility on intValue() of both (update % original first).
      // An original below 1 truncates to 0 and Java throws ArithmeticException there; Confluent's
      // main branch answers such a pair by exact decimal division (SchemaDiffTest
      // testMultipleOfWithFractionalValueDoesNotThrow: 0.5 -> 10 is MULTIPLE_OF_EXPANDED), and so
      // do we. Every pair the released code does answer keeps its released answer.
      const oi = Math.trunc(om);
      const ui = Math.trunc(um);
      if (oi === 0) {
        if (isDecimalMultiple(um, om)) ctx.addAt('multipleOf', 'MULTIPLE_OF_EXPANDED');
        else if (isDecimalMultiple(om, um)) ctx.addAt('multipleOf', 'MULTIPLE_OF_REDUCED');
        else ctx.addAt('multipleOf', 'MULTIPLE_OF_CHANGED');
      } else if (ui % oi === 0) ctx.addAt('multipleOf', 'MULTIPLE_OF_EXPANDED');
      else if (ui !== 0 && oi % ui === 0) ctx.addAt('multipleOf', 'MULTIPLE_OF_REDUCED');
      else ctx.addAt('multipleOf', 'MULTIPLE_OF_CHANGED');
    }
  }
  if (a.requiresInteger !== b.requiresInteger) ctx.add(a.requiresInteger ? 'TYPE_EXTENDED' : 'TYPE_NARROWED');
}

function compareEnum(ctx: Ctx, a: EnumModel, b: EnumModel): void {
  const o = new Set(a.values);
  const u = new Set(b.values);
  const oInU = [...o].every((v) => u.has(v));
  const uInO = [...u].every((v) => o.has(v));
  if (oInU && uInO) return;
  if (oInU) ctx.addAt('enum', 'ENUM_ARRAY_EXTENDED');
  else if (uInO) ctx.addAt('enum', 'ENUM_ARRAY_NARROWED');
  else ctx.addAt('enum', 'ENUM_ARRAY_CHANGED');
}

function compareConst(ctx: Ctx, a: ConstModel, b: ConstModel): void {
  if (a.value !== b.value) ctx.addAt('const', 'ENUM_ARRAY_CHANGED');
}

function compareNot(ctx: Ctx, a: NotModel, b: NotModel): void {
  ctx.enter('not');
  // reversed: the update's `not` must reject at least what the original's rejected
  const sub = ctx.trial(b.side.load(b.mustNotMatch), a.side.load(a.mustNotMatch));
  ctx.add(sub.isCompatible() ? 'NOT_TYPE_NARROWED' : 'NOT_TYPE_EXTENDED');
  ctx.leave();
}
