/**
 * Setup of every e2e file: each answer the built Worker gives is checked against the OpenAPI
 * document that Worker serves (openapi-check.ts), and a file whose answers broke it fails, naming
 * them. The recorder in front of the Worker (registry-worker.mjs) sends the document along.
 */
import { afterAll, expect } from 'vitest';
import { checker, type Document, type Sample } from './openapi-check';

const found: string[] = [];
const checkers = new Map<string, ReturnType<typeof checker>>();
let checked = 0;

(globalThis as { __openapiRecorder?: (s: Sample & { document: string }) => void }).__openapiRecorder = (sample) => {
  let check = checkers.get(sample.document);
  if (!check) checkers.set(sample.document, (check = checker(JSON.parse(sample.document) as Document)));
  checked++;
  found.push(...check.violations(sample));
};

afterAll(() => {
  expect(found.slice(0, 20), `${found.length} of ${checked} answers disagree with /openapi.json`).toEqual([]);
});
