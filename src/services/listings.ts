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
import type { ListOptions, NameRange, RegistryReader } from '../storage/registry-reader';

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
  /** At most this many; 0 = all (Confluent: a limit of 0 or less means no limit). */
  limit: number;
  options: ListOptions;
}

/** What the caller may see: a whole context at all, and one subject. */
export interface Visibility {
  context: (context: string) => boolean;
  subject: (context: string, subject: string) => boolean;
}

/** The smallest string above every string that starts with `prefix` (undefined: none is). */
export function prefixEnd(prefix: string): string | undefined {
  // Code points, not UTF-16 units: the bound is in code point order (SQLite compares UTF-8 bytes).
  const points = Array.from(prefix);
  while (points.length) {
    const last = points.pop() as string;
    const cp = last.codePointAt(0) as number;
    if (cp < 0x10ffff) return points.join('') + String.fromCodePoint(cp === 0xd7ff ? 0xe000 : cp + 1);
  }
  return undefined;
}

function intersect(a: NameRange, b: NameRange): NameRange | undefined {
  const from = a.from === undefined ? b.from : b.from === undefined ? a.from : a.from > b.from ? a.from : b.from;
  const below = a.below === undefined ? b.below : b.below === undefined ? a.below : a.below < b.below ? a.below : b.below;
  if (from !== undefined && below !== undefined && from >= below) return undefined;
  return { ...(from !== undefined ? { from } : {}), ...(below !== undefined ? { below } : {}) };
}

async function segments(reader: RegistryReader, listing: Listing): Promise<Segment[]> {
  const byPrefix: NameRange = listing.prefix
    ? { from: listing.prefix, ...(prefixEnd(listing.prefix) ? { below: prefixEnd(listing.prefix) } : {}) }
    : {};
  const of = (context: string, range: NameRange): Segment[] => {
    const r = intersect(range, byPrefix);
    return r ? [{ context, range: r }] : [];
  };
  if (listing.context !== undefined) return of(listing.context, {});
  const named = (await reader.contexts()).filter((c) => c !== DEFAULT_CONTEXT).sort((a, b) => (qualify(a, '') < qualify(b, '') ? -1 : 1));
  return [...of(DEFAULT_CONTEXT, { below: ':' }), ...named.flatMap((c) => of(c, {})), ...of(DEFAULT_CONTEXT, { from: ':' })];
}

/**
 * Walk the listing's segments in order, a chunk at a time, keeping what `keep` keeps, skipping
 * `offset` of those and stopping at `limit`.
 */
async function walk<T>(
  listing: Listing,
  all: Segment[],
  visible: Visibility,
  chunk: (segment: Segment, after: T | undefined, size: number) => Promise<T[]>,
  keep: (segment: Segment, row: T) => boolean,
): Promise<{ segment: Segment; row: T }[]> {
  const out: { segment: Segment; row: T }[] = [];
  let skip = listing.offset;
  const want = listing.limit > 0 ? listing.limit : Infinity;
  // One round trip for a first page; larger chunks when rows are skipped or filtered out.
  let size = Math.min(1000, Math.max(100, Number.isFinite(want) ? skip + want : 1000));
  for (const segment of all) {
    if (!visible.context(segment.context)) continue;
    let after: T | undefined;
    for (;;) {
      const rows = await chunk(segment, after, size);
      for (const row of rows) {
        if (!keep(segment, row)) continue;
        if (skip > 0) skip--;
        else out.push({ segment, row });
        if (out.length >= want) return out;
      }
      if (rows.length < size) break;
      after = rows[rows.length - 1];
      size = 1000;
    }
  }
  return out;
}

/** GET /subjects: qualified names, in order, the caller may read. */
export async function subjectPage(reader: RegistryReader, listing: Listing, visible: Visibility): Promise<string[]> {
  const rows = await walk<string>(
    listing,
    await segments(reader, listing),
    visible,
    (s, after, size) => reader.subjectChunk(s.context, s.range, after, listing.options, size),
    (s, subject) => visible.subject(s.context, subject),
  );
  return rows.map(({ segment, row }) => qualify(segment.context, row));
}

/** GET /schemas: versions, in qualified-subject then version order, the caller may read. */
export async function versionPage(reader: RegistryReader, listing: Listing & { latestOnly: boolean }, visible: Visibility): Promise<StoredVersion[]> {
  const rows = await walk<StoredVersion>(
    listing,
    await segments(reader, listing),
    visible,
    (s, after, size) =>
      reader.versionChunk(
        s.context,
        s.range,
        after && { subject: after.subject, version: after.version },
        { ...listing.options, latestOnly: listing.latestOnly },
        size,
      ),
    (s, v) => visible.subject(s.context, v.subject),
  );
  return rows.map(({ row }) => row);
}
