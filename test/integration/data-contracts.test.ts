/**
 * Data contracts through the API (issue 13): config defaults and overrides merged at registration
 * (maybeSetMetadataRuleSet), identity over the effective values, lookup as sent then merged,
 * compatibility endpoints without merge, compatibility groups, `confluent:version`.
 * The merge rules themselves: test/unit/data-contract.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { get, post, put } from './client';
import { fetchWith } from './with-env';

const rec = (...fields: [string, unknown][]) => JSON.stringify({ type: 'record', name: 'R', fields: fields.map(([name, type]) => ({ name, type })) });
const A = rec(['a', 'int']);
const ANum = rec(['a', 'string']);
/** A added, then an optional b (null default): BACKWARD compatible with A. */
const AOpt = JSON.stringify({
  type: 'record',
  name: 'R',
  fields: [
    { name: 'a', type: 'int' },
    { name: 'b', type: ['null', 'string'], default: null },
  ],
});
const rule = (name: string, expr = 'true') => ({ name, kind: 'CONDITION', mode: 'WRITE', type: 'CEL', expr });

describe('metadata and rule-set merge at registration', () => {
  it('stores merge(merge(default, specific), override) and answers the whole schema (profile 7)', async () => {
    await put('/config/orders', {
      compatibility: 'BACKWARD',
      defaultMetadata: { properties: { owner: 'platform', tier: 'gold' } },
      overrideMetadata: { properties: { owner: 'security' }, sensitive: ['ssn'] },
      defaultRuleSet: { domainRules: [rule('checkA'), rule('checkB')] },
      overrideRuleSet: { domainRules: [rule('checkB', 'false')] },
    });
    const r = await post('/subjects/orders/versions', {
      schema: A,
      metadata: { properties: { owner: 'me', tier: 'silver' } },
      ruleSet: { domainRules: [rule('checkA', 'mine')] },
    });
    expect(r.status).toBe(200);
    const metadata = { properties: { owner: 'security', tier: 'silver' }, sensitive: ['ssn'] };
    const ruleSet = { domainRules: [rule('checkA', 'mine'), rule('checkB', 'false')] };
    expect(r.body).toEqual({ id: 1, version: 1, metadata, ruleSet, schema: A });
    expect((await get('/subjects/orders/versions/1')).body).toMatchObject({ metadata, ruleSet });
    expect((await get('/schemas/ids/1')).body).toMatchObject({ metadata, ruleSet });
  });

  it('without metadata in the request, the latest version supplies the specific value', async () => {
    await post('/subjects/s/versions', { schema: A, metadata: { properties: { owner: 'alice' } } });
    const r = await post('/subjects/s/versions', { schema: AOpt });
    expect(r.body.version).toBe(2);
    expect(r.body.metadata).toEqual({ properties: { owner: 'alice' } });
  });

  it('a different effective value is a new version; the same one is idempotent (as sent or merged)', async () => {
    await put('/config/idem', { defaultMetadata: { properties: { team: 'x' } } });
    const first = await post('/subjects/idem/versions', { schema: A });
    expect(first.body).toMatchObject({ id: 1, version: 1, metadata: { properties: { team: 'x' } } });
    // The same request again: merged, it equals version 1.
    expect((await post('/subjects/idem/versions', { schema: A })).body).toMatchObject({ id: 1, version: 1 });
    // A new default: the same schema now has another effective metadata, hence a new version and id.
    await put('/config/idem', { defaultMetadata: { properties: { team: 'y' } } });
    const second = await post('/subjects/idem/versions', { schema: A, metadata: { properties: { team: 'y' } } });
    expect(second.body).toMatchObject({ id: 2, version: 2 });
    expect((await get('/subjects/idem/versions')).body).toEqual([1, 2]);
  });

  it('the config is the first found of subject, context, global: not merged across scopes', async () => {
    await put('/config', { compatibility: 'BACKWARD', defaultMetadata: { properties: { from: 'global' } } });
    await put('/config/:.ctx:', { compatibility: 'BACKWARD', defaultMetadata: { properties: { from: 'context' } } });
    expect((await post('/subjects/plain/versions', { schema: A })).body.metadata).toEqual({ properties: { from: 'global' } });
    expect((await post('/subjects/:.ctx:inctx/versions', { schema: A })).body.metadata).toEqual({ properties: { from: 'context' } });
    // A subject config without defaults hides the context's (Confluent getConfigInScope).
    await put('/config/:.ctx:own', { compatibility: 'NONE' });
    const own = await post('/subjects/:.ctx:own/versions', { schema: A });
    expect(own.body).toEqual({ id: 2 });
    expect((await get('/subjects/:.ctx:own/versions/1')).body.metadata).toBeUndefined();
  });

  it('profile 7 answers just the id when no metadata or rule set is in play; profile 8 always the schema', async () => {
    expect((await post('/subjects/bare/versions', { schema: A })).body).toEqual({ id: 1 });
    const call8 = fetchWith({ AUTH_MODE: 'none', RESPONSE_PROFILE: '8' });
    const r = await call8('POST', '/subjects/bare8/versions', { schema: A, metadata: { properties: { k: 'v' } } });
    expect(r.body).toMatchObject({ id: 2, version: 1, schemaType: 'AVRO', metadata: { properties: { k: 'v' } }, schema: A });
    expect(r.body.guid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lookup tries the schema as sent, then with the merge applied', async () => {
    await put('/config/look', { defaultMetadata: { properties: { team: 'x' } }, defaultRuleSet: { domainRules: [rule('r')] } });
    await post('/subjects/look/versions', { schema: A });
    const found = await post('/subjects/look', { schema: A });
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ subject: 'look', version: 1, id: 1, metadata: { properties: { team: 'x' } } });
    // As sent, with its full metadata and rules, too.
    const asSent = await post('/subjects/look', { schema: A, metadata: { properties: { team: 'x' } }, ruleSet: { domainRules: [rule('r')] } });
    expect(asSent.body.version).toBe(1);
    // Metadata that no merge turns into the stored one: not found.
    const other = await post('/subjects/look', { schema: A, metadata: { properties: { team: 'z' } } });
    expect(other.status).toBe(404);
    expect(other.body.error_code).toBe(40403);
  });

  it('a version named in the request sets confluent:version; a re-register without it finds that version', async () => {
    const r = await post('/subjects/cv/versions', { schema: A, version: 1 });
    expect(r.body).toMatchObject({ id: 1, version: 1, metadata: { properties: { 'confluent:version': '1' } } });
    // Sent without confluent:version, it still matches (Confluent canLookup) and answers just the id.
    expect((await post('/subjects/cv/versions', { schema: A })).body).toEqual({ id: 1 });
    expect((await post('/subjects/cv', { schema: A })).body).toMatchObject({ version: 1, id: 1 });
    // The next version inherits confluent:version, updated to its own number.
    const next = await post('/subjects/cv/versions', { schema: AOpt });
    expect(next.body).toMatchObject({ version: 2, metadata: { properties: { 'confluent:version': '2' } } });
  });
});

describe('compatibilityGroup', () => {
  const major = (v: string) => ({ properties: { 'app.major': v } });

  it('checks only the versions of the new schema’s group; the latest of it, or all of it when transitive', async () => {
    await put('/config/grp', { compatibility: 'BACKWARD', compatibilityGroup: 'app.major' });
    expect((await post('/subjects/grp/versions', { schema: A, metadata: major('1') })).status).toBe(200);
    // An incompatible change in a new group is accepted.
    const v2 = await post('/subjects/grp/versions', { schema: ANum, metadata: major('2') });
    expect(v2.status).toBe(200);
    expect(v2.body.version).toBe(2);
    // Inside group 1 the latest of group 1 (version 1) is the reference: ANum is incompatible with it.
    const bad = await post('/subjects/grp/versions', { schema: rec(['a', 'string'], ['c', 'int']), metadata: major('1') });
    expect(bad.status).toBe(409);
    expect(bad.body.message).toContain('{oldSchemaVersion: 1}');
    // Without metadata the latest version's is inherited (group 2), so version 2 is the reference.
    expect((await post('/subjects/grp/versions', { schema: rec(['z', 'int']) })).status).toBe(409);
    // Metadata without the property (absent equals absent): no earlier version is in that group.
    const absent = await post('/subjects/grp/versions', { schema: rec(['z', 'int']), metadata: { properties: { other: 'x' } } });
    expect(absent.status).toBe(200);
    expect((await get('/subjects/grp/versions')).body).toEqual([1, 2, 3]);
  });

  it('the group value comes from the merged metadata (override), and the compatibility endpoints apply it as sent', async () => {
    await put('/config/grpo', { compatibility: 'BACKWARD', compatibilityGroup: 'app.major', overrideMetadata: major('1') });
    await post('/subjects/grpo/versions', { schema: A, metadata: major('9') });
    // The override puts every registration in group 1: the incompatible change is refused.
    const r = await post('/subjects/grpo/versions', { schema: ANum, metadata: major('2') });
    expect(r.status).toBe(409);
    // The compatibility endpoint does not merge: as sent, group 2 has no versions, so compatible.
    const check = await post('/compatibility/subjects/grpo/versions?verbose=true', { schema: ANum, metadata: major('2') });
    expect(check.body).toEqual({ is_compatible: true, messages: [] });
    const same = await post('/compatibility/subjects/grpo/versions/latest', { schema: ANum, metadata: major('1') });
    expect(same.body.is_compatible).toBe(false);
  });

  it('transitive levels compare the whole group; IMPORT mode skips the check', async () => {
    await put('/config/grpt', { compatibility: 'BACKWARD_TRANSITIVE', compatibilityGroup: 'g' });
    const g = (v: string) => ({ properties: { g: v } });
    await post('/subjects/grpt/versions', { schema: A, metadata: g('1') });
    await post('/subjects/grpt/versions', { schema: rec(['x', 'int']), metadata: g('2') });
    await post('/subjects/grpt/versions', { schema: rec(['a', 'int'], ['n', ['null', 'int']]), metadata: g('1') });
    // Compatible with version 3 (the latest of group 1) but not with version 1: transitive finds it.
    const r = await post('/subjects/grpt/versions', { schema: rec(['n', ['null', 'int']]), metadata: g('1') });
    expect(r.status).toBe(409);
    expect(r.body.message).toContain('{oldSchemaVersion: 1}');

    expect((await put('/mode/grpt?force=true', { mode: 'IMPORT' })).status).toBe(200);
    const imported = await post('/subjects/grpt/versions', { schema: rec(['n', ['null', 'int']]), metadata: g('1'), id: 50, version: 10 });
    expect(imported.body).toEqual({ id: 50 });
  });
});
