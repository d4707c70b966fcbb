/**
 * Ranges of subject names, in the order storage keeps them (SQLite compares UTF-8 bytes, which is
 * code point order): a prefix is the range from it to the least string above every string that
 * starts with it, so "the subjects starting with p" is one index range seek instead of a scan.
 * Listings walk such ranges (services/listings.ts), and the subjects a caller's grants let it read
 * in one context are a few of them (`readableRanges`): storage answers "which usages of this id
 * may the caller see" by seeking them (storage/registry-reader.ts `usagePage`, `usedWithin`).
 * Pure: no env, no I/O.
 */
import type { Grant } from './grant-rules';

/** Names from `from` (inclusive; none: from the first) below `below` (exclusive; none: to the last). */
export interface NameRange {
  from?: string;
  below?: string;
}

/** The smallest string above every string that starts with `prefix` (undefined: none is). */
export function prefixEnd(prefix: string): string | undefined {
  // Code points, not UTF-16 units: the bound is in code point order (SQLite compares UTF-8 bytes).
  const points = Array.from(prefix);
  while (points.length) {
    const last = points.pop() as string;
    const cp = last.codePointAt(0) as number;
    // U+D7FF's successor is U+E000: the surrogates in between are not code points of any string.
    if (cp < 0x10ffff) return points.join('') + String.fromCodePoint(cp === 0xd7ff ? 0xe000 : cp + 1);
  }
  return undefined;
}

/** A range that starts somewhere: the names with a prefix. */
type PrefixRange = NameRange & { from: string };

/** The names that start with `prefix`, as a range. */
export function prefixRange(prefix: string): PrefixRange {
  const below = prefixEnd(prefix);
  return below === undefined ? { from: prefix } : { from: prefix, below };
}

/** Is `name` in `range`? (The order is code point order, as storage's; see `codePointLess`.) */
function inRange(range: NameRange, name: string): boolean {
  return (range.from === undefined || !codePointLess(name, range.from)) && (range.below === undefined || codePointLess(name, range.below));
}

/** The names in both ranges (undefined: none), in code point order. */
export function intersect(a: NameRange | undefined, b: NameRange): NameRange | undefined {
  if (!a) return undefined;
  const from = a.from === undefined ? b.from : b.from === undefined || codePointLess(b.from, a.from) ? a.from : b.from;
  const below = a.below === undefined ? b.below : b.below === undefined || codePointLess(a.below, b.below) ? a.below : b.below;
  if (from !== undefined && below !== undefined && !codePointLess(from, below)) return undefined;
  return { ...(from !== undefined ? { from } : {}), ...(below !== undefined ? { below } : {}) };
}

/** The parts of `range` (undefined: none) inside `ranges` (sorted and disjoint; undefined: all of it), in order. */
export function partsWithin(range: NameRange | undefined, ranges: readonly NameRange[] | undefined): NameRange[] {
  if (!range) return [];
  if (!ranges) return [range];
  return ranges.flatMap((r) => intersect(range, r) ?? []);
}

/** Is `name` in one of `ranges`? (Undefined: every name is.) */
export function inRanges(ranges: readonly NameRange[] | undefined, name: string): boolean {
  return ranges === undefined || ranges.some((r) => inRange(r, name));
}

/**
 * a < b in code point order. JavaScript's `<` compares UTF-16 units, which differs from code point
 * order only between a character above U+FFFF (a surrogate pair, 0xD800-0xDFFF) and one from
 * U+E000 to U+FFFF.
 */
export function codePointLess(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const surrogate = (u: number) => u >= 0xd800 && u <= 0xdfff;
    // A surrogate (half of a code point above U+FFFF) sorts above any unit from U+E000 up.
    if (surrogate(x) !== surrogate(y) && Math.max(x, y) >= 0xe000) return surrogate(y);
    return x < y;
  }
  return a.length < b.length;
}

/**
 * The subjects of `context` that `grants` let their holder read, as ranges sorted by `from` and
 * disjoint (overlapping or touching prefixes merged), or undefined when it reads every subject
 * there (a grant on the whole context or the registry). Empty: none. Every role reads (reader <
 * writer < admin), so every grant that reaches the context counts; grant-rules.ts `allows` for a
 * subject target is exactly "the subject is in one of these ranges" (test/unit/name-ranges.test.ts).
 */
export function readableRanges(grants: readonly Grant[], context: string): NameRange[] | undefined {
  const ranges: PrefixRange[] = [];
  for (const g of grants) {
    if (g.context !== undefined && g.context !== context) continue;
    if (g.subjectPrefix === undefined) return undefined;
    ranges.push(prefixRange(g.subjectPrefix));
  }
  ranges.sort((a, b) => (codePointLess(a.from, b.from) ? -1 : codePointLess(b.from, a.from) ? 1 : 0));
  const merged: PrefixRange[] = [];
  for (const r of ranges) {
    const last = merged.at(-1);
    // A range that starts inside the last one, or right where it ends, extends it to the later end.
    if (last && (last.below === undefined || !codePointLess(last.below, r.from))) {
      if (last.below !== undefined && (r.below === undefined || codePointLess(last.below, r.below)))
        merged[merged.length - 1] = r.below === undefined ? { from: last.from } : { from: last.from, below: r.below };
    } else merged.push(r);
  }
  return merged;
}
