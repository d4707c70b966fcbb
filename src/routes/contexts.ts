/** /contexts: the tenants that exist (Confluent ContextsResource). `/contexts/{ctx}/...` is rewritten in app.ts. */
import { Hono } from 'hono';
import { DEFAULT_CONTEXT } from '../domain/naming';
import type { AppEnv } from '../http/env';
import { page, reply } from '../http/respond';

export const contexts = new Hono<AppEnv>();

contexts.get('/', async (c) => {
  if (c.var.scope) return reply(c, [c.var.scope]);
  const names = new Set([DEFAULT_CONTEXT, ...(await c.var.reader.contexts())]);
  return reply(c, page(c, [...names].sort()));
});
