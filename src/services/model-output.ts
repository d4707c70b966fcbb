/**
 * Validation of what a request brings, shared by POST /v1/validate (routes/validate.ts) and the
 * service binding (entrypoint.ts): the limits on documents, batches and model text, and raw model
 * output (JSON extracted from prose or code fences, then validated). Every document and candidate of
 * one request spends from the request's work budget (one `workBudget()` per request).
 */
import { findJsonCandidates } from '../domain/llm/extract';
import { noJsonRepair, repairInstruction } from '../domain/llm/repair';
import type { ValidationResult } from '../domain/validation';
import type { WorkBudget } from '../domain/json/budget';
import type { ReadyValidator } from './validators';

export const VALIDATE_LIMITS = {
  documentBytes: 1024 * 1024,
  batchBytes: 8 * 1024 * 1024,
  batchLines: 10_000,
  textBytes: 256 * 1024,
  maxDepth: 128,
};

/**
 * No JSON found: invalid, with a repair instruction. Else `value` is the candidate judged (the first
 * valid one, or the first one), and `repair` tells the model what to fix when it is invalid.
 */
export type ModelOutputResult =
  | { valid: boolean; errors: ValidationResult['errors']; repair: string; value?: undefined }
  | { valid: boolean; value: unknown; errors: ValidationResult['errors']; repair?: string };

/**
 * Raw model text: the first extracted candidate that validates wins; else the first candidate's
 * errors. Every candidate spends from `budget`, the request's.
 */
export function modelOutput(ready: ReadyValidator, text: string, budget: WorkBudget): ModelOutputResult {
  const scan = findJsonCandidates(text, { maxBytes: VALIDATE_LIMITS.textBytes, maxDepth: VALIDATE_LIMITS.maxDepth });
  let first: { value: unknown; result: ValidationResult } | undefined;
  for (const candidate of scan.candidates) {
    const result = ready.validator.validate(candidate.value, budget);
    if (result.valid) return { valid: true, value: candidate.value, errors: [] };
    first ??= { value: candidate.value, result };
  }
  if (first === undefined) return { valid: false, errors: [], repair: noJsonRepair(scan.reason) };
  const { value, result } = first;
  return {
    valid: false,
    value,
    errors: result.errors,
    repair: repairInstruction(result.errors, ready.jsonSchema, { instance: value }),
  };
}
