/**
 * subject_counts (src/storage/schema.ts subjectCounts, migrations/0011_subject_counts.sql): the
 * subjects of each context, kept by triggers on `versions`, read by the writer for
 * MAX_SUBJECTS_PER_CONTEXT instead of counting the context's version rows. After every kind of
 * write it must equal COUNT(DISTINCT subject) over `versions`, and reading it must cost one row
 * however many subjects there are.
 */
import { applyD1Migrations, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { RegistryWriter } from '../../src/durable/registry-writer';
import { boundsOf } from '../../src/services/bounds';
import { clearValidatorCaches } from '../../src/services/validators';
import { RegistryReader } from '../../src/storage/registry-reader';
import { del, get, post, register } from './client';
import { wipeAll } from './wipe';

const rec = (name: string, fields: unknown[] = []) => JSON.stringify({ type: 'record', name, fields: [{ name: 'a', type: 'string' }, ...fields] });

type Counts = Record<string, number>;

/** Subjects per context from a query answering (context, n). */
async function countsBy(sql: string): Promise<Counts> {
  const { results } = await env.DB.prepare(sql).all<{ context: string; n: number }>();
  return Object.fromEntries(results.map((r) => [r.context, r.n]));
}

/** What the triggers kept (contexts left with no subject keep a row at 0: dropped here). */
const kept = () => countsBy('SELECT context, subjects AS n FROM subject_counts WHERE subjects <> 0');

/** The count the table stands for, from the version rows themselves. */
const truth = () => countsBy('SELECT context, COUNT(DISTINCT subject) AS n FROM versions GROUP BY context');

async function expectCounts(expected: Counts): Promise<void> {
  expect(await truth()).toEqual(expected);
  expect(await kept()).toEqual(expected);
}

describe('subject_counts, kept by triggers on versions', () => {
  it('counts a subject once from its first version to the hard delete of its last, in every context', async () => {
    await register('a', rec('A'));
    await register('a', rec('A', [{ name: 'b', type: 'string', default: '' }]));
    await register('b', rec('B'));
    await register(':.t:x', rec('X'));
    await expectCounts({ '.': 2, '.t': 1 });

    // A soft delete keeps the rows, so the subject still counts (Confluent: it blocks its name).
    expect((await del('/subjects/a')).status).toBe(200);
    await expectCounts({ '.': 2, '.t': 1 });
    expect((await del('/subjects/a?permanent=true')).status).toBe(200);
    await expectCounts({ '.': 1, '.t': 1 });

    // Deleting one of two versions leaves the subject; deleting the last one removes it.
    await register('b', rec('B', [{ name: 'c', type: 'string', default: '' }]));
    expect((await del('/subjects/b/versions/1')).status).toBe(200);
    expect((await del('/subjects/b/versions/1?permanent=true')).status).toBe(200);
    await expectCounts({ '.': 1, '.t': 1 });
    expect((await del('/subjects/b/versions/2')).status).toBe(200);
    expect((await del('/subjects/b/versions/2?permanent=true')).status).toBe(200);
    await expectCounts({ '.t': 1 });

    // The name can be used again: a new subject.
    await register('a', rec('A2'));
    await expectCounts({ '.': 1, '.t': 1 });
  });

  it('two versions of one new subject committed in one group (one multi-row INSERT) count it once', async () => {
    const writer = env.WRITER.get(env.WRITER.idFromName('.g'));
    const input = (subject: string, schema: string) => ({
      context: '.g',
      subject,
      qualified: `:.g:${subject}`,
      schema: { schema },
      normalize: false,
      bounds: boundsOf(env),
      actor: { principal: 'test' },
    });
    const inputs = [input('first', rec('First')), input('g', rec('G')), input('g', rec('G', [{ name: 'b', type: 'string', default: '' }]))];
    const { outcomes, groups } = await runInDurableObject(writer, async (w: RegistryWriter) => {
      const before = w.groupStats.groups;
      // Enqueued in one turn: the first starts a group alone, the other two wait and form the second.
      const outcomes = await Promise.all(inputs.map((i) => w.register(i)));
      return { outcomes, groups: w.groupStats.groups - before };
    });
    expect(groups).toBe(2);
    expect(outcomes.map((o) => (o.ok ? [o.value.id, o.value.version] : o))).toEqual([
      [1, 1],
      [2, 1],
      [3, 2],
    ]);
    await expectCounts({ '.g': 2 });
  });

  it('a snapshot restore (wipe, then rows inserted in bulk) leaves the counts of what it restored', async () => {
    await register('r1', rec('R1'));
    await register('r2', rec('R2'));
    await register(':.u:r3', rec('R3'));
    await expectCounts({ '.': 2, '.u': 1 });
    const snapshot = (await get('/v1/admin/snapshot')).body;

    await wipeAll();
    await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
    clearValidatorCaches();
    await expectCounts({});
    expect((await post('/v1/admin/restore', snapshot)).status).toBe(200);
    await expectCounts({ '.': 2, '.u': 1 });
  });

  it("the migration's backfill counts the subjects stored before it", async () => {
    await register('m1', rec('M1'));
    await register(':.v:m2', rec('M2'));
    await register(':.v:m3', rec('M3'));
    await env.DB.prepare('DELETE FROM subject_counts').run();
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0011_'));
    const backfill = migration?.queries.find((q) => /^(--[^\n]*\n)*INSERT INTO `subject_counts`/.test(q.trim()));
    expect(backfill).toBeDefined();
    await env.DB.prepare(backfill as string).run();
    await expectCounts({ '.': 1, '.v': 2 });
  });

  it('reading the count costs one row, however many subjects the context holds', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `('.big', 's${i}', 1, 1)`).join(', ');
    await env.DB.prepare(`INSERT INTO versions (context, subject, version, schema_id) VALUES ${rows}`).run();
    await expectCounts({ '.big': 300 });
    const reader = new RegistryReader(env.DB);
    const count = await reader.subjectCountQuery('.big').statement.all<{ n: number }>();
    expect(count.results[0]?.n).toBe(300);
    expect(count.meta.rows_read).toBe(1);
    const ifNew = await reader.subjectCountIfNewQuery('.big', ['s1', 'new']).statement.all<{ n: number }>();
    expect(ifNew.results[0]?.n).toBe(300);
    expect(ifNew.meta.rows_read).toBeLessThan(10);
  });
});
