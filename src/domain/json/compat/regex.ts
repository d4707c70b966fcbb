/**
 * `patternProperties` matching for the partially open content model: Java's
 * Pattern.matcher(name).find(), i.e. an unanchored search. ECMA-262 patterns on the validator's
 * linear-time engine (validator/regex.ts) stand in for Java's (same syntax for the common subset),
 * so no name/pattern pair can backtrack. A pattern that engine refuses matches nothing (a stored
 * schema registered before such patterns were refused can still be compared). The work of every
 * name against every pattern is charged to the check's budget (maxRegexSteps, all versions of the
 * check together).
 */
import { SchemaParseError } from '../../errors';
import { RegexBudgetExceeded, type WorkBudget } from '../budget';
import { RegexError, compilePattern } from '../validator/regex';

export function safeFind(pattern: string, name: string, budget: WorkBudget): boolean {
  let re;
  try {
    re = compilePattern(pattern);
  } catch (e) {
    if (e instanceof RegexError) return false;
    throw e;
  }
  try {
    return re.test(name, budget);
  } catch (e) {
    if (!(e instanceof RegexBudgetExceeded)) throw e;
    throw new SchemaParseError(
      `JSON schema compatibility check gave up: matching property names against patternProperties took more than ${e.max} units of ` +
        `regular expression work (last: a name of ${name.length} characters against ${JSON.stringify(pattern.slice(0, 100))}); the check could not be completed`,
    );
  }
}
