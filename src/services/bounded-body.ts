/**
 * Reading a body no further than a bound: chunk by chunk, given up at the first byte past it, the
 * rest never read. For bodies whose length nothing else bounds: a request sent chunked
 * (http/respond.ts `readText`), a document fetched from an identity provider (http/oidc.ts), a
 * webhook target's error answer (webhook-delivery.ts). What is held is at most `maxBytes`,
 * whatever the other side streams.
 */

/** Bodies are UTF-8; decoding keeps no state between calls. */
const UTF8 = new TextDecoder();

/** The body's text and size in bytes, or null (the stream cancelled) once it passes `maxBytes`. */
export async function readUpTo(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<{ text: string; size: number } | null> {
  if (!body) return { text: '', size: 0 };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  if (chunks.length <= 1) return { text: chunks.length ? UTF8.decode(chunks[0]) : '', size };
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return { text: UTF8.decode(all), size };
}

/**
 * The first `maxBytes` of a body as text (a character cut at the end becomes U+FFFD), the rest
 * cancelled unread: for quoting an answer, never for parsing one.
 */
export async function readPrefix(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const head = new Uint8Array(maxBytes);
  let size = 0;
  while (size < maxBytes) {
    const { done, value } = await reader.read();
    if (done) return UTF8.decode(head.subarray(0, size));
    const take = Math.min(value.byteLength, maxBytes - size);
    head.set(value.subarray(0, take), size);
    size += take;
  }
  await reader.cancel().catch(() => undefined);
  return UTF8.decode(head);
}
