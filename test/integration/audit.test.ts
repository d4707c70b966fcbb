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
import { describe, it } from 'vitest';
import audit from '../fixtures/confluent-audit-cases.json';
import { replay, type Scenario } from './scenarios';

const { cases, knownGaps } = audit as { cases: Scenario[]; knownGaps: Scenario[] };

describe('Confluent audit: matching behaviour', () => {
  for (const scenario of cases) it(scenario.name, () => replay(scenario));
});

// Declared only while there are gaps: vitest fails an empty suite.
if (knownGaps.length > 0) {
  describe('Confluent audit: known gaps (Confluent behaviour we do not match yet)', () => {
    for (const scenario of knownGaps) it.fails(scenario.name, () => replay(scenario));
  });
}
