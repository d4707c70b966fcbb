/**
 * Replays the Confluent behaviour scenarios (test/fixtures/confluent-api-cases.json, see
 * docs/confluent-api-reference.md §11) against the Worker. Each scenario runs in its own test,
 * so it starts from an empty registry (per-test storage isolation).
 */
import { describe, expect, it } from 'vitest';
import cases from '../fixtures/confluent-api-cases.json';
import { call } from './client';

interface Step {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  expect: { status: number; body?: unknown; bodyIncludes?: unknown; error_code?: number };
}

/** Recursive subset: objects by key, arrays by "some element includes", scalars by equality. */
function includes(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) return Array.isArray(actual) && expected.every((e) => actual.some((a) => includes(a, e)));
  if (expected && typeof expected === 'object') {
    return !!actual && typeof actual === 'object' && Object.entries(expected).every(([k, v]) => includes((actual as Record<string, unknown>)[k], v));
  }
  return actual === expected;
}

describe('Confluent API scenarios', () => {
  for (const scenario of cases as { name: string; steps: Step[] }[]) {
    it(scenario.name, async () => {
      for (const [i, step] of scenario.steps.entries()) {
        const r = await call(step.method, step.path, step.body, step.headers);
        const where = `step ${i + 1}: ${step.method} ${step.path} -> ${r.status} ${JSON.stringify(r.body)}`;
        expect(r.status, where).toBe(step.expect.status);
        if (step.expect.body !== undefined) expect(r.body, where).toEqual(step.expect.body);
        if (step.expect.bodyIncludes !== undefined) expect(includes(r.body, step.expect.bodyIncludes), where).toBe(true);
        if (step.expect.error_code !== undefined) expect(r.body?.error_code, where).toBe(step.expect.error_code);
      }
    });
  }
});
