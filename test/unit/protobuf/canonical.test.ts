import { describe, expect, it } from 'vitest';
import { SchemaParseError } from '../../../src/domain/errors';
import { parseProtobuf } from '../../../src/domain/protobuf';

/** Expected texts follow Confluent's ProtobufSchemaUtils.toString / toNormalizedString layout. */
describe('canonical form (Confluent re-printed text)', () => {
  it.each([
    [
      'header sections, messages then enums, no comments',
      `// c\nsyntax="proto3";package a.b;import "google/protobuf/timestamp.proto";option java_package="x";\nenum E{Z=0;}\nmessage M{string s=1;/* c */google.protobuf.Timestamp t=2;}`,
      'syntax = "proto3";\npackage a.b;\n\nimport "google/protobuf/timestamp.proto";\n\noption java_package = "x";\n\nmessage M {\n  string s = 1;\n  google.protobuf.Timestamp t = 2;\n}\nenum E {\n  Z = 0;\n}\n',
    ],
    ['empty message', 'syntax = "proto3"; message A {}', 'syntax = "proto3";\n\nmessage A {}\n'],
    [
      'message sections separated by blank lines, nested indented (blank line indented too)',
      'syntax = "proto3"; message A { reserved 3, 5 to 7, "x"; option deprecated = true; int32 a = 1; oneof o { string b = 2; } message N { reserved 9; int32 z = 1; } enum K { K0 = 0; } }',
      'syntax = "proto3";\n\nmessage A {\n  reserved 3, 5 to 7, "x";\n\n  option deprecated = true;\n\n  int32 a = 1;\n\n  oneof o {\n    string b = 2;\n  }\n\n  message N {\n    reserved 9;\n  \n    int32 z = 1;\n  }\n  enum K {\n    K0 = 0;\n  }\n}\n',
    ],
    [
      'field options: one inline, several on lines; default and json_name last; strings escaped',
      'syntax = "proto2"; message A { optional string s = 1 [default = "a\\"b"]; optional int32 i = 2 [json_name = "I", deprecated = true]; }',
      'syntax = "proto2";\n\nmessage A {\n  optional string s = 1 [default = "a\\"b"];\n  optional int32 i = 2 [\n    deprecated = true,\n    json_name = "I"\n  ];\n}\n',
    ],
    [
      'map type spelled map<K, V>, labels as written',
      'syntax = "proto3"; message A { map<string,int32> m = 1; optional bool b = 2; repeated bytes r = 3; }',
      'syntax = "proto3";\n\nmessage A {\n  map<string, int32> m = 1;\n  optional bool b = 2;\n  repeated bytes r = 3;\n}\n',
    ],
    [
      'aggregate option value',
      'syntax = "proto3"; option (x) = { a: 1 b: "s" c { d: true } };',
      'syntax = "proto3";\n\noption (x) = {\n  a: 1,\n  b: "s",\n  c: {\n    d: true\n  }\n};\n',
    ],
    [
      'groups, extensions and extend (Wire layout)',
      'syntax = "proto2"; message A { optional group G = 1 { optional int32 x = 2; } extensions 100 to max; } extend A { optional int32 e = 100; }',
      'syntax = "proto2";\n\nmessage A {\n  optional group G = 1 {\n    optional int32 x = 2;\n  }\n\n  extensions 100 to max;\n}\n\nextend A {\n  optional int32 e = 100;\n}\n',
    ],
    [
      'service with options and streaming rpc',
      'syntax = "proto3"; message Q {} service S { rpc A (stream Q) returns (Q) { option deprecated = true; } }',
      'syntax = "proto3";\n\nmessage Q {}\n\nservice S {\n  rpc A (stream Q) returns (Q) {\n    option deprecated = true;\n  };\n}\n',
    ],
    [
      'enum value options, public import',
      'syntax = "proto3"; import public "google/protobuf/empty.proto"; enum E { A = 0 [deprecated = true]; }',
      'syntax = "proto3";\n\nimport public "google/protobuf/empty.proto";\n\nenum E {\n  A = 0 [deprecated = true];\n}\n',
    ],
    [
      'enum reserved printed first, no blank line before the values; top of range is max',
      'syntax = "proto3"; enum Color { reserved 8 to max; reserved 4, "GREY"; BLACK = 0; WHITE = 1; }',
      'syntax = "proto3";\n\nenum Color {\n  reserved 8 to max;\n  reserved 4, "GREY";\n  BLACK = 0;\n  WHITE = 1;\n}\n',
    ],
    [
      'message reserved up to max prints max, `n to n` kept as written',
      'syntax = "proto3"; message Box { reserved 50 to max, 7 to 7; int32 w = 1; }',
      'syntax = "proto3";\n\nmessage Box {\n  reserved 50 to max, 7 to 7;\n\n  int32 w = 1;\n}\n',
    ],
    [
      'list option values: one item stays inside [ ] on the line, several go on lines',
      'syntax = "proto3"; option (box.labels) = ["fragile"]; option (box.dims) = [{ h: 1 }]; option (box.sides) = [1, 2]; message Box { int32 w = 1 [(box.f) = 1, (box.tags) = ["x"]]; }',
      'syntax = "proto3";\n\noption (box.labels) = ["fragile"];\noption (box.dims) = [{\n  h: 1\n}];\noption (box.sides) = [\n  1,\n  2\n];\n\nmessage Box {\n  int32 w = 1 [\n    (box.f) = 1,\n    (box.tags) = ["x"]\n  ];\n}\n',
    ],
    [
      'option name with a dotted path after the extension: (ext).a.b',
      'syntax = "proto3"; message Box { int32 w = 1 [(box.meta).size.unit = "cm"]; }',
      'syntax = "proto3";\n\nmessage Box {\n  int32 w = 1 [(box.meta).size.unit = "cm"];\n}\n',
    ],
  ])('%s', (_name, input, expected) => {
    const s = parseProtobuf(input, []);
    expect(s.canonical).toBe(expected);
    // The canonical text parses back to itself.
    expect(parseProtobuf(s.canonical, []).canonical).toBe(expected);
  });

  it('two spellings of the same schema get the same canonical text', () => {
    const a = parseProtobuf('syntax = "proto3";\n// x\nmessage A {\n\n  int32 a = 1;\n}\n', []);
    const b = parseProtobuf('syntax="proto3";message A{int32 a=1;}', []);
    expect(a.canonical).toBe(b.canonical);
  });
});

describe('normalized form (Confluent normalize=true)', () => {
  it.each([
    [
      'sorts imports, options, fields, enum values; qualifies types',
      'syntax = "proto3"; package p; import "google/protobuf/timestamp.proto"; import "google/protobuf/any.proto"; option java_package = "j"; option go_package = "g"; message M { google.protobuf.Timestamp t = 2; int32 a = 1; E e = 3; enum E { A = 0; C = 2; B = 1; } }',
      'syntax = "proto3";\npackage p;\n\nimport "google/protobuf/any.proto";\nimport "google/protobuf/timestamp.proto";\n\noption go_package = "g";\noption java_package = "j";\n\nmessage M {\n  int32 a = 1;\n  .google.protobuf.Timestamp t = 2;\n  .p.M.E e = 3;\n\n  enum E {\n    A = 0;\n    B = 1;\n    C = 2;\n  }\n}\n',
    ],
    [
      'map values qualified, oneofs sorted by first tag, reserved split and sorted',
      'syntax = "proto3"; message V {} message M { reserved "z", 9, 2 to 3; oneof b { string y = 6; string x = 5; } oneof a { string w = 7; } map<string, V> m = 1; }',
      'syntax = "proto3";\n\nmessage V {}\nmessage M {\n  reserved 2 to 3;\n  reserved 9;\n  reserved "z";\n\n  map<string, .V> m = 1;\n\n  oneof b {\n    string x = 5;\n    string y = 6;\n  }\n  oneof a {\n    string w = 7;\n  }\n}\n',
    ],
    [
      'field options sorted by name (json_name included)',
      'syntax = "proto3"; message M { int32 a = 1 [json_name = "A", deprecated = true]; }',
      'syntax = "proto3";\n\nmessage M {\n  int32 a = 1 [\n    deprecated = true,\n    json_name = "A"\n  ];\n}\n',
    ],
    [
      'explicit map entry messages become map<> fields',
      'syntax = "proto3"; message M { repeated AEntry a = 1; message AEntry { option map_entry = true; string key = 1; int64 value = 2; } }',
      'syntax = "proto3";\n\nmessage M {\n  map<string, int64> a = 1;\n\n}\n',
    ],
    [
      'enum reserved split and sorted; `n to n` becomes n (reserved and extensions)',
      'syntax = "proto2"; message Box { reserved 30 to 30, 2; optional int32 w = 1; extensions 500 to 500, 100 to 200; } enum Color { reserved "GREY", 9 to 9, 3 to 5; BLACK = 0; }',
      'syntax = "proto2";\n\nmessage Box {\n  reserved 2;\n  reserved 30;\n\n  optional int32 w = 1;\n\n  extensions 100 to 200;\n  extensions 500;\n}\nenum Color {\n  reserved 3 to 5;\n  reserved 9;\n  reserved "GREY";\n  BLACK = 0;\n}\n',
    ],
    [
      'option numbers reformatted (DecimalFormat: at most 3 decimals), one-item lists unwrapped',
      'syntax = "proto3"; option (box.a) = 2.50; option (box.b) = { w: 3f h: -0.0 d: 1.23456 x: 0x1A tags: ["only"] big: 12345678901234567890 inf: inf };',
      'syntax = "proto3";\n\noption (box.a) = 2.5;\noption (box.b) = {\n  big: 12345678901234567890,\n  d: 1.235,\n  h: -0,\n  inf: inf,\n  tags: "only",\n  w: 3,\n  x: 26\n};\n',
    ],
    [
      'rpc types qualified',
      'syntax = "proto3"; package p; message Q {} service S { rpc A (Q) returns (Q); }',
      'syntax = "proto3";\npackage p;\n\nmessage Q {}\n\nservice S {\n  rpc A (.p.Q) returns (.p.Q);\n}\n',
    ],
  ])('%s', (_name, input, expected) => {
    expect(parseProtobuf(input, []).normalized()).toBe(expected);
  });

  it('normalize gives one text for reordered spellings', () => {
    const a = parseProtobuf('syntax = "proto3"; message M { int32 b = 2; int32 a = 1; }', []);
    const b = parseProtobuf('syntax = "proto3"; message M { int32 a = 1; int32 b = 2; }', []);
    expect(a.canonical).not.toBe(b.canonical);
    expect(a.normalized()).toBe(b.normalized());
  });

  it('throws SchemaParseError for a type Confluent cannot resolve', () => {
    // protoc scoping finds A.B via the package; Confluent's simplified resolver agrees here.
    const s = parseProtobuf('syntax = "proto3"; package p; message A { message B {} } message C { A.B b = 1; }', []);
    expect(s.normalized()).toContain('.p.A.B b = 1;');
    expect(SchemaParseError).toBeDefined();
  });
});
