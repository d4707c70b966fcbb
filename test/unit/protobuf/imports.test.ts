import { describe, expect, it } from 'vitest';
import { SchemaParseError } from '../../../src/domain/errors';
import type { ResolvedReference } from '../../../src/domain/format';
import { BUNDLED_PROTOS, parseProtobuf } from '../../../src/domain/protobuf';

const ref = (name: string, schema: string, references: ResolvedReference[] = []): ResolvedReference => ({
  name,
  subject: name.replace('.proto', ''),
  version: 1,
  schema,
  references,
});

describe('imports resolve through references (name = import path) and bundled files', () => {
  it.each([
    ['google/protobuf/timestamp.proto', 'google.protobuf.Timestamp'],
    ['google/protobuf/duration.proto', 'google.protobuf.Duration'],
    ['google/protobuf/any.proto', 'google.protobuf.Any'],
    ['google/protobuf/struct.proto', 'google.protobuf.Struct'],
    ['google/protobuf/wrappers.proto', 'google.protobuf.Int64Value'],
    ['google/protobuf/empty.proto', 'google.protobuf.Empty'],
    ['google/protobuf/field_mask.proto', 'google.protobuf.FieldMask'],
    ['google/protobuf/api.proto', 'google.protobuf.Api'],
    ['google/protobuf/type.proto', 'google.protobuf.Type'],
    ['google/protobuf/source_context.proto', 'google.protobuf.SourceContext'],
    ['google/protobuf/descriptor.proto', 'google.protobuf.FileDescriptorProto'],
    ['google/type/date.proto', 'google.type.Date'],
    ['google/type/datetime.proto', 'google.type.DateTime'],
    ['google/type/money.proto', 'google.type.Money'],
    ['google/type/latlng.proto', 'google.type.LatLng'],
    ['google/type/timeofday.proto', 'google.type.TimeOfDay'],
    ['google/type/dayofweek.proto', 'google.type.DayOfWeek'],
    ['google/type/month.proto', 'google.type.Month'],
    ['google/type/color.proto', 'google.type.Color'],
    ['google/type/postal_address.proto', 'google.type.PostalAddress'],
    ['google/type/expr.proto', 'google.type.Expr'],
    ['google/type/fraction.proto', 'google.type.Fraction'],
    ['google/type/interval.proto', 'google.type.Interval'],
    ['google/type/localized_text.proto', 'google.type.LocalizedText'],
    ['google/type/phone_number.proto', 'google.type.PhoneNumber'],
    ['google/type/quaternion.proto', 'google.type.Quaternion'],
    ['google/type/calendar_period.proto', 'google.type.CalendarPeriod'],
    ['google/type/decimal.proto', 'google.type.Decimal'],
    ['confluent/type/decimal.proto', 'confluent.type.Decimal'],
    ['confluent/meta.proto', 'confluent.Meta'],
  ])('%s provides %s without registration', (path, type) => {
    const s = parseProtobuf(`syntax = "proto3";\nimport "${path}";\nmessage A { ${type} f = 1; }`, []);
    expect(s.symbols.types.has(type)).toBe(true);
    expect(s.canonical).toContain(`import "${path}";`);
  });

  it.each([
    ['Timestamp', 'google.protobuf.Timestamp', ['seconds:int64:1', 'nanos:int32:2']],
    ['Duration', 'google.protobuf.Duration', ['seconds:int64:1', 'nanos:int32:2']],
    ['Any', 'google.protobuf.Any', ['type_url:string:1', 'value:bytes:2']],
    ['Money', 'google.type.Money', ['currency_code:string:1', 'units:int64:2', 'nanos:int32:3']],
    ['Date', 'google.type.Date', ['year:int32:1', 'month:int32:2', 'day:int32:3']],
    ['LatLng', 'google.type.LatLng', ['latitude:double:1', 'longitude:double:2']],
    ['confluent Decimal', 'confluent.type.Decimal', ['value:bytes:1', 'precision:uint32:2', 'scale:int32:3']],
    ['Int64Value', 'google.protobuf.Int64Value', ['value:int64:1']],
  ])('bundled %s has the real field names, types and numbers', (_n, type, fields) => {
    const path = [...BUNDLED_PROTOS.keys()].find((p) => BUNDLED_PROTOS.get(p)!.includes(`message ${type.split('.').pop()} {`))!;
    const s = parseProtobuf(`syntax = "proto3";\nimport "${path}";\nmessage A { ${type} f = 1; }`, []);
    const m = s.symbols.types.get(type)!.element;
    expect(m.kind).toBe('message');
    if (m.kind === 'message') expect(m.fields.map((f) => `${f.name}:${f.type}:${f.tag}`)).toEqual(fields);
  });

  it('resolves a registered reference by import path, with its own references', () => {
    const base = ref('base.proto', 'syntax = "proto3";\npackage base;\nmessage Id { string v = 1; }');
    const mid = ref('mid.proto', 'syntax = "proto3";\npackage mid;\nimport "base.proto";\nmessage M { base.Id id = 1; }', [base]);
    const s = parseProtobuf('syntax = "proto3";\npackage app;\nimport "mid.proto";\nmessage A { mid.M m = 1; }', [mid]);
    expect([...s.symbols.files.keys()].sort()).toEqual(['', 'base.proto', 'mid.proto']);
    expect(s.symbols.types.get('mid.M')?.loaded.ref).toEqual({ subject: 'mid', version: 1 });
  });

  it('a registered reference takes precedence over a bundled file of the same name', () => {
    const mine = ref('google/type/money.proto', 'syntax = "proto3";\npackage google.type;\nmessage Money { string amount = 1; }');
    const s = parseProtobuf('syntax = "proto3";\nimport "google/type/money.proto";\nmessage A { google.type.Money m = 1; }', [mine]);
    const m = s.symbols.types.get('google.type.Money')!.element;
    expect(m.kind === 'message' && m.fields.map((f) => f.name)).toEqual(['amount']);
  });

  it('public imports are re-exported, plain imports of imports are not visible', () => {
    const inner = ref('inner.proto', 'syntax = "proto3";\npackage i;\nmessage I {}');
    const viaPublic = ref('pub.proto', 'syntax = "proto3";\nimport public "inner.proto";', [inner]);
    expect(() => parseProtobuf('syntax = "proto3";\nimport "pub.proto";\nmessage A { i.I x = 1; }', [viaPublic])).not.toThrow();
    const viaPlain = ref('plain.proto', 'syntax = "proto3";\nimport "inner.proto";', [inner]);
    expect(() => parseProtobuf('syntax = "proto3";\nimport "plain.proto";\nmessage A { i.I x = 1; }', [viaPlain])).toThrow(/"i.I" is not defined/);
  });

  it.each([
    ['unused missing import is tolerated (like Wire)', 'syntax = "proto3";\nimport "nowhere.proto";\nmessage A { int32 a = 1; }', null],
    [
      'used missing import fails',
      'syntax = "proto3";\nimport "nowhere.proto";\nmessage A { x.Y y = 1; }',
      /"x.Y" is not defined\. \(imports not found: "nowhere.proto"/,
    ],
    [
      'type defined twice across files',
      'syntax = "proto3";\npackage google.protobuf;\nimport "google/protobuf/empty.proto";\nmessage Empty {}',
      /"google.protobuf.Empty" is already defined in file "google\/protobuf\/empty.proto"/,
    ],
    ['invalid referenced schema', 'syntax = "proto3";\nimport "bad.proto";', /Invalid referenced schema "bad.proto": Syntax error at 1:1/],
  ])('%s', (_n, text, error) => {
    const refs = [ref('bad.proto', 'garbage')];
    if (error === null) expect(() => parseProtobuf(text, refs)).not.toThrow();
    else {
      expect(() => parseProtobuf(text, refs)).toThrow(SchemaParseError);
      expect(() => parseProtobuf(text, refs)).toThrow(error);
    }
  });

  it('bounds reference depth', () => {
    let r: ResolvedReference = ref('r0.proto', 'syntax = "proto3";');
    for (let i = 1; i < 40; i++) r = ref(`r${i}.proto`, `syntax = "proto3";\nimport "r${i - 1}.proto";`, [r]);
    expect(() => parseProtobuf('syntax = "proto3";\nimport "r39.proto";', [r])).toThrow(/nested deeper than 32 levels/);
  });

  it('cyclic imports terminate', () => {
    const a: ResolvedReference = ref('a.proto', 'syntax = "proto3";\nimport "b.proto";\nmessage A {}');
    const b: ResolvedReference = ref('b.proto', 'syntax = "proto3";\nimport "a.proto";\nmessage B {}', [a]);
    a.references = [b];
    expect(() => parseProtobuf('syntax = "proto3";\nimport "a.proto";\nmessage C { A a = 1; }', [a])).not.toThrow();
  });
});
