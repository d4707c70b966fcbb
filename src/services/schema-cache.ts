/**
 * The immutable read path: schema by id or guid goes Cache API -> KV -> D1, filling the layers
 * in front on the way back. A warm read touches no D1. Only immutable documents are cached; a
 * permanent delete removes the KV entry and this colo's cache entry (other colos may serve the
 * deleted id until CACHE_TTL runs out: see docs/storage.md).
 */
import type { StoredSchema } from '../domain/entities';
import type { RegistryReader } from '../storage/registry-reader';

const CACHE_TTL = 3600;
const KV_TTL = 30 * 24 * 3600;
const CACHE_ORIGIN = 'https://schema-cache.internal';

const kvKeyById = (context: string, id: number) => `v1/ctx/${context}/id/${id}`;
const kvKeyByGuid = (guid: string) => `v1/guid/${guid}`;

export interface CacheDeps {
  kv: KVNamespace;
  waitUntil: (p: Promise<unknown>) => void;
}

/**
 * Cache API, then KV, then D1. A cache layer that fails is skipped, never fatal: the read falls
 * through to the next layer (design.md: failures are transient until proven otherwise), and fills
 * are best effort.
 */
async function readThrough(deps: CacheDeps, key: string, load: () => Promise<StoredSchema | null>): Promise<StoredSchema | null> {
  const request = new Request(`${CACHE_ORIGIN}/${key}`);
  const cache = await skipOnFailure('cache-open', () => caches.open('schemas'));
  const hit = cache && (await skipOnFailure('cache-match', () => cache.match(request)));
  if (hit) return hit.json<StoredSchema>();
  const fromKv = await skipOnFailure('kv-get', () => deps.kv.get<StoredSchema>(key, 'json'));
  const value = fromKv ?? (await load());
  if (!value) return null;
  const body = JSON.stringify(value);
  if (!fromKv) deps.waitUntil(skipOnFailure('kv-put', () => deps.kv.put(key, body, { expirationTtl: KV_TTL })));
  if (cache) {
    const response = new Response(body, { headers: { 'cache-control': `max-age=${CACHE_TTL}`, 'content-type': 'application/json' } });
    deps.waitUntil(skipOnFailure('cache-put', () => cache.put(request, response)));
  }
  return value;
}

async function skipOnFailure<T>(layer: string, op: () => Promise<T>): Promise<T | null> {
  try {
    return await op();
  } catch (e) {
    console.warn(JSON.stringify({ level: 'warn', event: 'cache-layer-failed', layer, error: String(e) }));
    return null;
  }
}

export function schemaById(deps: CacheDeps, reader: RegistryReader, context: string, id: number): Promise<StoredSchema | null> {
  return readThrough(deps, kvKeyById(context, id), () => reader.schemaById(context, id));
}

export function schemaByGuid(deps: CacheDeps, reader: RegistryReader, guid: string): Promise<StoredSchema | null> {
  return readThrough(deps, kvKeyByGuid(guid), () => reader.schemaByGuid(guid));
}

/** After a permanent delete made an id unreachable. */
export async function evictSchema(kv: KVNamespace, s: Pick<StoredSchema, 'context' | 'id' | 'guid'>): Promise<void> {
  const cache = await caches.open('schemas');
  await Promise.all([
    kv.delete(kvKeyById(s.context, s.id)),
    kv.delete(kvKeyByGuid(s.guid)),
    cache.delete(new Request(`${CACHE_ORIGIN}/${kvKeyById(s.context, s.id)}`)),
    cache.delete(new Request(`${CACHE_ORIGIN}/${kvKeyByGuid(s.guid)}`)),
  ]);
}
