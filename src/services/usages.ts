/**
 * The subject versions using a schema id: `GET /schemas/ids/{id}/subjects` and `/versions`, and
 * whether a caller whose grants reach only some subjects may read the id at all (http/visibility.ts).
 * What a caller may read is a few ranges of subject names (domain/name-ranges.ts `readableRanges`).
 *
 * Most ids are used by a handful of subjects, and the fresh cache holds them all (fresh-reads.ts
 * `freshUsages`): answers come from memory, a warm one at no D1 read. An id used by more than
 * USAGES_HELD versions is answered in SQL: a page is a seek per range and reads only the usages
 * before and in it, and the check is a seek per range that stops at the first usage found. So no
 * request loads an id's every usage, however many subjects share it.
 */
import { inRanges, type NameRange } from '../domain/name-ranges';
import type { Page, RegistryReader, Usage } from '../storage/registry-reader';
import { limitExceeded } from './bounds';
import type { FreshDeps } from './fresh-cache';
import { freshUsages } from './fresh-reads';
import { type ListingBounds, listingLimit } from './listings';

/**
 * How many items one answer holds (the subjects or versions using an id, the ids referencing a
 * version), as GET /subjects (services/listings.ts SUBJECT_LISTING): a request without a limit
 * gets them all, as Confluent answers, up to 100,000; past that it is 42224 (page with offset and
 * limit), never a part taken for the whole.
 */
export const USAGE_LISTING: ListingBounds = { byDefault: 100_000, max: 100_000 };

/** A request's page and deletion flag. `limit` as the client gave it (0: none). */
export interface UsageListing {
  offset: number;
  limit: number;
  deleted: boolean;
}

/**
 * May a caller that reads the subjects in `ranges` of `context` (undefined: all of them) read
 * schema id `id`? Only through a version (soft-deleted ones too) that uses it.
 */
export async function usedWithin(
  deps: FreshDeps,
  reader: RegistryReader,
  context: string,
  id: number,
  ranges: NameRange[] | undefined,
): Promise<boolean> {
  if (ranges?.length === 0) return false;
  const held = await freshUsages(deps, reader, context, id, true);
  if (held) return held.some((u) => inRanges(ranges, u.subject));
  // More usages than the cache holds: used, and readable if one of them is in the caller's ranges.
  return ranges === undefined || reader.usedWithin(context, id, ranges);
}

/** Where an id-usage listing looks: the id, and the subjects of its context the caller may read (undefined: all). */
export interface UsageScope {
  context: string;
  id: number;
  ranges: NameRange[] | undefined;
}

/** GET /schemas/ids/{id}/versions: the subject versions using the id that the caller may read, a page. */
export function usagePage(
  deps: FreshDeps,
  reader: RegistryReader,
  scope: UsageScope,
  listing: UsageListing,
  bounds = USAGE_LISTING,
): Promise<Usage[]> {
  return listed(deps, reader, scope, listing, bounds, {
    what: 'subject versions',
    fromHeld: (usages) => usages,
    read: (page) => reader.usagePage(scope.context, scope.id, scope.ranges, { deleted: listing.deleted }, page),
  });
}

/** GET /schemas/ids/{id}/subjects: the subjects using the id that the caller may read, each once, a page. */
export function subjectsUsing(
  deps: FreshDeps,
  reader: RegistryReader,
  scope: UsageScope,
  listing: UsageListing,
  bounds = USAGE_LISTING,
): Promise<string[]> {
  return listed(deps, reader, scope, listing, bounds, {
    what: 'subjects',
    fromHeld: (usages) => [...new Set(usages.map((u) => u.subject))],
    read: (page) => reader.subjectsUsingPage(scope.context, scope.id, scope.ranges, { deleted: listing.deleted }, page),
  });
}

/**
 * A page of a listing: from the usages the fresh cache holds, filtered by the caller's ranges,
 * or from SQL when the id has more.
 */
async function listed<T>(
  deps: FreshDeps,
  reader: RegistryReader,
  scope: UsageScope,
  listing: UsageListing,
  bounds: ListingBounds,
  how: { what: string; fromHeld: (usages: Usage[]) => T[]; read: (page: Page) => Promise<T[]> },
): Promise<T[]> {
  const held = await freshUsages(deps, reader, scope.context, scope.id, listing.deleted);
  return bounded(listing, bounds, `${how.what} use this schema`, async (page) =>
    held ? how.fromHeld(held.filter((u) => inRanges(scope.ranges, u.subject))).slice(page.offset, page.offset + page.limit) : how.read(page),
  );
}

/**
 * GET /subjects/{s}/versions/{v}/referencedby: the ids of the schemas that reference the version
 * and that the caller may read (some subject in `ranges` uses them; undefined: any), a page, in
 * SQL (storage/registry-reader.ts `referencedBy`): a seek per id and range, not a request per id.
 */
export function referencingIds(
  reader: RegistryReader,
  target: { context: string; subject: string; version: number; ranges: NameRange[] | undefined },
  listing: Page,
  bounds = USAGE_LISTING,
): Promise<number[]> {
  return bounded(listing, bounds, 'schemas reference this version', (page) =>
    reader.referencedBy(target.context, target.subject, target.version, target.ranges, page),
  );
}

/** Read a page under a listing's bounds: one row past an unpaged answer's bound tells that it is exceeded (42224). */
async function bounded<T>(listing: Page, bounds: ListingBounds, what: string, read: (page: Page) => Promise<T[]>): Promise<T[]> {
  const limit = listingLimit(listing.limit, bounds);
  const rows = await read({ offset: listing.offset, limit: limit === listing.limit ? limit : limit + 1 });
  if (rows.length > limit)
    throw limitExceeded(`More than ${limit} ${what}; list them a page at a time with offset and limit (at most ${bounds.max})`);
  return rows;
}
