/**
 * The byte count the metrics data point takes for answers made from a string, and the bound on model
 * output (domain/utf8-length.ts utf8Length): the UTF-8 length a Response body encodes, lone
 * surrogates as U+FFFD; with `stopAfter`, past the bound exactly when the string is.
 */
import { describe, expect, it } from 'vitest';
import { utf8Length } from '../../src/domain/utf8-length';

describe('utf8Length', () => {
  it('equals the encoded length of the body, for every kind of code unit', async () => {
    const samples = [
      '',
      '{"id":7}',
      'é',
      'ß€',
      '中文字符',
      '😀',
      'a😀b',
      '\ud800',
      '\udc00',
      'x\ud800y',
      '\ud83d',
      '\udc00\ud800',
      '\u007f\u0080\u07ff\u0800\uffff',
      JSON.stringify({ schema: '{"type":"string","description":"naïve — 😀 \ud800"}' }),
    ];
    for (let i = 0; i < 200; i++) {
      let s = '';
      for (let j = 0; j < 20; j++) s += String.fromCharCode(Math.floor(Math.random() * 0x10000));
      samples.push(s);
    }
    for (const s of samples) {
      expect(utf8Length(s), JSON.stringify(s)).toBe(new TextEncoder().encode(s).length);
      expect(utf8Length(s), JSON.stringify(s)).toBe((await new Response(s).arrayBuffer()).byteLength);
    }
  });

  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
    ['\ud800', 3], // lone surrogate: encoded as U+FFFD by TextEncoder (3 bytes)
    ['\u007f', 1], // the last ASCII code unit takes the ASCII path
    ['a'.repeat(1000) + 'é', 1002], // ASCII until the end: the loop, not the ASCII path
  ])('%j -> %i', (s, n) => {
    expect(utf8Length(s)).toBe(n);
    expect(new TextEncoder().encode(s).length).toBe(n);
  });

  it('with stopAfter: past the bound exactly when the encoded string is, and stops early', () => {
    const cases = ['abc', 'é€😀', 'x'.repeat(100), '€'.repeat(40), 'a😀'.repeat(30), '\ud800'.repeat(10)];
    for (const s of cases) {
      const bytes = new TextEncoder().encode(s).length;
      for (const bound of [0, 1, 2, 3, bytes - 1, bytes, bytes + 1, 50, 119, 120, 121]) {
        expect(utf8Length(s, bound) > bound, `${JSON.stringify(s)} bound ${bound}`).toBe(bytes > bound);
        if (bytes <= bound) expect(utf8Length(s, bound)).toBe(bytes);
      }
    }
    // Stops once past: 20 euro signs are 60 bytes; from 20 (one per code unit) each adds 2, and
    // the count stops at the sixth (32 > 30).
    expect(utf8Length('€'.repeat(20), 30)).toBe(32);
    // Longer than the bound in code units: past it without reading a character.
    expect(utf8Length('€'.repeat(40), 39)).toBe(40);
  });
});
