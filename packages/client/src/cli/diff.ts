/**
 * A line diff of two schema texts (pure, unit-tested): JSON texts are pretty-printed first so a
 * one-line canonical schema diffs by field. Longest common subsequence, bounded: past MAX_LINES
 * lines per side the texts are compared as wholes.
 */
const MAX_LINES = 2000;

export type DiffLine = { op: ' ' | '-' | '+'; line: string };

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function lineDiff(before: string, after: string): DiffLine[] {
  const a = pretty(before).split('\n');
  const b = pretty(after).split('\n');
  if (a.length > MAX_LINES || b.length > MAX_LINES) {
    return before === after
      ? a.map((line) => ({ op: ' ', line }))
      : [...a.map((line) => ({ op: '-' as const, line })), ...b.map((line) => ({ op: '+' as const, line }))];
  }
  // lcs[i][j]: the LCS length of a[i..] and b[j..]
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ op: ' ', line: a[i] });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push({ op: '-', line: a[i++] });
    else out.push({ op: '+', line: b[j++] });
  }
  while (i < a.length) out.push({ op: '-', line: a[i++] });
  while (j < b.length) out.push({ op: '+', line: b[j++] });
  return out;
}
