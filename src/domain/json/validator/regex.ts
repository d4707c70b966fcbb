/**
 * `pattern` / `patternProperties` regular expressions. JSON Schema says ECMA-262 syntax; we compile
 * with the `u` flag (so \p{..} and astral characters work, and character classes are code-point based)
 * and fall back to no flag for patterns only legal without it (e.g. "\-" outside a class, common in the
 * wild). Compiled once per source string and cached in module scope (bounded).
 */
import { JSON_LIMITS } from '../limits';

const cache = new Map<string, RegExp>();

export class RegexError extends Error {}

export function compilePattern(source: string): RegExp {
  const hit = cache.get(source);
  if (hit) return hit;
  if (source.length > JSON_LIMITS.maxPatternLength) {
    throw new RegexError(`pattern is ${source.length} characters long, the limit is ${JSON_LIMITS.maxPatternLength}`);
  }
  let re: RegExp;
  try {
    re = new RegExp(source, 'u');
  } catch (e) {
    try {
      re = new RegExp(source);
    } catch {
      throw new RegexError(`invalid regular expression /${source}/: ${(e as Error).message}`);
    }
  }
  if (cache.size >= 2048) cache.clear();
  cache.set(source, re);
  return re;
}

/**
 * Patterns with nested unbounded quantifiers ("star height" > 1, e.g. (a+)+ or (\w*)*) can backtrack
 * exponentially. Not rejected (Confluent accepts them and legitimate schemas use some), but reported by
 * `unsafePatterns()` so callers can warn or refuse; Workers' per-request CPU limit is the hard stop.
 */
export function hasNestedQuantifier(source: string): boolean {
  const stack: boolean[] = []; // per open group: contains an unbounded quantifier
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') stack.push(false);
    else if (c === ')') {
      const inner = stack.pop() ?? false;
      const q = source[i + 1];
      const unbounded = q === '*' || q === '+' || (q === '{' && /^\{\d+,\}/.test(source.slice(i + 1)));
      if (inner && unbounded) return true;
      if ((inner || unbounded) && stack.length > 0) stack[stack.length - 1] = true;
    } else if (c === '*' || c === '+' || (c === '{' && /^\{\d+,\}/.test(source.slice(i)))) {
      if (stack.length > 0) stack[stack.length - 1] = true;
    }
  }
  return false;
}
