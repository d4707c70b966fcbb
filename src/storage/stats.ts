/**
 * Registry-wide counts for GET /v1/admin/stats (docs/operations.md#stats): each one a SQL aggregate
 * (COUNT, SUM, GROUP BY) that D1 computes, never rows loaded into the isolate; all of them in one
 * batch (one transaction: the same committed state).
 */
type Db = Pick<D1Database, 'prepare' | 'batch'>;

const SCHEMA_TYPES = ['AVRO', 'JSON', 'PROTOBUF'] as const;

export interface RegistryStats {
  /** Contexts that exist, as GET /contexts lists them (the default context `.` always). */
  contexts: number;
  /** A subject is live while one of its versions is; soft-deleted when every version is. */
  subjects: { live: number; softDeleted: number };
  versions: { live: number; softDeleted: number };
  /** Schema contents held, by type: a permanent delete keeps the content (ids are never reused). */
  schemas: Record<(typeof SCHEMA_TYPES)[number], number>;
  /** Committed changes (change events of the outbox) in the last hour and the last 24 hours. */
  writes: { lastHour: number; lastDay: number };
  /** When the counts were taken (ISO 8601). */
  at: string;
}

interface Totals {
  n: number;
  live: number | null;
}

export async function readStats(db: Db, now: Date): Promise<RegistryStats> {
  const hourAgo = new Date(now.getTime() - 3_600_000).toISOString();
  const dayAgo = new Date(now.getTime() - 86_400_000).toISOString();
  const [contexts, subjects, versions, schemas, writes] = await db.batch([
    db.prepare(`SELECT COUNT(*) + NOT EXISTS (SELECT 1 FROM contexts WHERE context = '.') AS n FROM contexts`),
    db.prepare(`SELECT COUNT(*) AS n, SUM(live) AS live FROM (SELECT MAX(deleted = 0) AS live FROM versions GROUP BY context, subject)`),
    db.prepare(`SELECT COUNT(*) AS n, SUM(deleted = 0) AS live FROM versions`),
    db.prepare(`SELECT schema_type AS type, COUNT(*) AS n FROM schemas GROUP BY schema_type`),
    // `at` is ISO 8601 in UTC: string order is time order. Events are pruned after
    // EVENTS_RETENTION_DAYS, so this looks at a bounded table.
    db.prepare(`SELECT COUNT(*) AS n, SUM(at >= ?1) AS live FROM events WHERE at >= ?2`).bind(hourAgo, dayAgo),
  ]);
  const totals = (r: D1Result) => {
    const row = r.results[0] as Totals | undefined;
    return { n: row?.n ?? 0, live: row?.live ?? 0 };
  };
  const s = totals(subjects);
  const v = totals(versions);
  const w = totals(writes);
  const byType = Object.fromEntries(SCHEMA_TYPES.map((t) => [t, 0])) as RegistryStats['schemas'];
  for (const row of schemas.results as { type: string; n: number }[])
    if ((SCHEMA_TYPES as readonly string[]).includes(row.type)) byType[row.type as keyof typeof byType] = row.n;
  return {
    contexts: totals(contexts).n,
    subjects: { live: s.live, softDeleted: s.n - s.live },
    versions: { live: v.live, softDeleted: v.n - v.live },
    schemas: byType,
    writes: { lastHour: w.live, lastDay: w.n },
    at: now.toISOString(),
  };
}
