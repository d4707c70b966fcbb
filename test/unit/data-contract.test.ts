/**
 * Data contracts (src/domain/data-contract.ts) from tables of cases. Expected values follow
 * Confluent's Metadata.mergeMetadata, RuleSet.mergeRuleSets and maybeSetMetadataRuleSet (v8.1.5).
 */
import { describe, expect, it } from 'vitest';
import {
  effectiveContract,
  hasDefaultsOrOverrides,
  mergeMetadata,
  mergeRuleSets,
  sameCompatibilityGroup,
  withoutConfluentVersion,
} from '../../src/domain/data-contract';

const rule = (name: string, extra: object = {}) => ({ name, kind: 'CONDITION', mode: 'WRITE', type: 'CEL', expr: 'true', ...extra });

describe('mergeMetadata', () => {
  const cases: [string, unknown, unknown, unknown][] = [
    ['null and null', undefined, undefined, undefined],
    ['older absent: the newer as is', undefined, { properties: { b: '1', a: '2' } }, { properties: { b: '1', a: '2' } }],
    ['newer absent: the older as is', { sensitive: ['x'] }, null, { sensitive: ['x'] }],
    [
      'properties: per key, later wins, sorted',
      { properties: { b: '1', c: '1' } },
      { properties: { b: '2', a: '2' } },
      { properties: { a: '2', b: '2', c: '1' } },
    ],
    [
      'tags: per key, the later set replaces the earlier',
      { tags: { f1: ['PII', 'X'], f2: ['A'] } },
      { tags: { f1: ['Y'] } },
      { tags: { f1: ['Y'], f2: ['A'] } },
    ],
    ['sensitive: union, sorted', { sensitive: ['s2', 's1'] }, { sensitive: ['s3', 's1'] }, { sensitive: ['s1', 's2', 's3'] }],
    ['an empty part yields the other side', { properties: {} }, { properties: { a: '1' }, sensitive: [] }, { properties: { a: '1' } }],
    [
      'all three parts at once',
      { tags: { t: ['a'] }, properties: { p: '1' }, sensitive: ['s'] },
      { tags: { u: ['b'] }, properties: { p: '2' }, sensitive: ['r'] },
      { tags: { t: ['a'], u: ['b'] }, properties: { p: '2' }, sensitive: ['r', 's'] },
    ],
    ['a malformed part is taken as absent', { properties: 'nope' }, { properties: { a: '1' } }, { properties: { a: '1' } }],
    ['both empty objects: empty', {}, {}, {}],
  ];
  it.each(cases)('%s', (_, older, newer, merged) => {
    expect(mergeMetadata(older, newer)).toEqual(merged);
  });
});

describe('mergeRuleSets', () => {
  const cases: [string, unknown, unknown, unknown][] = [
    ['older absent', undefined, { domainRules: [rule('a')] }, { domainRules: [rule('a')] }],
    ['newer absent', { domainRules: [rule('a')] }, undefined, { domainRules: [rule('a')] }],
    [
      'a later rule of the same name replaces the earlier one, appended after the others',
      { domainRules: [rule('a'), rule('b'), rule('c')] },
      { domainRules: [rule('b', { expr: 'false' }), rule('d')] },
      { domainRules: [rule('a'), rule('c'), rule('b', { expr: 'false' }), rule('d')] },
    ],
    [
      'each phase separately: a name in one phase leaves another phase alone',
      { migrationRules: [rule('m')], domainRules: [rule('x')] },
      { domainRules: [rule('m')], encodingRules: [rule('e')] },
      { migrationRules: [rule('m')], domainRules: [rule('x'), rule('m')], encodingRules: [rule('e')] },
    ],
    ['an empty later phase keeps the earlier', { domainRules: [rule('a')] }, { domainRules: [] }, { domainRules: [rule('a')] }],
    [
      'enableAt from the later set, else the earlier',
      { enableAt: 'CLIENT' },
      { domainRules: [rule('a')] },
      { domainRules: [rule('a')], enableAt: 'CLIENT' },
    ],
    ['enableAt: the later wins', { enableAt: 'CLIENT' }, { enableAt: 'BROKER' }, { enableAt: 'BROKER' }],
  ];
  it.each(cases)('%s', (_, older, newer, merged) => {
    expect(mergeRuleSets(older, newer)).toEqual(merged);
  });
});

describe('effectiveContract (maybeSetMetadataRuleSet)', () => {
  const cfg = {
    defaultMetadata: { properties: { owner: 'default', team: 'd' } },
    overrideMetadata: { properties: { owner: 'override' } },
    defaultRuleSet: { domainRules: [rule('r1'), rule('r2')] },
    overrideRuleSet: { domainRules: [rule('r2', { expr: 'override' })] },
  };
  const cases: [string, Parameters<typeof effectiveContract>, unknown][] = [
    ['no config, nothing requested, no previous', [{}, {}, undefined], {}],
    ['no config: the request as is', [{}, { metadata: { properties: { a: '1' } } }, undefined], { metadata: { properties: { a: '1' } } }],
    [
      'no config: the previous version is inherited when the request has none',
      [{}, {}, { metadata: { properties: { a: '1' } }, ruleSet: { domainRules: [rule('p')] } }],
      { metadata: { properties: { a: '1' } }, ruleSet: { domainRules: [rule('p')] } },
    ],
    [
      "the request's value replaces the previous version's (no merge between them)",
      [{}, { metadata: { properties: { b: '2' } } }, { metadata: { properties: { a: '1' } } }],
      { metadata: { properties: { b: '2' } } },
    ],
    [
      'default < specific < override',
      [cfg, { metadata: { properties: { owner: 'me', team: 'mine' } }, ruleSet: { domainRules: [rule('r1', { expr: 'mine' })] } }, undefined],
      {
        metadata: { properties: { owner: 'override', team: 'mine' } },
        ruleSet: { domainRules: [rule('r1', { expr: 'mine' }), rule('r2', { expr: 'override' })] },
      },
    ],
    [
      'defaults alone apply to a request without metadata',
      [{ defaultMetadata: { properties: { owner: 'd' } } }, {}, undefined],
      { metadata: { properties: { owner: 'd' } } },
    ],
    [
      'a named version sets confluent:version',
      [{}, {}, undefined, { next: 3, named: true }],
      { metadata: { properties: { 'confluent:version': '3' } } },
    ],
    ['an unnamed version leaves metadata without confluent:version alone', [{}, {}, undefined, { next: 3, named: false }], {}],
    [
      'an inherited confluent:version is updated to the new version',
      [{}, {}, { metadata: { properties: { 'confluent:version': '1', a: 'x' } } }, { next: 2, named: false }],
      { metadata: { properties: { a: 'x', 'confluent:version': '2' } } },
    ],
    [
      'a lookup (no version) leaves confluent:version as it is',
      [{}, {}, { metadata: { properties: { 'confluent:version': '1' } } }],
      { metadata: { properties: { 'confluent:version': '1' } } },
    ],
  ];
  it.each(cases)('%s', (_, args, expected) => {
    expect(effectiveContract(...args)).toEqual(expected);
  });

  it('hasDefaultsOrOverrides', () => {
    expect(hasDefaultsOrOverrides({})).toBe(false);
    expect(hasDefaultsOrOverrides({ compatibilityGroup: 'g' })).toBe(false);
    expect(hasDefaultsOrOverrides({ overrideRuleSet: {} })).toBe(true);
  });
});

describe('withoutConfluentVersion', () => {
  const cases: [unknown, unknown][] = [
    [undefined, undefined],
    [{ properties: { a: '1' } }, { properties: { a: '1' } }],
    [{ properties: { 'confluent:version': '2' } }, undefined],
    [
      { properties: { 'confluent:version': '2', a: '1' }, sensitive: ['s'] },
      { properties: { a: '1' }, sensitive: ['s'] },
    ],
  ];
  it.each(cases)('%j -> %j', (metadata, expected) => {
    expect(withoutConfluentVersion(metadata)).toEqual(expected);
  });
});

describe('sameCompatibilityGroup', () => {
  const v = (version: number, app?: string) => ({ version, metadata: app === undefined ? undefined : { properties: { application: app } } });
  const history = [v(1), v(2, 'a'), v(3, 'b'), v(4, 'a'), v(5)];
  const cases: [string, unknown, string | undefined, number[]][] = [
    ['no group: the whole history', { properties: { application: 'a' } }, undefined, [1, 2, 3, 4, 5]],
    ['group a', { properties: { application: 'a' } }, 'application', [2, 4]],
    ['group b', { properties: { application: 'b' } }, 'application', [3]],
    ['a new group: nothing to compare with', { properties: { application: 'c' } }, 'application', []],
    ['absent equals absent', undefined, 'application', [1, 5]],
    ['metadata without the property counts as absent', { properties: { other: 'x' } }, 'application', [1, 5]],
  ];
  it.each(cases)('%s', (_, candidate, group, versions) => {
    expect(sameCompatibilityGroup(candidate, history, group).map((h) => h.version)).toEqual(versions);
  });
});
