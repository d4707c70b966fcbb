/** What the webhook routes read (never a secret), and what a subscription may point at. */
import { ErrorCode, RegistryError } from '../domain/errors';
import { EVENT_TYPES } from '../storage/events';
import { type DeliveryRow, listDeliveries } from '../storage/webhook-deliveries';
import { findWebhook, isWebhookId, listWebhooks, type Webhook } from '../storage/webhooks';

type Db = Pick<D1Database, 'prepare'>;

export { EVENT_TYPES };

export const webhookNotFound = (id: string) => new RegistryError(ErrorCode.NOT_FOUND, `Webhook ${id.slice(0, 64)} not found`);

export function webhookList(db: Db): Promise<Webhook[]> {
  return listWebhooks(db);
}

/** A subscription by id: anything that cannot be an id is as unknown as a missing one. */
export async function webhookDetail(db: Db, id: string): Promise<Webhook> {
  const found = isWebhookId(id) ? await findWebhook(db, id) : null;
  if (!found) throw webhookNotFound(id);
  return found;
}

export function webhookId(raw: string): string {
  if (!isWebhookId(raw)) throw webhookNotFound(raw);
  return raw;
}

/**
 * Where deliveries may go: https, or http to this machine only (a local receiver in development
 * and tests). No credentials in the URL (they would be shown in every listing).
 */
export function isDeliverable(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/** The recent delivery attempts of a subscription (404 for an unknown one). */
export async function webhookDeliveries(db: Db, id: string): Promise<DeliveryRow[]> {
  await webhookDetail(db, id);
  return listDeliveries(db, id);
}
