/**
 * Audit scenarios against Confluent's behaviour (test/fixtures/confluent-audit-cases.json; same
 * replay format as confluent-api-cases.json, docs/confluent-api-reference.md §11, plus a `source`
 * per scenario and optional `expect.headers`, each a prefix of the response header).
 *
 * - `cases`: behaviour we match (or, with a `note`, a documented deliberate difference).
 * - `knownGaps`: Confluent's behaviour that we do NOT match yet. They run with `it.fails`, so the
 *   suite stays green while the gap is visible; when one is fixed, its test "fails" and must be
 *   moved to `cases`.
 *
 * Each scenario runs in its own test, so it starts from an empty registry.
 */
import { describe, expect, it } from 'vitest';
import audit from '../fixtures/confluent-audit-cases.json';
import { call } from './client';

interface Step {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  expect: { status: number; body?: unknown; bodyIncludes?: unknown; error_code?: number; headers?: Record<string, string> };
}

interface Scenario {
  name: string;
  source: string;
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

async function replay(scenario: Scenario): Promise<void> {
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

const { cases, knownGaps } = audit as { cases: Scenario[]; knownGaps: Scenario[] };

describe('Confluent audit: matching behaviour', () => {
  for (const scenario of cases) it(scenario.name, () => replay(scenario));
});

describe('Confluent audit: known gaps (Confluent behaviour we do not match yet)', () => {
  for (const scenario of knownGaps) it.fails(scenario.name, () => replay(scenario));
});
