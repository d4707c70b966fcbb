/** Webhook delivery (docs/events.md#delivery): the outbox drain, the queue consumers, the deliveries route. */
import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { verifyWebhook } from '../../src/domain/webhook-signature';
import worker from '../../src/index';
import { backoffSeconds, type DeliveryMessage, drainOutbox, messageId } from '../../src/services/webhook-delivery';
import { countedD1, newD1Counts, roundTrips } from '../../src/storage/d1-count';
import { readGeneration } from '../../src/storage/registry-meta';
import { readCursor } from '../../src/storage/webhook-deliveries';
import { basic, fetchWith } from './with-env';

const ROOT = basic('root', 'bootstrap-secret');

/** A queue that keeps what is sent to it. */
function fakeQueue() {
  const sent: DeliveryMessage[] = [];
  const batches: number[] = [];
  const queue = {
    send: (body: DeliveryMessage) => {
      sent.push(body);
      return Promise.resolve();
    },
    sendBatch: (ms: Iterable<{ body: DeliveryMessage }>) => {
      const list = [...ms];
      batches.push(list.length);
      sent.push(...list.map((m) => m.body));
      return Promise.resolve();
    },
  };
  return { sent, batches, queue: queue as unknown as Queue<DeliveryMessage> };
}

function setup() {
  const q = fakeQueue();
  const call = fetchWith({ REGISTRY_ADMIN_KEY: 'root', REGISTRY_ADMIN_SECRET: 'bootstrap-secret', WEBHOOKS: q.queue });
  const create = async (body: unknown) => {
    const r = await call('POST', '/v1/admin/webhooks', body, ROOT);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as { id: string; secret: string };
  };
  const register = async (subject: string, context = '') => {
    const path = context ? `/contexts/${context}/subjects/${subject}/versions` : `/subjects/${subject}/versions`;
    const r = await call('POST', path, { schema: JSON.stringify({ type: 'string', doc: subject }) }, ROOT);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };
  return { ...q, call, create, register };
}

async function consume(queue: string, messages: DeliveryMessage[], attempts = 1) {
  const batch = createMessageBatch<DeliveryMessage>(
    queue,
    messages.map((body, i) => ({ id: `m${i}`, timestamp: Date.now(), attempts, body })),
  );
  // The delay each retry asked for (the harness's result does not carry it).
  const delays: (number | undefined)[] = [];
  for (const m of batch.messages) {
    const retry = m.retry.bind(m);
    m.retry = (o) => {
      delays.push(o?.delaySeconds);
      retry(o);
    };
  }
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return { ...(await getQueueResult(batch, ctx)), delays };
}

/** The registry generation each message and webhook-id carries (storage/events.ts InHistory). */
let generation: number;
beforeEach(async () => {
  generation = await readGeneration(env.DB);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('webhook delivery', () => {
  it('drains each committed change to the subscriptions whose filters take it, once per (subscription, event)', async () => {
    const t = setup();
    const all = await t.create({ url: 'https://hooks.example/all' });
    const payments = await t.create({ url: 'https://hooks.example/p', subjectPrefix: 'payments-' });
    const orders = await t.create({ url: 'https://hooks.example/o', context: '.orders' });
    const deletes = await t.create({ url: 'https://hooks.example/d', types: ['delete-subject'] });
    await t.register('payments-value');
    await t.register('users-value');
    await t.register('payments-key', ':.orders:');
    const seqs = (await env.DB.prepare(`SELECT seq, subject FROM events ORDER BY seq`).all<{ seq: number; subject: string }>()).results;
    const seq = (s: string) => seqs.find((e) => e.subject === s)!.seq;
    const got = [...t.sent].sort((a, b) => a.seq - b.seq || a.webhook.localeCompare(b.webhook));
    const want = [
      { webhook: all.id, seq: seq('payments-value'), generation },
      { webhook: payments.id, seq: seq('payments-value'), generation },
      { webhook: all.id, seq: seq('users-value'), generation },
      { webhook: all.id, seq: seq('payments-key'), generation },
      { webhook: payments.id, seq: seq('payments-key'), generation },
      { webhook: orders.id, seq: seq('payments-key'), generation },
    ].sort((a, b) => a.seq - b.seq || a.webhook.localeCompare(b.webhook));
    expect(got).toEqual(want);
    expect(got.some((m) => m.webhook === deletes.id)).toBe(false);
    expect(await readCursor(env.DB)).toBe(seqs[seqs.length - 1].seq);
  });

  it('KEK and DEK events: a types filter takes them; a KEK event (no context nor subject) passes no context or prefix filter', async () => {
    const t = setup();
    const all = await t.create({ url: 'https://hooks.example/all' });
    const keks = await t.create({ url: 'https://hooks.example/keks', types: ['create-kek', 'delete-kek'] });
    const deks = await t.create({ url: 'https://hooks.example/deks', types: ['create-dek', 'delete-dek'] });
    const orders = await t.create({ url: 'https://hooks.example/o', context: '.orders' });
    const payments = await t.create({ url: 'https://hooks.example/p', subjectPrefix: 'payments-', types: ['create-dek'] });
    const K = '/dek-registry/v1/keks';
    const ok = async (method: string, path: string, body?: unknown) => {
      const r = await t.call(method, path, body, ROOT);
      expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
    };
    await ok('POST', K, { name: 'k', kmsType: 'local-kms', kmsKeyId: 'mykey' });
    await ok('POST', `${K}/k/deks/${encodeURIComponent(':.orders:payments-value')}`, { encryptedKeyMaterial: 'AAAAAQ==' });
    await ok('POST', `${K}/k/deks/users-value`, { encryptedKeyMaterial: 'AAAAAQ==' });
    await ok('DELETE', `${K}/k/deks/users-value`);
    await ok('PUT', `${K}/k`, { doc: 'd' });
    const events = (
      await env.DB.prepare(`SELECT seq, type, subject FROM events ORDER BY seq`).all<{ seq: number; type: string; subject: string | null }>()
    ).results;
    expect(events.map((e) => `${e.type} ${e.subject}`)).toEqual([
      'create-kek null',
      'create-dek payments-value',
      'create-dek users-value',
      'delete-dek users-value',
      'update-kek null',
    ]);
    const [createKek, paymentsDek, usersDek, deleteDek, updateKek] = events.map((e) => e.seq);
    const got = [...t.sent].sort((a, b) => a.seq - b.seq || a.webhook.localeCompare(b.webhook));
    const want = [
      ...[all, keks].map((w) => ({ webhook: w.id, seq: createKek, generation })),
      ...[all, deks, orders, payments].map((w) => ({ webhook: w.id, seq: paymentsDek, generation })),
      ...[all, deks].map((w) => ({ webhook: w.id, seq: usersDek, generation })),
      ...[all, deks].map((w) => ({ webhook: w.id, seq: deleteDek, generation })),
      { webhook: all.id, seq: updateKek, generation },
    ].sort((a, b) => a.seq - b.seq || a.webhook.localeCompare(b.webhook));
    expect(got).toEqual(want);

    // Delivered as GET /v1/events answers it: the key named, no material nor KMS property.
    const seen: string[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation((_url, init) => {
      seen.push(init!.body as string);
      return Promise.resolve(new Response(null, { status: 204 }));
    });
    await consume('llm-schema-registry-webhooks', [{ webhook: payments.id, seq: paymentsDek, generation }]);
    expect(JSON.parse(seen[0])).toEqual({
      seq: paymentsDek,
      at: expect.any(String),
      type: 'create-dek',
      context: '.orders',
      subject: 'payments-value',
      version: 1,
      kek: 'k',
      algorithm: 'AES256_GCM',
      actor: 'bootstrap:root',
      generation,
    });
  });

  it('keeps its cursor: a second drain sends nothing, two at once lose nothing, a page over 100 messages is split', async () => {
    const t = setup();
    await t.create({ url: 'https://hooks.example/a' });
    await t.register('a-value');
    const before = await readCursor(env.DB);
    const again = fakeQueue();
    expect(await drainOutbox(env.DB, again.queue)).toBe(0);
    expect(await readCursor(env.DB)).toBe(before);
    // Events committed without a drain (the cursor moved back): two drains at once both send, neither loses one.
    for (let i = 0; i < 2; i++) await t.create({ url: `https://hooks.example/more${i}` });
    await env.DB.prepare(`UPDATE registry_meta SET value = 0 WHERE name = 'webhook_cursor'`).run();
    for (let i = 0; i < 40; i++)
      await env.DB.prepare(`INSERT INTO events (at, type, context, subject, actor) VALUES ('2026-01-01T00:00:00Z', 'register', '.', 'x', 't')`).run();
    const [q1, q2] = [fakeQueue(), fakeQueue()];
    await Promise.all([drainOutbox(env.DB, q1.queue), drainOutbox(env.DB, q2.queue)]);
    const events = (await env.DB.prepare(`SELECT seq FROM events`).all<{ seq: number }>()).results.map((e) => e.seq);
    const union = new Set([...q1.sent, ...q2.sent].map((m) => `${m.webhook}/${m.seq}`));
    expect(union.size).toBe(events.length * 3);
    expect(Math.max(...q1.batches, ...q2.batches)).toBeLessThanOrEqual(100);
    expect(await readCursor(env.DB)).toBe(Math.max(...events));
  });

  it('a drain after a write reads the cursor, its events, their generation and the subscriptions in one round trip, then moves the cursor', async () => {
    const t = setup();
    const hook = await t.create({ url: 'https://hooks.example/rt' });
    await t.register('rt-value');
    await env.DB.prepare(`INSERT INTO events (at, type, context, subject, actor) VALUES ('2026-01-01T00:00:00Z', 'register', '.', 'rt2', 't')`).run();
    const seq = (await env.DB.prepare(`SELECT MAX(seq) AS s FROM events`).first<{ s: number }>())?.s;
    const counts = newD1Counts();
    const q = fakeQueue();
    expect(await drainOutbox(countedD1(env.DB, counts), q.queue)).toBe(1);
    expect(q.sent).toEqual([{ webhook: hook.id, seq, generation }]);
    expect(await readCursor(env.DB)).toBe(seq);
    // The read batch (5 statements: the cursor, the page, the generation, the subscriptions, the
    // move past the page that applies only without a subscription) and the cursor's move after the
    // send: it was 4 round trips (cursor, events with generation, subscriptions, move).
    expect({ statements: counts.statements, roundTrips: roundTrips(counts) }).toEqual({ statements: 6, roundTrips: 2 });
    // Nothing after the cursor: the read alone.
    const idle = newD1Counts();
    expect(await drainOutbox(countedD1(env.DB, idle), fakeQueue().queue)).toBe(0);
    expect(roundTrips(idle)).toBe(1);
  });

  it('without a subscription a drain moves the cursor past each page in the batch that reads it: one round trip a page, nothing sent', async () => {
    const t = setup();
    await t.register('none-value');
    await env.DB.prepare(`UPDATE registry_meta SET value = 0 WHERE name = 'webhook_cursor'`).run();
    for (let i = 0; i < 120; i++)
      await env.DB.prepare(`INSERT INTO events (at, type, context, subject, actor) VALUES ('2026-01-01T00:00:00Z', 'register', '.', 'n', 't')`).run();
    const max = (await env.DB.prepare(`SELECT MAX(seq) AS s FROM events`).first<{ s: number }>())?.s;
    const counts = newD1Counts();
    const q = fakeQueue();
    expect(await drainOutbox(countedD1(env.DB, counts), q.queue)).toBe(0);
    expect(q.sent).toEqual([]);
    expect(await readCursor(env.DB)).toBe(max);
    // Two pages (100, then the 21 left), one round trip each: it was two each (the read, then the move).
    expect(roundTrips(counts)).toBe(2);
    // A subscription made now gets what is committed from now on, as when the cursor moved after an empty send.
    const hook = await t.create({ url: 'https://hooks.example/late' });
    await t.register('late-value');
    expect(t.sent.map((m) => m.webhook)).toEqual([hook.id]);
  });

  it('without a subscription a registration settles the outbox in its own commit: the cursor past its event, no drain after it', async () => {
    const counts = newD1Counts();
    const q = fakeQueue();
    const call = fetchWith({
      REGISTRY_ADMIN_KEY: 'root',
      REGISTRY_ADMIN_SECRET: 'bootstrap-secret',
      WEBHOOKS: q.queue,
      DB: countedD1(env.DB, counts),
    });
    const schema = JSON.stringify({ type: 'record', name: 'Settled', fields: [{ name: 'a', type: 'string' }] });
    // The isolate knows the registry generation (kept 5 s), as a serving one does: not counted below.
    const uncounted = fetchWith({ REGISTRY_ADMIN_KEY: 'root', REGISTRY_ADMIN_SECRET: 'bootstrap-secret' });
    expect((await uncounted('GET', '/subjects/settled-value/versions', undefined, ROOT)).status).toBe(404);
    expect((await call('POST', '/subjects/settled-value/versions', { schema }, ROOT)).status).toBe(200);
    const seq = (await env.DB.prepare(`SELECT MAX(seq) AS s FROM events`).first<{ s: number }>())?.s;
    expect(await readCursor(env.DB)).toBe(seq);
    // The Worker read only for the idempotency pre-check (one batch): no drain (its read would add a round trip).
    expect({ statements: counts.statements, roundTrips: roundTrips(counts) }).toEqual({ statements: 3, roundTrips: 1 });
    expect(q.sent).toEqual([]);
    // With a subscription the write is drained after its answer, as before.
    const t = setup();
    const hook = await t.create({ url: 'https://hooks.example/after' });
    await t.register('after-value');
    expect(t.sent.map((m) => m.webhook)).toEqual([hook.id]);
  });

  it('POSTs the event signed (Standard Webhooks), no redirects, and records the delivery on a 2xx', async () => {
    const t = setup();
    const w = await t.create({ url: 'https://hooks.example/in' });
    await t.register('signed-value');
    const [message] = t.sent;
    const seen: { url: string; init: RequestInit }[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation((url, init) => {
      seen.push({ url: url instanceof Request ? url.url : url.toString(), init: init! });
      return Promise.resolve(new Response(null, { status: 204 }));
    });
    const result = await consume('llm-schema-registry-webhooks', [message]);
    expect(result.explicitAcks).toEqual(['m0']);
    expect(result.retryMessages).toEqual([]);
    expect(seen).toHaveLength(1);
    const headers = seen[0].init.headers as Record<string, string>;
    const body = seen[0].init.body as string;
    expect(seen[0].url).toBe('https://hooks.example/in');
    expect(seen[0].init.redirect).toBe('manual');
    expect(headers['webhook-id']).toBe(messageId(generation, message.seq, w.id));
    expect(await verifyWebhook(w.secret, headers, body)).toBe(true);
    expect(JSON.parse(body)).toMatchObject({ seq: message.seq, generation, type: 'register', context: '.', subject: 'signed-value' });
    expect(headers['webhook-id']).toBe(`evt_${generation}_${message.seq}_${w.id}`);
    const deliveries = await t.call('GET', `/v1/admin/webhooks/${w.id}/deliveries`, undefined, ROOT);
    expect(deliveries.status).toBe(200);
    expect(deliveries.body).toEqual([{ seq: message.seq, attempt: 1, at: expect.any(String), status: 204, outcome: 'delivered' }]);
    expect(JSON.stringify(deliveries.body)).not.toContain('whsec_');
  });

  it('retries a non-2xx or a failed fetch with exponential backoff, and records each attempt; the DLQ records a dead letter', async () => {
    const t = setup();
    const w = await t.create({ url: 'https://hooks.example/down' });
    await t.register('retry-value');
    const [message] = t.sent;
    vi.spyOn(globalThis, 'fetch')
      .mockResolvedValueOnce(new Response('busy', { status: 503 }))
      .mockRejectedValueOnce(new Error('connection refused'));
    const first = await consume('llm-schema-registry-webhooks', [message], 1);
    expect(first.explicitAcks).toEqual([]);
    expect(first.retryMessages).toMatchObject([{ msgId: 'm0' }]);
    expect(first.delays).toEqual([backoffSeconds(1)]);
    const third = await consume('llm-schema-registry-webhooks', [message], 3);
    expect(third.retryMessages).toMatchObject([{ msgId: 'm0' }]);
    expect(third.delays).toEqual([backoffSeconds(3)]);
    expect([backoffSeconds(1), backoffSeconds(3), backoffSeconds(20)]).toEqual([10, 40, 3600]);
    const dead = await consume('llm-schema-registry-webhooks-dlq', [message], 9);
    expect(dead.explicitAcks).toEqual(['m0']);
    const deliveries = (await t.call('GET', `/v1/admin/webhooks/${w.id}/deliveries`, undefined, ROOT)).body as object[];
    expect(deliveries).toEqual([
      { seq: message.seq, attempt: 9, at: expect.any(String), outcome: 'dead', error: expect.stringContaining('dead-lettered') },
      { seq: message.seq, attempt: 3, at: expect.any(String), outcome: 'retry', error: expect.stringContaining('connection refused') },
      { seq: message.seq, attempt: 1, at: expect.any(String), status: 503, outcome: 'retry', error: 'HTTP 503: busy' },
    ]);
  });

  it("quotes the start of a refusing endpoint's answer and reads no more of it", async () => {
    const t = setup();
    const w = await t.create({ url: 'https://hooks.example/chatty' });
    await t.register('chatty-value');
    const [message] = t.sent;
    // An error answer that never ends (64 KiB chunks): the consumer quotes 200 characters of it.
    const chunk = new TextEncoder().encode('overloaded; '.repeat(5461));
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    vi.spyOn(globalThis, 'fetch').mockResolvedValueOnce(new Response(endless, { status: 500 }));
    const r = await consume('llm-schema-registry-webhooks', [message], 1);
    expect(r.retryMessages).toMatchObject([{ msgId: 'm0' }]);
    const deliveries = (await t.call('GET', `/v1/admin/webhooks/${w.id}/deliveries`, undefined, ROOT)).body as object[];
    expect(deliveries).toEqual([
      {
        seq: message.seq,
        attempt: 1,
        at: expect.any(String),
        status: 500,
        outcome: 'retry',
        error: `HTTP 500: ${'overloaded; '.repeat(17).slice(0, 200)}`,
      },
    ]);
    expect(pulled).toBeLessThanOrEqual(2 * chunk.byteLength);
  });

  it("acks and drops a deleted subscription's message without a request; deliveries is admin-only and 404 for unknown ids", async () => {
    const t = setup();
    const w = await t.create({ url: 'https://hooks.example/gone' });
    await t.register('gone-value');
    const [message] = t.sent;
    expect((await t.call('DELETE', `/v1/admin/webhooks/${w.id}`, undefined, ROOT)).status).toBe(200);
    const spy = vi.spyOn(globalThis, 'fetch');
    const result = await consume('llm-schema-registry-webhooks', [message]);
    expect(result.explicitAcks).toEqual(['m0']);
    expect(spy).not.toHaveBeenCalled();
    expect((await t.call('GET', `/v1/admin/webhooks/${w.id}/deliveries`, undefined, ROOT)).status).toBe(404);
    expect((await t.call('GET', `/v1/admin/webhooks/${w.id}/deliveries`)).status).toBe(401);
  });

  it('drops a message queued before a restore began another history (its seq now names another event), and ids the new one apart', async () => {
    const t = setup();
    const w = await t.create({ url: 'https://hooks.example/h' });
    await t.register('old-value');
    const [old] = t.sent;
    expect(old).toEqual({ webhook: w.id, seq: old.seq, generation });
    // The Time Travel procedure: D1 taken back to before old-value, then the generation advanced.
    await env.DB.prepare(`DELETE FROM events WHERE seq >= ?1`).bind(old.seq).run();
    await env.DB.prepare(`UPDATE sqlite_sequence SET seq = ?1 WHERE name = 'events'`)
      .bind(old.seq - 1)
      .run();
    await env.DB.prepare(`UPDATE registry_meta SET value = ?1 WHERE name = 'webhook_cursor'`)
      .bind(old.seq - 1)
      .run();
    expect((await t.call('POST', '/v1/admin/generation', {}, ROOT)).status).toBe(200);
    t.sent.length = 0;
    await t.register('new-value'); // handed the same seq, in the new generation
    const [fresh] = t.sent;
    expect(fresh.seq).toBe(old.seq);
    expect(fresh.generation).toBeGreaterThan(generation);

    const seen: { headers: Record<string, string>; body: string }[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation((_url, init) => {
      seen.push({ headers: init!.headers as Record<string, string>, body: init!.body as string });
      return Promise.resolve(new Response(null, { status: 204 }));
    });
    const result = await consume('llm-schema-registry-webhooks', [old, fresh]);
    expect(result.explicitAcks).toEqual(['m0', 'm1']);
    // Only the new event is POSTed, under an id the old one never had.
    expect(seen.map((s) => (JSON.parse(s.body) as { subject: string }).subject)).toEqual(['new-value']);
    expect(seen[0].headers['webhook-id']).toBe(messageId(fresh.generation!, fresh.seq, w.id));
    expect(seen[0].headers['webhook-id']).not.toBe(messageId(generation, old.seq, w.id));
    const deliveries = (await t.call('GET', `/v1/admin/webhooks/${w.id}/deliveries`, undefined, ROOT)).body as object[];
    expect(deliveries).toContainEqual({
      seq: old.seq,
      attempt: 1,
      at: expect.any(String),
      outcome: 'dropped',
      error: `event from before a restore (generation ${generation}, now ${fresh.generation})`,
    });
  });
});

describe('redelivery (POST /v1/admin/webhooks/{id}/redeliver)', () => {
  it('sends a dead-lettered event again: it arrives signed with the same webhook-id', async () => {
    const t = setup();
    const w = await t.create({ url: 'http://127.0.0.1:8787/hook' });
    await t.register('replay-value');
    const [message] = t.sent;
    // The receiver is down: every attempt fails, the message ends in the dead-letter queue.
    const received: { headers: Record<string, string>; body: string }[] = [];
    let up = false;
    vi.spyOn(globalThis, 'fetch').mockImplementation((_url, init) => {
      received.push({ headers: init!.headers as Record<string, string>, body: init!.body as string });
      return Promise.resolve(up ? new Response(null, { status: 200 }) : new Response('down', { status: 502 }));
    });
    expect((await consume('llm-schema-registry-webhooks', [message], 1)).retryMessages).toHaveLength(1);
    expect((await consume('llm-schema-registry-webhooks-dlq', [message], 9)).explicitAcks).toEqual(['m0']);
    const dead = (await t.call('GET', `/v1/admin/webhooks/${w.id}/deliveries`, undefined, ROOT)).body as { seq: number; outcome: string }[];
    expect(dead[0]).toMatchObject({ seq: message.seq, outcome: 'dead' });

    // The receiver is fixed; the operator resends what the deliveries listing shows dead.
    up = true;
    t.sent.length = 0;
    const r = await t.call('POST', `/v1/admin/webhooks/${w.id}/redeliver`, { seqs: [dead[0].seq] }, ROOT);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body).toEqual({ enqueued: 1, skipped: [] });
    expect(t.sent).toEqual([message]); // the message the drain sent: same (subscription, event)
    const again = await consume('llm-schema-registry-webhooks', t.sent);
    expect(again.explicitAcks).toEqual(['m0']);
    const [first, replayed] = [received[0], received.at(-1)!];
    expect(replayed.headers['webhook-id']).toBe(messageId(generation, message.seq, w.id));
    expect(replayed.headers['webhook-id']).toBe(first.headers['webhook-id']); // the receiver's dedupe key
    expect(replayed.body).toBe(first.body);
    expect(await verifyWebhook(w.secret, replayed.headers, replayed.body)).toBe(true);
    const after = (await t.call('GET', `/v1/admin/webhooks/${w.id}/deliveries`, undefined, ROOT)).body as object[];
    expect(after[0]).toEqual({ seq: message.seq, attempt: 1, at: expect.any(String), status: 200, outcome: 'delivered' });
    // Audited as an admin action; the drain's cursor did not move back.
    const audit = await env.DB.prepare(`SELECT action, result FROM audit_log WHERE action LIKE '%redeliver%'`).all();
    expect(audit.results).toEqual([{ action: 'POST /v1/admin/webhooks/:id/redeliver', result: '202' }]);
    expect(await readCursor(env.DB)).toBe(message.seq);
  });

  it("replays the events after a seq in bounded pages, through the subscription's filters; chosen seqs report what was skipped", async () => {
    const t = setup();
    const w = await t.create({ url: 'https://hooks.example/p', subjectPrefix: 'payments-' });
    await t.register('payments-a');
    await t.register('users-b');
    await t.register('payments-c');
    const seqs = (await env.DB.prepare(`SELECT seq FROM events ORDER BY seq`).all<{ seq: number }>()).results.map((e) => e.seq);
    expect(seqs).toHaveLength(3);
    t.sent.length = 0;
    const redeliver = (body: unknown) => t.call('POST', `/v1/admin/webhooks/${w.id}/redeliver`, body, ROOT);

    const page1 = await redeliver({ after: 0, limit: 2 });
    expect(page1.status).toBe(202);
    expect(page1.body).toEqual({ enqueued: 1, next: seqs[1] }); // users-b looked at, not taken
    const page2 = await redeliver({ after: page1.body.next, limit: 2 });
    expect(page2.body).toEqual({ enqueued: 1 }); // the newest event reached: no next
    expect(t.sent).toEqual([
      { webhook: w.id, seq: seqs[0], generation },
      { webhook: w.id, seq: seqs[2], generation },
    ]);
    expect((await redeliver({ after: seqs[2] })).body).toEqual({ enqueued: 0 });

    t.sent.length = 0;
    const chosen = await redeliver({ seqs: [seqs[2], seqs[1], 999, seqs[2]] });
    expect(chosen.body).toEqual({ enqueued: 1, skipped: [seqs[1], 999] }); // filtered out; never held
    expect(t.sent).toEqual([{ webhook: w.id, seq: seqs[2], generation }]);
  });

  it('404 for an unknown subscription, 422 for a body it cannot read, 403 below a registry-wide admin', async () => {
    const t = setup();
    const w = await t.create({ url: 'https://hooks.example/e' });
    for (const id of ['wh_000000000000000000000000', 'nope']) {
      const r = await t.call('POST', `/v1/admin/webhooks/${id}/redeliver`, { after: 0 }, ROOT);
      expect(r.status, id).toBe(404);
      expect(r.body.error_code).toBe(404);
    }
    expect((await t.call('POST', `/v1/admin/webhooks/${w.id}/redeliver`, undefined, ROOT)).status).toBe(400); // no body: as every JSON route
    for (const body of [
      {},
      { after: -1 },
      { after: 1.5 },
      { after: 0, limit: 0 },
      { after: 0, limit: 1001 },
      { seqs: [] },
      { seqs: [0] },
      { seqs: Array.from({ length: 1001 }, (_, i) => i + 1) },
      { after: 0, seqs: [1] },
      { since: '2026-01-01T00:00:00Z' },
    ]) {
      const r = await t.call('POST', `/v1/admin/webhooks/${w.id}/redeliver`, body, ROOT);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.body.error_code).toBe(422);
    }
    const key = (await t.call('POST', '/v1/admin/keys', { name: 'ctx-admin', grants: ['admin@.orders'] }, ROOT)).body;
    const r = await t.call('POST', `/v1/admin/webhooks/${w.id}/redeliver`, { after: 0 }, basic(key.key, key.secret));
    expect(r.status).toBe(403);
    expect((await t.call('POST', `/v1/admin/webhooks/${w.id}/redeliver`, { after: 0 })).status).toBe(401);
    expect(t.sent).toEqual([]);
  });
});

describe('the cron backstop (scheduled)', () => {
  /** The daily cron trigger of wrangler.toml, as the platform invokes it, with this queue bound. */
  async function cron(queue: Queue<DeliveryMessage>) {
    const ctx = createExecutionContext();
    worker.scheduled(createScheduledController({ cron: '17 3 * * *', scheduledTime: Date.now() }), { ...env, WEBHOOKS: queue }, ctx);
    await waitOnExecutionContext(ctx);
  }

  it('drains what the drains after writes left: a failed send, writes with no drain, more than one page', async () => {
    const t = setup();
    const w = await t.create({ url: 'https://hooks.example/cron' });
    // The drain after this write fails (the queue refuses the send): the commit stands, nothing is sent.
    let refused = 0;
    const refuse = () => {
      refused++;
      return Promise.reject(new Error('queue unavailable'));
    };
    const refusing = { sendBatch: refuse, send: refuse } as unknown as Queue;
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const failing = fetchWith({ REGISTRY_ADMIN_KEY: 'root', REGISTRY_ADMIN_SECRET: 'bootstrap-secret', WEBHOOKS: refusing });
    const schema = JSON.stringify({ type: 'record', name: 'Cron', fields: [{ name: 'a', type: 'string' }] });
    expect((await failing('POST', '/subjects/cron-a/versions', { schema }, ROOT)).status).toBe(200);
    expect(refused).toBe(1);
    // A write whose request drains nothing (no queue bound to it, as an RPC write), and 150 events more.
    const skipping = fetchWith({ REGISTRY_ADMIN_KEY: 'root', REGISTRY_ADMIN_SECRET: 'bootstrap-secret', WEBHOOKS: undefined });
    expect((await skipping('POST', '/subjects/cron-b/versions', { schema }, ROOT)).status).toBe(200);
    for (let i = 0; i < 150; i++)
      await env.DB.prepare(`INSERT INTO events (at, type, context, subject, actor) VALUES (?1, 'register', '.', 'x', 't')`)
        .bind(new Date().toISOString())
        .run();
    const seqs = (await env.DB.prepare(`SELECT seq FROM events ORDER BY seq`).all<{ seq: number }>()).results.map((e) => e.seq);
    expect(seqs).toHaveLength(152);
    expect(t.sent).toEqual([]);
    expect(await readCursor(env.DB)).toBe(0);

    const q = fakeQueue();
    await cron(q.queue);
    expect(q.sent).toEqual(seqs.map((seq) => ({ webhook: w.id, seq, generation })));
    expect(Math.max(...q.batches)).toBeLessThanOrEqual(100);
    expect(await readCursor(env.DB)).toBe(seqs.at(-1));

    // What the cron enqueued is delivered as any message: the first write's event, signed.
    const seen: { headers: Record<string, string>; body: string }[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation((_url, init) => {
      seen.push({ headers: init!.headers as Record<string, string>, body: init!.body as string });
      return Promise.resolve(new Response(null, { status: 204 }));
    });
    expect((await consume('llm-schema-registry-webhooks', q.sent.slice(0, 2))).explicitAcks).toEqual(['m0', 'm1']);
    expect(seen.map((s) => JSON.parse(s.body) as { subject: string }).map((e) => e.subject)).toEqual(['cron-a', 'cron-b']);
    expect(seen[0].headers['webhook-id']).toBe(messageId(generation, seqs[0], w.id));
    expect(await verifyWebhook(w.secret, seen[0].headers, seen[0].body)).toBe(true);

    // The next cron finds nothing left.
    const again = fakeQueue();
    await cron(again.queue);
    expect(again.sent).toEqual([]);
  });
});
