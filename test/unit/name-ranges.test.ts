/**
 * Subject name ranges (src/domain/name-ranges.ts): the ranges a caller's grants read in a context
 * hold exactly the subjects grant-rules.ts `allows` lets it read, sorted and disjoint, so storage
 * can seek them (services/usages.ts); and the order is code point order, as SQLite's.
 */
import { describe, expect, it } from 'vitest';
import { allows, type Grant } from '../../src/domain/grant-rules';
import { codePointLess, inRanges, intersect, type NameRange, partsWithin, prefixRange, readableRanges } from '../../src/domain/name-ranges';

/** mulberry32: a small seeded PRNG, so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Code point order, the plain way. */
function referenceLess(a: string, b: string): boolean {
  const x = Array.from(a, (c) => c.codePointAt(0) as number);
  const y = Array.from(b, (c) => c.codePointAt(0) as number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i];
  return x.length < y.length;
}

// Characters on every boundary the order has: ASCII, the last before the surrogates and the first
// after them, the last of the BMP, the first and last above it (surrogate pairs in JavaScript).
const ALPHABET = ['a', 'b', '-', '.', '\uD7FF', '\uE000', '\uFFFF', '\u{10000}', '\u{10FFFF}'];

describe('readableRanges', () => {
  const reader = (context?: string, subjectPrefix?: string): Grant => ({
    role: 'reader',
    ...(context !== undefined ? { context } : {}),
    ...(subjectPrefix !== undefined ? { subjectPrefix } : {}),
  });
  const cases: [string, Grant[], string, NameRange[] | undefined][] = [
    ['no grant reaches the context: none', [reader('.b')], '.a', []],
    ['a registry-wide grant: every subject', [reader()], '.a', undefined],
    ['a grant on the context: every subject', [reader('.b', 'x'), reader('.a')], '.a', undefined],
    ['a writer or admin grant reads too', [{ role: 'admin', context: '.a' }], '.a', undefined],
    ['a prefix in every context', [reader(undefined, 'pay-')], '.a', [{ from: 'pay-', below: 'pay.' }]],
    ['a prefix in this context only', [reader('.a', 'pay-'), reader('.b', 'ord-')], '.a', [{ from: 'pay-', below: 'pay.' }]],
    ['a prefix inside another: merged', [reader(undefined, 'pay-eu-'), reader('.a', 'pay-')], '.a', [{ from: 'pay-', below: 'pay.' }]],
    ['touching prefixes: merged', [reader(undefined, 'b'), reader(undefined, 'a')], '.', [{ from: 'a', below: 'c' }]],
    [
      'apart: sorted',
      [reader(undefined, 'z'), reader(undefined, 'a-')],
      '.',
      [
        { from: 'a-', below: 'a.' },
        { from: 'z', below: '{' },
      ],
    ],
    ['the same prefix twice: once', [reader('.', 'q'), reader(undefined, 'q')], '.', [{ from: 'q', below: 'r' }]],
    [
      'a prefix with no end, merged with one inside it',
      [reader(undefined, '\u{10FFFF}'), reader(undefined, '\u{10FFFF}a')],
      '.',
      [{ from: '\u{10FFFF}' }],
    ],
    [
      'an open range absorbs a later one',
      [reader(undefined, 'a\u{10FFFF}'), reader(undefined, 'a\u{10FFFF}\u{10FFFF}')],
      '.',
      [{ from: 'a\u{10FFFF}', below: 'b' }],
    ],
  ];
  it.each(cases)('%s', (_, grants, context, expected) => {
    expect(readableRanges(grants, context)).toEqual(expected);
  });

  it('holds exactly the subjects `allows` lets the grants read, as sorted disjoint ranges (seeded, 3,000 grant sets)', () => {
    const random = prng(12);
    const text = (min: number, max: number) =>
      Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, () => ALPHABET[Math.floor(random() * ALPHABET.length)]).join('');
    const contexts = ['.', '.a'];
    for (let round = 0; round < 3000; round++) {
      const grants: Grant[] = Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
        const g: Grant = { role: (['reader', 'writer', 'admin'] as const)[Math.floor(random() * 3)] };
        if (random() < 0.6) g.context = contexts[Math.floor(random() * 2)];
        if (random() < 0.9) g.subjectPrefix = text(1, 3);
        return g;
      });
      const context = contexts[Math.floor(random() * 2)];
      const ranges = readableRanges(grants, context);
      if (ranges) {
        for (let i = 1; i < ranges.length; i++) {
          // Sorted and disjoint: each starts at or after the end of the one before.
          const before = ranges[i - 1].below;
          expect(before !== undefined && !referenceLess(ranges[i].from as string, before), JSON.stringify(ranges)).toBe(true);
        }
      }
      for (let k = 0; k < 20; k++) {
        const subject = random() < 0.5 ? text(0, 5) : (grants[Math.floor(random() * grants.length)].subjectPrefix ?? '') + text(0, 2);
        expect(inRanges(ranges, subject), `${JSON.stringify(grants)} ${context} ${JSON.stringify(subject)}`).toBe(
          allows(grants, 'reader', { kind: 'subject', context, subject }),
        );
      }
    }
  });
});

describe('name order', () => {
  it('codePointLess is code point order (SQLite compares UTF-8 bytes), not UTF-16 order', () => {
    // The one place the two differ: above U+FFFF against U+E000-U+FFFF.
    const [above, bmp] = [String.fromCodePoint(0x10000), String.fromCodePoint(0xe000)];
    expect(above < bmp).toBe(true);
    expect(codePointLess('\u{10000}', '\uE000')).toBe(false);
    expect(codePointLess('\uE000', '\u{10000}')).toBe(true);
    const random = prng(7);
    const text = () => Array.from({ length: Math.floor(random() * 4) }, () => ALPHABET[Math.floor(random() * ALPHABET.length)]).join('');
    for (let i = 0; i < 20000; i++) {
      const [a, b] = [text(), text()];
      expect(codePointLess(a, b), `${JSON.stringify(a)} < ${JSON.stringify(b)}`).toBe(referenceLess(a, b));
    }
  });

  it('a prefix range holds the names that start with the prefix, and no other', () => {
    expect(prefixRange('pay-')).toEqual({ from: 'pay-', below: 'pay.' });
    expect(prefixRange('\u{10FFFF}')).toEqual({ from: '\u{10FFFF}' });
    const random = prng(3);
    const text = (n: number) => Array.from({ length: n }, () => ALPHABET[Math.floor(random() * ALPHABET.length)]).join('');
    for (let i = 0; i < 20000; i++) {
      const prefix = text(1 + Math.floor(random() * 2));
      const name = random() < 0.5 ? prefix + text(Math.floor(random() * 3)) : text(Math.floor(random() * 4));
      expect(inRanges([prefixRange(prefix)], name), `${JSON.stringify(prefix)} ${JSON.stringify(name)}`).toBe(name.startsWith(prefix));
    }
  });

  it('the parts of a range inside readable ranges hold the names in both, in order (seeded, 3,000 cases)', () => {
    const random = prng(21);
    const text = (min: number, max: number) =>
      Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, () => ALPHABET[Math.floor(random() * ALPHABET.length)]).join('');
    // A listing's range: a prefix, or one side of ':' as the default context's segments are, or all.
    const listingRange = (): NameRange => {
      const pick = random();
      if (pick < 0.4) return prefixRange(text(1, 2));
      if (pick < 0.6) return { below: ':' };
      if (pick < 0.8) return { from: ':' };
      return {};
    };
    expect(intersect(undefined, {})).toBeUndefined();
    expect(partsWithin(undefined, undefined)).toEqual([]);
    expect(intersect({ from: 'b' }, { below: 'b' })).toBeUndefined();
    for (let round = 0; round < 3000; round++) {
      const range = listingRange();
      const grants: Grant[] = Array.from({ length: Math.floor(random() * 4) }, () => ({ role: 'reader', subjectPrefix: text(1, 3) }));
      const ranges = random() < 0.2 ? undefined : readableRanges(grants, '.');
      const parts = partsWithin(range, ranges);
      for (let i = 1; i < parts.length; i++)
        expect(!referenceLess(parts[i].from as string, parts[i - 1].below as string), JSON.stringify(parts)).toBe(true);
      for (let k = 0; k < 20; k++) {
        const name = text(0, 4);
        expect(inRanges(parts, name), `${JSON.stringify(range)} ${JSON.stringify(ranges)} ${JSON.stringify(name)}`).toBe(
          inRanges([range], name) && inRanges(ranges, name),
        );
      }
    }
  });
});
