import { describe, expect, it } from 'vitest';
import { SchemaParseError } from '../../../src/domain/errors';
import { BUNDLED_PROTOS, parseProtobuf } from '../../../src/domain/protobuf';

const p3 = (body: string) => `syntax = "proto3";\npackage t;\n${body}`;
const p2 = (body: string) => `syntax = "proto2";\npackage t;\n${body}`;

describe('parse: valid schemas', () => {
  it.each([
    [
      'proto3 scalars',
      p3(
        'message A { double a = 1; float b = 2; int32 c = 3; int64 d = 4; uint32 e = 5; uint64 f = 6; sint32 g = 7; sint64 h = 8; fixed32 i = 9; fixed64 j = 10; sfixed32 k = 11; sfixed64 l = 12; bool m = 13; string n = 14; bytes o = 15; }',
      ),
    ],
    ['no syntax line (proto2)', 'message A { optional int32 a = 1; }'],
    ['proto3 optional/repeated', p3('message A { optional string a = 1; repeated int32 b = 2 [packed = true]; }')],
    [
      'proto2 labels, default, group',
      p2(
        'message A { required int32 a = 1 [default = 5]; optional string s = 2 [default = "x\\n"]; repeated group G = 3 { optional int32 x = 1; } }',
      ),
    ],
    ['oneof with options', p3('message A { oneof k { option (my.opt) = 1; string a = 1; int32 b = 2; } }')],
    ['maps', p3('message A { map<string, int32> a = 1; map<int64, B> b = 2; map<bool, E> c = 3; } message B {} enum E { Z = 0; }')],
    ['nested types and qualified names', p3('message A { message B { message C { int32 x = 1; } } B.C c = 1; .t.A.B b = 2; }')],
    ['reserved ranges and names', p3('message A { reserved 2, 15, 9 to 11, 100 to max; reserved "foo", "bar"; int32 a = 1; }')],
    ['enum alias + reserved', p3('enum E { option allow_alias = true; reserved 5 to 7, "X"; A = 0; B = 1; C = 1; }')],
    ['negative enum values', p2('enum E { NEG = -1; ZERO = 0; }')],
    [
      'extensions and extend',
      p2(
        'message A { extensions 100 to 199, 300 to max; } extend A { optional int32 ext = 100; } message B { extend A { optional string b = 101; } }',
      ),
    ],
    [
      'service with streams and options',
      p3(
        'message Q {} service S { option deprecated = true; rpc A (Q) returns (Q); rpc B (stream Q) returns (stream Q) { option idempotency_level = NO_SIDE_EFFECTS; } }',
      ),
    ],
    [
      'aggregate option values',
      p3('option (a.b) = { x: 1 y: "s" z { w: [1, 2] } [ext.e]: true };\nmessage A { string s = 1 [(v).rules = { min_len: 1, max_len: 5 }]; }'),
    ],
    ['hex, octal field numbers', p3('message A { int32 a = 0x10; int32 b = 010; }')],
    ['comments everywhere', p3('/* block */ message A { // line\n int32 a = 1; /* x */ }\n// end')],
    [
      'import public and weak',
      'syntax = "proto3";\nimport public "google/protobuf/empty.proto";\nimport weak "google/protobuf/any.proto";\nmessage A { google.protobuf.Empty e = 1; }',
    ],
    ['empty statements', p3('message A { ; int32 a = 1;; };;')],
    ['adjacent string literals', p3('option java_package = "a" "b";')],
    ['edition 2023', 'edition = "2023";\nmessage A { int32 a = 1; }'],
    ['float option values', p2('message A { optional double d = 1 [default = -inf]; optional float f = 2 [default = 1.5e+3]; }')],
    ['enum-typed field with enum default', p2('enum E { A = 1; B = 2; } message M { optional E e = 1 [default = B]; }')],
    [
      'custom options with confluent meta',
      'syntax = "proto3";\nimport "confluent/meta.proto";\nmessage A { option (confluent.message_meta).doc = "d"; string s = 1 [(confluent.field_meta) = { tags: ["PII"] }]; }',
    ],
  ])('%s', (_name, text) => {
    expect(() => parseProtobuf(text, [])).not.toThrow();
  });

  it.each([...BUNDLED_PROTOS.keys()])('bundled %s parses and links', (path) => {
    const s = parseProtobuf(BUNDLED_PROTOS.get(path)!, []);
    expect(s.canonical.length).toBeGreaterThan(0);
  });
});

describe('parse: invalid schemas (line:column and cause)', () => {
  it.each([
    ['garbage', 'hello', /^Syntax error at 1:1: unexpected label: hello/],
    ['unterminated message', p3('message A { int32 a = 1;'), /Syntax error at 3:25: unexpected end of file/],
    ['missing =', p3('message A {\n  int32 a 1;\n}'), /Syntax error at 4:11: expected '=' after field name a but was '1'/],
    ['bad field number', p3('message A { int32 a = x; }'), /Syntax error at 3:23: expected a field number but was 'x'/],
    ['syntax not first', 'package a;\nsyntax = "proto3";', /2:1: 'syntax' element must be the first declaration/],
    ['unknown syntax', 'syntax = "proto4";', /unexpected syntax: "proto4"/],
    ['required in proto3', p3('message A { required int32 a = 1; }'), /3:13: 'required' label forbidden in proto3/],
    ['missing label in proto2', p2('message A { int32 a = 1; }'), /3:13: unexpected label: int32/],
    ['label on map', p3('message A { repeated map<string, int32> m = 1; }'), /'map' type cannot have label/],
    ['map in oneof', p3('message A { oneof o { map<string, int32> m = 1; } }'), /map fields are not allowed in oneofs/],
    ['group in proto3', p3('message A { group G = 1 {} }'), /groups are not supported in proto3/],
    ['unterminated string', p3('option x = "abc'), /unterminated string/],
    ['bad option path after extension', p3('option (x).size.9cm = 1;'), /3:12: expected an option field name but was 'size.9cm'/],
    ['unterminated comment', p3('/* never closed'), /3:1: unterminated comment/],
    ['duplicate type', p3('message A {}\nmessage A {}'), /4:1: A is already defined at 3:1/],
    ['field name starting with digit', p3('message A { int32 1a = 1; }'), /field and constant names cannot start with a digit/],
    ['bad reserved', p3('message A { reserved 5 to 2; }'), /reserved range end 2 is before its start 5/],
    ['empty oneof', p3('message A { oneof o { } }'), /oneof o must have at least one field/],
    [
      'duplicate field number',
      p3('message A {\n  int32 a = 1;\n  int32 b = 1;\n}'),
      /^5:3: Field number 1 has already been used in "t.A" by field "a"\./,
    ],
    ['duplicate field name', p3('message A { int32 a = 1; string a = 2; }'), /"a" is already defined in "t.A"/],
    ['field number zero', p3('message A { int32 a = 0; }'), /Field numbers must be positive integers\./],
    ['field number too large', p3('message A { int32 a = 536870912; }'), /Field numbers cannot be greater than 536870911\./],
    ['implementation-reserved numbers', p3('message A { int32 a = 19500; }'), /Field numbers 19000 through 19999 are reserved/],
    ['reserved number used', p3('message A { reserved 3 to 5; int32 a = 4; }'), /Field "a" uses reserved number 4\./],
    ['reserved name used', p3('message A { reserved "a"; int32 a = 1; }'), /Field name "a" is reserved\./],
    ['overlapping reserved', p3('message A { reserved 1 to 5; reserved 3; }'), /overlaps with already-defined range 1 to 5/],
    ['proto3 enum first value not zero', p3('enum E { A = 1; }'), /3:10: The first enum value must be zero for open enums\./],
    ['enum alias without allow_alias', p3('enum E { A = 0; B = 0; }'), /"t.E.B" uses the same enum value as "t.E.A"/],
    ['allow_alias without aliases', p3('enum E { option allow_alias = true; A = 0; B = 1; }'), /declares support for enum aliases/],
    [
      'enum value names clash (C++ scoping)',
      p3('enum E { X = 0; } enum F { X = 0; }'),
      /"X" is already defined in "t"\. Note that enum values use C\+\+ scoping rules/,
    ],
    ['enum without values', p2('enum E { }'), /Enums must contain at least one value\./],
    ['enum reserved number used', p3('enum E { reserved 1; A = 0; B = 1; }'), /Enum value "B" uses reserved number 1\./],
    ['unresolved type', p3('message A {\n  Missing m = 1;\n}'), /^4:3: "Missing" is not defined\./],
    [
      'unresolved with missing import',
      'syntax = "proto3";\nimport "other.proto";\nmessage A { o.B b = 1; }',
      /"o.B" is not defined\. \(imports not found: "other.proto"; pass them as references\)/,
    ],
    ['qualified name resolving into wrong scope', p3('message A { message B {} } message C { A.X x = 1; }'), /"A.X" is not defined/],
    ['float map key', p3('message A { map<float, int32> m = 1; }'), /Key in map fields cannot be float\/double, bytes or message types\./],
    ['enum map key', p3('enum E { Z = 0; } message A { map<E, int32> m = 1; }'), /Key in map fields cannot be enum types\./],
    ['message map key', p3('message B {} message A { map<B, int32> m = 1; }'), /Key in map fields cannot be float\/double, bytes or message types\./],
    ['default in proto3', p3('message A { int32 a = 1 [default = 2]; }'), /Explicit default values are not allowed in proto3\./],
    ['bad scalar default', p2('message A { optional int32 a = 1 [default = abc]; }'), /Invalid default value for field "a" of type int32: abc/],
    ['unknown enum default', p2('enum E { A = 1; } message M { optional E e = 1 [default = Z]; }'), /Enum type "t.E" has no value named "Z"\./],
    ['rpc with enum type', p3('enum E { Z = 0; } service S { rpc A (E) returns (E); }'), /"E" is not a message type/],
    [
      'field in extension range',
      p2('message A { extensions 10 to 20; optional int32 a = 15; }'),
      /Extension range 10 to 20 includes field "a" \(15\)/,
    ],
    ['proto2 enum in proto3 message', 'syntax = "proto3";\nimport "e.proto";\nmessage A { E e = 1; }', /Enum type "E" is not an open enum/],
    ['too large', 'x'.repeat(1_000_001), /too large/],
    ['too deeply nested', p3('message A { '.repeat(70) + '}'.repeat(70)), /nesting deeper than 64 levels/],
    ['deep option value', p3(`option x = ${'{a: '.repeat(40)}1${'}'.repeat(40)};`), /nested deeper than 32 levels/],
  ])('%s', (_name, text, message) => {
    const refs =
      _name === 'proto2 enum in proto3 message'
        ? [{ name: 'e.proto', subject: 'e', version: 1, schema: 'syntax = "proto2";\nenum E { A = 1; }', references: [] }]
        : [];
    let err: unknown;
    try {
      parseProtobuf(text, refs);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SchemaParseError);
    expect((err as Error).message).toMatch(message);
  });
});
