/**
 * Serialized descriptors (src/domain/protobuf/descriptor*.ts): text → FileDescriptorProto bytes
 * checked with @bufbuild/protobuf (test-only dependency), bytes → Confluent's text, base64
 * descriptor schemas through protobufFormat.parse, and every error path.
 */
import {
  create,
  createFileRegistry,
  fromBinary,
  fromJson,
  isFieldSet,
  toBinary,
  toJson,
  type DescFile,
  type FileRegistry,
  type JsonObject,
} from '@bufbuild/protobuf';
import {
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FieldDescriptorProtoSchema,
  FileDescriptorProtoSchema,
  file_google_protobuf_timestamp,
} from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import { SchemaParseError } from '../../../src/domain/errors';
import type { ResolvedReference } from '../../../src/domain/format';
import {
  fromFileDescriptorProto,
  parseProtobuf,
  protobufCompatibility,
  protobufFormat,
  textFromBase64Descriptor,
  toFileDescriptorProto,
  toSerialized,
} from '../../../src/domain/protobuf';
import { fromBase64, toBase64, WireWriter } from '../../../src/domain/protobuf/descriptor-wire';
import { cEscape, mapEntryName } from '../../../src/domain/protobuf/descriptor-encode';

const P3 = 'syntax = "proto3";\n';
const describeFile = (text: string, refs: ResolvedReference[] = []): JsonObject =>
  toJson(FileDescriptorProtoSchema, fromBinary(FileDescriptorProtoSchema, toFileDescriptorProto(parseProtobuf(text, refs))));
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const ref = (name: string, schema: string): ResolvedReference => ({ name, subject: name, version: 1, schema, references: [] });
const CUSTOMER = `${P3}package other;\nmessage Customer {\n  string id = 1;\n}\n`;

describe('toFileDescriptorProto: decodable by @bufbuild/protobuf with protoc shapes', () => {
  it.each<[string, string, ResolvedReference[], JsonObject]>([
    [
      'file header, proto3',
      `${P3}package a.b;\nmessage M {}\n`,
      [],
      { name: 'default', package: 'a.b', messageType: [{ name: 'M' }], syntax: 'proto3' },
    ],
    [
      'proto2 without a syntax line: no syntax (protoc)',
      'message M {\n  optional int32 a = 1;\n}\n',
      [],
      { name: 'default', messageType: [{ name: 'M', field: [{ name: 'a', number: 1, label: 'LABEL_OPTIONAL', type: 'TYPE_INT32' }] }] },
    ],
    [
      'explicit proto2 is kept (Confluent DynamicSchema)',
      'syntax = "proto2";\nmessage M {}\n',
      [],
      { name: 'default', messageType: [{ name: 'M' }], syntax: 'proto2' },
    ],
    [
      'scalars, labels, json_name, required, defaults (integers in decimal, bytes C-escaped)',
      'syntax = "proto2";\nmessage M {\n  required sint64 a = 1;\n  repeated fixed32 b = 2 [packed = true];\n  optional string c = 3 [json_name = "cee", default = "x\\"y"];\n  optional int32 d = 4 [default = 0x10];\n  optional bytes e = 5 [default = "\\001\\377a"];\n  optional double f = 6 [default = -inf];\n}\n',
      [],
      {
        messageType: [
          {
            name: 'M',
            field: [
              { name: 'a', number: 1, label: 'LABEL_REQUIRED', type: 'TYPE_SINT64' },
              { name: 'b', number: 2, label: 'LABEL_REPEATED', type: 'TYPE_FIXED32', options: { packed: true } },
              { name: 'c', number: 3, label: 'LABEL_OPTIONAL', type: 'TYPE_STRING', defaultValue: 'x"y', jsonName: 'cee' },
              { name: 'd', number: 4, label: 'LABEL_OPTIONAL', type: 'TYPE_INT32', defaultValue: '16' },
              { name: 'e', number: 5, label: 'LABEL_OPTIONAL', type: 'TYPE_BYTES', defaultValue: '\\001\\377a' },
              { name: 'f', number: 6, label: 'LABEL_OPTIONAL', type: 'TYPE_DOUBLE', defaultValue: '-inf' },
            ],
          },
        ],
      },
    ],
    [
      'type names fully qualified; nested scopes; enums (negative values, allow_alias, reserved)',
      `${P3}package p;\nmessage A {\n  B b = 1;\n  A.C c = 2;\n  E e = 3;\n  message C { B b = 1; }\n}\nmessage B {}\nenum E {\n  option allow_alias = true;\n  Z = 0;\n  N = -1;\n  M = -1 [deprecated = true];\n  reserved 5 to 7, 9;\n  reserved "OLD";\n}\n`,
      [],
      {
        messageType: [
          {
            name: 'A',
            field: [
              { name: 'b', typeName: '.p.B', type: 'TYPE_MESSAGE' },
              { name: 'c', typeName: '.p.A.C', type: 'TYPE_MESSAGE' },
              { name: 'e', typeName: '.p.E', type: 'TYPE_ENUM' },
            ],
            nestedType: [{ name: 'C', field: [{ name: 'b', typeName: '.p.B' }] }],
          },
          { name: 'B' },
        ],
        enumType: [
          {
            name: 'E',
            value: [
              { name: 'Z', number: 0 },
              { name: 'N', number: -1 },
              { name: 'M', number: -1, options: { deprecated: true } },
            ],
            options: { allowAlias: true },
            reservedRange: [
              { start: 5, end: 7 },
              { start: 9, end: 9 },
            ],
            reservedName: ['OLD'],
          },
        ],
      },
    ],
    [
      'maps: repeated XxxEntry (protoc MapEntryName) with key = 1, value = 2, map_entry, after declared nested types',
      `${P3}package p;\nmessage M {\n  map<string, V> my_map = 1;\n  map<int64, E> by_id = 2;\n  message V {}\n  enum E { Z = 0; }\n}\n`,
      [],
      {
        messageType: [
          {
            name: 'M',
            field: [
              { name: 'my_map', number: 1, label: 'LABEL_REPEATED', type: 'TYPE_MESSAGE', typeName: '.p.M.MyMapEntry' },
              { name: 'by_id', number: 2, label: 'LABEL_REPEATED', type: 'TYPE_MESSAGE', typeName: '.p.M.ByIdEntry' },
            ],
            nestedType: [
              { name: 'V' },
              {
                name: 'MyMapEntry',
                field: [
                  { name: 'key', number: 1, label: 'LABEL_OPTIONAL', type: 'TYPE_STRING' },
                  { name: 'value', number: 2, label: 'LABEL_OPTIONAL', type: 'TYPE_MESSAGE', typeName: '.p.M.V' },
                ],
                options: { mapEntry: true },
              },
              {
                name: 'ByIdEntry',
                field: [
                  { name: 'key', type: 'TYPE_INT64' },
                  { name: 'value', type: 'TYPE_ENUM', typeName: '.p.M.E' },
                ],
                options: { mapEntry: true },
              },
            ],
            enumType: [{ name: 'E' }],
          },
        ],
      },
    ],
    [
      'oneofs, proto3 optional as synthetic oneofs after the real ones; fields in declaration order',
      `${P3}message M {\n  int32 a = 1;\n  oneof kind {\n    string s = 2;\n    int32 i = 3;\n  }\n  optional bool f = 4;\n  int32 z = 5;\n}\n`,
      [],
      {
        messageType: [
          {
            name: 'M',
            field: [
              { name: 'a', number: 1 },
              { name: 's', number: 2, oneofIndex: 0 },
              { name: 'i', number: 3, oneofIndex: 0 },
              { name: 'f', number: 4, oneofIndex: 1, proto3Optional: true, label: 'LABEL_OPTIONAL' },
              { name: 'z', number: 5 },
            ],
            oneofDecl: [{ name: 'kind' }, { name: '_f' }],
          },
        ],
      },
    ],
    [
      'proto2 groups, extension ranges, extensions (file and message level), reserved ranges (end exclusive)',
      `message M {\n  optional group Grp = 1 {\n    optional int32 x = 2;\n  }\n  extensions 100 to 199, 500 to max;\n  reserved 10 to 12, 15;\n  reserved "gone";\n  extend M { optional int32 inner = 101; }\n}\nextend M {\n  optional string outer = 100;\n}\n`,
      [],
      {
        messageType: [
          {
            name: 'M',
            field: [{ name: 'grp', number: 1, label: 'LABEL_OPTIONAL', type: 'TYPE_GROUP', typeName: '.M.Grp' }],
            nestedType: [{ name: 'Grp', field: [{ name: 'x', number: 2, type: 'TYPE_INT32' }] }],
            extensionRange: [
              { start: 100, end: 200 },
              { start: 500, end: 536870912 },
            ],
            extension: [{ name: 'inner', number: 101, extendee: '.M', type: 'TYPE_INT32' }],
            reservedRange: [
              { start: 10, end: 13 },
              { start: 15, end: 16 },
            ],
            reservedName: ['gone'],
          },
        ],
        extension: [{ name: 'outer', number: 100, extendee: '.M', type: 'TYPE_STRING', label: 'LABEL_OPTIONAL' }],
      },
    ],
    [
      'services: qualified input/output types, streaming, method options',
      `${P3}package s;\nmessage Req {}\nmessage Res {}\nservice Svc {\n  option deprecated = true;\n  rpc Get (Req) returns (Res);\n  rpc Chat (stream Req) returns (stream .s.Res) {\n    option idempotency_level = IDEMPOTENT;\n  }\n}\n`,
      [],
      {
        service: [
          {
            name: 'Svc',
            method: [
              { name: 'Get', inputType: '.s.Req', outputType: '.s.Res' },
              {
                name: 'Chat',
                inputType: '.s.Req',
                outputType: '.s.Res',
                clientStreaming: true,
                serverStreaming: true,
                options: { idempotencyLevel: 'IDEMPOTENT' },
              },
            ],
            options: { deprecated: true },
          },
        ],
      },
    ],
    [
      'file and message options by number; custom options skipped',
      `${P3}package o;\nimport "google/protobuf/descriptor.proto";\noption java_package = "com.x";\noption java_multiple_files = true;\noption optimize_for = CODE_SIZE;\noption go_package = "x/y";\noption (my_opt) = 3;\nextend google.protobuf.FileOptions { int32 my_opt = 50000; }\nmessage M {\n  option deprecated = true;\n  int32 a = 1 [deprecated = true, jstype = JS_STRING, (my_opt) = 1];\n}\n`,
      [],
      {
        dependency: ['google/protobuf/descriptor.proto'],
        options: { javaPackage: 'com.x', javaMultipleFiles: true, optimizeFor: 'CODE_SIZE', goPackage: 'x/y' },
        messageType: [{ name: 'M', options: { deprecated: true }, field: [{ name: 'a', options: { deprecated: true, jstype: 'JS_STRING' } }] }],
        extension: [{ name: 'my_opt', number: 50000, extendee: '.google.protobuf.FileOptions' }],
      },
    ],
    [
      'imports: references and bundled files; public_dependency indexes; unresolved imports left out',
      `${P3}package shop;\nimport "other.proto";\nimport public "google/protobuf/timestamp.proto";\nimport "missing.proto";\nmessage Order {\n  other.Customer c = 1;\n  google.protobuf.Timestamp at = 2;\n}\n`,
      [ref('other.proto', CUSTOMER)],
      {
        dependency: ['other.proto', 'google/protobuf/timestamp.proto'],
        publicDependency: [1],
        messageType: [
          {
            name: 'Order',
            field: [
              { name: 'c', typeName: '.other.Customer' },
              { name: 'at', typeName: '.google.protobuf.Timestamp' },
            ],
          },
        ],
      },
    ],
  ])('%s', (_name, text, refs, expected) => {
    expect(describeFile(text, refs)).toMatchObject(expected);
  });

  it.each<[string, string]>([
    [
      'file and message options not in number order',
      `${P3}package o;\noption java_multiple_files = true;\noption optimize_for = CODE_SIZE;\noption java_package = "x";\nmessage M {\n  option deprecated = true;\n  option no_standard_descriptor_accessor = true;\n}\n`,
    ],
    [
      'field options and Confluent Meta',
      `${P3}package m;\nimport "confluent/meta.proto";\nmessage M {\n  string s = 1 [deprecated = true, (confluent.field_meta).doc = "d", packed = false, ctype = CORD];\n}\n`,
    ],
    ['an option set twice keeps the last value', 'syntax = "proto2";\nmessage M {\n  option deprecated = true;\n  option deprecated = false;\n}\n'],
  ])('bytes in field-number order, as protobuf-java writes (re-encoding with @bufbuild/protobuf is the identity): %s', (_name, text) => {
    const bytes = toFileDescriptorProto(parseProtobuf(text, []));
    expect(Buffer.from(toBinary(FileDescriptorProtoSchema, fromBinary(FileDescriptorProtoSchema, bytes))).toString('hex')).toBe(
      Buffer.from(bytes).toString('hex'),
    );
  });

  it('names the file (Confluent DEFAULT_NAME "default" unless given)', () => {
    const parsed = parseProtobuf(`${P3}message M {}\n`, []);
    expect(fromBinary(FileDescriptorProtoSchema, toFileDescriptorProto(parsed, 'm.proto')).name).toBe('m.proto');
    expect(fromBinary(FileDescriptorProtoSchema, toFileDescriptorProto(parsed)).name).toBe('default');
  });

  it('serialized() is the base64 of the descriptor (what ?format=serialized serves), cached', () => {
    const parsed = parseProtobuf(`${P3}package a;\nmessage M {\n  int32 x = 1;\n}\n`, []);
    expect(parsed.serialized()).toBe(b64(toFileDescriptorProto(parsed)));
    expect(parsed.serialized()).toBe(toSerialized(parsed));
    expect(parsed.serialized()).toBe(parsed.serialized());
  });
});

describe('the descriptor works for @bufbuild/protobuf message encoding (as ProtobufDeserializer uses it)', () => {
  /** What @confluentinc/schemaregistry's ProtobufDeserializer does: root + references by import name. */
  function registry(root: string, refs: ResolvedReference[]): { file: DescFile; reg: FileRegistry } {
    const proto = fromBinary(FileDescriptorProtoSchema, Buffer.from(parseProtobuf(root, refs).serialized(), 'base64'));
    const reg = createFileRegistry(proto, (name) => {
      if (name === 'google/protobuf/timestamp.proto') return file_google_protobuf_timestamp;
      const r = refs.find((x) => x.name === name);
      if (!r) return undefined;
      const dep = fromBinary(FileDescriptorProtoSchema, Buffer.from(parseProtobuf(r.schema, []).serialized(), 'base64'));
      dep.name = name;
      return dep;
    });
    return { file: reg.getFile(proto.name)!, reg };
  }

  it.each<[string, string, ResolvedReference[], string, Record<string, unknown>]>([
    [
      'references and well-known imports',
      `${P3}package shop;\nimport "other.proto";\nimport "google/protobuf/timestamp.proto";\nmessage Order {\n  other.Customer customer = 1;\n  google.protobuf.Timestamp placed_at = 2;\n  int32 quantity = 3;\n}\n`,
      [ref('other.proto', CUSTOMER)],
      'shop.Order',
      { customer: { id: 'c-1' }, placedAt: '2023-11-14T22:13:20Z', quantity: 3 },
    ],
    [
      'maps, oneofs, enums, nested and optional fields',
      `${P3}package p;\nmessage M {\n  map<string, N> by_name = 1;\n  oneof v {\n    string s = 2;\n    N n = 3;\n  }\n  optional int32 o = 4;\n  repeated E es = 5;\n  message N { int64 x = 1; }\n  enum E { Z = 0; ONE = 1; }\n}\n`,
      [],
      'p.M',
      { byName: { a: { x: '7' } }, n: { x: '1' }, o: 0, es: ['ONE', 'Z'] },
    ],
    [
      'proto2 groups and defaults',
      'package g;\nmessage M {\n  optional group Grp = 1 {\n    optional int32 x = 2 [default = 5];\n  }\n  required string s = 3;\n}\n',
      [],
      'g.M',
      { grp: { x: 9 }, s: 'y' },
    ],
  ])('%s', (_name, text, refs, typeName, json) => {
    const { file, reg } = registry(text, refs);
    expect(file.messages[0].typeName).toBe(typeName);
    const desc = reg.getMessage(typeName)!;
    // JSON in (json_name keys), binary through, JSON out: every field decodes with the descriptor's types.
    const m = fromJson(desc, json as JsonObject, { registry: reg });
    expect(m.$typeName).toBe(typeName);
    expect(toJson(desc, fromBinary(desc, toBinary(desc, m)), { registry: reg })).toEqual(json);
  });
});

describe('fromFileDescriptorProto: Confluent toProtoFile text', () => {
  it.each<[string, string, string]>([
    [
      'proto3 with maps, oneofs, optional, nested types (Confluent keeps map entries, qualified names and json_name)',
      `${P3}package a.b;\nmessage M {\n  map<string, N> m = 1;\n  optional int32 x = 2;\n  oneof o {\n    string s = 3;\n    N n = 4;\n  }\n  message N {\n    E e = 1;\n  }\n  enum E {\n    A = 0;\n  }\n}\n`,
      `${P3}package a.b;\n\nmessage M {\n  repeated .a.b.M.MEntry m = 1 [json_name = "m"];\n  optional int32 x = 2 [json_name = "x"];\n\n  oneof o {\n    string s = 3 [json_name = "s"];\n    .a.b.M.N n = 4 [json_name = "n"];\n  }\n\n  message N {\n    .a.b.M.E e = 1 [json_name = "e"];\n  }\n  message MEntry {\n    option map_entry = true;\n  \n    string key = 1 [json_name = "key"];\n    .a.b.M.N value = 2 [json_name = "value"];\n  }\n  enum E {\n    A = 0;\n  }\n}\n`,
    ],
    [
      'proto2: labels, defaults, json_name, options, reserved, extensions, groups as message fields',
      'syntax = "proto2";\npackage q;\noption java_package = "com.q";\nmessage M {\n  reserved 4 to 6;\n  reserved "r";\n  required int32 a = 1 [default = 3, json_name = "A"];\n  optional bytes b = 2 [default = "\\001z"];\n  optional group G = 3 {\n    optional int32 x = 1;\n  }\n  extensions 10 to max;\n}\nextend M {\n  optional int32 ext = 10;\n}\n',
      'syntax = "proto2";\npackage q;\n\noption java_package = "com.q";\n\nmessage M {\n  reserved 4 to 6;\n  reserved "r";\n\n  required int32 a = 1 [\n    default = 3,\n    json_name = "A"\n  ];\n  optional bytes b = 2 [\n    default = "\u0001z",\n    json_name = "b"\n  ];\n  optional .q.M.G g = 3 [json_name = "g"];\n\n  extensions 10 to max;\n\n  message G {\n    optional int32 x = 1 [json_name = "x"];\n  }\n}\n\nextend .q.M {\n  optional int32 ext = 10;\n}\n',
    ],
    [
      'services and enums with options',
      `${P3}package s;\nmessage R {}\nenum E {\n  option allow_alias = true;\n  Z = 0;\n  Y = 0 [deprecated = true];\n}\nservice S {\n  rpc Do (stream R) returns (R) {\n    option deprecated = true;\n  }\n}\n`,
      `${P3}package s;\n\nmessage R {}\nenum E {\n  option allow_alias = true;\n  Z = 0;\n  Y = 0 [deprecated = true];\n}\n\nservice S {\n  rpc Do (stream .s.R) returns (.s.R) {\n    option deprecated = true;\n  };\n}\n`,
    ],
  ])('%s', (_name, text, expected) => {
    expect(fromFileDescriptorProto(toFileDescriptorProto(parseProtobuf(text, [])))).toBe(expected);
  });

  it('reads what a client sends: @bufbuild descriptors with json_name (printed, as Confluent does)', () => {
    const bytes = toBinary(
      FileDescriptorProtoSchema,
      create(FileDescriptorProtoSchema, {
        name: 'event.proto',
        package: 'audit',
        syntax: 'proto3',
        dependency: ['google/protobuf/timestamp.proto'],
        messageType: [
          {
            name: 'Event',
            field: [
              { name: 'kind', number: 1, type: FieldDescriptorProto_Type.STRING, label: FieldDescriptorProto_Label.OPTIONAL, jsonName: 'kind' },
              {
                name: 'at',
                number: 2,
                type: FieldDescriptorProto_Type.MESSAGE,
                label: FieldDescriptorProto_Label.OPTIONAL,
                typeName: '.google.protobuf.Timestamp',
                jsonName: 'at',
              },
            ],
          },
        ],
      }),
    );
    expect(fromFileDescriptorProto(bytes)).toBe(
      `${P3}package audit;\n\nimport "google/protobuf/timestamp.proto";\n\nmessage Event {\n  string kind = 1 [json_name = "kind"];\n  .google.protobuf.Timestamp at = 2 [json_name = "at"];\n}\n`,
    );
  });
});

const ROUND_TRIPS: [string, string, ResolvedReference[]][] = [
  [
    'proto3 kitchen sink',
    `${P3}package a.b;\nimport "google/protobuf/timestamp.proto";\nmessage M {\n  map<string, N> m = 1;\n  optional int32 x = 2;\n  oneof o {\n    string s = 3;\n    N n = 4;\n  }\n  google.protobuf.Timestamp t = 5;\n  repeated E es = 6;\n  message N { E e = 1; }\n  enum E { A = 0; B = 1; }\n  reserved 10 to 12, 15;\n  reserved "foo";\n}\nservice S { rpc Get (M) returns (stream M.N); }\n`,
    [],
  ],
  [
    'proto2 with options and extensions',
    'syntax = "proto2";\npackage q;\noption java_package = "com.q";\noption optimize_for = SPEED;\nmessage M {\n  required int32 a = 1 [default = 3];\n  repeated int32 p = 2 [packed = true];\n  extensions 100 to 200;\n}\nextend M {\n  optional string e = 100;\n}\nenum E {\n  A = 1;\n  B = 2;\n}\n',
    [],
  ],
  [
    'references',
    `${P3}package shop;\nimport "other.proto";\nmessage Order {\n  other.Customer customer = 1;\n  map<int32, other.Customer> by_id = 2;\n}\n`,
    [ref('other.proto', CUSTOMER)],
  ],
];

describe('round trips: text → descriptor → text', () => {
  it.each(ROUND_TRIPS)('%s: FULL compatible both ways (Confluent diff), and the descriptor text is a fixpoint', (_name, text, refs) => {
    const original = parseProtobuf(text, refs);
    const viaDescriptor = parseProtobuf(original.serialized(), refs);
    expect(protobufCompatibility(viaDescriptor, original, 'FULL')).toEqual([]);
    expect(protobufCompatibility(original, viaDescriptor, 'FULL')).toEqual([]);
    expect(viaDescriptor.canonical).toBe(fromFileDescriptorProto(toFileDescriptorProto(original)));
    // Registering the serialized form of a descriptor-registered schema gives the same text (same id).
    expect(parseProtobuf(viaDescriptor.serialized(), refs).canonical).toBe(viaDescriptor.canonical);
  });

  it.each(ROUND_TRIPS)('%s: same messages, fields, numbers and types seen by @bufbuild', (_name, text, refs) => {
    const original = parseProtobuf(text, refs);
    const again = parseProtobuf(original.serialized(), refs);
    const shape = (bytes: Uint8Array) =>
      fromBinary(FileDescriptorProtoSchema, bytes).messageType.map((m) => ({
        name: m.name,
        fields: m.field
          .map((f) => [
            f.name,
            f.number,
            f.type,
            f.label,
            f.typeName,
            isFieldSet(f, FieldDescriptorProtoSchema.field.oneofIndex) ? f.oneofIndex : null,
          ])
          .sort((x, y) => (x[1] as number) - (y[1] as number)),
        nested: m.nestedType.map((n) => n.name).sort(),
      }));
    expect(shape(toFileDescriptorProto(again))).toEqual(shape(toFileDescriptorProto(original)));
  });

  it.each(ROUND_TRIPS)('%s: bytes in field-number order (re-encoding with @bufbuild/protobuf is the identity)', (_name, text, refs) => {
    const bytes = toFileDescriptorProto(parseProtobuf(text, refs));
    expect(Buffer.from(toBinary(FileDescriptorProtoSchema, fromBinary(FileDescriptorProtoSchema, bytes))).toString('hex')).toBe(
      Buffer.from(bytes).toString('hex'),
    );
  });
});

describe('base64 FileDescriptorProto schemas through protobufFormat.parse', () => {
  it('registers a client-built descriptor with references, canonical text as Confluent stores it', () => {
    const bytes = toBinary(
      FileDescriptorProtoSchema,
      create(FileDescriptorProtoSchema, {
        name: 'order.proto',
        package: 'shop',
        syntax: 'proto3',
        dependency: ['other.proto'],
        messageType: [
          {
            name: 'Order',
            field: [
              {
                name: 'customer',
                number: 1,
                type: FieldDescriptorProto_Type.MESSAGE,
                label: FieldDescriptorProto_Label.OPTIONAL,
                typeName: '.other.Customer',
              },
            ],
          },
        ],
      }),
    );
    const parsed = protobufFormat.parse(b64(bytes), [ref('other.proto', CUSTOMER)]);
    expect(parsed.canonical).toBe(`${P3}package shop;\n\nimport "other.proto";\n\nmessage Order {\n  .other.Customer customer = 1;\n}\n`);
    expect(parsed.name).toBe('shop.Order');
    expect([...parsed.resolved.values()].map((t) => t.fullName)).toEqual(['other.Customer']);
  });

  it('unpadded base64 is accepted (java.util.Base64 decoder)', () => {
    const text = b64(toFileDescriptorProto(parseProtobuf(`${P3}message Mm {}\n`, []))).replace(/=+$/, '');
    expect(protobufFormat.parse(text, []).canonical).toBe(`${P3}\nmessage Mm {}\n`);
  });

  it.each<[string, string, RegExp]>([
    ['not base64 at all: the .proto parse error is reported unchanged', 'message {', /^Syntax error at 1:9/],
    ['a length that is not base64', 'abcde', /not a base64 FileDescriptorProto either: invalid base64\)$/],
    ['field number 0', 'AAAA', /not a base64 FileDescriptorProto either: Invalid FileDescriptorProto: field number 0/],
    ['truncated length-delimited field', b64(new Uint8Array([0x0a, 0x05, 0x61])), /truncated field in FileDescriptorProto/],
    ['truncated varint', b64(new Uint8Array([0x18, 0x80])), /truncated varint/],
    ['invalid wire type', b64(new Uint8Array([0x0f])), /invalid wire type 7/],
    ['wrong wire type for a known field', b64(new WireWriter().int(2, 3).finish()), /field 2 of FileDescriptorProto has the wrong wire type/],
    ['invalid UTF-8', b64(new Uint8Array([0x12, 0x01, 0xff])), /field 2 of FileDescriptorProto is not valid UTF-8/],
    [
      'a name that would smuggle syntax',
      b64(new WireWriter().message(4, new WireWriter().string(1, 'A {} message B')).finish()),
      /message name "A \{\} message B" is not a valid identifier/,
    ],
    ['a dependency that would close its quotes', b64(new WireWriter().string(3, 'a";').finish()), /invalid dependency "a";"/],
    [
      'a default value that would smuggle syntax',
      b64(fileWithField(new WireWriter().string(1, 'f').int(3, 1).int(5, 5).string(7, '1]; int32 g = 2 [deprecated=true'))),
      /default value "1\]; int32 g = 2/,
    ],
    [
      'a message field without type_name',
      b64(fileWithField(new WireWriter().string(1, 'f').int(3, 1).int(5, 11))),
      /field f has type message without a type_name/,
    ],
    ['a field without a number', b64(fileWithField(new WireWriter().string(1, 'f').int(5, 5))), /field f has no number/],
    [
      'oneof_index out of range',
      b64(fileWithField(new WireWriter().string(1, 'f').int(3, 1).int(5, 5).int(9, 2))),
      /oneof_index 2 out of range in message M/,
    ],
    [
      'an empty reserved range',
      b64(new WireWriter().message(4, new WireWriter().string(1, 'M').message(9, new WireWriter().int(1, 5).int(2, 5))).finish()),
      /range 5 to 4 is empty/,
    ],
    ['messages nested too deeply', b64(nested(70)), /nested deeper than 64 levels/],
    [
      'a decoded schema that does not link',
      b64(fileWithField(new WireWriter().string(1, 'f').int(3, 1).int(5, 11).string(6, '.nope.T'))),
      /^Invalid schema in base64 FileDescriptorProto: .*"\.nope\.T" is not defined/,
    ],
  ])('%s', (_name, text, message) => {
    let error: unknown;
    try {
      protobufFormat.parse(text, []);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SchemaParseError);
    expect((error as Error).message).toMatch(message);
  });

  it('textFromBase64Descriptor: null for non-base64 text, the printed text otherwise', () => {
    const err = new SchemaParseError('x');
    expect(textFromBase64Descriptor('message M {}', err)).toBeNull();
    expect(textFromBase64Descriptor('', err)).toBeNull();
    expect(textFromBase64Descriptor('A'.repeat(1_000_004), err)).toBeNull();
    expect(textFromBase64Descriptor(b64(new WireWriter().string(2, 'pkg').finish()), err)).toBe('package pkg;\n');
  });
});

describe("Confluent's Meta options (confluent/meta.proto, extension 1088) are encoded and decoded", () => {
  const META = `${P3}package m;\nimport "confluent/meta.proto";\n`;
  const fileOf = (text: string) => fromBinary(FileDescriptorProtoSchema, toFileDescriptorProto(parseProtobuf(text, [])));
  const unknownNumbers = (o: { $unknown?: { no: number }[] } | undefined): number[] => (o?.$unknown ?? []).map((u) => u.no);

  it.each<[string, string, (f: ReturnType<typeof fileOf>) => { $unknown?: { no: number }[] } | undefined]>([
    ['file', `${META}option (confluent.file_meta).doc = "d";\nmessage M {}\n`, (f) => f.options],
    ['message', `${META}message M {\n  option (confluent.message_meta) = { tags: "T" };\n}\n`, (f) => f.messageType[0].options],
    ['field', `${META}message M {\n  string s = 1 [(confluent.field_meta).tags = "PII"];\n}\n`, (f) => f.messageType[0].field[0].options],
    ['enum', `${META}enum E {\n  option (confluent.enum_meta).doc = "e";\n  Z = 0;\n}\n`, (f) => f.enumType[0].options],
    ['enum value', `${META}enum E {\n  Z = 0 [(confluent.enum_value_meta).doc = "z"];\n}\n`, (f) => f.enumType[0].value[0].options],
  ])('%s meta becomes extension 1088 of its options message', (_name, text, pick) => {
    expect(unknownNumbers(pick(fileOf(text)))).toEqual([1088]);
  });

  it.each<[string, string, string]>([
    [
      'field tags and doc merged from several options; params as key/value entries',
      `${META}message M {\n  string s = 1 [(confluent.field_meta).tags = "PII", (confluent.field_meta).tags = "GDPR", (confluent.field_meta).doc = "x"];\n  bytes d = 2 [(confluent.field_meta) = { params: [{ key: "precision", value: "5" }, { key: "k", value: "v" }] }];\n}\n`,
      `${P3}package m;\n\nimport "confluent/meta.proto";\n\nmessage M {\n  string s = 1 [\n    (confluent.field_meta) = {\n      doc: "x",\n      tags: [\n        "PII",\n        "GDPR"\n      ]\n    },\n    json_name = "s"\n  ];\n  bytes d = 2 [\n    (confluent.field_meta) = {\n      params: [\n        {\n          value: "5",\n          key: "precision"\n        },\n        {\n          key: "k",\n          value: "v"\n        }\n      ]\n    },\n    json_name = "d"\n  ];\n}\n`,
    ],
    [
      'message meta',
      `${META}message M {\n  option (confluent.message_meta).doc = "hello";\n}\n`,
      `${P3}package m;\n\nimport "confluent/meta.proto";\n\nmessage M {\n  option (confluent.message_meta) = {\n    doc: "hello"\n  };\n}\n`,
    ],
  ])('%s: decoded as Confluent toOption prints it', (_name, text, expected) => {
    const decoded = fromFileDescriptorProto(toFileDescriptorProto(parseProtobuf(text, [])));
    expect(decoded).toBe(expected);
    // ... and it parses again to the same descriptor text (fixpoint).
    expect(fromFileDescriptorProto(toFileDescriptorProto(parseProtobuf(decoded, [])))).toBe(decoded);
  });
});

describe('wire helpers', () => {
  it.each([0, 1, 2, 3, 4, 5, 200, 4096, 70000])('base64 of %i random bytes matches Buffer both ways', (n) => {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 7919 + n) & 0xff);
    expect(toBase64(bytes)).toBe(b64(bytes));
    expect(fromBase64(b64(bytes))).toEqual(bytes);
  });

  it.each(['a', 'ab=c', 'ab c', 'ab-_', 'abc=='])('fromBase64 rejects %j', (text) => {
    expect(fromBase64(text)).toBeNull();
  });

  it.each<[number, string]>([
    [0, '0800'],
    [150, '089601'],
    [-1, '08ffffffffffffffffff01'],
    [-2147483648, '0880808080f8ffffffff01'],
    [2147483647, '08ffffffff07'],
  ])('varint %i', (value, hex) => {
    expect(Buffer.from(new WireWriter().int(1, value).finish()).toString('hex')).toBe(hex);
  });

  it.each<[string, string]>([
    ['field_name', 'FieldNameEntry'],
    ['a_b_c', 'ABCEntry'],
    ['x2y', 'X2yEntry'],
    ['_lead', 'LeadEntry'],
  ])('mapEntryName(%s) = %s', (name, entry) => {
    expect(mapEntryName(name)).toBe(entry);
  });

  it('cEscape', () => {
    expect(cEscape(new Uint8Array([0, 10, 34, 39, 92, 65, 200]))).toBe('\\000\\n\\"\\\'\\\\A\\310');
  });
});

function fileWithField(field: WireWriter): Uint8Array {
  return new WireWriter().message(4, new WireWriter().string(1, 'M').message(2, field)).finish();
}

function nested(depth: number): Uint8Array {
  let m = new WireWriter().string(1, 'M');
  for (let i = 0; i < depth; i++) m = new WireWriter().string(1, 'M').message(3, m);
  return new WireWriter().message(4, m).finish();
}
