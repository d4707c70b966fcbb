/**
 * Many rows of one table in few INSERT statements: `INSERT INTO t (cols) VALUES (?1, ?2), (?3, ?4), ...`,
 * every value bound as a parameter, as a one-row statement binds it (no JSON unpacking in SQL, so a
 * row stores exactly what its one-row INSERT would). D1 bounds the parameters of a statement
 * (100, developers.cloudflare.com/d1/platform/limits/), so the rows are cut into statements of at
 * most that many parameters, in order: SQLite inserts a VALUES list in its order, so AUTOINCREMENT
 * keys (events.seq, audit_log.id) follow the rows as given.
 *
 * Why: workerd's D1 client and D1 itself cost per statement (each has its own result and meta to
 * encode, send and parse), so a group commit's rows cost a few statements, not one per row.
 */
type Db = Pick<D1Database, 'prepare'>;

/** D1's limit on bound parameters per statement. */
const MAX_BOUND_PARAMETERS = 100;

/** How big a statement may grow besides its parameter count: at most `max` of `weight` (e.g. characters) unless one row alone weighs more. */
export interface RowBudget {
  weight: (row: readonly unknown[]) => number;
  max: number;
}

/** Rows of `columns.length` values each; none at all: no statement. `prefix` is `INSERT INTO t` or `INSERT OR IGNORE INTO t`. */
export function insertRows(
  db: Db,
  prefix: string,
  columns: readonly string[],
  rows: readonly unknown[][],
  budget?: RowBudget,
): D1PreparedStatement[] {
  const perStatement = Math.max(1, Math.floor(MAX_BOUND_PARAMETERS / columns.length));
  const statements: D1PreparedStatement[] = [];
  let chunk: unknown[][] = [];
  let weight = 0;
  const flush = () => {
    if (chunk.length === 0) return;
    const tuples = chunk.map((_, r) => `(${columns.map((_, c) => `?${r * columns.length + c + 1}`).join(', ')})`);
    statements.push(db.prepare(`${prefix} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`).bind(...chunk.flat()));
    [chunk, weight] = [[], 0];
  };
  for (const row of rows) {
    if (row.length !== columns.length) throw new Error(`insertRows: a row of ${row.length} values for ${columns.length} columns`);
    const w = budget?.weight(row) ?? 0;
    if (chunk.length === perStatement || (budget && chunk.length > 0 && weight + w > budget.max)) flush();
    chunk.push([...row]);
    weight += w;
  }
  flush();
  return statements;
}
