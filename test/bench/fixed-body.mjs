/**
 * Bench baseline Worker for test/bench/api.mjs: answers `?bytes=N` with a JSON body of exactly N
 * bytes (reading and discarding a POST body first). The same runtime serving the same bytes,
 * with none of the registry's work: the floor each API path is compared with.
 *
 * `&headers=registry` adds the headers every warm registry answer carries (a fresh request id and
 * trace, nosniff, no-store, Server-Timing): what the runtime alone charges for them.
 */
const bodies = new Map();

/**
 * Random hex drawn as the registry draws its trace ids (src/http/trace-context.ts: a 4 KiB pool,
 * one table lookup per byte), so the floor charges for the headers what the registry pays for them
 * and no more: formatting each byte with `toString(16)` and an array per id cost the floor row
 * more CPU than a whole warm id read of the registry.
 */
const BYTE_HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const POOL = new Uint8Array(4096);
let drawn = POOL.length;
function hex(bytes) {
  if (drawn + bytes > POOL.length) {
    crypto.getRandomValues(POOL);
    drawn = 0;
  }
  let out = '';
  for (let i = drawn; i < drawn + bytes; i++) out += BYTE_HEX[POOL[i]];
  drawn += bytes;
  return out;
}

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
