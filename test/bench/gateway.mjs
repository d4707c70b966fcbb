/**
 * Bench gateway Worker (plain JS module, no build step): what an LLM gateway does with the registry's
 * service binding. POST /validate/{subject} with a JSON body -> env.REGISTRY.validate() over Workers
 * RPC (entrypoint RegistryService) -> the result as JSON. POST /http/{subject}: the same through the
 * registry's HTTP route over a service binding to its default entrypoint (env.REGISTRY_HTTP.fetch),
 * for comparison. Used only by test/bench/edge.mjs.
 */
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const h = /^\/http\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'POST' && h) {
      return env.REGISTRY_HTTP.fetch(`https://registry.internal/v1/validate/subjects/${h[1]}/versions/latest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: await request.text(),
      });
    }
    const m = /^\/validate\/([^/]+)$/.exec(url.pathname);
    if (request.method !== 'POST' || !m) return new Response('not found', { status: 404 });
    const json = await request.text();
    const result = await env.REGISTRY.validate({ subject: decodeURIComponent(m[1]), version: 'latest', json });
    if (result && result.error) {
      return new Response(JSON.stringify(result.error), { status: 422, headers: { 'content-type': 'application/json' } });
    }
    return new Response(JSON.stringify(result), { headers: { 'content-type': 'application/json' } });
  },
};
