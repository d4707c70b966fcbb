/**
 * The byte count the metrics data point takes for answers made from a string (domain/utf8-length.ts
 * utf8Length): the UTF-8 length a Response body encodes, lone surrogates as U+FFFD.
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
});
