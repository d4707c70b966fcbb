/**
 * JSON Schema compatibility, as Confluent's json-schema-provider decides it
 * (JsonSchema.isBackwardCompatible -> SchemaDiff.compare, filtered by the policy's allowed-change
 * set, formatted by SchemaValidatorBuilder). See docs/json-schema-compatibility.md.
 *
 * - BACKWARD: the candidate (new) must read data written with the previous (old) schema:
 *   diff(original = previous, update = candidate), messages with reader "new" and writer "old".
 * - FORWARD: the previous must read the candidate's data: diff(original = candidate,
 *   update = previous), reader "old", writer "new".
 * - FULL: FORWARD's messages, then BACKWARD's (SchemaValidatorBuilder.mutualReadStrategy order).
 * The "{oldSchemaVersion: n}" / "{oldSchema: '...'}" / "{compatibility: '...'}" lines Confluent
 * appends belong to the registry core, not to this function.
 */
import { type Direction, inDirection } from '../../format';
import { type WorkBudget, workBudget } from '../budget';
import type { JsonParsedSchema } from '../types';
import { Ctx, isCompatible, Run } from './context';
import { compare } from './diff';
import { type Difference, type Policy, compatibleSet } from './differences';
import { Side } from './loader';
import { formatDifference } from './messages';

export type { Difference, DiffType, Policy } from './differences';
export { COMPATIBLE_CHANGES_LENIENT, COMPATIBLE_CHANGES_STRICT, DIFF_TYPES } from './differences';
export { formatDifference } from './messages';

/** Passes of the cycle fixed-point iteration; each pass is polynomial thanks to memoization. */
const MAX_PASSES = 8;

type SchemaInput = Pick<JsonParsedSchema, 'root' | 'referenced' | 'draft'>;

/**
 * The sides loaded during one check, by the check's budget (one per check, shared by every version
 * it compares with): a transitive check compares the same candidate with every version, and FULL
 * compares each pair both ways, so the last two sides loaded are kept (the candidate and the
 * version it is being compared with) and each schema is loaded once per check, not once per
 * comparison. Two at most, so a check holds no more models than one comparison did. A side's models
 * depend on its schema only (their numbering for memo keys is per Run).
 */
const sidesByCheck = new WeakMap<WorkBudget, [SchemaInput, Side][]>();

function sideOf(schema: SchemaInput, budget: WorkBudget): Side {
  let recent = sidesByCheck.get(budget);
  if (recent === undefined) {
    recent = [];
    sidesByCheck.set(budget, recent);
  }
  const at = recent.findIndex(([s]) => s === schema);
  const side = at === -1 ? new Side(schema.root, schema.referenced, schema.draft) : recent[at][1];
  if (at !== -1) recent.splice(at, 1);
  recent.push([schema, side]);
  if (recent.length > 2) recent.shift();
  return side;
}

/**
 * Every difference between `original` (the writer's schema) and `update` (the reader's), compatible
 * or not, in Confluent's order: the equivalent of SchemaDiff.compare(policySet, original, update).
 * `budget`: the check's (shared with the other pairs of the check); fresh when absent.
 */
export function schemaDiff(original: SchemaInput, update: SchemaInput, policy: Policy = 'STRICT', budget: WorkBudget = workBudget()): Difference[] {
  const compatible = compatibleSet(policy);
  const a = sideOf(original, budget);
  const b = sideOf(update, budget);
  let assumed = new Map<string, Difference[]>();
  let result: Difference[] = [];
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const run = new Run(compatible, assumed, budget, compare);
    const ctx = new Ctx(run);
    compare(ctx, a.load(original.root), b.load(update.root));
    result = ctx.diffs;
    // An incompatible verdict cannot be undone by more passes (assumptions only get stricter): keep
    // the first, least repetitive answer. A compatible one is only trusted if no cycle pair turned
    // out incompatible while the pass had assumed it compatible.
    if (!isCompatible(result, compatible)) break;
    let stable = true;
    const next = new Map<string, Difference[]>();
    for (const key of run.cycleHits) {
      const computed = run.memo.get(key) ?? [];
      next.set(key, computed);
      const before = assumed.get(key) ?? [];
      if (isCompatible(computed, compatible) !== isCompatible(before, compatible)) stable = false;
    }
    if (stable) break;
    assumed = next;
  }
  return result;
}

/** The differences of `schemaDiff` that the policy does not allow. */
export function incompatibleDifferences(original: SchemaInput, update: SchemaInput, policy: Policy = 'STRICT', budget?: WorkBudget): Difference[] {
  const allowed = compatibleSet(policy);
  return schemaDiff(original, update, policy, budget).filter((d) => !allowed.has(d.type));
}

/**
 * Confluent's verbose incompatibility messages of `candidate` against `previous` for one direction;
 * empty = compatible. Throws SchemaParseError on an unresolvable `$ref` or when the comparison
 * exceeds its work bounds: `budget` (the check's, shared by all the versions it compares with;
 * fresh when absent), JSON_LIMITS.maxCompatDepth.
 */
export function jsonSchemaCompatibility(
  candidate: JsonParsedSchema,
  previous: JsonParsedSchema,
  direction: Direction,
  policy: 'STRICT' | 'LENIENT' = 'STRICT',
  budget: WorkBudget = workBudget(),
): string[] {
  const backward = () => incompatibleDifferences(previous, candidate, policy, budget).map((d) => formatDifference(d.type, d.path, 'new', 'old'));
  const forward = () => incompatibleDifferences(candidate, previous, policy, budget).map((d) => formatDifference(d.type, d.path, 'old', 'new'));
  return inDirection(direction, backward, forward);
}
