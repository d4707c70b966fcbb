/**
 * Confluent's own DEK registry client (@confluentinc/schemaregistry DekRegistryClient) against the
 * built Worker: the requests its field-level encryption executor sends (docs/dek-registry.md).
 */
import { DekRegistryClient } from '@confluentinc/schemaregistry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker } from './worker';

let worker: RunningWorker;
beforeAll(async () => {
  worker = await startWorker();
});
afterAll(async () => {
  await worker.stop();
});

describe('DekRegistryClient', () => {
  it('create KEK, create DEK, get DEK (by version and latest); a second create is a 409', async () => {
    const client = new DekRegistryClient({ baseURLs: [worker.url] });
    const kek = await client.registerKek('e2e-kek', 'local-kms', 'mykey', false, { a: '1' }, 'doc');
    expect(kek).toMatchObject({ name: 'e2e-kek', kmsType: 'local-kms', kmsKeyId: 'mykey', kmsProps: { a: '1' }, doc: 'doc', shared: false });
    expect(await client.getKek('e2e-kek')).toMatchObject({ name: 'e2e-kek' });

    const dek = await client.registerDek('e2e-kek', 'orders-value', 'AES256_GCM', 1, 'AAAAAQ==');
    expect(dek).toMatchObject({ kekName: 'e2e-kek', subject: 'orders-value', version: 1, algorithm: 'AES256_GCM', encryptedKeyMaterial: 'AAAAAQ==' });
    expect(typeof dek.ts).toBe('number');

    const fresh = new DekRegistryClient({ baseURLs: [worker.url] });
    expect(await fresh.getDek('e2e-kek', 'orders-value', 'AES256_GCM', 1)).toMatchObject({ version: 1, encryptedKeyMaterial: 'AAAAAQ==' });
    expect(await fresh.getDek('e2e-kek', 'orders-value', 'AES256_GCM', -1)).toMatchObject({ version: 1 });
    // A client without the DEK in its cache asks the registry: 409, which the executor answers by reading.
    await expect(
      new DekRegistryClient({ baseURLs: [worker.url] }).registerDek('e2e-kek', 'orders-value', 'AES256_GCM', 1, 'AAAAAQ=='),
    ).rejects.toMatchObject({ status: 409 });
    await expect(fresh.getDek('e2e-kek', 'none', 'AES256_GCM', 1)).rejects.toMatchObject({ status: 404 });
  });
});
