/**
 * KEKs and DEKs for the snapshot and restore tests: every kind of row (kmsProps and doc, shared,
 * soft-deleted KEK and DEK, several versions and algorithms, a named context), and the
 * /dek-registry reads that must answer the same after a restore.
 */
import { expect } from 'vitest';
import { call, get, post } from './client';

const K = '/dek-registry/v1/keks';

async function ok(r: Promise<{ status: number; body: unknown }>): Promise<void> {
  const a = await r;
  expect(a.status, JSON.stringify(a.body)).toBeLessThan(300);
}

/** 3 KEKs and 5 DEKs. */
export async function seedDeks(): Promise<{ keks: number; deks: number }> {
  await ok(post(K, { name: 'kek-a', kmsType: 'local-kms', kmsKeyId: 'key-a', kmsProps: { region: 'x', b: '2' }, doc: 'the first' }));
  await ok(post(K, { name: 'kek-shared', kmsType: 'aws-kms', kmsKeyId: 'arn:aws:kms:us-east-1:1:key/s', shared: true }));
  await ok(post(K, { name: 'kek-gone', kmsType: 'local-kms', kmsKeyId: 'key-g' }));
  await ok(call('DELETE', `${K}/kek-gone`));
  await ok(post(`${K}/kek-a/deks/orders-value`, { encryptedKeyMaterial: 'AAAAAQ==' }));
  await ok(post(`${K}/kek-a/deks/orders-value`, { version: 2, encryptedKeyMaterial: 'AAAAAg==' }));
  await ok(post(`${K}/kek-a/deks/orders-value`, { algorithm: 'AES256_SIV', encryptedKeyMaterial: 'AAAAAw==' }));
  await ok(post(`${K}/kek-a/deks/${encodeURIComponent(':.tenant:pay')}`, { encryptedKeyMaterial: 'AAAABA==' }));
  await ok(post(`${K}/kek-a/deks/old-value`, { encryptedKeyMaterial: 'AAAABQ==' }));
  await ok(call('DELETE', `${K}/kek-a/deks/old-value`));
  return { keks: 3, deks: 5 };
}

/** What a client reads of them. */
export async function observeDeks(): Promise<Record<string, unknown>> {
  const paths = [
    `${K}?deleted=true`,
    `${K}/kek-a`,
    `${K}/kek-shared`,
    `${K}/kek-gone?deleted=true`,
    `${K}/kek-a/deks?deleted=true`,
    `${K}/kek-a/deks/orders-value/versions`,
    `${K}/kek-a/deks/orders-value/versions/2`,
    `${K}/kek-a/deks/orders-value/versions/latest?algorithm=AES256_SIV`,
    `${K}/kek-a/deks/${encodeURIComponent(':.tenant:pay')}`,
    `/contexts/.tenant${K}/kek-a/deks/pay`,
    `${K}/kek-a/deks/old-value?deleted=true`,
    `${K}?subjectPrefix=orders`,
  ];
  const answers = await Promise.all(paths.map(async (p) => [p, await get(p)] as const));
  for (const [p, a] of answers) expect(a.status, `${p}: ${JSON.stringify(a.body)}`).toBe(200);
  return Object.fromEntries(answers.map(([p, a]) => [p, a.body]));
}
