/**
 * Validate a schema document against its draft's meta-schema with our own engine (bundled meta-schemas,
 * compiled once per draft in module scope). The message names the first, most specific problem as
 * a JSON pointer into the schema plus the reason.
 */
import type { ValidationError } from '../validation';
import { META_SCHEMA_URI } from './drafts';
import { META_DOCUMENTS } from './meta/index';
import type { Draft } from './types';
import { type CompiledSchema, compileSchema } from './validator/index';

const metaValidators = new Map<Draft, CompiledSchema>();

function metaValidator(draft: Draft): CompiledSchema {
  let v = metaValidators.get(draft);
  if (!v) {
    const uri = META_SCHEMA_URI[draft];
    // no budget: the meta-schema is fixed and trusted (its few patterns are simple), so the work is
    // linear in the document (itself bounded by JSON_LIMITS), and a large honest schema must not fail for its size
    v = compileSchema(META_DOCUMENTS.get(uri), { baseUri: uri, draft, maxSteps: Infinity, maxRegexSteps: Infinity });
    metaValidators.set(draft, v);
  }
  return v;
}

const COMBINATORS = new Set(['anyOf', 'oneOf', 'allOf', 'not', 'if', '$ref', 'false schema', 'schema']);

/** undefined if valid, else "<pointer>: <reason>". */
export function metaSchemaProblem(doc: unknown, draft: Draft): string | undefined {
  const r = metaValidator(draft).validate(doc);
  if (r.valid) return undefined;
  const best = pickError(r.errors);
  return `#${best.instancePath}: ${best.message}${best.keyword === 'enum' ? enumHint(best) : ''}`;
}

/** The deepest location; there, a concrete keyword rather than a combinator's summary. */
function pickError(errors: ValidationError[]): ValidationError {
  const depth = (e: ValidationError) => (e.instancePath === '' ? 0 : e.instancePath.split('/').length);
  let max = -1;
  for (const e of errors) max = Math.max(max, depth(e));
  const deepest = errors.filter((e) => depth(e) === max);
  return deepest.find((e) => !COMBINATORS.has(e.keyword)) ?? deepest[0];
}

function enumHint(e: ValidationError): string {
  // the meta-schemas' only enum is simpleTypes
  return e.schemaPath.includes('simpleTypes') ? ' (array, boolean, integer, null, number, object, string)' : '';
}
