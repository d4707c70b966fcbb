/**
 * Bytes as lowercase hex, for hashes (schema identities, API key and snapshot digests) and random
 * ids. A registration or lookup hashes its schema on every request, so this is a hot path: one
 * table lookup per byte instead of a `toString(16)`, a `padStart` and an array per byte.
 */

/** Byte -> its two hex digits. */
export const BYTE_HEX: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = '';
  for (let i = 0; i < view.length; i++) out += BYTE_HEX[view[i]];
  return out;
}

/** SHA-256 of a text (its UTF-8) or of bytes, as 64 hex digits: identities, key secrets, audit rows, snapshot parts. */
export async function sha256Hex(data: string | BufferSource): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', typeof data === 'string' ? new TextEncoder().encode(data) : data));
}

/** `n` random bytes as hex (2n digits). */
export function randomHexId(n: number): string {
  return toHex(crypto.getRandomValues(new Uint8Array(n)));
}
