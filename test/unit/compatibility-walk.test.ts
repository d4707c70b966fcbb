/**
 * The history walk of domain/compatibility.ts, which services/compatibility-check.ts follows one
 * version at a time: which versions a level compares with, in what order, and where it stops
 * (Confluent's CompatibilityChecker: the latest, or every version newest first, stopping at the
 * first incompatible one and describing it).
 */
import { describe, expect, it } from 'vitest';
import { avroFormat } from '../../src/domain/avro/index';
import { type CompatibilityLevel, checkCompatibility, comparedVersions, incompatibilities } from '../../src/domain/compatibility';
import { jsonFormat } from '../../src/domain/json/index';

const rec = (fields: Record<string, string | undefined>) =>
  avroFormat.parse(
    JSON.stringify({
      type: 'record',
      name: 'R',
      fields: Object.entries(fields).map(([name, def]) => ({ name, type: 'string', ...(def === undefined ? {} : { default: def }) })),
    }),
    [],
  );

describe('comparedVersions', () => {
  const history = [1, 2, 3];
  it.each<[CompatibilityLevel, number[]]>([
    ['NONE', []],
    ['BACKWARD', [3]],
    ['FORWARD', [3]],
    ['FULL', [3]],
    ['BACKWARD_TRANSITIVE', [3, 2, 1]],
    ['FORWARD_TRANSITIVE', [3, 2, 1]],
    ['FULL_TRANSITIVE', [3, 2, 1]],
  ])('%s compares with %j', (level, expected) => {
    expect(comparedVersions(level, history)).toEqual(expected);
    expect(history).toEqual([1, 2, 3]); // not reversed in place
  });
  it('an empty history compares with nothing', () => {
    expect(comparedVersions('FULL_TRANSITIVE', [])).toEqual([]);
  });
});

describe('checkCompatibility walks newest first and describes the first incompatible version', () => {
  // v1 lacks b; v2 and v3 have it. A reader that needs b without a default cannot read v1's data.
  const history = [
    { version: 1, parsed: rec({ a: undefined }) },
    { version: 2, parsed: rec({ a: undefined, b: '' }) },
    { version: 3, parsed: rec({ a: undefined, b: '', c: '' }) },
  ];
  const needsB = rec({ a: undefined, b: undefined, c: '' });

  it('a non-transitive level looks at the latest only', () => {
    expect(checkCompatibility(avroFormat, 'BACKWARD', needsB, history)).toEqual([]);
  });

  it('a transitive level reaches the incompatible version and names it, with the level', () => {
    const messages = checkCompatibility(avroFormat, 'BACKWARD_TRANSITIVE', needsB, history);
    expect(messages[0]).toContain("errorType:'READER_FIELD_MISSING_DEFAULT_VALUE'");
    expect(messages.slice(-3)).toEqual([
      '{oldSchemaVersion: 1}',
      `{oldSchema: '${history[0].parsed.canonical}'}`,
      "{validateFields: 'false', compatibility: 'BACKWARD_TRANSITIVE'}",
    ]);
  });

  it('stops at the newest incompatible version', () => {
    const both = [...history.slice(0, 2), { version: 3, parsed: rec({ a: undefined }) }];
    expect(checkCompatibility(avroFormat, 'BACKWARD_TRANSITIVE', needsB, both)).toContain('{oldSchemaVersion: 3}');
  });

  it('incompatibilities: one version, the same messages; another format is a type mismatch', () => {
    expect(incompatibilities(avroFormat, 'BACKWARD_TRANSITIVE', needsB, history[0])).toEqual(
      checkCompatibility(avroFormat, 'BACKWARD_TRANSITIVE', needsB, history),
    );
    expect(incompatibilities(avroFormat, 'BACKWARD', needsB, history[2])).toEqual([]);
    expect(incompatibilities(avroFormat, 'NONE', needsB, history[0])).toEqual([]);
    const json = { version: 4, parsed: jsonFormat.parse('{"type":"object"}', []) };
    expect(incompatibilities(avroFormat, 'FULL', needsB, json)[0]).toBe(
      "{errorType:'SCHEMA_TYPE_MISMATCH', description:'Incompatible because of different schema type', additionalInfo:'AVRO'}",
    );
  });
});
