/** /contexts: the tenants that exist (Confluent ContextsResource). `/contexts/{ctx}/...` is rewritten in app.ts. */
import type { Context } from 'hono';
import type { Target } from '../domain/grant-rules';
import { DEFAULT_CONTEXT, parseContext } from '../domain/naming';
import type { AppEnv } from '../http/env';
import { committed, page, reply } from '../http/respond';
import { param, resource } from '../http/route';
import { PAGED, Strings } from '../http/shapes';
import { canSeeContext } from '../http/visibility';
import { invalidating, scopes } from '../services/fresh-cache';

/** `{context}` written `.ctx`, `ctx` or `:.ctx:` (400 for a name Confluent refuses). */
const contextParam = (c: Context<AppEnv>) => parseContext(param(c, 'context'));
const contextTarget = (c: Context<AppEnv>): Target => ({ kind: 'context', context: contextParam(c) });

export const contexts = resource('/contexts', [
  {
    method: 'GET',
    path: '/',
    summary: 'The contexts that exist, those the caller may read in',
    role: 'reader',
    query: PAGED,
    responses: { 200: Strings },
    handler: async (c) => {
      const names = new Set([DEFAULT_CONTEXT, ...(await c.get('reader').contexts())]);
      return reply(c, page(c, [...names].filter((n) => canSeeContext(c, n)).sort()));
    },
  },
  {
    method: 'DELETE',
    path: '/:context',
    summary: 'Delete a context that holds no subject, soft-deleted ones included (42211 otherwise); 204 (Confluent 8.1)',
    role: 'admin',
    target: contextTarget,
    cost: 'write',
    responses: { 204: null },
    handler: async (c) => {
      const context = contextParam(c);
      committed(
        c,
        await invalidating([scopes.settings], () =>
          c
            .get('writer')(context)
            .deleteContext({ context, actor: c.get('actor') }),
        ),
      );
      return c.body(null, 204);
    },
  },
]);
