/** Reading bodies no further than a bound (src/services/bounded-body.ts): what is returned, and how much is pulled. */
import { describe, expect, it } from 'vitest';
import { readPrefix, readUpTo } from '../../src/services/bounded-body';

/** A stream of `chunks` that counts what its reader pulled and whether it was cancelled. */
function stream(chunks: Uint8Array[]) {
  const seen = { pulled: 0, cancelled: false };
  let i = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (i === chunks.length) {
          controller.close();
          return;
        }
        seen.pulled += chunks[i].byteLength;
        controller.enqueue(chunks[i++]);
      },
      cancel() {
        seen.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { body, seen };
}

const bytes = (s: string) => new TextEncoder().encode(s);
/** `s` split into chunks of `n` bytes (a multi-byte character may straddle two). */
const split = (s: string, n: number) => {
  const all = bytes(s);
  return Array.from({ length: Math.ceil(all.length / n) }, (_, k) => all.subarray(k * n, (k + 1) * n));
};

describe('readUpTo', () => {
  it.each([
    ['no body', null, 10, { text: '', size: 0 }],
    ['an empty body', [], 10, { text: '', size: 0 }],
    ['one chunk under the bound', split('{"a":1}', 100), 10, { text: '{"a":1}', size: 7 }],
    ['exactly the bound', split('0123456789', 3), 10, { text: '0123456789', size: 10 }],
    ['characters split across chunks', split('café crème', 1), 100, { text: 'café crème', size: 12 }],
    ['one byte past the bound', split('0123456789a', 4), 10, null],
  ])('%s', async (_name, chunks, max, want) => {
    const s = chunks === null ? null : stream(chunks);
    expect(await readUpTo(s?.body ?? null, max)).toEqual(want);
    if (s && want === null) expect(s.seen.cancelled).toBe(true);
  });

  it('stops pulling at the first chunk past the bound', async () => {
    const { body, seen } = stream(Array.from({ length: 1000 }, () => new Uint8Array(1024)));
    expect(await readUpTo(body, 10 * 1024)).toBeNull();
    expect(seen.pulled).toBe(11 * 1024);
    expect(seen.cancelled).toBe(true);
  });
});

describe('readPrefix', () => {
  it.each([
    ['no body', null, 5, ''],
    ['a body shorter than the prefix', split('busy', 2), 5, 'busy'],
    ['a body longer than the prefix', split('service unavailable', 4), 7, 'service'],
    ['a character cut at the end', split('aé', 1), 2, 'a\uFFFD'],
  ])('%s', async (_name, chunks, n, want) => {
    expect(await readPrefix(chunks === null ? null : stream(chunks).body, n)).toBe(want);
  });

  it('reads no further than the prefix and cancels the rest', async () => {
    const { body, seen } = stream(Array.from({ length: 1000 }, () => bytes('x'.repeat(1024))));
    expect(await readPrefix(body, 1500)).toBe('x'.repeat(1500));
    expect(seen.pulled).toBe(2 * 1024);
    expect(seen.cancelled).toBe(true);
  });
});
