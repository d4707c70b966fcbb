/**
 * Webhook subscriptions (table `webhooks`): statements and reads. Written only by the registry-wide
 * writer (durable/registry-writes.ts), in a batch with its audit row. The secret leaves this module
 * only for the answer that creates the subscription (`Webhook` never holds it).
 */
import { randomHexId } from '../domain/hex';
import type { EventType } from './events';

type Db = Pick<D1Database, 'prepare'>;

export interface Webhook {
  id: string;
  url: string;
  context?: string;
  subjectPrefix?: string;
  types?: EventType[];
  createdAt: string;
}

export interface WebhookRow extends Webhook {
  secret: string;
}

interface Raw {
  id: string;
  url: string;
  context: string | null;
  subject_prefix: string | null;
  types: string | null;
  secret: string;
  created_at: number;
}

const ID_RE = /^wh_[0-9a-f]{24}$/;

export const isWebhookId = (s: string): boolean => ID_RE.test(s);

export function newWebhookId(): string {
  return `wh_${randomHexId(12)}`;
}

function present(r: Raw): Webhook {
  return {
    id: r.id,
    url: r.url,
    ...(r.context !== null ? { context: r.context } : {}),
    ...(r.subject_prefix !== null ? { subjectPrefix: r.subject_prefix } : {}),
    ...(r.types !== null ? { types: JSON.parse(r.types) as EventType[] } : {}),
    createdAt: new Date(r.created_at * 1000).toISOString(),
  };
}

export function insertWebhook(db: Db, w: Omit<WebhookRow, 'createdAt'>, createdAt: number): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO webhooks (id, url, context, subject_prefix, types, secret, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`)
    .bind(w.id, w.url, w.context ?? null, w.subjectPrefix ?? null, w.types ? JSON.stringify(w.types) : null, w.secret, createdAt);
}

export function deleteWebhookStatement(db: Db, id: string): D1PreparedStatement {
  return db.prepare(`DELETE FROM webhooks WHERE id = ?1`).bind(id);
}

export async function findWebhook(db: Db, id: string): Promise<Webhook | null> {
  const r = await db.prepare(`SELECT * FROM webhooks WHERE id = ?1`).bind(id).first<Raw>();
  return r ? present(r) : null;
}

export async function listWebhooks(db: Db): Promise<Webhook[]> {
  const { results } = await listWebhooksStatement(db).all<Raw>();
  return results.map(present);
}

/** listWebhooks as a statement for a batch, and its rows read. */
export function listWebhooksStatement(db: Db): D1PreparedStatement {
  return db.prepare(`SELECT * FROM webhooks ORDER BY created_at, rowid`);
}

export function webhooksOf(result: D1Result): Webhook[] {
  return (result.results as Raw[]).map(present);
}

export async function countWebhooks(db: Db): Promise<number> {
  return (await db.prepare(`SELECT COUNT(*) AS n FROM webhooks`).first<{ n: number }>())?.n ?? 0;
}

/** A subscription with its secret: for signing a delivery (services/webhook-delivery.ts) only. */
export async function findWebhookRow(db: Db, id: string): Promise<WebhookRow | null> {
  const r = await db.prepare(`SELECT * FROM webhooks WHERE id = ?1`).bind(id).first<Raw>();
  return r ? { ...present(r), secret: r.secret } : null;
}
