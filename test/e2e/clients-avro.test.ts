/**
 * The published clients against the built Worker: register, lookup, compatibility, config,
 * delete, and an Avro encode/decode round trip. This is what Kafka users run unchanged.
 */
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { AvroDeserializer, AvroSerializer, SchemaRegistryClient, SerdeType } from '@confluentinc/schemaregistry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker } from './worker';

let worker: RunningWorker;
beforeAll(async () => {
  worker = await startWorker();
});
afterAll(async () => {
  await worker.stop();
});

const user = (extra: object[] = []) =>
  JSON.stringify({
    type: 'record',
    name: 'User',
    namespace: 'com.example',
    fields: [{ name: 'name', type: 'string' }, { name: 'age', type: 'int' }, ...extra],
  });

describe('@kafkajs/confluent-schema-registry', () => {
  it('registers, resolves, checks compatibility, and round-trips Avro', async () => {
    const registry = new SchemaRegistry({ host: worker.url });
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: user() }, { subject: 'kafkajs-user-value' });
    expect(id).toBeGreaterThan(0);
    // Idempotent: the same schema again answers the same id.
    expect((await registry.register({ type: SchemaType.AVRO, schema: user() }, { subject: 'kafkajs-user-value' })).id).toBe(id);
    expect(await registry.getLatestSchemaId('kafkajs-user-value')).toBe(id);
    expect(await registry.getRegistryId('kafkajs-user-value', 1)).toBe(id);

    const encoded = await registry.encode(id, { name: 'Ada', age: 36 });
    expect(encoded[0]).toBe(0); // Confluent wire format: magic byte, then the 4-byte id
    expect(encoded.readInt32BE(1)).toBe(id);
    expect(await registry.decode(encoded)).toEqual({ name: 'Ada', age: 36 });

    // A compatible evolution (new field with a default) under an explicit level.
    const v2 = user([{ name: 'email', type: ['null', 'string'], default: null }]);
    const second = await registry.register({ type: SchemaType.AVRO, schema: v2 }, { subject: 'kafkajs-user-value' });
    expect(second.id).not.toBe(id);
    // An incompatible one is refused with Confluent's 409.
    const bad = user([{ name: 'email', type: 'string' }]);
    await expect(registry.register({ type: SchemaType.AVRO, schema: bad }, { subject: 'kafkajs-user-value' })).rejects.toThrow(/incompatible/i);
    // Data written with v1 is still readable by id.
    expect(await registry.decode(encoded)).toEqual({ name: 'Ada', age: 36 });
  });
});

describe('@confluentinc/schemaregistry', () => {
  it('drives register, lookup, compatibility, config and deletes', async () => {
    const client = new SchemaRegistryClient({ baseURLs: [worker.url], cacheCapacity: 100 });
    const subject = 'confluent-user-value';
    const id = await client.register(subject, { schemaType: 'AVRO', schema: user() });
    expect(await client.getId(subject, { schemaType: 'AVRO', schema: user() })).toBe(id);
    const latest = await client.getLatestSchemaMetadata(subject);
    expect(latest).toMatchObject({ id, version: 1, subject });
    expect(await client.getAllSubjects()).toContain(subject);
    expect(await client.getAllVersions(subject)).toEqual([1]);

    expect(await client.updateCompatibility(subject, 'FULL' as never)).toBe('FULL');
    expect(await client.getCompatibility(subject)).toBe('FULL');
    const ok = user([{ name: 'email', type: ['null', 'string'], default: null }]);
    const bad = user([{ name: 'email', type: 'string' }]);
    expect(await client.testSubjectCompatibility(subject, { schemaType: 'AVRO', schema: ok })).toBe(true);
    expect(await client.testCompatibility(subject, 1, { schemaType: 'AVRO', schema: bad })).toBe(false);

    const v2 = await client.register(subject, { schemaType: 'AVRO', schema: ok });
    expect(await client.getVersion(subject, { schemaType: 'AVRO', schema: ok })).toBe(2);
    expect(await client.deleteSubjectVersion(subject, 2)).toBe(2);
    expect(await client.getAllVersions(subject)).toEqual([1]);
    expect(await client.deleteSubject(subject)).toEqual([1]);
    // A permanent delete answers every version it removed, the earlier soft-deleted one included.
    expect(await client.deleteSubject(subject, true)).toEqual([1, 2]);
    await expect(client.getAllVersions(subject)).rejects.toThrow(/not found/i);
    expect(v2).toBeGreaterThan(id);
  });

  it('round-trips Avro through AvroSerializer and AvroDeserializer', async () => {
    const client = new SchemaRegistryClient({ baseURLs: [worker.url] });
    const ser = new AvroSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: false, useLatestVersion: true });
    const de = new AvroDeserializer(client, SerdeType.VALUE, {});
    await client.register('orders-value', {
      schemaType: 'AVRO',
      schema: JSON.stringify({
        type: 'record',
        name: 'Order',
        fields: [
          { name: 'id', type: 'long' },
          { name: 'total', type: 'double' },
        ],
      }),
    });
    const bytes = await ser.serialize('orders', { id: 42, total: 9.5 });
    expect(bytes[0]).toBe(0);
    const back = await de.deserialize('orders', bytes);
    expect(Number(back.id)).toBe(42);
    expect(back.total).toBe(9.5);
  });
});
