/**
 * `pattern` and `patternProperties` as the validator runs them: compiled on the linear-time engine
 * (regex.ts), bounded per schema, their work metered against the request's budget (cx.budget).
 *
 * In a schema re-read from storage (registered before the engine refused some constructs), a
 * pattern the engine refuses does not stop the schema from loading: it compiles to a test whose
 * keyword fails validation with the reason (`refused`), and never runs on another engine.
 */
import { RegexError, compilePattern } from './regex';
import { type Compiling, type Ctx, SchemaCompileError } from './types';

/** A compiled `pattern` / `patternProperties` key: an unanchored search metered against the request's budget. */
export interface PatternTest {
  /**
   * Set when the pattern cannot run (a stored schema's pattern the engine refuses): the message its
   * keyword fails with. `test` then answers false.
   */
  readonly refused: string | undefined;
  /** Throws RegexBudgetExceeded (budget.ts) before the work that would pass the request's regex budget. */
  test(s: string, cx: Ctx): boolean;
}

/** Regex automaton instructions all distinct patterns of one schema may have (compiling costs µs each). */
const MAX_SCHEMA_REGEX_PROGRAM = 50_000;
/** Distinct patterns in one schema (compatibility checks look each one up per property name). */
const MAX_SCHEMA_PATTERNS = 2_000;

/** Per compilation: the distinct pattern sources seen and their instructions. */
const schemaRegex = new WeakMap<Compiling, { sources: Set<string>; program: number }>();

function refusedTest(source: string, reason: string, what: 'value' | 'property names'): PatternTest {
  return {
    refused:
      `the pattern /${source}/ cannot be run: it uses ${reason}, which this registry does not run (docs/json-schema.md, ` +
      `"Regular expressions"); ${what === 'value' ? 'the value' : 'property names'} cannot be checked against it`,
    test: () => false,
  };
}

/**
 * Compile a pattern (`what`: what it is matched against, for the refusal message). Each test
 * charges the regex work it does to the request's budget as it does it: validator/regex.ts.
 */
export function patternOf(c: Compiling, source: unknown, path: string, what: 'value' | 'property names'): PatternTest {
  if (typeof source !== 'string') throw new SchemaCompileError(`${path}: a pattern must be a string`, path);
  let re;
  try {
    re = compilePattern(source);
  } catch (e) {
    if (!(e instanceof RegexError)) throw e;
    if (c.storedSchema) return refusedTest(source, e.reason, what);
    throw new SchemaCompileError(`${path}: ${e.message}`, path);
  }
  let seen = schemaRegex.get(c);
  if (!seen) schemaRegex.set(c, (seen = { sources: new Set(), program: 0 }));
  if (!seen.sources.has(source)) {
    let over: string | undefined;
    if (seen.sources.size >= MAX_SCHEMA_PATTERNS) over = `more than ${MAX_SCHEMA_PATTERNS} distinct patterns in the schema`;
    else if (seen.program + re.program > MAX_SCHEMA_REGEX_PROGRAM) {
      over = `more than ${MAX_SCHEMA_REGEX_PROGRAM} automaton instructions for the schema's patterns together`;
    }
    if (over !== undefined) {
      if (c.storedSchema) return refusedTest(source, over, what);
      throw new SchemaCompileError(
        seen.sources.size >= MAX_SCHEMA_PATTERNS
          ? `${path}: schema has more than ${MAX_SCHEMA_PATTERNS} distinct patterns`
          : `${path}: the schema's patterns compile to more than ${MAX_SCHEMA_REGEX_PROGRAM} automaton instructions`,
        path,
      );
    }
    seen.sources.add(source);
    seen.program += re.program;
  }
  const compiled = re;
  return { refused: undefined, test: (s, cx) => compiled.test(s, cx.budget) };
}
