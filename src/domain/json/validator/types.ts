/**
 * Internal types of the closure-compiled validator. A schema node compiles to one `Fn`; keywords
 * compile to `Fn`s that the node runs in sequence. No strings become code: only closures.
 */
import { ErrorCode, RegistryError } from '../../errors';
import type { ValidationError } from '../../validation';
import type { WorkBudget } from '../budget';
import { JSON_LIMITS } from '../limits';
import type { Draft } from '../types';

/** Evaluated-location annotations, tracked only where `unevaluated*` needs them (else `null`). */
export interface Ev {
  /** Property names evaluated so far; `null` until one is recorded. */
  props: Set<string> | null;
  allProps: boolean;
  /** Items [0, items) evaluated by prefix keywords. */
  items: number;
  allItems: boolean;
  /** Single item indexes evaluated by `contains` (2020-12). */
  itemSet: Set<number> | null;
}

export interface Ctx {
  /** Where errors go; `null` in the fast boolean pass (validity only, stop at first failure). */
  errors: ValidationError[] | null;
  /** Dynamic scope (schema resources entered), only maintained when a schema uses $dynamicRef/$recursiveRef. */
  dyn: Resource[];
  depth: number;
  refDepth: number;
  /** Subschema evaluations so far in the request: `budget.steps`, copied in and out around a pass. */
  steps: number;
  /** `budget.maxSteps`, where the hot path reads it. */
  maxSteps: number;
  /** The request's work budget; regular expression work is charged to it as it is done. */
  budget: WorkBudget;
  /** Errors created so far in this pass (bounded by JSON_LIMITS.maxValidationErrors). */
  errorCount: number;
  /** Object.prototype has no enumerable member: for-in over a plain object yields only own keys. */
  plainProto: boolean;
}

/** Validate `d` (at instance pointer `ip`); record annotations into `ev` when not null. */
export type Fn = (d: unknown, ip: string, ev: Ev | null, cx: Ctx) => boolean;

export interface Vocab {
  /** The resource's meta-schema omits the validation vocabulary: its keywords are ignored. */
  noValidation: boolean;
  /** The meta-schema lists the format-assertion vocabulary: `format` asserts. */
  formatAssert: boolean;
}

export interface Resource {
  /** Identifier without fragment ('' for an anonymous root document). */
  readonly uri: string;
  readonly root: unknown;
  readonly draft: Draft;
  /** $dynamicAnchor name -> schema node (2020-12). */
  readonly dynamicAnchors: Map<string, unknown>;
}

/** Where a schema node lives: its base URI, draft, resource and pointer (for error schemaPaths). */
export interface Loc {
  readonly base: string;
  readonly draft: Draft;
  readonly resource: Resource;
  /** Schema path for errors: "#/properties/a" in the root document, "<uri>#/..." elsewhere. */
  readonly path: string;
  readonly vocab: Vocab;
}

/** A subschema's compiled form, as the registry resolves it. */
interface Target {
  node: unknown;
  loc: Loc;
}

/**
 * What the keyword compilers (kw-*.ts, fast-*.ts, pattern.ts) need of the compiler: compile.ts
 * implements it and passes itself in, so they never import it (and the recursion through `child`
 * and `compile` makes no import cycle).
 */
export interface Compiling {
  readonly reg: {
    readonly hasDynamic: boolean;
    resolve(uri: string): Target | undefined;
    locOf(node: unknown, fallback: Loc): Loc;
  };
  /** Instance nesting bound (EngineOptions.maxInstanceDepth). */
  readonly maxDepth: number;
  readonly assertFormats: boolean;
  /**
   * A schema re-read from storage (registered before the linear-time engine refused some regex
   * constructs): a pattern the engine refuses compiles to a keyword that fails validation with the
   * reason, instead of a compile error.
   */
  readonly storedSchema: boolean;
  /** Compile the subschema `node` found at `path` below a schema at `parent`. */
  child(node: unknown, parent: Loc, path: string): Fn;
  compile(node: unknown, loc: Loc): Fn;
}

/** A schema could not be compiled (unresolvable $ref, invalid regex, too large). */
export class SchemaCompileError extends Error {
  constructor(
    message: string,
    readonly schemaPath: string,
  ) {
    super(message);
    this.name = 'SchemaCompileError';
  }
}

/** Thrown inside validation when a bound is exceeded; turned into one error by the caller. */
export class LimitExceeded extends Error {
  constructor(
    readonly keyword: string,
    message: string,
    readonly instancePath: string,
  ) {
    super(message);
  }
}

/** One pass evaluated more subschemas than its budget (see `overBudget`). */
export class StepsExceeded extends LimitExceeded {}

/**
 * A document whose validation passes a budget of the request in the fast pass: `max` subschema
 * evaluations (`steps`), or `max` units of regular expression work (`regex`). The answer is
 * unknown, so validate() throws this (HTTP 422, error_code 42201) instead of guessing valid or
 * invalid. In the error-collecting pass the verdict (invalid) is already known and the error list
 * is cut instead (index.ts).
 */
export class ValidationBudgetError extends RegistryError {
  constructor(
    readonly max: number,
    readonly budget: 'steps' | 'regex' = 'steps',
  ) {
    super(
      ErrorCode.INVALID_SCHEMA,
      budget === 'steps'
        ? `Validation stopped after ${max} subschema evaluations in this request: this schema is too costly for this document ` +
            '(shared definitions used many times over, or a very large document or batch); the document was neither accepted nor rejected'
        : `Validation stopped after ${max} units of regular expression work in this request: a pattern of this schema is too costly for ` +
            'these strings (docs/json-schema.md, "Regular expressions"); the document was neither accepted nor rejected',
    );
    this.name = 'ValidationBudgetError';
  }
}

/** Thrown by a node closure when its pass has used up `max` evaluations. */
export function overBudget(max: number, instancePath: string): never {
  throw new StepsExceeded('maxSteps', `validation stopped after ${max} subschema evaluations; errors after this point are not listed`, instancePath);
}

/** `fn` counting one evaluation per call against the request's budget (nodes fastNode does not fuse). */
export function counted(fn: Fn): Fn {
  return (d, ip, ev, cx) => {
    if (++cx.steps > cx.maxSteps) overBudget(cx.maxSteps, ip);
    return fn(d, ip, ev, cx);
  };
}

const MAX_ERRORS = JSON_LIMITS.maxValidationErrors;

/** Push an error (only when collecting) and return false. */
export function fail(cx: Ctx, ip: string, schemaPath: string, keyword: string, message: string): false {
  if (cx.errors) {
    // every error object is created here: bounding them bounds the error pass's memory
    if (++cx.errorCount > MAX_ERRORS) throw new LimitExceeded('maxErrors', `more than ${MAX_ERRORS} errors; the rest are not listed`, ip);
    cx.errors.push({ instancePath: ip, schemaPath, keyword, message });
  }
  return false;
}

export function newEv(): Ev {
  return { props: null, allProps: false, items: 0, allItems: false, itemSet: null };
}

/** Merge a branch's annotations. `from` is always a discarded local: its Sets are adopted, not copied. */
export function mergeEv(into: Ev, from: Ev): void {
  if (from.allProps) into.allProps = true;
  else if (from.props && !into.allProps) {
    if (!into.props) into.props = from.props;
    else for (const p of from.props) into.props.add(p);
  }
  if (from.allItems) into.allItems = true;
  else if (!into.allItems) {
    if (from.items > into.items) into.items = from.items;
    if (from.itemSet) {
      if (!into.itemSet) into.itemSet = from.itemSet;
      else for (const i of from.itemSet) into.itemSet.add(i);
    }
  }
}

export function addProp(ev: Ev, name: string): void {
  if (ev.allProps) return;
  (ev.props ??= new Set()).add(name);
}

/** RFC 6901 token escaping. */
export function ptr(token: string | number): string {
  if (typeof token === 'number') return `/${token}`;
  return '/' + (token.includes('~') || token.includes('/') ? token.replace(/~/g, '~0').replace(/\//g, '~1') : token);
}

/** No enumerable member on Object.prototype (prototype pollution would add some). */
export function plainObjectPrototype(): boolean {
  // for-in over Object.prototype (whose prototype is null) visits exactly its own enumerable keys
  return Object.keys(Object.prototype).length === 0;
}
