/**
 * Group commit in the writer (src/durable/group-commit.ts): registrations waiting together are
 * decided in order against the state they would see and committed in one D1 batch.
 *
 * Two kinds of test. Through HTTP: many concurrent clients, checked for the invariants only (unique,
 * gap-free ids; one id per schema; every answer readable; the audit chain intact), whatever the
 * grouping turned out to be. Inside the writer object (runInDurableObject): registrations enqueued
 * in one synchronous turn, so the grouping is deterministic (the first one starts a group alone,
 * all the others wait and form the next group), to check what a write sees of the earlier ones in
 * its group and what a failing batch does.
 */
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/domain/errors';
import { lingers } from '../../src/durable/group-commit';
import type { RegisterInput, RegistryWriter } from '../../src/durable/registry-writer';
import { boundsOf } from '../../src/services/bounds';
import { verifyAudit } from '../../src/storage/audit';
import { RegistryReader } from '../../src/storage/registry-reader';
import { get, post, put } from './client';

const avro = (name: string, fields: unknown[] = [{ name: 'a', type: 'string' }]) => JSON.stringify({ type: 'record', name, namespace: 'gc', fields });

const writerOf = (context: string) => env.WRITER.get(env.WRITER.idFromName(context));

function input(context: string, subject: string, schema: string, bounds = boundsOf(env)): RegisterInput & { actor: { principal: string } } {
  return { context, subject, qualified: `:${context}:${subject}`, schema: { schema }, normalize: false, bounds, actor: { principal: 'test' } };
}

/** Enqueue every registration in one turn inside the writer: group 1 = the first, group 2 = the rest. */
async function inOneTurn(context: string, inputs: ReturnType<typeof input>[]) {
  return runInDurableObject(writerOf(context), async (writer: RegistryWriter) => {
    const before = { ...writer.groupStats };
    const outcomes = await Promise.allSettled(inputs.map((i) => writer.register(i)));
    const after = writer.groupStats;
    return { outcomes, groups: after.groups - before.groups, largest: after.largest, split: after.split - before.split };
  });
}

/** Like inOneTurn, with the writer's commit points (durable/commit-metrics.ts): writes, D1 statements and round trips per commit. */
async function measured(context: string, inputs: ReturnType<typeof input>[]) {
  const points: AnalyticsEngineDataPoint[] = [];
  const outcomes = await runInDurableObject(writerOf(context), async (writer: RegistryWriter) => {
    const held = writer as unknown as { env: Env };
    const bound = held.env;
    held.env = { ...bound, METRICS: { writeDataPoint: (p?: AnalyticsEngineDataPoint) => p && points.push(p) } };
    try {
      return await Promise.all(inputs.map((i) => writer.register(i)));
    } finally {
      held.env = bound;
    }
  });
  const commits = points.map((p) => ({ writes: p.doubles?.[0], statements: p.doubles?.[1], roundTrips: p.doubles?.[2] }));
  return { outcomes, commits };
}

async function ids(context: string): Promise<number[]> {
  const { results } = await env.DB.prepare('SELECT id FROM schemas WHERE context = ?1 ORDER BY id').bind(context).all<{ id: number }>();
  return results.map((r) => r.id);
}

async function nextId(context: string): Promise<number> {
  return (await env.DB.prepare('SELECT next_id AS n FROM contexts WHERE context = ?1').bind(context).first<{ n: number }>())?.n ?? 1;
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe('group commit through HTTP (concurrent clients)', () => {
  it('many concurrent registrations into one context: unique, gap-free ids, each answer readable, the audit chain intact', async () => {
    const n = 24;
    const answers = await Promise.all(range(0, n).map((i) => post(`/subjects/:.gc-http:s${i}/versions`, { schema: avro(`S${i}`) })));
    expect(answers.map((a) => a.status)).toEqual(Array(n).fill(200));
    const got = answers.map((a) => a.body.id as number).sort((a, b) => a - b);
    expect(got).toEqual(range(got[0], n));
    expect(await ids('.gc-http')).toEqual(got);
    expect(await nextId('.gc-http')).toBe(got[n - 1] + 1);
    // Each client reads its own write with the bookmark it was answered.
    for (const [i, a] of answers.entries()) {
      const r = await get(`/subjects/:.gc-http:s${i}/versions/latest`, { 'x-registry-bookmark': a.headers.get('x-registry-bookmark') ?? '' });
      expect(r.body.id).toBe(a.body.id);
    }
    expect(await verifyAudit(env.DB)).toMatchObject({ ok: true });
  });

  it('the same schema concurrently: into one subject it is one version and one id; into many subjects one id', async () => {
    const schema = avro('Same');
    const one = await Promise.all(range(0, 12).map(() => post('/subjects/:.gc-same:one/versions', { schema })));
    expect(new Set(one.map((a) => `${a.status} ${a.body.id}`)).size).toBe(1);
    expect((await get('/subjects/:.gc-same:one/versions')).body).toEqual([1]);
    const many = await Promise.all(range(0, 12).map((i) => post(`/subjects/:.gc-same:m${i}/versions`, { schema })));
    expect(many.map((a) => a.body.id)).toEqual(Array(12).fill(one[0].body.id));
    expect(await ids('.gc-same')).toEqual([one[0].body.id]);
    // Retries are idempotent: the same answers, nothing new.
    const again = await Promise.all(range(0, 12).map((i) => post(`/subjects/:.gc-same:m${i}/versions`, { schema })));
    expect(again.map((a) => a.body.id)).toEqual(Array(12).fill(one[0].body.id));
    expect((await get('/subjects/:.gc-same:m3/versions')).body).toEqual([1]);
  });
});

describe('group commit inside the writer (deterministic groups)', () => {
  it('commits the waiting registrations as one group, in order, ids gap-free', async () => {
    const results = await inOneTurn(
      '.gc-group',
      range(0, 10).map((i) => input('.gc-group', `s${i}`, avro(`G${i}`))),
    );
    expect(results.groups).toBe(2);
    expect(results.largest).toBe(9);
    const values = results.outcomes.map((o) => (o.status === 'fulfilled' && o.value.ok ? o.value.value.id : o));
    expect(values).toEqual(range(1, 10)); // queue order = id order
    expect(await ids('.gc-group')).toEqual(range(1, 10));
    expect(await nextId('.gc-group')).toBe(11);
    // One audit row per write, chained in queue order.
    const { results: rows } = await env.DB.prepare(`SELECT seq, target FROM audit_log WHERE stream = '.gc-group' ORDER BY seq`).all<{
      seq: number;
      target: string;
    }>();
    expect(rows.map((r) => r.target)).toEqual(range(0, 10).map((i) => `:.gc-group:s${i}`));
    expect(await verifyAudit(env.DB)).toMatchObject({ ok: true });
  });

  it('a later write sees the earlier ones: versions of one subject, the same schema, compatibility, the subject bound', async () => {
    const ctx = '.gc-sees';
    const v1 = avro('V', [{ name: 'a', type: 'string' }]);
    const v2 = avro('V', [
      { name: 'a', type: 'string' },
      { name: 'b', type: 'string', default: '' },
    ]);
    const clash = avro('V', [{ name: 'a', type: 'int' }]); // incompatible with v1 (BACKWARD, the default)
    const bounds = { ...boundsOf(env), subjectsPerContext: 3 };
    const results = await inOneTurn(ctx, [
      input(ctx, 'first', avro('First'), bounds), // group 1, alone
      input(ctx, 'x', v1, bounds), // x version 1
      input(ctx, 'x', v1, bounds), // the same schema again: x version 1 (pending), same id
      input(ctx, 'y', v1, bounds), // the same schema under another subject: same id
      input(ctx, 'x', clash, bounds), // incompatible with the pending version 1
      input(ctx, 'x', v2, bounds), // x version 2
      input(ctx, 'z', avro('Z'), bounds), // a fourth subject: over the bound of 3
    ]);
    expect(results.groups).toBe(2);
    const [first, x1, again, y1, refused, x2, z] = results.outcomes.map((o) => (o.status === 'fulfilled' ? o.value : undefined));
    expect(first).toMatchObject({ ok: true, value: { id: 1, version: 1 } });
    expect(x1).toMatchObject({ ok: true, value: { id: 2, version: 1 } });
    expect(again).toMatchObject({ ok: true, value: { id: 2, version: 1 } });
    expect(y1).toMatchObject({ ok: true, value: { id: 2, version: 1 } });
    expect(refused).toMatchObject({ ok: false, code: ErrorCode.INCOMPATIBLE_SCHEMA });
    expect(x2).toMatchObject({ ok: true, value: { id: 3, version: 2 } });
    expect(z).toMatchObject({ ok: false, code: ErrorCode.LIMIT_EXCEEDED });
    expect(await ids(ctx)).toEqual([1, 2, 3]);
    expect((await get('/subjects/:.gc-sees:x/versions')).body).toEqual([1, 2]);
    // Refusals are recorded in the same batch, after the rows of the writes before them.
    const { results: rows } = await env.DB.prepare(`SELECT target, result FROM audit_log WHERE stream = ?1 ORDER BY seq`)
      .bind(ctx)
      .all<{ target: string; result: string }>();
    expect(rows.map((r) => `${r.target} ${r.result}`)).toEqual([
      ':.gc-sees:first ok',
      ':.gc-sees:x ok',
      ':.gc-sees:y ok',
      `:.gc-sees:x error ${ErrorCode.INCOMPATIBLE_SCHEMA}`,
      ':.gc-sees:x ok',
      `:.gc-sees:z error ${ErrorCode.LIMIT_EXCEEDED}`,
    ]);
  });

  it('a group costs the same statements and round trips whatever its size: one read (its stored schemas found with its state), then one commit, which also reads for the group queued behind it', async () => {
    const ctx = '.gc-prefetch';
    await inOneTurn(ctx, [input(ctx, 'stored', avro('Stored'))]); // committed before: id 1
    const { outcomes, commits } = await measured(ctx, [
      input(ctx, 'first', avro('First')), // group 1, alone
      input(ctx, 'a', avro('Stored')), // the stored schema under a new subject: its id
      input(ctx, 'b', avro('B')),
      input(ctx, 'c', avro('Stored')),
      input(ctx, 'b2', avro('B')), // the group's own pending schema: b's id
      input(ctx, 'b', avro('B')), // b again (its subject twice in the group: decided alone, the same)
      input(ctx, 'd', avro('D')),
    ]);
    expect(outcomes.map((o) => (o.ok ? [o.value.id, o.value.version] : o))).toEqual([
      [2, 1],
      [1, 1],
      [3, 1],
      [1, 1],
      [3, 1],
      [3, 1],
      [4, 1],
    ]);
    expect(await ids(ctx)).toEqual([1, 2, 3, 4]);
    // Alone or in a group, the same statements: the read (7: the counter, the audit head, the subject
    // count since a subject is new, the guessed hashes of every write's schema, then the configs,
    // modes and versions of all the group's subjects), the commit (8: the counter once, the new
    // schemas, the versions, the events, the audit rows, each kind one multi-row INSERT; the webhook
    // outbox settled when no subscription exists and whether one does, the WEBHOOKS queue being
    // bound; the write guard). Group 1 reads in a round trip of its own; its commit carries group
    // 2's read (the six were queued behind it), so group 2 starts deciding at once and costs one
    // round trip. It was 13 statements in 4 round trips alone and 42 in 3 for this group of six.
    expect(commits).toEqual([
      { writes: 1, statements: 15 + 7, roundTrips: 2 },
      { writes: 6, statements: 8, roundTrips: 1 },
    ]);
  });

  it('the group read ahead is decided against what its predecessor committed: its versions, ids and schemas', async () => {
    const ctx = '.gc-ahead';
    const a2 = avro('A', [
      { name: 'a', type: 'string' },
      { name: 'b', type: 'string', default: '' },
    ]);
    const { outcomes, commits } = await measured(ctx, [
      input(ctx, 's', avro('A')), // group 1: s version 1, id 1
      input(ctx, 's', a2), // group 2, read by group 1's commit: s version 2 (checked against version 1), id 2
      input(ctx, 't', avro('A')), // the schema group 1 stored: its id under a new subject
      input(ctx, 's', avro('A')), // version 1's schema, under s again: the same version
    ]);
    expect(outcomes.map((o) => (o.ok ? [o.value.id, o.value.version] : o))).toEqual([
      [1, 1],
      [2, 2],
      [1, 1],
      [1, 1],
    ]);
    expect(commits.map((c) => c.roundTrips)).toEqual([2, 1]);
    expect(await ids(ctx)).toEqual([1, 2]);
    expect(await verifyAudit(env.DB)).toMatchObject({ ok: true });
  });

  it('a write of another kind between two groups is seen by the second: it reads after that write, not ahead', async () => {
    const ctx = '.gc-between';
    await inOneTurn(ctx, [input(ctx, 's', avro('A'))]);
    const incompatible = avro('A', [{ name: 'a', type: 'int' }]);
    const { writes, groups } = await runInDurableObject(writerOf(ctx), async (writer: RegistryWriter) => {
      const before = writer.groupStats.groups;
      const actor = { principal: 'test' };
      const writes = await Promise.all([
        writer.register(input(ctx, 't', avro('T'))), // group 1
        writer.setConfig({ context: ctx, subject: 's', qualified: `:${ctx}:s`, body: { compatibilityLevel: 'NONE' }, actor }),
        writer.register(input(ctx, 's', incompatible)), // under BACKWARD a 409; under NONE version 2
      ]);
      return { writes, groups: writer.groupStats.groups - before };
    });
    expect(groups).toBe(2);
    expect(writes.map((w) => w.ok)).toEqual([true, true, true]);
    expect(writes[2]).toMatchObject({ ok: true, value: { version: 2 } });
  });

  it('a guess that misses costs a round trip, not a wrong answer: under a config that merges metadata, the hashes are looked up after the read', async () => {
    const ctx = '.gc-guess';
    await inOneTurn(ctx, [input(ctx, 'stored', avro('Stored'))]); // committed before: id 1, no metadata
    expect((await put(`/config/:${ctx}:`, { defaultMetadata: { properties: { team: 'x' } } })).status).toBe(200);
    const { outcomes, commits } = await measured(ctx, [
      input(ctx, 'first', avro('First')),
      input(ctx, 'a', avro('Stored')), // stored without metadata: with it merged, a new schema (id 3)
      input(ctx, 'b', avro('B')),
    ]);
    expect(outcomes.map((o) => (o.ok ? [o.value.id, o.value.version, o.value.metadata] : o))).toEqual([
      [2, 1, { properties: { team: 'x' } }],
      [3, 1, { properties: { team: 'x' } }],
      [4, 1, { properties: { team: 'x' } }],
    ]);
    // The read looked up the schemas as sent; the merged ones are looked up in a round trip of
    // their own (group 2's read rode in group 1's commit: 7 statements there, a round trip fewer).
    expect(commits).toEqual([
      { writes: 1, statements: 16 + 7, roundTrips: 3 },
      { writes: 2, statements: 9, roundTrips: 2 },
    ]);
  });

  it('under a config that normalizes, a write stores the normalized schema, not the guess prepared as sent', async () => {
    const ctx = '.gc-norm';
    expect((await put(`/config/:${ctx}:`, { normalize: true })).status).toBe(200);
    const unsorted = JSON.stringify({ type: 'object', properties: { b: { type: 'string' }, a: { type: 'integer' } } });
    const json = (subject: string, schema: string) => ({ ...input(ctx, subject, schema), schema: { schema, schemaType: 'JSON' as const } });
    const { outcomes, commits } = await measured(ctx, [json('first', unsorted), json('a', unsorted), json('b', unsorted)]);
    expect(outcomes.map((o) => (o.ok ? [o.value.id, o.value.schema] : o))).toEqual(
      Array(3).fill([1, '{"properties":{"a":{"type":"integer"},"b":{"type":"string"}},"type":"object"}']),
    );
    // The guesses (as sent, unsorted) missed: each group looked the normalized schema up after its
    // read (group 2's carried by group 1's commit).
    expect(commits.map((c) => c.roundTrips)).toEqual([3, 2]);
  });

  it('the subject count is read only for a group that may create a subject, and either way a few rows, not the context', async () => {
    const ctx = '.gc-count';
    await inOneTurn(
      ctx,
      range(0, 40).map((i) => input(ctx, `s${i}`, avro(`C${i}`))),
    );
    const reader = new RegistryReader(env.DB);
    const run = async (subjects: string[]) => {
      const r = await reader.subjectCountIfNewQuery(ctx, subjects).statement.all<{ n: number }>();
      return { count: r.results[0]?.n ?? null, rowsRead: r.meta.rows_read };
    };
    const existing = await run(['s1', 's2', 's3']);
    expect(existing.count).toBeNull();
    expect(existing.rowsRead).toBeLessThan(10);
    const creating = await run(['s1', 'new']);
    expect(creating.count).toBe(40);
    // The count is one row of subject_counts (subject-counts.test.ts), not the context's versions.
    expect(creating.rowsRead).toBeLessThan(10);
  });

  it("a large group: rows of a kind share INSERTs, each within D1's 100 bound parameters and about 1 MB of schema text; ids, events and audit rows in queue order", async () => {
    const ctx = '.gc-large';
    const sql: string[] = [];
    const batches: number[] = [];
    const big = (i: number) => avro(`Big${i}`, [{ name: 'a', type: 'string', doc: 'x'.repeat(400_000) }]);
    const inputs = [
      input(ctx, 'first', avro('First')), // group 1, alone
      ...range(0, 26).map((i) => input(ctx, `s${i}`, avro(`L${i}`))),
      ...range(0, 3).map((i) => input(ctx, `big${i}`, big(i))), // 3 x 400 KB: two schema INSERTs
    ];
    const outcomes = await runInDurableObject(writerOf(ctx), async (writer: RegistryWriter) => {
      const held = writer as unknown as { env: Env };
      const bound = held.env;
      const session = (db: D1DatabaseSession): D1DatabaseSession =>
        new Proxy(db, {
          get: (target, key) => {
            if (key === 'prepare') return (q: string) => (sql.push(q), target.prepare(q));
            if (key === 'batch') return (st: D1PreparedStatement[]) => (batches.push(st.length), target.batch(st));
            const v: unknown = Reflect.get(target, key);
            return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
          },
        });
      const DB = new Proxy(bound.DB, {
        get: (target, key) => {
          if (key === 'withSession') return (c?: D1SessionConstraint) => session(target.withSession(c));
          const v: unknown = Reflect.get(target, key);
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
      held.env = { ...bound, DB };
      try {
        return await Promise.all(inputs.map((i) => writer.register(i)));
      } finally {
        held.env = bound;
      }
    });
    expect(outcomes.map((o) => (o.ok ? o.value.id : o))).toEqual(range(1, 30));
    expect(await ids(ctx)).toEqual(range(1, 30));
    expect(await nextId(ctx)).toBe(31);
    // Every statement binds at most 100 parameters (D1's limit; workerd's local SQLite takes more).
    const params = (q: string) => Math.max(0, ...[...q.matchAll(/\?(\d+)/g)].map((m) => Number(m[1])));
    expect(Math.max(...sql.map(params))).toBeLessThanOrEqual(100);
    // The group of 29's commit: the counter, 29 schemas in 4 INSERTs (11 rows or about 1 MB of text
    // each at most: 11, 11, 4 small and 2 big, the third big), 29 versions in 2 (20 rows each at
    // most), 29 events in 3 (11 each), 29 audit rows in 4 (9 each), the outbox's 2, the write
    // guard: 17 statements, where each write used to bring 5 of its own (146).
    const inserts = (table: string) => sql.filter((q) => q.startsWith(`INSERT INTO ${table} `)).length;
    expect({ schemas: inserts('schemas'), versions: inserts('versions'), events: inserts('events'), audit: inserts('audit_log') }).toEqual({
      schemas: 1 + 4,
      versions: 1 + 2,
      events: 1 + 3,
      audit: 1 + 4,
    });
    expect(batches.at(-1)).toBe(17);
    // Events and audit rows numbered in queue order.
    const { results: events } = await env.DB.prepare(`SELECT subject, schema_id AS id FROM events WHERE context = ?1 ORDER BY seq`)
      .bind(ctx)
      .all<{ subject: string; id: number }>();
    expect(events.map((e) => e.id)).toEqual(range(1, 30));
    expect(events.map((e) => e.subject)).toEqual(inputs.map((i) => i.subject));
    const { results: rows } = await env.DB.prepare(`SELECT target FROM audit_log WHERE stream = ?1 ORDER BY id`).bind(ctx).all<{ target: string }>();
    expect(rows.map((r) => r.target)).toEqual(inputs.map((i) => i.qualified));
    expect(await verifyAudit(env.DB)).toMatchObject({ ok: true });
    // What was stored reads back as registered.
    const stored = await get(`/subjects/:${ctx}:big2/versions/latest`);
    expect(JSON.parse(stored.body.schema as string)).toEqual(JSON.parse(big(2)));
  });

  it('a failing batch: its writes are retried one by one, only the failing one fails, ids stay gap-free', async () => {
    const ctx = '.gc-fail';
    // Injected failure: D1 refuses any version row of subject "poison" (the statement, hence the batch, fails).
    await env.DB.exec(
      `CREATE TRIGGER gc_poison BEFORE INSERT ON versions WHEN NEW.subject = 'poison' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
    );
    try {
      const results = await inOneTurn(ctx, [
        input(ctx, 'a', avro('A')),
        input(ctx, 'b', avro('B')),
        input(ctx, 'poison', avro('P')),
        input(ctx, 'c', avro('C')),
        input(ctx, 'b', avro('B')), // depends on a write of the failed batch: decided again, same id
      ]);
      expect(results.split).toBe(1);
      const [a, b, poison, c, bAgain] = results.outcomes;
      expect(a).toMatchObject({ status: 'fulfilled', value: { ok: true, value: { id: 1 } } });
      expect(b).toMatchObject({ status: 'fulfilled', value: { ok: true, value: { id: 2 } } });
      expect(poison.status).toBe('rejected');
      expect(String((poison as PromiseRejectedResult).reason)).toContain('injected failure');
      // The poisoned write took no id: c gets the next one.
      expect(c).toMatchObject({ status: 'fulfilled', value: { ok: true, value: { id: 3 } } });
      expect(bAgain).toMatchObject({ status: 'fulfilled', value: { ok: true, value: { id: 2, version: 1 } } });
      expect(await ids(ctx)).toEqual([1, 2, 3]);
      expect(await nextId(ctx)).toBe(4);
      expect(await verifyAudit(env.DB)).toMatchObject({ ok: true });
    } finally {
      await env.DB.exec('DROP TRIGGER gc_poison');
    }
    // The writer goes on: the next registrations commit.
    expect((await post('/subjects/:.gc-fail:poison/versions', { schema: avro('P') })).body.id).toBe(4);
  });

  it('a registration with references starts a group of its own (references resolve against committed state)', async () => {
    const ctx = '.gc-refs';
    const base = avro('Base');
    const results = await inOneTurn(ctx, [
      input(ctx, 'first', avro('First')),
      input(ctx, 'base', base),
      {
        ...input(ctx, 'user', avro('User', [{ name: 'b', type: 'gc.Base' }])),
        schema: { schema: avro('User', [{ name: 'b', type: 'gc.Base' }]), references: [{ name: 'gc.Base', subject: 'base', version: 1 }] },
      },
      input(ctx, 'after', avro('After')),
    ]);
    // [first], [base], [user, after]: the reference to base version 1 finds it committed.
    expect(results.groups).toBe(3);
    expect(results.outcomes.map((o) => (o.status === 'fulfilled' && o.value.ok ? o.value.value.id : o))).toEqual([1, 2, 3, 4]);
  });
});

describe('group commit: lingering in a burst (LINGER_MS)', () => {
  it.each([
    // writes in the last group, registrations queued now, waits?
    [0, 1, false], // the first registration of a writer
    [1, 1, false], // a lone client: never
    [1, 5, false],
    [2, 1, true], // a burst
    [8, 3, true],
    [2, 31, true],
    [2, 32, false], // a full group is waiting: form it now
    [32, 40, false],
  ])('lingers after a group of %i with %i queued: %s', (last, queued, expected) => {
    expect(lingers(last, queued)).toBe(expected);
  });

  /**
   * Inside the writer: `before` registered (in one turn), then `first` and, a microtask later (long
   * before LINGER_MS), `second`. How many groups did those two make?
   */
  async function twoBeats(context: string, before: string[]) {
    return runInDurableObject(writerOf(context), async (writer: RegistryWriter) => {
      await Promise.all(before.map((name) => writer.register(input(context, name, avro(name)))));
      const groups = writer.groupStats.groups;
      const first = writer.register(input(context, 'first', avro('First')));
      await Promise.resolve();
      const second = writer.register(input(context, 'second', avro('Second')));
      const outcomes = await Promise.all([first, second]);
      return { groups: writer.groupStats.groups - groups, ids: outcomes.map((o) => (o.ok ? o.value.id : o.code)) };
    });
  }

  it('after a group of several writes, a registration waits a moment and the next one joins its group', async () => {
    // The three make a group of one and a group of two (inOneTurn): a burst.
    const { groups, ids } = await twoBeats('.linger-burst', ['x', 'y', 'z']);
    expect(groups).toBe(1);
    expect(ids).toEqual([4, 5]);
  });

  it('after a group of one (a lone client), a registration is grouped at once: the next one makes its own group', async () => {
    const { groups, ids } = await twoBeats('.linger-lone', ['x']);
    expect(groups).toBe(2);
    expect(ids).toEqual([2, 3]);
  });
});
