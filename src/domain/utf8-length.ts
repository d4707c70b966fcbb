/**
 * The UTF-8 length of `s` as a Response body encodes it (a lone surrogate as U+FFFD, 3 bytes): the
 * byte count of an answer made from a string (http/answer-headers.ts answerBytes). No imports, so the
 * Node tsconfig's unit tests can use it.
 */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u < 0x80) continue;
    if (u < 0x800) n += 1;
    else if (u >= 0xd800 && u <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a pair: 2 units, 4 bytes
      i++;
    } else n += 2;
  }
  return n;
}
