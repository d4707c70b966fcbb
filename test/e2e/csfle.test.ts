/**
 * The Proof of the DEK registry (docs/dek-registry.md#what-the-client-tests-cover): Confluent's own
 * client-side field-level encryption (@confluentinc/schemaregistry FieldEncryptionExecutor with its
 * local KMS driver) against the built Worker, for Avro, JSON Schema and Protobuf. Each format:
 * register a schema whose PII-tagged field has an ENCRYPT rule, serialize a record (the executor
 * creates the KEK and the DEK through /dek-registry/v1), find no plaintext of the PII field in the
 * bytes, deserialize with a cold DEK client (the DEK is read back from the registry) and get the
 * plaintext, and read the KEK and DEK through our REST API.
 */
import {
  AvroDeserializer,
  AvroSerializer,
  type ClientConfig,
  clearKmsClients,
  EncryptionExecutor,
  FieldEncryptionExecutor,
  JsonDeserializer,
  JsonSerializer,
  LocalKmsDriver,
  ProtobufDeserializer,
  ProtobufSerializer,
  RuleMode,
  RuleRegistry,
  type Rule,
  SchemaRegistryClient,
  SerdeType,
} from '@confluentinc/schemaregistry';
import { create, toBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
// The client's own Protobuf fixture (test.Author: `name`, `picture` and `oneof_string` tagged PII
// with `(confluent.field_meta).tags`, importing confluent/meta.proto).
import { AuthorSchema, file_test_schemaregistry_serde_example } from '@confluentinc/schemaregistry/dist/test/serde/test/example_pb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker } from './worker';

let worker: RunningWorker;
let config: ClientConfig;
// One executor for the process, as the client's own tests register it; it is configured once with
// the serializers' client config (encrypt-executor.js configure).
const executor = FieldEncryptionExecutor.register();
const payloadExecutor = EncryptionExecutor.register();
LocalKmsDriver.register();

beforeAll(async () => {
  worker = await startWorker();
  config = { baseURLs: [worker.url], cacheCapacity: 100 };
});
afterAll(async () => {
  await worker.stop();
});

const SECRET = 'e2e-local-kms-secret';
const PLAINTEXT = 'Ada Lovelace 1815-12-10';

function encryptRule(kek: string, params: Record<string, string> = {}): Rule {
  return {
    name: 'encrypt-pii',
    kind: 'TRANSFORM',
    mode: RuleMode.WRITEREAD,
    type: 'ENCRYPT',
    tags: ['PII'],
    params: { 'encrypt.kek.name': kek, 'encrypt.kms.type': 'local-kms', 'encrypt.kms.key.id': 'e2e-key', ...params },
    onFailure: 'ERROR,NONE',
  };
}

/** Forget every DEK and KMS client the executors hold: the next read goes to the registry. */
function coldKeys(): void {
  executor.executor.client = null;
  payloadExecutor.client = null;
  clearKmsClients();
}

async function getJson(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(worker.url + path);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The KEK and the DEK the executor created exist in the registry, with wrapped key material only. */
async function expectKeys(kek: string, subject: string, algorithm = 'AES256_GCM'): Promise<void> {
  const k = await getJson(`/dek-registry/v1/keks/${kek}`);
  expect(k).toMatchObject({ status: 200, body: { name: kek, kmsType: 'local-kms', kmsKeyId: 'e2e-key', shared: false } });
  const d = await getJson(`/dek-registry/v1/keks/${kek}/deks/${subject}?algorithm=${algorithm}`);
  expect(d).toMatchObject({ status: 200, body: { kekName: kek, subject, version: 1, algorithm } });
  expect(typeof d.body.encryptedKeyMaterial).toBe('string');
  expect(d.body).not.toHaveProperty('keyMaterial');
  const versions = await getJson(`/dek-registry/v1/keks/${kek}/deks`);
  expect(versions.body).toEqual([subject]);
}

function plaintextIn(bytes: Buffer, text: string): boolean {
  return bytes.includes(Buffer.from(text, 'utf8'));
}

describe('client-side field-level encryption (FieldEncryptionExecutor, local KMS) against the Worker', () => {
  it('Avro: a PII string and bytes field are encrypted on write and decrypted on read', async () => {
    const subject = 'csfle-avro-value';
    const kek = 'csfle-avro-kek';
    const client = new SchemaRegistryClient(config);
    const schema = JSON.stringify({
      type: 'record',
      name: 'Person',
      namespace: 'e2e.csfle',
      fields: [
        { name: 'id', type: 'int' },
        { name: 'name', type: 'string', 'confluent:tags': ['PII'] },
        { name: 'photo', type: 'bytes', 'confluent:tags': ['PII'] },
        { name: 'city', type: 'string' },
      ],
    });
    await client.register(subject, { schemaType: 'AVRO', schema, ruleSet: { domainRules: [encryptRule(kek)] } });

    const ser = new AvroSerializer(client, SerdeType.VALUE, { useLatestVersion: true, ruleConfig: { secret: SECRET } });
    const photo = Buffer.from('PHOTO-BYTES-0123456789');
    const bytes = await ser.serialize('csfle-avro', { id: 7, name: PLAINTEXT, photo, city: 'London' });
    expect(bytes[0]).toBe(0);
    expect(plaintextIn(bytes, PLAINTEXT)).toBe(false);
    expect(plaintextIn(bytes, 'PHOTO-BYTES-0123456789')).toBe(false);
    expect(plaintextIn(bytes, 'London')).toBe(true); // the untagged field stays clear

    coldKeys();
    const deser = new AvroDeserializer(new SchemaRegistryClient(config), SerdeType.VALUE, { ruleConfig: { secret: SECRET } });
    expect(await deser.deserialize('csfle-avro', bytes)).toEqual({ id: 7, name: PLAINTEXT, photo, city: 'London' });
    await expectKeys(kek, subject);

    // A reader without the KMS secret gets the ciphertext (the rule's onFailure is NONE on read),
    // as in the client's own test: its own executor, no `secret`.
    clearKmsClients();
    const registry = new RuleRegistry();
    registry.registerExecutor(new FieldEncryptionExecutor());
    const blind = new AvroDeserializer(new SchemaRegistryClient(config), SerdeType.VALUE, {}, registry);
    const seen = (await blind.deserialize('csfle-avro', bytes)) as { name: string };
    expect(seen.name).not.toBe(PLAINTEXT);
  });

  it('JSON Schema: a PII string field is encrypted on write and decrypted on read', async () => {
    const subject = 'csfle-json-value';
    const kek = 'csfle-json-kek';
    const client = new SchemaRegistryClient(config);
    const schema = JSON.stringify({
      type: 'object',
      properties: {
        id: { type: 'integer' },
        name: { type: 'string', 'confluent:tags': ['PII'] },
        city: { type: 'string' },
      },
    });
    await client.register(subject, { schemaType: 'JSON', schema, ruleSet: { domainRules: [encryptRule(kek)] } });

    const ser = new JsonSerializer(client, SerdeType.VALUE, { useLatestVersion: true, ruleConfig: { secret: SECRET } });
    const bytes = await ser.serialize('csfle-json', { id: 7, name: PLAINTEXT, city: 'London' });
    expect(plaintextIn(bytes, PLAINTEXT)).toBe(false);
    const written = JSON.parse(bytes.subarray(5).toString('utf8')) as Record<string, unknown>;
    expect(written).toMatchObject({ id: 7, city: 'London' });
    expect(written.name).toEqual(expect.any(String));
    expect(written.name).not.toBe(PLAINTEXT);

    coldKeys();
    const deser = new JsonDeserializer(new SchemaRegistryClient(config), SerdeType.VALUE, { ruleConfig: { secret: SECRET } });
    expect(await deser.deserialize('csfle-json', bytes)).toEqual({ id: 7, name: PLAINTEXT, city: 'London' });
    await expectKeys(kek, subject);
  });

  it('Protobuf: PII fields (a string, bytes, a oneof string) are encrypted on write and decrypted on read', async () => {
    const subject = 'csfle-protobuf-value';
    const kek = 'csfle-protobuf-kek';
    const client = new SchemaRegistryClient(config);
    // As the client's own test: the FileDescriptorProto, base64 (the registry resolves confluent/meta.proto).
    const schema = Buffer.from(toBinary(FileDescriptorProtoSchema, file_test_schemaregistry_serde_example.proto)).toString('base64');
    await client.register(subject, { schemaType: 'PROTOBUF', schema, ruleSet: { domainRules: [encryptRule(kek)] } });

    const ser = new ProtobufSerializer(client, SerdeType.VALUE, { useLatestVersion: true, ruleConfig: { secret: SECRET } });
    ser.registry.add(AuthorSchema);
    const fields = () => ({
      name: PLAINTEXT,
      id: 123,
      picture: Buffer.from('PICTURE-BYTES-0123456789'),
      works: ['The Analytical Engine'],
      piiOneof: { case: 'oneofString' as const, value: 'ONEOF-SECRET-VALUE' },
    });
    const bytes = await ser.serialize('csfle-protobuf', create(AuthorSchema, fields()));
    expect(plaintextIn(bytes, PLAINTEXT)).toBe(false);
    expect(plaintextIn(bytes, 'PICTURE-BYTES-0123456789')).toBe(false);
    expect(plaintextIn(bytes, 'ONEOF-SECRET-VALUE')).toBe(false);
    expect(plaintextIn(bytes, 'The Analytical Engine')).toBe(true);

    coldKeys();
    const deser = new ProtobufDeserializer(new SchemaRegistryClient(config), SerdeType.VALUE, { ruleConfig: { secret: SECRET } });
    const back = (await deser.deserialize('csfle-protobuf', bytes)) as ReturnType<typeof fields>;
    expect(back).toEqual(create(AuthorSchema, fields()));
    await expectKeys(kek, subject);
  });

  it('Avro, deterministic: encrypt.dek.algorithm AES256_SIV gives the same ciphertext for the same value', async () => {
    const subject = 'csfle-siv-value';
    const kek = 'csfle-siv-kek';
    const client = new SchemaRegistryClient(config);
    const schema = JSON.stringify({
      type: 'record',
      name: 'Login',
      namespace: 'e2e.csfle',
      fields: [{ name: 'email', type: 'string', 'confluent:tags': ['PII'] }],
    });
    const rule = encryptRule(kek, { 'encrypt.dek.algorithm': 'AES256_SIV' });
    await client.register(subject, { schemaType: 'AVRO', schema, ruleSet: { domainRules: [rule] } });
    const ser = new AvroSerializer(client, SerdeType.VALUE, { useLatestVersion: true, ruleConfig: { secret: SECRET } });
    const a = await ser.serialize('csfle-siv', { email: PLAINTEXT });
    const b = await ser.serialize('csfle-siv', { email: PLAINTEXT });
    expect(plaintextIn(a, PLAINTEXT)).toBe(false);
    expect(a.equals(b)).toBe(true); // deterministic: joinable, as the client documents for SIV
    coldKeys();
    const deser = new AvroDeserializer(new SchemaRegistryClient(config), SerdeType.VALUE, { ruleConfig: { secret: SECRET } });
    expect(await deser.deserialize('csfle-siv', a)).toEqual({ email: PLAINTEXT });
    await expectKeys(kek, subject, 'AES256_SIV');
  });

  it('JSON Schema, payload encryption (EncryptionExecutor, ENCRYPT_PAYLOAD encoding rule): the whole payload is ciphertext', async () => {
    const subject = 'csfle-payload-value';
    const kek = 'csfle-payload-kek';
    const client = new SchemaRegistryClient(config);
    const schema = JSON.stringify({ type: 'object', properties: { id: { type: 'integer' }, city: { type: 'string' } } });
    const rule: Rule = {
      name: 'encrypt-payload',
      kind: 'TRANSFORM',
      mode: RuleMode.WRITEREAD,
      type: 'ENCRYPT_PAYLOAD',
      params: { 'encrypt.kek.name': kek, 'encrypt.kms.type': 'local-kms', 'encrypt.kms.key.id': 'e2e-key' },
      onFailure: 'ERROR,NONE',
    };
    await client.register(subject, { schemaType: 'JSON', schema, ruleSet: { encodingRules: [rule] } });
    const ser = new JsonSerializer(client, SerdeType.VALUE, { useLatestVersion: true, ruleConfig: { secret: SECRET } });
    const bytes = await ser.serialize('csfle-payload', { id: 7, city: 'London-Payload' });
    expect(plaintextIn(bytes, 'London-Payload')).toBe(false);
    expect(plaintextIn(bytes, '"id"')).toBe(false);
    coldKeys();
    const deser = new JsonDeserializer(new SchemaRegistryClient(config), SerdeType.VALUE, { ruleConfig: { secret: SECRET } });
    expect(await deser.deserialize('csfle-payload', bytes)).toEqual({ id: 7, city: 'London-Payload' });
    await expectKeys(kek, subject);
  });
});
