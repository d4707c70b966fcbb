/**
 * Webhook delivery state (docs/events.md#delivery): the outbox cursor (registry_meta row
 * `webhook_cursor`: the last event seq enqueued) and the delivery attempts (table
 * `webhook_deliveries`, the newest KEEP per subscription).
 */
import { type EventRow, eventsAfterCursorStatement, type InHistory } from './events';
import { generationOf, generationStatement } from './registry-meta';
import { listWebhooksStatement, type Webhook, webhooksOf } from './webhooks';

type Db = Pick<D1Database, 'prepare' | 'batch'>;

const CURSOR = 'webhook_cursor';

/** Attempts kept per subscription: each insert removes the older ones. */
const KEEP_DELIVERIES = 50;

/** Error text kept per attempt, at most. */
const ERROR_CHARS = 300;

export type DeliveryOutcome = 'delivered' | 'retry' | 'dead' | 'dropped';

export interface DeliveryRow {
  seq: number;
  attempt: number;
  at: string;
  status?: number;
  outcome: DeliveryOutcome;
  error?: string;
}

export async function readCursor(db: Db): Promise<number> {
  const r = await cursorStatement(db).first<{ value: number }>();
  return r?.value ?? 0;
}

function cursorStatement(db: Db): D1PreparedStatement {
  return db.prepare(`SELECT value FROM registry_meta WHERE name = ?1`).bind(CURSOR);
}

/**
 * What one drain page reads, in one round trip (one batch: one snapshot): the cursor, up to `limit`
 * events after it, the generation they belong to (storage/events.ts InHistory) and the
 * subscriptions. It was four round trips: the cursor, then the events with the generation, then
 * the subscriptions. When no subscription exists the page goes to no one, so the same batch (one
 * transaction) also moves the cursor past it (`skipped`): what sending nothing and then moving the
 * cursor did, without a second round trip; with a subscription the cursor moves only after the
 * messages are sent (advanceCursor), so an event is never skipped unsent.
 */
export async function readOutbox(
  db: Db,
  limit: number,
): Promise<{ from: number; events: EventRow[]; webhooks: Webhook[]; skipped: boolean } & InHistory> {
  const [cursor, page, generation, webhooks, skip] = await db.batch([
    cursorStatement(db),
    eventsAfterCursorStatement(db, CURSOR, limit),
    generationStatement(db),
    listWebhooksStatement(db),
    db
      .prepare(
        `INSERT INTO registry_meta (name, value)
         SELECT ?1, last FROM (SELECT MAX(seq) AS last FROM (SELECT seq FROM events
           WHERE seq > COALESCE((SELECT value FROM registry_meta WHERE name = ?1), 0) ORDER BY seq LIMIT ?2))
         WHERE last IS NOT NULL AND NOT EXISTS (SELECT 1 FROM webhooks)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
      )
      .bind(CURSOR, limit),
  ]);
  return {
    from: (cursor.results[0] as { value: number } | undefined)?.value ?? 0,
    events: page.results as EventRow[],
    generation: generationOf(generation),
    webhooks: webhooksOf(webhooks),
    skipped: skip.meta.changes > 0,
  };
}

/**
 * For a writer's commit batch (durable/group-commit.ts), after the commit's own events: when no
 * subscription exists, move the cursor past every event (what the drain after the write would do,
 * there being no one to send them to), in the commit's transaction; and say whether a subscription
 * exists (`subscribedOf`: only then does the Worker drain after the write).
 */
export function outboxAfterCommitStatements(db: Pick<D1Database, 'prepare'>): [D1PreparedStatement, D1PreparedStatement] {
  return [
    db
      .prepare(
        `INSERT INTO registry_meta (name, value)
         SELECT ?1, last FROM (SELECT MAX(seq) AS last FROM events WHERE seq > COALESCE((SELECT value FROM registry_meta WHERE name = ?1), 0))
         WHERE last IS NOT NULL AND NOT EXISTS (SELECT 1 FROM webhooks)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
      )
      .bind(CURSOR),
    db.prepare(`SELECT EXISTS (SELECT 1 FROM webhooks) AS subscribed`),
  ];
}

export function subscribedOf(result: D1Result): boolean {
  return (result.results[0] as { subscribed: number } | undefined)?.subscribed === 1;
}

/**
 * Moves the cursor from `from` to `to`, only if it still says `from` (or is absent and `from` is 0):
 * of two drains that read the same cursor, one advances it; the other's messages are duplicates.
 * True when this call moved it.
 */
export async function advanceCursor(db: Db, from: number, to: number): Promise<boolean> {
  const r = await db
    .prepare(
      `INSERT INTO registry_meta (name, value) VALUES (?1, ?3)
       ON CONFLICT (name) DO UPDATE SET value = ?3 WHERE registry_meta.value = ?2`,
    )
    .bind(CURSOR, from, to)
    .run();
  return r.meta.changes > 0;
}

export async function recordDelivery(
  db: Db,
  d: { webhookId: string; seq: number; attempt: number; status: number | null; outcome: DeliveryOutcome; error: string | null },
): Promise<void> {
  await db.batch([
    db
      .prepare(`INSERT INTO webhook_deliveries (webhook_id, seq, attempt, at, status, outcome, error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`)
      .bind(d.webhookId, d.seq, d.attempt, Date.now(), d.status, d.outcome, d.error === null ? null : d.error.slice(0, ERROR_CHARS)),
    db
      .prepare(
        `DELETE FROM webhook_deliveries WHERE webhook_id = ?1 AND id <= (
           SELECT id FROM webhook_deliveries WHERE webhook_id = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)`,
      )
      .bind(d.webhookId, KEEP_DELIVERIES),
  ]);
}

interface Raw {
  seq: number;
  attempt: number;
  at: number;
  status: number | null;
  outcome: DeliveryOutcome;
  error: string | null;
}

/** The newest attempts of one subscription, newest first. */
export async function listDeliveries(db: Pick<D1Database, 'prepare'>, webhookId: string): Promise<DeliveryRow[]> {
  const { results } = await db
    .prepare(`SELECT seq, attempt, at, status, outcome, error FROM webhook_deliveries WHERE webhook_id = ?1 ORDER BY id DESC LIMIT ?2`)
    .bind(webhookId, KEEP_DELIVERIES)
    .all<Raw>();
  return results.map((r) => ({
    seq: r.seq,
    attempt: r.attempt,
    at: new Date(r.at).toISOString(),
    ...(r.status !== null ? { status: r.status } : {}),
    outcome: r.outcome,
    ...(r.error !== null ? { error: r.error } : {}),
  }));
}

export function deleteDeliveriesStatement(db: Pick<D1Database, 'prepare'>, webhookId: string): D1PreparedStatement {
  return db.prepare(`DELETE FROM webhook_deliveries WHERE webhook_id = ?1`).bind(webhookId);
}
