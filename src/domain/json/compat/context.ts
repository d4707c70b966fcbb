/**
 * Comparison state, after Confluent's diff Context: a JSON path stack, the differences found so
 * far, and (shared by every sub-context of one run) the memo of compared pairs.
 *
 * Memoization (Context.compareMemoized on Confluent's main branch): each (original, update) model
 * pair is compared once; its differences are stored relative to the pair and rebased onto the
 * path of every later use. A pair met again while it is still being compared is a `$ref` cycle:
 * it is answered with the current assumption (first: no differences). Because an optimistic
 * assumption can hide a real incompatibility behind a cycle, the whole comparison is repeated with
 * the results found for the cycle pairs until they stop changing (a greatest fixed point, as
 * Confluent's SchemaDiff.compare does), see index.ts.
 *
 * Bounds: the check's WorkBudget (budget.ts) counts distinct pair comparisons (maxCompatPairs) and
 * differences materialized, re-based copies included (maxCompatDifferences), over every pass and
 * every version of the check; JSON_LIMITS.maxCompatDepth bounds nested comparisons. Beyond them the
 * check stops with a SchemaParseError (42201) instead of burning the request's CPU and memory.
 */
import { SchemaParseError } from '../../errors';
import type { WorkBudget } from '../budget';
import { JSON_LIMITS } from '../limits';
import type { DiffType, Difference } from './differences';
import type { Model } from './model';

const MAX_DEPTH = JSON_LIMITS.maxCompatDepth;

/** SchemaDiff.compare (diff.ts), reached through the context so the per-kind files need not import it. */
export type CompareFn = (ctx: Ctx, original: Model | null, update: Model | null) => void;

/** The difference types a bound keyword reports: added, removed, increased, decreased. */
export type BoundTypes = readonly [added: DiffType, removed: DiffType, increased: DiffType, decreased: DiffType];

export class Run {
  readonly memo = new Map<string, Difference[]>();
  readonly inProgress = new Set<string>();
  /** Pairs that were met while in progress (cycle edges) during this run. */
  readonly cycleHits = new Set<string>();
  private readonly ids = new Map<Model, number>();
  depth = 0;

  constructor(
    readonly compatible: ReadonlySet<DiffType>,
    /** Results assumed for cycle pairs (from the previous pass of the fixed-point iteration). */
    readonly assumed: ReadonlyMap<string, Difference[]>,
    /** The check's budget: shared by every pass and every pair of schemas of the check. */
    readonly budget: WorkBudget,
    /** The recursive comparison (diff.ts `compare`). */
    readonly compare: CompareFn,
  ) {}

  key(a: Model, b: Model): string {
    return `${this.id(a)}:${this.id(b)}`;
  }

  private id(m: Model): number {
    let id = this.ids.get(m);
    if (id === undefined) {
      id = this.ids.size + 1;
      this.ids.set(m, id);
    }
    return id;
  }

  countPair(): void {
    const b = this.budget;
    if (++b.compatPairs > b.maxCompatPairs) {
      throw new SchemaParseError(`JSON schema compatibility check gave up: more than ${b.maxCompatPairs} subschema comparisons (schema too complex)`);
    }
  }

  enter(): void {
    if (++this.depth > MAX_DEPTH) {
      throw new SchemaParseError(`JSON schema compatibility check gave up: schemas nested deeper than ${MAX_DEPTH} levels`);
    }
  }

  leave(): void {
    this.depth--;
  }

  /**
   * Count `n` differences about to be stored. A memoized pair's differences are copied onto every
   * path that reaches the pair: a definition used twice per level, 30 levels deep, would be listed
   * 2^30 times (each with its own path), so copies count as much as new differences.
   */
  materialize(n: number): void {
    const b = this.budget;
    b.compatDifferences += n;
    if (b.compatDifferences > b.maxCompatDifferences) {
      throw new SchemaParseError(
        `JSON schema compatibility check gave up: more than ${b.maxCompatDifferences} differences (shared definitions repeat their differences on every path that uses them)`,
      );
    }
  }
}

export class Ctx {
  readonly diffs: Difference[] = [];

  constructor(
    readonly run: Run,
    private readonly path: string[] = [],
  ) {}

  /** A context at the same path collecting its own differences (Context.getSubcontext()). */
  sub(): Ctx {
    return new Ctx(this.run, [...this.path]);
  }

  /** SchemaDiff.compare(ctx, original, update) here; `null` is an absent schema. */
  compare(original: Model | null, update: Model | null): void {
    this.run.compare(this, original, update);
  }

  /** `compare` in a sub-context, whose differences (and whether they are all allowed) the caller weighs. */
  trial(original: Model | null, update: Model | null): Ctx {
    const sub = this.sub();
    this.run.compare(sub, original, update);
    return sub;
  }

  /** The ADDED / REMOVED / INCREASED / DECREASED pattern every bound keyword follows. */
  bound(keyword: string, o: number | undefined, u: number | undefined, types: BoundTypes): void {
    if (o === u) return;
    if (o === undefined) this.addAt(keyword, types[0]);
    else if (u === undefined) this.addAt(keyword, types[1]);
    else if (o < u) this.addAt(keyword, types[2]);
    else if (o > u) this.addAt(keyword, types[3]);
  }

  /** A context rooted at a compared pair (paths relative to it). */
  fresh(): Ctx {
    return new Ctx(this.run, []);
  }

  enter(segment: string): void {
    this.path.push(segment);
  }

  leave(): void {
    this.path.pop();
  }

  pathString(): string {
    return `#/${this.path.join('/')}`;
  }

  add(type: DiffType): void {
    this.run.materialize(1);
    this.diffs.push({ type, path: this.pathString() });
  }

  /** Context.addDifference(attribute, type): the attribute is one more path segment. */
  addAt(attribute: string, type: DiffType): void {
    this.path.push(attribute);
    this.add(type);
    this.path.pop();
  }

  addAll(diffs: readonly Difference[]): void {
    this.run.materialize(diffs.length);
    for (const d of diffs) this.diffs.push(d);
  }

  /** Context.addDifferencesRebased: relative paths ("#/x") re-rooted at the current path. */
  addRebased(relative: readonly Difference[]): void {
    this.run.materialize(relative.length);
    if (this.path.length === 0) {
      for (const d of relative) this.diffs.push(d);
      return;
    }
    const prefix = this.pathString();
    for (const d of relative) {
      this.diffs.push({ type: d.type, path: d.path.length <= 2 ? prefix : `${prefix}/${d.path.slice(2)}` });
    }
  }

  isCompatible(): boolean {
    return isCompatible(this.diffs, this.run.compatible);
  }
}

export function isCompatible(diffs: readonly Difference[], compatible: ReadonlySet<DiffType>): boolean {
  return diffs.every((d) => compatible.has(d.type));
}
