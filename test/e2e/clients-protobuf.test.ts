/**
 * The published clients' Protobuf support against the built Worker (no `Function` patch: the
 * registry parses, links and diffs .proto text without code generation).
 *
 * - @kafkajs/confluent-schema-registry (protobufjs on the client): register with references,
 *   encode, decode by id from a cold client that resolves the references through the registry.
 * - @confluentinc/schemaregistry (@bufbuild/protobuf on the client): descriptors are built at run
 *   time from FileDescriptorProtos constructed here (no protoc). ProtobufSerializer works with
 *   `useLatestVersion` and with auto-registration (it registers base64 FileDescriptorProtos);
 *   ProtobufDeserializer fetches schemas as `?format=serialized` (base64 FileDescriptorProto).
 */
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { ProtobufDeserializer, ProtobufSerializer, SchemaRegistryClient, SerdeType } from '@confluentinc/schemaregistry';
import { create, createFileRegistry, createMutableRegistry, fromBinary, toBinary, type DescFile, type DescMessage } from '@bufbuild/protobuf';
import {
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FileDescriptorProtoSchema,
  file_google_protobuf_timestamp,
  timestampFromDate,
} from '@bufbuild/protobuf/wkt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker } from './worker';

let worker: RunningWorker;
beforeAll(async () => {
  worker = await startWorker();
});
afterAll(async () => {
  await worker.stop();
});

/** other.proto, registered under its own subject and imported through a reference. */
const CUSTOMER = 'syntax = "proto3";\npackage other;\n\nmessage Customer {\n  string id = 1;\n  string name = 2;\n}\n';
/** Imports the Customer subject and the bundled well-known google/protobuf/timestamp.proto. */
const ORDER =
  'syntax = "proto3";\npackage shop;\n\nimport "other.proto";\nimport "google/protobuf/timestamp.proto";\n\n' +
  'message Order {\n  other.Customer customer = 1;\n  google.protobuf.Timestamp placed_at = 2;\n  int32 quantity = 3;\n}\n';
/** Imports only the well-known type. */
const EVENT =
  'syntax = "proto3";\npackage audit;\n\nimport "google/protobuf/timestamp.proto";\n\nmessage Event {\n  string kind = 1;\n  google.protobuf.Timestamp at = 2;\n}\n';
/**
 * google/protobuf/timestamp.proto (upstream declarations, comments removed). protobufjs `parse`,
 * which kafkajs uses, does not know well-known imports, so kafkajs users register it as a subject
 * and reference it (as Confluent's Java serializer does with skipKnownTypes=false).
 */
const TIMESTAMP = 'syntax = "proto3";\npackage google.protobuf;\n\nmessage Timestamp {\n  int64 seconds = 1;\n  int32 nanos = 2;\n}\n';

const PLACED_AT = new Date('2024-01-02T03:04:05.678Z');
const SECONDS = Math.floor(PLACED_AT.getTime() / 1000);

describe('@kafkajs/confluent-schema-registry with SchemaType.PROTOBUF', () => {
  it('registers a schema importing another subject, encodes, and decodes from a cold client', async () => {
    const registry = new SchemaRegistry({ host: worker.url });
    const customer = await registry.register({ type: SchemaType.PROTOBUF, schema: CUSTOMER }, { subject: 'k-customer-value' });
    const ref = [{ name: 'other.proto', subject: 'k-customer-value', version: 1 }];
    const timestampRef = { name: 'google/protobuf/timestamp.proto', subject: 'k-timestamp-value', version: 1 };
    const ts = await registry.register({ type: SchemaType.PROTOBUF, schema: TIMESTAMP }, { subject: 'k-timestamp-value' });
    const order = await registry.register(
      { type: SchemaType.PROTOBUF, schema: ORDER, references: [...ref, timestampRef] },
      { subject: 'k-order-value' },
    );
    expect([customer.id, ts.id, order.id]).toEqual([1, 2, 3]);
    // Idempotent, and the references are part of what is stored.
    expect(
      (await registry.register({ type: SchemaType.PROTOBUF, schema: ORDER, references: [...ref, timestampRef] }, { subject: 'k-order-value' })).id,
    ).toBe(3);
    expect(await registry.getLatestSchemaId('k-order-value')).toBe(3);
    expect(await registry.getRegistryId('k-order-value', 1)).toBe(3);
    expect(
      await registry.getRegistryIdBySchema('k-customer-value', {
        type: SchemaType.PROTOBUF,
        schema: 'syntax="proto3";package other;message Customer{string id=1;string name=2;}',
      }),
    ).toBe(1);

    const payload = { customer: { id: 'c-1', name: 'Ada' }, placedAt: { seconds: SECONDS, nanos: 678_000_000 }, quantity: 3 };
    const encoded = await registry.encode(3, payload);
    expect(encoded[0]).toBe(0);
    expect(encoded.readInt32BE(1)).toBe(3);

    // A fresh client knows nothing: it fetches id 3, then every reference, from the registry.
    const cold = new SchemaRegistry({ host: worker.url });
    const decoded = await cold.decode(encoded);
    expect(decoded.toJSON()).toEqual({
      customer: { id: 'c-1', name: 'Ada' },
      placedAt: { seconds: String(SECONDS), nanos: 678_000_000 },
      quantity: 3,
    });
  });

  it('round-trips a schema importing google/protobuf/timestamp.proto; the registry itself needs no reference for it', async () => {
    const registry = new SchemaRegistry({ host: worker.url });
    // The registry resolves the well-known import from its bundled files.
    const bare = await registry.register({ type: SchemaType.PROTOBUF, schema: EVENT }, { subject: 'k-event-bare-value' });
    const res = await fetch(`${worker.url}/schemas/ids/${bare.id}`);
    // Profile 8 (E2E_RESPONSE_PROFILE=8) adds the schema's guid.
    const guid = process.env.E2E_RESPONSE_PROFILE === '8' ? { guid: expect.any(String) } : {};
    expect(await res.json()).toEqual({ schemaType: 'PROTOBUF', schema: EVENT, ...guid });

    // kafkajs (protobufjs) needs the Timestamp text on the client: pass it as a reference.
    await registry.register({ type: SchemaType.PROTOBUF, schema: TIMESTAMP }, { subject: 'k-timestamp-value' });
    const refs = [{ name: 'google/protobuf/timestamp.proto', subject: 'k-timestamp-value', version: 1 }];
    const event = await registry.register({ type: SchemaType.PROTOBUF, schema: EVENT, references: refs }, { subject: 'k-event-value' });
    expect(event.id).not.toBe(bare.id); // references are part of a schema's identity

    const encoded = await registry.encode(event.id, { kind: 'login', at: { seconds: SECONDS, nanos: 5 } });
    const decoded = await new SchemaRegistry({ host: worker.url }).decode(encoded);
    expect(decoded.toJSON()).toEqual({ kind: 'login', at: { seconds: String(SECONDS), nanos: 5 } });
  });

  it('refuses an incompatible change and accepts a compatible one', async () => {
    const registry = new SchemaRegistry({ host: worker.url });
    const v1 = await registry.register({ type: SchemaType.PROTOBUF, schema: CUSTOMER }, { subject: 'k-evolve-value' });
    await expect(
      registry.register({ type: SchemaType.PROTOBUF, schema: CUSTOMER.replace('string name = 2', 'double name = 2') }, { subject: 'k-evolve-value' }),
    ).rejects.toThrow(/FIELD_SCALAR_KIND_CHANGED/);
    const v2 = await registry.register(
      { type: SchemaType.PROTOBUF, schema: CUSTOMER.replace('}\n', '  string email = 3;\n}\n') },
      { subject: 'k-evolve-value' },
    );
    expect(v2.id).toBeGreaterThan(v1.id);
    expect(await registry.getRegistryId('k-evolve-value', 2)).toBe(v2.id);
    // Data written with v1 still decodes by its id.
    const old = await registry.encode(v1.id, { id: 'x', name: 'y' });
    expect((await new SchemaRegistry({ host: worker.url }).decode(old)).toJSON()).toEqual({ id: 'x', name: 'y' });
  });
});

/** Message descriptors built at run time from FileDescriptorProtos: what protoc-gen-es would emit. */
function descriptors(): { Customer: DescMessage; Order: DescMessage; Event: DescMessage } {
  const { STRING, INT32, MESSAGE } = FieldDescriptorProto_Type;
  const OPTIONAL = FieldDescriptorProto_Label.OPTIONAL;
  const field = (name: string, number: number, type: FieldDescriptorProto_Type, jsonName: string, typeName?: string) => ({
    name,
    number,
    type,
    label: OPTIONAL,
    jsonName,
    ...(typeName ? { typeName } : {}),
  });
  const other = createFileRegistry(
    create(FileDescriptorProtoSchema, {
      name: 'other.proto',
      package: 'other',
      syntax: 'proto3',
      messageType: [{ name: 'Customer', field: [field('id', 1, STRING, 'id'), field('name', 2, STRING, 'name')] }],
    }),
    () => undefined,
  ).getFile('other.proto') as DescFile;
  const resolve = (name: string) =>
    name === 'other.proto' ? other : name === 'google/protobuf/timestamp.proto' ? file_google_protobuf_timestamp : undefined;
  const order = createFileRegistry(
    create(FileDescriptorProtoSchema, {
      name: 'order.proto',
      package: 'shop',
      syntax: 'proto3',
      dependency: ['other.proto', 'google/protobuf/timestamp.proto'],
      messageType: [
        {
          name: 'Order',
          field: [
            field('customer', 1, MESSAGE, 'customer', '.other.Customer'),
            field('placed_at', 2, MESSAGE, 'placedAt', '.google.protobuf.Timestamp'),
            field('quantity', 3, INT32, 'quantity'),
          ],
        },
      ],
    }),
    resolve,
  );
  const event = createFileRegistry(
    create(FileDescriptorProtoSchema, {
      name: 'event.proto',
      package: 'audit',
      syntax: 'proto3',
      dependency: ['google/protobuf/timestamp.proto'],
      messageType: [{ name: 'Event', field: [field('kind', 1, STRING, 'kind'), field('at', 2, MESSAGE, 'at', '.google.protobuf.Timestamp')] }],
    }),
    resolve,
  );
  return { Customer: order.getMessage('other.Customer')!, Order: order.getMessage('shop.Order')!, Event: event.getMessage('audit.Event')! };
}

describe('@confluentinc/schemaregistry ProtobufSerializer / ProtobufDeserializer', () => {
  const { Customer, Order, Event } = descriptors();
  const order = () => create(Order, { customer: create(Customer, { id: 'c-1', name: 'Ada' }), placedAt: timestampFromDate(PLACED_AT), quantity: 3 });
  const event = () => create(Event, { kind: 'login', at: timestampFromDate(PLACED_AT) });

  /** Registers the text schemas the descriptors above were written from. */
  async function registerTexts(client: SchemaRegistryClient, prefix: string): Promise<{ order: number; event: number }> {
    await client.register(`${prefix}-customer-value`, { schemaType: 'PROTOBUF', schema: CUSTOMER });
    const references = [{ name: 'other.proto', subject: `${prefix}-customer-value`, version: 1 }];
    return {
      order: await client.register(`${prefix}-orders-value`, { schemaType: 'PROTOBUF', schema: ORDER, references }),
      event: await client.register(`${prefix}-events-value`, { schemaType: 'PROTOBUF', schema: EVENT }),
    };
  }

  it('registers and looks up Protobuf text with references through SchemaRegistryClient', async () => {
    const client = new SchemaRegistryClient({ baseURLs: [worker.url] });
    const ids = await registerTexts(client, 'c1');
    const references = [{ name: 'other.proto', subject: 'c1-customer-value', version: 1 }];
    expect(await client.getId('c1-orders-value', { schemaType: 'PROTOBUF', schema: ORDER, references })).toBe(ids.order);
    expect(await client.getVersion('c1-orders-value', { schemaType: 'PROTOBUF', schema: ORDER, references })).toBe(1);
    expect(await client.getLatestSchemaMetadata('c1-orders-value')).toMatchObject({
      id: ids.order,
      version: 1,
      schemaType: 'PROTOBUF',
      schema: ORDER,
      references,
    });
    expect(await client.getBySubjectAndId('c1-events-value', ids.event)).toMatchObject({ schemaType: 'PROTOBUF', schema: EVENT });
    expect(
      await client.testSubjectCompatibility('c1-customer-value', {
        schemaType: 'PROTOBUF',
        schema: CUSTOMER.replace('string name = 2', 'bytes name = 2'),
      }),
    ).toBe(true);
    expect(
      await client.testSubjectCompatibility('c1-customer-value', {
        schemaType: 'PROTOBUF',
        schema: CUSTOMER.replace('string name = 2', 'int32 name = 2'),
      }),
    ).toBe(false);
  });

  it('serializes @bufbuild/protobuf messages against the latest registered version (Confluent wire format)', async () => {
    const client = new SchemaRegistryClient({ baseURLs: [worker.url] });
    const ids = await registerTexts(client, 'c2');
    const ser = new ProtobufSerializer(client, SerdeType.VALUE, {
      autoRegisterSchemas: false,
      useLatestVersion: true,
      registry: createMutableRegistry(Order, Customer, Event),
    });
    for (const [topic, id, desc, msg] of [
      ['c2-orders', ids.order, Order, order()],
      ['c2-events', ids.event, Event, event()],
    ] as const) {
      const bytes = await ser.serialize(topic, msg);
      expect(bytes[0]).toBe(0); // magic byte
      expect(bytes.readInt32BE(1)).toBe(id);
      expect(bytes[5]).toBe(0); // message indexes [0]: the first message of the file
      const body = bytes.subarray(6);
      expect(Buffer.from(body)).toEqual(Buffer.from(toBinary(desc, msg)));
      expect(fromBinary(desc, body)).toEqual(msg);
    }
  });

  it('bytes written by ProtobufSerializer are read by kafkajs through the registry', async () => {
    const client = new SchemaRegistryClient({ baseURLs: [worker.url] });
    await client.register('c3-customer-value', { schemaType: 'PROTOBUF', schema: CUSTOMER });
    await client.register('c3-timestamp-value', { schemaType: 'PROTOBUF', schema: TIMESTAMP });
    const references = [
      { name: 'other.proto', subject: 'c3-customer-value', version: 1 },
      { name: 'google/protobuf/timestamp.proto', subject: 'c3-timestamp-value', version: 1 },
    ];
    const id = await client.register('c3-orders-value', { schemaType: 'PROTOBUF', schema: ORDER, references });
    const ser = new ProtobufSerializer(client, SerdeType.VALUE, {
      autoRegisterSchemas: false,
      useLatestVersion: true,
      registry: createMutableRegistry(Order, Customer),
    });
    const bytes = await ser.serialize('c3-orders', order());
    expect(bytes.readInt32BE(1)).toBe(id);
    const decoded = await new SchemaRegistry({ host: worker.url }).decode(bytes);
    expect(decoded.toJSON()).toEqual({
      customer: { id: 'c-1', name: 'Ada' },
      placedAt: { seconds: String(SECONDS), nanos: 678_000_000 },
      quantity: 3,
    });
  });

  it('round-trips through ProtobufDeserializer, which fetches schemas and references as ?format=serialized', async () => {
    const client = new SchemaRegistryClient({ baseURLs: [worker.url] });
    const ids = await registerTexts(client, 'c4');
    const res = await fetch(`${worker.url}/schemas/ids/${ids.event}?subject=c4-events-value&format=serialized`);
    const serialized = ((await res.json()) as { schema: string }).schema;
    expect(
      fromBinary(
        FileDescriptorProtoSchema,
        Uint8Array.from(atob(serialized), (ch) => ch.charCodeAt(0)),
      ).name,
    ).toBe('default');
    const ser = new ProtobufSerializer(client, SerdeType.VALUE, {
      autoRegisterSchemas: false,
      useLatestVersion: true,
      registry: createMutableRegistry(Order, Customer, Event),
    });
    const de = new ProtobufDeserializer(client, SerdeType.VALUE, {});
    expect(await de.deserialize('c4-orders', await ser.serialize('c4-orders', order()))).toEqual(order());
    expect(await de.deserialize('c4-events', await ser.serialize('c4-events', event()))).toEqual(event());
  });

  it('auto-registers base64 FileDescriptorProtos and round-trips them', async () => {
    const client = new SchemaRegistryClient({ baseURLs: [worker.url] });
    const ser = new ProtobufSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true, registry: createMutableRegistry(Event) });
    const bytes = await ser.serialize('c6-events', event());
    const latest = await client.getLatestSchemaMetadata('c6-events-value');
    expect(bytes.readInt32BE(1)).toBe(latest.id);
    expect(latest.schema).toContain('message'); // stored as .proto text, as Confluent stores it
    const de = new ProtobufDeserializer(client, SerdeType.VALUE, {});
    expect(await de.deserialize('c6-events', bytes)).toEqual(event());
  });
});
