import { describe, expect, it } from 'vitest';
import { RegistryError } from '../../../src/domain/errors';
import { parseProtobuf, protobufValidator } from '../../../src/domain/protobuf';

const schema = parseProtobuf(
  `syntax = "proto3";
package shop;
import "google/protobuf/timestamp.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/struct.proto";
import "google/protobuf/wrappers.proto";
import "google/protobuf/field_mask.proto";
import "google/protobuf/any.proto";
import "google/protobuf/empty.proto";
message Order {
  string order_id = 1;
  int32 qty = 2;
  int64 big = 3;
  uint32 u = 4;
  uint64 ubig = 5;
  double price = 6;
  float f = 7;
  bool paid = 8;
  bytes blob = 9;
  Status status = 10;
  repeated string tags = 11;
  map<string, Item> items = 12;
  map<int32, string> by_num = 13;
  Item main = 14;
  oneof payment { string card = 15; string cash = 16; }
  google.protobuf.Timestamp created = 17;
  google.protobuf.Duration ttl = 18;
  google.protobuf.Struct meta = 19;
  google.protobuf.Int64Value maybe = 20;
  google.protobuf.FieldMask mask = 21;
  google.protobuf.Any any = 22;
  google.protobuf.Empty nothing = 23;
  google.protobuf.Value value = 24;
  string renamed = 25 [json_name = "customName"];
  optional int32 opt = 26;
  map<bool, int32> by_bool = 27;
  enum Status { UNKNOWN = 0; PAID = 1; }
  message Item { string sku = 1; }
}`,
  [],
);
const v = protobufValidator(schema);
const err = (instancePath: string, keyword: string) => expect.objectContaining({ instancePath, keyword });

describe('protobuf JSON validator: valid documents', () => {
  it.each([
    ['empty object', {}],
    ['lowerCamel names', { orderId: 'a', qty: 3, paid: true }],
    ['original names', { order_id: 'a', by_num: { '1': 'x' } }],
    ['json_name', { customName: 'x' }],
    ['int64 as string and number', { big: '-9223372036854775808', ubig: '18446744073709551615', u: 4294967295 }],
    ['int32 as string', { qty: '12' }],
    ['integral float for int', { qty: 1.0 }],
    ['double special values', { price: 'NaN', f: '-Infinity' }],
    ['numeric string for double', { price: '1.5e3' }],
    ['bytes base64 (standard and url-safe)', { blob: 'aGVsbG8=' }],
    ['bytes url-safe', { blob: 'aGVsbG8_-w' }],
    ['enum by name', { status: 'PAID' }],
    ['enum by number (open enum, unknown number accepted)', { status: 7 }],
    ['repeated', { tags: ['a', 'b'] }],
    ['map of messages', { items: { x: { sku: '1' } } }],
    ['map bool keys', { byBool: { true: 1, false: 2 } }],
    ['nested message', { main: { sku: 's' } }],
    ['one oneof member', { card: '4111' }],
    ['null means unset (even two oneof members)', { card: '1', cash: null, main: null }],
    ['Timestamp', { created: '2024-02-29T10:00:20.021Z' }],
    ['Timestamp with offset', { created: '1972-01-01T10:00:20+01:00' }],
    ['Duration', { ttl: '-1.5s' }],
    ['Struct', { meta: { a: [1, { b: null }] } }],
    ['wrapper bare value', { maybe: '42' }],
    ['FieldMask', { mask: 'orderId,main.sku' }],
    ['Any with known type', { any: { '@type': 'type.googleapis.com/shop.Order.Item', sku: 'x' } }],
    ['Any with WKT value', { any: { '@type': 'type.googleapis.com/google.protobuf.Duration', value: '1s' } }],
    ['Any with unknown type', { any: { '@type': 'type.googleapis.com/other.Thing', whatever: 1 } }],
    ['Empty', { nothing: {} }],
    ['Value null', { value: null }],
    ['proto3 optional', { opt: 0 }],
    ['extension keys are not checked', { '[ext.field]': 1 }],
  ])('%s', (_n, doc) => {
    expect(v.validate(doc)).toEqual({ valid: true, errors: [] });
  });
});

describe('protobuf JSON validator: invalid documents', () => {
  it.each([
    ['not an object', 5, [err('', 'type')]],
    ['array at root', [], [err('', 'type')]],
    [
      'unknown field',
      { nope: 1 },
      [
        {
          instancePath: '/nope',
          schemaPath: '#/shop.Order/unknownField',
          keyword: 'unknownField',
          message: 'unknown field "nope" in message shop.Order',
        },
      ],
    ],
    ['same field twice by both names', { orderId: 'a', order_id: 'b' }, [err('/order_id', 'duplicateField')]],
    [
      'string for int',
      { qty: 'x' },
      [{ instancePath: '/qty', schemaPath: '#/shop.Order/qty/type', keyword: 'type', message: 'must be an integer (int32)' }],
    ],
    ['fraction for int', { qty: 1.5 }, [err('/qty', 'type')]],
    ['int32 overflow', { qty: 2147483648 }, [err('/qty', 'type')]],
    ['negative uint', { u: -1 }, [err('/u', 'type')]],
    ['int64 overflow string', { big: '9223372036854775808' }, [err('/big', 'type')]],
    ['float overflow', { f: 1e39 }, [err('/f', 'type')]],
    ['bool as number', { paid: 1 }, [err('/paid', 'type')]],
    ['number for string', { orderId: 1 }, [err('/orderId', 'type')]],
    ['bad base64', { blob: 'a$b' }, [err('/blob', 'type')]],
    [
      'unknown enum name',
      { status: 'LOST' },
      [
        {
          instancePath: '/status',
          schemaPath: '#/shop.Order/status/enum',
          keyword: 'enum',
          message: '"LOST" is not a value of enum shop.Order.Status',
        },
      ],
    ],
    ['enum as bool', { status: true }, [err('/status', 'type')]],
    ['repeated not array', { tags: 'a' }, [err('/tags', 'type')]],
    ['null inside repeated', { tags: [null] }, [err('/tags/0', 'type')]],
    ['repeated item type', { tags: ['a', 2] }, [err('/tags/1', 'type')]],
    ['map not object', { items: [] }, [err('/items', 'type')]],
    ['map int key', { byNum: { x: 'a' } }, [err('/byNum/x', 'mapKey')]],
    ['map bool key', { byBool: { yes: 1 } }, [err('/byBool/yes', 'mapKey')]],
    [
      'nested unknown field',
      { items: { k: { sku: 'a', extra: 1 } } },
      [
        {
          instancePath: '/items/k/extra',
          schemaPath: '#/shop.Order.Item/unknownField',
          keyword: 'unknownField',
          message: 'unknown field "extra" in message shop.Order.Item',
        },
      ],
    ],
    [
      'two oneof members',
      { card: '1', cash: '2' },
      [
        {
          instancePath: '/cash',
          schemaPath: '#/shop.Order/payment/oneof',
          keyword: 'oneof',
          message: 'oneof "payment" has more than one field set ("card" and "cash")',
        },
      ],
    ],
    ['bad Timestamp', { created: '2024-02-30T00:00:00Z' }, [err('/created', 'format')]],
    ['Timestamp without zone', { created: '2024-01-01T00:00:00' }, [err('/created', 'format')]],
    ['bad Duration', { ttl: '5m' }, [err('/ttl', 'format')]],
    ['Struct not object', { meta: [1] }, [err('/meta', 'type')]],
    ['wrapper wrong type', { maybe: 'x' }, [err('/maybe', 'type')]],
    ['bad FieldMask', { mask: 'Order_id' }, [err('/mask', 'format')]],
    ['Any with known type and bad field', { any: { '@type': 'x/shop.Order.Item', sku: 1 } }, [err('/any/sku', 'type')]],
    ['Any without @type', { any: { sku: 'x' } }, [err('/any', 'required')]],
    ['Empty with fields', { nothing: { a: 1 } }, [err('/nothing/a', 'unknownField')]],
    ['message as string', { main: 'x' }, [err('/main', 'type')]],
    ['escaped JSON pointer', { 'a/b~c': 1 }, [err('/a~1b~0c', 'unknownField')]],
  ])('%s', (_n, doc, errors) => {
    const r = v.validate(doc);
    expect(r.valid).toBe(false);
    expect(r.errors).toEqual(errors);
  });
});

describe('protobuf JSON validator: proto2 and target selection', () => {
  const p2 = parseProtobuf(
    'syntax = "proto2";\npackage p;\nmessage First { optional int32 a = 1; }\nmessage Req { required string id = 1; optional group Grp = 2 { optional int32 x = 1; } optional E e = 3; }\nenum E { A = 1; }',
    [],
  );
  it.each([
    ['first message by default', undefined, { a: 1 }, true],
    ['named by full name', 'p.Req', { id: 'x' }, true],
    ['named with leading dot', '.p.Req', { id: 'x', grp: { x: 1 } }, true],
    ['named relative to the package', 'Req', { id: 'x' }, true],
  ])('%s', (_n, name, doc, valid) => {
    expect(protobufValidator(p2, name).validate(doc).valid).toBe(valid);
  });
  it('proto2 required field missing', () => {
    expect(protobufValidator(p2, 'p.Req').validate({}).errors).toEqual([
      { instancePath: '', schemaPath: '#/p.Req/id/required', keyword: 'required', message: 'missing required field "id"' },
    ]);
  });
  it('closed (proto2) enum rejects unknown numbers', () => {
    expect(protobufValidator(p2, 'p.Req').validate({ id: 'x', e: 5 }).errors).toEqual([err('/e', 'enum')]);
    expect(protobufValidator(p2, 'p.Req').validate({ id: 'x', e: 1 }).valid).toBe(true);
  });
  it('unknown target message', () => {
    expect(() => protobufValidator(p2, 'p.Nope')).toThrow(RegistryError);
    expect(() => protobufValidator(parseProtobuf('syntax = "proto3"; enum E { A = 0; }', []))).toThrow(/defines no message type/);
  });
  it('bounded depth on recursive types', () => {
    const rec = parseProtobuf('syntax = "proto3"; message T { T t = 1; }', []);
    let doc: Record<string, unknown> = {};
    for (let i = 0; i < 100; i++) doc = { t: doc };
    const r = protobufValidator(rec).validate(doc);
    expect(r.errors[0].keyword).toBe('maxDepth');
  });
  it('caps the number of errors', () => {
    const doc: Record<string, number> = {};
    for (let i = 0; i < 500; i++) doc[`k${i}`] = i;
    expect(v.validate(doc).errors).toHaveLength(100);
  });
});
