/**
 * Node-only JSON Schema engine: ajv (code generation, so never on Workers) behind the same Validator
 * interface as the Workers engine (src/domain/json/validator). Used by tooling, tests and benchmarks.
 * Drafts: Ajv (draft-07, plus the draft-06 meta-schema), Ajv2019 (2019-09), Ajv2020 (2020-12).
 * draft-04 needs the separate ajv-draft-04 package, which is not installed: compiling a draft-04
 * schema throws AjvDraftUnsupported.
 */
import Ajv, { type AnySchema, type ErrorObject, type Options } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import draft06Meta from 'ajv/dist/refs/json-schema-draft-06.json';
import addFormats from 'ajv-formats';
import { draftOf } from '../domain/json/drafts';
import type { Draft, JsonParsedSchema } from '../domain/json/types';
import { referenceDocuments } from '../domain/json/validator/index';
import type { ValidationResult, Validator } from '../domain/validation';

export class AjvDraftUnsupported extends Error {}

export interface AjvValidatorOptions {
  draft?: Draft;
  /** Other documents by URI (referenced schemas, test-suite remotes). */
  documents?: Iterable<readonly [string, unknown]>;
  formats?: 'annotate' | 'assert';
}

function newAjv(draft: Draft, formats: boolean): Ajv {
  const opts: Options = { strict: false, allErrors: true, validateFormats: formats, logger: false, unicodeRegExp: true };
  let ajv: Ajv;
  if (draft === '2020-12') ajv = new Ajv2020(opts);
  else if (draft === '2019-09') ajv = new Ajv2019(opts);
  else if (draft === 'draft-07' || draft === 'draft-06') {
    ajv = new Ajv(opts);
    ajv.addMetaSchema(draft06Meta);
  } else throw new AjvDraftUnsupported(`${draft} is not supported by the ajv engine (ajv-draft-04 is not installed)`);
  addFormats(ajv);
  return ajv;
}

function toResult(valid: boolean, errors: ErrorObject[] | null | undefined): ValidationResult {
  if (valid) return { valid: true, errors: [] };
  return {
    valid: false,
    errors: (errors ?? []).map((e) => ({
      instancePath: e.instancePath,
      schemaPath: e.schemaPath,
      keyword: e.keyword,
      message: e.message ?? e.keyword,
    })),
  };
}

/** Compile a raw schema with ajv. Throws on invalid schemas and unresolvable references. */
export function ajvValidator(root: unknown, options: AjvValidatorOptions = {}): Validator {
  const draft = draftOf(root, options.draft);
  const ajv = newAjv(draft, options.formats === 'assert');
  const seen = new Set<string>();
  for (const [uri, doc] of options.documents ?? []) {
    if (seen.has(uri) || typeof doc !== 'object' || doc === null) continue;
    seen.add(uri);
    try {
      // ajv registers a document under its own $id as well; a duplicate id is not an error for us
      ajv.addSchema(doc as AnySchema, uri);
    } catch {
      // same $id under two names (e.g. "x.json" and "./x.json"): the first registration serves both
    }
  }
  const fn = ajv.compile(root as AnySchema);
  return { validate: (instance) => toResult(fn(instance) as boolean, fn.errors) };
}

/** ajv engine for a registry-parsed schema (references registered as Confluent does). */
export function ajvValidatorFor(parsed: JsonParsedSchema, options: Omit<AjvValidatorOptions, 'draft' | 'documents'> = {}): Validator {
  return ajvValidator(parsed.root, { ...options, draft: parsed.draft, documents: referenceDocuments(parsed.root, parsed.referenced) });
}
