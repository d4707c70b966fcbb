/** The Worker: the HTTP API and the Durable Object classes wrangler binds. */
import { createFetch } from './app';
import { retentionDays } from './services/events';
import { deliverBatch, drainOutbox, recordDeadLetters, type DeliveryMessage } from './services/webhook-delivery';
import { REGISTRY_STREAM } from './storage/audit';
import { writeSnapshot } from './storage/snapshot-store';
import { writerStub } from './durable/writer-stub';

export { RegistryWriter } from './durable/registry-writer';
export { RegistryService } from './entrypoint';

const fetch = createFetch();

export default {
  fetch,
  /**
   * The cron trigger (wrangler.toml): a daily snapshot of the store of record into R2 (NDJSON parts
   * and a manifest), and the retention of change events (EVENTS_RETENTION_DAYS), run by the
   * registry-wide writer like every write.
   */
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(
      writeSnapshot(env.DB.withSession('first-primary'), env.ARCHIVE).then(({ name, rows, quiescent }) => {
        console.log(JSON.stringify({ level: 'info', event: 'snapshot', name, rows, quiescent }));
      }),
    );
    const days = retentionDays(env.EVENTS_RETENTION_DAYS);
    ctx.waitUntil(
      writerStub(env, REGISTRY_STREAM)
        .pruneEvents({ days, actor: { principal: 'cron' } })
        .then((outcome) => {
          console.log(JSON.stringify({ level: outcome.ok ? 'info' : 'warn', event: 'prune-events', days, ...outcome }));
        }),
    );
    // Webhook delivery's backstop: whatever the drains after writes left in the outbox.
    ctx.waitUntil(
      drainOutbox(env.DB.withSession('first-primary'), env.WEBHOOKS, 100).then((sent) => {
        console.log(JSON.stringify({ level: 'info', event: 'webhook-drain', sent }));
      }),
    );
  },
  /** The webhooks queue (deliveries) and its dead-letter queue (wrangler.toml, docs/events.md#delivery). */
  async queue(batch, env) {
    const db = env.DB.withSession('first-primary');
    const messages = batch as MessageBatch<DeliveryMessage>;
    if (batch.queue.endsWith('-dlq')) await recordDeadLetters(db, messages);
    else await deliverBatch(db, messages);
  },
} satisfies ExportedHandler<Env>;
