/**
 * Webhook delivery (docs/events.md#delivery): the outbox drain and the queue consumers.
 *
 * Drain: read the events after the cursor (registry_meta `webhook_cursor`) in a bounded page,
 * match each to the subscriptions (filters), send one queue message per (subscription, event)
 * (sendBatch, at most 100 a call), then advance the cursor, conditionally on it still holding what
 * this drain read. Two drains at once (a write's waitUntil and the cron, two isolates) both send;
 * only one advances; the other stops. Messages are sent before the cursor moves, so a drain that
 * dies in between leaves the events to be sent again: at-least-once, duplicates (same webhook-id)
 * allowed, loss not.
 *
 * Consumer: load the subscription (gone: ack and drop) and the event, POST the event JSON with the
 * Standard Webhooks headers, 10 s timeout, redirects not followed; 2xx acks; anything else retries
 * with exponential backoff; after max_retries (wrangler.toml) the platform moves the message to the
 * dead-letter queue, whose consumer records it as a final failed delivery.
 *
 * Redelivery (POST /v1/admin/webhooks/{id}/redeliver): chosen events sent again to one
 * subscription, through the same matching and sending as the drain (the cursor untouched), so a
 * replay carries the same webhook-id as the first delivery.
 */
import { webhookHeaders } from '../domain/webhook-signature';
import { eventBySeq, eventsAfterSeq, eventsBySeqs, type EventRow } from '../storage/events';
import { findWebhookRow, type Webhook } from '../storage/webhooks';
import { advanceCursor, readOutbox, recordDelivery } from '../storage/webhook-deliveries';
import { readPrefix } from './bounded-body';
import { present } from './events';
import { webhookDetail } from './webhooks';

type Db = Pick<D1Database, 'prepare' | 'batch'>;

export interface DeliveryMessage {
  webhook: string;
  seq: number;
  /**
   * The generation the seq was read in (storage/events.ts InHistory). A restore between sending and
   * delivering starts another history, where this seq names another event or none: such a message
   * is dropped, not delivered as whatever now holds the seq. Absent in messages queued before it
   * existed (delivered as read).
   */
  generation?: number;
}

/** Events read per drain page. */
const DRAIN_PAGE = 100;
/** Messages per sendBatch call (the platform's limit). */
const SEND_BATCH = 100;
/** A receiver answers within this, or the attempt failed. */
const DELIVERY_TIMEOUT_MS = 10_000;
/** How much of a refusing endpoint's answer is read to quote in the delivery log (its first 200 characters). */
const ERROR_QUOTE_BYTES = 1024;
/** Backoff: BASE · 2^(attempt−1) seconds, at most MAX. */
const BACKOFF_BASE_SECONDS = 10;
const BACKOFF_MAX_SECONDS = 3600;

export function backoffSeconds(attempt: number): number {
  return Math.min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** Math.max(0, attempt - 1));
}

/**
 * The Standard Webhooks message id of one (event, subscription): the same on every retry, redrain
 * and redelivery; with the generation, so the seqs a restore hands out again are new ids to a
 * receiver that dedupes on it.
 */
export function messageId(generation: number, seq: number, webhook: string): string {
  return `evt_${generation}_${seq}_${webhook}`;
}

/**
 * Whether a subscription's filters take an event. A restore (registry-wide: it replaced every
 * context) goes to every subscription its types take; a KEK's event (registry-wide too, but about
 * no context nor subject) only to those without a context or subject prefix filter.
 */
function matches(w: Webhook, e: Pick<EventRow, 'type' | 'context' | 'subject'>): boolean {
  if (w.types && !w.types.includes(e.type)) return false;
  if (e.type === 'restore') return true;
  if (w.context !== undefined && w.context !== e.context) return false;
  if (w.subjectPrefix !== undefined && (e.subject === null || !e.subject.startsWith(w.subjectPrefix))) return false;
  return true;
}

/**
 * Sends one message per (subscription, event) the subscription's filters take, `sendBatch` at
 * most SEND_BATCH a call; answers what was sent. The drain and a redelivery both send through here.
 */
async function enqueue(queue: Queue<DeliveryMessage>, read: { events: EventRow[]; generation: number }, subs: Webhook[]): Promise<DeliveryMessage[]> {
  const { events, generation } = read;
  const bodies = events.flatMap((e) => subs.filter((w) => matches(w, e)).map((w) => ({ webhook: w.id, seq: e.seq, generation })));
  for (let i = 0; i < bodies.length; i += SEND_BATCH) await queue.sendBatch(bodies.slice(i, i + SEND_BATCH).map((body) => ({ body })));
  return bodies;
}

/**
 * One drain page: what it sent and whether more may follow. Stops (more: false) when another
 * drain moved the cursor first.
 */
async function drainPage(db: Db, queue: Queue<DeliveryMessage>): Promise<{ sent: number; more: boolean }> {
  const { from, webhooks, skipped, ...read } = await readOutbox(db, DRAIN_PAGE);
  const { events } = read;
  if (events.length === 0) return { sent: 0, more: false };
  // No subscription: the read's batch moved the cursor past the page already.
  if (skipped) return { sent: 0, more: events.length === DRAIN_PAGE };
  const sent = await enqueue(queue, read, webhooks);
  const moved = await advanceCursor(db, from, events[events.length - 1].seq);
  return { sent: sent.length, more: moved && events.length === DRAIN_PAGE };
}

/** Drains up to `pages` pages (bounded work per call; the cron catches up on the rest). */
export async function drainOutbox(db: Db, queue: Queue<DeliveryMessage>, pages = 10): Promise<number> {
  let sent = 0;
  for (let i = 0; i < pages; i++) {
    const page = await drainPage(db, queue);
    sent += page.sent;
    if (!page.more) break;
  }
  return sent;
}

/** Events a redelivery looks at per call, at most, and by default. */
export const REDELIVER_MAX = 1000;
export const REDELIVER_DEFAULT = 100;

/** Which events to send again: those after a seq (a page of `limit`), or these seqs. */
export type Redelivery = { after: number; limit?: number } | { seqs: number[] };

export interface Redelivered {
  enqueued: number;
  /** `after` a full page: where to continue (the last event looked at). */
  next?: number;
  /** `seqs`: those not sent (no longer held, or not taken by the subscription's filters). */
  skipped?: number[];
}

/**
 * Sends events again to one subscription (404 for an unknown one), filtered by its filters, to the
 * queue the drain sends to: the consumer delivers them as it delivered the first time, with the same
 * webhook-id (receivers that already handled one drop it). The drain's cursor is not touched.
 */
export async function redeliver(db: Db, queue: Queue<DeliveryMessage>, id: string, what: Redelivery): Promise<Redelivered> {
  const sub = await webhookDetail(db, id);
  if ('seqs' in what) {
    const sent = await enqueue(queue, await eventsBySeqs(db, what.seqs), [sub]);
    const done = new Set(sent.map((m) => m.seq));
    return { enqueued: sent.length, skipped: [...new Set(what.seqs)].filter((s) => !done.has(s)).sort((a, b) => a - b) };
  }
  const limit = Math.min(what.limit ?? REDELIVER_DEFAULT, REDELIVER_MAX);
  const read = await eventsAfterSeq(db, what.after, limit);
  const sent = await enqueue(queue, read, [sub]);
  const { events } = read;
  return { enqueued: sent.length, ...(events.length === limit ? { next: events[limit - 1].seq } : {}) };
}

async function attempt(db: Db, m: Message<DeliveryMessage>, fetcher: typeof fetch): Promise<void> {
  const { webhook, seq } = m.body;
  const sub = await findWebhookRow(db, webhook);
  if (!sub) {
    m.ack(); // deleted: nothing to deliver to, nothing to record against
    return;
  }
  const { event, generation } = await eventBySeq(db, seq);
  const gone =
    m.body.generation !== undefined && m.body.generation !== generation
      ? `event from before a restore (generation ${m.body.generation}, now ${generation})`
      : event === null
        ? 'event no longer held (retention)'
        : null;
  if (gone !== null || event === null) {
    await recordDelivery(db, { webhookId: webhook, seq, attempt: m.attempts, status: null, outcome: 'dropped', error: gone });
    m.ack();
    return;
  }
  // The event as GET /v1/events answers it, with the history it belongs to.
  const body = JSON.stringify({ ...present(event), generation });
  const headers = await webhookHeaders(sub.secret, messageId(generation, seq, webhook), Math.floor(Date.now() / 1000), body);
  let status: number | null = null;
  let error: string | null = null;
  try {
    const r = await fetcher(sub.url, {
      method: 'POST',
      body,
      headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'llm-schema-registry-webhooks' },
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    status = r.status;
    // Quoted, not parsed: the first ERROR_QUOTE_BYTES of the answer, the rest never read (an endpoint
    // that streams without end costs this consumer nothing more).
    if (r.status < 200 || r.status >= 300) error = `HTTP ${r.status}: ${(await readPrefix(r.body, ERROR_QUOTE_BYTES).catch(() => '')).slice(0, 200)}`;
    else await r.body?.cancel();
  } catch (e) {
    error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  if (error === null) {
    await recordDelivery(db, { webhookId: webhook, seq, attempt: m.attempts, status, outcome: 'delivered', error: null });
    m.ack();
  } else {
    await recordDelivery(db, { webhookId: webhook, seq, attempt: m.attempts, status, outcome: 'retry', error });
    m.retry({ delaySeconds: backoffSeconds(m.attempts) });
  }
}

/** The consumer of the webhooks queue. */
export async function deliverBatch(db: Db, batch: MessageBatch<DeliveryMessage>, fetcher: typeof fetch = fetch): Promise<void> {
  for (const m of batch.messages) {
    try {
      await attempt(db, m, fetcher);
    } catch (e) {
      console.log(JSON.stringify({ level: 'warn', event: 'webhook-delivery', error: String(e) }));
      m.retry({ delaySeconds: backoffSeconds(m.attempts) });
    }
  }
}

/** The consumer of the dead-letter queue: a final failed delivery, then acked. */
export async function recordDeadLetters(db: Db, batch: MessageBatch<DeliveryMessage>): Promise<void> {
  for (const m of batch.messages) {
    const { webhook, seq } = m.body;
    if (await findWebhookRow(db, webhook)) {
      await recordDelivery(db, {
        webhookId: webhook,
        seq,
        attempt: m.attempts,
        status: null,
        outcome: 'dead',
        error: 'retries exhausted: dead-lettered',
      });
    }
    m.ack();
  }
}

/**
 * After a request that committed a write: drain the outbox off the answer's path (waitUntil).
 * Chosen over draining inside the writer Durable Object: writes commit in one writer per context,
 * so a single serializing object would cost every write an extra hop; the conditional cursor makes
 * concurrent drains safe instead. Writes that never pass here (RPC) are sent by the next write's
 * drain or the daily cron. Without a WEBHOOKS binding nothing is drained.
 */
export function drainAfterCommit(env: { DB: D1Database; WEBHOOKS?: Queue }, waitUntil: (p: Promise<unknown>) => void): void {
  const queue = env.WEBHOOKS;
  if (!queue) return;
  waitUntil(
    drainOutbox(env.DB.withSession('first-primary'), queue as Queue<DeliveryMessage>).catch((e: unknown) => {
      console.log(JSON.stringify({ level: 'warn', event: 'webhook-drain', error: String(e) }));
    }),
  );
}
