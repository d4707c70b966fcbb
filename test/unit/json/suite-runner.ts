/// <reference types="node" />
/**
 * Runs the official JSON Schema Test Suite (test/fixtures/json-schema-test-suite) against an engine.
 * Remotes are preloaded under http://localhost:1234/ (no network). Shared by test-suite.test.ts and
 * the script that writes docs/json-schema-conformance.md.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Draft } from '../../../src/domain/json/types';
import type { Validator } from '../../../src/domain/validation';

export const SUITE_DIR = fileURLToPath(new URL('../../fixtures/json-schema-test-suite/', import.meta.url));

export const SUITE_DRAFTS: { folder: string; draft: Draft }[] = [
  { folder: 'draft4', draft: 'draft-04' },
  { folder: 'draft6', draft: 'draft-06' },
  { folder: 'draft7', draft: 'draft-07' },
  { folder: 'draft2019-09', draft: '2019-09' },
  { folder: 'draft2020-12', draft: '2020-12' },
];

interface SuiteCase {
  /** "<draft folder>/<file>: <group description> / <test description>" */
  id: string;
  /** "<draft folder>/<file>: <group description>" */
  group: string;
  file: string;
  optional: boolean;
  /** Optional format tests (optional/format/*.json). */
  format: boolean;
  schema: unknown;
  data: unknown;
  valid: boolean;
  groupIndex: number;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.json')) out.push(p);
  }
  return out;
}

let remotesCache: [string, unknown][] | undefined;
export function remotes(): [string, unknown][] {
  if (!remotesCache) {
    const dir = join(SUITE_DIR, 'remotes');
    remotesCache = walk(dir).map((p) => [`http://localhost:1234/${relative(dir, p).split('\\').join('/')}`, JSON.parse(readFileSync(p, 'utf8'))]);
  }
  return remotesCache;
}

function loadCases(folder: string): SuiteCase[] {
  const dir = join(SUITE_DIR, 'tests', folder);
  const out: SuiteCase[] = [];
  for (const p of walk(dir)) {
    const file = relative(dir, p).split('\\').join('/');
    const optional = file.startsWith('optional/');
    const format = file.startsWith('optional/format/');
    const groups = JSON.parse(readFileSync(p, 'utf8')) as {
      description: string;
      schema: unknown;
      tests: { description: string; data: unknown; valid: boolean }[];
    }[];
    groups.forEach((g, gi) => {
      for (const t of g.tests) {
        out.push({
          id: `${folder}/${file}: ${g.description} / ${t.description}`,
          group: `${folder}/${file}: ${g.description}`,
          file,
          optional,
          format,
          schema: g.schema,
          data: t.data,
          valid: t.valid,
          groupIndex: gi,
        });
      }
    });
  }
  return out;
}

export type EngineFactory = (schema: unknown, draft: Draft, opts: { formats: boolean }) => Validator;

interface Bucket {
  pass: number;
  total: number;
  /** Failed test ids. */
  failed: string[];
  /** Groups (schemas) with at least one failed test, sorted. */
  failedGroups: string[];
}

export interface SuiteResult {
  required: Bucket;
  optional: Bucket;
  format: Bucket;
}

const bucket = (): Bucket => ({ pass: 0, total: 0, failed: [], failedGroups: [] });

/** Run all cases of one draft; a compile error fails every test of its group. */
export function runDraft(folder: string, draft: Draft, engine: EngineFactory): SuiteResult {
  const res: SuiteResult = { required: bucket(), optional: bucket(), format: bucket() };
  const compiled = new Map<string, Validator | Error>();
  for (const c of loadCases(folder)) {
    const b = c.format ? res.format : c.optional ? res.optional : res.required;
    b.total++;
    const key = `${c.file}#${c.groupIndex}`;
    let v = compiled.get(key);
    if (!v) {
      try {
        v = engine(c.schema, draft, { formats: c.format || c.file === 'optional/format-assertion.json' });
      } catch (e) {
        v = e as Error;
      }
      compiled.set(key, v);
    }
    let ok = false;
    if (!(v instanceof Error)) {
      try {
        ok = v.validate(c.data).valid === c.valid;
      } catch {
        ok = false;
      }
    }
    if (ok) b.pass++;
    else {
      b.failed.push(c.id);
      if (!b.failedGroups.includes(c.group)) b.failedGroups.push(c.group);
    }
  }
  for (const b of [res.required, res.optional, res.format]) b.failedGroups.sort();
  return res;
}
