/**
 * Node-only JSON Schema engine: ajv (code generation, so never on Workers) behind the same Validator
 * interface as the Workers engine (src/domain/json/validator). Used by tooling, tests and benchmarks.
 * Drafts: ajv-draft-04 (draft-04), Ajv (draft-07, plus the draft-06 meta-schema), Ajv2019 (2019-09),
 * Ajv2020 (2020-12). The remaining differences from the official test suite are ajv 8 limitations,
 * listed with their reasons in AJV_SKIPS (test/unit/json/test-suite.test.ts).
 */
import Ajv, { type ErrorObject, type Options, type Schema } from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import type AjvCore from 'ajv/dist/core';
import draft06Meta from 'ajv/dist/refs/json-schema-draft-06.json';
import addFormats from 'ajv-formats';
import { draftOf } from '../domain/json/drafts';
import type { Draft, JsonParsedSchema } from '../domain/json/types';
import { referenceDocuments } from '../domain/json/validator/index';
import type { ValidationResult, Validator } from '../domain/validation';

export interface AjvValidatorOptions {
  draft?: Draft;
  /** Other documents by URI (referenced schemas, test-suite remotes). */
  documents?: Iterable<readonly [string, unknown]>;
  formats?: 'annotate' | 'assert';
}

/**
 * The ajv options the engine uses (exported so benchmarks can build the same instances).
 * - strict: false — unknown keywords and formats are ignored, as the specification requires.
 * - ownProperties — `properties`/`required`/`dependencies` look at own properties only, so
 *   `{}` has no `toString` or `constructor` (ajv's default tests `data[p] !== undefined`).
 * - ignoreKeywordsWithRef (draft-04/06/07) — in those drafts `$ref` replaces its siblings.
 * - unicodeRegExp — patterns are compiled with the `u` flag (code points, \p{...}).
 */
function ajvOptions(draft: Draft, formats: boolean): Options {
  const refOverridesSiblings = draft === 'draft-04' || draft === 'draft-06' || draft === 'draft-07';
  return {
    strict: false,
    allErrors: true,
    validateFormats: formats,
    logger: false,
    unicodeRegExp: true,
    ownProperties: true,
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- ajv 8 deprecates it without a replacement; it is the only way to get draft-04/06/07 $ref semantics
    ignoreKeywordsWithRef: refOverridesSiblings,
  };
}

function ajvFor(draft: Draft, opts: Options): AjvCore {
  switch (draft) {
    case 'draft-04':
      return new AjvDraft04(opts);
    case '2019-09':
      return new Ajv2019(opts);
    case '2020-12':
      return new Ajv2020(opts);
    case 'draft-06':
    case 'draft-07': {
      const ajv = new Ajv(opts);
      ajv.addMetaSchema(draft06Meta);
      return ajv;
    }
  }
}

export function newAjv(draft: Draft, formats: boolean): AjvCore {
  const ajv = ajvFor(draft, ajvOptions(draft, formats));
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

function knowsMetaSchema(ajv: AjvCore, $schema: unknown): boolean {
  if (typeof $schema !== 'string') return true;
  const key = $schema.replace(/#$/, '');
  return ajv.schemas[key] !== undefined || ajv.refs[key] !== undefined;
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
      // Registered under its retrieval URI (ajv also registers it under its own $id). A document is
      // checked against its meta-schema when this instance knows it; one declaring another draft (a
      // cross-draft reference) is registered unchecked, rather than half-registered by an addSchema
      // that throws "no schema with key or ref". One ajv instance implements one draft, so ajv applies
      // this instance's keywords to it either way.
      ajv.addSchema(doc, uri, undefined, knowsMetaSchema(ajv, (doc as { $schema?: unknown }).$schema));
    } catch {
      // same $id under two names (e.g. "x.json" and "./x.json"): the first registration serves both
    }
  }
  // Schema, not AnySchema: registry schemas are never `$async`, so validation is synchronous.
  const fn = ajv.compile(root as Schema);
  return { validate: (instance) => toResult(fn(instance), fn.errors) };
}

/** ajv engine for a registry-parsed schema (references registered as Confluent does). */
export function ajvValidatorFor(parsed: JsonParsedSchema, options: Omit<AjvValidatorOptions, 'draft' | 'documents'> = {}): Validator {
  return ajvValidator(parsed.root, { ...options, draft: parsed.draft, documents: referenceDocuments(parsed.root, parsed.referenced) });
}
