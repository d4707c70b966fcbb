/**
 * The published clients' JSON Schema support against the built Worker (dist/index.js, no `Function`
 * patch): what Kafka users run unchanged.
 *
 * - @kafkajs/confluent-schema-registry with SchemaType.JSON (ajv on the client): register a schema
 *   referencing another subject, encode, decode from a cold client, invalid payloads refused.
 * - @confluentinc/schemaregistry JsonSerializer/JsonDeserializer (ajv with `validate: true`):
 *   useLatestVersion, useSchemaId (lookup with references), autoRegisterSchemas (derived schema),
 *   draft 2020-12, and interop with kafkajs bytes.
 * Each accepted/refused payload is also checked against the registry's own engine (/v1/validate).
 */
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { JsonDeserializer, JsonSerializer, SchemaRegistryClient, SerdeType } from '@confluentinc/schemaregistry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker } from './worker';

let worker: RunningWorker;
beforeAll(async () => {
  worker = await startWorker();
});
afterAll(async () => {
  await worker.stop();
});

const ADDRESS = JSON.stringify({
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://example.com/schemas/address.json',
  title: 'Address',
  type: 'object',
  properties: { street: { type: 'string' }, city: { type: 'string' } },
  required: ['street', 'city'],
  additionalProperties: false,
});

/** References address.json by a relative name, resolved against its own $id (Confluent's convention). */
const CUSTOMER = JSON.stringify({
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://example.com/schemas/customer.json',
  title: 'Customer',
  type: 'object',
  properties: {
    id: { type: 'integer', minimum: 1 },
    name: { type: 'string', minLength: 1 },
    address: { $ref: 'address.json' },
    tags: { type: 'array', items: { type: 'string' }, uniqueItems: true },
  },
  required: ['id', 'name', 'address'],
});

const ORDER_2020 = JSON.stringify({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Order',
  type: 'object',
  $defs: {
    money: {
      type: 'object',
      properties: { amount: { type: 'number', exclusiveMinimum: 0 }, currency: { enum: ['EUR', 'USD'] } },
      required: ['amount', 'currency'],
    },
  },
  properties: {
    id: { type: 'string', pattern: '^o-[0-9]+$' },
    total: { $ref: '#/$defs/money' },
    lines: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], minItems: 2, items: false },
  },
  required: ['id', 'total'],
  unevaluatedProperties: false,
});

const ADA = { id: 7, name: 'Ada', address: { street: '1 Analytical Way', city: 'London' }, tags: ['vip'] };
/** Breaks the REFERENCED schema only (address.city missing), so a client must have resolved the reference. */
const ADA_NO_CITY = { id: 7, name: 'Ada', address: { street: '1 Analytical Way' } };

async function registryValidates(id: number, payload: unknown): Promise<boolean> {
  const r = await fetch(`${worker.url}/v1/validate/ids/${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  expect(r.status).toBe(200);
  return ((await r.json()) as { valid: boolean }).valid;
}

describe('@kafkajs/confluent-schema-registry with SchemaType.JSON', () => {
  it('registers a schema referencing another subject, encodes, decodes from a cold client, refuses invalid payloads', async () => {
    const registry = new SchemaRegistry({ host: worker.url });
    const address = await registry.register({ type: SchemaType.JSON, schema: ADDRESS }, { subject: 'k-address-value' });
    const references = [{ name: 'address.json', subject: 'k-address-value', version: 1 }];
    const customer = await registry.register({ type: SchemaType.JSON, schema: CUSTOMER, references }, { subject: 'k-customer-value' });
    expect(customer.id).not.toBe(address.id);
    // Idempotent with the same references.
    expect((await registry.register({ type: SchemaType.JSON, schema: CUSTOMER, references }, { subject: 'k-customer-value' })).id).toBe(customer.id);
    expect(await registry.getLatestSchemaId('k-customer-value')).toBe(customer.id);

    const encoded = await registry.encode(customer.id, ADA);
    expect(encoded[0]).toBe(0);
    expect(encoded.readInt32BE(1)).toBe(customer.id);
    expect(JSON.parse(encoded.subarray(5).toString())).toEqual(ADA);

    // A cold client fetches the schema by id and its reference through the registry.
    const cold = new SchemaRegistry({ host: worker.url });
    expect(await cold.decode(encoded)).toEqual(ADA);

    await expect(registry.encode(customer.id, ADA_NO_CITY)).rejects.toThrow(/invalid payload/i);
    await expect(cold.encode(customer.id, { ...ADA, id: 0 })).rejects.toThrow(/invalid payload/i);

    // The registry's engine agrees with the client's ajv.
    expect(await registryValidates(customer.id, ADA)).toBe(true);
    expect(await registryValidates(customer.id, ADA_NO_CITY)).toBe(false);
    expect(await registryValidates(customer.id, { ...ADA, id: 0 })).toBe(false);
  });
});

describe('@confluentinc/schemaregistry JsonSerializer / JsonDeserializer', () => {
  it('round-trips with useLatestVersion through a reference, and refuses an invalid payload', async () => {
    const client = new SchemaRegistryClient({ baseURLs: [worker.url] });
    await client.register('c-address-value', { schemaType: 'JSON', schema: ADDRESS });
    const id = await client.register('c-customer-value', {
      schemaType: 'JSON',
      schema: CUSTOMER,
      references: [{ name: 'address.json', subject: 'c-address-value', version: 1 }],
    });
    const ser = new JsonSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: false, useLatestVersion: true, validate: true });
    const bytes = await ser.serialize('c-customer', ADA);
    expect(bytes[0]).toBe(0);
    expect(bytes.readInt32BE(1)).toBe(id);

    // A cold client: the writer schema by id, its reference by subject/version, then ajv validation.
    const de = new JsonDeserializer(new SchemaRegistryClient({ baseURLs: [worker.url] }), SerdeType.VALUE, { validate: true });
    expect(await de.deserialize('c-customer', bytes)).toEqual(ADA);

    await expect(ser.serialize('c-customer', ADA_NO_CITY)).rejects.toThrow(/Invalid message/);
    expect(await registryValidates(id, ADA_NO_CITY)).toBe(false);

    // The deserializer validates too: bytes carrying an invalid document are refused.
    const forged = Buffer.concat([bytes.subarray(0, 5), Buffer.from(JSON.stringify(ADA_NO_CITY))]);
    await expect(de.deserialize('c-customer', forged)).rejects.toThrow(/Invalid message/);
  });

  it('useSchemaId: looks the schema up by subject (references included) before serializing', async () => {
    const client = new SchemaRegistryClient({ baseURLs: [worker.url] });
    await client.register('u-address-value', { schemaType: 'JSON', schema: ADDRESS });
    const id = await client.register('u-customer-value', {
      schemaType: 'JSON',
      schema: CUSTOMER,
      references: [{ name: 'address.json', subject: 'u-address-value', version: 1 }],
    });
    const ser = new JsonSerializer(new SchemaRegistryClient({ baseURLs: [worker.url] }), SerdeType.VALUE, {
      autoRegisterSchemas: false,
      useSchemaId: id,
      validate: true,
    });
    const bytes = await ser.serialize('u-customer', ADA);
    expect(bytes.readInt32BE(1)).toBe(id);
    const de = new JsonDeserializer(client, SerdeType.VALUE, { validate: true });
    expect(await de.deserialize('u-customer', bytes)).toEqual(ADA);
  });

  it('round-trips a draft 2020-12 schema (Ajv2020 on the client)', async () => {
    const client = new SchemaRegistryClient({ baseURLs: [worker.url] });
    const id = await client.register('c-order-value', { schemaType: 'JSON', schema: ORDER_2020 });
    const ser = new JsonSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: false, useLatestVersion: true, validate: true });
    const de = new JsonDeserializer(client, SerdeType.VALUE, { validate: true });
    const order = { id: 'o-42', total: { amount: 9.5, currency: 'EUR' }, lines: ['widget', 3] };
    const bytes = await ser.serialize('c-order', order);
    expect(bytes.readInt32BE(1)).toBe(id);
    expect(await de.deserialize('c-order', bytes)).toEqual(order);
    expect(await registryValidates(id, order)).toBe(true);

    for (const bad of [
      { ...order, note: 'x' }, // unevaluatedProperties
      { ...order, total: { amount: 0, currency: 'EUR' } }, // exclusiveMinimum through $ref
      { ...order, lines: ['widget', 3, 'extra'] }, // items: false after prefixItems
    ]) {
      await expect(ser.serialize('c-order', bad)).rejects.toThrow(/Invalid message/);
      expect(await registryValidates(id, bad)).toBe(false);
    }
  });

  it('autoRegisterSchemas: registers the schema derived from the message, then round-trips', async () => {
    const client = new SchemaRegistryClient({ baseURLs: [worker.url] });
    const ser = new JsonSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true });
    const msg = { name: 'Grace', age: 85, admiral: true, ships: ['USS Hopper'] };
    const bytes = await ser.serialize('auto', msg);
    const latest = await client.getLatestSchemaMetadata('auto-value');
    expect(latest.schemaType).toBe('JSON');
    expect(bytes.readInt32BE(1)).toBe(latest.id);
    expect(JSON.parse(latest.schema)).toMatchObject({ type: 'object', properties: { age: { type: 'integer' } } });
    // Serializing again reuses the id (register is idempotent).
    expect((await ser.serialize('auto', msg)).readInt32BE(1)).toBe(latest.id);
    const de = new JsonDeserializer(new SchemaRegistryClient({ baseURLs: [worker.url] }), SerdeType.VALUE, { validate: true });
    expect(await de.deserialize('auto', bytes)).toEqual(msg);
    expect(await registryValidates(latest.id!, msg)).toBe(true);
  });

  it("interoperates with kafkajs: each decodes the other's bytes", async () => {
    const kafkajs = new SchemaRegistry({ host: worker.url });
    await kafkajs.register({ type: SchemaType.JSON, schema: ADDRESS }, { subject: 'x-address-value' });
    const { id } = await kafkajs.register(
      { type: SchemaType.JSON, schema: CUSTOMER, references: [{ name: 'address.json', subject: 'x-address-value', version: 1 }] },
      { subject: 'x-customer-value' },
    );
    const client = new SchemaRegistryClient({ baseURLs: [worker.url] });
    const de = new JsonDeserializer(client, SerdeType.VALUE, { validate: true });
    expect(await de.deserialize('x-customer', await kafkajs.encode(id, ADA))).toEqual(ADA);
    const ser = new JsonSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: false, useLatestVersion: true, validate: true });
    expect(await new SchemaRegistry({ host: worker.url }).decode(await ser.serialize('x-customer', ADA))).toEqual(ADA);
  });
});
