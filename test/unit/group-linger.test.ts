/**
 * When the writer waits LINGER_MS before forming a group (src/durable/group-commit.ts lingers):
 * only in a burst (the last group held several writes) and only while a group could still grow.
 * test/integration/group-commit.test.ts checks what the wait does inside the writer.
 */
import { describe, expect, it } from 'vitest';
import { lingers } from '../../src/durable/group-commit';

describe('lingers', () => {
  it.each([
    // last group's writes, registrations queued now, waits?
    [0, 1, false], // the first registration of a writer
    [1, 1, false], // a lone client: never
    [1, 5, false],
    [2, 1, true], // a burst
    [8, 3, true],
    [2, 31, true],
    [2, 32, false], // a full group is waiting: form it now
    [32, 40, false],
  ])('last group of %i, %i queued: %s', (last, queued, expected) => {
    expect(lingers(last, queued)).toBe(expected);
  });
});
