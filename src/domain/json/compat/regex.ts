/**
 * `patternProperties` matching for the partially open content model: Java's
 * Pattern.matcher(name).find(), i.e. an unanchored search. ECMA-262 patterns on the validator's
 * linear-time engine (validator/regex.ts) stand in for Java's (same syntax for the common subset),
 * so no name/pattern pair can backtrack; a pattern that engine refuses matches nothing (such a
 * schema cannot be registered anyway). Work per call is bounded by MAX_FIND_COST.
 */
import { SchemaParseError } from '../../errors';
import { RegexError, compilePattern } from '../validator/regex';

/** Automaton instructions × name length for one name (a few ms at worst; real names are far below). */
const MAX_FIND_COST = 1 << 20;

export function safeFind(pattern: string, name: string): boolean {
  let re;
  try {
    re = compilePattern(pattern);
  } catch (e) {
    if (e instanceof RegexError) return false;
    throw e;
  }
  if (re.cost(name.length) > MAX_FIND_COST) {
    throw new SchemaParseError(
      `JSON schema compatibility check gave up: a property name of ${name.length} characters is too long to match against patternProperties ${JSON.stringify(pattern.slice(0, 100))}`,
    );
  }
  return re.test(name);
}
