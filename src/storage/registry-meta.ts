/**
 * `registry_meta`: the registry generation (the epoch in every cache key of an immutable read)
 * and the marker of a restore in progress. See docs/operations.md#generation.
 */
type Db = Pick<D1Database, 'prepare' | 'batch'>;

const GENERATION = 'generation';

/** The generation D1 holds now; 0 for a registry that never advanced it. */
export async function readGeneration(db: Db): Promise<number> {
  const row = await generationStatement(db).first<{ value: number }>();
  return row?.value ?? 0;
}

/** The generation read, to run in a batch with reads that must belong to the same history (the change events). */
export function generationStatement(db: Pick<D1Database, 'prepare'>): D1PreparedStatement {
  return db.prepare(`SELECT value FROM registry_meta WHERE name = ?1`).bind(GENERATION);
}

/** The generation from a batch result of `generationStatement`. */
export function generationOf(result: D1Result): number {
  return (result.results[0] as { value: number } | undefined)?.value ?? 0;
}

/**
 * Advance the generation, to run in the batch of the change that needs it (a restore). The new
 * value is at least `now` in milliseconds, not just the old one plus one: a wipe or a Time Travel
 * restore takes this row back to an old value (or none), and counting up from there would reach
 * generations that caches already hold entries for. Milliseconds since the epoch never repeat.
 */
export function advanceGenerationStatement(db: Db, nowMs: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO registry_meta (name, value) VALUES (?1, ?2)
       ON CONFLICT (name) DO UPDATE SET value = MAX(registry_meta.value + 1, excluded.value)`,
    )
    .bind(GENERATION, nowMs);
}
