/** W3C traceparent parsing (http/trace-context.ts), one row per case of the specification's rules. */
import { describe, expect, it } from 'vitest';
import { formatTraceparent, parseTraceparent, traceOf } from '../../src/http/trace-context';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const P = '00f067aa0ba902b7';

describe('parseTraceparent', () => {
  it.each([
    ['valid, sampled', `00-${T}-${P}-01`, { traceId: T, parentId: P, flags: '01' }],
    ['valid, not sampled', `00-${T}-${P}-00`, { traceId: T, parentId: P, flags: '00' }],
    ['surrounding whitespace', ` 00-${T}-${P}-01 `, { traceId: T, parentId: P, flags: '01' }],
    ['a later version with more fields', `cc-${T}-${P}-01-what-the-future-holds`, { traceId: T, parentId: P, flags: '01' }],
    ['a later version, same length', `01-${T}-${P}-01`, { traceId: T, parentId: P, flags: '01' }],
    ['absent', undefined, undefined],
    ['empty', '', undefined],
    ['version ff', `ff-${T}-${P}-01`, undefined],
    ['version 00 with a trailing field', `00-${T}-${P}-01-extra`, undefined],
    ['uppercase hex', `00-${T.toUpperCase()}-${P}-01`, undefined],
    ['trace id all zero', `00-${'0'.repeat(32)}-${P}-01`, undefined],
    ['parent id all zero', `00-${T}-${'0'.repeat(16)}-01`, undefined],
    ['short trace id', `00-${T.slice(1)}-${P}-01`, undefined],
    ['long parent id', `00-${T}-${P}0-01`, undefined],
    ['non-hex flags', `00-${T}-${P}-0g`, undefined],
    ['missing flags', `00-${T}-${P}`, undefined],
    ['wrong separator', `00_${T}_${P}_01`, undefined],
  ])('%s', (_name, header, expected) => {
    expect(parseTraceparent(header)).toEqual(expected);
  });
});

describe('traceOf', () => {
  it('continues the caller’s trace with a new span', () => {
    const t = traceOf(`00-${T}-${P}-00`);
    expect(t).toMatchObject({ traceId: T, parentId: P, flags: '00' });
    expect(t.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(t.spanId).not.toBe(P);
    expect(formatTraceparent(t)).toBe(`00-${T}-${t.spanId}-00`);
  });

  it('draws fresh ids for every request, also across refills of the random pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1_000; i++) {
      const { traceId, spanId } = traceOf(undefined);
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(/^0+$/.test(traceId) || /^0+$/.test(spanId)).toBe(false);
      seen.add(traceId).add(spanId);
    }
    expect(seen.size).toBe(2_000);
  });

  it('begins a new, sampled trace when the header is invalid', () => {
    const a = traceOf(`00-${'0'.repeat(32)}-${P}-01`);
    const b = traceOf(undefined);
    for (const t of [a, b]) {
      expect(t.parentId).toBeUndefined();
      expect(parseTraceparent(formatTraceparent(t))).toEqual({ traceId: t.traceId, parentId: t.spanId, flags: '01' });
    }
    expect(a.traceId).not.toBe(b.traceId);
  });
});
