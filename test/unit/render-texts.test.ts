/**
 * The rendered texts kept beside a stored schema or version (http/render.ts): what a warm read
 * answers must be exactly what rendering it afresh gives, for every profile and every name the
 * version is asked by, also for the names it does not keep (one text per version).
 */
import { describe, expect, it } from 'vitest';
import type { StoredVersion } from '../../src/domain/entities';
import { schemaEntity, schemaEntityText, schemaString, schemaStringText } from '../../src/http/render';

const version = (o: Partial<StoredVersion> = {}): StoredVersion => ({
  context: '.',
  subject: 'orders',
  version: 3,
  deleted: false,
  ts: 1_733_000_000_000,
  id: 41,
  guid: 'b1c3c1a8-4a8e-3a6b-9f4e-0a4c2f1e7d55',
  hash: 'h',
  schemaType: 'AVRO',
  schema: '{"type":"record","name":"Order","fields":[]}',
  references: [],
  ...o,
});

const cases: [what: string, v: StoredVersion][] = [
  ['an Avro version', version()],
  [
    'a JSON Schema version with references, metadata and a rule set',
    version({
      schemaType: 'JSON',
      references: [{ name: 'a.json', subject: 'a', version: 1 }],
      metadata: { properties: { owner: 'team' } },
      ruleSet: { domainRules: [{ name: 'r', kind: 'CONDITION', type: 'CEL', mode: 'WRITE', expr: 'true' }] },
    }),
  ],
];

describe('schemaEntityText', () => {
  it.each(cases)('%s: the text of the entity for each profile and name asked by', (_what, v) => {
    for (const profile of [7, 8] as const) {
      for (const name of ['orders', ':.:orders', ':.other:orders']) {
        const fresh = JSON.stringify(schemaEntity(v, name, profile));
        expect(schemaEntityText(v, name, profile)).toBe(fresh);
        // Asked again: the text kept is the same.
        expect(schemaEntityText(v, name, profile)).toBe(fresh);
      }
    }
  });

  it('a client varying the name (hostile or not) gets each its own text, the first one kept', () => {
    const v = version();
    const names = Array.from({ length: 10 }, (_, i) => `:.c${i}:orders`);
    for (const round of [1, 2]) {
      for (const name of names) expect(schemaEntityText(v, name, 7), `${name}, round ${round}`).toBe(JSON.stringify(schemaEntity(v, name, 7)));
    }
  });

  it('a different version object (renewed by the fresh cache) gets its own text', () => {
    const before = version();
    const after = version({ version: 4, id: 42 });
    expect(schemaEntityText(before, 'orders', 8)).toContain('"version":3');
    expect(schemaEntityText(after, 'orders', 8)).toContain('"version":4');
  });
});

describe('schemaStringText', () => {
  it.each(cases)('%s: the text of the schema string for each profile', (_what, v) => {
    for (const profile of [7, 8] as const) {
      expect(schemaStringText(v, profile)).toBe(JSON.stringify(schemaString(v, profile)));
    }
  });
});
