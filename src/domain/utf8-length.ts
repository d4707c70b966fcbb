/**
 * The UTF-8 length of `s` as a Response body or TextEncoder encodes it (a lone surrogate as U+FFFD,
 * 3 bytes): the byte count of an answer made from a string (http/answer-headers.ts answerBytes), a
 * bound on model output (llm/extract.ts). No imports, so the Node tsconfig's unit tests can use it.
 *
 * `stopAfter`: once the count is past it, any number past it may be returned (the caller only
 * compares). Every UTF-16 code unit is at least one byte, so a string longer than the bound is past
 * it already, whatever it holds.
 */
export function utf8Length(s: string, stopAfter = Infinity): number {
  // Most answers and outputs are ASCII: one native scan instead of a loop over char codes (about a
  // third of the loop's time on a 150-character answer in Node's V8).
  if (s.length > stopAfter || ASCII.test(s)) return s.length;
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u < 0x80) continue;
    if (u < 0x800) n += 1;
    else if (u >= 0xd800 && u <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a pair: 2 units, 4 bytes
      i++;
    } else n += 2;
    if (n > stopAfter) return n;
  }
  return n;
}

const ASCII = /^[\0-\x7f]*$/;
