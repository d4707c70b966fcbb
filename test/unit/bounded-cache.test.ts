import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../../src/services/bounded-cache';

describe('BoundedCache', () => {
  it('evicts the least recently used entry past the entry limit', () => {
    const c = new BoundedCache<number>(2, 100);
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1); // a is now the most recent
    c.set('c', 3);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    expect(c.get('c')).toBe(3);
  });

  it('evicts by weight and never keeps an entry heavier than the budget', () => {
    const c = new BoundedCache<string>(10, 10);
    c.set('x', 'x', 6);
    c.set('y', 'y', 6);
    expect(c.get('x')).toBeUndefined();
    expect(c.size).toBe(1);
    expect(c.set('huge', 'h', 11)).toBe('h');
    expect(c.get('huge')).toBeUndefined();
    expect(c.get('y')).toBe('y');
  });

  it('re-setting a key replaces its weight', () => {
    const c = new BoundedCache<number>(10, 10);
    c.set('a', 1, 9);
    c.set('a', 2, 1);
    c.set('b', 3, 9);
    expect(c.get('a')).toBe(2);
    expect(c.get('b')).toBe(3);
  });

  it('evicts exactly as a reference LRU through long runs of sets, gets, deletes and clears (the eviction iterator is kept across them)', () => {
    // A seeded mix over more keys than fit, so entries are evicted, refreshed, deleted and re-added
    // in every order; the reference is a plain array, least recently used first.
    for (const [capacity, keys, seed0] of [
      [1, 3, 7],
      [5, 9, 11],
      [50, 120, 1],
      [200, 260, 5],
    ]) {
      const c = new BoundedCache<number>(capacity, Number.MAX_SAFE_INTEGER);
      const reference: string[] = [];
      let seed = seed0;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const touch = (k: string) => {
        const at = reference.indexOf(k);
        if (at >= 0) reference.splice(at, 1);
        reference.push(k);
      };
      for (let step = 0; step < 20_000; step++) {
        const k = `k${Math.floor(random() * keys)}`;
        const op = random();
        if (op < 0.5) {
          c.set(k, step);
          touch(k);
          if (reference.length > capacity) reference.shift();
        } else if (op < 0.8) {
          const held = reference.includes(k);
          expect(c.get(k) !== undefined, `get ${k} at step ${step}`).toBe(held);
          if (held) touch(k);
        } else if (op < 0.995) {
          c.delete(k);
          if (reference.includes(k)) reference.splice(reference.indexOf(k), 1);
        } else {
          c.clear();
          reference.length = 0;
        }
        expect(c.size).toBe(reference.length);
      }
      // Every key the reference holds is still held (the size check above says nothing else is).
      for (const k of reference) expect(c.get(k), k).toBeDefined();
    }
  });
});
