/**
 * Confluent's guid byte layout (Schema/SchemaReference/Metadata/RuleSet/Rule.updateHash, v8.1.x),
 * one row per case: the bytes we digest must be exactly the ones Java feeds its MessageDigest,
 * spelled out here by hand; the guid is the MD5 of them as a UUID.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { guidInput, uuidOf } from '../../src/domain/guid';

const enc = (s: string) => Buffer.from(s, 'utf8');
const one = Buffer.of(1);
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const bytes = (...parts: Buffer[]) => new Uint8Array(Buffer.concat(parts));

describe('guidInput', () => {
  it.each([
    ['the schema text alone', ['{"type":"string"}', [], undefined, undefined], bytes(enc('{"type":"string"}'))],
    [
      'references: name, subject, big-endian int32 version, in order',
      [
        's',
        [
          { name: 'b.T', subject: 'typ', version: 258 },
          { name: 'a', subject: 'x', version: -1 },
        ],
        undefined,
        undefined,
      ],
      bytes(enc('s'), enc('b.T'), enc('typ'), int32(258), enc('a'), enc('x'), int32(-1)),
    ],
    ['null metadata and rules: nothing', ['s', [], null, null], bytes(enc('s'))],
    ['empty metadata: the marker byte only', ['s', [], {}, undefined], bytes(enc('s'), one)],
    [
      'metadata: tags, properties, sensitive, each sorted (Java TreeMap/TreeSet), duplicates once',
      ['s', [], { sensitive: ['z', 'a', 'z'], properties: { owner: 'o', app: 'p' }, tags: { T2: ['y', 'x'], T1: ['PII'] } }, undefined],
      bytes(enc('s'), one, enc('T1'), enc('PII'), enc('T2'), enc('x'), enc('y'), enc('app'), enc('p'), enc('owner'), enc('o'), enc('a'), enc('z')),
    ],
    [
      'rules: defaults for kind and mode, sorted tags and params, disabled as a byte; lists in order',
      [
        's',
        [],
        undefined,
        {
          encodingRules: [{ name: 'e', type: 'ENCRYPT', disabled: true }],
          migrationRules: [
            { name: 'm', kind: 'TRANSFORM', mode: 'UPGRADE', type: 'JSONATA', expr: '$', tags: ['b', 'a'], params: { k2: 'v2', k1: 'v1' } },
          ],
          domainRules: [
            { name: 'd', doc: 'why', kind: 'CONDITION', mode: 'WRITE', type: 'CEL', expr: 'x', onSuccess: 'NONE', onFailure: 'DLQ', disabled: false },
          ],
          enableAt: 'ALL',
        },
      ],
      bytes(
        enc('s'),
        one,
        ...[enc('m'), enc('TRANSFORM'), enc('UPGRADE'), enc('JSONATA'), enc('a'), enc('b'), enc('k1'), enc('v1'), enc('k2'), enc('v2'), enc('$')],
        ...[enc('d'), enc('why'), enc('CONDITION'), enc('WRITE'), enc('CEL'), enc('x'), enc('NONE'), enc('DLQ')],
        ...[enc('e'), enc('TRANSFORM'), enc('WRITEREAD'), enc('ENCRYPT'), one],
        enc('ALL'),
      ),
    ],
    [
      'metadata before rules, each with its marker; UTF-8 text',
      ['é', [], { properties: { k: 'ü' } }, { domainRules: [] }],
      bytes(enc('é'), one, enc('k'), enc('ü'), one),
    ],
  ] as const)('%s', (_, [schema, refs, meta, rules], expected) => {
    expect(Buffer.from(guidInput(schema, refs, meta, rules)).toString('hex')).toBe(Buffer.from(expected).toString('hex'));
  });
});

describe('uuidOf', () => {
  it("formats the MD5 as Java's new UUID(high, low).toString()", () => {
    const digest = createHash('md5').update('{"type":"string"}').digest();
    const hex = digest.toString('hex');
    expect(uuidOf(new Uint8Array(digest))).toBe(`${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`);
    expect(uuidOf(new Uint8Array(16).fill(0xab))).toBe('abababab-abab-abab-abab-abababababab');
  });
});
