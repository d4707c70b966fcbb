/**
 * References by context-qualified subject (issue 13): a reference written `:.t:typ` names the same
 * subject as `typ` written from inside `.t`. Every reference path must find it whichever way it is
 * written: register, lookup, referencedby, the delete guards (42206), snapshot and restore, and
 * rows stored before the normal form (migration 0002).
 */
import { applyD1Migrations } from 'cloudflare:test';
import { wipeAll } from './wipe';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { clearValidatorCaches } from '../../src/services/validators';
import { del, get, post } from './client';

const T = JSON.stringify({ type: 'record', name: 'T', namespace: 'x', fields: [{ name: 'a', type: 'int' }] });
const U = JSON.stringify({ type: 'record', name: 'U', namespace: 'x', fields: [{ name: 't', type: 'x.T' }] });
const U2 = JSON.stringify({
  type: 'record',
  name: 'U',
  namespace: 'x',
  fields: [
    { name: 't', type: 'x.T' },
    { name: 'n', type: ['null', 'string'], default: null },
  ],
});

const enc = encodeURIComponent;

/**
 * Each case: the context, how the subjects are addressed in URLs (`typ`/`user` qualified or not)
 * and how the reference names its target.
 */
const cases = [
  { context: '.', typ: 'typ', user: 'user', ref: 'typ' },
  { context: '.', typ: 'typ', user: 'user', ref: ':.:typ' },
  { context: '.', typ: ':.:typ', user: ':.:user', ref: 'typ' },
  { context: '.t', typ: ':.t:typ', user: ':.t:user', ref: ':.t:typ' },
  { context: '.t', typ: ':.t:typ', user: ':.t:user', ref: 'typ' },
] as const;

async function registerPair(c: (typeof cases)[number]) {
  const typ = await post(`/subjects/${enc(c.typ)}/versions`, { schema: T });
  expect(typ.status).toBe(200);
  const refs = [{ name: 'x.T', subject: c.ref, version: 1 }];
  const user = await post(`/subjects/${enc(c.user)}/versions`, { schema: U, references: refs });
  expect(user.status).toBe(200);
  return { typId: typ.body.id as number, userId: user.body.id as number, refs };
}

describe('references by qualified and unqualified subject', () => {
  for (const c of cases) {
    it(`context ${c.context}, subjects ${c.typ} / ${c.user}, reference ${c.ref}: referencedby, lookup and the delete guards`, async () => {
      const { userId, refs } = await registerPair(c);
      // referencedby finds the referrer, through either spelling of the target subject.
      expect((await get(`/subjects/${enc(c.typ)}/versions/1/referencedby`)).body).toEqual([userId]);
      expect((await get(`/subjects/${enc(c.typ)}/versions/latest/referencedby`)).body).toEqual([userId]);
      // The stored references are the ones the client wrote (Confluent returns them as registered).
      expect((await get(`/subjects/${enc(c.user)}/versions/1`)).body.references).toEqual(refs);
      // Lookup of the same schema and references answers the version.
      const found = await post(`/subjects/${enc(c.user)}`, { schema: U, references: refs });
      expect(found.status).toBe(200);
      expect(found.body).toMatchObject({ id: userId, version: 1 });
      // The delete guards: a referenced version and its subject can't go (42206), soft or permanent.
      for (const path of [`/subjects/${enc(c.typ)}/versions/1`, `/subjects/${enc(c.typ)}`]) {
        const r = await del(path);
        expect(r.status).toBe(422);
        expect(r.body.error_code).toBe(42206);
      }
      const permanent = await del(`/subjects/${enc(c.typ)}/versions/1?permanent=true`);
      expect(permanent.body.error_code).toBe(42206);
      // The referrer takes a new version that references the same target.
      const next = await post(`/subjects/${enc(c.user)}/versions`, { schema: U2, references: refs });
      expect(next.status).toBe(200);
      expect((await get(`/subjects/${enc(c.typ)}/versions/1/referencedby`)).body).toEqual([userId, next.body.id]);
    });
  }

  it('the issue 13 sequence: nothing deletes a version a qualified reference holds', async () => {
    await post('/subjects/:.t:typ/versions', { schema: T });
    const user = await post('/subjects/:.t:user/versions', { schema: U, references: [{ name: 'x.T', subject: ':.t:typ', version: 1 }] });
    expect((await get('/subjects/:.t:typ/versions/1/referencedby')).body).toEqual([user.body.id]);
    expect((await del('/subjects/:.t:typ/versions/1')).body.error_code).toBe(42206);
    expect((await del('/subjects/:.t:typ/versions/1?permanent=true')).body.error_code).toBe(42206);
    const next = await post('/subjects/:.t:user/versions', { schema: U2, references: [{ name: 'x.T', subject: ':.t:typ', version: 1 }] });
    expect(next.status).toBe(200);
    // Through the context URL too.
    expect((await get('/contexts/.t/subjects/typ/versions/1/referencedby')).body).toEqual([user.body.id, next.body.id]);
  });

  it('a reference into another context is refused (42201), qualified either way', async () => {
    await post('/subjects/typ/versions', { schema: T });
    await post('/subjects/:.t:typ/versions', { schema: T });
    for (const [user, ref] of [
      [':.t:user', ':.:typ'],
      ['user', ':.t:typ'],
      [':.u:user', ':.t:typ'],
    ]) {
      const r = await post(`/subjects/${enc(user)}/versions`, { schema: U, references: [{ name: 'x.T', subject: ref, version: 1 }] });
      expect(r.status).toBe(422);
      expect(r.body.error_code).toBe(42201);
      expect(r.body.message).toContain('in another context');
    }
  });

  it('after the referrer is deleted for good, the target can go', async () => {
    const c = cases[3];
    await registerPair(c);
    expect((await del(`/subjects/${enc(c.user)}`)).status).toBe(200);
    // A soft-deleted referrer still holds its target (its schema can come back).
    expect((await del(`/subjects/${enc(c.typ)}/versions/1`)).body.error_code).toBe(42206);
    expect((await del(`/subjects/${enc(c.user)}?permanent=true`)).status).toBe(200);
    expect((await get(`/subjects/${enc(c.typ)}/versions/1/referencedby`)).body).toEqual([]);
    expect((await del(`/subjects/${enc(c.typ)}/versions/1`)).body).toBe(1);
  });

  it('snapshot and restore keep the reference index: the guard still holds after a restore', async () => {
    for (const c of [cases[1], cases[3]]) await registerPair(c);
    const snapshot = (await get('/v1/admin/snapshot')).body;
    expect(snapshot.tables.refs.map((r: { context: string; ref_subject: string }) => [r.context, r.ref_subject])).toEqual([
      ['.', 'typ'],
      ['.t', 'typ'],
    ]);
    await wipeAll();
    await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
    clearValidatorCaches();
    expect((await post('/v1/admin/restore', snapshot)).status).toBe(200);
    expect((await get('/subjects/typ/versions/1/referencedby')).body).toEqual([2]);
    expect((await get('/subjects/:.t:typ/versions/1/referencedby')).body).toEqual([2]);
    expect((await del('/subjects/:.t:typ/versions/1')).body.error_code).toBe(42206);
  });

  it('a snapshot taken before the normal form (qualified ref_subject) is normalized by restore', async () => {
    await registerPair(cases[3]);
    const snapshot = (await get('/v1/admin/snapshot')).body;
    snapshot.tables.refs = snapshot.tables.refs.map((r: object) => ({ ...r, ref_subject: ':.t:typ' }));
    await wipeAll();
    await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
    clearValidatorCaches();
    expect((await post('/v1/admin/restore', snapshot)).status).toBe(200);
    expect((await get('/subjects/:.t:typ/versions/1/referencedby')).body).toEqual([2]);
    expect((await del('/subjects/:.t:typ/versions/1')).body.error_code).toBe(42206);
  });

  it('migration 0002 rewrites reference rows stored as written, and only those of their own context', async () => {
    await registerPair(cases[3]);
    await registerPair(cases[1]);
    // The rows as the registry stored them before the normal form.
    await env.DB.batch([
      env.DB.prepare(`UPDATE refs SET ref_subject = ':.t:typ' WHERE context = '.t'`),
      env.DB.prepare(`UPDATE refs SET ref_subject = ':.:typ' WHERE context = '.'`),
      env.DB.prepare(`INSERT INTO refs (context, schema_id, name, ref_subject, ref_version) VALUES ('.', 99, 'n', ':.other:typ', 1)`),
    ]);
    expect((await get('/subjects/:.t:typ/versions/1/referencedby')).body).toEqual([]);
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0002_'));
    expect(migration).toBeDefined();
    await env.DB.batch(migration!.queries.map((q) => env.DB.prepare(q)));
    const { results } = await env.DB.prepare(`SELECT context, ref_subject FROM refs ORDER BY context, schema_id`).all();
    expect(results).toEqual([
      { context: '.', ref_subject: 'typ' },
      { context: '.', ref_subject: ':.other:typ' },
      { context: '.t', ref_subject: 'typ' },
    ]);
    expect((await get('/subjects/:.t:typ/versions/1/referencedby')).body).toEqual([2]);
    expect((await del('/subjects/:.t:typ/versions/1')).body.error_code).toBe(42206);
  });
});
