/** fieldNames: what search_subjects (MCP) matches, one row per schema shape. */
import { describe, expect, it } from 'vitest';
import { fieldNames } from '../../src/domain/field-names';
import type { SchemaType } from '../../src/domain/format';
import { parseMessage, RPC } from '../../src/http/json-rpc';

const json = (v: unknown) => JSON.stringify(v);

describe('fieldNames', () => {
  it.each<[string, SchemaType, string, string[]]>([
    [
      'JSON Schema: nested properties, items and $defs',
      'JSON',
      json({
        properties: { a: { type: 'object', properties: { b: {} } }, list: { items: { properties: { c: {} } } } },
        $defs: { D: { properties: { d: {} } } },
      }),
      ['a', 'list', 'b', 'c', 'd'],
    ],
    [
      'JSON Schema: a property named like a keyword is a name',
      'JSON',
      json({ properties: { properties: { type: 'string' }, __proto__x: {} }, $defs: { properties: { properties: { z: {} } } } }),
      ['properties', '__proto__x', 'z'],
    ],
    ['JSON Schema: boolean schema has none', 'JSON', 'true', []],
    [
      'Avro: record fields, nested record in a union and an array',
      'AVRO',
      json({
        type: 'record',
        name: 'R',
        fields: [
          { name: 'id', type: 'long' },
          { name: 'addr', type: ['null', { type: 'record', name: 'A', fields: [{ name: 'city', type: 'string' }] }] },
          { name: 'tags', type: { type: 'array', items: { type: 'record', name: 'T', fields: [{ name: 'label', type: 'string' }] } } },
        ],
      }),
      ['id', 'addr', 'tags', 'label', 'city'],
    ],
    ['Avro: an enum has no fields', 'AVRO', json({ type: 'enum', name: 'E', symbols: ['A'] }), []],
    [
      'Protobuf: fields, oneof members, nested messages, groups',
      'PROTOBUF',
      'syntax = "proto2";\nmessage M { optional int32 a = 1; oneof o { string b = 2; } message N { optional string c = 1; } optional group G = 3 { optional int32 d = 4; } }',
      ['a', 'b', 'g', 'c'],
    ],
    ['text that does not parse has none', 'PROTOBUF', 'message {', []],
    ['JSON that does not parse has none', 'JSON', '{"properties":', []],
  ])('%s', (_label, type, text, names) => {
    expect(fieldNames(type, text).sort()).toEqual([...names].sort());
  });

  it('stops at 2,000 names', () => {
    const properties = Object.fromEntries(Array.from({ length: 3_000 }, (_, i) => [`f${String(i)}`, {}]));
    expect(fieldNames('JSON', json({ properties }))).toHaveLength(2_000);
  });
});

describe('parseMessage (JSON-RPC 2.0)', () => {
  it.each<[string, string, unknown]>([
    ['a request', '{"jsonrpc":"2.0","id":1,"method":"ping"}', { kind: 'request', request: { id: 1, method: 'ping', params: {} } }],
    [
      'a request with a string id and params',
      '{"jsonrpc":"2.0","id":"a","method":"m","params":{"x":1}}',
      { kind: 'request', request: { id: 'a', method: 'm', params: { x: 1 } } },
    ],
    ['a notification', '{"jsonrpc":"2.0","method":"notifications/initialized"}', { kind: 'notification', method: 'notifications/initialized' }],
    ['a client response', '{"jsonrpc":"2.0","id":1,"result":{}}', { kind: 'response' }],
    ['not JSON', '{', { kind: 'invalid', id: null, code: RPC.PARSE_ERROR }],
    ['too deep', '[[[[1]]]]', { kind: 'invalid', id: null, code: RPC.PARSE_ERROR }],
    ['a batch', '[{"jsonrpc":"2.0","id":1,"method":"ping"}]', { kind: 'invalid', id: null, code: RPC.INVALID_REQUEST }],
    ['a scalar', '3', { kind: 'invalid', id: null, code: RPC.INVALID_REQUEST }],
    ['no jsonrpc', '{"id":2,"method":"ping"}', { kind: 'invalid', id: 2, code: RPC.INVALID_REQUEST }],
    ['method not a string', '{"jsonrpc":"2.0","id":2,"method":7}', { kind: 'invalid', id: 2, code: RPC.INVALID_REQUEST }],
    ['params an array', '{"jsonrpc":"2.0","id":2,"method":"m","params":[]}', { kind: 'invalid', id: 2, code: RPC.INVALID_PARAMS }],
    ['a fractional id', '{"jsonrpc":"2.0","id":1.5,"method":"m"}', { kind: 'invalid', id: null, code: RPC.INVALID_REQUEST }],
    ['a null id', '{"jsonrpc":"2.0","id":null,"method":"m"}', { kind: 'invalid', id: null, code: RPC.INVALID_REQUEST }],
  ])('%s', (_label, text, expected) => {
    expect(parseMessage(text, 3)).toMatchObject(expected as object);
  });
});
