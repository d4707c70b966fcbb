/**
 * /v1/admin/webhooks: webhook subscriptions (docs/events.md#webhook-subscriptions), registry-wide
 * admin only. A subscription names a URL, optional filters (context, subject prefix, event types)
 * and gets a Standard Webhooks secret, answered once. Writes go through the registry-wide writer
 * (audited in their batch); reads are audited after the answer, as every admin read.
 */
import * as z from 'zod';
import { ErrorCode, RegistryError } from '../domain/errors';
import { committed, parseWith, readJson, reply } from '../http/respond';
import { param, resource } from '../http/route';
import { Webhook, WebhookDelivery, WebhookWithSecret } from '../http/shapes';
import { registryTarget } from '../http/targets';
import { type DeliveryMessage, REDELIVER_DEFAULT, REDELIVER_MAX, redeliver } from '../services/webhook-delivery';
import { EVENT_TYPES, isDeliverable, webhookDeliveries, webhookDetail, webhookId, webhookList } from '../services/webhooks';

const createWebhookRequest = z
  .object({
    url: z.string().max(2048).refine(isDeliverable, 'an https URL without credentials (http only to localhost or 127.0.0.1)'),
    context: z
      .string()
      .regex(/^\.([A-Za-z0-9_.-]{0,255})$/, 'a context is "." or ".name"')
      .optional(),
    subjectPrefix: z.string().min(1).max(1024).optional(),
    types: z
      .array(z.enum(EVENT_TYPES))
      .min(1)
      .max(EVENT_TYPES.length)
      .refine((t) => new Set(t).size === t.length, 'each type once')
      .optional(),
  })
  .strict();

const seq = z.number().int().min(0);

/** What to send again: a page of events after a seq (recover after an outage), or chosen seqs (resend dead letters). */
const redeliverRequest = z.union([
  z
    .object({
      after: seq.describe('Events with a larger seq: the last seq the receiver handled'),
      limit: z
        .number()
        .int()
        .min(1)
        .max(REDELIVER_MAX)
        .optional()
        .describe(`Events looked at, 1 to ${REDELIVER_MAX} (default ${REDELIVER_DEFAULT}); continue with after=next`),
    })
    .strict(),
  z
    .object({
      seqs: z.array(seq.min(1)).min(1).max(REDELIVER_MAX).describe(`These events (seq, as GET .../deliveries lists them), at most ${REDELIVER_MAX}`),
    })
    .strict(),
]);

const Redelivered = z
  .strictObject({
    enqueued: z.number().int().min(0).describe('Messages sent to the delivery queue'),
    next: z.number().int().optional().describe('`after`: the page was full; continue with after=next'),
    skipped: z.array(z.number().int()).optional().describe('`seqs`: not sent (no longer held, or not taken by the filters)'),
  })
  .meta({ id: 'Redelivered' });

const admin = { role: 'admin', target: registryTarget } as const;
const adminRead = { ...admin, audited: true } as const;
const primary = (c: { env: Pick<Env, 'DB'> }) => c.env.DB.withSession('first-primary');

export const webhooks = resource('/v1/admin/webhooks', [
  {
    method: 'POST',
    path: '/',
    summary: 'Subscribe a URL to change events (filters: context, subjectPrefix, types); the signing secret is in this answer only',
    ...admin,
    cost: 'write',
    body: { json: createWebhookRequest },
    responses: { 201: WebhookWithSecret },
    handler: async (c) => {
      const body = parseWith(createWebhookRequest, await readJson(c));
      return reply(
        c,
        committed(
          c,
          await c
            .get('registryWriter')()
            .createWebhook({ ...body, actor: c.get('actor') }),
        ),
        201,
      );
    },
  },
  {
    method: 'GET',
    path: '/',
    summary: 'Webhook subscriptions (never their secrets), oldest first',
    ...adminRead,
    responses: { 200: z.array(Webhook) },
    handler: async (c) => reply(c, await webhookList(primary(c))),
  },
  {
    method: 'GET',
    path: '/:id',
    summary: 'One webhook subscription (never its secret)',
    ...adminRead,
    responses: { 200: Webhook },
    handler: async (c) => reply(c, await webhookDetail(primary(c), param(c, 'id'))),
  },
  {
    method: 'GET',
    path: '/:id/deliveries',
    summary: 'Recent delivery attempts of a webhook subscription, newest first (the last 50)',
    ...adminRead,
    responses: { 200: z.array(WebhookDelivery) },
    handler: async (c) => reply(c, await webhookDeliveries(primary(c), param(c, 'id'))),
  },
  {
    method: 'POST',
    path: '/:id/redeliver',
    summary: 'Send events again to one subscription (its filters apply, same webhook-id): {after, limit} or {seqs}; 202 with how many were enqueued',
    ...adminRead,
    cost: 'write',
    body: { json: redeliverRequest },
    responses: { 202: Redelivered },
    handler: async (c) => {
      const body = parseWith(redeliverRequest, await readJson(c));
      const queue = c.env.WEBHOOKS as Queue<DeliveryMessage> | undefined;
      if (!queue) throw new RegistryError(ErrorCode.UNAVAILABLE, 'No WEBHOOKS queue is bound (wrangler.toml): nothing can be delivered');
      return reply(c, await redeliver(primary(c), queue, param(c, 'id'), body), 202);
    },
  },
  {
    method: 'DELETE',
    path: '/:id',
    summary: 'Delete a webhook subscription',
    ...admin,
    cost: 'write',
    responses: { 200: Webhook },
    handler: async (c) =>
      reply(
        c,
        committed(
          c,
          await c
            .get('registryWriter')()
            .deleteWebhook({ id: webhookId(param(c, 'id')), actor: c.get('actor') }),
        ),
      ),
  },
]);
