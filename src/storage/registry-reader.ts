/**
 * Read-side repository over D1 (a Sessions API session in the Worker, the primary in the DO).
 * Every query is keyed by context: one tenant can never see another's rows.
 */
import type { NameRange } from '../domain/name-ranges';
import { DEFAULT_CONTEXT } from '../domain/naming';
import { eventPage, readChangeMark } from './events';
import { readGeneration } from './registry-meta';
import {
  type HeadRow,
  type SchemaRow,
  type StoredSchema,
  type StoredVersion,
  toHead,
  toSchema,
  toVersion,
  type VersionHead,
  type VersionRow,
} from './records';

/** The part of D1Database / D1DatabaseSession we use. */
export type Db = Pick<D1Database, 'prepare' | 'batch'>;

const SCHEMA_COLS = `s.context, s.id, s.guid, s.hash, s.schema_type AS schemaType, s.schema, s.refs, s.metadata, s.rule_set AS ruleSet`;
const VERSION_COLS = `${SCHEMA_COLS}, v.subject, v.version, v.deleted, v.created_at AS ts`;
const JOIN = `FROM versions v JOIN schemas s ON s.context = v.context AND s.id = v.schema_id`;
/**
 * A history row (VersionHead): the schema text of the latest live version only (no newer live
 * version of its subject: one probe of the primary key), the others' size in UTF-8 bytes. SQLite
 * measures the text where it lies; it never leaves the database.
 */
const LATEST_LIVE = `v.deleted = 0 AND NOT EXISTS (SELECT 1 FROM versions w WHERE w.context = v.context AND w.subject = v.subject AND w.version > v.version AND w.deleted = 0)`;
const HEAD_COLS = `s.context, s.id, s.guid, s.hash, s.schema_type AS schemaType, CASE WHEN ${LATEST_LIVE} THEN s.schema END AS schema,
  length(CAST(s.schema AS BLOB)) AS bytes, s.refs, s.metadata, s.rule_set AS ruleSet, v.subject, v.version, v.deleted, v.created_at AS ts`;

/** A version by its keys and its schema's, without the text (contextVersions). */
export interface VersionKey {
  context: string;
  subject: string;
  version: number;
  deleted: boolean;
  id: number;
  guid: string;
}

export interface ListOptions {
  deleted?: boolean;
  deletedOnly?: boolean;
}

function deletedFilter(o: ListOptions): string {
  if (o.deletedOnly) return ' AND v.deleted = 1';
  if (o.deleted) return '';
  return ' AND v.deleted = 0';
}

/** A subject version using a schema id (usagesOf). */
export interface Usage {
  subject: string;
  version: number;
  deleted: boolean;
}

type UsageRow = { subject: string; version: number; deleted: number };
const toUsage = (r: UsageRow): Usage => ({ subject: r.subject, version: r.version, deleted: r.deleted === 1 });

/**
 * `select` (over versions as v) restricted to subjects in `ranges`: one SELECT per range, joined by
 * UNION ALL, each a seek in an index whose next column is the subject, and SQLite merges their
 * ordered rows without sorting them. The ranges travel as one JSON parameter, number `param` (D1
 * binds at most 100; a credential holds up to 64 grants), and each bound is a constant expression
 * of it, so it stays an index bound. An open upper end is X'': a BLOB sorts above every TEXT.
 */
function withinRanges(select: string, ranges: NameRange[], param: number): string {
  return ranges
    .map(
      (_, i) =>
        `${select} AND v.subject >= json_extract(?${param}, '$[${i}][0]') AND v.subject < coalesce(json_extract(?${param}, '$[${i}][1]'), X'')`,
    )
    .join(' UNION ALL ');
}

function rangesParam(ranges: NameRange[]): string {
  return JSON.stringify(ranges.map((r) => [r.from ?? '', r.below ?? null]));
}

/** Which rows of an ordered answer: `limit` of them after the first `offset`. */
export interface Page {
  offset: number;
  limit: number;
}

/**
 * ` LIMIT n OFFSET m` for a page, as whole numbers SQLite takes: a client's offset can be any
 * number, and SQLite refuses a LIMIT or OFFSET past a 64-bit integer (or in exponent notation)
 * with "datatype mismatch", which would answer 500. Past 2^53 every page is empty anyway.
 */
function pageClause(page: Page): string {
  const whole = (n: number) => Math.min(Math.max(0, Math.trunc(n) || 0), Number.MAX_SAFE_INTEGER);
  return ` LIMIT ${whole(page.limit)} OFFSET ${whole(page.offset)}`;
}

/** SQL conditions on v.subject for a range and an exclusive lower key, numbered from `first`. */
function rangeWhere(range: NameRange, after: string | undefined, first: number): { where: string; binds: string[] } {
  const binds: string[] = [];
  let where = '';
  const add = (condition: string, value: string) => {
    binds.push(value);
    where += ` AND v.subject ${condition} ?${first + binds.length - 1}`;
  };
  if (range.from !== undefined) add('>=', range.from);
  if (range.below !== undefined) add('<', range.below);
  if (after !== undefined) add('>', after);
  return { where, binds };
}

/** A read that can run alone or in one batch() with others (one round trip to D1). */
export interface Query<T> {
  statement: D1PreparedStatement;
  decode: (rows: unknown[]) => T;
}

type Results<Q extends readonly Query<unknown>[]> = { [K in keyof Q]: Q[K] extends Query<infer T> ? T : never };

/** The values of `queries` from the results of a batch that ran their statements, in order. */
export function decodeAll<const Q extends readonly Query<unknown>[]>(queries: Q, results: D1Result[]): Results<Q> {
  return queries.map((q, i) => q.decode(results[i].results)) as Results<Q>;
}

export class RegistryReader {
  /** `db`: the session this reader reads through (the DEK registry service reads its own tables through it). */
  constructor(readonly db: Db) {}

  /** Run several queries in one round trip (a D1 batch is also one consistent snapshot). */
  async all<const Q extends readonly Query<unknown>[]>(...queries: Q): Promise<Results<Q>> {
    return decodeAll(queries, await this.db.batch(queries.map((q) => q.statement)));
  }

  /** One query alone: one statement, no batch around it. */
  async query<T>(q: Query<T>): Promise<T> {
    const { results } = await q.statement.all();
    return q.decode(results);
  }

  private async one<T>(q: Query<T>): Promise<T> {
    const [value] = await this.all(q);
    return value;
  }

  /** The registry generation (storage/registry-meta.ts): part of every cache key of an immutable read. */
  generation(): Promise<number> {
    return readGeneration(this.db);
  }

  /** The highest committed change event's seq (storage/events.ts readChangeMark): the fresh cache's change mark. */
  changeMark(): Promise<number> {
    return readChangeMark(this.db);
  }

  /** A schema by id, only while some version (live or soft-deleted) still uses it. */
  async schemaById(context: string, id: number): Promise<StoredSchema | null> {
    const row = await this.db
      .prepare(
        `SELECT ${SCHEMA_COLS} FROM schemas s WHERE s.context = ?1 AND s.id = ?2
         AND EXISTS (SELECT 1 FROM versions v WHERE v.context = s.context AND v.schema_id = s.id)`,
      )
      .bind(context, id)
      .first<SchemaRow>();
    return row ? toSchema(row) : null;
  }

  /**
   * Where a guid is stored while some version still uses it: the default context first, then the
   * others by name, then id (Confluent listIdsForGuid). One guid is one content: at most one id per
   * context and schema type, so `limit` bounds the number of contexts.
   */
  async idsByGuid(guid: string, limit: number): Promise<{ context: string; id: number }[]> {
    const { results } = await this.db
      .prepare(
        `SELECT s.context AS context, s.id AS id FROM schemas s WHERE s.guid = ?1
         AND EXISTS (SELECT 1 FROM versions v WHERE v.context = s.context AND v.schema_id = s.id)
         ORDER BY s.context = ?2 DESC, s.context, s.id LIMIT ${limit}`,
      )
      .bind(guid, DEFAULT_CONTEXT)
      .all<{ context: string; id: number }>();
    return results;
  }

  /** The first schema with a guid in the order of idsByGuid (the default context's, if any). */
  async schemaByGuid(guid: string): Promise<StoredSchema | null> {
    const row = await this.db
      .prepare(
        `SELECT ${SCHEMA_COLS} FROM schemas s WHERE s.guid = ?1
         AND EXISTS (SELECT 1 FROM versions v WHERE v.context = s.context AND v.schema_id = s.id)
         ORDER BY s.context = ?2 DESC, s.context, s.id LIMIT 1`,
      )
      .bind(guid, DEFAULT_CONTEXT)
      .first<SchemaRow>();
    return row ? toSchema(row) : null;
  }

  /** By identity hash, whether or not any version uses it (ids are stable across hard deletes). */
  async schemaByHash(context: string, hash: string): Promise<StoredSchema | null> {
    const row = await this.db
      .prepare(`SELECT ${SCHEMA_COLS} FROM schemas s WHERE s.context = ?1 AND s.hash = ?2`)
      .bind(context, hash)
      .first<SchemaRow>();
    return row ? toSchema(row) : null;
  }

  /**
   * The id and guid of each of these hashes the context holds (a group commit's writes, looked up
   * in one round trip instead of one each); a hash absent from the map is not stored.
   */
  schemaIdsByHashQuery(context: string, hashes: string[]): Query<Map<string, { id: number; guid: string; hash: string }>> {
    return {
      statement: this.db
        .prepare(`SELECT id, guid, hash FROM schemas WHERE context = ?1 AND hash IN (SELECT value FROM json_each(?2))`)
        .bind(context, JSON.stringify(hashes)),
      decode: (rows) => new Map((rows as { id: number; guid: string; hash: string }[]).map((r) => [r.hash, r])),
    };
  }

  async schemaIdTaken(context: string, id: number): Promise<StoredSchema | null> {
    const row = await this.db.prepare(`SELECT ${SCHEMA_COLS} FROM schemas s WHERE s.context = ?1 AND s.id = ?2`).bind(context, id).first<SchemaRow>();
    return row ? toSchema(row) : null;
  }

  /**
   * A subject's history for a decision (register, check, lookup), ascending, under the deletion
   * filter: versionsQuery without the texts but the latest live one's (VersionHead).
   */
  historyQuery(context: string, subject: string, o: ListOptions = {}): Query<VersionHead[]> {
    return {
      statement: this.db
        .prepare(`SELECT ${HEAD_COLS} ${JOIN} WHERE v.context = ?1 AND v.subject = ?2${deletedFilter(o)} ORDER BY v.version`)
        .bind(context, subject),
      decode: (rows) => (rows as HeadRow[]).map(toHead),
    };
  }

  /** historyQuery({ deleted: true }) for several subjects of a context in one statement: every version of each, in order. */
  historiesQuery(context: string, subjects: string[]): Query<VersionHead[][]> {
    return {
      statement: this.db
        .prepare(`SELECT ${HEAD_COLS} ${JOIN} WHERE v.context = ?1 AND v.subject IN (SELECT value FROM json_each(?2)) ORDER BY v.subject, v.version`)
        .bind(context, JSON.stringify(subjects)),
      decode: (rows) => {
        const of = new Map<string, VersionHead[]>(subjects.map((s) => [s, []]));
        for (const v of (rows as HeadRow[]).map(toHead)) of.get(v.subject)?.push(v);
        return subjects.map((s) => of.get(s) ?? []);
      },
    };
  }

  /** The schema texts of these ids of a context (a history's, by services/history.ts), by id. */
  async schemaTexts(context: string, ids: number[]): Promise<Map<number, string>> {
    const { results } = await this.db
      .prepare(`SELECT id, schema FROM schemas WHERE context = ?1 AND id IN (SELECT value FROM json_each(?2))`)
      .bind(context, JSON.stringify(ids))
      .all<{ id: number; schema: string }>();
    return new Map(results.map((r) => [r.id, r.schema]));
  }

  history(context: string, subject: string, o: ListOptions = {}): Promise<VersionHead[]> {
    return this.one(this.historyQuery(context, subject, o));
  }

  /**
   * A subject's version numbers under the deletion filter, oldest first: `versions` without the
   * schema rows (GET /subjects/{s}/versions; schema rows are never deleted, so the join drops none).
   */
  async versionNumbers(context: string, subject: string, o: ListOptions = {}): Promise<number[]> {
    const rows = await this.db
      .prepare(`SELECT v.version FROM versions v WHERE v.context = ?1 AND v.subject = ?2${deletedFilter(o)} ORDER BY v.version`)
      .bind(context, subject)
      .raw<[number]>();
    return rows.map((r) => r[0]);
  }

  async version(context: string, subject: string, version: number): Promise<StoredVersion | null> {
    const row = await this.db
      .prepare(`SELECT ${VERSION_COLS} ${JOIN} WHERE v.context = ?1 AND v.subject = ?2 AND v.version = ?3`)
      .bind(context, subject, version)
      .first<VersionRow>();
    return row ? toVersion(row) : null;
  }

  /** The newest version (live only, unless `includeDeleted`): one row, for `latest`. */
  async latest(context: string, subject: string, includeDeleted = false): Promise<StoredVersion | null> {
    const row = await this.db
      .prepare(
        `SELECT ${VERSION_COLS} ${JOIN} WHERE v.context = ?1 AND v.subject = ?2${includeDeleted ? '' : ' AND v.deleted = 0'} ORDER BY v.version DESC LIMIT 1`,
      )
      .bind(context, subject)
      .first<VersionRow>();
    return row ? toVersion(row) : null;
  }

  /**
   * A chunk of one context's subjects in name order (keyset paging): names in `range`, after
   * `after`. The primary key (context, subject, version) is walked in order and the walk stops at
   * `limit` subjects, so a page reads the rows of the subjects it returns, not of the context.
   */
  async subjectChunk(context: string, range: NameRange, after: string | undefined, o: ListOptions, limit: number): Promise<string[]> {
    const having = o.deletedOnly ? 'HAVING MIN(v.deleted) = 1' : o.deleted ? '' : 'HAVING MIN(v.deleted) = 0';
    const { where, binds } = rangeWhere(range, after, 2);
    const { results } = await this.db
      .prepare(
        `SELECT v.subject AS subject FROM versions v WHERE v.context = ?1${where} GROUP BY v.subject ${having} ORDER BY v.subject LIMIT ${limit}`,
      )
      .bind(context, ...binds)
      .all<{ subject: string }>();
    return results.map((r) => r.subject);
  }

  /**
   * A chunk of one context's versions in (subject, version) order, after the key `after` (keyset
   * paging, as subjectChunk). `latestOnly`: only each subject's newest version among those the
   * deletion filter keeps. `maxBytes`: the chunk ends with the first row whose schema text brings
   * the chunk's texts to this many UTF-8 bytes (at least one row): SQLite measures the texts where
   * they lie, so a chunk of large schemas holds about `maxBytes` of them, not `limit` times the
   * largest. `more`: rows may follow (the chunk ended at `limit` or at `maxBytes`).
   */
  async versionChunk(
    context: string,
    range: NameRange,
    after: { subject: string; version: number } | undefined,
    o: ListOptions & { latestOnly?: boolean },
    limit: number,
    maxBytes: number,
  ): Promise<{ rows: StoredVersion[]; more: boolean }> {
    const { where, binds } = rangeWhere(range, undefined, 2);
    const keyset = after ? ` AND (v.subject, v.version) > (?${binds.length + 2}, ?${binds.length + 3})` : '';
    const latest = o.latestOnly
      ? ` AND NOT EXISTS (SELECT 1 FROM versions w WHERE w.context = v.context AND w.subject = v.subject AND w.version > v.version${deletedFilter(o).replaceAll('v.', 'w.')})`
      : '';
    // The page's keys and text sizes first (SQLite reads a text's size from its record header), the
    // running total over them (at most `limit` rows, never the context's versions), and only then
    // the texts of the rows kept: no text is copied into the window's table.
    const page = `SELECT v.subject, v.version, length(CAST(s.schema AS BLOB)) AS bytes ${JOIN} WHERE v.context = ?1${where}${keyset}${deletedFilter(o)}${latest} ORDER BY v.subject, v.version LIMIT ${limit}`;
    const kept = `SELECT * FROM (SELECT p.*, SUM(p.bytes) OVER (ORDER BY p.subject, p.version ROWS UNBOUNDED PRECEDING) AS running FROM (${page}) p) WHERE running - bytes < ${Math.max(1, Math.floor(maxBytes))}`;
    const { results } = await this.db
      .prepare(
        // CROSS JOIN keeps the kept rows outermost (SQLite's join-order hint): a key lookup each.
        `SELECT ${VERSION_COLS}, k.running AS running FROM (${kept}) k
         CROSS JOIN versions v ON v.context = ?1 AND v.subject = k.subject AND v.version = k.version
         CROSS JOIN schemas s ON s.context = v.context AND s.id = v.schema_id ORDER BY k.subject, k.version`,
      )
      .bind(context, ...binds, ...(after ? [after.subject, after.version] : []))
      .all<VersionRow & { running: number }>();
    const last = results.at(-1);
    return { rows: results.map(toVersion), more: results.length === limit || (last !== undefined && last.running >= maxBytes) };
  }

  /** The (subject, version) pairs using a schema id, in order; at most `limit` of them. */
  async usagesOf(context: string, id: number, o: ListOptions, limit: number): Promise<Usage[]> {
    const { results } = await this.db
      .prepare(
        `SELECT v.subject AS subject, v.version AS version, v.deleted AS deleted FROM versions v
         WHERE v.context = ?1 AND v.schema_id = ?2${deletedFilter(o)} ORDER BY v.subject, v.version LIMIT ${limit}`,
      )
      .bind(context, id)
      .all<UsageRow>();
    return results.map(toUsage);
  }

  /**
   * A page of the (subject, version) pairs using a schema id, in order, only those with a subject
   * in `ranges` (sorted and disjoint: domain/name-ranges.ts `readableRanges`; undefined: every
   * subject). Each range is a seek in the index on (context, schema_id, subject, version, deleted),
   * which covers the query, and SQLite merges the ranges' ordered rows without sorting them: a page
   * reads the usages before and in it that the ranges hold, never the others (D1's rows_read,
   * counted in test/integration/usages.test.ts).
   */
  async usagePage(context: string, id: number, ranges: NameRange[] | undefined, o: ListOptions, page: Page): Promise<Usage[]> {
    const columns = 'v.subject AS subject, v.version AS version, v.deleted AS deleted';
    const found = await this.usagesWithin(context, id, ranges, o, columns, ` ORDER BY subject, version${pageClause(page)}`);
    return (found?.results as UsageRow[] | undefined)?.map(toUsage) ?? [];
  }

  /** As usagePage, the distinct subjects (a subject once however many of its versions use the id). */
  async subjectsUsingPage(context: string, id: number, ranges: NameRange[] | undefined, o: ListOptions, page: Page): Promise<string[]> {
    const found = await this.usagesWithin(context, id, ranges, o, 'DISTINCT v.subject AS subject', ` ORDER BY subject${pageClause(page)}`);
    return (found?.results as { subject: string }[] | undefined)?.map((r) => r.subject) ?? [];
  }

  /** Does any version (soft-deleted ones too) of a subject in `ranges` use the schema id? A seek per range, in turn. */
  async usedWithin(context: string, id: number, ranges: NameRange[]): Promise<boolean> {
    const found = await this.usagesWithin(context, id, ranges, { deleted: true }, '1 AS found', ' LIMIT 1');
    return (found?.results.length ?? 0) > 0;
  }

  /**
   * The statement under the three above: one SELECT per range, joined by UNION ALL (the ranges are
   * disjoint; `withinRanges`). No ranges: nothing to read.
   */
  private async usagesWithin(context: string, id: number, ranges: NameRange[] | undefined, o: ListOptions, columns: string, tail: string) {
    const select = `SELECT ${columns} FROM versions v WHERE v.context = ?1 AND v.schema_id = ?2${deletedFilter(o)}`;
    if (ranges === undefined)
      return this.db
        .prepare(select + tail)
        .bind(context, id)
        .all();
    if (ranges.length === 0) return undefined;
    return this.db
      .prepare(withinRanges(select, ranges, 3) + tail)
      .bind(context, id, rangesParam(ranges))
      .all();
  }

  /**
   * Ids of the schemas that reference subject/version while any version (soft-deleted too) still
   * uses them, in id order; with `ranges` (domain/name-ranges.ts), only those some version of a
   * subject in them uses (what a caller with subject-prefix grants may read); a page of them.
   * The index refs_target (context, ref_subject, ref_version, schema_id) gives the ids in order
   * without a sort, and each id's use is a seek in versions_schema per range: a page reads the
   * references before and in it, not the context's others.
   */
  async referencedBy(context: string, subject: string, version: number, ranges: NameRange[] | undefined, page: Page): Promise<number[]> {
    if (ranges?.length === 0) return [];
    const used = 'SELECT 1 FROM versions v WHERE v.context = r.context AND v.schema_id = r.schema_id';
    const { results } = await this.db
      .prepare(
        `SELECT DISTINCT r.schema_id AS id FROM refs r WHERE r.context = ?1 AND r.ref_subject = ?2 AND r.ref_version = ?3
         AND EXISTS (${ranges ? withinRanges(used, ranges, 4) : used}) ORDER BY id${pageClause(page)}`,
      )
      .bind(context, subject, version, ...(ranges ? [rangesParam(ranges)] : []))
      .all<{ id: number }>();
    return results.map((r) => r.id);
  }

  /**
   * Of these schema ids of a context, those no version holds any more (after a permanent delete:
   * their cached documents go). One statement however many ids: they travel as one JSON array.
   */
  unheldIdsQuery(context: string, ids: number[]): Query<number[]> {
    return {
      statement: this.db
        .prepare(
          `SELECT DISTINCT j.value AS id FROM json_each(?2) j
           WHERE NOT EXISTS (SELECT 1 FROM versions v WHERE v.context = ?1 AND v.schema_id = j.value) ORDER BY id`,
        )
        .bind(context, JSON.stringify(ids)),
      decode: (rows) => (rows as { id: number }[]).map((r) => r.id),
    };
  }

  /**
   * The first version, in (subject, version) order, of one subject (or, without one, of the whole
   * context) that a schema some version still holds references; `live`: among live versions only.
   * What deleting a subject or entering IMPORT mode must refuse (Confluent 42206), in one statement
   * rather than one `referencedBy` round trip per version (a subject may hold 10,000).
   */
  async firstReferenced(
    context: string,
    subject: string | undefined,
    o: { live?: boolean } = {},
  ): Promise<{ subject: string; version: number } | null> {
    const row = await this.db
      .prepare(
        `SELECT r.ref_subject AS subject, r.ref_version AS version FROM refs r
         JOIN versions t ON t.context = r.context AND t.subject = r.ref_subject AND t.version = r.ref_version
         WHERE r.context = ?1${subject === undefined ? '' : ' AND r.ref_subject = ?2'}${o.live ? ' AND t.deleted = 0' : ''}
         AND EXISTS (SELECT 1 FROM versions v WHERE v.context = r.context AND v.schema_id = r.schema_id)
         ORDER BY r.ref_subject, r.ref_version LIMIT 1`,
      )
      .bind(...(subject === undefined ? [context] : [context, subject]))
      .first<{ subject: string; version: number }>();
    return row ?? null;
  }

  /**
   * Every version of a context, in (subject, version) order, without its schema text: what entering
   * IMPORT mode checks and purges (durable/settings-writes.ts), for a context of any size.
   */
  async contextVersions(context: string, o: ListOptions = {}): Promise<VersionKey[]> {
    const { results } = await this.db
      .prepare(
        `SELECT v.context AS context, v.subject AS subject, v.version AS version, v.deleted AS deleted, s.id AS id, s.guid AS guid ${JOIN}
         WHERE v.context = ?1${deletedFilter(o)} ORDER BY v.subject, v.version`,
      )
      .bind(context)
      .all<Omit<VersionKey, 'deleted'> & { deleted: number }>();
    return results.map((r) => ({ ...r, deleted: r.deleted === 1 }));
  }

  /** A page of change events (storage/events.ts), through this reader's session (the client's bookmark). */
  eventPage(o: Parameters<typeof eventPage>[1]): ReturnType<typeof eventPage> {
    return eventPage(this.db, o);
  }

  async maxId(context: string): Promise<number> {
    const row = await this.db.prepare(`SELECT MAX(id) AS m FROM schemas WHERE context = ?1`).bind(context).first<{ m: number | null }>();
    return row?.m ?? 0;
  }

  nextIdQuery(context: string): Query<number> {
    return {
      // The counter, or past the highest id ever stored when the context row was deleted
      // (DELETE /contexts/{ctx}) and made again: schema rows are never deleted, so ids are never reused.
      statement: this.db
        .prepare(
          `SELECT MAX(COALESCE((SELECT next_id FROM contexts WHERE context = ?1), 1),
                      COALESCE((SELECT MAX(id) FROM schemas WHERE context = ?1), 0) + 1) AS n`,
        )
        .bind(context),
      decode: (rows) => (rows as { n: number }[])[0]?.n ?? 1,
    };
  }

  nextId(context: string): Promise<number> {
    return this.one(this.nextIdQuery(context));
  }

  /** Does the context hold any subject version, soft-deleted ones included (Confluent hasSubjects(ctx, true))? */
  async hasVersions(context: string): Promise<boolean> {
    const row = await this.db.prepare(`SELECT EXISTS (SELECT 1 FROM versions WHERE context = ?1) AS e`).bind(context).first<{ e: number }>();
    return row?.e === 1;
  }

  /** Does the context exist, and how many contexts are there (the bound on creating one)? */
  async contextState(context: string): Promise<{ exists: boolean; count: number }> {
    const row = await this.db
      .prepare(`SELECT EXISTS (SELECT 1 FROM contexts WHERE context = ?1) AS e, (SELECT COUNT(*) FROM contexts) AS n`)
      .bind(context)
      .first<{ e: number; n: number }>();
    return { exists: row?.e === 1, count: row?.n ?? 0 };
  }

  /**
   * The subjects the context holds (live or soft-deleted): one row of subject_counts, kept by
   * triggers on `versions` (schema.ts subjectCounts), however many subjects there are.
   */
  subjectCountQuery(context: string): Query<number> {
    return {
      statement: this.db.prepare(`SELECT subjects AS n FROM subject_counts WHERE context = ?1`).bind(context),
      decode: (rows) => (rows as { n: number }[])[0]?.n ?? 0,
    };
  }

  /**
   * subjectCountQuery, only when one of `subjects` holds no version in the context (null otherwise):
   * what a group that may create a subject needs, in its read batch. A group that creates no
   * subject reads a few index entries and no count (test/integration/group-commit.test.ts).
   */
  subjectCountIfNewQuery(context: string, subjects: string[]): Query<number | null> {
    return {
      statement: this.db
        .prepare(
          `SELECT coalesce((SELECT subjects FROM subject_counts WHERE context = ?1), 0) AS n
           WHERE EXISTS (SELECT 1 FROM json_each(?2) s WHERE NOT EXISTS (SELECT 1 FROM versions v WHERE v.context = ?1 AND v.subject = s.value))`,
        )
        .bind(context, JSON.stringify(subjects)),
      decode: (rows) => (rows as { n: number }[])[0]?.n ?? null,
    };
  }

  async contexts(): Promise<string[]> {
    const { results } = await this.db.prepare(`SELECT context FROM contexts ORDER BY context`).all<{ context: string }>();
    return results.map((r) => r.context);
  }

  /** Raw config body (JSON object) set at exactly this scope, or null. */
  async config(context: string, subject: string): Promise<Record<string, unknown> | null> {
    const row = await this.db
      .prepare(`SELECT body FROM configs WHERE context = ?1 AND subject = ?2`)
      .bind(context, subject)
      .first<{ body: string }>();
    return row ? (JSON.parse(row.body) as Record<string, unknown>) : null;
  }

  /** Config bodies set at any of `scopes`, keyed `context\u0000subject` (a Query: batch it with others). */
  configsAt(scopes: [string, string][]): Query<Map<string, Record<string, unknown>>> {
    return {
      statement: this.db
        .prepare(
          `SELECT c.context AS context, c.subject AS subject, c.body AS body FROM configs c JOIN json_each(?1) s
                  ON c.context = json_extract(s.value, '$[0]') AND c.subject = json_extract(s.value, '$[1]')`,
        )
        .bind(JSON.stringify(scopes)),
      decode: (rows) =>
        new Map(
          (rows as { context: string; subject: string; body: string }[]).map((r) => [
            `${r.context}\u0000${r.subject}`,
            JSON.parse(r.body) as Record<string, unknown>,
          ]),
        ),
    };
  }

  /** Modes set at any of `scopes`, keyed `context\u0000subject` (a Query). */
  modesAt(scopes: [string, string][]): Query<Map<string, string>> {
    return {
      statement: this.db
        .prepare(
          `SELECT m.context AS context, m.subject AS subject, m.mode AS mode FROM modes m JOIN json_each(?1) s
                  ON m.context = json_extract(s.value, '$[0]') AND m.subject = json_extract(s.value, '$[1]')`,
        )
        .bind(JSON.stringify(scopes)),
      decode: (rows) =>
        new Map((rows as { context: string; subject: string; mode: string }[]).map((r) => [`${r.context}\u0000${r.subject}`, r.mode])),
    };
  }

  async mode(context: string, subject: string): Promise<string | null> {
    const row = await this.db.prepare(`SELECT mode FROM modes WHERE context = ?1 AND subject = ?2`).bind(context, subject).first<{ mode: string }>();
    return row?.mode ?? null;
  }
}
