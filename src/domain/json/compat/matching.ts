/**
 * Maximum cardinality bipartite matching (Confluent's utils.MaximumCardinalityMatch), by
 * augmenting paths (Kuhn). Sizes are the subschema counts of two oneOf/anyOf/allOf lists.
 * `edges[i]` lists the right-hand indexes compatible with left index i.
 * Returns matchOfLeft[i] = the right index matched to i, or -1.
 */
export function maximumMatching(leftSize: number, rightSize: number, edges: readonly number[][]): number[] {
  const matchOfRight = new Array<number>(rightSize).fill(-1);
  const matchOfLeft = new Array<number>(leftSize).fill(-1);
  for (let l = 0; l < leftSize; l++) {
    const visited = new Array<boolean>(rightSize).fill(false);
    if (augment(l, edges, visited, matchOfRight)) {
      // recomputed below
    }
  }
  for (let r = 0; r < rightSize; r++) if (matchOfRight[r] >= 0) matchOfLeft[matchOfRight[r]] = r;
  return matchOfLeft;
}

/** Iterative DFS for an augmenting path from left vertex `start`. */
function augment(start: number, edges: readonly number[][], visited: boolean[], matchOfRight: number[]): boolean {
  // stack frames: [left vertex, next edge index]; path of (left, right) choices
  const stack: Array<[number, number]> = [[start, 0]];
  const chosen: number[] = [];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const [l, next] = frame;
    if (next >= edges[l].length) {
      stack.pop();
      chosen.pop();
      continue;
    }
    frame[1] = next + 1;
    const r = edges[l][next];
    if (visited[r]) continue;
    visited[r] = true;
    chosen.push(r);
    if (matchOfRight[r] < 0) {
      // flip the path: each left on the stack takes the right chosen after it
      for (let i = 0; i < stack.length; i++) matchOfRight[chosen[i]] = stack[i][0];
      return true;
    }
    stack.push([matchOfRight[r], 0]);
  }
  return false;
}
