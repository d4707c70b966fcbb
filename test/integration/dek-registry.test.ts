/**
 * The DEK registry (/dek-registry/v1/keks; docs/dek-registry.md): every route and error path,
 * following Confluent's own RestApiTest.testBasic (dek-registry/src/test/.../web/rest/RestApiTest.java)
 * where it does not need a KMS, plus what differs here (no KMS: shared KEKs answer 40370),
 * grants, context URLs and the audit.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, del, get, post, put } from './client';
import { bearer, fetchWith } from './with-env';

const K = '/dek-registry/v1/keks';
const MATERIAL = 'AAAAAQ==';
const kek = (name: string, extra: Record<string, unknown> = {}) => ({ name, kmsType: 'local-kms', kmsKeyId: 'mykey', ...extra });

async function createKek(name: string, extra: Record<string, unknown> = {}) {
  const r = await post(K, kek(name, extra));
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

async function createDek(kekName: string, subject: string, body: Record<string, unknown> = {}) {
  const r = await post(`${K}/${kekName}/deks/${encodeURIComponent(subject)}`, { encryptedKeyMaterial: MATERIAL, ...body });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

const code = (r: { body: { error_code: number } }) => r.body.error_code;

describe('KEKs', () => {
  it('create, get, list, a second create is 40971, a create of a soft-deleted KEK undeletes it', async () => {
    const created = await createKek('kek1');
    expect(created).toEqual({ name: 'kek1', kmsType: 'local-kms', kmsKeyId: 'mykey', kmsProps: {}, shared: false, ts: expect.any(Number) });
    expect(Object.keys(created)).toEqual(['name', 'kmsType', 'kmsKeyId', 'kmsProps', 'shared', 'ts']);

    // Confluent: a create of an existing KEK is a conflict even with the same body.
    const again = await post(K, kek('kek1'));
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error_code: 40971, message: "Key 'kek1' already exists; use a different value" });
    expect(code(await post(K, kek('kek1', { kmsKeyId: 'other' })))).toBe(40971);

    expect((await get(`${K}/kek1`)).body).toEqual(created);
    expect((await get(K)).body).toEqual(['kek1']);

    expect((await del(`${K}/kek1`)).status).toBe(204);
    // A create with other fields does not undelete.
    expect(code(await post(K, kek('kek1', { doc: 'x' })))).toBe(40971);
    const undeleted = await post(K, kek('kek1'));
    expect(undeleted.status).toBe(200);
    expect(undeleted.body.deleted).toBeUndefined();
    expect((await get(`${K}/kek1`)).status).toBe(200);
  });

  it('normalizes kmsType, sorts kmsProps, keeps doc; checks the name, kmsKeyId and kmsType (42271)', async () => {
    const k = await createKek('k_2-x', { kmsType: 'AWS', kmsKeyId: 'arn:aws:kms:us-east-1:1:key/x', kmsProps: { b: '2', a: '1' }, doc: 'd' });
    expect(k.kmsType).toBe('aws-kms');
    expect(JSON.stringify(k.kmsProps)).toBe('{"a":"1","b":"2"}');
    expect(k.doc).toBe('d');

    for (const [body, field] of [
      [kek('1abc'), 'name'],
      [kek('a.b'), 'name'],
      [kek('x'.repeat(257)), 'name'],
      [{ kmsType: 'local-kms', kmsKeyId: 'k' }, 'name'],
      [kek('a', { kmsKeyId: '' }), 'kmsKeyId'],
      [{ name: 'a', kmsKeyId: 'k' }, 'kmsType'],
      [kek('a', { kmsType: 'aws-kms', kmsKeyId: 'nope' }), 'kmsKeyId'],
      [kek('a', { kmsType: 'gcp-kms', kmsKeyId: 'nope' }), 'kmsKeyId'],
      [kek('a', { kmsType: 'azure-kms', kmsKeyId: 'http://x' }), 'kmsKeyId'],
      [kek('a', { kmsType: 'hcvault', kmsKeyId: 'vault' }), 'kmsKeyId'],
    ] as const) {
      const r = await post(K, body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.body).toEqual({ error_code: 42271, message: `Invalid or missing value for field '${field}' of key` });
    }
    expect((await get(`${K}/9x`)).body.error_code).toBe(42271);
    expect((await post(K, { name: 'a', kmsType: 1 })).status).toBe(422);
  });

  it('update: kmsProps, doc and shared; absent fields kept, null clears; 40470 for a missing or deleted KEK', async () => {
    await createKek('u', { kmsProps: { a: '1' }, doc: 'd' });
    const r = await put(`${K}/u`, { kmsProps: { z: '9', y: '8' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: 'u', kmsProps: { y: '8', z: '9' }, doc: 'd', shared: false });
    expect((await put(`${K}/u`, { doc: null })).body.doc).toBeUndefined();
    expect((await put(`${K}/u`, { kmsProps: null })).body.kmsProps).toEqual({});
    const same = await put(`${K}/u`, {});
    expect(same.status).toBe(200);
    expect((await put(`${K}/u`, { shared: true })).body.shared).toBe(true);
    expect((await get(`${K}/u`)).body.shared).toBe(true);

    expect((await put(`${K}/none`, { doc: 'x' })).body).toEqual({ error_code: 40470, message: "Key 'none' not found" });
    await del(`${K}/u`);
    expect(code(await put(`${K}/u`, { doc: 'x' }))).toBe(40470);
  });

  it('delete: soft, then permanent; permanent first is 40471; deleted query flags; undelete', async () => {
    await createKek('d');
    const early = await del(`${K}/d?permanent=true`);
    expect(early.status).toBe(404);
    expect(early.body).toEqual({ error_code: 40471, message: "Key 'd' was not deleted first before being permanently deleted" });

    expect((await del(`${K}/d`)).status).toBe(204);
    expect((await del(`${K}/d`)).status).toBe(204); // again: nothing to do
    expect((await get(K)).body).toEqual([]);
    expect((await get(`${K}?deleted=true`)).body).toEqual(['d']);
    expect(code(await get(`${K}/d`))).toBe(40470);
    expect((await get(`${K}/d?deleted=true`)).body).toMatchObject({ name: 'd', deleted: true });

    expect((await post(`${K}/d/undelete`, undefined)).status).toBe(204);
    expect((await get(`${K}/d`)).body.deleted).toBeUndefined();
    expect((await post(`${K}/d/undelete`, undefined)).status).toBe(204); // not deleted: nothing to do

    await del(`${K}/d`);
    expect((await del(`${K}/d?permanent=true`)).status).toBe(204);
    expect(code(await get(`${K}/d?deleted=true`))).toBe(40470);
    expect((await get(`${K}?deleted=true`)).body).toEqual([]);
    expect(code(await del(`${K}/d`))).toBe(40470);
    expect(code(await del(`${K}/d?permanent=true`))).toBe(40470);
    expect(code(await post(`${K}/d/undelete`, undefined))).toBe(40470);
    // Recreated after a permanent delete.
    await createKek('d');
  });

  it('lists with offset and limit', async () => {
    for (const n of ['c', 'a', 'b']) await createKek(n);
    expect((await get(K)).body).toEqual(['a', 'b', 'c']);
    expect((await get(`${K}?offset=1&limit=1`)).body).toEqual(['b']);
    expect((await get(`${K}?offset=2`)).body).toEqual(['c']);
  });

  it('shared KEKs: stored, but anything needing the KMS answers 40370 (no KMS here)', async () => {
    const shared = await createKek('s', { shared: true });
    expect(shared.shared).toBe(true);
    const tested = await post(`${K}?testSharing=true`, kek('t', { shared: true }));
    expect(tested.status).toBe(403);
    expect(tested.body.error_code).toBe(40370);
    expect(tested.body.message).toMatch(/no KMS credentials/);
    expect(code(await get(`${K}/t`))).toBe(40470); // nothing was created

    expect(code(await post(`${K}/s/test`, undefined))).toBe(40370);
    await createKek('plain');
    expect((await post(`${K}/plain/test`, undefined)).body).toEqual({
      error_code: 42271,
      message: "Invalid or missing value for field 'shared' of key",
    });
    expect(code(await post(`${K}/none/test`, undefined))).toBe(40470);
    expect(code(await put(`${K}/plain?testSharing=true`, { shared: true }))).toBe(40370);
    expect((await get(`${K}/plain`)).body.shared).toBe(false);

    // A DEK under a shared KEK: Confluent generates or checks it through the KMS.
    expect(code(await post(`${K}/s/deks/sub`, {}))).toBe(40370);
    expect(code(await post(`${K}/s/deks/sub`, { encryptedKeyMaterial: MATERIAL }))).toBe(40370);
    // ...except in IMPORT mode, where Confluent stores the material as sent.
    expect((await put('/mode/imp', { mode: 'IMPORT' })).status).toBe(200);
    expect((await post(`${K}/s/deks/imp`, { encryptedKeyMaterial: MATERIAL })).status).toBe(200);
    expect(code(await get(`${K}/s/deks/imp`))).toBe(40370); // reading needs the KMS to decrypt
    expect(code(await post(`${K}/s/deks/imp`, { encryptedKeyMaterial: MATERIAL, version: 1 }))).toBe(40971);
  });
});

describe('DEKs', () => {
  it("Confluent's basic flow: create, conflict, delete, undelete by create, versions, listings, guards", async () => {
    await createKek('kek1');
    const dek = await createDek('kek1', 'mysubject', { algorithm: 'AES256_GCM' });
    expect(dek).toEqual({
      kekName: 'kek1',
      subject: 'mysubject',
      version: 1,
      algorithm: 'AES256_GCM',
      encryptedKeyMaterial: MATERIAL,
      ts: expect.any(Number),
    });
    expect(Object.keys(dek)).toEqual(['kekName', 'subject', 'version', 'algorithm', 'encryptedKeyMaterial', 'ts']);

    // Same body again: 40971 (Confluent's create is not idempotent; its clients read on 409).
    const again = await post(`${K}/kek1/deks/mysubject`, { encryptedKeyMaterial: MATERIAL });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error_code: 40971, message: "Key 'mysubject' already exists; use a different value" });

    expect((await del(`${K}/kek1/deks/mysubject`)).status).toBe(204);
    expect(code(await get(`${K}/kek1/deks/mysubject`))).toBe(40470);
    // Other material does not undelete; the same does.
    expect(code(await post(`${K}/kek1/deks/mysubject`, { encryptedKeyMaterial: 'QkJCQg==' }))).toBe(40971);
    expect((await post(`${K}/kek1/deks/mysubject`, { encryptedKeyMaterial: MATERIAL })).body).toMatchObject({ version: 1 });
    expect((await get(`${K}/kek1/deks/mysubject`)).body).toMatchObject({ subject: 'mysubject', encryptedKeyMaterial: MATERIAL });

    // No key material for a KEK that is not shared: 42271.
    const bare = await post(`${K}/kek1/deks/badSubject`, { algorithm: 'AES256_GCM' });
    expect(bare.status).toBe(422);
    expect(bare.body).toEqual({ error_code: 42271, message: "Invalid or missing value for field 'encryptedKeyMaterial' of key" });

    // Versions.
    await createDek('kek1', 'mysubject2');
    await createDek('kek1', 'mysubject2', { version: 2 });
    expect((await get(`${K}/kek1/deks`)).body).toEqual(['mysubject', 'mysubject2']);
    expect((await get(`${K}/kek1/deks/mysubject2/versions`)).body).toEqual([1, 2]);
    expect((await get(`${K}/kek1/deks/mysubject2/versions/2`)).body.version).toBe(2);
    expect((await get(`${K}/kek1/deks/mysubject2/versions/latest`)).body.version).toBe(2);
    expect((await get(`${K}/kek1/deks/mysubject2/versions/-1?algorithm=AES256_GCM&deleted=false`)).body.version).toBe(2);
    expect((await get(`${K}/kek1/deks/mysubject2`)).body.version).toBe(1); // no version: version 1
    expect((await get(`${K}/kek1/deks/mysubject2/versions/99`)).body).toEqual({ error_code: 40470, message: "Key 'mysubject2' not found" });
    expect((await get(`${K}/kek1/deks/mysubject2/versions?offset=0&limit=1`)).body).toEqual([1]);
    expect((await get(`${K}/kek1/deks/mysubject2/versions?offset=1&limit=1`)).body).toEqual([2]);

    // KEKs by subject prefix.
    expect((await get(`${K}?subjectPrefix=mysubject`)).body).toEqual(['kek1']);
    expect((await get(`${K}?subjectPrefix=mysubject2&offset=1&limit=1`)).body).toEqual([]);
    expect((await get(`${K}?subjectPrefix=nothing`)).body).toEqual([]);

    // A KEK with live DEKs cannot be deleted; a live DEK cannot be deleted permanently.
    expect((await del(`${K}/kek1`)).body).toEqual({ error_code: 42272, message: "One or more references exist to the key 'kek1'" });
    expect((await del(`${K}/kek1`)).status).toBe(422);
    const early = await del(`${K}/kek1/deks/mysubject?permanent=true`);
    expect(early.status).toBe(404);
    expect(early.body).toEqual({ error_code: 40471, message: "Key 'mysubject' was not deleted first before being permanently deleted" });

    expect((await del(`${K}/kek1/deks/mysubject?algorithm=AES256_GCM`)).status).toBe(204);
    expect(code(await get(`${K}/kek1/deks/mysubject`))).toBe(40470);
    expect((await get(`${K}/kek1/deks/mysubject?deleted=true`)).body).toMatchObject({ subject: 'mysubject', deleted: true });
    expect((await get(`${K}/kek1/deks`)).body).toEqual(['mysubject2']);
    expect((await get(`${K}/kek1/deks?deleted=true`)).body).toEqual(['mysubject', 'mysubject2']);
    expect((await get(`${K}/kek1/deks?deleted=true&offset=1&limit=1`)).body).toEqual(['mysubject2']);
    expect((await get(`${K}?subjectPrefix=mysubject&deleted=true`)).body).toEqual(['kek1']);

    // One version.
    expect((await del(`${K}/kek1/deks/mysubject2/versions/2`)).status).toBe(204);
    expect((await get(`${K}/kek1/deks/mysubject2/versions`)).body).toEqual([1]);
    expect((await get(`${K}/kek1/deks/mysubject2/versions?deleted=true`)).body).toEqual([1, 2]);
    expect((await get(`${K}/kek1/deks/mysubject2/versions/latest`)).body.version).toBe(1);
    expect((await get(`${K}/kek1/deks/mysubject2/versions/latest?deleted=true`)).body).toMatchObject({ version: 2, deleted: true });
    expect((await post(`${K}/kek1/deks/mysubject2/versions/2/undelete`, undefined)).status).toBe(204);
    expect((await get(`${K}/kek1/deks/mysubject2/versions`)).body).toEqual([1, 2]);

    // Delete all, then the KEK; undelete a DEK under a deleted KEK: 40472.
    expect((await del(`${K}/kek1/deks/mysubject2`)).status).toBe(204);
    expect((await del(`${K}/kek1`)).status).toBe(204);
    expect(code(await get(`${K}/kek1/deks`))).toBe(40470);
    expect((await get(`${K}/kek1/deks?deleted=true`)).body).toEqual(['mysubject', 'mysubject2']);
    expect(code(await get(`${K}/kek1/deks/mysubject2/versions`))).toBe(40470);
    const blocked = await post(`${K}/kek1/deks/mysubject2/undelete`, undefined);
    expect(blocked.status).toBe(404);
    expect(blocked.body).toEqual({ error_code: 40472, message: "Key 'kek1' must be undeleted first" });
    expect(code(await post(`${K}/kek1/deks/mysubject2/versions/1/undelete`, undefined))).toBe(40472);
    // No new DEK under a deleted KEK.
    expect(code(await post(`${K}/kek1/deks/new`, { encryptedKeyMaterial: MATERIAL }))).toBe(40470);
    // A permanent KEK delete is refused while any DEK, even soft-deleted, uses it.
    expect(code(await del(`${K}/kek1?permanent=true`))).toBe(42272);

    expect((await post(`${K}/kek1/undelete`, undefined)).status).toBe(204);
    expect((await post(`${K}/kek1/deks/mysubject2/undelete`, undefined)).status).toBe(204);
    expect((await get(`${K}/kek1/deks`)).body).toEqual(['mysubject2']);

    // Permanent deletes: the DEKs after a soft delete, then the KEK.
    expect((await del(`${K}/kek1/deks/mysubject2`)).status).toBe(204);
    expect((await del(`${K}/kek1/deks/mysubject2?permanent=true`)).status).toBe(204);
    expect((await del(`${K}/kek1/deks/mysubject/versions/1?permanent=true`)).status).toBe(204);
    expect((await get(`${K}/kek1/deks?deleted=true`)).body).toEqual([]);
    expect(code(await del(`${K}/kek1/deks/mysubject`))).toBe(40470);
    await del(`${K}/kek1`);
    expect((await del(`${K}/kek1?permanent=true`)).status).toBe(204);
  });

  it('algorithms are separate series; rewrap replaces material; version and material are checked', async () => {
    await createKek('k');
    await createDek('k', 's', { algorithm: 'AES256_SIV', encryptedKeyMaterial: 'U0lW' });
    expect(code(await get(`${K}/k/deks/s`))).toBe(40470); // default AES256_GCM
    expect((await get(`${K}/k/deks/s?algorithm=AES256_SIV`)).body).toMatchObject({ algorithm: 'AES256_SIV', encryptedKeyMaterial: 'U0lW' });
    expect((await get(`${K}/k/deks/s/versions`)).body).toEqual([]);
    expect((await get(`${K}/k/deks/s/versions?algorithm=AES256_SIV`)).body).toEqual([1]);
    // An algorithm Jersey cannot convert: 404.
    expect((await get(`${K}/k/deks/s?algorithm=ROT13`)).status).toBe(404);
    expect((await post(`${K}/k/deks/s`, { algorithm: 'ROT13', encryptedKeyMaterial: MATERIAL })).status).toBe(422);

    const rewrapped = await post(`${K}/k/deks/s?rewrap=true`, { algorithm: 'AES256_SIV', encryptedKeyMaterial: 'TkVX' });
    expect(rewrapped.status).toBe(200);
    expect((await get(`${K}/k/deks/s?algorithm=AES256_SIV`)).body.encryptedKeyMaterial).toBe('TkVX');

    expect(code(await post(`${K}/k/deks/s`, { version: 0, encryptedKeyMaterial: MATERIAL }))).toBe(42271);
    expect(code(await post(`${K}/k/deks/s`, { encryptedKeyMaterial: '' }))).toBe(42271);
    expect(code(await get(`${K}/k/deks/s/versions/0`))).toBe(42202);
    expect(code(await get(`${K}/k/deks/s/versions/x`))).toBe(42202);
    expect(code(await del(`${K}/k/deks/s/versions/x`))).toBe(42202);
    expect(code(await post(`${K}/k/deks/%01/versions/1/undelete`, undefined))).toBe(42271);
    expect(code(await get(`${K}/k/deks/s/versions/9?algorithm=AES256_SIV`))).toBe(40470);
    expect(code(await del(`${K}/k/deks/s/versions/9?algorithm=AES256_SIV`))).toBe(40470);
    expect(code(await post(`${K}/k/deks/s/versions/9/undelete?algorithm=AES256_SIV`, undefined))).toBe(40470);
    expect(code(await post(`${K}/k/deks/none/undelete`, undefined))).toBe(40470);

    // Routes under a KEK that does not exist: 40470 naming the KEK.
    for (const [method, path] of [
      ['GET', `${K}/none/deks`],
      ['GET', `${K}/none/deks/s`],
      ['GET', `${K}/none/deks/s/versions`],
      ['GET', `${K}/none/deks/s/versions/1`],
      ['DELETE', `${K}/none/deks/s`],
      ['DELETE', `${K}/none/deks/s/versions/1`],
      ['POST', `${K}/none/deks/s/undelete`],
      ['POST', `${K}/none/deks/s/versions/1/undelete`],
    ]) {
      expect((await call(method, path)).body, `${method} ${path}`).toEqual({ error_code: 40470, message: "Key 'none' not found" });
    }
    expect((await post(`${K}/none/deks/s`, { encryptedKeyMaterial: MATERIAL })).body.error_code).toBe(40470);
    // The deprecated POST /keks/{name}/deks (subject in the body) is not served: 405, as clients expect.
    expect((await post(`${K}/k/deks`, { subject: 's', encryptedKeyMaterial: MATERIAL })).status).toBe(405);
  });

  it('context URLs: /contexts/{ctx}/dek-registry/... names the DEK subject in that context', async () => {
    await createKek('k');
    const d = await post(`/contexts/.t/dek-registry/v1/keks/k/deks/s`, { encryptedKeyMaterial: MATERIAL });
    expect(d.status).toBe(200);
    expect(d.body.subject).toBe(':.t:s');
    expect((await get(`${K}/k/deks/${encodeURIComponent(':.t:s')}`)).body.subject).toBe(':.t:s');
    expect((await get('/contexts/t/dek-registry/v1/keks/k/deks/s/versions')).body).toEqual([1]);
    expect(code(await get(`${K}/k/deks/s`))).toBe(40470); // not in the default context
    await createDek('k', 's');
    expect((await get(`${K}/k/deks`)).body).toEqual([':.t:s', 's']);
    expect((await get(`${K}?subjectPrefix=${encodeURIComponent(':.t:')}`)).body).toEqual(['k']);
    expect((await get('/contexts/.t/dek-registry/v1/keks/k')).body.name).toBe('k');
  });
});

describe('grants and audit', () => {
  const tokens = 'adm:admin,w:writer,wt:writer@.t,rt:reader@.t,rtp:reader@.t/pay-,ru:reader@.u';
  const as = fetchWith({ AUTH_TOKENS: tokens });

  it('KEK writes need a registry-wide writer; DEKs follow the subject; listings and kmsProps show what the caller reads', async () => {
    expect((await as('POST', K, kek('k', { kmsProps: { p: '1' } }), bearer('wt'))).status).toBe(403);
    expect((await as('POST', K, kek('k', { kmsProps: { p: '1' } }), bearer('w'))).status).toBe(200);
    expect((await as('POST', `${K}/k/deks/${encodeURIComponent(':.t:pay-1')}`, { encryptedKeyMaterial: MATERIAL }, bearer('wt'))).status).toBe(200);
    expect((await as('POST', `${K}/k/deks/${encodeURIComponent(':.u:x')}`, { encryptedKeyMaterial: MATERIAL }, bearer('wt'))).status).toBe(403);
    expect((await as('POST', `${K}/k/deks/${encodeURIComponent(':.u:x')}`, { encryptedKeyMaterial: MATERIAL }, bearer('w'))).status).toBe(200);
    expect((await as('POST', `${K}/k/deks/${encodeURIComponent(':.t:other')}`, { encryptedKeyMaterial: MATERIAL }, bearer('w'))).status).toBe(200);

    expect((await as('GET', `${K}/k/deks`, undefined, bearer('rt'))).body).toEqual([':.t:other', ':.t:pay-1']);
    expect((await as('GET', `${K}/k/deks`, undefined, bearer('rtp'))).body).toEqual([':.t:pay-1']);
    expect((await as('GET', `${K}/k/deks`, undefined, bearer('adm'))).body).toEqual([':.t:other', ':.t:pay-1', ':.u:x']);
    expect((await as('GET', `${K}?subjectPrefix=${encodeURIComponent(':.u:')}`, undefined, bearer('rt'))).body).toEqual([]);
    expect((await as('GET', `${K}?subjectPrefix=${encodeURIComponent(':.u:')}`, undefined, bearer('ru'))).body).toEqual(['k']);
    expect((await as('GET', `${K}/k/deks/${encodeURIComponent(':.u:x')}`, undefined, bearer('rt'))).status).toBe(403);
    expect((await as('GET', `${K}/k/deks/${encodeURIComponent(':.t:pay-1')}`, undefined, bearer('rtp'))).status).toBe(200);

    // kmsProps: to a caller reading a subject with a DEK under the KEK (or everything).
    expect((await as('GET', `${K}/k`, undefined, bearer('rt'))).body.kmsProps).toEqual({ p: '1' });
    expect((await as('POST', K, kek('lonely', { kmsProps: { p: '2' } }), bearer('adm'))).status).toBe(200);
    const hidden = await as('GET', `${K}/lonely`, undefined, bearer('rt'));
    expect(hidden.status).toBe(200);
    expect(hidden.body.kmsProps).toBeUndefined();
    expect((await as('GET', `${K}/lonely`, undefined, bearer('adm'))).body.kmsProps).toEqual({ p: '2' });

    // Permanent deletes need admin.
    expect((await as('DELETE', `${K}/k/deks/${encodeURIComponent(':.t:other')}`, undefined, bearer('wt'))).status).toBe(204);
    expect((await as('DELETE', `${K}/k/deks/${encodeURIComponent(':.t:other')}?permanent=true`, undefined, bearer('wt'))).status).toBe(403);
    expect((await as('DELETE', `${K}/k/deks/${encodeURIComponent(':.t:other')}?permanent=true`, undefined, bearer('adm'))).status).toBe(204);
  });

  it('every KEK and DEK write is audited in the registry stream, refusals too', async () => {
    await createKek('k');
    await createDek('k', ':.t:s');
    expect(code(await post(K, kek('k')))).toBe(40971);
    await del(`${K}/k/deks/${encodeURIComponent(':.t:s')}`);
    const { results } = await env.DB.prepare(`SELECT stream, action, target, result FROM audit_log ORDER BY id`).all();
    expect(results).toEqual([
      { stream: '*', action: 'create-kek', target: 'kek k', result: 'ok' },
      { stream: '*', action: 'create-dek', target: 'dek k :.t:s AES256_GCM 1', result: 'ok' },
      { stream: '*', action: 'create-kek', target: 'kek k', result: 'error 40971' },
      { stream: '*', action: 'delete-dek', target: 'dek k :.t:s AES256_GCM *', result: 'ok' },
    ]);
  });
});

interface Event {
  seq: number;
  type: string;
  context?: string;
  subject?: string;
  version?: number;
  kek?: string;
  algorithm?: string;
  actor: string;
}

/** Every event after `after`, as GET /v1/events answers them (no time). */
async function eventsAfter(after = 0, fetch = call, auth: Record<string, string> = {}): Promise<Omit<Event, 'at'>[]> {
  const r = await fetch('GET', `/v1/events?after=${after}&limit=1000`, undefined, auth);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return (r.body.events as (Event & { at: string })[]).map(({ at: _at, ...e }) => e);
}

const lastSeq = async () => (await env.DB.prepare('SELECT MAX(seq) AS m FROM events').first<{ m: number | null }>())?.m ?? 0;

/** The events one step wrote, without seq and actor (checked apart). */
async function eventsOf(step: () => Promise<{ status: number; body: unknown }>, status = 200): Promise<Partial<Event>[]> {
  const before = await lastSeq();
  const r = await step();
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return (await eventsAfter(before)).map(({ seq: _seq, actor: _actor, ...e }) => e);
}

const kekEv = (type: string, name: string) => ({ type, kek: name });
const dekEv = (type: string, context: string, subject: string, version: number, algorithm = 'AES256_GCM', name = 'k') => ({
  type,
  context,
  subject,
  version,
  kek: name,
  algorithm,
});

describe('change events (docs/events.md): one per KEK or DEK version changed, in the batch of the change and its audit row', () => {
  it('every write: its type and what identifies the key, never key material nor KMS properties; nothing for a refusal or a retry', async () => {
    const D = `${K}/k/deks/${encodeURIComponent(':.t:s')}`;
    expect(await eventsOf(() => post(K, kek('k', { kmsProps: { secretAccessKey: 'PROPVALUE' }, doc: 'd' })))).toEqual([kekEv('create-kek', 'k')]);
    expect(await eventsOf(() => put(`${K}/k`, { doc: 'd2' }))).toEqual([kekEv('update-kek', 'k')]);
    expect(await eventsOf(() => put(`${K}/k`, { doc: 'd2' }))).toEqual([]); // nothing changes: nothing written
    expect(await eventsOf(() => post(K, kek('k')), 409)).toEqual([]); // refused: 40971

    // DEKs: the subject bare in its context, the version and algorithm; a new version is a create too.
    expect(await eventsOf(() => post(D, { encryptedKeyMaterial: MATERIAL }))).toEqual([dekEv('create-dek', '.t', 's', 1)]);
    expect(await eventsOf(() => post(D, { version: 2, encryptedKeyMaterial: 'QkJCQg==' }))).toEqual([dekEv('create-dek', '.t', 's', 2)]);
    expect(await eventsOf(() => post(`${K}/k/deks/d`, { algorithm: 'AES256_SIV', encryptedKeyMaterial: 'U0lW' }))).toEqual([
      dekEv('create-dek', '.', 'd', 1, 'AES256_SIV'),
    ]);
    expect(await eventsOf(() => post(D, { encryptedKeyMaterial: MATERIAL }), 409)).toEqual([]); // exists: 40971
    expect(await eventsOf(() => post(`${K}/k/deks/d?rewrap=true`, { algorithm: 'AES256_SIV', encryptedKeyMaterial: 'TkVX' }))).toEqual([
      dekEv('update-dek', '.', 'd', 1, 'AES256_SIV'),
    ]);
    expect(await eventsOf(() => del(`${K}/k`), 422)).toEqual([]); // live DEKs use it: 42272

    // A delete of the series: one event per version it deleted; a retry deletes nothing.
    expect(await eventsOf(() => del(D), 204)).toEqual([dekEv('delete-dek', '.t', 's', 1), dekEv('delete-dek', '.t', 's', 2)]);
    expect(await eventsOf(() => del(D), 204)).toEqual([]);
    expect(await eventsOf(() => post(`${D}/versions/2/undelete`, undefined), 204)).toEqual([dekEv('undelete-dek', '.t', 's', 2)]);
    expect(await eventsOf(() => post(`${D}/versions/2/undelete`, undefined), 204)).toEqual([]);
    // A create of the soft-deleted version 1 with its material undeletes it (and says so).
    expect(await eventsOf(() => post(D, { encryptedKeyMaterial: MATERIAL }))).toEqual([dekEv('undelete-dek', '.t', 's', 1)]);
    expect(await eventsOf(() => del(`${D}/versions/latest`), 204)).toEqual([dekEv('delete-dek', '.t', 's', 2)]);
    expect(await eventsOf(() => del(`${D}?permanent=true`), 404)).toEqual([]); // version 1 is live: 40471
    expect(await eventsOf(() => del(`${D}/versions/2?permanent=true`), 204)).toEqual([dekEv('delete-dek-permanent', '.t', 's', 2)]);
    await del(D);
    await del(`${K}/k/deks/d?algorithm=AES256_SIV`);
    expect(await eventsOf(() => del(`${D}?permanent=true`), 204)).toEqual([dekEv('delete-dek-permanent', '.t', 's', 1)]);

    // The KEK: soft delete, retry, undelete, retry, a create with the same fields undeletes.
    expect(await eventsOf(() => del(`${K}/k`), 204)).toEqual([kekEv('delete-kek', 'k')]);
    expect(await eventsOf(() => del(`${K}/k`), 204)).toEqual([]);
    expect(await eventsOf(() => post(`${K}/k/undelete`, undefined), 204)).toEqual([kekEv('undelete-kek', 'k')]);
    expect(await eventsOf(() => post(`${K}/k/undelete`, undefined), 204)).toEqual([]);
    await del(`${K}/k`);
    const same = { kmsProps: { secretAccessKey: 'PROPVALUE' }, doc: 'd2' };
    expect(await eventsOf(() => post(K, kek('k', same)))).toEqual([kekEv('undelete-kek', 'k')]);
    expect(await eventsOf(() => del(`${K}/k?permanent=true`), 422)).toEqual([]); // a soft-deleted DEK uses it: 42272
    expect(await eventsOf(() => del(`${K}/k/deks/d?algorithm=AES256_SIV&permanent=true`), 204)).toEqual([
      dekEv('delete-dek-permanent', '.', 'd', 1, 'AES256_SIV'),
    ]);
    expect(await eventsOf(() => del(`${K}/k?permanent=true`), 404)).toEqual([]); // not soft-deleted first: 40471
    await del(`${K}/k`);
    expect(await eventsOf(() => del(`${K}/k?permanent=true`), 204)).toEqual([kekEv('delete-kek-permanent', 'k')]);

    // Seqs gap-free, every event names its KEK, none holds key material or a KMS property.
    const all = await eventsAfter();
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    expect(new Set(all.map((e) => e.actor))).toEqual(new Set(['anonymous']));
    const text = JSON.stringify(all);
    for (const secret of [MATERIAL, 'QkJCQg==', 'U0lW', 'TkVX', 'PROPVALUE', 'secretAccessKey', 'mykey', 'local-kms'])
      expect(text).not.toContain(secret);
    const { n } = (await env.DB.prepare(`SELECT COUNT(*) AS n FROM events WHERE kek IS NULL`).first<{ n: number }>())!;
    expect(n).toBe(0);
  });

  it('a write whose batch fails writes no event (nor the change)', async () => {
    await createKek('k');
    await createDek('k', 'live');
    const before = await lastSeq();
    await env.DB.exec(`CREATE TRIGGER kek_poison BEFORE INSERT ON keks WHEN NEW.name = 'poison' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    await env.DB.exec(`CREATE TRIGGER dek_poison BEFORE INSERT ON deks WHEN NEW.deleted = 1 BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    try {
      expect((await post(K, kek('poison'))).status).toBe(500);
      expect((await del(`${K}/k/deks/live`)).status).toBe(500);
      expect(await lastSeq()).toBe(before);
      expect(code(await get(`${K}/poison`))).toBe(40470);
      expect((await get(`${K}/k/deks/live`)).status).toBe(200);
    } finally {
      await env.DB.exec('DROP TRIGGER kek_poison');
      await env.DB.exec('DROP TRIGGER dek_poison');
    }
    // The same writes, now committed: one event each, seqs following on.
    expect(await eventsOf(() => post(K, kek('poison')))).toEqual([kekEv('create-kek', 'poison')]);
    expect(await eventsOf(() => del(`${K}/k/deks/live`), 204)).toEqual([dekEv('delete-dek', '.', 'live', 1)]);
    expect(await lastSeq()).toBe(before + 2);
  });

  it('GET /v1/events: a DEK event only to a reader of its subject; a KEK event to every reader (any reader reads every KEK)', async () => {
    const as = fetchWith({ AUTH_TOKENS: 'w:writer,r:reader,rt:reader@.t,rtp:reader@.t/pay-,ru:reader@.u' });
    const write = async (method: string, path: string, body?: unknown) => {
      expect((await as(method, path, body ?? { encryptedKeyMaterial: MATERIAL }, bearer('w'))).status).toBeLessThan(300);
    };
    await write('POST', K, kek('k'));
    await write('POST', `${K}/k/deks/${encodeURIComponent(':.t:pay-1')}`);
    await write('POST', `${K}/k/deks/${encodeURIComponent(':.t:other')}`);
    await write('POST', `${K}/k/deks/${encodeURIComponent(':.u:x')}`);
    await write('DELETE', `${K}/k/deks/${encodeURIComponent(':.u:x')}`);
    const seen = async (token: string) =>
      (await eventsAfter(0, as, bearer(token))).map((e) => `${e.type} ${e.kek}${e.subject ? ` ${e.context} ${e.subject}` : ''}`);
    expect(await seen('r')).toEqual(['create-kek k', 'create-dek k .t pay-1', 'create-dek k .t other', 'create-dek k .u x', 'delete-dek k .u x']);
    expect(await seen('rt')).toEqual(['create-kek k', 'create-dek k .t pay-1', 'create-dek k .t other']);
    expect(await seen('rtp')).toEqual(['create-kek k', 'create-dek k .t pay-1']);
    expect(await seen('ru')).toEqual(['create-kek k', 'create-dek k .u x', 'delete-dek k .u x']);
    // The same answers as the reads: rt reads the KEK, not the DEK of .u.
    expect((await as('GET', `${K}/k`, undefined, bearer('rt'))).status).toBe(200);
    expect((await as('GET', `${K}/k/deks/${encodeURIComponent(':.u:x')}?deleted=true`, undefined, bearer('rt'))).status).toBe(403);
    // The writer's events carry its principal's name (a token's fingerprint), never the token.
    expect(new Set((await eventsAfter(0, as, bearer('r'))).map((e) => e.actor))).toEqual(new Set([expect.stringMatching(/^token:[0-9a-f]{12}$/)]));
  });
});
