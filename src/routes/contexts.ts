/** /contexts: the tenants that exist (Confluent ContextsResource). `/contexts/{ctx}/...` is rewritten in app.ts. */
import { DEFAULT_CONTEXT } from '../domain/naming';
import { page, reply } from '../http/respond';
import { resource } from '../http/route';
import { PAGED, Strings } from '../http/shapes';
import { canSeeContext } from '../http/visibility';

export const contexts = resource('/contexts', [
  {
    method: 'GET',
    path: '/',
    summary: 'The contexts that exist, those the caller may read in',
    role: 'reader',
    query: PAGED,
    responses: { 200: Strings },
    handler: async (c) => {
      const names = new Set([DEFAULT_CONTEXT, ...(await c.var.reader.contexts())]);
      return reply(c, page(c, [...names].filter((n) => canSeeContext(c, n)).sort()));
    },
  },
]);
