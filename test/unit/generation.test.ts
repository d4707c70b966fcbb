/**
 * The isolate's copy of the registry generation (src/services/generation.ts): read once per
 * GENERATION_TTL_MS, kept through a D1 failure, forgotten by a restore, and never shared as a
 * promise between requests: a Worker continues a request that awaits another request's I/O in
 * that other request's context, where its answer cannot be sent.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { currentGeneration, forgetGeneration } from '../../src/services/generation';

/** A D1 whose generation reads answer when the test says so. */
function gatedSource() {
  const reads: { resolve: (v: number) => void; reject: (e: unknown) => void }[] = [];
  return {
    source: { generation: () => new Promise<number>((resolve, reject) => reads.push({ resolve, reject })) },
    reads,
  };
}

let offset = 0;
beforeEach(() => {
  forgetGeneration();
  offset = 0;
  const now = Date.now.bind(Date);
  vi.spyOn(Date, 'now').mockImplementation(() => now() + offset);
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('currentGeneration', () => {
  it('concurrent stale requests each read it: none waits on another request’s read', async () => {
    const { source, reads } = gatedSource();
    const first = currentGeneration(source);
    const second = currentGeneration(source);
    expect(reads).toHaveLength(2);
    reads[1].resolve(3);
    expect(await second).toBe(3); // answered by its own read while the first is still under way
    reads[0].resolve(3);
    expect(await first).toBe(3);
  });

  it('is read once per 5 s, then again', async () => {
    const { source, reads } = gatedSource();
    const p = currentGeneration(source);
    reads[0].resolve(1);
    await p;
    expect(await currentGeneration(source)).toBe(1);
    expect(reads).toHaveLength(1);
    offset += 5_100;
    const again = currentGeneration(source);
    expect(reads).toHaveLength(2);
    reads[1].resolve(2);
    expect(await again).toBe(2);
  });

  it('a failed read answers the last known generation; with none it fails', async () => {
    const { source, reads } = gatedSource();
    const cold = currentGeneration(source);
    reads[0].reject(new Error('D1 down'));
    await expect(cold).rejects.toThrow('D1 down');
    const p = currentGeneration(source);
    reads[1].resolve(4);
    await p;
    offset += 5_100;
    const stale = currentGeneration(source);
    reads[2].reject(new Error('D1 down'));
    expect(await stale).toBe(4);
  });

  it('a read that began before forgetGeneration (a restore here) is not kept', async () => {
    const { source, reads } = gatedSource();
    const before = currentGeneration(source);
    forgetGeneration();
    reads[0].resolve(1);
    expect(await before).toBe(1); // answers its own request
    const after = currentGeneration(source);
    expect(reads).toHaveLength(2); // but was not kept
    reads[1].resolve(2);
    expect(await after).toBe(2);
  });
});
