/**
 * Runs JSON Schema Test Suite groups through the Workers engine. Pure (no node:fs, no Workers
 * APIs): the integration test imports it inside workerd, and the harness Worker (./index.ts) is
 * bundled from it and run under plain Miniflare by test/e2e/json-suite.test.ts. Same rules as the
 * unit runner (test/unit/json/suite-runner.ts): required tests only, formats annotate, remotes
 * preloaded under http://localhost:1234/, a compile error fails every test of its group.
 */
import { compileSchema } from '../../../src/domain/json/validator/index';
import type { Draft } from '../../../src/domain/json/types';

interface SuiteTest {
  description: string;
  data: unknown;
  valid: boolean;
}

export interface SuiteGroup {
  description: string;
  schema: unknown;
  tests: SuiteTest[];
}

/** One draft: its required files (file name -> groups) and the remotes (uri -> document). */
export interface RunRequest {
  draft: Draft;
  files: Record<string, SuiteGroup[]>;
  remotes: [string, unknown][];
}

export interface RunResult {
  files: number;
  groups: number;
  total: number;
  passed: number;
  /** "<file>: <group> / <test>" (with the compile error, if any), in suite order. */
  failed: string[];
}

export const REMOTE_BASE = 'http://localhost:1234/';

export const SUITE_FOLDERS: { folder: string; draft: Draft }[] = [
  { folder: 'draft4', draft: 'draft-04' },
  { folder: 'draft6', draft: 'draft-06' },
  { folder: 'draft7', draft: 'draft-07' },
  { folder: 'draft2019-09', draft: '2019-09' },
  { folder: 'draft2020-12', draft: '2020-12' },
];

/**
 * Required tests per draft at the pinned suite commit (test/fixtures/json-schema-test-suite/SOURCE.md;
 * the same counts as docs/json-schema-conformance.md), so a loader that finds nothing cannot pass.
 */
export const REQUIRED_TOTALS: Record<string, number> = { draft4: 618, draft6: 839, draft7: 927, 'draft2019-09': 1259, 'draft2020-12': 1299 };

export function runSuite(req: RunRequest): RunResult {
  const res: RunResult = { files: 0, groups: 0, total: 0, passed: 0, failed: [] };
  for (const file of Object.keys(req.files).sort()) {
    res.files++;
    for (const g of req.files[file]) {
      res.groups++;
      let validate: ((data: unknown) => boolean) | undefined;
      let compileError = '';
      try {
        const v = compileSchema(g.schema, { draft: req.draft, documents: req.remotes, formats: 'annotate' });
        validate = (data) => v.validate(data).valid;
      } catch (e) {
        compileError = ` (compile error: ${(e as Error).message})`;
      }
      for (const t of g.tests) {
        res.total++;
        let ok = false;
        let why = compileError;
        if (validate) {
          try {
            ok = validate(t.data) === t.valid;
            if (!ok) why = ` (expected ${t.valid ? 'valid' : 'invalid'})`;
          } catch (e) {
            why = ` (threw: ${(e as Error).message})`;
          }
        }
        if (ok) res.passed++;
        else res.failed.push(`${file}: ${g.description} / ${t.description}${why}`);
      }
    }
  }
  return res;
}
