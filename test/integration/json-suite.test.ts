/// <reference types="vite/client" />
/**
 * The official JSON Schema Test Suite through the Workers engine INSIDE workerd: every required test
 * of every supported draft must pass (the Workers skip list is empty, as in the unit run in Node).
 * workerd has no fs, so the fixtures are imported statically (vite's import.meta.glob). Note: the
 * test pool patches `Function`; test/e2e/json-suite.test.ts runs the same suite with nothing patched.
 */
import { describe, expect, it } from 'vitest';
import { REMOTE_BASE, REQUIRED_TOTALS, type SuiteGroup, SUITE_FOLDERS, runSuite } from '../e2e/suite-worker/run';

type Files = Record<string, SuiteGroup[]>;
type Texts = Record<string, string>;

// Raw text + JSON.parse, not vite's JSON modules: those are object literals, where a "__proto__" key
// sets the prototype instead of creating a property (the suite tests such keys).
// Required tests only: tests/<draft>/*.json (optional/ is a subfolder and not matched).
const TESTS: Record<string, Texts> = {
  draft4: import.meta.glob<string>('../fixtures/json-schema-test-suite/tests/draft4/*.json', { eager: true, query: '?raw', import: 'default' }),
  draft6: import.meta.glob<string>('../fixtures/json-schema-test-suite/tests/draft6/*.json', { eager: true, query: '?raw', import: 'default' }),
  draft7: import.meta.glob<string>('../fixtures/json-schema-test-suite/tests/draft7/*.json', { eager: true, query: '?raw', import: 'default' }),
  'draft2019-09': import.meta.glob<string>('../fixtures/json-schema-test-suite/tests/draft2019-09/*.json', {
    eager: true,
    query: '?raw',
    import: 'default',
  }),
  'draft2020-12': import.meta.glob<string>('../fixtures/json-schema-test-suite/tests/draft2020-12/*.json', {
    eager: true,
    query: '?raw',
    import: 'default',
  }),
};
const REMOTE_FILES = import.meta.glob<string>('../fixtures/json-schema-test-suite/remotes/**/*.json', {
  eager: true,
  query: '?raw',
  import: 'default',
});
const REMOTES_DIR = '../fixtures/json-schema-test-suite/remotes/';
const remotes: [string, unknown][] = Object.entries(REMOTE_FILES).map(([path, text]) => [
  REMOTE_BASE + path.slice(REMOTES_DIR.length),
  JSON.parse(text),
]);

/** Keys are glob paths; the runner wants "<file>.json" as in the unit runner's ids. */
const byFile = (files: Texts): Files =>
  Object.fromEntries(Object.entries(files).map(([p, text]) => [p.slice(p.lastIndexOf('/') + 1), JSON.parse(text) as SuiteGroup[]]));

describe('JSON Schema Test Suite in workerd: Workers engine', () => {
  it('loads the remotes', () => {
    expect(remotes.length).toBeGreaterThan(30);
    expect(remotes.map(([u]) => u)).toContain('http://localhost:1234/integer.json');
    expect(remotes.map(([u]) => u)).toContain('http://localhost:1234/draft2020-12/metaschema-no-validation.json');
  });

  it.each(SUITE_FOLDERS)('$folder: every required test passes', ({ folder, draft }) => {
    const r = runSuite({ draft, files: byFile(TESTS[folder]), remotes });
    expect(r.failed).toEqual([]);
    expect(r.total).toBe(REQUIRED_TOTALS[folder]);
    expect(r.passed).toBe(r.total);
  });
});
