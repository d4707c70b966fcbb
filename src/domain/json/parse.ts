/**
 * Parsing a JSON Schema for the registry: bounded JSON text -> canonical string (Confluent's
 * canonicalString()), draft from `$schema` (default draft-07), meta-schema validation, references
 * collected transitively, and for a new schema every `$ref` resolved and every regex compiled (by
 * compiling the validator, which is then cached for this parsed schema). All failures are
 * SchemaParseError (42201).
 * A stored schema (`isNew: false`) passed all that when it was registered: it is not compiled until
 * something validates against it (validatorOf), since a compatibility check over its history never
 * does (compiling is most of parsing, and the compiled validator doubles what a parsed schema holds);
 * and then a regex the linear-time engine refuses is kept (see JsonParsedSchema.isNew).
 */
import { SchemaParseError } from '../errors';
import type { ParseOptions, ResolvedReference } from '../format';
import { draftOf } from './drafts';
import { JSON_LIMITS } from './limits';
import { metaSchemaProblem } from './meta-validate';
import { toValue, type JNode } from './text/ast';
import { jacksonString } from './text/jackson';
import { JsonTextError, parseJsonText } from './text/parse';
import type { JsonParsedSchema } from './types';
import { type CompiledSchema, SchemaCompileError, compileValidator } from './validator/index';

const LIMITS = { maxChars: JSON_LIMITS.maxSchemaChars, maxDepth: JSON_LIMITS.maxSchemaDepth };

function readTree(text: string, what: string): JNode {
  try {
    return parseJsonText(text, LIMITS);
  } catch (e) {
    if (e instanceof JsonTextError) throw new SchemaParseError(`Invalid JSON${what}: ${e.message}`);
    throw e;
  }
}

function isSchemaShape(v: unknown): boolean {
  return typeof v === 'boolean' || (v !== null && typeof v === 'object' && !Array.isArray(v));
}

/** name -> document, over the whole reference tree (Confluent resolves references into one flat map). */
function collectReferences(references: readonly ResolvedReference[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const stack = [...references].reverse();
  let seen = 0;
  for (let r = stack.pop(); r !== undefined; r = stack.pop()) {
    if (out.has(r.name)) continue;
    if (++seen > JSON_LIMITS.maxReferencedDocuments) {
      throw new SchemaParseError(`Too many referenced schemas (more than ${JSON_LIMITS.maxReferencedDocuments})`);
    }
    const doc = toValue(readTree(r.schema, ` in referenced schema '${r.name}'`));
    if (!isSchemaShape(doc)) throw new SchemaParseError(`Invalid referenced schema '${r.name}': a JSON Schema must be an object or a boolean`);
    out.set(r.name, doc);
    for (let i = r.references.length - 1; i >= 0; i--) stack.push(r.references[i]);
  }
  return out;
}

export function parseJsonSchema(text: string, references: readonly ResolvedReference[] = [], options: ParseOptions = {}): JsonParsedSchema {
  const tree = readTree(text, '');
  const root = toValue(tree);
  if (!isSchemaShape(root)) throw new SchemaParseError('Invalid JSON Schema: a schema must be a JSON object or a boolean');
  const draft = draftOf(root);
  if (typeof root === 'object') {
    const problem = metaSchemaProblem(root, draft);
    if (problem) throw new SchemaParseError(`Invalid JSON Schema (${draft}): ${problem}`);
  }
  const referenced = collectReferences(references);
  const isNew = options.isNew !== false;
  // A new schema's canonical text is what gets stored: printed now. A stored one parsed for a
  // comparison needs it only to describe an incompatibility: printed (from its text) when asked.
  let canonical = isNew ? jacksonString(tree) : undefined;
  let normalized: string | undefined;
  const parsed: JsonParsedSchema = {
    type: 'JSON',
    draft,
    root,
    referenced,
    get canonical(): string {
      canonical ??= jacksonString(readTree(text, ''));
      return canonical;
    },
    isNew,
    normalized() {
      // Confluent: re-read canonicalString() with a key-sorting node factory
      return (normalized ??= jacksonString(readTree(parsed.canonical, ''), true));
    },
  };
  if (parsed.isNew) validatorOf(parsed);
  return parsed;
}

/** The parsed schema's validator (compiled once per parsed schema, then cached), a failure to compile as 42201. */
export function validatorOf(parsed: JsonParsedSchema): CompiledSchema {
  try {
    return compileValidator(parsed);
  } catch (e) {
    if (e instanceof SchemaCompileError) throw new SchemaParseError(`Invalid JSON Schema: ${e.message}`);
    // the engine's stack despite JSON_LIMITS.maxCompileDepth (a smaller stack than assumed): still a clear 42201
    if (e instanceof RangeError) throw new SchemaParseError(`Invalid JSON Schema: subschemas nested too deeply to compile (${e.message})`);
    throw e;
  }
}
