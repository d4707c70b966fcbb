// Types for the unit test that drives the k6 shared module with k6's modules mocked.
export function options(scenario: string): { scenarios: Record<string, unknown>; thresholds: Record<string, string[]>; summaryTrendStats: string[] };
export function setup(): { ids: Record<string, number>; runId: string };
export function iterate(scenario: string, data: { ids: Record<string, number>; runId: string }): void;
