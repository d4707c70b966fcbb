/** Webhook subscriptions: created and deleted by the registry-wide writer, each with its audit row. */
import { newWebhookSecret } from '../domain/webhook-signature';
import { limitExceeded } from '../services/bounds';
import { webhookNotFound } from '../services/webhooks';
import type { EventType } from '../storage/events';
import { countWebhooks, deleteWebhookStatement, findWebhook, insertWebhook, newWebhookId, type Webhook, type WebhookRow } from '../storage/webhooks';
import { deleteDeliveriesStatement } from '../storage/webhook-deliveries';
import type { WriteTx, Written } from './tx';

/** Subscriptions in the registry, at most: each is matched against every event it may receive. */
const MAX_WEBHOOKS = 100;

export interface WebhookInput {
  url: string;
  context?: string;
  subjectPrefix?: string;
  types?: EventType[];
}

export async function createWebhook(tx: WriteTx, input: WebhookInput): Written<WebhookRow> {
  const count = await countWebhooks(tx.db);
  if (count >= MAX_WEBHOOKS) throw limitExceeded(`The registry holds ${count} webhook subscriptions, its limit`);
  const row = { ...input, id: newWebhookId(), secret: newWebhookSecret() };
  const createdAt = Math.floor(Date.now() / 1000);
  await tx.commit([insertWebhook(tx.db, row, createdAt)], null);
  return { value: { ...row, createdAt: new Date(createdAt * 1000).toISOString() }, bookmark: tx.db.getBookmark() };
}

export async function deleteWebhook(tx: WriteTx, input: { id: string }): Written<Webhook> {
  const found = await findWebhook(tx.db, input.id);
  if (!found) throw webhookNotFound(input.id);
  await tx.commit([deleteWebhookStatement(tx.db, input.id), deleteDeliveriesStatement(tx.db, input.id)], null);
  return { value: found, bookmark: tx.db.getBookmark() };
}
