/**
 * Snapshots in R2 that scale (docs/operations.md#back-up-and-restore): every table of the store of
 * record as NDJSON parts, read from D1 in bounded keyset pages and written in bounded parts, so
 * neither a snapshot nor a restore ever holds the whole registry in memory.
 *
 *   snapshots/<name>/manifest.json           written last: a snapshot without one is incomplete
 *   snapshots/<name>/<table>-<00000>.ndjson  one row (an object of the table's columns) per line
 *
 * The manifest holds, per table, its row count and its parts (rows, bytes, SHA-256), the format
 * version, the registry generation and the time. A restore verifies every part against it before
 * it writes anything (durable/restore-snapshot.ts).
 */
import { randomHexId, sha256Hex } from '../domain/hex';
import type { Db } from './registry-reader';
import { readGeneration } from './registry-meta';
import { ADDED_LATER, type Row, SNAPSHOT_TABLES, TABLES, type TableName } from './snapshot-tables';

const SNAPSHOT_FORMAT = 'llm-schema-registry-snapshot';
/**
 * Version 3 holds every table of SNAPSHOT_TABLES. Version 2 came before the DEK registry's tables
 * (keks, deks) and, if taken before associations existed, without `associations`: the tables it
 * lacks (ADDED_LATER) restore empty.
 */
const MANIFEST_VERSION = 3;
const OLDER_VERSION = 2;
const PREFIX = 'snapshots/';

/**
 * Restore order (what a row refers to comes first) is SNAPSHOT_TABLES' order. The read order is
 * the reverse of what rows refer to: versions and references before the schemas they name, the
 * contexts (the id counters) last, so that under concurrent writes every version's schema and
 * every counter above every id read is still in the snapshot (schema rows are never deleted).
 * DEKs come before the KEKs that wrap them, associations before the subjects they name.
 */
const READ_ORDER: TableName[] = ['deks', 'keks', 'associations', 'versions', 'refs', 'configs', 'modes', 'schemas', 'contexts'];

/** The primary key of each table: the keyset the pages walk. */
const KEYS: Record<TableName, readonly string[]> = {
  contexts: ['context'],
  schemas: ['context', 'id'],
  versions: ['context', 'subject', 'version'],
  refs: ['context', 'schema_id', 'name'],
  configs: ['context', 'subject'],
  modes: ['context', 'subject'],
  associations: ['guid'],
  keks: ['name'],
  deks: ['context', 'kek_name', 'subject', 'algorithm', 'version'],
};

/** One D1 page: at most this many rows, and at most about this many bytes of column text. */
const PAGE_ROWS = 1000;
const PAGE_BYTES = 2 * 1024 * 1024;
/** One R2 part: flushed once it reaches this size (a row is at most ~1 MiB, so a part stays < 10 MiB). */
const PART_BYTES = 8 * 1024 * 1024;

export interface PartInfo {
  /** The object's name inside the snapshot's folder, e.g. `schemas-00000.ndjson`. */
  file: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: typeof SNAPSHOT_FORMAT;
  version: typeof MANIFEST_VERSION | typeof OLDER_VERSION;
  name: string;
  takenAt: string;
  finishedAt: string;
  /** The registry generation when it was taken (a restore advances past it). */
  generation: number;
  /** No registry write committed while it was taken: a point-in-time image (see docs). */
  quiescent: boolean;
  rows: number;
  tables: Record<TableName, { rows: number; parts: PartInfo[] }>;
}

/** What the listing answers of each snapshot. */
export type SnapshotSummary = Pick<Manifest, 'name' | 'takenAt' | 'finishedAt' | 'generation' | 'quiescent' | 'rows'> & {
  tables: Record<string, number>;
};

const SNAPSHOT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const PART_FILE = /^[a-z]+-\d{5}\.ndjson$/;

const manifestKey = (name: string) => `${PREFIX}${name}/manifest.json`;
const partKey = (name: string, file: string) => `${PREFIX}${name}/${file}`;

function newName(now: Date): string {
  const random = randomHexId(3);
  return `${now.toISOString().replace(/[:.]/g, '-')}-${random}`;
}

/** The page query of a table: keyset after the last key, bounded in rows and in bytes. */
function pageSql(table: TableName, first: boolean): string {
  const columns = SNAPSHOT_TABLES[table];
  const key = KEYS[table];
  const size = columns.map((c) => `COALESCE(length(${c}), 0)`).join(' + ');
  const after = first ? '' : `WHERE (${key.join(', ')}) > (${key.map((_, i) => `?${i + 2}`).join(', ')})`;
  const order = key.join(', ');
  // The running total keeps the prefix of the page under PAGE_BYTES (always at least one row).
  return `SELECT ${columns.join(', ')} FROM (
      SELECT ${columns.join(', ')}, SUM(size) OVER (ORDER BY ${order} ROWS UNBOUNDED PRECEDING) - size AS before FROM (
        SELECT ${columns.join(', ')}, ${size} AS size FROM ${table} ${after} ORDER BY ${order} LIMIT ?1))
    WHERE before < ${PAGE_BYTES} ORDER BY ${order}`;
}

/** Every row of a table, page by page in primary-key order. */
async function* tableRows(db: Db, table: TableName): AsyncGenerator<Row> {
  let last: Row | undefined;
  for (;;) {
    const statement = db.prepare(pageSql(table, last === undefined));
    const after = last;
    const binds = [PAGE_ROWS, ...(after ? KEYS[table].map((k) => after[k]) : [])];
    const { results } = await statement.bind(...binds).all<Row>();
    for (const row of results) yield row;
    if (results.length === 0) return;
    last = results[results.length - 1];
  }
}

const encoder = new TextEncoder();

/** Writes one table's rows as parts of at most ~PART_BYTES. */
async function writeTable(db: Db, bucket: R2Bucket, name: string, table: TableName): Promise<{ rows: number; parts: PartInfo[] }> {
  const parts: PartInfo[] = [];
  let lines: string[] = [];
  let size = 0;
  let rows = 0;
  const flush = async () => {
    if (lines.length === 0 && parts.length > 0) return;
    const bytes = encoder.encode(lines.join(''));
    const file = `${table}-${String(parts.length).padStart(5, '0')}.ndjson`;
    await bucket.put(partKey(name, file), bytes, { httpMetadata: { contentType: 'application/x-ndjson' } });
    parts.push({ file, rows: lines.length, bytes: bytes.byteLength, sha256: await sha256Hex(bytes) });
    lines = [];
    size = 0;
  };
  for await (const row of tableRows(db, table)) {
    const line = `${JSON.stringify(row)}\n`;
    if (size > 0 && size + line.length > PART_BYTES) await flush();
    lines.push(line);
    size += line.length;
    rows++;
  }
  // The last part (an empty table has one empty part: every table is in every snapshot).
  if (lines.length > 0 || parts.length === 0) await flush();
  return { rows, parts };
}

/** The highest audit row id: registry writes commit with one, so a later row means a write ran. */
async function auditMark(db: Db): Promise<number> {
  return (await db.prepare(`SELECT COALESCE(MAX(id), 0) AS n FROM audit_log`).first<{ n: number }>())?.n ?? 0;
}

async function writesSince(db: Db, mark: number): Promise<number> {
  // Writes to a context commit with an audit row of its stream; '*' holds admin actions, keys,
  // reads, and the writes of the registry-wide tables a snapshot holds: the DEK registry's (actions
  // create-kek, delete-dek, ...: durable/dek-writes.ts) and associations' (create-association,
  // mutate-associations, ...: durable/association-writes.ts).
  const row = await db
    .prepare(
      `SELECT COUNT(*) AS n FROM audit_log WHERE id > ?1 AND result = 'ok'
         AND (stream <> '*' OR action LIKE '%-kek%' OR action LIKE '%-dek%' OR action LIKE '%-association%')`,
    )
    .bind(mark)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** Take a snapshot into R2: tables in bounded pages and parts, then the manifest. */
export async function writeSnapshot(db: Db, bucket: R2Bucket, now = new Date()): Promise<Manifest> {
  const name = newName(now);
  const mark = await auditMark(db);
  const generation = await readGeneration(db);
  const tables = {} as Manifest['tables'];
  for (const table of READ_ORDER) tables[table] = await writeTable(db, bucket, name, table);
  const manifest: Manifest = {
    format: SNAPSHOT_FORMAT,
    version: MANIFEST_VERSION,
    name,
    takenAt: now.toISOString(),
    finishedAt: new Date().toISOString(),
    generation,
    quiescent: (await writesSince(db, mark)) === 0,
    rows: TABLES.reduce((n, t) => n + tables[t].rows, 0),
    // In restore order.
    tables: Object.fromEntries(TABLES.map((t) => [t, tables[t]])) as Manifest['tables'],
  };
  await bucket.put(manifestKey(name), JSON.stringify(manifest, null, 1), { httpMetadata: { contentType: 'application/json' } });
  return manifest;
}

export function summary(m: Manifest): SnapshotSummary {
  return {
    name: m.name,
    takenAt: m.takenAt,
    finishedAt: m.finishedAt,
    generation: m.generation,
    quiescent: m.quiescent,
    rows: m.rows,
    tables: Object.fromEntries(TABLES.map((t) => [t, m.tables[t].rows])),
  };
}

/** A manifest from R2: null when absent; a reason string when it is not one this code reads. */
export async function readManifest(bucket: R2Bucket, name: string): Promise<Manifest | null | string> {
  if (!SNAPSHOT_NAME.test(name)) return null;
  const object = await bucket.get(manifestKey(name));
  if (!object) return null;
  let value: unknown;
  try {
    value = JSON.parse(await object.text());
  } catch {
    return 'the manifest is not JSON';
  }
  return manifestProblem(value, name) ?? withAllTables(value as Manifest);
}

/** An older manifest's missing tables (ADDED_LATER) as empty: no parts, nothing to restore. */
function withAllTables(m: Manifest): Manifest {
  const tables = Object.fromEntries(TABLES.map((t) => [t, (m.tables as Partial<Manifest['tables']>)[t] ?? { rows: 0, parts: [] }]));
  return { ...m, tables: tables as Manifest['tables'] };
}

function manifestProblem(value: unknown, name: string): string | null {
  const m = value as Partial<Manifest> | null;
  if (!m || typeof m !== 'object') return 'the manifest is not an object';
  if (m.format !== SNAPSHOT_FORMAT || (m.version !== MANIFEST_VERSION && m.version !== OLDER_VERSION))
    return `the manifest is not ${SNAPSHOT_FORMAT} version ${OLDER_VERSION} or ${MANIFEST_VERSION}`;
  if (m.name !== name) return `the manifest names another snapshot (${String(m.name).slice(0, 100)})`;
  if (!m.tables || typeof m.tables !== 'object') return 'the manifest has no tables';
  for (const t of TABLES) {
    const entry = (m.tables as Record<string, unknown>)[t] as { rows?: unknown; parts?: unknown } | undefined;
    if (entry === undefined && m.version === OLDER_VERSION && ADDED_LATER.has(t)) continue;
    if (!entry || !Number.isInteger(entry.rows) || !Array.isArray(entry.parts)) return `the manifest's tables.${t} is missing or malformed`;
    let rows = 0;
    for (const p of entry.parts as (Partial<PartInfo> | null)[]) {
      if (!p || typeof p.file !== 'string' || !PART_FILE.test(p.file) || !p.file.startsWith(`${t}-`))
        return `tables.${t} names a part outside the snapshot`;
      if (typeof p.rows !== 'number' || !Number.isInteger(p.rows) || !Number.isInteger(p.bytes) || typeof p.sha256 !== 'string')
        return `tables.${t} part ${p.file} is malformed`;
      rows += p.rows;
    }
    if (rows !== entry.rows) return `tables.${t}: its parts hold ${rows} rows, the table ${String(entry.rows)}`;
  }
  return null;
}

/** One page of snapshots, oldest first (names sort by time); `cursor` continues. */
export async function listSnapshots(bucket: R2Bucket, limit: number, cursor?: string): Promise<{ snapshots: SnapshotSummary[]; cursor?: string }> {
  const listed = await bucket.list({ prefix: PREFIX, delimiter: '/', limit, ...(cursor ? { cursor } : {}) });
  const names = listed.delimitedPrefixes.map((p) => p.slice(PREFIX.length, -1));
  const manifests = await Promise.all(names.map((n) => readManifest(bucket, n)));
  // A folder without a readable manifest is a snapshot that never finished: not listed.
  const snapshots = manifests.filter((m): m is Manifest => m !== null && typeof m !== 'string').map(summary);
  return { snapshots, ...(listed.truncated ? { cursor: listed.cursor } : {}) };
}

/** A part's text, checked against the manifest: the text, or why it cannot be used. */
export async function readPart(bucket: R2Bucket, name: string, part: PartInfo): Promise<{ text: string } | { problem: string }> {
  const object = await bucket.get(partKey(name, part.file));
  if (!object) return { problem: `part ${part.file} is missing` };
  const bytes = new Uint8Array(await object.arrayBuffer());
  const sha = await sha256Hex(bytes);
  if (sha !== part.sha256) return { problem: `part ${part.file}: its SHA-256 is ${sha}, the manifest says ${part.sha256.slice(0, 64)}` };
  const text = new TextDecoder().decode(bytes);
  const lines = text === '' ? 0 : text.split('\n').length - 1;
  if (lines !== part.rows) return { problem: `part ${part.file}: it holds ${lines} rows, the manifest says ${part.rows}` };
  return { text };
}
