/**
 * Internal types of the closure-compiled validator. A schema node compiles to one `Fn`; keywords
 * compile to `Fn`s that the node runs in sequence. No strings become code: only closures.
 */
import { ErrorCode, RegistryError } from '../../errors';
import type { ValidationError } from '../../validation';
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
  /** Subschema evaluations so far in this pass (bounded by the compiler's maxSteps). */
  steps: number;
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
 * A document whose validation needs more than `max` subschema evaluations in the fast pass: the
 * answer is unknown, so validate() throws this (HTTP 422, error_code 42201) instead of guessing
 * valid or invalid. In the error-collecting pass the verdict (invalid) is already known and the
 * error list is cut instead (index.ts).
 */
export class ValidationBudgetError extends RegistryError {
  constructor(readonly max: number) {
    super(
      ErrorCode.INVALID_SCHEMA,
      `Validation stopped after ${max} subschema evaluations: this schema is too costly for this document ` +
        '(shared definitions used many times over, or a very large document); the document was neither accepted nor rejected',
    );
    this.name = 'ValidationBudgetError';
  }
}

/** Thrown by a node closure when its pass has used up `max` evaluations. */
export function overBudget(max: number, instancePath: string): never {
  throw new StepsExceeded('maxSteps', `validation stopped after ${max} subschema evaluations; errors after this point are not listed`, instancePath);
}

/** `fn` counting one evaluation per call against the pass's budget (nodes fastNode does not fuse). */
export function counted(fn: Fn, max: number): Fn {
  return (d, ip, ev, cx) => {
    if (++cx.steps > max) overBudget(max, ip);
    return fn(d, ip, ev, cx);
  };
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
  if (typeof token === 'number') return '/' + token;
  return '/' + (token.includes('~') || token.includes('/') ? token.replace(/~/g, '~0').replace(/\//g, '~1') : token);
}

/** No enumerable member on Object.prototype (prototype pollution would add some). */
export function plainObjectPrototype(): boolean {
  for (const k in Object.prototype) return k === undefined;
  return true;
}
