/**
 * A subject's history as registrations, checks and lookups read it (storage/registry-reader.ts
 * historyQuery, services/history.ts): every version's row, but the schema text of the latest live
 * version only; the others carry their text's size in UTF-8 bytes, and a decision reads by id just
 * the texts it compares or parses. A subject of 1,000 versions must not cost 1,000 schema texts
 * per registration (docs/performance.md, the versions curve).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { avroFormat } from '../../src/domain/avro/index';
import type { VersionHead } from '../../src/domain/entities';
import { compatibilityMessages, SLICE_VERSIONS, TEXT_SLICE_BYTES } from '../../src/services/compatibility-check';
import { utf8Bytes } from '../../src/services/history';
import { findRegistered, planRegistration } from '../../src/services/registration';
import { prepareSchema } from '../../src/services/schemas';
import { effectiveConfig } from '../../src/services/settings';
import { forgetVerdicts } from '../../src/services/verdicts';
import { RegistryReader } from '../../src/storage/registry-reader';
import { del, post, put, register } from './client';

/** An Avro record with these string fields (each later one with a default: BACKWARD compatible). */
const rec = (...fields: string[]) =>
  JSON.stringify({ type: 'record', name: 'R', fields: fields.map((f, i) => ({ name: f, type: 'string', ...(i > 0 ? { default: '' } : {}) })) });

/** A reader that records which texts it was asked for (one entry per query), and which versions. */
class CountingReader extends RegistryReader {
  readonly asked: number[][] = [];
  readonly versionReads: string[] = [];
  override schemaTexts(context: string, ids: number[]): Promise<Map<number, string>> {
    this.asked.push([...ids].sort((a, b) => a - b));
    return super.schemaTexts(context, ids);
  }
  override version(context: string, subject: string, version: number) {
    this.versionReads.push(`${subject}@${version}`);
    return super.version(context, subject, version);
  }
}

const reader = () => new CountingReader(env.DB);
const texts = (h: VersionHead[]) => h.map((v) => v.schema ?? null);

describe('history rows', () => {
  it('carry the latest live version’s text only, and every other text’s size in UTF-8 bytes', async () => {
    // Multi-byte text (é: 2 bytes, 🦜: 4 bytes, 2 UTF-16 units): the size is SQLite's, in bytes.
    const docs = ['plain', 'café', 'parrot 🦜'];
    for (const [i, doc] of docs.entries()) {
      await register('h-rows', JSON.stringify({ type: 'record', name: 'R', doc, fields: [{ name: `f${i}`, type: 'string', default: '' }] }));
    }
    const full = await Promise.all([1, 2, 3].map((n) => new RegistryReader(env.DB).version('.', 'h-rows', n)));
    const heads = await reader().history('.', 'h-rows', { deleted: true });
    expect(heads.map((v) => v.version)).toEqual([1, 2, 3]);
    expect(texts(heads)).toEqual([null, null, full[2]?.schema]);
    for (const [i, v] of heads.entries()) {
      if (v.schema === undefined) expect(v.bytes).toBe(utf8Bytes(full[i]?.schema ?? ''));
      // everything but the text is the full row's
      expect({ ...v, schema: full[i]?.schema, bytes: undefined }).toEqual({ ...full[i], bytes: undefined });
    }
    expect(utf8Bytes('parrot 🦜')).toBe(11);

    // The latest soft-deleted: the newest live version is the one with a text.
    expect((await del('/subjects/h-rows/versions/3')).status).toBe(200);
    expect(texts(await reader().history('.', 'h-rows', { deleted: true }))).toEqual([null, full[1]?.schema, null]);
    expect(texts(await reader().history('.', 'h-rows'))).toEqual([null, full[1]?.schema]);
    // None live: no text at all.
    expect((await del('/subjects/h-rows')).status).toBe(200);
    expect(texts(await reader().history('.', 'h-rows', { deleted: true }))).toEqual([null, null, null]);
  });

  it('are what the writer groups read too (several subjects in one statement)', async () => {
    await register('h-a', rec('a'));
    await register('h-a', rec('a', 'b'));
    await register('h-b', rec('x'));
    const r = reader();
    const [[a, b, none]] = await r.all(r.historiesQuery('.', ['h-a', 'h-b', 'h-none']));
    expect(texts(a)).toEqual([null, rec('a', 'b')]);
    expect(texts(b)).toEqual([rec('x')]);
    expect(none).toEqual([]);
  });
});

describe('a decision reads only the texts it needs', () => {
  async function subjectOf(subject: string, n: number): Promise<string[]> {
    const schemas = Array.from({ length: n }, (_, i) => rec('a', ...Array.from({ length: i }, (_, j) => `f${j}`)));
    for (const s of schemas) await register(subject, s);
    return schemas;
  }

  it('a check at BACKWARD parses the latest (no text read); at FULL_TRANSITIVE it reads the others in one query', async () => {
    const schemas = await subjectOf('h-levels', 6);
    const r = reader();
    const history = await r.history('.', 'h-levels');
    const candidate = await prepareSchema(r, '.', { schema: rec('a', 'f0', 'f1', 'f2', 'f3', 'f4', 'f5') }, false);

    expect(await compatibilityMessages(r, candidate, history, 'BACKWARD', 'STRICT')).toEqual([]);
    expect(r.asked).toEqual([]);
    expect(await compatibilityMessages(r, candidate, history, 'FULL_TRANSITIVE', 'STRICT')).toEqual([]);
    expect(r.asked).toEqual([[1, 2, 3, 4, 5]]);

    // The texts read are the ones compared: f4 without a default reads the latest (which has f4)
    // but no older version (which lacks it).
    const needsF4 = JSON.parse(schemas[5]);
    delete needsF4.fields[5].default;
    const strict = await prepareSchema(r, '.', { schema: JSON.stringify(needsF4) }, false);
    expect(await compatibilityMessages(r, strict, history, 'BACKWARD', 'STRICT')).toEqual([]);
    const messages = await compatibilityMessages(r, strict, history, 'BACKWARD_TRANSITIVE', 'STRICT');
    expect(messages.join(' ')).toContain('READER_FIELD_MISSING_DEFAULT_VALUE');
    expect(messages.join(' ')).toContain('oldSchemaVersion: 5');
  });

  it('a transitive check reads the texts newest first in slices of at most TEXT_SLICE_BYTES, and stops at the first incompatible version', async () => {
    // Five versions of about 0.4 MB (a long doc); the last one adds z.
    const doc = (i: number) => `${'d'.repeat(400_000)}${i}`;
    const big = (i: number, fields: { name: string; default?: string }[]) =>
      JSON.stringify({ type: 'record', name: 'R', doc: doc(i), fields: fields.map((f) => ({ type: 'string', ...f })) });
    await put('/config/h-slices', { compatibility: 'NONE' });
    for (let i = 1; i <= 4; i++) await register('h-slices', big(i, [{ name: 'a' }]));
    await register('h-slices', big(5, [{ name: 'a' }, { name: 'z' }]));
    const r = reader();
    const history = await r.history('.', 'h-slices');
    expect(history.slice(0, 4).every((v) => v.schema === undefined && v.bytes > TEXT_SLICE_BYTES / 3)).toBe(true);
    const id = (version: number) => history[version - 1].id;

    // Compatible with all: versions 4 and 3 in one read, 2 and 1 in the next (the latest's text is at hand).
    const withZ = await prepareSchema(r, '.', { schema: big(6, [{ name: 'a' }, { name: 'z', default: '' }]) }, false);
    expect(await compatibilityMessages(r, withZ, history, 'FULL_TRANSITIVE', 'STRICT')).toEqual([]);
    expect(r.asked).toEqual([
      [id(3), id(4)],
      [id(1), id(2)],
    ]);

    // z without a default cannot read version 4's data: the walk ends there, one slice read.
    const r2 = reader();
    const needsZ = await prepareSchema(r2, '.', { schema: big(6, [{ name: 'a' }, { name: 'z' }]) }, false);
    const messages = await compatibilityMessages(r2, needsZ, history, 'BACKWARD_TRANSITIVE', 'STRICT');
    expect(messages.join(' ')).toContain('READER_FIELD_MISSING_DEFAULT_VALUE');
    expect(messages).toContain('{oldSchemaVersion: 4}');
    expect(r2.asked).toEqual([[id(3), id(4)]]);
  });

  it('a slice holds at most SLICE_VERSIONS versions, and a referenced version is read once per check', async () => {
    expect(SLICE_VERSIONS).toBe(100);
    await put('/config/h-count', { compatibility: 'NONE' });
    await register('h-target', JSON.stringify({ type: 'record', name: 'T', fields: [{ name: 't', type: 'string' }] }));
    const refs = { references: [{ name: 'T.avsc', subject: 'h-target', version: 1 }] };
    const withRef = (i: number) =>
      JSON.stringify({
        type: 'record',
        name: 'R',
        fields: [
          { name: 'a', type: 'string' },
          { name: `f${i}`, type: 'string', default: '' },
        ],
      });
    for (let i = 1; i <= 150; i++) await register('h-count', withRef(i), refs);
    const r = reader();
    const history = await r.history('.', 'h-count');
    const candidate = await prepareSchema(r, '.', { schema: rec('a') }, false);
    r.versionReads.length = 0;
    expect(await compatibilityMessages(r, candidate, history, 'FULL_TRANSITIVE', 'LENIENT')).toEqual([]);
    // The latest (text at hand) and the 99 before it, then the other 50.
    const ids = (from: number, to: number) => history.slice(from - 1, to).map((v) => v.id);
    expect(r.asked).toEqual([ids(51, 149), ids(1, 50)]);
    // Every version references h-target version 1: read once per slice, not once per version.
    expect(r.versionReads).toEqual(['h-target@1', 'h-target@1']);
  });

  it('a candidate found compatible with a version is not read or compared with it again (verdicts.ts), in that direction and policy only', async () => {
    // A record name of its own: no other test's candidate or version has this content.
    const own = (...fields: string[]) =>
      JSON.stringify({
        type: 'record',
        name: 'Verdicts',
        fields: fields.map((f, i) => ({ name: f, type: 'string', ...(i > 0 ? { default: '' } : {}) })),
      });
    await put('/config/h-verdicts', { compatibility: 'NONE' });
    for (let i = 0; i < 6; i++) await register('h-verdicts', own('a', ...Array.from({ length: i }, (_, j) => `f${j}`)));
    const history = await reader().history('.', 'h-verdicts');
    const older = [1, 2, 3, 4, 5].map((v) => history[v - 1].id);
    const check = async (schema: string, level: 'FULL_TRANSITIVE' | 'BACKWARD_TRANSITIVE', policy: 'STRICT' | 'LENIENT' = 'STRICT') => {
      const r = reader();
      const candidate = await prepareSchema(r, '.', { schema }, false);
      return { messages: await compatibilityMessages(r, candidate, history, level, policy), asked: r.asked };
    };
    const candidate = own('a', 'f0', 'f1', 'f2', 'f3', 'f4', 'f5');

    expect(await check(candidate, 'FULL_TRANSITIVE')).toEqual({ messages: [], asked: [older] });
    // Again (a new request: the same parsed candidate from the parse cache): nothing read.
    expect(await check(candidate, 'FULL_TRANSITIVE')).toEqual({ messages: [], asked: [] });
    // Parsed anew (a walk over a long history evicts the candidate from the parse cache): the
    // verdicts are the content's, not the parsed object's.
    const r = reader();
    const prepared = await prepareSchema(r, '.', { schema: candidate }, false);
    const reparsed = { ...prepared, parsed: avroFormat.parse(candidate, [], { isNew: true }) };
    expect(reparsed.parsed).not.toBe(prepared.parsed);
    expect(await compatibilityMessages(r, reparsed, history, 'FULL_TRANSITIVE', 'STRICT')).toEqual([]);
    expect(r.asked).toEqual([]);
    // Another direction or policy is another verdict: read and compared again, once.
    expect(await check(candidate, 'BACKWARD_TRANSITIVE')).toEqual({ messages: [], asked: [older] });
    expect(await check(candidate, 'FULL_TRANSITIVE', 'LENIENT')).toEqual({ messages: [], asked: [older] });
    expect(await check(candidate, 'BACKWARD_TRANSITIVE')).toEqual({ messages: [], asked: [] });

    // An incompatible answer is not remembered, the compatible ones before it are: asked again,
    // version 4 is read and compared again (and older versions with it, one slice), 5 and 6 not.
    const needsF3 = JSON.parse(candidate);
    delete needsF3.fields[4].default;
    const first = await check(JSON.stringify(needsF3), 'BACKWARD_TRANSITIVE');
    expect(first.messages).toContain('{oldSchemaVersion: 4}');
    expect(first.asked).toEqual([older]);
    expect(await check(JSON.stringify(needsF3), 'BACKWARD_TRANSITIVE')).toEqual({ messages: first.messages, asked: [older.slice(0, 4)] });

    // Forgotten (a new isolate): read again.
    forgetVerdicts();
    expect(await check(candidate, 'FULL_TRANSITIVE')).toEqual({ messages: [], asked: [older] });
  });

  it('a check refused part-way (its work budget) leaves no verdict behind: asked again, it is refused again the same way', async () => {
    // 30 versions of the same 1,000 properties (each description its own): FULL_TRANSITIVE compares
    // 2,000 subschema pairs per version, past the check's budget of 50,000 before the oldest.
    const wide = (v: number) =>
      JSON.stringify({
        type: 'object',
        description: `budget ${v}`,
        properties: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`p${i}`, { type: 'string' }])),
      });
    await put('/config/h-verdict-budget', { compatibility: 'NONE' });
    for (let v = 1; v <= 30; v++) await register('h-verdict-budget', wide(v), { schemaType: 'JSON' });
    const history = await reader().history('.', 'h-verdict-budget');
    const attempt = async () => {
      const r = reader();
      const candidate = await prepareSchema(r, '.', { schema: wide(31), schemaType: 'JSON' }, false);
      const error = await compatibilityMessages(r, candidate, history, 'FULL_TRANSITIVE', 'STRICT').then(
        () => undefined,
        (e: unknown) => e,
      );
      return { error, asked: r.asked };
    };
    const first = await attempt();
    expect(first.error).toMatchObject({ code: 42201, message: expect.stringContaining('subschema comparisons') });
    expect(first.asked).toEqual([history.slice(0, 29).map((v) => v.id)]);
    expect(await attempt()).toEqual(first);
  });

  it('a version with references is compared again on every check (its references may change content)', async () => {
    await put('/config/h-verdict-refs', { compatibility: 'NONE' });
    await register('h-verdict-target', JSON.stringify({ type: 'record', name: 'VT', fields: [{ name: 't', type: 'string' }] }));
    const refs = { references: [{ name: 'VT.avsc', subject: 'h-verdict-target', version: 1 }] };
    const withRef = (i: number) => JSON.stringify({ type: 'record', name: 'VR', fields: [{ name: `g${i}`, type: 'string', default: '' }] });
    for (let i = 1; i <= 3; i++) await register('h-verdict-refs', withRef(i), refs);
    const history = await reader().history('.', 'h-verdict-refs');
    for (let round = 0; round < 2; round++) {
      const r = reader();
      const candidate = await prepareSchema(r, '.', { schema: JSON.stringify({ type: 'record', name: 'VR', fields: [] }) }, false);
      expect(await compatibilityMessages(r, candidate, history, 'FULL_TRANSITIVE', 'STRICT')).toEqual([]);
      expect(r.asked).toEqual([[history[0].id, history[1].id]]);
    }
  });

  it('a compatibility group whose latest is not the subject’s latest reads that one text', async () => {
    const major = (v: string) => ({ properties: { 'app.major': v } });
    await put('/config/h-group', { compatibility: 'BACKWARD', compatibilityGroup: 'app.major' });
    await register('h-group', rec('a'), { metadata: major('1') });
    await register('h-group', JSON.stringify({ type: 'record', name: 'R', fields: [{ name: 'n', type: 'int' }] }), { metadata: major('2') });
    const r = reader();
    const history = await r.history('.', 'h-group');
    const candidate = await prepareSchema(r, '.', { schema: rec('a', 'b'), metadata: major('1') }, false);
    expect(await compatibilityMessages(r, candidate, history, 'BACKWARD', 'STRICT', 'app.major')).toEqual([]);
    expect(r.asked).toEqual([[history[0].id]]);
  });

  it('re-registering an old version finds it by identity without reading a text, and answers the stored text', async () => {
    const schemas = await subjectOf('h-again', 5);
    const r = reader();
    const all = await r.history('.', 'h-again', { deleted: true });
    const config = await effectiveConfig(r, '.', 'h-again');
    const plan = await planRegistration(r, '.', { schema: { schema: schemas[1] }, normalize: false, config, mode: 'READWRITE', all });
    expect(plan.existing).toMatchObject({ version: 2, schema: (await r.version('.', 'h-again', 2))?.schema });
    expect(r.asked).toEqual([]);
    // Through the API, from the Worker's pre-check: the id of version 2.
    expect((await post('/subjects/h-again/versions', { schema: schemas[1] })).body).toEqual({ id: plan.existing?.id });
  });

  it('canLookup (a confluent:version on one side) compares the texts of versions of the same size only', async () => {
    // Every version carries confluent:version (the first named its version, the next inherit it).
    const v1 = rec('a');
    const v2 = rec('a', 'bb');
    const v3 = rec('a', 'cc'); // as long as v2
    const v4 = rec('a', 'bb', 'ddd');
    expect((await post('/subjects/h-cv/versions', { schema: v1, version: 1 })).status).toBe(200);
    for (const s of [v2, v3, v4]) expect((await post('/subjects/h-cv/versions', { schema: s })).status).toBe(200);

    const r = reader();
    const versions = await r.history('.', 'h-cv', { deleted: true });
    expect(versions.every((v) => JSON.stringify(v.metadata).includes('confluent:version'))).toBe(true);
    const sent = await prepareSchema(r, '.', { schema: v2 }, false);
    const found = await findRegistered(r, sent, versions);
    expect(found).toMatchObject({ version: 2, schema: sent.text, metadata: { properties: { 'confluent:version': '2' } } });
    // v2 and v3 have the same size: both texts read, in one query; v1 is shorter, v4 the latest (text at hand).
    expect(r.asked).toEqual([[versions[1].id, versions[2].id]]);

    // A schema of a size no version has reads nothing and finds nothing.
    const r2 = reader();
    expect(await findRegistered(r2, await prepareSchema(r2, '.', { schema: rec('a', 'eeeeeeeee') }, false), versions)).toBeUndefined();
    expect(r2.asked).toEqual([]);

    // Through the API: the Worker's pre-check and the lookup find version 2 and 3 alike.
    expect((await post('/subjects/h-cv/versions', { schema: v3 })).body).toEqual({ id: versions[2].id });
    expect((await post('/subjects/h-cv', { schema: v2 })).body).toMatchObject({ version: 2, schema: sent.text });
  });

  it('an empty schema takes the latest live version’s text (metadata only changes)', async () => {
    await register('h-empty', rec('a'));
    await register('h-empty', rec('a', 'b'));
    expect((await del('/subjects/h-empty/versions/2')).status).toBe(200);
    const r = await post('/subjects/h-empty/versions', { schema: '', metadata: { properties: { owner: 'team-a' } } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ version: 3, schema: rec('a'), metadata: { properties: { owner: 'team-a' } } });
  });
});
