/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com, spec/standard-webhooks.md):
 * a delivery carries `webhook-id` (the event's id: receivers dedupe on it), `webhook-timestamp`
 * (Unix seconds) and `webhook-signature` = `v1,` + base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)),
 * where the key is the base64 text after the `whsec_` prefix of the subscription's secret, decoded.
 * Several signatures (a secret being rotated) are space-separated; a receiver accepts any one.
 * Pure: WebCrypto only, no I/O.
 */

const PREFIX = 'whsec_';

function base64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

function unbase64(text: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** A new secret: `whsec_` + base64 of 32 random bytes (the spec asks 24 to 64). */
export function newWebhookSecret(): string {
  return PREFIX + base64(crypto.getRandomValues(new Uint8Array(32)));
}

/** The key bytes of a secret, or undefined when it is not `whsec_` + base64 of 24 to 64 bytes. */
function keyOf(secret: string): Uint8Array | undefined {
  if (!secret.startsWith(PREFIX)) return undefined;
  const key = unbase64(secret.slice(PREFIX.length));
  return key && key.length >= 24 && key.length <= 64 ? key : undefined;
}

export function isWebhookSecret(secret: string): boolean {
  return keyOf(secret) !== undefined;
}

async function hmac(key: Uint8Array, content: string): Promise<Uint8Array> {
  // A copy typed on an ArrayBuffer: WebCrypto's BufferSource refuses a view that may be shared.
  const k = await crypto.subtle.importKey('raw', new Uint8Array(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, new TextEncoder().encode(content)));
}

/** The three headers of one delivery of `body` (the exact bytes sent) as message `id` at `timestamp` (Unix seconds). */
export async function webhookHeaders(secret: string, id: string, timestamp: number, body: string): Promise<Record<string, string>> {
  const key = keyOf(secret);
  if (!key) throw new Error('not a webhook secret (whsec_ + base64 of 24 to 64 bytes)');
  const signature = base64(await hmac(key, `${id}.${timestamp}.${body}`));
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${signature}` };
}

/**
 * What a receiver checks: one of the `v1` signatures matches, and the timestamp is within
 * `toleranceSeconds` of `now` (replay protection; the spec suggests 5 minutes).
 */
export async function verifyWebhook(
  secret: string,
  headers: Record<string, string | undefined>,
  body: string,
  now = Math.floor(Date.now() / 1000),
  toleranceSeconds = 300,
): Promise<boolean> {
  const id = headers['webhook-id'];
  const timestamp = Number(headers['webhook-timestamp']);
  const signatures = headers['webhook-signature'];
  if (!id || !Number.isInteger(timestamp) || !signatures || Math.abs(now - timestamp) > toleranceSeconds) return false;
  const expected = (await webhookHeaders(secret, id, timestamp, body))['webhook-signature'];
  return signatures.split(' ').some((s) => sameText(s, expected));
}

/** Equal texts, compared whole (no early exit on the first difference). */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
