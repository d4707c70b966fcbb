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
});
