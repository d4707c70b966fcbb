/**
 * Walking a JSON Schema document: which keywords hold subschemas (JSON Schema 2020-12 "Core"
 * section 10 and "Validation"; draft-04..07 spellings included), bounds on size and depth,
 * and a JSON-safe clone. Refs are never followed here, so cycles cannot loop.
 */
import { ErrorCode, RegistryError } from '../../errors';
import { child, isPlainObject } from '../pointer';
import type { JsonObject } from './types';

/** Keywords whose value is one subschema. */
const SINGLE = [
  'additionalProperties',
  'additionalItems',
  'unevaluatedProperties',
  'unevaluatedItems',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
  'contentSchema',
] as const;
/** Keywords whose value is an array of subschemas. */
const ARRAY = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const;
/** Keywords whose value maps names to subschemas. */
const MAP = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'] as const;

/**
 * Bounds of one export (docs/llm-gateway.md, "Exports"). Every walk here is a tree walk that never
 * follows `$ref`, so it is linear in the document, which the first two bounds cap; the Gemini
 * required-cycle search is the one walk that starts again below every `$ref` target.
 */
export const EXPORT_LIMITS = {
  /** Most nested JSON values accepted in a schema document (else 42222). */
  maxDepth: 128,
  /** Most JSON values (objects, arrays, scalars) accepted in a schema document (else 42209). */
  maxNodes: 200_000,
  /**
   * Nodes visited by one Gemini required-cycle search, all rounds of `fix` included (else 42209):
   * it walks the subtree of each `$ref` target, and nested targets share their subtrees.
   */
  maxCycleSearchSteps: 2_000_000,
} as const;

/** Most nested JSON values accepted in a schema document. */
export const MAX_SCHEMA_JSON_DEPTH = EXPORT_LIMITS.maxDepth;
/** Most JSON values (objects, arrays, scalars) accepted in a schema document. */
export const MAX_SCHEMA_JSON_NODES = EXPORT_LIMITS.maxNodes;

export interface Subschema {
  node: unknown;
  path: string;
  /** The keyword that holds it ("properties", "items", "anyOf", ...). */
  keyword: string;
  /** Property / definition name for map keywords. */
  name?: string;
}

/** The direct subschemas of a schema node, in document order of their keywords. */
export function subschemas(node: unknown, path: string): Subschema[] {
  if (!isPlainObject(node)) return [];
  const out: Subschema[] = [];
  for (const key of Object.keys(node)) {
    const v = node[key];
    if ((SINGLE as readonly string[]).includes(key)) {
      if (isPlainObject(v) || typeof v === 'boolean') out.push({ node: v, path: child(path, key), keyword: key });
    } else if (key === 'items') {
      if (Array.isArray(v)) v.forEach((s, i) => out.push({ node: s, path: child(child(path, key), i), keyword: key }));
      else if (isPlainObject(v) || typeof v === 'boolean') out.push({ node: v, path: child(path, key), keyword: key });
    } else if ((ARRAY as readonly string[]).includes(key)) {
      if (Array.isArray(v)) v.forEach((s, i) => out.push({ node: s, path: child(child(path, key), i), keyword: key }));
    } else if ((MAP as readonly string[]).includes(key) || key === 'dependencies') {
      if (isPlainObject(v)) {
        for (const name of Object.keys(v)) {
          const s = v[name];
          // draft-04..07 `dependencies` mixes property lists (data) and schemas.
          if (key === 'dependencies' && !isPlainObject(s) && typeof s !== 'boolean') continue;
          out.push({ node: s, path: child(child(path, key), name), keyword: key, name });
        }
      }
    }
  }
  return out;
}

/**
 * Pre-order walk. `visit` returns false to skip a node's children (used to stop inside keywords
 * that are reported as a whole), or a state value handed to the children (e.g. a nesting level;
 * undefined keeps the parent's). Depth is bounded by checkBounds, so recursion is safe.
 */
export function walkSchema<S = undefined>(
  root: unknown,
  visit: (node: unknown, path: string, via: Subschema | undefined, state: S) => S | false | undefined,
  initial?: S,
): void {
  const go = (node: unknown, path: string, via: Subschema | undefined, state: S): void => {
    const r = visit(node, path, via, state);
    if (r === false) return;
    const next = r === undefined ? state : r;
    for (const s of subschemas(node, path)) go(s.node, s.path, s, next);
  };
  go(root, '', undefined, initial as S);
}

/**
 * Refuse documents too deep or too large to export, before any recursion (iterative, explicit
 * stack). The registry bounds schemas when they are registered; this protects direct callers.
 */
export function checkBounds(doc: unknown): void {
  const stack: Array<[unknown, number]> = [[doc, 1]];
  let count = 0;
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [v, depth] = top;
    if (++count > MAX_SCHEMA_JSON_NODES) {
      throw new RegistryError(ErrorCode.SCHEMA_TOO_LARGE, `Schema has more than ${MAX_SCHEMA_JSON_NODES} JSON values; export refused.`);
    }
    if (depth > MAX_SCHEMA_JSON_DEPTH) {
      throw new RegistryError(ErrorCode.DOCUMENT_TOO_DEEP, `Schema is nested deeper than ${MAX_SCHEMA_JSON_DEPTH} levels; export refused.`);
    }
    if (Array.isArray(v)) for (const x of v) stack.push([x, depth + 1]);
    else if (isPlainObject(v)) for (const k of Object.keys(v)) stack.push([v[k], depth + 1]);
  }
}

/** Deep copy of a bounded JSON value (checkBounds first). */
export function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Declared `type` as a list ([] when absent). */
export function typeList(node: JsonObject): string[] {
  const t = node.type;
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  return [];
}

/** An object schema: declared type object, or no type but object keywords. */
export function isObjectSchema(node: unknown): node is JsonObject {
  if (!isPlainObject(node)) return false;
  const types = typeList(node);
  if (types.length) return types.includes('object');
  return isPlainObject(node.properties) || Array.isArray(node.required) || 'additionalProperties' in node;
}
