/**
 * The Workers JSON Schema engine: no code generation. A schema is compiled once into closures
 * (callers cache the Validator by content hash in module scope); validate() runs a fast boolean pass
 * and, only when that fails, a second pass that collects every error with JSON pointers.
 */
import type { ValidationError, ValidationResult, Validator } from '../../validation';
import { RegexBudgetExceeded, type WorkBudget, workBudget } from '../budget';
import { DEFAULT_DRAFT, draftOf } from '../drafts';
import type { Draft, JsonParsedSchema } from '../types';
import { Compiler, type EngineOptions } from './compile';
import { Registry } from './registry';
import { checkExpansion } from './expansion';
import { type Ctx, type Fn, LimitExceeded, SchemaCompileError, StepsExceeded, ValidationBudgetError, plainObjectPrototype } from './types';
import { resolveUri, splitFragment } from './uri';

export { SchemaCompileError, ValidationBudgetError } from './types';
export type { EngineOptions } from './compile';
export { hasNestedQuantifier } from './regex';

export interface CompileSchemaOptions extends EngineOptions {
  /** Draft for documents without a known `$schema` (default draft-07, as Confluent). */
  draft?: Draft;
  /** Retrieval URI of the root document (default '': refs stay relative to the document). */
  baseUri?: string;
  /** Other documents by URI (referenced schemas, test-suite remotes). Meta-schemas are built in. */
  documents?: Iterable<readonly [string, unknown]>;
}

/** A compiled schema: the Validator plus the references it resolved (for diagnostics). */
export interface CompiledSchema extends Validator {
  /** Every $ref/$dynamicRef/$recursiveRef in the scanned documents, resolved (absolute) URI. */
  readonly refs: readonly { ref: string; uri: string; path: string }[];
  /**
   * `budget`: the request's (shared by every document and candidate of the request); without one,
   * a fresh budget for this call (the compile options' maxSteps / maxRegexSteps). Throws
   * ValidationBudgetError (42201) when the fast pass passes the budget: no verdict is made up.
   */
  validate(instance: unknown, budget?: WorkBudget): ValidationResult;
}

/** Compile a raw schema document. Throws SchemaCompileError (unresolvable $ref, bad regex, too big). */
export function compileSchema(root: unknown, options: CompileSchemaOptions = {}): CompiledSchema {
  const draft = draftOf(root, options.draft ?? DEFAULT_DRAFT);
  const base = splitFragment(options.baseUri ?? '')[0];
  const reg = new Registry(base);
  for (const [uri, doc] of options.documents ?? []) reg.add(uri, doc, draftOf(doc, draft));
  reg.add(base, root, draft, true);
  const compiler = new Compiler(reg, options);
  const t = reg.resolve(base);
  if (!t) throw new SchemaCompileError('root schema not found', '#');
  const fn = compiler.compile(t.node, t.loc);
  // every reference in the root document must resolve, even in definitions nothing uses yet
  for (const r of reg.refs) {
    if (!reg.resolve(r.uri)) throw new SchemaCompileError(`${r.path}: can't resolve reference ${r.ref}`, r.path);
  }
  checkExpansion(compiler);
  const limits = { maxSteps: compiler.maxSteps, maxRegexSteps: compiler.maxRegexSteps };
  return makeValidator(
    fn,
    limits,
    reg.refs.map((r) => ({ ref: r.ref, uri: r.uri, path: r.path })),
  );
}

const defaultCache = new WeakMap<JsonParsedSchema, CompiledSchema>();

/**
 * Compile a parsed registry schema (its referenced documents registered under their reference names,
 * resolved against the root's $id, as Confluent's loaders do). A schema parsed as stored
 * (`isNew: false`) compiles the patterns the engine refuses to failing keywords
 * (EngineOptions.storedSchema) unless the options say otherwise. Cached per parsed object for default
 * options, but for a stored schema: its validator is kept by the validator cache
 * (services/validators.ts), weighed as one, not tied to the parsed schema the parse cache keeps.
 */
export function compileValidator(parsed: JsonParsedSchema, options?: EngineOptions): CompiledSchema {
  const useCache = options === undefined && parsed.isNew !== false;
  if (useCache) {
    const hit = defaultCache.get(parsed);
    if (hit) return hit;
  }
  const v = compileSchema(parsed.root, {
    storedSchema: parsed.isNew === false,
    ...options,
    draft: parsed.draft,
    documents: referenceDocuments(parsed.root, parsed.referenced),
  });
  if (useCache) defaultCache.set(parsed, v);
  return v;
}

/** Confluent registers each reference under resolve($id of root, name), and json-sKema also under "./name". */
export function referenceDocuments(root: unknown, referenced: ReadonlyMap<string, unknown>): [string, unknown][] {
  const id = root !== null && typeof root === 'object' ? ((root as Record<string, unknown>).$id ?? (root as Record<string, unknown>).id) : undefined;
  const base = typeof id === 'string' ? splitFragment(id)[0] : '';
  const out: [string, unknown][] = [];
  for (const [name, doc] of referenced) {
    out.push([name, doc]);
    if (base) out.push([resolveUri(base, name), doc]);
    if (!/^[a-z][a-z0-9+.-]*:/i.test(name) && !name.startsWith('.')) out.push(['./' + name, doc]);
  }
  return out;
}

function makeValidator(fn: Fn, limits: { maxSteps: number; maxRegexSteps: number }, refs: CompiledSchema['refs']): CompiledSchema {
  const run = (instance: unknown, errors: ValidationError[] | null, budget: WorkBudget): boolean => {
    const plainProto = plainObjectPrototype();
    const cx: Ctx = { errors, dyn: [], depth: 0, refDepth: 0, steps: budget.steps, maxSteps: budget.maxSteps, budget, errorCount: 0, plainProto };
    try {
      return fn(instance, '', null, cx);
    } catch (e) {
      // Fast pass over a budget: valid or not is unknown, so no answer is made up (422).
      if (!errors && e instanceof StepsExceeded) throw new ValidationBudgetError(budget.maxSteps);
      if (!errors && e instanceof RegexBudgetExceeded) throw new ValidationBudgetError(e.max, 'regex');
      // A budget or maxErrors in the error pass: the verdict (invalid) stands, the list is cut here
      if (e instanceof LimitExceeded) {
        if (errors) errors.push({ instancePath: e.instancePath, schemaPath: '#', keyword: e.keyword, message: e.message });
        return false;
      }
      if (e instanceof RegexBudgetExceeded) {
        const message = `regular expression work passed its budget of ${e.max} units in this request; errors after this point are not listed`;
        if (errors) errors.push({ instancePath: '', schemaPath: '#', keyword: 'maxSteps', message });
        return false;
      }
      if (e instanceof RangeError) {
        // call stack exhausted despite the bounds: report, never crash the request
        if (errors) errors.push({ instancePath: '', schemaPath: '#', keyword: 'maxDepth', message: 'schema or instance too deeply nested' });
        return false;
      }
      throw e;
    } finally {
      budget.steps = cx.steps;
    }
  };
  return {
    refs,
    validate(instance: unknown, budget: WorkBudget = workBudget(limits)): ValidationResult {
      if (run(instance, null, budget)) return { valid: true, errors: [] };
      const errors: ValidationError[] = [];
      run(instance, errors, budget);
      if (errors.length === 0) errors.push({ instancePath: '', schemaPath: '#', keyword: 'schema', message: 'must match the schema' });
      return { valid: false, errors };
    },
  };
}
