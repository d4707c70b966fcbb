/**
 * JSON Pointer (RFC 6901) helpers shared by the repair text and the provider exports.
 * Pure and bounded: a pointer is split once, every lookup is one step per segment.
 * The own-key helpers live with the JSON format (../json/own-keys.ts), which must not import the
 * LLM layer; they are re-exported here for the LLM code.
 */
import { isPlainObject, own } from '../json/own-keys';

export { hasOwn, isPlainObject, own, setOwn } from '../json/own-keys';

/** Escape one reference token: `~` -> `~0`, `/` -> `~1` (RFC 6901 section 3). */
function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Join tokens into a pointer ("" for the root). */
export function pointer(tokens: readonly (string | number)[]): string {
  let out = '';
  for (const t of tokens) out += '/' + escapeToken(String(t));
  return out;
}

/** Append one token to a pointer. */
export function child(base: string, token: string | number): string {
  return base + '/' + escapeToken(String(token));
}

/**
 * Split a pointer or a URI fragment pointer ("#/a/b") into unescaped tokens.
 * Returns null when the text is not a pointer (does not start with "/" after the optional "#").
 */
export function parsePointer(text: string): string[] | null {
  let p = text;
  if (p.startsWith('#')) {
    p = p.slice(1);
    // Fragments may be percent-encoded (RFC 6901 section 6); a malformed escape is not a pointer.
    try {
      p = decodeURIComponent(p);
    } catch {
      return null;
    }
  }
  if (p === '') return [];
  if (!p.startsWith('/')) return null;
  return p
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Resolve tokens against a document; undefined when a step is missing. */
export function resolveTokens(doc: unknown, tokens: readonly string[]): unknown {
  let cur: unknown = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9][0-9]*)$/.test(t)) return undefined;
      cur = cur[Number(t)];
    } else if (isPlainObject(cur)) {
      cur = own(cur, t);
    } else {
      return undefined;
    }
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Resolve an instance pointer ("" or "/a/0"). */
export function resolvePointer(doc: unknown, ptr: string): unknown {
  const tokens = parsePointer(ptr);
  return tokens === null ? undefined : resolveTokens(doc, tokens);
}
