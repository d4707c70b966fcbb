/**
 * An example LLM gateway: it checks a model's tool call against the schema registered for that
 * tool before the arguments reach the tool, and hands back a repair prompt when they do not fit.
 *
 * It talks to the registry only through the `REGISTRY` service binding (RPC to the registry's
 * `RegistryService` entrypoint): there is no registry URL here, and no HTTP hop.
 *
 *   POST /chat-tool-call {"tool": "<subject>", "output": "<raw model text>"}
 *     200 {ok: true, arguments}            the JSON found in the output matches the tool's schema
 *     422 {ok: false, errors, repair}      it does not (or there is none): send `repair` to the model
 *     4xx {ok: false, error}               registry error, e.g. 404 / 40401 for an unknown tool
 *   GET /tools/:name                       the tool's latest registered schema
 */
import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

type RegistryFailure = { error: { error_code: number; message: string } };

const app = new Hono<{ Bindings: GatewayEnv }>();

/** The registry's errors carry Confluent codes; the HTTP status is the code's first three digits. */
function failure(c: Context, error: RegistryFailure['error']) {
  const status = Number(String(error.error_code).slice(0, 3));
  return c.json({ ok: false, error }, (status >= 400 && status <= 599 ? status : 500) as ContentfulStatusCode);
}

app.post('/chat-tool-call', async (c) => {
  const body = await c.req.json<{ tool?: unknown; output?: unknown }>().catch(() => undefined);
  if (!body || typeof body.tool !== 'string' || typeof body.output !== 'string') {
    return failure(c, { error_code: 422, message: 'Expected a JSON body {"tool": string, "output": string}' });
  }
  const result = await c.env.REGISTRY.validate({ subject: body.tool, version: 'latest', text: body.output });
  if ('error' in result) return failure(c, result.error);
  if (result.valid) return c.json({ ok: true, arguments: 'value' in result ? result.value : undefined });
  return c.json({ ok: false, errors: result.errors, repair: 'repair' in result ? result.repair : undefined }, 422);
});

app.get('/tools/:name', async (c) => {
  const result = await c.env.REGISTRY.resolve(c.req.param('name'), 'latest');
  if ('error' in result) return failure(c, result.error);
  return c.json(result);
});

app.notFound((c) => c.json({ ok: false, error: { error_code: 404, message: 'HTTP 404 Not Found' } }, 404));

export default app;
