/**
 * A line diff (Myers' O((N+M)D) greedy algorithm, "An O(ND) Difference Algorithm and Its
 * Variations", 1986) laid out side by side. Bounded: past MAX_EDITS differences the rest is shown
 * as one replaced block, so two unrelated 1 MB schemas cannot stall the tab.
 */

export type Row =
  { kind: 'same'; left: string; right: string; l: number; r: number } | { kind: 'change'; left?: string; right?: string; l?: number; r?: number };

const MAX_EDITS = 1000;

type Op = ['=' | '-' | '+', string];

function myers(a: string[], b: string[]): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDITS);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, offset, d);
    }
  }
  return undefined;
}

function backtrack(trace: Int32Array[], a: string[], b: string[], offset: number, dEnd: number): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = dEnd; d > 0; d--) {
    const v = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = v[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push(['=', a[--x]]);
      y--;
    }
    if (x === prevX) ops.push(['+', b[--y]]);
    else ops.push(['-', a[--x]]);
  }
  while (x > 0 && y > 0) {
    ops.push(['=', a[--x]]);
    y--;
  }
  return ops.reverse();
}

/** Rows for a side-by-side view: unchanged lines pair up; removed and added lines pair in a block. */
export function sideBySide(left: string, right: string): Row[] {
  const a = left.split('\n');
  const b = right.split('\n');
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  const ops: Op[] = a.slice(0, prefix).map((s): Op => ['=', s]);
  const rest = myers(a.slice(prefix), b.slice(prefix)) ?? [...a.slice(prefix).map((s): Op => ['-', s]), ...b.slice(prefix).map((s): Op => ['+', s])];
  ops.push(...rest);

  const rows: Row[] = [];
  let l = 0;
  let r = 0;
  let dels: string[] = [];
  let adds: string[] = [];
  const flush = () => {
    for (let i = 0; i < Math.max(dels.length, adds.length); i++) {
      const row: Row = { kind: 'change' };
      if (i < dels.length) Object.assign(row, { left: dels[i], l: ++l });
      if (i < adds.length) Object.assign(row, { right: adds[i], r: ++r });
      rows.push(row);
    }
    dels = [];
    adds = [];
  };
  for (const [op, line] of ops) {
    if (op === '-') dels.push(line);
    else if (op === '+') adds.push(line);
    else {
      flush();
      rows.push({ kind: 'same', left: line, right: line, l: ++l, r: ++r });
    }
  }
  flush();
  return rows;
}
