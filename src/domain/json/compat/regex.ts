/**
 * `patternProperties` matching for the partially open content model: Java's
 * Pattern.matcher(name).find(), i.e. an unanchored search. JavaScript regular expressions stand in
 * for Java's (same syntax for the common subset); a pattern JavaScript cannot compile matches
 * nothing. Guard against catastrophic backtracking: a pattern with a nested quantifier such as
 * `(a+)+` is only run against short names, and names longer than MAX_NAME are never tested.
 */
const MAX_NAME = 1024;
const NESTED_QUANTIFIER_NAME_LIMIT = 64;
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}][^()]*\)\s*[+*{]/;

const compiled = new Map<string, RegExp | null>();

function compile(pattern: string): RegExp | null {
  let re = compiled.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      try {
        re = new RegExp(pattern);
      } catch {
        re = null;
      }
    }
    if (compiled.size > 1000) compiled.clear();
    compiled.set(pattern, re);
  }
  return re;
}

export function safeFind(pattern: string, name: string): boolean {
  if (name.length > MAX_NAME) return false;
  if (name.length > NESTED_QUANTIFIER_NAME_LIMIT && NESTED_QUANTIFIER.test(pattern)) return false;
  const re = compile(pattern);
  return re !== null && re.test(name);
}
