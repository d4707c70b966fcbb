/** Every binding's storage wiped (cloudflare:test reset), checked on D1. */
import { reset } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

/**
 * reset() deletes every Durable Object, Miniflare's D1 among them. Observed since requests stopped
 * sharing the generation read (2026-12-06): after the restore drill's bursts of concurrent reads,
 * the first reset left D1 as it was (all 20,000 schemas) and a second one took it. So the wipe is
 * checked on D1 and repeated while its tables are still there.
 */
export async function wipeAll(): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    await reset();
    const left = await env.DB.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schemas'`).first<{ n: number }>();
    if (!left?.n) return;
  }
  throw new Error('D1 kept its tables through three resets');
}
