/**
 * Names from a schema or a document are plain keys: property, definition and reference names such
 * as `__proto__`, `constructor` or `toString` stay own keys, never the prototype's. Used by the
 * JSON Schema code (bundle.ts) and the LLM layer built on it (src/domain/llm re-exports these from
 * its pointer.ts), so the format depends on nothing above it.
 */

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own-property lookup that never reaches the prototype chain (`__proto__`, `constructor`). */
export function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/** `key in obj` for own keys only: `"constructor" in {}` is true through Object.prototype. */
export function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/**
 * `obj[key] = value` as an own property for every key. Assigning "__proto__" to an object that
 * does not already own it sets the object's prototype instead, and the key vanishes: client
 * schemas may name a property or a definition "__proto__" (JSON.parse keeps it as an own key).
 */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
