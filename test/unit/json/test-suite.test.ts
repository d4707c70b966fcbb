/// <reference types="node" />
/**
 * The official JSON Schema Test Suite against both engines: every REQUIRED test of every supported
 * draft must pass, except the groups listed below (asserted exactly, so the list cannot grow silently).
 * Optional and format tests are run and reported, not asserted.
 * `WRITE_CONFORMANCE=1 npx vitest run --project unit test/unit/json/test-suite.test.ts` rewrites
 * docs/json-schema-conformance.md with the pass table.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSchema } from '../../../src/domain/json/validator/index';
import { ajvValidator } from '../../../src/node/ajv-validator';
import { type EngineFactory, SUITE_DRAFTS, type SuiteResult, remotes, runDraft } from './suite-runner';

const ENGINES: { name: string; factory: EngineFactory }[] = [
  {
    name: 'workers',
    factory: (s, d, o) => compileSchema(s, { draft: d, documents: remotes(), formats: o.formats ? 'assert' : 'annotate' }),
  },
  {
    name: 'ajv',
    factory: (s, d, o) => ajvValidator(s, { draft: d, documents: remotes(), formats: o.formats ? 'assert' : 'annotate' }),
  },
];

/** The Workers engine passes every required test: nothing is skipped. */
const WORKERS_SKIPS: string[] = [];

/** Why ajv 8 fails a group: each names the ajv source or issue (ajv-validator/ajv on GitHub). */
const WHY = {
  proto:
    'ajv drops a `__proto__` key from `properties` on purpose (lib/vocabularies/code.ts allSchemaProperties; ajv#1242 "ignore proto properties")',
  refSiblingId:
    'ajv registers an `$id` that sits beside `$ref`, which draft 4/6/7 must ignore (lib/compile/resolve.ts getSchemaRefs); ajv skips this group in its own spec/json-schema.spec.ts',
  emptyEnum: 'ajv throws "enum must have non-empty array" when compiling `enum: []` (lib/vocabularies/validation/enum.ts), though draft 6+ allow it',
  recursiveRef:
    '$recursiveRef goes to the outermost $recursiveAnchor even when its initial target has none; ajv skips this group in its own spec/json-schema.spec.ts',
  refBesideId:
    '`$ref` next to an `$id` that changes the base: ajv resolveSchema/getJsonPointer recurse until the stack overflows at compile time; ajv skips these groups in its own spec/json-schema.spec.ts',
  ifAnnotations: 'ajv keeps the annotations of a matching `if` only when a `then` runs (lib/vocabularies/applicator/if.ts; open PR ajv#2639)',
  nestedItems:
    'unevaluatedItems after `anyOf: [{items}, true]` mis-merges the evaluated-items state (ajv reports instancePath "/true"); same family as ajv#1909',
  contains: '`unevaluatedItems` ignores `contains` annotations (2020-12); ajv skips these tests in its own spec/json-schema.spec.ts (ajv#1909)',
  minContains0:
    '`minContains: 0` without `maxContains` makes ajv skip `contains` entirely (lib/vocabularies/applicator/contains.ts), and its annotations are ignored anyway',
  dynamicRef:
    '$dynamicRef: ajv supports only "#name" fragments matched against anchors of the root resources in the dynamic path, no full dynamic scope (ajv#1573; open PRs ajv#2615, ajv#2642)',
  vocabulary:
    'ajv ignores `$vocabulary` (a no-op core keyword in lib/vocabularies/core), so a meta-schema cannot switch the validation vocabulary off',
} as const;

/**
 * ajv 8 (Node engine) failures by required test group, every one an ajv limitation (see WHY). What
 * was our wiring is fixed in src/node/ajv-validator.ts: draft-04 through ajv-draft-04, `ownProperties`
 * (`required`/`properties` see only own properties) and `ignoreKeywordsWithRef` for draft 4/6/7.
 */
const AJV_SKIPS: [group: string, why: string][] = [
  ['draft4/properties.json: properties whose names are Javascript object property names', WHY.proto],
  ['draft4/ref.json: $ref prevents a sibling id from changing the base uri', WHY.refSiblingId],
  ['draft6/properties.json: properties whose names are Javascript object property names', WHY.proto],
  ['draft6/ref.json: $ref prevents a sibling $id from changing the base uri', WHY.refSiblingId],
  ['draft7/properties.json: properties whose names are Javascript object property names', WHY.proto],
  ['draft7/ref.json: $ref prevents a sibling $id from changing the base uri', WHY.refSiblingId],
  ['draft2019-09/enum.json: empty enum', WHY.emptyEnum],
  ['draft2019-09/properties.json: properties whose names are Javascript object property names', WHY.proto],
  ['draft2019-09/recursiveRef.json: $recursiveRef with no $recursiveAnchor in the initial target schema resource', WHY.recursiveRef],
  ['draft2019-09/ref.json: URN ref with nested pointer ref', WHY.refBesideId],
  ['draft2019-09/ref.json: refs with relative uris and defs', WHY.refBesideId],
  ['draft2019-09/ref.json: relative refs with absolute uris and defs', WHY.refBesideId],
  ['draft2019-09/unevaluatedItems.json: unevaluatedItems can see annotations from if without then and else', WHY.ifAnnotations],
  ['draft2019-09/unevaluatedItems.json: unevaluatedItems with nested items', WHY.nestedItems],
  ['draft2019-09/unevaluatedProperties.json: unevaluatedProperties can see annotations from if without then and else', WHY.ifAnnotations],
  ['draft2019-09/unevaluatedProperties.json: unevaluatedProperties with if/then/else, then not defined', WHY.ifAnnotations],
  ['draft2019-09/vocabulary.json: schema that uses custom metaschema with with no validation vocabulary', WHY.vocabulary],
  ['draft2020-12/dynamicRef.json: $dynamicRef avoids the root of each schema, but scopes are still registered', WHY.dynamicRef],
  ['draft2020-12/dynamicRef.json: $dynamicRef points to a boolean schema', WHY.dynamicRef],
  ['draft2020-12/dynamicRef.json: $dynamicRef skips over intermediate resources - direct reference', WHY.dynamicRef],
  ['draft2020-12/dynamicRef.json: $ref and $dynamicAnchor are independent of order - $defs first', WHY.dynamicRef],
  ['draft2020-12/dynamicRef.json: $ref and $dynamicAnchor are independent of order - $ref first', WHY.dynamicRef],
  ['draft2020-12/dynamicRef.json: $ref to $dynamicRef finds detached $dynamicAnchor', WHY.dynamicRef],
  [
    'draft2020-12/dynamicRef.json: A $dynamicRef resolves to the first $dynamicAnchor still in scope that is encountered when the schema is evaluated',
    WHY.dynamicRef,
  ],
  [
    'draft2020-12/dynamicRef.json: A $dynamicRef that initially resolves to a schema with a matching $dynamicAnchor resolves to the first $dynamicAnchor in the dynamic scope',
    WHY.dynamicRef,
  ],
  [
    'draft2020-12/dynamicRef.json: A $dynamicRef that initially resolves to a schema without a matching $dynamicAnchor behaves like a normal $ref to $anchor',
    WHY.dynamicRef,
  ],
  [
    'draft2020-12/dynamicRef.json: A $dynamicRef to a $dynamicAnchor in the same schema resource behaves like a normal $ref to an $anchor',
    WHY.dynamicRef,
  ],
  ['draft2020-12/dynamicRef.json: A $dynamicRef to an $anchor in the same schema resource behaves like a normal $ref to an $anchor', WHY.dynamicRef],
  [
    'draft2020-12/dynamicRef.json: A $dynamicRef with a non-matching $dynamicAnchor in the same schema resource behaves like a normal $ref to $anchor',
    WHY.dynamicRef,
  ],
  [
    "draft2020-12/dynamicRef.json: A $dynamicRef with intermediate scopes that don't include a matching $dynamicAnchor does not affect dynamic scope resolution",
    WHY.dynamicRef,
  ],
  [
    'draft2020-12/dynamicRef.json: A $dynamicRef without a matching $dynamicAnchor in the same schema resource behaves like a normal $ref to $anchor',
    WHY.dynamicRef,
  ],
  ['draft2020-12/dynamicRef.json: A $dynamicRef without anchor in fragment behaves identical to $ref', WHY.dynamicRef],
  ['draft2020-12/dynamicRef.json: An $anchor with the same name as a $dynamicAnchor is not used for dynamic scope resolution', WHY.dynamicRef],
  ['draft2020-12/dynamicRef.json: after leaving a dynamic scope, it is not used by a $dynamicRef', WHY.dynamicRef],
  ['draft2020-12/dynamicRef.json: multiple dynamic paths to the $dynamicRef keyword', WHY.dynamicRef],
  ['draft2020-12/dynamicRef.json: tests for implementation dynamic anchor and reference link', WHY.dynamicRef],
  ['draft2020-12/enum.json: empty enum', WHY.emptyEnum],
  ['draft2020-12/properties.json: properties whose names are Javascript object property names', WHY.proto],
  ['draft2020-12/ref.json: URN ref with nested pointer ref', WHY.refBesideId],
  ['draft2020-12/ref.json: refs with relative uris and defs', WHY.refBesideId],
  ['draft2020-12/ref.json: relative refs with absolute uris and defs', WHY.refBesideId],
  ['draft2020-12/unevaluatedItems.json: unevaluatedItems and contains interact to control item dependency relationship', WHY.contains],
  ['draft2020-12/unevaluatedItems.json: unevaluatedItems can see annotations from if without then and else', WHY.ifAnnotations],
  ['draft2020-12/unevaluatedItems.json: unevaluatedItems depends on adjacent contains', WHY.contains],
  ['draft2020-12/unevaluatedItems.json: unevaluatedItems depends on multiple nested contains', WHY.contains],
  ['draft2020-12/unevaluatedItems.json: unevaluatedItems with $dynamicRef', WHY.dynamicRef],
  ['draft2020-12/unevaluatedItems.json: unevaluatedItems with minContains = 0', WHY.minContains0],
  ['draft2020-12/unevaluatedItems.json: unevaluatedItems with nested items', WHY.nestedItems],
  ['draft2020-12/unevaluatedProperties.json: unevaluatedProperties can see annotations from if without then and else', WHY.ifAnnotations],
  ['draft2020-12/unevaluatedProperties.json: unevaluatedProperties with $dynamicRef', WHY.dynamicRef],
  ['draft2020-12/unevaluatedProperties.json: unevaluatedProperties with if/then/else, then not defined', WHY.ifAnnotations],
  ['draft2020-12/vocabulary.json: schema that uses custom metaschema with with no validation vocabulary', WHY.vocabulary],
];

const results: Record<string, Record<string, SuiteResult>> = { workers: {}, ajv: {} };

describe.each(ENGINES)('JSON Schema Test Suite: $name engine', ({ name, factory }) => {
  it.each(SUITE_DRAFTS)(
    '$folder: all required tests pass except the documented skips',
    ({ folder, draft }) => {
      const r = runDraft(folder, draft, factory);
      results[name][folder] = r;
      const skips = (name === 'ajv' ? AJV_SKIPS.map(([group]) => group) : WORKERS_SKIPS).filter((s) => s.startsWith(folder + '/')).sort();
      expect(r.required.failedGroups).toEqual(skips);
      expect(r.required.total).toBeGreaterThan(500);
    },
    120_000,
  );
});

afterAll(() => {
  if (!process.env.WRITE_CONFORMANCE) return;
  const pct = (p: number, t: number) => (t === 0 ? '-' : `${p}/${t} (${((100 * p) / t).toFixed(1)}%)`);
  const rows: string[] = [];
  for (const { folder } of SUITE_DRAFTS) {
    for (const engine of ['workers', 'ajv']) {
      const r = Object.hasOwn(results[engine], folder) ? results[engine][folder] : undefined;
      // a filtered run (-t, one failing draft) must not write a partial table
      if (!r) throw new Error(`WRITE_CONFORMANCE: ${engine} ${folder} did not run; run the whole file`);
      rows.push(
        `| ${folder} | ${engine} | ${pct(r.required.pass, r.required.total)} | ${pct(r.optional.pass, r.optional.total)} | ${pct(r.format.pass, r.format.total)} |`,
      );
    }
  }
  const failedOptional: string[] = [];
  for (const { folder } of SUITE_DRAFTS) {
    const r = results.workers[folder];
    failedOptional.push(...r.optional.failedGroups, ...r.format.failedGroups);
  }
  const byReason = new Map<string, string[]>();
  for (const [group, why] of AJV_SKIPS) byReason.set(why, [...(byReason.get(why) ?? []), group]);
  const ajvSkipped = SUITE_DRAFTS.reduce((n, { folder }) => n + results.ajv[folder].required.failed.length, 0);
  const docUrl = new URL('../../../docs/json-schema-conformance.md', import.meta.url);
  const doc = `# JSON Schema conformance

Generated by \`WRITE_CONFORMANCE=1 npx vitest run --project unit test/unit/json/test-suite.test.ts\`
against the official [JSON Schema Test Suite](https://github.com/json-schema-org/JSON-Schema-Test-Suite)
copy in \`test/fixtures/json-schema-test-suite/\` (see its SOURCE.md for the commit). Remotes are
preloaded under \`http://localhost:1234/\`; no network.

- **required**: \`tests/<draft>/*.json\`, asserted in CI (test/unit/json/test-suite.test.ts) with an exact skip list.
- **optional**: \`tests/<draft>/optional/*.json\` (bignum, ecmascript-regex, cross-draft, ...), reported only.
- **format**: \`tests/<draft>/optional/format/*.json\`, run with format assertion switched on, reported only.

Engines: **workers** = src/domain/json/validator (closure compiler, no code generation, the one used on
Cloudflare Workers); **ajv** = src/node/ajv-validator.ts (ajv ${pkgVersion('ajv')} + ajv-draft-04 ${pkgVersion('ajv-draft-04')} for draft-04
+ ajv-formats ${pkgVersion('ajv-formats')}, Node only).

| draft | engine | required | optional | format |
|---|---|---|---|---|
${rows.join('\n')}

${whereItRuns(fileURLToPath(docUrl))}
## Required-test skip list

- workers: none.
- ajv: ${AJV_SKIPS.length} test groups (${ajvSkipped} tests), asserted exactly by \`AJV_SKIPS\` in
  test/unit/json/test-suite.test.ts. Each is an ajv 8 limitation (our wiring passes every group it can:
  draft-04 through ajv-draft-04, \`ownProperties\`, \`ignoreKeywordsWithRef\` for draft 4/6/7, \`unicodeRegExp\`):

${[...byReason].map(([why, groups]) => `- ${why}:\n${groups.map((g) => `  - ${g}`).join('\n')}`).join('\n')}

## Optional and format groups the workers engine fails

${failedOptional.map((g) => `- ${g}`).join('\n')}
`;
  writeFileSync(docUrl, doc);
});

/** The hand-written "## Where it runs" section of the current doc, kept as it is (up to the next "## "). */
function whereItRuns(path: string): string {
  const current = readFileSync(path, 'utf8');
  const start = current.indexOf('## Where it runs');
  if (start < 0) throw new Error(`${path}: no "## Where it runs" section to keep; restore it before regenerating`);
  const end = current.indexOf('\n## ', start + 1);
  return `${current.slice(start, end < 0 ? undefined : end).trimEnd()}\n`;
}

function pkgVersion(name: string): string {
  const pkg = new URL(`../../../node_modules/${name}/package.json`, import.meta.url);
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}
