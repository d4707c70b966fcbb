/**
 * GET /subjects and GET /schemas, paged in SQL. Confluent sorts a listing by qualified subject
 * name (`:.ctx:name`, bare names for the default context) and pages it with offset/limit. Here the
 * listing is walked in exactly that order as a sequence of segments, each an index range of one
 * context read in chunks (keyset paging, storage/registry-reader.ts), and the walk stops when the
 * page is full: a page costs the rows before and in it, not every row of the registry.
 *
 * The order of segments, for every context (`:*:`): the default context's names below ':' (digits,
 * '-', '.', ...), then each named context in the order of its `:.ctx:` prefix, then the default
 * context's names from ':' up. Order is by code point (SQLite compares UTF-8 bytes), which differs
 * from Java's UTF-16 order only between characters above U+FFFF and those from U+E000 to U+FFFF.
 */
import { DEFAULT_CONTEXT, qualify } from '../domain/naming';
import type { StoredVersion } from '../domain/entities';
import type { ListOptions, RegistryReader } from '../storage/registry-reader';
import { intersect, type NameRange, partsWithin, prefixRange } from '../domain/name-ranges';
import { limitExceeded } from './bounds';
import { utf8Length } from '../domain/utf8-length';

interface Segment {
  context: string;
  range: NameRange;
}

export interface Listing {
  /** One context, or undefined for every context. */
  context: string | undefined;
  /** Only names starting with this ('' = all). */
  prefix: string;
  offset: number;
  /** The limit the request gave (0: none); each listing applies its own bounds (listingLimit). */
  limit: number;
  options: ListOptions;
}

export interface ListingBounds {
  /** The limit of a request that gives none, or one out of 1..max. */
  byDefault: number;
  max: number;
}

/**
 * How many items one answer of a listing holds: Confluent's `*.search.default.limit` and
 * `*.search.max.limit` (SchemaRegistryConfig). GET /schemas answers at most 1,000 versions, as
 * Confluent does. Confluent lists every subject; here an answer holds at most 100,000 (the default
 * MAX_SUBJECTS_PER_CONTEXT, about 1.2 MB of names, docs/performance.md), since a registry of many
 * contexts could otherwise answer, and hold in the isolate, millions.
 */
export const SCHEMA_LISTING = { byDefault: 1000, max: 1000, maxTextBytes: 8 * 1024 * 1024 } satisfies ListingBounds & { maxTextBytes: number };
export const SUBJECT_LISTING: ListingBounds = { byDefault: 100_000, max: 100_000 };

/**
 * Confluent's normalizeLimit (AbstractSchemaRegistry): a limit from 1 to `max` is kept; any other
 * (none, 0 or less, over `max`) is the default.
 */
export function listingLimit(supplied: number, limits: ListingBounds): number {
  return supplied > 0 && supplied <= limits.max ? supplied : limits.byDefault;
}

/**
 * What the caller may see: a whole context at all, and one subject; and, to walk only those, the
 * subjects of a context it may read as name ranges (domain/name-ranges.ts `readableRanges`;
 * undefined, or no `ranges`: all of them). `subject` decides; `ranges` only spares the walk the
 * rows it would drop.
 */
export interface Visibility {
  context: (context: string) => boolean;
  subject: (context: string, subject: string) => boolean;
  ranges?: (context: string) => NameRange[] | undefined;
}

/**
 * The listing's segments, in its order: each context's part of it (the prefix), and of that only
 * the ranges the caller may read, so a caller that reads a few subjects of a large context seeks
 * them instead of reading every name.
 */
async function segments(reader: RegistryReader, listing: Listing, visible: Visibility): Promise<Segment[]> {
  const byPrefix: NameRange = listing.prefix ? prefixRange(listing.prefix) : {};
  const of = (context: string, range: NameRange): Segment[] =>
    partsWithin(intersect(range, byPrefix), visible.ranges?.(context)).map((r) => ({ context, range: r }));
  if (listing.context !== undefined) return of(listing.context, {});
  const named = (await reader.contexts()).filter((c) => c !== DEFAULT_CONTEXT).sort((a, b) => (qualify(a, '') < qualify(b, '') ? -1 : 1));
  return [...of(DEFAULT_CONTEXT, { below: ':' }), ...named.flatMap((c) => of(c, {})), ...of(DEFAULT_CONTEXT, { from: ':' })];
}

/** The rows of one chunk, and whether more may follow it in its segment. */
interface Chunk<T> {
  rows: T[];
  more: boolean;
}

/** A bound on what an answer holds besides its count: each kept row's weight, at most `max` in all. */
interface WeightBound<T> {
  weigh: (row: T) => number;
  max: number;
  exceeded: () => Error;
}

/**
 * Walk the listing's segments in order, a chunk at a time, keeping what `keep` keeps, skipping
 * `offset` of those and stopping at `limit` (or refusing once the kept rows weigh more than `bound`).
 */
async function walk<T>(
  listing: Listing,
  all: Segment[],
  visible: Visibility,
  chunk: (segment: Segment, after: T | undefined, size: number) => Promise<Chunk<T>>,
  keep: (segment: Segment, row: T) => boolean,
  bound?: WeightBound<T>,
): Promise<{ segment: Segment; row: T }[]> {
  const out: { segment: Segment; row: T }[] = [];
  let skip = listing.offset;
  const want = listing.limit;
  let weight = 0;
  // One round trip for a first page; larger chunks when rows are skipped or filtered out.
  let size = Math.min(1000, Math.max(100, skip + want));
  for (const segment of all) {
    if (!visible.context(segment.context)) continue;
    let after: T | undefined;
    for (;;) {
      const { rows, more } = await chunk(segment, after, size);
      for (const row of rows) {
        if (!keep(segment, row)) continue;
        if (skip > 0) {
          skip--;
          continue;
        }
        if (bound && (weight += bound.weigh(row)) > bound.max) throw bound.exceeded();
        out.push({ segment, row });
        if (out.length >= want) return out;
      }
      if (!more || rows.length === 0) break;
      after = rows[rows.length - 1];
      size = 1000;
    }
  }
  return out;
}

/**
 * GET /subjects: qualified names, in order, the caller may read. A request without a limit (or
 * with one over the bound) asks for every subject, as Confluent answers it: when more than
 * SUBJECT_LISTING's bound match, the answer is 42224, never a part taken for the whole.
 */
export async function subjectPage(reader: RegistryReader, listing: Listing, visible: Visibility, bounds = SUBJECT_LISTING): Promise<string[]> {
  const limit = listingLimit(listing.limit, bounds);
  const paged = limit === listing.limit;
  const rows = await walk<string>(
    { ...listing, limit: paged ? limit : limit + 1 },
    await segments(reader, listing, visible),
    visible,
    async (s, after, size) => {
      const rows = await reader.subjectChunk(s.context, s.range, after, listing.options, size);
      return { rows, more: rows.length === size };
    },
    (s, subject) => visible.subject(s.context, subject),
  );
  if (rows.length > limit) {
    throw limitExceeded(`More than ${limit} subjects match; list them a page at a time with offset and limit (at most ${bounds.max})`);
  }
  return rows.map(({ segment, row }) => qualify(segment.context, row));
}

/**
 * GET /schemas: versions, in qualified-subject then version order, the caller may read; at most
 * SCHEMA_LISTING's bound, as Confluent answers (a request without a limit gets the first 1,000).
 * And at most `maxTextBytes` of schema text (UTF-8): a thousand schemas of up to 1 MiB each would be a
 * gigabyte in an isolate of 128 MB, so past it the answer is 42224 (page with a smaller limit),
 * never a part taken for the whole. Each round trip holds at most that much too, skipped and
 * unreadable rows included.
 */
export async function versionPage(
  reader: RegistryReader,
  listing: Listing & { latestOnly: boolean },
  visible: Visibility,
  bounds: ListingBounds & { maxTextBytes: number } = SCHEMA_LISTING,
): Promise<StoredVersion[]> {
  const limit = listingLimit(listing.limit, bounds);
  const rows = await walk<StoredVersion>(
    { ...listing, limit },
    await segments(reader, listing, visible),
    visible,
    (s, after, size) =>
      reader.versionChunk(
        s.context,
        s.range,
        after && { subject: after.subject, version: after.version },
        { ...listing.options, latestOnly: listing.latestOnly },
        size,
        bounds.maxTextBytes,
      ),
    (s, v) => visible.subject(s.context, v.subject),
    {
      weigh: (v) => utf8Length(v.schema),
      max: bounds.maxTextBytes,
      exceeded: () =>
        limitExceeded(
          `The versions asked for hold more than ${bounds.maxTextBytes} bytes of schema text; list them a page at a time with offset and a smaller limit`,
        ),
    },
  );
  return rows.map(({ row }) => row);
}
