import { describe, expect, it } from 'vitest';
import { avroFormat, parseAvro, readerWriterIncompatibilities } from '../../../src/domain/avro';
import type { Direction } from '../../../src/domain/format';

/**
 * Schemas mirroring Avro Java's TestSchemas (lang/java/avro/src/test/.../TestSchemas.java), so the
 * rows below port TestSchemaCompatibility*.java and TestSchemaValidation's tables.
 */
const S = {
  NULL: '"null"',
  BOOLEAN: '"boolean"',
  INT: '"int"',
  LONG: '"long"',
  FLOAT: '"float"',
  DOUBLE: '"double"',
  STRING: '"string"',
  BYTES: '"bytes"',
  INT_ARRAY: '{"type":"array","items":"int"}',
  LONG_ARRAY: '{"type":"array","items":"long"}',
  INT_MAP: '{"type":"map","values":"int"}',
  LONG_MAP: '{"type":"map","values":"long"}',
  ENUM1_AB: '{"type":"enum","name":"Enum1","symbols":["A","B"]}',
  ENUM1_ABC: '{"type":"enum","name":"Enum1","symbols":["A","B","C"]}',
  ENUM1_BC: '{"type":"enum","name":"Enum1","symbols":["B","C"]}',
  ENUM1_AB_DEFAULT_A: '{"type":"enum","name":"Enum1","symbols":["A","B"],"default":"A"}',
  ENUM2_AB: '{"type":"enum","name":"Enum2","symbols":["A","B"]}',
  ENUM1_AB_NS1: '{"type":"enum","name":"Enum1","namespace":"namespace1","symbols":["A","B"]}',
  ENUM1_AB_NS2: '{"type":"enum","name":"Enum1","namespace":"namespace2","symbols":["A","B"]}',
  FIXED_4: '{"type":"fixed","name":"Fixed","size":4}',
  FIXED_8: '{"type":"fixed","name":"Fixed","size":8}',
  FIXED_4_OTHER: '{"type":"fixed","name":"Other","size":4}',
  INT_UNION: '["int"]',
  STRING_UNION: '["string"]',
  LONG_UNION: '["long"]',
  FLOAT_UNION: '["float"]',
  DOUBLE_UNION: '["double"]',
  BYTES_UNION: '["bytes"]',
  INT_STRING_UNION: '["int","string"]',
  STRING_INT_UNION: '["string","int"]',
  INT_FLOAT_UNION: '["int","float"]',
  INT_LONG_UNION: '["int","long"]',
  INT_LONG_FLOAT_DOUBLE_UNION: '["int","long","float","double"]',
  NULL_INT_ARRAY_UNION: '["null",{"type":"array","items":"int"}]',
  EMPTY_RECORD1: '{"type":"record","name":"Record1","fields":[]}',
  EMPTY_RECORD2: '{"type":"record","name":"Record2","fields":[]}',
  A_INT_RECORD1: '{"type":"record","name":"Record1","fields":[{"name":"a","type":"int"}]}',
  A_LONG_RECORD1: '{"type":"record","name":"Record1","fields":[{"name":"a","type":"long"}]}',
  A_INT_B_INT_RECORD1: '{"type":"record","name":"Record1","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}',
  A_DINT_RECORD1: '{"type":"record","name":"Record1","fields":[{"name":"a","type":"int","default":0}]}',
  A_INT_B_DINT_RECORD1: '{"type":"record","name":"Record1","fields":[{"name":"a","type":"int"},{"name":"b","type":"int","default":0}]}',
  A_DINT_B_DINT_RECORD1: '{"type":"record","name":"Record1","fields":[{"name":"a","type":"int","default":0},{"name":"b","type":"int","default":0}]}',
  A_DINT_B_DFIXED_4_RECORD1:
    '{"type":"record","name":"Record1","fields":[{"name":"a","type":"int","default":0},{"name":"b","type":{"type":"fixed","name":"Fixed","size":4}}]}',
  A_DINT_B_DFIXED_8_RECORD1:
    '{"type":"record","name":"Record1","fields":[{"name":"a","type":"int","default":0},{"name":"b","type":{"type":"fixed","name":"Fixed","size":8}}]}',
  A_DINT_B_DINT_STRING_UNION_RECORD1:
    '{"type":"record","name":"Record1","fields":[{"name":"a","type":"int","default":0},{"name":"b","type":["int","string"],"default":0}]}',
  A_DINT_B_DINT_UNION_RECORD1:
    '{"type":"record","name":"Record1","fields":[{"name":"a","type":"int","default":0},{"name":"b","type":["int"],"default":0}]}',
  A_DINT_B_DENUM_1_RECORD1:
    '{"type":"record","name":"Record1","fields":[{"name":"a","type":"int","default":0},{"name":"b","type":{"type":"enum","name":"Enum1","symbols":["A","B"]}}]}',
  A_DINT_B_DENUM_2_RECORD1:
    '{"type":"record","name":"Record1","fields":[{"name":"a","type":"int","default":0},{"name":"b","type":{"type":"enum","name":"Enum2","symbols":["A","B"]}}]}',
  INT_LIST_RECORD: '{"type":"record","name":"List","fields":[{"name":"head","type":"int"},{"name":"tail","type":"List"}]}',
  LONG_LIST_RECORD: '{"type":"record","name":"List","fields":[{"name":"head","type":"long"},{"name":"tail","type":"List"}]}',
  NS_RECORD1:
    '{"type":"record","name":"Record1","fields":[{"name":"f1","type":["null",{"type":"array","items":{"type":"record","name":"InnerRecord1","namespace":"ns1","fields":[{"name":"a","type":"int"}]}}]}]}',
  NS_RECORD2:
    '{"type":"record","name":"Record1","fields":[{"name":"f1","type":["null",{"type":"array","items":{"type":"record","name":"InnerRecord1","namespace":"ns2","fields":[{"name":"a","type":"int"}]}}]}]}',
  WITHOUT_NS: '{"type":"record","name":"Record","fields":[{"name":"f1","type":"int"}]}',
  WITH_NS: '{"type":"record","name":"ns.Record","fields":[{"name":"f1","type":"int"}]}',
} as const;
type Name = keyof typeof S;

const raw = (reader: string, writer: string) => readerWriterIncompatibilities(parseAvro(reader).schema, parseAvro(writer).schema);
/** A row names a schema of S or gives its text. */
const schemaOf = (nameOrText: string): string => (Object.hasOwn(S, nameOrText) ? S[nameOrText as Name] : nameOrText);

describe('Avro schema resolution: compatible reader/writer pairs (TestSchemaCompatibility COMPATIBLE cases)', () => {
  const pairs: [string, string][] = [
    ['BOOLEAN', 'BOOLEAN'],
    ['INT', 'INT'],
    ['LONG', 'INT'],
    ['LONG', 'LONG'],
    ['FLOAT', 'INT'],
    ['FLOAT', 'LONG'],
    ['DOUBLE', 'LONG'],
    ['DOUBLE', 'INT'],
    ['DOUBLE', 'FLOAT'],
    ['STRING', 'STRING'],
    ['BYTES', 'BYTES'],
    ['STRING', 'BYTES'],
    ['BYTES', 'STRING'],
    ['INT_ARRAY', 'INT_ARRAY'],
    ['LONG_ARRAY', 'INT_ARRAY'],
    ['INT_MAP', 'INT_MAP'],
    ['LONG_MAP', 'INT_MAP'],
    ['ENUM1_AB', 'ENUM1_AB'],
    ['ENUM1_ABC', 'ENUM1_AB'],
    ['ENUM1_AB_DEFAULT_A', 'ENUM1_ABC'],
    ['ENUM1_AB_NS1', 'ENUM1_AB_NS2'],
    ['FIXED_4', 'FIXED_4'],
    ['INT_UNION', 'INT_UNION'],
    ['INT_STRING_UNION', 'STRING_INT_UNION'],
    ['INT_UNION', 'INT'],
    ['INT', 'INT_UNION'],
    ['STRING_UNION', 'STRING'],
    ['STRING', 'STRING_UNION'],
    ['INT_LONG_UNION', 'INT'],
    ['LONG', 'INT_UNION'],
    ['DOUBLE', 'INT_LONG_FLOAT_DOUBLE_UNION'],
    ['NULL_INT_ARRAY_UNION', 'INT_ARRAY'],
    ['EMPTY_RECORD1', 'EMPTY_RECORD1'],
    ['EMPTY_RECORD1', 'A_INT_RECORD1'],
    ['A_INT_RECORD1', 'A_INT_RECORD1'],
    ['A_DINT_RECORD1', 'A_INT_RECORD1'],
    ['A_DINT_RECORD1', 'A_DINT_RECORD1'],
    ['A_INT_RECORD1', 'A_DINT_RECORD1'],
    ['A_LONG_RECORD1', 'A_INT_RECORD1'],
    ['A_INT_RECORD1', 'A_INT_B_INT_RECORD1'],
    ['A_INT_B_DINT_RECORD1', 'A_INT_RECORD1'],
    ['A_DINT_B_DINT_RECORD1', 'EMPTY_RECORD1'],
    ['A_DINT_B_DINT_RECORD1', 'A_INT_RECORD1'],
    ['A_DINT_B_DINT_STRING_UNION_RECORD1', 'A_DINT_B_DINT_UNION_RECORD1'],
    ['INT_LIST_RECORD', 'INT_LIST_RECORD'],
    ['LONG_LIST_RECORD', 'INT_LIST_RECORD'],
    ['NS_RECORD1', 'NS_RECORD2'],
    ['WITHOUT_NS', 'WITH_NS'],
    ['WITH_NS', 'WITHOUT_NS'],
    // reader aliases: record name and field name
    ['{"type":"record","name":"New","aliases":["Record1"],"fields":[{"name":"b","aliases":["a"],"type":"int"}]}', 'A_INT_RECORD1'],
    ['{"type":"record","name":"n.New","aliases":["o.Old"],"fields":[]}', '{"type":"record","name":"o.Old","fields":[]}'],
    ['{"type":"enum","name":"New","aliases":["Enum1"],"symbols":["A","B"]}', 'ENUM1_AB'],
    ['{"type":"fixed","name":"New","aliases":["Fixed"],"size":4}', 'FIXED_4'],
    // logical types are ignored
    ['{"type":"long","logicalType":"timestamp-millis"}', 'INT'],
    ['{"type":"string","logicalType":"uuid"}', 'BYTES'],
    ['{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}', '{"type":"bytes","logicalType":"decimal","precision":9,"scale":1}'],
    // a reader enum field with an enum default, missing in the writer, compares the enum with the writer record
    [
      '{"type":"record","name":"R","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":["A"],"default":"A"},"default":"A"}]}',
      '{"type":"record","name":"R","fields":[]}',
    ],
  ];
  it.each(pairs)('reader %s <- writer %s', (r, w) => {
    expect(raw(schemaOf(r), schemaOf(w))).toEqual([]);
  });
});

describe('Avro schema resolution: incompatibilities with Avro messages and locations', () => {
  const rows: [string, string, string, [string, string, string][]][] = [
    // TestSchemaCompatibilityTypeMismatch
    ['null<-int', 'NULL', 'INT', [['TYPE_MISMATCH', 'reader type: NULL not compatible with writer type: INT', '/']]],
    ['boolean<-int', 'BOOLEAN', 'INT', [['TYPE_MISMATCH', 'reader type: BOOLEAN not compatible with writer type: INT', '/']]],
    ['int<-long', 'INT', 'LONG', [['TYPE_MISMATCH', 'reader type: INT not compatible with writer type: LONG', '/']]],
    ['int<-float', 'INT', 'FLOAT', [['TYPE_MISMATCH', 'reader type: INT not compatible with writer type: FLOAT', '/']]],
    ['long<-float', 'LONG', 'FLOAT', [['TYPE_MISMATCH', 'reader type: LONG not compatible with writer type: FLOAT', '/']]],
    ['long<-double', 'LONG', 'DOUBLE', [['TYPE_MISMATCH', 'reader type: LONG not compatible with writer type: DOUBLE', '/']]],
    ['float<-double', 'FLOAT', 'DOUBLE', [['TYPE_MISMATCH', 'reader type: FLOAT not compatible with writer type: DOUBLE', '/']]],
    ['double<-string', 'DOUBLE', 'STRING', [['TYPE_MISMATCH', 'reader type: DOUBLE not compatible with writer type: STRING', '/']]],
    ['fixed<-string', 'FIXED_4', 'STRING', [['TYPE_MISMATCH', 'reader type: FIXED not compatible with writer type: STRING', '/']]],
    ['string<-int', 'STRING', 'INT', [['TYPE_MISMATCH', 'reader type: STRING not compatible with writer type: INT', '/']]],
    ['bytes<-null', 'BYTES', 'NULL', [['TYPE_MISMATCH', 'reader type: BYTES not compatible with writer type: NULL', '/']]],
    ['record<-int', 'A_INT_RECORD1', 'INT', [['TYPE_MISMATCH', 'reader type: RECORD not compatible with writer type: INT', '/']]],
    ['int array<-long array', 'INT_ARRAY', 'LONG_ARRAY', [['TYPE_MISMATCH', 'reader type: INT not compatible with writer type: LONG', '/items']]],
    ['map<-array', 'INT_MAP', 'INT_ARRAY', [['TYPE_MISMATCH', 'reader type: MAP not compatible with writer type: ARRAY', '/']]],
    ['array<-map', 'INT_ARRAY', 'INT_MAP', [['TYPE_MISMATCH', 'reader type: ARRAY not compatible with writer type: MAP', '/']]],
    ['int map<-long map', 'INT_MAP', 'LONG_MAP', [['TYPE_MISMATCH', 'reader type: INT not compatible with writer type: LONG', '/values']]],
    ['int<-enum', 'INT', 'ENUM2_AB', [['TYPE_MISMATCH', 'reader type: INT not compatible with writer type: ENUM', '/']]],
    ['enum<-int', 'ENUM2_AB', 'INT', [['TYPE_MISMATCH', 'reader type: ENUM not compatible with writer type: INT', '/']]],
    [
      'float<-writer union (fresh location, Avro 1.11)',
      'FLOAT',
      'INT_LONG_FLOAT_DOUBLE_UNION',
      [['TYPE_MISMATCH', 'reader type: FLOAT not compatible with writer type: DOUBLE', '/']],
    ],
    ['long<-[int,float]', 'LONG', 'INT_FLOAT_UNION', [['TYPE_MISMATCH', 'reader type: LONG not compatible with writer type: FLOAT', '/']]],
    [
      'recursive list',
      'INT_LIST_RECORD',
      'LONG_LIST_RECORD',
      [['TYPE_MISMATCH', 'reader type: INT not compatible with writer type: LONG', '/fields/0/type']],
    ],
    // TestSchemaCompatibilityMissingUnionBranch
    ['[int]<-[int,string]', 'INT_UNION', 'INT_STRING_UNION', [['MISSING_UNION_BRANCH', 'reader union lacking writer type: STRING', '/1']]],
    ['[string]<-[int,string]', 'STRING_UNION', 'INT_STRING_UNION', [['MISSING_UNION_BRANCH', 'reader union lacking writer type: INT', '/0']]],
    ['[int]<-[long]', 'INT_UNION', 'LONG_UNION', [['MISSING_UNION_BRANCH', 'reader union lacking writer type: LONG', '/0']]],
    ['[int]<-[bytes]', 'INT_UNION', 'BYTES_UNION', [['MISSING_UNION_BRANCH', 'reader union lacking writer type: BYTES', '/0']]],
    [
      '[int]<-[int,record]',
      'INT_UNION',
      '["int",' + '{"type":"record","name":"Record1","fields":[{"name":"field1","type":"int"}]}]',
      [['MISSING_UNION_BRANCH', 'reader union lacking writer type: RECORD', '/1']],
    ],
    [
      '[int,Record1]<-[int,Record2] (detail in the subset schemas is not reported)',
      '["int",{"type":"record","name":"Record1","fields":[{"name":"field1","type":"int"}]}]',
      '["int",{"type":"record","name":"Record2","fields":[{"name":"field1","type":"int"}]}]',
      [['MISSING_UNION_BRANCH', 'reader union lacking writer type: RECORD', '/1']],
    ],
    ['[int]<-[int,enum]', 'INT_UNION', '["int",' + S.ENUM1_AB + ']', [['MISSING_UNION_BRANCH', 'reader union lacking writer type: ENUM', '/1']]],
    ['[int]<-[int,fixed]', 'INT_UNION', '["int",' + S.FIXED_4 + ']', [['MISSING_UNION_BRANCH', 'reader union lacking writer type: FIXED', '/1']]],
    ['[int]<-[int,map]', 'INT_UNION', '["int",' + S.INT_MAP + ']', [['MISSING_UNION_BRANCH', 'reader union lacking writer type: MAP', '/1']]],
    ['[int]<-[int,null]', 'INT_UNION', '["int","null"]', [['MISSING_UNION_BRANCH', 'reader union lacking writer type: NULL', '/1']]],
    [
      '[int]<-[int,long,float,double]',
      'INT_UNION',
      'INT_LONG_FLOAT_DOUBLE_UNION',
      [
        ['MISSING_UNION_BRANCH', 'reader union lacking writer type: LONG', '/1'],
        ['MISSING_UNION_BRANCH', 'reader union lacking writer type: FLOAT', '/2'],
        ['MISSING_UNION_BRANCH', 'reader union lacking writer type: DOUBLE', '/3'],
      ],
    ],
    [
      'union in a record field',
      'A_DINT_B_DINT_UNION_RECORD1',
      'A_DINT_B_DINT_STRING_UNION_RECORD1',
      [['MISSING_UNION_BRANCH', 'reader union lacking writer type: STRING', '/fields/1/type/1']],
    ],
    ['reader union <- non-union writer', 'INT_LONG_UNION', 'STRING', [['MISSING_UNION_BRANCH', 'reader union lacking writer type: STRING', '/']]],
    // TestSchemaCompatibilityNameMismatch
    ['enum name', 'ENUM1_AB', 'ENUM2_AB', [['NAME_MISMATCH', 'expected: Enum2', '/name']]],
    ['record name', 'EMPTY_RECORD2', 'EMPTY_RECORD1', [['NAME_MISMATCH', 'expected: Record1', '/name']]],
    ['fixed name', 'FIXED_4_OTHER', 'FIXED_4', [['NAME_MISMATCH', 'expected: Fixed', '/name']]],
    ['nested enum name', 'A_DINT_B_DENUM_1_RECORD1', 'A_DINT_B_DENUM_2_RECORD1', [['NAME_MISMATCH', 'expected: Enum2', '/fields/1/type/name']]],
    ['full name in message', 'EMPTY_RECORD1', '{"type":"record","name":"ns.Other","fields":[]}', [['NAME_MISMATCH', 'expected: ns.Other', '/name']]],
    [
      'writer alias does not help',
      '{"type":"record","name":"B","fields":[]}',
      '{"type":"record","name":"A","aliases":["B"],"fields":[]}',
      [['NAME_MISMATCH', 'expected: A', '/name']],
    ],
    // TestSchemaCompatibilityFixedSizeMismatch
    ['fixed size', 'FIXED_4', 'FIXED_8', [['FIXED_SIZE_MISMATCH', 'expected: 8, found: 4', '/size']]],
    ['fixed size 8<-4', 'FIXED_8', 'FIXED_4', [['FIXED_SIZE_MISMATCH', 'expected: 4, found: 8', '/size']]],
    [
      'nested fixed size',
      'A_DINT_B_DFIXED_8_RECORD1',
      'A_DINT_B_DFIXED_4_RECORD1',
      [['FIXED_SIZE_MISMATCH', 'expected: 4, found: 8', '/fields/1/type/size']],
    ],
    [
      'fixed name and size',
      '{"type":"fixed","name":"X","size":2}',
      'FIXED_4',
      [
        ['NAME_MISMATCH', 'expected: Fixed', '/name'],
        ['FIXED_SIZE_MISMATCH', 'expected: 4, found: 2', '/size'],
      ],
    ],
    // TestSchemaCompatibilityMissingEnumSymbols
    ['enum missing C', 'ENUM1_AB', 'ENUM1_ABC', [['MISSING_ENUM_SYMBOLS', '[C]', '/symbols']]],
    ['enum missing A', 'ENUM1_BC', 'ENUM1_ABC', [['MISSING_ENUM_SYMBOLS', '[A]', '/symbols']]],
    [
      'enum missing sorted',
      '{"type":"enum","name":"Enum1","symbols":["B"]}',
      '{"type":"enum","name":"Enum1","symbols":["Z","B","A","C"]}',
      [['MISSING_ENUM_SYMBOLS', '[A, C, Z]', '/symbols']],
    ],
    [
      'nested enum symbols',
      '{"type":"record","name":"R","fields":[{"name":"x","type":"int","default":0},{"name":"e","type":' + S.ENUM1_AB + '}]}',
      '{"type":"record","name":"R","fields":[{"name":"x","type":"int","default":0},{"name":"e","type":' + S.ENUM1_ABC + '}]}',
      [['MISSING_ENUM_SYMBOLS', '[C]', '/fields/1/type/symbols']],
    ],
    // TestSchemaCompatibilityReaderFieldMissingDefaultValue
    ['missing default', 'A_INT_RECORD1', 'EMPTY_RECORD1', [['READER_FIELD_MISSING_DEFAULT_VALUE', 'a', '/fields/0']]],
    ['missing default 2nd field', 'A_INT_B_INT_RECORD1', 'A_INT_RECORD1', [['READER_FIELD_MISSING_DEFAULT_VALUE', 'b', '/fields/1']]],
    [
      'reader enum field with enum default but no field default is compared with the writer record',
      '{"type":"record","name":"R","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":["A"],"default":"A"}}]}',
      '{"type":"record","name":"R","fields":[]}',
      [['TYPE_MISMATCH', 'reader type: ENUM not compatible with writer type: RECORD', '/fields/0/type']],
    ],
    // several at once, in Java's order (name first, then fields in reader order)
    [
      'multiple',
      '{"type":"record","name":"X","fields":[{"name":"a","type":"int"},{"name":"n","type":"string"},{"name":"e","type":' + S.ENUM1_AB + '}]}',
      '{"type":"record","name":"Y","fields":[{"name":"a","type":"string"},{"name":"e","type":' + S.ENUM1_ABC + '}]}',
      [
        ['NAME_MISMATCH', 'expected: Y', '/name'],
        ['TYPE_MISMATCH', 'reader type: INT not compatible with writer type: STRING', '/fields/0/type'],
        ['READER_FIELD_MISSING_DEFAULT_VALUE', 'n', '/fields/1'],
        ['MISSING_ENUM_SYMBOLS', '[C]', '/fields/2/type/symbols'],
      ],
    ],
    [
      'writer union branches inside a record restart at "/" (Avro 1.11 location)',
      '{"type":"record","name":"R","fields":[{"name":"f","type":"string"}]}',
      '{"type":"record","name":"R","fields":[{"name":"f","type":["null","string","int"]}]}',
      [
        ['TYPE_MISMATCH', 'reader type: STRING not compatible with writer type: NULL', '/'],
        ['TYPE_MISMATCH', 'reader type: STRING not compatible with writer type: INT', '/'],
      ],
    ],
  ];
  it.each(rows)('%s', (_name, r, w, expected) => {
    const got = raw(schemaOf(r), schemaOf(w)).map((i) => [i.type, i.message, i.location]);
    expect(got).toEqual(expected);
  });

  it('escapes JSON pointer tokens', () => {
    // field positions and literal tokens never contain '/' or '~'; the escaping itself is Java's
    expect(raw(S.A_INT_RECORD1, S.EMPTY_RECORD1)[0].location).toBe('/fields/0');
  });

  it('terminates on mutually recursive types', () => {
    const a =
      '{"type":"record","name":"A","fields":[{"name":"b","type":{"type":"record","name":"B","fields":[{"name":"a","type":["null","A"]},{"name":"x","type":"int"}]}}]}';
    const a2 =
      '{"type":"record","name":"A","fields":[{"name":"b","type":{"type":"record","name":"B","fields":[{"name":"a","type":["null","A"]},{"name":"x","type":"long"}]}}]}';
    expect(raw(a, a)).toEqual([]);
    expect(raw(a2, a)).toEqual([]);
    expect(raw(a, a2).map((i) => [i.type, i.location])).toEqual([['TYPE_MISMATCH', '/fields/0/type/fields/1/type']]);
  });

  it('reports every flat pair (primitives, unions of primitives: decided without the memo) at its own location', () => {
    // Optional fields of the same shape, a recursive field between them, a promotion and a
    // reader union probing its branches against a writer primitive: each answer is the field's own.
    const record = (types: string[]) =>
      JSON.stringify({
        type: 'record',
        name: 'R',
        fields: [...types.map((type, i) => ({ name: `f${i}`, type: JSON.parse(type) })), { name: 'next', type: ['null', 'R'], default: null }],
      });
    const reader = record(['["null","string"]', '["null","string"]', '"long"', '["null","double"]', '["null","string"]']);
    const writer = record(['["null","int"]', '["null","string"]', '"int"', '"float"', '["null","bytes","int"]']);
    expect(raw(reader, writer).map((i) => [i.type, i.message, i.location])).toEqual([
      ['MISSING_UNION_BRANCH', 'reader union lacking writer type: INT', '/fields/0/type/1'],
      ['MISSING_UNION_BRANCH', 'reader union lacking writer type: INT', '/fields/4/type/2'],
    ]);
    expect(raw(writer, reader).map((i) => [i.type, i.message, i.location])).toEqual([
      ['MISSING_UNION_BRANCH', 'reader union lacking writer type: STRING', '/fields/0/type/1'],
      ['TYPE_MISMATCH', 'reader type: INT not compatible with writer type: LONG', '/fields/2/type'],
      // a writer union against a reader primitive: each branch in a fresh location (Avro 1.11)
      ['TYPE_MISMATCH', 'reader type: FLOAT not compatible with writer type: NULL', '/'],
      ['TYPE_MISMATCH', 'reader type: FLOAT not compatible with writer type: DOUBLE', '/'],
    ]);
    expect(raw(reader, reader)).toEqual([]);
  });
});

// Confluent's AvroCompatibilityTest schemas (core/src/test/.../avro/AvroCompatibilityTest.java)
const C = {
  s1: '{"type":"record","name":"myrecord","fields":[{"type":"string","name":"f1"}]}',
  s2: '{"type":"record","name":"myrecord","fields":[{"type":"string","name":"f1"},{"type":"string","name":"f2","default":"foo"}]}',
  s3: '{"type":"record","name":"myrecord","fields":[{"type":"string","name":"f1"},{"type":"string","name":"f2"}]}',
  s4: '{"type":"record","name":"myrecord","fields":[{"type":"string","name":"f1_new","aliases":["f1"]}]}',
  s6: '{"type":"record","name":"myrecord","fields":[{"type":["null","string"],"name":"f1","doc":"doc of f1"}]}',
  s7: '{"type":"record","name":"myrecord","fields":[{"type":["null","string","int"],"name":"f1","doc":"doc of f1"}]}',
  s8: '{"type":"record","name":"myrecord","fields":[{"type":"string","name":"f1"},{"type":"string","name":"f2","default":"foo"},{"type":"string","name":"f3","default":"bar"}]}',
} as const;
type CName = keyof typeof C;
const check = (cand: string, prev: string, dir: Direction) => avroFormat.compatibility(avroFormat.parse(cand, []), avroFormat.parse(prev, []), dir);
/** Transitive levels are the core's loop; here: every previous schema, newest first, stop at the first failure. */
const transitive = (cand: CName, prevs: CName[], dir: Direction) => {
  for (const p of [...prevs].reverse()) {
    const m = check(C[cand], C[p], dir);
    if (m.length > 0) return m;
  }
  return [];
};

describe('Confluent AvroCompatibilityTest scenarios', () => {
  it.each([
    // testBasicBackwardsCompatibility
    ['s2', ['s1'], 'BACKWARD', true, 'adding a field with default'],
    ['s3', ['s1'], 'BACKWARD', false, 'adding a field w/o default'],
    ['s4', ['s1'], 'BACKWARD', true, 'changing field name with alias'],
    ['s6', ['s1'], 'BACKWARD', true, 'evolving a field type to a union'],
    ['s1', ['s6'], 'BACKWARD', false, 'removing a type from a union'],
    ['s7', ['s6'], 'BACKWARD', true, 'adding a new type in union'],
    ['s6', ['s7'], 'BACKWARD', false, 'removing a type from a union'],
    // testBasicForwardsCompatibility
    ['s2', ['s1'], 'FORWARD', true, 'adding a field'],
    ['s3', ['s1'], 'FORWARD', true, 'adding a field'],
    ['s3', ['s2'], 'FORWARD', true, 'adding a field'],
    ['s2', ['s3'], 'FORWARD', true, 'adding a field'],
    ['s1', ['s2'], 'FORWARD', true, 'removing a field with a default'],
    ['s1', ['s3'], 'FORWARD', false, 'removing a field without a default'],
    // testBasicFullCompatibility
    ['s2', ['s1'], 'FULL', true, 'adding a field with default'],
    ['s3', ['s2'], 'FULL', true, 'only the latest is checked (not transitive)'],
    ['s1', ['s2'], 'FULL', true, 'only the latest is checked (not transitive)'],
    ['s3', ['s1'], 'FULL', false, 'adding a field without a default'],
    ['s1', ['s3'], 'FULL', false, 'removing a field without a default'],
  ] as [CName, CName[], Direction, boolean, string][])('%s vs %j %s -> compatible=%s (%s)', (cand, prevs, dir, ok) => {
    expect(check(C[cand], C[prevs[prevs.length - 1]], dir).length === 0).toBe(ok);
  });

  it.each([
    // testBasicBackwardsTransitiveCompatibility
    ['s8', ['s1', 's2'], 'BACKWARD', true],
    ['s3', ['s2'], 'BACKWARD', true],
    ['s3', ['s2', 's1'], 'BACKWARD', false],
    // testBasicForwardsTransitiveCompatibility
    ['s1', ['s8', 's2'], 'FORWARD', true],
    ['s2', ['s3'], 'FORWARD', true],
    ['s1', ['s2', 's3'], 'FORWARD', false],
    // testBasicFullTransitiveCompatibility
    ['s8', ['s1', 's2'], 'FULL', true],
    ['s1', ['s8', 's2'], 'FULL', true],
    ['s3', ['s2', 's1'], 'FULL', false],
    ['s1', ['s2', 's3'], 'FULL', false],
  ] as [CName, CName[], Direction, boolean][])('transitive %s vs %j %s -> compatible=%s', (cand, prevs, dir, ok) => {
    expect(transitive(cand, prevs, dir).length === 0).toBe(ok);
  });
});

describe('Confluent message texts (Difference.error with new/old filled in)', () => {
  const rec = (fields: string, name = 'r') => `{"type":"record","name":"${name}","fields":[${fields}]}`;
  it.each([
    [
      'READER_FIELD_MISSING_DEFAULT_VALUE backward',
      C.s3,
      C.s1,
      'BACKWARD',
      [
        "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'f2' at path '/fields/1' in the new schema has no default value and is missing in the old schema', additionalInfo:'f2'}",
      ],
    ],
    [
      'READER_FIELD_MISSING_DEFAULT_VALUE forward',
      C.s1,
      C.s3,
      'FORWARD',
      [
        "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'f2' at path '/fields/1' in the old schema has no default value and is missing in the new schema', additionalInfo:'f2'}",
      ],
    ],
    [
      'TYPE_MISMATCH backward',
      rec('{"name":"f1","type":"int"}'),
      rec('{"name":"f1","type":"string"}'),
      'BACKWARD',
      [
        "{errorType:'TYPE_MISMATCH', description:'The type (path '/fields/0/type') of a field in the new schema does not match with the old schema', additionalInfo:'reader type: INT not compatible with writer type: STRING'}",
      ],
    ],
    [
      'TYPE_MISMATCH full: forward messages first',
      rec('{"name":"f1","type":"int"}'),
      rec('{"name":"f1","type":"string"}'),
      'FULL',
      [
        "{errorType:'TYPE_MISMATCH', description:'The type (path '/fields/0/type') of a field in the old schema does not match with the new schema', additionalInfo:'reader type: STRING not compatible with writer type: INT'}",
        "{errorType:'TYPE_MISMATCH', description:'The type (path '/fields/0/type') of a field in the new schema does not match with the old schema', additionalInfo:'reader type: INT not compatible with writer type: STRING'}",
      ],
    ],
    [
      'promotion int -> long is backward but not forward compatible (FULL reports the forward side)',
      rec('{"name":"f1","type":"long"}'),
      rec('{"name":"f1","type":"int"}'),
      'FULL',
      [
        "{errorType:'TYPE_MISMATCH', description:'The type (path '/fields/0/type') of a field in the old schema does not match with the new schema', additionalInfo:'reader type: INT not compatible with writer type: LONG'}",
      ],
    ],
    [
      'MISSING_UNION_BRANCH backward',
      C.s6,
      C.s7,
      'BACKWARD',
      [
        "{errorType:'MISSING_UNION_BRANCH', description:'The new schema is missing a type inside a union field at path '/fields/0/type/2' in the old schema', additionalInfo:'reader union lacking writer type: INT'}",
      ],
    ],
    [
      'MISSING_UNION_BRANCH forward',
      C.s7,
      C.s6,
      'FORWARD',
      [
        "{errorType:'MISSING_UNION_BRANCH', description:'The old schema is missing a type inside a union field at path '/fields/0/type/2' in the new schema', additionalInfo:'reader union lacking writer type: INT'}",
      ],
    ],
    [
      'union -> non-union reader',
      C.s1,
      C.s6,
      'BACKWARD',
      [
        "{errorType:'TYPE_MISMATCH', description:'The type (path '/') of a field in the new schema does not match with the old schema', additionalInfo:'reader type: STRING not compatible with writer type: NULL'}",
      ],
    ],
    [
      'MISSING_ENUM_SYMBOLS',
      rec('{"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"]}}'),
      rec('{"name":"e","type":{"type":"enum","name":"E","symbols":["A","B","C"]}}'),
      'BACKWARD',
      [
        "{errorType:'MISSING_ENUM_SYMBOLS', description:'The new schema is missing enum symbols '[C]' at path '/fields/0/type/symbols' in the old schema', additionalInfo:'[C]'}",
      ],
    ],
    [
      'enum symbol added: forward incompatible without a reader default',
      rec('{"name":"e","type":{"type":"enum","name":"E","symbols":["A","B","C"]}}'),
      rec('{"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"]}}'),
      'FORWARD',
      [
        "{errorType:'MISSING_ENUM_SYMBOLS', description:'The old schema is missing enum symbols '[C]' at path '/fields/0/type/symbols' in the new schema', additionalInfo:'[C]'}",
      ],
    ],
    [
      'enum symbol added: forward compatible with an old enum default',
      rec('{"name":"e","type":{"type":"enum","name":"E","symbols":["A","B","C"],"default":"A"}}'),
      rec('{"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"],"default":"A"}}'),
      'FULL',
      [],
    ],
    [
      'NAME_MISMATCH',
      rec('{"name":"f1","type":"string"}', 'B'),
      rec('{"name":"f1","type":"string"}', 'A'),
      'BACKWARD',
      ["{errorType:'NAME_MISMATCH', description:'The name of the schema has changed (path '/name')', additionalInfo:'expected: A'}"],
    ],
    [
      'renamed record with alias',
      '{"type":"record","name":"B","aliases":["A"],"fields":[]}',
      '{"type":"record","name":"A","fields":[]}',
      'BACKWARD',
      [],
    ],
    ['namespace change only', '{"type":"record","name":"x.A","fields":[]}', '{"type":"record","name":"y.A","fields":[]}', 'FULL', []],
    [
      'FIXED_SIZE_MISMATCH',
      rec('{"name":"h","type":{"type":"fixed","name":"H","size":8}}'),
      rec('{"name":"h","type":{"type":"fixed","name":"H","size":4}}'),
      'BACKWARD',
      [
        "{errorType:'FIXED_SIZE_MISMATCH', description:'The size of FIXED type field at path '/fields/0/type/size' in the new schema does not match with the old schema', additionalInfo:'expected: 4, found: 8'}",
      ],
    ],
    ['string <-> bytes is fully compatible', rec('{"name":"b","type":"bytes"}'), rec('{"name":"b","type":"string"}'), 'FULL', []],
    ['float -> double backward', rec('{"name":"d","type":"double"}'), rec('{"name":"d","type":"float"}'), 'BACKWARD', []],
    [
      'arrays and maps recursively',
      rec('{"name":"m","type":{"type":"map","values":{"type":"array","items":"int"}}}'),
      rec('{"name":"m","type":{"type":"map","values":{"type":"array","items":"long"}}}'),
      'BACKWARD',
      [
        "{errorType:'TYPE_MISMATCH', description:'The type (path '/fields/0/type/values/items') of a field in the new schema does not match with the old schema', additionalInfo:'reader type: INT not compatible with writer type: LONG'}",
      ],
    ],
    [
      'logical types ignored',
      rec('{"name":"t","type":{"type":"long","logicalType":"timestamp-micros"}}'),
      rec('{"name":"t","type":"long"}'),
      'FULL',
      [],
    ],
    [
      'ambiguous field aliases are an unexpected exception',
      rec('{"name":"a","aliases":["b"],"type":"int"}'),
      rec('{"name":"a","type":"int"},{"name":"b","type":"int"}'),
      'BACKWARD',
      [
        'Unexpected exception during compatibility check: Reader record field a type:INT pos:0 matches multiple fields in writer record schema {"type":"record","name":"r","fields":[{"name":"a","type":"int"},{"name":"b","type":"int"}]}',
      ],
    ],
  ] as [string, string, string, Direction, string[]][])('%s', (_name, cand, prev, dir, expected) => {
    expect(check(cand, prev, dir)).toEqual(expected);
  });

  it('works across references (types compared structurally through the shared graph)', () => {
    const ref = (size: number) => ({ name: 'H', subject: 'h', version: size, schema: `{"type":"fixed","name":"H","size":${size}}`, references: [] });
    const main = '{"type":"record","name":"R","fields":[{"name":"h","type":"H"}]}';
    const a = avroFormat.parse(main, [ref(4)]);
    const b = avroFormat.parse(main, [ref(8)]);
    expect(a.canonical).toBe(b.canonical);
    expect(avroFormat.compatibility(b, a, 'BACKWARD')).toEqual([
      "{errorType:'FIXED_SIZE_MISMATCH', description:'The size of FIXED type field at path '/fields/0/type/size' in the new schema does not match with the old schema', additionalInfo:'expected: 4, found: 8'}",
    ]);
  });
});
