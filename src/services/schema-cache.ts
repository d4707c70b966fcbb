/**
 * The immutable read path: schema by id or guid goes isolate memory -> Cache API -> KV -> D1,
 * filling the layers in front on the way back. A warm read does no I/O at all. Only immutable
 * documents are cached; a permanent delete removes the KV entry, this colo's cache entry and this
 * isolate's copy (other isolates may serve the deleted id until MEMORY_TTL_MS runs out, other
 * colos until CACHE_TTL: see docs/storage.md). Keys carry the registry generation,
 * which a restore advances (services/generation.ts).
 */
import type { StoredSchema } from '../domain/entities';
import type { RegistryReader } from '../storage/registry-reader';
import { BoundedCache } from './bounded-cache';
import type { ReadSession } from './fresh-cache';
import { currentGeneration } from './generation';
import type { ReadTrace } from './read-layer';

const CACHE_TTL = 3600;
const KV_TTL = 30 * 24 * 3600;
const CACHE_ORIGIN = 'https://schema-cache.internal';

// v2: every key carries the registry generation (services/generation.ts), so a restore that
// hands an id out again can never meet an entry from before it.
const kvKeyById = (gen: number, context: string, id: number) => `v2/${gen}/ctx/${context}/id/${id}`;
const kvKeyByGuid = (gen: number, guid: string) => `v2/${gen}/guid/${guid}`;

/**
 * The isolate's own copies, bounded by bytes (an isolate has 128 MB). Entries are immutable for
 * their key (the generation is in it); MEMORY_TTL_MS only bounds how long another isolate may
 * still answer an id after a permanent delete (this isolate forgets it at once, evictSchema).
 */
const MEMORY_TTL_MS = 300_000;
const memory = new BoundedCache<{ value: StoredSchema; at: number }>(20_000, 16 * 1024 * 1024);

/**
 * Renderings of a schema by id (`?format=serialized`, `resolved`): immutable as the schema is
 * (its references cannot be deleted while it exists), so kept like it, one entry per id holding
 * each format asked for, and forgotten with it. Rendering a schema with references parses it
 * with them, which reads them from D1: a fleet of Confluent JS consumers starting (its
 * ProtobufDeserializer asks for `serialized`) would otherwise read D1 once per consumer.
 */
const renderings = new BoundedCache<{ texts: Record<string, string>; at: number }>(2_000, 8 * 1024 * 1024);

export interface CacheDeps {
  kv: KVNamespace;
  waitUntil: (p: Promise<unknown>) => void;
  /** The request's trace (services/read-layer.ts): each read notes the layer that answered it. */
  trace?: Pick<ReadTrace, 'note'>;
  /** The request's D1 session (the fresh cache of mutable reads, fresh-cache.ts); absent: not cached. */
  session?: ReadSession;
}

/**
 * Cache API, then KV, then D1. A cache layer that fails is skipped, never fatal: the read falls
 * through to the next layer (design.md: failures are transient until proven otherwise), and fills
 * are best effort.
 */
async function readThrough(deps: CacheDeps, key: string, load: () => Promise<StoredSchema | null>): Promise<StoredSchema | null> {
  const held = memory.get(key);
  if (held && Date.now() - held.at < MEMORY_TTL_MS) {
    deps.trace?.note('isolate');
    return held.value;
  }
  const value = await readShared(deps, key, load);
  if (value) memory.set(key, { value, at: Date.now() }, value.schema.length + 256);
  return value;
}

/** The layers shared by isolates: this colo's Cache API, then KV, then D1. */
async function readShared(deps: CacheDeps, key: string, load: () => Promise<StoredSchema | null>): Promise<StoredSchema | null> {
  const request = new Request(`${CACHE_ORIGIN}/${key}`);
  const cache = await skipOnFailure('cache-open', () => caches.open('schemas'));
  const hit = cache && (await skipOnFailure('cache-match', () => cache.match(request)));
  if (hit) {
    deps.trace?.note('cache');
    return hit.json<StoredSchema>();
  }
  const fromKv = await skipOnFailure('kv-get', () => deps.kv.get<StoredSchema>(key, 'json'));
  const value = fromKv ?? (await load());
  deps.trace?.note(fromKv ? 'kv' : 'd1');
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

export async function schemaById(deps: CacheDeps, reader: RegistryReader, context: string, id: number): Promise<StoredSchema | null> {
  return readThrough(deps, kvKeyById(await currentGeneration(reader), context, id), () => reader.schemaById(context, id));
}

export async function schemaByGuid(deps: CacheDeps, reader: RegistryReader, guid: string): Promise<StoredSchema | null> {
  return readThrough(deps, kvKeyByGuid(await currentGeneration(reader), guid), () => reader.schemaByGuid(guid));
}

/**
 * The rendering of schema `s` in `format`, from this isolate or from `render` (undefined: the
 * format is not one of the schema's, and nothing is kept: formats are client input).
 */
export async function renderingById(
  reader: RegistryReader,
  s: Pick<StoredSchema, 'context' | 'id'>,
  format: string,
  render: () => Promise<string | undefined>,
): Promise<string | undefined> {
  const key = kvKeyById(await currentGeneration(reader), s.context, s.id);
  const held = renderings.get(key);
  const fresh = held && Date.now() - held.at < MEMORY_TTL_MS ? held : undefined;
  // Own properties only: `?format=constructor` must not find Object's.
  if (fresh && Object.hasOwn(fresh.texts, format)) return fresh.texts[format];
  const text = await render();
  if (text === undefined) return undefined;
  const texts = { ...fresh?.texts, [format]: text };
  renderings.set(
    key,
    { texts, at: fresh?.at ?? Date.now() },
    Object.values(texts).reduce((n, t) => n + t.length * 2, 64),
  );
  return text;
}

/** A schema whose cached copies are to go: the keys are made from these (and the generation). */
export type Evictable = Pick<StoredSchema, 'context' | 'id' | 'guid'>;

/** What an eviction could not do: the schemas with a delete that failed, how many deletes failed, the last error. */
export interface EvictionFailures {
  schemas: Evictable[];
  deletes: number;
  error?: unknown;
}

/**
 * After a permanent delete made ids unreachable (in the current generation: older ones are
 * unreachable anyway): forget their copies here, in KV and in this colo's Cache API, four deletes
 * per schema. Never throws: the schemas with a delete that failed (an outage, or an invocation's
 * limit on operations) are answered, for the writer to try again later (durable/eviction-backlog.ts);
 * a copy left answers its id until its TTL (KV 30 days, Cache API an hour), and
 * `POST /v1/admin/generation` ends every copy at once (docs/operations.md).
 */
export async function evictSchemas(kv: KVNamespace, reader: RegistryReader, schemas: Evictable[]): Promise<EvictionFailures> {
  const failures: EvictionFailures = { schemas: [], deletes: 0 };
  if (schemas.length === 0) return failures;
  try {
    const [cache, gen] = await Promise.all([caches.open('schemas'), reader.generation()]);
    // A few schemas at a time (four deletes each): not thousands of requests at once.
    for (let i = 0; i < schemas.length; i += EVICTING_AT_ONCE) {
      await Promise.all(
        schemas.slice(i, i + EVICTING_AT_ONCE).map(async (s) => {
          const keys = [kvKeyById(gen, s.context, s.id), kvKeyByGuid(gen, s.guid)];
          for (const key of keys) memory.delete(key);
          renderings.delete(keys[0]);
          const settled = await Promise.allSettled(keys.flatMap((key) => [kv.delete(key), cache.delete(new Request(`${CACHE_ORIGIN}/${key}`))]));
          const failed = settled.filter((r) => r.status === 'rejected');
          if (failed.length === 0) return;
          failures.schemas.push(s);
          failures.deletes += failed.length;
          failures.error = failed[0].reason;
        }),
      );
    }
  } catch (e) {
    // The generation (or the cache) could not be had: no key is known, none was deleted.
    return { schemas, deletes: schemas.length * 4, error: e };
  }
  return failures;
}

const EVICTING_AT_ONCE = 8;

/** Tests wipe storage between cases and ids restart at 1; production never reuses a key. */
export function clearSchemaMemory(): void {
  memory.clear();
  renderings.clear();
}
