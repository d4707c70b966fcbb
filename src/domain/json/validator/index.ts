/**
 * The Workers JSON Schema engine: no code generation. A schema is compiled once into closures
 * (callers cache the Validator by content hash in module scope); validate() runs a fast boolean pass
 * and, only when that fails, a second pass that collects every error with JSON pointers.
 */
import type { ValidationError, ValidationResult, Validator } from '../../validation';
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
  return makeValidator(fn, compiler.maxSteps, reg.refs.map((r) => ({ ref: r.ref, uri: r.uri, path: r.path })));
}

const defaultCache = new WeakMap<JsonParsedSchema, CompiledSchema>();

/**
 * Compile a parsed registry schema (its referenced documents registered under their reference names,
 * resolved against the root's $id, as Confluent's loaders do). Cached per parsed object for default options.
 */
export function compileValidator(parsed: JsonParsedSchema, options?: EngineOptions): CompiledSchema {
  const useCache = options === undefined;
  if (useCache) {
    const hit = defaultCache.get(parsed);
    if (hit) return hit;
  }
  const v = compileSchema(parsed.root, { ...options, draft: parsed.draft, documents: referenceDocuments(parsed.root, parsed.referenced) });
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

function makeValidator(fn: Fn, maxSteps: number, refs: CompiledSchema['refs']): CompiledSchema {
  const run = (instance: unknown, errors: ValidationError[] | null): boolean => {
    const cx: Ctx = { errors, dyn: [], depth: 0, refDepth: 0, steps: 0, errorCount: 0, plainProto: plainObjectPrototype() };
    try {
      return fn(instance, '', null, cx);
    } catch (e) {
      // Fast pass over its step budget: valid or not is unknown, so no answer is made up (422).
      if (e instanceof StepsExceeded && !errors) throw new ValidationBudgetError(maxSteps);
      if (e instanceof LimitExceeded) {
        // maxSteps / maxErrors in the error pass: the verdict (invalid) stands, the list is cut here
        if (errors) errors.push({ instancePath: e.instancePath, schemaPath: '#', keyword: e.keyword, message: e.message });
        return false;
      }
      if (e instanceof RangeError) {
        // call stack exhausted despite the bounds: report, never crash the request
        if (errors) errors.push({ instancePath: '', schemaPath: '#', keyword: 'maxDepth', message: 'schema or instance too deeply nested' });
        return false;
      }
      throw e;
    }
  };
  return {
    refs,
    /** Throws ValidationBudgetError (42201) when the fast pass exceeds its step budget. */
    validate(instance: unknown): ValidationResult {
      if (run(instance, null)) return { valid: true, errors: [] };
      const errors: ValidationError[] = [];
      run(instance, errors);
      if (errors.length === 0) errors.push({ instancePath: '', schemaPath: '#', keyword: 'schema', message: 'must match the schema' });
      return { valid: false, errors };
    },
  };
}
