/**
 * Rewrites shared by the `fix: true` exports. Each one mutates a private clone of the schema and
 * records one human-readable line per change ("<pointer>: what changed").
 */
import { jsonText } from '../../documents';
import { hasOwn, isPlainObject, parsePointer, pointer, setOwn } from '../pointer';
import { typeList, walkSchema } from './schema-walk';
import type { JsonObject } from './types';

/** "(root)" for the empty pointer, else the pointer. */
export function at(path: string): string {
  return path === '' ? '(root)' : path;
}

const MAX_MOVED_CHARS = 1000;

/**
 * Remove keywords from a node. `$`-keywords ($schema, $comment, ...) are dropped; the others are
 * appended to the description as "{key: value, ...}" so the model still sees the constraint.
 * This follows the openai-node helper `transformJSONSchema`, which does the same for keywords
 * strict mode does not accept (docs/provider-rules.md).
 */
export function moveToDescription(node: JsonObject, keys: string[], path: string, provider: string, changes: string[]): void {
  if (!keys.length) return;
  const described: string[] = [];
  const dropped: string[] = [];
  for (const k of keys) {
    const v = node[k];
    Reflect.deleteProperty(node, k); // keys are the client's: a JSON object, not a Map
    if (k.startsWith('$')) {
      dropped.push(k);
      continue;
    }
    let text = jsonText(v) ?? 'null';
    if (text.length > MAX_MOVED_CHARS) text = text.slice(0, MAX_MOVED_CHARS - 1) + '…';
    described.push(`${k}: ${text}`);
  }
  if (described.length) {
    const block = `{${described.join(', ')}}`;
    const prev = typeof node.description === 'string' && node.description ? node.description : '';
    node.description = prev ? `${prev}\n\n${block}` : block;
    changes.push(
      `${at(path)}: moved ${described.map((d) => d.slice(0, d.indexOf(':'))).join(', ')} into the description (not supported by ${provider})`,
    );
  }
  if (dropped.length) changes.push(`${at(path)}: removed ${dropped.join(', ')} (not supported by ${provider})`);
}

/** Replace `{$ref, ...siblings}` with `{anyOf: [{$ref}], ...siblings}` (same meaning, no ref siblings). */
export function wrapRefSiblings(node: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(node)) {
    if (k === '$ref') out.anyOf = [{ $ref: node.$ref }];
    else setOwn(out, k, node[k]);
  }
  return out;
}

/**
 * Allow null in addition to what the node allows (OpenAI: "emulate an optional parameter by
 * using a union type with null"). type T -> [T, "null"] (and null joins an enum, so the two agree);
 * anyOf gains {"type": "null"}; anything else is wrapped in anyOf [node, {"type": "null"}].
 */
export function makeNullable(node: unknown): unknown {
  if (!isPlainObject(node)) return node; // `true` already allows null; `false` stays impossible
  const types = typeList(node);
  if (types.length) {
    if (types.includes('null')) return node;
    node.type = [...types, 'null'];
    nullableValues(node);
    return node;
  }
  if (Array.isArray(node.anyOf)) {
    const anyOf: unknown[] = node.anyOf;
    if (!anyOf.some((b) => isPlainObject(b) && typeList(b).includes('null'))) node.anyOf = [...anyOf, { type: 'null' }];
    return node;
  }
  if (Array.isArray(node.enum) || 'const' in node) {
    if (!('$ref' in node)) {
      nullableValues(node);
      return node;
    }
  }
  const inner: JsonObject = {};
  const outer: JsonObject = {};
  for (const k of Object.keys(node)) {
    if (k === 'description' || k === 'title') outer[k] = node[k];
    else setOwn(inner, k, node[k]);
  }
  return { anyOf: [inner, { type: 'null' }], ...outer };
}

function nullableValues(node: JsonObject): void {
  if (Array.isArray(node.enum)) {
    const values: unknown[] = node.enum;
    if (!values.includes(null)) node.enum = [...values, null];
  }
  if ('const' in node) {
    const c = node.const;
    delete node.const;
    node.enum = c === null ? [null] : [c, null];
  }
}

const MERGE_SAFE = new Set(['properties', 'required', 'type', 'additionalProperties', 'description', 'title']);

/**
 * Merge `allOf` into its node when that is exact enough to be safe: every entry a plain object
 * without `$ref`, no property defined twice, no other keyword set to two different values.
 * Returns false (and leaves the node alone) otherwise. openai-python's to_strict_json_schema
 * merges a single-entry allOf the same way.
 */
export function mergeAllOf(node: JsonObject): boolean {
  const entries = node.allOf;
  if (!Array.isArray(entries) || !entries.length) return false;
  if (!entries.every((e) => isPlainObject(e) && !('$ref' in e))) return false;
  const parts = [omit(node, 'allOf'), ...(entries as JsonObject[])];
  // Keys keep the position where they first appear (property order is output order for OpenAI).
  // Names are the client's: own-key checks and setOwn, so "constructor" is not "already there"
  // (Object.prototype) and "__proto__" stays a property.
  const merged: JsonObject = {};
  const props: JsonObject = {};
  const required: string[] = [];
  const requiredSeen = new Set<string>();
  for (const p of parts) {
    for (const k of Object.keys(p)) {
      const v = p[k];
      if (k === 'properties' && isPlainObject(v)) {
        merged.properties = props;
        for (const name of Object.keys(v)) {
          if (hasOwn(props, name)) return false;
          setOwn(props, name, v[name]);
        }
      } else if (k === 'required' && Array.isArray(v)) {
        merged.required = required;
        for (const r of v) {
          if (typeof r !== 'string' || requiredSeen.has(r)) continue;
          requiredSeen.add(r);
          required.push(r);
        }
      } else if (k === 'additionalProperties') {
        merged[k] = merged[k] === false || v === false ? false : hasOwn(merged, k) ? merged[k] : v;
      } else if (hasOwn(merged, k) && JSON.stringify(merged[k]) !== JSON.stringify(v)) {
        if (!MERGE_SAFE.has(k) || k === 'type') return false;
      } else if (!hasOwn(merged, k)) {
        setOwn(merged, k, v);
      }
    }
  }
  for (const k of Object.keys(node)) Reflect.deleteProperty(node, k);
  for (const k of Object.keys(merged)) setOwn(node, k, merged[k]);
  return true;
}

function omit(node: JsonObject, key: string): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(node)) if (k !== key) setOwn(out, k, node[k]);
  return out;
}

/** Rewrite every local `$ref` in the document with `map(tokens)`; returns how many changed. */
export function rewriteRefs(root: unknown, map: (tokens: string[]) => string[] | null): number {
  let n = 0;
  walkSchema(root, (node) => {
    if (!isPlainObject(node) || typeof node.$ref !== 'string' || !node.$ref.startsWith('#')) return;
    const tokens = parsePointer(node.$ref);
    if (!tokens) return;
    const next = map(tokens);
    if (next) {
      node.$ref = '#' + pointer(next);
      n++;
    }
  });
  return n;
}

/**
 * Put a non-object root under an object with one required property "value", keeping `$defs` /
 * `definitions` at the new root and moving every other local `$ref` under /properties/value.
 */
export function wrapRoot(root: unknown, changes: string[], why: string): JsonObject {
  const inner: unknown = isPlainObject(root) ? { ...root } : root;
  const outer: JsonObject = { type: 'object', properties: { value: inner }, required: ['value'], additionalProperties: false };
  if (isPlainObject(inner)) {
    for (const k of ['$defs', 'definitions']) {
      if (k in inner) {
        outer[k] = inner[k];
        Reflect.deleteProperty(inner, k);
      }
    }
    for (const k of ['$schema', '$id']) {
      if (k in inner) {
        outer[k] = inner[k];
        Reflect.deleteProperty(inner, k);
      }
    }
  }
  rewriteRefs(outer, (t) => (t[0] === '$defs' || t[0] === 'definitions' ? null : ['properties', 'value', ...t]));
  changes.push(`(root): wrapped the schema in an object with one property "value" (${why}); answers are {"value": ...}`);
  return outer;
}
