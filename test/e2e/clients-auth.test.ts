/**
 * The published clients with credentials, against the built Worker with auth on: a managed API
 * key created at run time is exactly what `basic.auth.user.info = key:secret` sends (Confluent's
 * client) and what kafkajs' `auth: {username, password}` sends. Grants are enforced on them.
 */
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { SchemaRegistryClient } from '@confluentinc/schemaregistry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker } from './worker';

let worker: RunningWorker;
const ROOT = `Basic ${Buffer.from('root:e2e-bootstrap-secret').toString('base64')}`;

beforeAll(async () => {
  worker = await startWorker({ AUTH_MODE: '', REGISTRY_ADMIN_KEY: 'root', REGISTRY_ADMIN_SECRET: 'e2e-bootstrap-secret' });
});
afterAll(async () => {
  await worker.stop();
});

async function createKey(grants: unknown[]): Promise<{ key: string; secret: string }> {
  const res = await fetch(`${worker.url}/v1/admin/keys`, {
    method: 'POST',
    headers: { authorization: ROOT, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'e2e', grants }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { key: string; secret: string };
}

const schema = JSON.stringify({ type: 'record', name: 'Pay', fields: [{ name: 'id', type: 'long' }] });

describe('clients with API keys', () => {
  it('@confluentinc/schemaregistry with basic.auth.user.info = key:secret', async () => {
    const { key, secret } = await createKey(['writer@./payments-']);
    const client = new SchemaRegistryClient({
      baseURLs: [worker.url],
      basicAuthCredentials: { credentialsSource: 'USER_INFO', userInfo: `${key}:${secret}` },
    });
    const id = await client.register('payments-value', { schemaType: 'AVRO', schema });
    expect(id).toBeGreaterThan(0);
    expect((await client.getLatestSchemaMetadata('payments-value')).id).toBe(id);
    const anonymous = new SchemaRegistryClient({ baseURLs: [worker.url] });
    await expect(anonymous.getLatestSchemaMetadata('payments-value')).rejects.toThrow(/401|Unauthorized/);
    // Last: workerd closes the connection of a refused request whose body it did not read, and a
    // keep-alive client may be handed that socket next (local only: Cloudflare's edge fronts it).
    await expect(client.register('refunds-value', { schemaType: 'AVRO', schema })).rejects.toThrow(/403|Forbidden/);
  });

  it('@kafkajs/confluent-schema-registry with auth {username: key, password: secret}', async () => {
    const { key, secret } = await createKey([{ role: 'writer' }]);
    const registry = new SchemaRegistry({ host: worker.url, auth: { username: key, password: secret } });
    const { id } = await registry.register({ type: SchemaType.AVRO, schema }, { subject: 'kafkajs-auth-value', updateConfig: false });
    const encoded = await registry.encode(id, { id: 7 });
    expect(await registry.decode(encoded)).toEqual({ id: 7 });
    const wrong = new SchemaRegistry({ host: worker.url, auth: { username: key, password: `${secret}x` } });
    await expect(wrong.getLatestSchemaId('kafkajs-auth-value')).rejects.toThrow();
    // kafkajs sets the subject's compatibility on a first registration unless told not to: that
    // is a config change, which needs the admin role on the subject.
    await expect(registry.register({ type: SchemaType.AVRO, schema }, { subject: 'kafkajs-auth-2' })).rejects.toThrow(/admin role/);
  });
});
