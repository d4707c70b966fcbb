/** Hex formatting of hashes and random ids (src/domain/hex.ts), against Node's own hex. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BYTE_HEX, randomHexId, sha256Hex, toHex } from '../../src/domain/hex';

describe('toHex', () => {
  it.each([
    ['no bytes', [], ''],
    ['zero', [0], '00'],
    ['one digit values keep their leading zero', [1, 15], '010f'],
    ['two digit values', [16, 171, 255], '10abff'],
    ['every byte in order', [...Array(256).keys()], Buffer.from([...Array(256).keys()]).toString('hex')],
  ])('%s', (_name, bytes, hex) => {
    expect(toHex(Uint8Array.from(bytes))).toBe(hex);
    expect(toHex(Uint8Array.from(bytes).buffer)).toBe(hex);
  });

  it('formats a view of part of a buffer, not the whole buffer', () => {
    const buffer = Uint8Array.of(1, 2, 3, 4).buffer;
    expect(toHex(new Uint8Array(buffer, 1, 2))).toBe('0203');
  });

  it('formats a SHA-256 digest as Node does', async () => {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode('{"type":"string"}'));
    expect(toHex(digest)).toBe(createHash('sha256').update('{"type":"string"}').digest('hex'));
  });

  it('has two lowercase digits for every byte', () => {
    expect(BYTE_HEX).toHaveLength(256);
    expect(BYTE_HEX.every((h, b) => /^[0-9a-f]{2}$/.test(h) && Number.parseInt(h, 16) === b)).toBe(true);
  });
});

describe('sha256Hex', () => {
  it.each([
    ['an empty text', ''],
    ['a schema', '{"type":"string"}'],
    ['text beyond ASCII (hashed as UTF-8)', 'héllo 🌍'],
  ])('of %s, as a text and as its bytes, is what Node computes', async (_name, text) => {
    const expected = createHash('sha256').update(text, 'utf8').digest('hex');
    expect(await sha256Hex(text)).toBe(expected);
    expect(await sha256Hex(new TextEncoder().encode(text))).toBe(expected);
  });
});

describe('randomHexId', () => {
  it('draws n random bytes as 2n hex digits, differently each time', () => {
    const ids = new Set(Array.from({ length: 100 }, () => randomHexId(12)));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(randomHexId(3)).toMatch(/^[0-9a-f]{6}$/);
  });
});
