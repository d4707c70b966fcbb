/**
 * Replays HTTP scenarios (docs/confluent-api-reference.md §11): each step's status, and its body
 * exactly (`body`), as a recursive subset (`bodyIncludes`), by `error_code`, or by header prefixes.
 */
import { expect } from 'vitest';
import { call } from './client';

interface Step {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  expect: { status: number; body?: unknown; bodyIncludes?: unknown; error_code?: number; headers?: Record<string, string> };
}

export interface Scenario {
  name: string;
  source?: string;
  note?: string;
  steps: Step[];
}

/** Recursive subset: objects by key, arrays by "some element includes", scalars by equality. */
function includes(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) return Array.isArray(actual) && expected.every((e) => actual.some((a) => includes(a, e)));
  if (expected && typeof expected === 'object') {
    return !!actual && typeof actual === 'object' && Object.entries(expected).every(([k, v]) => includes((actual as Record<string, unknown>)[k], v));
  }
  return actual === expected;
}

export async function replay(scenario: Scenario): Promise<void> {
  for (const [i, step] of scenario.steps.entries()) {
    const r = await call(step.method, step.path, step.body, step.headers);
    const where = `step ${i + 1}: ${step.method} ${step.path} -> ${r.status} ${JSON.stringify(r.body)}`;
    expect(r.status, where).toBe(step.expect.status);
    if (step.expect.body !== undefined) expect(r.body, where).toEqual(step.expect.body);
    if (step.expect.bodyIncludes !== undefined) expect(includes(r.body, step.expect.bodyIncludes), where).toBe(true);
    if (step.expect.error_code !== undefined) expect(r.body?.error_code, where).toBe(step.expect.error_code);
    for (const [name, prefix] of Object.entries(step.expect.headers ?? {})) {
      expect(r.headers.get(name) ?? '', `${where} header ${name}`).toMatch(new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
  }
}
