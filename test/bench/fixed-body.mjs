/**
 * Bench baseline Worker for test/bench/api.mjs: answers `?bytes=N` with a JSON body of exactly N
 * bytes (reading and discarding a POST body first). The same runtime serving the same bytes,
 * with none of the registry's work: the floor each API path is compared with.
 *
 * `&headers=registry` adds the headers every warm registry answer carries (a fresh request id and
 * trace, nosniff, no-store, Server-Timing): what the runtime alone charges for them.
 */
const bodies = new Map();

const hex = (bytes) => Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');

/** A JSON body of exactly `n` bytes, with the registry's answer headers when `registryHeaders`. */
export function fixedAnswer(n, registryHeaders) {
  let body = bodies.get(n);
  if (body === undefined) {
    body = `"${'x'.repeat(n - 2)}"`;
    bodies.set(n, body);
  }
  const headers = { 'content-type': 'application/vnd.schemaregistry.v1+json' };
  if (registryHeaders) {
    Object.assign(headers, {
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-request-id': crypto.randomUUID(),
      traceparent: `00-${hex(16)}-${hex(8)}-01`,
      'server-timing': 'read;desc="isolate"',
    });
  }
  return new Response(body, { headers });
}

export default {
  async fetch(request) {
    if (request.method === 'POST') await request.arrayBuffer();
    const params = new URL(request.url).searchParams;
    return fixedAnswer(Math.max(2, Number(params.get('bytes')) || 2), params.get('headers') === 'registry');
  },
};
