/**
 * Replays the Confluent behaviour scenarios (test/fixtures/confluent-api-cases.json, see
 * docs/confluent-api-reference.md §11) against the Worker. Each scenario runs in its own test,
 * so it starts from an empty registry.
 */
import { describe, it } from 'vitest';
import cases from '../fixtures/confluent-api-cases.json';
import { replay, type Scenario } from './scenarios';

describe('Confluent API scenarios', () => {
  for (const scenario of cases as Scenario[]) it(scenario.name, () => replay(scenario));
});
