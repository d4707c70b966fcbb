/**
 * Bench baseline Worker for test/bench/api.mjs: answers `?bytes=N` with a JSON body of exactly N
 * bytes (reading and discarding a POST body first). The same runtime serving the same bytes,
 * with none of the registry's work: the floor each API path is compared with.
 */
const bodies = new Map();

export default {
  async fetch(request) {
    if (request.method === 'POST') await request.arrayBuffer();
    const n = Math.max(2, Number(new URL(request.url).searchParams.get('bytes')) || 2);
    let body = bodies.get(n);
    if (body === undefined) {
      body = `"${'x'.repeat(n - 2)}"`;
      bodies.set(n, body);
    }
    return new Response(body, { headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' } });
  },
};
