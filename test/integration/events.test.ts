/**
 * Change events (docs/events.md): every committed change writes one row of the outbox in its own
 * batch (durable/tx.ts writeShare); GET /v1/events pages through them, filtered to what the caller
 * may read; the daily cron prunes them after EVENTS_RETENTION_DAYS.
 */
import { createExecutionContext, createScheduledController, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { RegisterInput, RegistryWriter } from '../../src/durable/registry-writer';
import worker from '../../src/index';
import { boundsOf } from '../../src/services/bounds';
import { del, get, post, put, register } from './client';
import { basic, fetchWith } from './with-env';
import { freshRegistryKeepingR2 } from './fresh-registry';
import { readGeneration } from '../../src/storage/registry-meta';

interface Event {
  seq: number;
  at: string;
  type: string;
  context?: string;
  subject?: string;
  version?: number;
  id?: number;
  actor: string;
}

const rec = (name: string, fields: unknown[] = [{ name: 'a', type: 'string' }]) => JSON.stringify({ type: 'record', name, namespace: 'ev', fields });
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

/** Every event, paging with the largest page. */
async function allEvents(after = 0): Promise<Event[]> {
  const out: Event[] = [];
  for (;;) {
    const r = await get(`/v1/events?after=${after}&limit=1000`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    out.push(...(r.body.events as Event[]));
    if (r.body.next === null) return out;
    after = r.body.next;
  }
}

async function lastSeq(): Promise<number> {
  return (await env.DB.prepare('SELECT MAX(seq) AS m FROM events').first<{ m: number | null }>())?.m ?? 0;
}

/** The events a step wrote, without their time (checked apart). */
async function eventsOf(step: () => Promise<unknown>): Promise<Omit<Event, 'at'>[]> {
  const before = await lastSeq();
  await step();
  const events = await allEvents(before);
  for (const e of events) expect(Date.now() - Date.parse(e.at)).toBeLessThan(60_000);
  return events.map(({ at: _at, ...e }) => e);
}

const ok = async (p: Promise<{ status: number; body: unknown }>, status = 200) => {
  const r = await p;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r;
};

describe('every committed change writes exactly one event, in its batch', () => {
  it('register, config, mode, soft and permanent deletes, DELETE /contexts/{ctx}: one event each with its fields', async () => {
    const a = 'anonymous';
    expect(await eventsOf(() => register('orders', rec('O')))).toEqual([
      { seq: 1, type: 'register', context: '.', subject: 'orders', version: 1, id: 1, actor: a },
    ]);
    expect(await eventsOf(() => register(':.t:pay', rec('P')))).toEqual([
      { seq: 2, type: 'register', context: '.t', subject: 'pay', version: 1, id: 1, actor: a },
    ]);
    expect(await eventsOf(() => ok(put('/config/orders', { compatibility: 'NONE' })))).toEqual([
      { seq: 3, type: 'set-config', context: '.', subject: 'orders', actor: a },
    ]);
    expect(await eventsOf(() => ok(put('/config', { compatibility: 'FULL' })))).toEqual([{ seq: 4, type: 'set-config', context: '.', actor: a }]);
    expect(await eventsOf(() => ok(put('/config/:.t:', { compatibility: 'NONE' })))).toEqual([
      { seq: 5, type: 'set-config', context: '.t', actor: a },
    ]);
    expect(await eventsOf(() => ok(del('/config/orders')))).toEqual([{ seq: 6, type: 'delete-config', context: '.', subject: 'orders', actor: a }]);
    expect(await eventsOf(() => ok(put('/mode/orders', { mode: 'READONLY' })))).toEqual([
      { seq: 7, type: 'set-mode', context: '.', subject: 'orders', actor: a },
    ]);
    expect(await eventsOf(() => ok(del('/mode/orders')))).toEqual([{ seq: 8, type: 'delete-mode', context: '.', subject: 'orders', actor: a }]);
    await register(
      'orders',
      rec('O', [
        { name: 'a', type: 'string' },
        { name: 'b', type: 'string', default: '' },
      ]),
    );
    expect(await eventsOf(() => ok(del('/subjects/orders/versions/1')))).toEqual([
      { seq: 10, type: 'delete-version', context: '.', subject: 'orders', version: 1, id: 1, actor: a },
    ]);
    expect(await eventsOf(() => ok(del('/subjects/orders/versions/1?permanent=true')))).toEqual([
      { seq: 11, type: 'delete-version-permanent', context: '.', subject: 'orders', version: 1, id: 1, actor: a },
    ]);
    expect(await eventsOf(() => ok(del('/subjects/orders')))).toEqual([
      { seq: 12, type: 'delete-subject', context: '.', subject: 'orders', actor: a },
    ]);
    expect(await eventsOf(() => ok(del('/subjects/orders?permanent=true')))).toEqual([
      { seq: 13, type: 'delete-subject-permanent', context: '.', subject: 'orders', actor: a },
    ]);
    await ok(del('/subjects/:.t:pay'));
    await ok(del('/subjects/:.t:pay?permanent=true'));
    expect(await eventsOf(() => ok(del('/contexts/.t'), 204))).toEqual([{ seq: 16, type: 'delete-context', context: '.t', actor: a }]);
    // One event per change, seqs gap-free: 16 changes, 16 events.
    expect((await allEvents()).map((e) => e.seq)).toEqual(range(1, 16));
  });

  it('writes no event for what changes nothing: an idempotent re-registration, a refusal, a read', async () => {
    await register('s', rec('S'));
    expect(await eventsOf(() => register('s', rec('S')))).toEqual([]); // the same schema again: same id, nothing committed
    expect(await eventsOf(() => ok(post('/subjects/s/versions', { schema: rec('S', [{ name: 'a', type: 'int' }]) }), 409))).toEqual([]);
    expect(await eventsOf(() => ok(del('/subjects/nope'), 404))).toEqual([]);
    expect(await eventsOf(() => ok(post('/subjects/s', { schema: rec('S') })))).toEqual([]);
    expect(await lastSeq()).toBe(1);
  });

  it('the actor is the principal name, never a secret', async () => {
    const root = basic('root', 'bootstrap-secret');
    const authed = fetchWith({ REGISTRY_ADMIN_KEY: 'root', REGISTRY_ADMIN_SECRET: 'bootstrap-secret' });
    await ok(authed('POST', '/subjects/who/versions', { schema: rec('W') }, root));
    const page = await authed('GET', '/v1/events', undefined, root);
    expect(page.body.events).toMatchObject([{ type: 'register', subject: 'who', actor: 'bootstrap:root' }]);
    expect(JSON.stringify(page.body)).not.toContain('bootstrap-secret');
  });
});

const writerOf = (context: string) => env.WRITER.get(env.WRITER.idFromName(context));

function input(context: string, subject: string, schema: string): RegisterInput & { actor: { principal: string } } {
  return {
    context,
    subject,
    qualified: `:${context}:${subject}`,
    schema: { schema },
    normalize: false,
    bounds: boundsOf(env),
    actor: { principal: 'test' },
  };
}

describe('ordering: seqs are gap-free and in commit order', () => {
  it('concurrent registrations into two contexts (group commit): seqs 1..n, each context in id order', async () => {
    const n = 16;
    const answers = await Promise.all(range(0, n).map((i) => post(`/subjects/:.c${i % 2}:s${i}/versions`, { schema: rec(`C${i}`) })));
    expect(answers.map((r) => r.status)).toEqual(Array(n).fill(200));
    const events = await allEvents();
    expect(events.map((e) => e.seq)).toEqual(range(1, n));
    for (const ctx of ['.c0', '.c1']) {
      const mine = events.filter((e) => e.context === ctx);
      expect(mine.map((e) => e.id)).toEqual(range(1, n / 2)); // a context's ids in seq order = commit order
    }
    // Each answer has its event: the same id, version 1.
    for (const [i, r] of answers.entries()) {
      expect(events.filter((e) => e.subject === `s${i}`)).toEqual([expect.objectContaining({ context: `.c${i % 2}`, id: r.body.id, version: 1 })]);
    }
  });

  it('a failing batch writes no event: the group is retried write by write, seqs stay gap-free', async () => {
    const ctx = '.ev-fail';
    await env.DB.exec(
      `CREATE TRIGGER ev_poison BEFORE INSERT ON versions WHEN NEW.subject = 'poison' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
    );
    try {
      const outcomes = await runInDurableObject(writerOf(ctx), (writer: RegistryWriter) =>
        Promise.allSettled(
          [input(ctx, 'a', rec('A')), input(ctx, 'b', rec('B')), input(ctx, 'poison', rec('P')), input(ctx, 'c', rec('C'))].map((i) =>
            writer.register(i),
          ),
        ),
      );
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      const events = await allEvents();
      expect(events.map((e) => [e.seq, e.subject, e.id])).toEqual([
        [1, 'a', 1],
        [2, 'b', 2],
        [3, 'c', 3],
      ]);
      // A write that fails alone (through HTTP) writes none either.
      expect((await post(`/subjects/:${ctx}:poison/versions`, { schema: rec('P') })).status).toBe(500);
      expect(await lastSeq()).toBe(3);
    } finally {
      await env.DB.exec('DROP TRIGGER ev_poison');
    }
    await register(`:${ctx}:poison`, rec('P'));
    expect((await allEvents(3)).map((e) => [e.seq, e.subject, e.id])).toEqual([[4, 'poison', 4]]);
  });
});

describe('GET /v1/events', () => {
  it('pages with after and limit; next is null once nothing follows', async () => {
    for (const i of range(1, 5)) await register(`p${i}`, rec(`P${i}`));
    const p1 = await get('/v1/events?limit=2');
    expect(p1.body.events.map((e: Event) => e.seq)).toEqual([1, 2]);
    expect(p1.body.next).toBe(2);
    const p2 = await get('/v1/events?after=2&limit=2');
    expect(p2.body.events.map((e: Event) => e.seq)).toEqual([3, 4]);
    const p3 = await get(`/v1/events?after=${p2.body.next}&limit=2`);
    expect(p3.body).toMatchObject({ events: [{ seq: 5, subject: 'p5' }], next: 5 });
    const generation = await readGeneration(env.DB);
    expect(p1.body.generation).toBe(generation);
    expect((await get('/v1/events?after=5')).body).toEqual({ events: [], next: null, generation });
    expect((await get('/v1/events')).body.events).toHaveLength(5); // default: from the oldest, up to 100
    expect((await get('/v1/events?after=99')).body).toEqual({ events: [], next: null, generation });
    // The generation sent back, unchanged: the same pages.
    expect((await get(`/v1/events?after=2&limit=2&generation=${generation}`)).body).toEqual(p2.body);
  });

  it('answers 422 for a bad after or limit', async () => {
    for (const q of [
      'after=-1',
      'after=abc',
      'after=1.5',
      'limit=0',
      'limit=1001',
      'limit=',
      'limit=x',
      'generation=-1',
      'generation=x',
      'generation=',
    ]) {
      const r = await get(`/v1/events?${q}`);
      expect(r.status, q).toBe(422);
      expect(r.body.error_code, q).toBe(422);
    }
    expect((await get('/v1/events?limit=1000&after=0')).status).toBe(200);
  });

  it('needs a credential when authentication is on', async () => {
    const authed = fetchWith({ REGISTRY_ADMIN_KEY: 'root', REGISTRY_ADMIN_SECRET: 'bootstrap-secret' });
    expect((await authed('GET', '/v1/events')).status).toBe(401);
    expect((await authed('GET', '/v1/events', undefined, basic('root', 'wrong'))).status).toBe(401);
  });

  it('a reader limited to a context or a prefix sees only its events, and its cursor still advances', async () => {
    const vars = { REGISTRY_ADMIN_KEY: 'root', REGISTRY_ADMIN_SECRET: 'bootstrap-secret' };
    const authed = fetchWith(vars);
    const root = basic('root', 'bootstrap-secret');
    const keyFor = async (grants: unknown[]) => {
      const k = (await authed('POST', '/v1/admin/keys', { name: `k${JSON.stringify(grants).length}`, grants }, root)).body;
      return basic(k.key, k.secret);
    };
    const ctxReader = await keyFor(['reader@.a']);
    const prefixReader = await keyFor(['reader@.a/pay-']);
    // 12 events elsewhere, then the ones of .a, then more elsewhere.
    for (const i of range(1, 12)) await register(`:.b:s${i}`, rec(`B${i}`));
    await register(':.a:pay-x', rec('X'));
    await register(':.a:other', rec('Y'));
    await ok(put('/config/:.a:', { compatibility: 'NONE' }));
    await register(':.b:later', rec('L'));
    const seen = async (auth: Record<string, string>, limit: number) => {
      const pages: { seqs: number[]; next: number | null }[] = [];
      let after = 0;
      for (;;) {
        const r = await authed('GET', `/v1/events?after=${after}&limit=${limit}`, undefined, auth);
        expect(r.status).toBe(200);
        pages.push({ seqs: r.body.events.map((e: Event) => e.seq), next: r.body.next });
        if (r.body.next === null) return pages;
        expect(r.body.next).toBeGreaterThan(after); // never stuck
        after = r.body.next;
      }
    };
    // limit 1 looks at 10 events per page: the first page holds none of .a, and still advances.
    expect(await seen(ctxReader, 1)).toEqual([
      { seqs: [], next: 10 },
      { seqs: [13], next: 13 },
      { seqs: [14], next: 14 },
      { seqs: [15], next: 15 },
      { seqs: [], next: 16 },
      { seqs: [], next: null },
    ]);
    // The prefix reader sees pay-x only: not the other subject, nor the context's config.
    expect((await seen(prefixReader, 100)).flatMap((p) => p.seqs)).toEqual([13]);
    const events = (await authed('GET', '/v1/events', undefined, ctxReader)).body.events as Event[];
    expect(events.map((e) => `${e.type} ${e.context}${e.subject ? ` ${e.subject}` : ''}`)).toEqual([
      'register .a pay-x',
      'register .a other',
      'set-config .a',
    ]);
    // A reader of everything sees everything.
    expect((await seen(await keyFor(['reader']), 1000)).flatMap((p) => p.seqs)).toEqual(range(1, 16));
  });
});

describe('restores', () => {
  it('a JSON restore writes one restore event (events are not in snapshots)', async () => {
    await register('r', rec('R'));
    await ok(put('/config/r', { compatibility: 'NONE' }));
    const snapshot = (await get('/v1/admin/snapshot')).body;
    expect(Object.keys(snapshot.tables)).not.toContain('events');
    await freshRegistryKeepingR2();
    await ok(post('/v1/admin/restore', snapshot));
    expect(await allEvents()).toEqual([{ seq: 1, at: expect.any(String), type: 'restore', actor: 'anonymous' }]);
  });

  it('a restore from R2 writes one restore event, when it completes', async () => {
    await register('r', rec('R'));
    const { name } = (await post('/v1/admin/snapshots', {})).body;
    await freshRegistryKeepingR2();
    let r = await post(`/v1/admin/snapshots/${name}/restore`, { maxSteps: 1 });
    expect(r.status).toBe(202);
    expect(await allEvents()).toEqual([]);
    while (r.status === 202) r = await post(`/v1/admin/snapshots/${name}/restore`, {});
    expect(r.status).toBe(200);
    expect((await allEvents()).map((e) => [e.seq, e.type])).toEqual([[1, 'restore']]);
    // A reader of one context sees it too: what it read was replaced.
    expect((await allEvents()).at(0)).not.toHaveProperty('context');
  });
});

describe('a cursor from before a restore', () => {
  const refused = (r: { status: number; body: any }, was: number) => {
    expect(r.status, JSON.stringify(r.body)).toBe(410);
    expect(r.body.error_code).toBe(41001);
    expect(r.body.message).toContain(`generation ${was} was replaced by a restore`);
  };

  it('is refused (410, 41001) once a restore into a new database began another history, where seqs count from 1 again', async () => {
    for (const i of range(1, 3)) await register(`h${i}`, rec(`H${i}`));
    const before = (await get('/v1/events')).body;
    expect(before.events.map((e: Event) => e.seq)).toEqual([1, 2, 3]);
    const snapshot = (await get('/v1/admin/snapshot')).body;
    await freshRegistryKeepingR2();
    await ok(post('/v1/admin/restore', snapshot));
    await register('h4', rec('H4')); // seq 2 of the new history: the old cursor (3) would skip it silently
    const r = await get(`/v1/events?after=${before.next}&generation=${before.generation}`);
    refused(r, before.generation);
    const now = (await get('/v1/events?after=0')).body;
    expect(now.generation).toBeGreaterThan(before.generation);
    expect(r.body.message).toContain(`after=0&generation=${now.generation}`);
    expect(now.events.map((e: Event) => [e.seq, e.type, e.subject])).toEqual([
      [1, 'restore', undefined],
      [2, 'register', 'h4'],
    ]);
    expect((await get(`/v1/events?after=0&generation=${now.generation}`)).body).toEqual(now);
  });

  it('is refused after the generation is advanced by hand (the D1 Time Travel procedure), whose seqs are handed out again', async () => {
    for (const i of range(1, 2)) await register(`t${i}`, rec(`T${i}`));
    const { generation } = (await get('/v1/events')).body;
    await ok(post('/v1/admin/generation', {}));
    refused(await get(`/v1/events?after=2&generation=${generation}`), generation);
    // Without a generation the page answers as before (a consumer that does not send it).
    expect((await get('/v1/events?after=0')).body.events).toHaveLength(2);
  });
});

describe('retention', () => {
  it('the daily cron removes events older than EVENTS_RETENTION_DAYS; seqs are never reused', async () => {
    for (const i of range(1, 4)) await register(`old${i}`, rec(`Old${i}`));
    await register('new', rec('New'));
    // The first four were recorded 31 and 40 days ago.
    await env.DB.prepare(`UPDATE events SET at = ?1 WHERE seq <= 2`)
      .bind(new Date(Date.now() - 40 * 86_400_000).toISOString())
      .run();
    await env.DB.prepare(`UPDATE events SET at = ?1 WHERE seq IN (3, 4)`)
      .bind(new Date(Date.now() - 31 * 86_400_000).toISOString())
      .run();
    const cron = async (days?: string) => {
      const ctx = createExecutionContext();
      worker.scheduled(
        createScheduledController({ cron: '17 3 * * *', scheduledTime: Date.now() }),
        days ? { ...env, EVENTS_RETENTION_DAYS: days } : env,
        ctx,
      );
      await waitOnExecutionContext(ctx);
    };
    await cron('35');
    expect((await allEvents()).map((e) => e.seq)).toEqual([3, 4, 5]);
    await cron(); // wrangler.toml: 30 days
    expect((await allEvents()).map((e) => e.seq)).toEqual([5]);
    const audit = await env.DB.prepare(`SELECT action, result FROM audit_log WHERE action LIKE 'prune-events%' ORDER BY id`).all();
    expect(audit.results).toEqual([
      { action: 'prune-events 35d', result: 'ok' },
      { action: 'prune-events 30d', result: 'ok' },
    ]);
    // A consumer that was at 5 goes on from there.
    await register('after', rec('After'));
    expect((await allEvents(5)).map((e) => [e.seq, e.subject])).toEqual([[6, 'after']]);
    // Everything pruned: AUTOINCREMENT still does not hand out an old number.
    await env.DB.prepare(`UPDATE events SET at = '2000-01-01T00:00:00.000Z'`).run();
    await cron();
    expect(await allEvents()).toEqual([]);
    await register('later', rec('Later'));
    expect((await allEvents()).map((e) => e.seq)).toEqual([7]);
  });
});
