/**
 * The reference guards of the writes that take many versions at once: deleting a subject (its live
 * versions, or all of them when permanent) and entering IMPORT mode (a context's or a subject's
 * soft-deleted versions, purged). One statement each now (storage/registry-reader.ts
 * `firstReferenced`), refusing exactly what checking each version in (subject, version) order did:
 * Confluent's 42206, naming the first version a schema still held by some version references.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { del, put, register } from './client';

const T = (field: string) => JSON.stringify({ type: 'record', name: 'T', namespace: 'g', fields: [{ name: field, type: 'int' }] });
/** A schema referencing `typ` at `version`. */
const user = (subject: string, version: number) =>
  register(
    subject,
    { type: 'record', name: `U${subject}`, namespace: 'g', fields: [{ name: 't', type: 'g.T' }] },
    {
      references: [{ name: 'g.T', subject: 'typ', version }],
    },
  );
const refused = (subject: string, version: number) => ({
  status: 422,
  body: { error_code: 42206, message: `One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=${subject},version=${version}}.` },
});
/** A reference row the API cannot make (to a version already soft-deleted), as a restore or an older registry may hold. */
const plantReference = (schemaId: number, version: number) =>
  env.DB.prepare(`INSERT INTO refs (context, schema_id, name, ref_subject, ref_version) VALUES ('.', ?1, 'planted', 'typ', ?2)`)
    .bind(schemaId, version)
    .run();

async function typWithVersions(n: number): Promise<number[]> {
  expect((await put('/config/typ', { compatibility: 'NONE' })).status).toBe(200);
  const ids: number[] = [];
  for (let i = 1; i <= n; i++) ids.push(await register('typ', T(`f${i}`)));
  return ids;
}

describe('reference guards of whole-subject deletes and IMPORT mode', () => {
  it('a subject delete names its first referenced version, soft and permanent; a soft-deleted referrer still holds it', async () => {
    await typWithVersions(3);
    await user('u3', 3);
    await user('u2', 2);
    expect(await del('/subjects/typ')).toMatchObject(refused('typ', 2));
    expect(await del('/subjects/u2')).toMatchObject({ status: 200, body: [1] });
    // Soft-deleted, u2 still references version 2.
    expect(await del('/subjects/typ')).toMatchObject(refused('typ', 2));
    expect((await del('/subjects/u2?permanent=true')).status).toBe(200);
    expect(await del('/subjects/typ')).toMatchObject(refused('typ', 3));
    for (const q of ['', '?permanent=true']) expect((await del(`/subjects/u3${q}`)).status).toBe(200);
    expect(await del('/subjects/typ')).toMatchObject({ status: 200, body: [1, 2, 3] });
    expect(await del('/subjects/typ?permanent=true')).toMatchObject({ status: 200, body: [1, 2, 3] });
  });

  it('a soft delete checks the live versions only, a permanent one every version', async () => {
    await typWithVersions(2);
    expect((await del('/subjects/typ/versions/1')).status).toBe(200);
    const other = await register('other', T('o'));
    await plantReference(other, 1);
    // Version 1 is soft-deleted already: the subject's soft delete takes version 2 only.
    expect(await del('/subjects/typ')).toMatchObject({ status: 200, body: [2] });
    expect(await del('/subjects/typ?permanent=true')).toMatchObject(refused('typ', 1));
  });

  it('entering IMPORT mode refuses a referenced soft-deleted version, for the context and for the subject', async () => {
    await typWithVersions(2);
    const other = await register('other', T('o'));
    for (const s of ['typ', 'other']) expect((await del(`/subjects/${s}`)).status).toBe(200);
    await plantReference(other, 2);
    expect(await put('/mode', { mode: 'IMPORT' })).toMatchObject(refused('typ', 2));
    expect(await put('/mode/typ', { mode: 'IMPORT' })).toMatchObject(refused('typ', 2));
    // The subject nobody references enters IMPORT (its soft-deleted versions purged).
    expect(await put('/mode/other', { mode: 'IMPORT' })).toMatchObject({ status: 200, body: { mode: 'IMPORT' } });
    await env.DB.prepare(`DELETE FROM refs WHERE name = 'planted'`).run();
    expect(await put('/mode', { mode: 'IMPORT' })).toMatchObject({ status: 200, body: { mode: 'IMPORT' } });
  });
});
