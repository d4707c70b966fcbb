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
let pending: Promise<number> | null = null;

export async function currentGeneration(source: Source): Promise<number> {
  const now = Date.now();
  if (known && now - known.at < GENERATION_TTL_MS) return known.value;
  // One refresh at a time per isolate: concurrent reads share it.
  pending ??= source
    .generation()
    .then((value) => {
      known = { value, at: Date.now() };
      return value;
    })
    .catch((e: unknown) => {
      // D1 unreachable: the last known generation keeps answering (stale-if-error); none is fatal.
      if (known) return known.value;
      throw e;
    })
    .finally(() => {
      pending = null;
    });
  return pending;
}

/** After this isolate advanced the generation (a restore), or in tests after a wipe. */
export function forgetGeneration(): void {
  known = null;
}
