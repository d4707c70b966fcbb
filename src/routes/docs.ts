/**
 * GET /openapi.json: the OpenAPI 3.1 document generated from the route table (http/openapi.ts).
 * Public, like the README: it describes the software, the same for every deployment, and holds no
 * data of any tenant. Built once per isolate, on first request.
 */
import { prepareHeader } from '../http/answer-headers';
import { reply } from '../http/respond';
import { resource, type RouteDef } from '../http/route';
import { OpenApiDocument } from '../http/shapes';
import { openApiDocument } from '../http/openapi';
import { VERSION } from './root';

type Documented = RouteDef & { fullPath: string };

/** `routes` is read at the first request: the table includes these routes too. */
export function apiDocs(routes: () => readonly Documented[]) {
  let document: Record<string, unknown> | undefined;
  return resource('/', [
    {
      method: 'GET',
      path: '/openapi.json',
      summary: 'This API as an OpenAPI 3.1 document, generated from its route table',
      role: 'public',
      responses: { 200: OpenApiDocument },
      handler: (c) => {
        document ??= openApiDocument(routes(), VERSION);
        prepareHeader(c, 'cache-control', 'public, max-age=300');
        return reply(c, document);
      },
    },
  ]);
}
