/**
 * The work one request may make the JSON Schema code do. A budget is created once per request
 * (routes/validate.ts and the service binding for validation, services/compatibility-check.ts for
 * a compatibility check) and passed down: every document of an NDJSON batch, every model-output
 * candidate, every version a *_TRANSITIVE check compares with and every pass of the cycle
 * fixed point spend from the same one, so N documents or N versions never cost N budgets.
 * Callers that pass none get a fresh budget per call. Documented in docs/json-schema.md ("Limits").
 */
import { JSON_LIMITS } from './limits';

export interface WorkBudget {
  /** Subschema evaluations so far (validation; both passes of every document). */
  steps: number;
  readonly maxSteps: number;
  /**
   * Regular expression work so far, in units of one automaton instruction on one character
   * (validator/regex.ts meters what the engine really does: DFA states built, NFA runs, scans).
   */
  regexSteps: number;
  readonly maxRegexSteps: number;
  /** Compatibility: distinct subschema pairs compared so far (all versions, both directions, all passes). */
  compatPairs: number;
  readonly maxCompatPairs: number;
  /** Compatibility: differences materialized so far, re-based copies included. */
  compatDifferences: number;
  readonly maxCompatDifferences: number;
}

/** The limits of a budget; each defaults to its JSON_LIMITS bound. */
export type WorkLimits = Partial<Pick<WorkBudget, 'maxSteps' | 'maxRegexSteps' | 'maxCompatPairs' | 'maxCompatDifferences'>>;

/** A fresh budget: one per request (or per call for callers that do not share one). */
export function workBudget(limits: WorkLimits = {}): WorkBudget {
  return {
    steps: 0,
    maxSteps: limits.maxSteps ?? JSON_LIMITS.maxValidationSteps,
    regexSteps: 0,
    maxRegexSteps: limits.maxRegexSteps ?? JSON_LIMITS.maxRegexSteps,
    compatPairs: 0,
    maxCompatPairs: limits.maxCompatPairs ?? JSON_LIMITS.maxCompatPairs,
    compatDifferences: 0,
    maxCompatDifferences: limits.maxCompatDifferences ?? JSON_LIMITS.maxCompatDifferences,
  };
}

/**
 * Regular expression work passed the budget's maxRegexSteps. Thrown from inside a match, before
 * the work that would pass the bound is done; each caller turns it into its own answer (validation:
 * ValidationBudgetError or a cut error list; compatibility: SchemaParseError).
 */
export class RegexBudgetExceeded extends Error {
  constructor(readonly max: number) {
    super(`regular expression work passed its budget of ${max} units`);
    this.name = 'RegexBudgetExceeded';
  }
}
