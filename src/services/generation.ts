/**
 * The registry generation (epoch) as this isolate knows it. Every cache key of an immutable read
 * (KV, Cache API, the isolate caches of validators and visibility) carries it, so a restore,
 * which advances it in its own batch, makes every entry from before unreachable.
 *
 * Reading it costs one small D1 query per isolate per GENERATION_TTL_MS: after a restore (or
 * `POST /v1/admin/generation`) another isolate may answer from the previous generation's caches
 * for at most that long (plus the lag of the D1 replica it reads). The isolate that restores
 * forgets it at once (`forgetGeneration`). See docs/operations.md#generation.
 */
const GENERATION_TTL_MS = 5_000;

interface Source {
  generation(): Promise<number>;
}

let known: { value: number; at: number } | null = null;
/** Bumped by forgetGeneration: a read that began before it is not kept. */
let forgets = 0;

/**
 * Each request whose copy is stale reads the generation itself: requests never wait on another
 * request's read. A Worker continues a request that awaits a promise another request's I/O settles
 * in that other request's context, where the answer it then makes cannot be sent (workerd: "Cannot
 * perform I/O on behalf of a different request"); concurrent stale requests each pay one small
 * query instead, once per GENERATION_TTL_MS.
 */
export async function currentGeneration(source: Source): Promise<number> {
  if (known && Date.now() - known.at < GENERATION_TTL_MS) return known.value;
  const at = Date.now();
  const before = forgets;
  try {
    const value = await source.generation();
    // Keep the latest read (concurrent reads may land out of order), never one from before a forget.
    if (before === forgets && (!known || known.at <= at)) known = { value, at };
    return value;
  } catch (e) {
    // D1 unreachable: the last known generation keeps answering (stale-if-error); none is fatal.
    if (known) return known.value;
    throw e;
  }
}

/** After this isolate advanced the generation (a restore), or in tests after a wipe. */
export function forgetGeneration(): void {
  forgets++;
  known = null;
}
