/**
 * Protobuf through the whole registry (workerd): register, canonical text on every read path,
 * identical schemas sharing an id, parse errors, references to other subjects and bundled
 * well-known imports, Confluent's compatibility diff (409 + verbose), referencedby and delete
 * protection, lookup. Domain details are unit-tested in test/unit/protobuf/.
 */
import { describe, expect, it } from 'vitest';
import { del, get, post, put } from './client';

const proto = (schema: string, extra: Record<string, unknown> = {}) => ({ schemaType: 'PROTOBUF', schema, ...extra });
const registerProto = async (subject: string, schema: string, extra: Record<string, unknown> = {}, query = '') => {
  const r = await post(`/subjects/${subject}/versions${query}`, proto(schema, extra));
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.id as number;
};

/** The imported subject: "other.proto". */
const CUSTOMER = 'syntax = "proto3";\npackage other;\n\nmessage Customer {\n  string id = 1;\n  string name = 2;\n}\n';
/** An order importing the Customer subject and the bundled google/protobuf/timestamp.proto. */
const ORDER_RAW = `syntax="proto3";
// comments are dropped from the canonical text
package shop;
import "other.proto";
import "google/protobuf/timestamp.proto";
message Order { other.Customer customer = 1; google.protobuf.Timestamp placed_at = 2; repeated Line lines = 3;
  message Line { string sku = 1; int32 quantity = 2; } }`;
const ORDER =
  'syntax = "proto3";\npackage shop;\n\nimport "other.proto";\nimport "google/protobuf/timestamp.proto";\n\n' +
  'message Order {\n  other.Customer customer = 1;\n  google.protobuf.Timestamp placed_at = 2;\n  repeated Line lines = 3;\n\n' +
  '  message Line {\n    string sku = 1;\n    int32 quantity = 2;\n  }\n}\n';
const ORDER_REFS = [{ name: 'other.proto', subject: 'other-value', version: 1 }];

describe('Protobuf registration and reads', () => {
  it('lists PROTOBUF among the schema types', async () => {
    expect((await get('/schemas/types')).body).toEqual(['AVRO', 'JSON', 'PROTOBUF']);
  });

  it('registers proto3 text and answers the canonical text with schemaType PROTOBUF on every read path', async () => {
    const raw =
      'syntax = "proto3";\npackage com.example;\n// a user\nmessage User {\n\n  string name = 1;   int32 age = 2;\n  map<string,string> tags = 3;\n}\nenum Role { ROLE_UNSPECIFIED = 0; ADMIN = 1; }\n';
    const canonical =
      'syntax = "proto3";\npackage com.example;\n\nmessage User {\n  string name = 1;\n  int32 age = 2;\n  map<string, string> tags = 3;\n}\n' +
      'enum Role {\n  ROLE_UNSPECIFIED = 0;\n  ADMIN = 1;\n}\n';
    expect(await registerProto('user-value', raw)).toBe(1);

    const v1 = await get('/subjects/user-value/versions/1');
    expect(v1.status).toBe(200);
    expect(v1.body).toEqual({ subject: 'user-value', version: 1, id: 1, schemaType: 'PROTOBUF', schema: canonical });
    expect((await get('/subjects/user-value/versions/latest')).body).toEqual(v1.body);
    expect((await get('/schemas/ids/1')).body).toEqual({ schemaType: 'PROTOBUF', schema: canonical });
    // The raw endpoints answer the text itself, not JSON.
    expect((await get('/schemas/ids/1/schema')).body).toBe(canonical);
    expect((await get('/subjects/user-value/versions/1/schema')).body).toBe(canonical);
    expect((await get('/schemas/ids/1/versions')).body).toEqual([{ subject: 'user-value', version: 1 }]);
    expect((await get('/schemas?subjectPrefix=user')).body).toEqual([
      { subject: 'user-value', version: 1, id: 1, schemaType: 'PROTOBUF', schema: canonical },
    ]);
  });

  it('gives identical schemas written differently the same id, and no new version', async () => {
    const a = 'syntax = "proto3";\npackage a;\n\nmessage A {\n  string x = 1;\n}\n';
    const b = 'syntax="proto3"; /* other spelling */ package a; message A{string x=1;}';
    expect(await registerProto('a-value', a)).toBe(1);
    expect(await registerProto('a-value', b)).toBe(1);
    expect(await registerProto('a-copy-value', b)).toBe(1);
    expect((await get('/subjects/a-value/versions')).body).toEqual([1]);
    expect((await get('/schemas/ids/1/versions')).body).toEqual(
      [
        { subject: 'a-copy-value', version: 1 },
        { subject: 'a-value', version: 1 },
      ].sort((x, y) => x.subject.localeCompare(y.subject)),
    );
    // The same text as Avro is a different (invalid) schema: the type is part of the identity.
    expect((await post('/subjects/a-value/versions', { schema: a })).body.error_code).toBe(42201);
  });

  it('stores the normalized text under normalize=true, so field order does not matter', async () => {
    expect(await registerProto('n-value', 'syntax = "proto3";\npackage n;\nmessage N { int32 b = 2; int32 a = 1; }', {}, '?normalize=true')).toBe(1);
    expect((await get('/subjects/n-value/versions/1')).body.schema).toBe(
      'syntax = "proto3";\npackage n;\n\nmessage N {\n  int32 a = 1;\n  int32 b = 2;\n}\n',
    );
    expect(await registerProto('n-value', 'syntax = "proto3";\npackage n;\nmessage N { int32 a = 1; int32 b = 2; }', {}, '?normalize=true')).toBe(1);
    expect((await get('/subjects/n-value/versions')).body).toEqual([1]);
  });

  it.each([
    ['a syntax error', 'syntax = "proto3";\nmessage A {\n  int32 a 1;\n}\n', "Syntax error at 3:11: expected '=' after field name a but was '1'"],
    [
      'a duplicate field number',
      'syntax = "proto3";\nmessage A {\n  int32 a = 1;\n  int32 b = 1;\n}\n',
      '4:3: Field number 1 has already been used in "A" by field "a".',
    ],
    ['JSON instead of proto text', '{"type":"string"}', "Syntax error at 1:1: expected a declaration but was '{'"],
    ['an unknown type', 'syntax = "proto3";\nmessage A {\n  Missing m = 1;\n}\n', '3:3: "Missing" is not defined.'],
    [
      'an import that is not passed as a reference',
      'syntax = "proto3";\nimport "other.proto";\nmessage A {\n  other.Customer c = 1;\n}\n',
      '4:3: "other.Customer" is not defined. (imports not found: "other.proto"; pass them as references)',
    ],
  ])('rejects %s with 42201 and a line:column message', async (_name, schema, message) => {
    const r = await post('/subjects/bad-value/versions', proto(schema));
    expect(r.status).toBe(422);
    expect(r.body).toEqual({ error_code: 42201, message });
    expect((await get('/subjects/bad-value/versions')).body.error_code).toBe(40401);
    // Lookup and compatibility checks parse the same way.
    await registerProto('bad-value', 'syntax = "proto3";\nmessage A {\n  int32 a = 1;\n}\n');
    expect((await post('/subjects/bad-value', proto(schema))).body).toEqual({ error_code: 42201, message });
    expect((await post('/compatibility/subjects/bad-value/versions/latest', proto(schema))).body).toEqual({ error_code: 42201, message });
  });
});

describe('Protobuf references and well-known imports', () => {
  it('imports another registered subject through references, and google/protobuf/timestamp.proto without one', async () => {
    expect(await registerProto('other-value', CUSTOMER)).toBe(1);
    expect(await registerProto('order-value', ORDER_RAW, { references: ORDER_REFS })).toBe(2);

    const expected = { subject: 'order-value', version: 1, id: 2, schemaType: 'PROTOBUF', references: ORDER_REFS, schema: ORDER };
    expect((await get('/subjects/order-value/versions/1')).body).toEqual(expected);
    expect((await get('/schemas/ids/2')).body).toEqual({ schemaType: 'PROTOBUF', references: ORDER_REFS, schema: ORDER });
    // The same text with the same references is the same schema.
    expect(await registerProto('order-value', ORDER, { references: ORDER_REFS })).toBe(2);

    // A well-known import needs no reference.
    const wkt =
      'syntax = "proto3";\nimport "google/protobuf/timestamp.proto";\nimport "google/protobuf/wrappers.proto";\nmessage T { google.protobuf.Timestamp at = 1; google.protobuf.StringValue note = 2; }';
    expect(await registerProto('event-value', wkt)).toBe(3);
    expect((await get('/schemas/ids/3')).body).toEqual({
      schemaType: 'PROTOBUF',
      schema:
        'syntax = "proto3";\n\nimport "google/protobuf/timestamp.proto";\nimport "google/protobuf/wrappers.proto";\n\n' +
        'message T {\n  google.protobuf.Timestamp at = 1;\n  google.protobuf.StringValue note = 2;\n}\n',
    });
  });

  it('resolves references transitively, and only direct imports are visible', async () => {
    await registerProto('other-value', CUSTOMER);
    const b = 'syntax = "proto3";\npackage b;\nimport "other.proto";\nmessage B { other.Customer c = 1; }';
    expect(await registerProto('b-value', b, { references: ORDER_REFS })).toBe(2);
    const bRef = [{ name: 'b.proto', subject: 'b-value', version: 1 }];
    expect(await registerProto('c-value', 'syntax = "proto3";\npackage c;\nimport "b.proto";\nmessage C { b.B b = 1; }', { references: bRef })).toBe(
      3,
    );
    // other.Customer is imported by b.proto, not by this file (no `import public`): protoc refuses it.
    const r = await post(
      '/subjects/c2-value/versions',
      proto('syntax = "proto3";\nimport "b.proto";\nmessage C {\n  other.Customer x = 1;\n}\n', { references: bRef }),
    );
    expect(r.body).toEqual({ error_code: 42201, message: '4:3: "other.Customer" is not defined.' });
    // A reference to a version that does not exist.
    const missing = await post(
      '/subjects/c3-value/versions',
      proto(b, { references: [{ name: 'other.proto', subject: 'other-value', version: 7 }] }),
    );
    expect(missing.status).toBe(422);
    expect(missing.body.error_code).toBe(42201);
  });

  it('lists referencing schemas and refuses to delete a referenced version or subject (42206)', async () => {
    await registerProto('other-value', CUSTOMER);
    await registerProto('order-value', ORDER, { references: ORDER_REFS });
    expect((await get('/subjects/other-value/versions/1/referencedby')).body).toEqual([2]);
    expect((await get('/subjects/order-value/versions/1/referencedby')).body).toEqual([]);

    const reason = 'One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=other-value,version=1}.';
    const delVersion = await del('/subjects/other-value/versions/1');
    expect(delVersion.status).toBe(422);
    expect(delVersion.body).toEqual({ error_code: 42206, message: reason });
    expect((await del('/subjects/other-value')).body).toEqual({ error_code: 42206, message: reason });
    expect((await get('/subjects/other-value/versions/1')).status).toBe(200);

    // Once the referencing schema is gone for good, the imported subject may go too.
    expect((await del('/subjects/order-value')).body).toEqual([1]);
    expect((await del('/subjects/order-value?permanent=true')).body).toEqual([1]);
    expect((await get('/subjects/other-value/versions/1/referencedby')).body).toEqual([]);
    expect((await del('/subjects/other-value')).body).toEqual([1]);
  });

  it('looks up a registered schema with POST /subjects/{s}, whatever its spelling', async () => {
    await registerProto('other-value', CUSTOMER);
    await registerProto('order-value', ORDER_RAW, { references: ORDER_REFS });
    const expected = { subject: 'order-value', version: 1, id: 2, schemaType: 'PROTOBUF', references: ORDER_REFS, schema: ORDER };
    expect((await post('/subjects/order-value', proto(ORDER, { references: ORDER_REFS }))).body).toEqual(expected);
    expect((await post('/subjects/order-value', proto(ORDER_RAW, { references: ORDER_REFS }))).body).toEqual(expected);
    expect((await post('/subjects/other-value', proto('syntax="proto3";package other;message Customer{string id=1;string name=2;}'))).body).toEqual({
      subject: 'other-value',
      version: 1,
      id: 1,
      schemaType: 'PROTOBUF',
      schema: CUSTOMER,
    });
    // A different schema is not found; the same schema in another subject is not either.
    const changed = await post('/subjects/other-value', proto(CUSTOMER.replace('name = 2', 'label = 2')));
    expect(changed.status).toBe(404);
    expect(changed.body).toEqual({ error_code: 40403, message: 'Schema not found' });
    expect((await post('/subjects/order-value', proto(CUSTOMER))).body.error_code).toBe(40403);
  });
});

describe('Protobuf compatibility', () => {
  const A1 = 'syntax = "proto3";\npackage a;\n\nmessage A {\n  string x = 1;\n}\n';
  const oldSchema = `{oldSchema: '${A1}'}`;
  const intro = 'Schema being registered is incompatible with an earlier schema for subject "a-value", details: ';

  it('refuses a field whose type kind changes (BACKWARD) with 409 and Confluent change types', async () => {
    await registerProto('a-value', A1);
    const candidate = 'syntax = "proto3";\npackage a;\nimport "google/protobuf/timestamp.proto";\nmessage A { google.protobuf.Timestamp x = 1; }';
    const kind = `{errorType:"FIELD_KIND_CHANGED", description:"The type of a field at path '#/A/1' in the new schema does not match the old schema"}`;
    const r = await post('/subjects/a-value/versions', proto(candidate));
    expect(r.status).toBe(409);
    expect(r.body).toEqual({
      error_code: 409,
      message: `${intro}[${kind}, {oldSchemaVersion: 1}, ${oldSchema}, {validateFields: 'false', compatibility: 'BACKWARD'}]`,
    });
    const v = await post('/compatibility/subjects/a-value/versions/latest?verbose=true', proto(candidate));
    expect(v.status).toBe(200);
    expect(v.body).toEqual({
      is_compatible: false,
      messages: [kind, '{oldSchemaVersion: 1}', oldSchema, "{validateFields: 'false', compatibility: 'BACKWARD'}"],
    });
    expect((await post('/compatibility/subjects/a-value/versions/1', proto(candidate))).body).toEqual({ is_compatible: false });
    expect((await get('/subjects/a-value/versions')).body).toEqual([1]);
  });

  it('refuses removing a message under BACKWARD (MESSAGE_REMOVED)', async () => {
    await registerProto('a-value', A1);
    const r = await post('/subjects/a-value/versions', proto('syntax = "proto3";\npackage a;\nmessage Z { string x = 1; }'));
    expect(r.status).toBe(409);
    expect(r.body.message).toBe(
      `${intro}[{errorType:"MESSAGE_REMOVED", description:"The new schema is missing a MESSAGE type at path '#/A' in the old schema"}, ` +
        `{oldSchemaVersion: 1}, ${oldSchema}, {validateFields: 'false', compatibility: 'BACKWARD'}]`,
    );
  });

  it('reports both directions under FULL, and accepts an added field as version 2', async () => {
    await registerProto('a-value', A1);
    expect((await put('/config/a-value', { compatibility: 'FULL' })).body).toEqual({ compatibility: 'FULL' });
    const v = await post(
      '/compatibility/subjects/a-value/versions/latest?verbose=true',
      proto('syntax = "proto3";\npackage a;\nmessage A { int64 x = 1; }'),
    );
    expect(v.body.is_compatible).toBe(false);
    // One message per direction (their order across directions is the core's FULL order, tested with it).
    expect(v.body.messages.slice(0, 2).sort()).toEqual([
      `{errorType:"FIELD_SCALAR_KIND_CHANGED", description:"The kind of a SCALAR field at path '#/A/1' in the new schema does not match its kind in the old schema"}`,
      `{errorType:"FIELD_SCALAR_KIND_CHANGED", description:"The kind of a SCALAR field at path '#/A/1' in the old schema does not match its kind in the new schema"}`,
    ]);
    expect(v.body.messages.slice(2)).toEqual(['{oldSchemaVersion: 1}', oldSchema, "{validateFields: 'false', compatibility: 'FULL'}"]);

    const added = 'syntax = "proto3";\npackage a;\nmessage A { string x = 1; int32 y = 2; }';
    expect((await post('/compatibility/subjects/a-value/versions?verbose=true', proto(added))).body).toEqual({ is_compatible: true, messages: [] });
    expect(await registerProto('a-value', added)).toBe(2);
    expect((await get('/subjects/a-value/versions')).body).toEqual([1, 2]);
    expect((await get('/subjects/a-value/versions/latest')).body).toEqual({
      subject: 'a-value',
      version: 2,
      id: 2,
      schemaType: 'PROTOBUF',
      schema: 'syntax = "proto3";\npackage a;\n\nmessage A {\n  string x = 1;\n  int32 y = 2;\n}\n',
    });
    // Wire-compatible scalar changes (int32 -> int64) and renames are compatible both ways.
    expect(await registerProto('a-value', 'syntax = "proto3";\npackage a;\nmessage A { string x = 1; int64 count = 2; }')).toBe(3);
  });

  it('compares message fields of a referenced subject across versions', async () => {
    await registerProto('other-value', CUSTOMER);
    await registerProto('order-value', ORDER, { references: ORDER_REFS });
    // other-value v2 changes the kind of Customer.name; an order pointing at v2 is incompatible.
    expect(await put('/config/other-value', { compatibility: 'NONE' })).toMatchObject({ status: 200 });
    expect(await registerProto('other-value', CUSTOMER.replace('string name = 2', 'int32 name = 2'))).toBe(3);
    const r = await post(
      '/compatibility/subjects/order-value/versions/latest?verbose=true',
      proto(ORDER, { references: [{ name: 'other.proto', subject: 'other-value', version: 2 }] }),
    );
    expect(r.body.is_compatible).toBe(false);
    expect(r.body.messages[0]).toBe(
      `{errorType:"FIELD_SCALAR_KIND_CHANGED", description:"The kind of a SCALAR field at path '#/Customer/2' in the new schema does not match its kind in the old schema"}`,
    );
  });
});
