import { describe, expect, it } from 'vitest';
import type { ResolvedReference } from '../../../src/domain/format';
import { COMPATIBLE_CHANGES, DIFFERENCE_TYPES, parseProtobuf, protobufFormat } from '../../../src/domain/protobuf';
import { compareSchemas } from '../../../src/domain/protobuf/diff';

const P = (body: string, pkg = 'p') => `syntax = "proto3";\npackage ${pkg};\n${body}`;
const P2 = (body: string) => `syntax = "proto2";\npackage p;\n${body}`;
const parse = (t: string, refs: ResolvedReference[] = []) => parseProtobuf(t, refs);
const msg = (type: string, d: string) => `{errorType:"${type}", description:"${d}"}`;

/** Raw differences (original = writer, update = reader), as "TYPE path". */
const diffs = (original: string, update: string) => compareSchemas(parse(original), parse(update)).map((d) => `${d.type} ${d.path}`);

describe('Difference detection: every Difference.Type', () => {
  it.each([
    ['PACKAGE_CHANGED', P('message A {}', 'p'), P('message A {}', 'q'), ['PACKAGE_CHANGED #/']],
    ['MESSAGE_ADDED', P('message A {}'), P('message A {} message B {}'), ['MESSAGE_ADDED #/B']],
    ['MESSAGE_REMOVED', P('message A {} message B {}'), P('message A {}'), ['MESSAGE_REMOVED #/B']],
    ['MESSAGE_MOVED', P('message A {} message B {}'), P('message B {} message A {}'), ['MESSAGE_MOVED #/A', 'MESSAGE_MOVED #/B']],
    ['ENUM_ADDED', P('message A {}'), P('message A {} enum E { Z = 0; }'), ['ENUM_ADDED #/E']],
    ['ENUM_REMOVED', P('message A {} enum E { Z = 0; }'), P('message A {}'), ['ENUM_REMOVED #/E']],
    ['ENUM_CONST_ADDED', P('enum E { Z = 0; }'), P('enum E { Z = 0; O = 1; }'), ['ENUM_CONST_ADDED #/E/1']],
    ['ENUM_CONST_CHANGED', P('enum E { Z = 0; O = 1; }'), P('enum E { Z = 0; ONE = 1; }'), ['ENUM_CONST_CHANGED #/E/1']],
    ['ENUM_CONST_REMOVED', P('enum E { Z = 0; O = 1; }'), P('enum E { Z = 0; }'), ['ENUM_CONST_REMOVED #/E/1']],
    ['FIELD_ADDED', P('message A { int32 a = 1; }'), P('message A { int32 a = 1; string b = 2; }'), ['FIELD_ADDED #/A/2']],
    ['FIELD_REMOVED', P('message A { int32 a = 1; string b = 2; }'), P('message A { int32 a = 1; }'), ['FIELD_REMOVED #/A/2']],
    ['FIELD_NAME_CHANGED', P('message A { int32 a = 1; }'), P('message A { int32 b = 1; }'), ['FIELD_NAME_CHANGED #/A/1']],
    [
      'FIELD_KIND_CHANGED (scalar -> message)',
      P('message A { int32 a = 1; } message B {}'),
      P('message A { B a = 1; } message B {}'),
      ['FIELD_KIND_CHANGED #/A/1'],
    ],
    [
      'FIELD_KIND_CHANGED (scalar -> map)',
      P('message A { int32 a = 1; }'),
      P('message A { map<string, int32> a = 1; }'),
      ['FIELD_KIND_CHANGED #/A/1'],
    ],
    ['FIELD_SCALAR_KIND_CHANGED', P('message A { int32 a = 1; }'), P('message A { string a = 1; }'), ['FIELD_SCALAR_KIND_CHANGED #/A/1']],
    [
      'FIELD_SCALAR_KIND_CHANGED (map value)',
      P('message A { map<string, int32> a = 1; }'),
      P('message A { map<string, double> a = 1; }'),
      ['FIELD_SCALAR_KIND_CHANGED #/A/1'],
    ],
    [
      'FIELD_NAMED_TYPE_CHANGED (renamed type)',
      P('message A { B b = 1; } message B {} message C {}'),
      P('message A { C b = 1; } message B {} message C {}'),
      ['FIELD_NAMED_TYPE_CHANGED #/A/1'],
    ],
    [
      'FIELD_NUMERIC_LABEL_CHANGED',
      P2('message A { optional int32 a = 1; }'),
      P2('message A { repeated int32 a = 1; }'),
      ['FIELD_NUMERIC_LABEL_CHANGED #/A/1'],
    ],
    [
      'FIELD_STRING_OR_BYTES_LABEL_CHANGED',
      P2('message A { optional string a = 1; }'),
      P2('message A { repeated string a = 1; }'),
      ['FIELD_STRING_OR_BYTES_LABEL_CHANGED #/A/1'],
    ],
    [
      'REQUIRED_FIELD_ADDED',
      P2('message A { optional int32 a = 1; }'),
      P2('message A { optional int32 a = 1; required int32 b = 2; }'),
      ['REQUIRED_FIELD_ADDED #/A/2'],
    ],
    [
      'REQUIRED_FIELD_REMOVED',
      P2('message A { optional int32 a = 1; required int32 b = 2; }'),
      P2('message A { optional int32 a = 1; }'),
      ['REQUIRED_FIELD_REMOVED #/A/2'],
    ],
    ['ONEOF_ADDED', P('message A { int32 a = 1; }'), P('message A { int32 a = 1; oneof o { string b = 2; } }'), ['ONEOF_ADDED #/A/o']],
    ['ONEOF_REMOVED', P('message A { int32 a = 1; oneof o { string b = 2; } }'), P('message A { int32 a = 1; }'), ['ONEOF_REMOVED #/A/o']],
    [
      'ONEOF_FIELD_ADDED',
      P('message A { oneof o { string a = 1; } }'),
      P('message A { oneof o { string a = 1; int32 b = 2; } }'),
      ['ONEOF_FIELD_ADDED #/A/o/2'],
    ],
    [
      'ONEOF_FIELD_REMOVED',
      P('message A { oneof o { string a = 1; int32 b = 2; } }'),
      P('message A { oneof o { string a = 1; } }'),
      ['ONEOF_FIELD_REMOVED #/A/o/2'],
    ],
    [
      'MULTIPLE_FIELDS_MOVED_TO_ONEOF',
      P('message A { string a = 1; int32 b = 2; }'),
      P('message A { oneof o { string a = 1; int32 b = 2; } }'),
      ['MULTIPLE_FIELDS_MOVED_TO_ONEOF #/A/o', 'ONEOF_ADDED #/A/o'],
    ],
    [
      'FIELD_MOVED_TO_EXISTING_ONEOF',
      P('message A { string a = 1; oneof o { int32 b = 2; } }'),
      P('message A { oneof o { string a = 1; int32 b = 2; } }'),
      ['FIELD_MOVED_TO_EXISTING_ONEOF #/A/o', 'ONEOF_FIELD_ADDED #/A/o/1'],
    ],
  ])('%s', (_name, original, update, expected) => {
    expect(diffs(original, update)).toEqual(expected);
  });

  it('covers every Difference.Type of Confluent', () => {
    expect(DIFFERENCE_TYPES).toHaveLength(25);
    expect([...COMPATIBLE_CHANGES].sort()).toEqual(
      [
        'ENUM_ADDED',
        'ENUM_CONST_ADDED',
        'ENUM_CONST_CHANGED',
        'ENUM_CONST_REMOVED',
        'ENUM_REMOVED',
        'FIELD_ADDED',
        'FIELD_NAME_CHANGED',
        'FIELD_REMOVED',
        'FIELD_STRING_OR_BYTES_LABEL_CHANGED',
        'MESSAGE_ADDED',
        'MESSAGE_MOVED',
        'ONEOF_ADDED',
        'ONEOF_FIELD_ADDED',
        'ONEOF_REMOVED',
      ].sort(),
    );
  });
});

describe('wire-compatible scalar groups', () => {
  it.each([
    ['int32', 'int64', true],
    ['int32', 'uint32', true],
    ['uint64', 'bool', true],
    ['int64', 'uint64', true],
    ['sint32', 'sint64', true],
    ['fixed32', 'sfixed32', true],
    ['fixed64', 'sfixed64', true],
    ['string', 'bytes', true],
    ['int32', 'sint32', false],
    ['fixed32', 'fixed64', false],
    ['float', 'double', false],
    ['int64', 'fixed64', false],
    ['string', 'int32', false],
    ['double', 'int64', false],
  ])('%s -> %s compatible=%s', (a, b, ok) => {
    const res = protobufFormat.compatibility(parse(P(`message A { ${b} f = 1; }`)), parse(P(`message A { ${a} f = 1; }`)), 'FULL');
    expect(res.length === 0).toBe(ok);
  });

  it('enum and integer types are interchangeable (GENERAL_NUMBER)', () => {
    expect(diffs(P('message A { int32 f = 1; } enum E { Z = 0; }'), P('message A { E f = 1; } enum E { Z = 0; }'))).toEqual([]);
  });
});

describe('compatibility(): Confluent verbose messages per direction', () => {
  const removedReq = [P2('message A { required int32 a = 1; required int32 b = 2; }'), P2('message A { required int32 a = 1; }')] as const;
  it.each([
    [
      'BACKWARD: new reader misses a required field of old data',
      removedReq[1],
      removedReq[0],
      'BACKWARD',
      [msg('REQUIRED_FIELD_REMOVED', "The new schema is missing a required field at path: '#/A/2' in the old schema")],
    ],
    [
      'FORWARD: old reader requires a field new data lacks',
      removedReq[1],
      removedReq[0],
      'FORWARD',
      [msg('REQUIRED_FIELD_ADDED', "A required field  at path '#/A/2' in the old schema is missing in the new schema")],
    ],
    [
      'FULL reports both directions, forward first (SchemaValidatorBuilder.mutualReadStrategy)',
      P('message A { int32 a = 1; }'),
      P('message A { string a = 1; }'),
      'FULL',
      [
        msg('FIELD_SCALAR_KIND_CHANGED', "The kind of a SCALAR field at path '#/A/1' in the old schema does not match its kind in the new schema"),
        msg('FIELD_SCALAR_KIND_CHANGED', "The kind of a SCALAR field at path '#/A/1' in the new schema does not match its kind in the old schema"),
      ],
    ],
    ['compatible change: field added', P('message A { int32 a = 1; int32 b = 2; }'), P('message A { int32 a = 1; }'), 'FULL', []],
    [
      'PACKAGE_CHANGED',
      P('message A {}', 'q'),
      P('message A {}', 'p'),
      'BACKWARD',
      [msg('PACKAGE_CHANGED', "The package at '#/' in the new schema does not match the package in the old schema")],
    ],
    [
      'MESSAGE_REMOVED (backward) vs MESSAGE_ADDED (compatible, forward)',
      P('message A {}'),
      P('message A {} message B {}'),
      'FULL',
      [msg('MESSAGE_REMOVED', "The new schema is missing a MESSAGE type at path '#/B' in the old schema")],
    ],
    [
      'FIELD_KIND_CHANGED',
      P('message A { B a = 1; } message B {}'),
      P('message A { int32 a = 1; } message B {}'),
      'BACKWARD',
      [msg('FIELD_KIND_CHANGED', "The type of a field at path '#/A/1' in the new schema does not match the old schema")],
    ],
    [
      'FIELD_NAMED_TYPE_CHANGED',
      P('message A { C a = 1; } message B {} message C {}'),
      P('message A { B a = 1; } message B {} message C {}'),
      'FORWARD',
      [msg('FIELD_NAMED_TYPE_CHANGED', "The type of a MESSAGE field at path '#/A/1' in the old schema does not match its type in the new schema")],
    ],
    [
      'FIELD_NUMERIC_LABEL_CHANGED',
      P2('message A { repeated int64 a = 1; }'),
      P2('message A { optional int64 a = 1; }'),
      'BACKWARD',
      [
        msg(
          'FIELD_NUMERIC_LABEL_CHANGED',
          "The label for a NUMERIC field at path '#/A/1' in the new schema does not match its label in the old schema",
        ),
      ],
    ],
    [
      'FIELD_STRING_OR_BYTES_LABEL_CHANGED is compatible',
      P2('message A { repeated bytes a = 1; }'),
      P2('message A { optional string a = 1; }'),
      'FULL',
      [],
    ],
    [
      'ONEOF_FIELD_REMOVED (backward only)',
      P('message A { oneof o { string a = 1; } }'),
      P('message A { oneof o { string a = 1; int32 b = 2; } }'),
      'FULL',
      [msg('ONEOF_FIELD_REMOVED', "The new schema is missing a oneof field at path '#/A/o/2' in the old schema")],
    ],
    [
      'MULTIPLE_FIELDS_MOVED_TO_ONEOF',
      P('message A { oneof o { string a = 1; int32 b = 2; } }'),
      P('message A { string a = 1; int32 b = 2; }'),
      'BACKWARD',
      [msg('MULTIPLE_FIELDS_MOVED_TO_ONEOF', "Multiple fields in the oneof at path '#/A/o' in the new schema are outside a oneof in the old schema")],
    ],
    [
      'FIELD_MOVED_TO_EXISTING_ONEOF',
      P('message A { oneof o { string a = 1; int32 b = 2; } }'),
      P('message A { string a = 1; oneof o { int32 b = 2; } }'),
      'BACKWARD',
      [msg('FIELD_MOVED_TO_EXISTING_ONEOF', "A field in the oneof at path '#/A/o' in the new schema is outside an existing oneof in the old schema")],
    ],
    [
      'single field moved into a new oneof is compatible',
      P('message A { oneof o { string a = 1; } }'),
      P('message A { string a = 1; }'),
      'BACKWARD',
      [],
    ],
    [
      'nested message field change reported at its path',
      P('message A { message N { string x = 1; } N n = 1; }'),
      P('message A { message N { int32 x = 1; } N n = 1; }'),
      'BACKWARD',
      [msg('FIELD_SCALAR_KIND_CHANGED', "The kind of a SCALAR field at path '#/A/N/1' in the new schema does not match its kind in the old schema")],
    ],
    [
      'type moved inside oneof keeps its change detection',
      P('message A { oneof o { string x = 1; } }'),
      P('message A { oneof p { int32 x = 1; } }'),
      'BACKWARD',
      [msg('FIELD_SCALAR_KIND_CHANGED', "The kind of a SCALAR field at path '#/A/1' in the new schema does not match its kind in the old schema")],
    ],
  ])('%s', (_name, candidate, previous, direction, expected) => {
    expect(protobufFormat.compatibility(parse(candidate), parse(previous), direction as 'FULL')).toEqual(expected);
  });

  it('recursive message types terminate', () => {
    const a = parse(P('message T { T child = 1; int32 v = 2; }'));
    const b = parse(P('message T { T child = 1; int64 v = 2; string w = 3; }'));
    expect(protobufFormat.compatibility(b, a, 'FULL')).toEqual([]);
  });

  it('compares message types from references of different versions', () => {
    const dep1: ResolvedReference = { name: 'dep.proto', subject: 'dep', version: 1, schema: P('message D { string x = 1; }', 'd'), references: [] };
    const dep2: ResolvedReference = { name: 'dep.proto', subject: 'dep', version: 2, schema: P('message D { int32 x = 1; }', 'd'), references: [] };
    const text = P('import "dep.proto";\nmessage A { d.D d = 1; }');
    const res = protobufFormat.compatibility(parse(text, [dep2]), parse(text, [dep1]), 'BACKWARD');
    expect(res).toEqual([
      msg('FIELD_SCALAR_KIND_CHANGED', "The kind of a SCALAR field at path '#/D/1' in the new schema does not match its kind in the old schema"),
      msg('FIELD_NAMED_TYPE_CHANGED', "The type of a MESSAGE field at path '#/A/1' in the new schema does not match its type in the old schema"),
    ]);
    // Same subject and version on both sides: not compared again.
    expect(protobufFormat.compatibility(parse(text, [dep1]), parse(text, [dep1]), 'FULL')).toEqual([]);
  });

  it('orders differences like Java HashSet iteration', () => {
    // Tags iterate in ascending order; names by String.hashCode buckets.
    expect(diffs(P('message A { int32 c = 3; int32 a = 1; int32 b = 2; }'), P('message A {}'))).toEqual([
      'FIELD_REMOVED #/A/1',
      'FIELD_REMOVED #/A/2',
      'FIELD_REMOVED #/A/3',
    ]);
    expect(diffs(P('message Zeta {} message Alpha {} message Mid {}'), P('message X {}')).map((s) => s.split(' ')[1])).toEqual([
      '#/Zeta',
      '#/Alpha',
      '#/X',
      '#/Mid',
    ]); // buckets 2, 8, 8, 9
  });
});
