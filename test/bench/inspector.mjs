/**
 * The V8 inspector of a workerd isolate, for the benches that profile one: a minimal Chrome
 * DevTools Protocol client, a free port to open the inspector on, and the map from a line of the
 * built bundle to the source file esbuild marked above it. Shared by profile-edge.mjs (a warm
 * isolate under load) and curves.mjs (module evaluation at start-up).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** Minimal CDP client over the inspector WebSocket (Node 22's global WebSocket). */
async function cdp(url) {
  const ws = new WebSocket(url);
  await new Promise((res, rej) => {
    ws.onopen = res;
    ws.onerror = rej;
  });
  let id = 0;
  const pending = new Map();
  ws.onmessage = (ev) => {
    const msg = JSON.parse(ev.data);
    if (msg.id && pending.has(msg.id)) {
      pending.get(msg.id)(msg);
      pending.delete(msg.id);
    }
  };
  return {
    send: (method, params = {}) =>
      new Promise((res, rej) => {
        const n = ++id;
        pending.set(n, (m) => (m.error ? rej(new Error(`${method}: ${m.error.message}`)) : res(m.result)));
        ws.send(JSON.stringify({ id: n, method, params }));
      }),
    close: () => ws.close(),
  };
}

/** Bundle line -> the source section esbuild marked above it ("// src/routes/validate.ts"). */
export function sections(script) {
  const lines = readFileSync(script, 'utf8').split('\n');
  const marks = [];
  lines.forEach((l, i) => {
    const m = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(l);
    if (m) marks.push([i, m[1]]);
  });
  return (line) => {
    let lo = 0;
    let hi = marks.length - 1;
    let best = '(bundle prelude)';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (marks[mid][0] <= line) {
        best = marks[mid][1];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  };
}

/**
 * A CPU profile of one isolate of the workerd whose inspector listens on `port` ('registry' is
 * `core:user:registry`) while `work()` runs, sampled every `intervalUs`. Returns the profile and
 * what `work` returned.
 */
export async function profileWhile(port, isolate, intervalUs, work) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
  const target = targets.find((t) => t.id === `core:user:${isolate}`);
  if (!target) throw new Error(`no ${isolate} isolate among inspector targets: ${targets.map((t) => t.id).join(', ')}`);
  const c = await cdp(target.webSocketDebuggerUrl);
  try {
    await c.send('Profiler.enable');
    await c.send('Profiler.setSamplingInterval', { interval: intervalUs });
    await c.send('Profiler.start');
    const result = await work();
    const { profile } = await c.send('Profiler.stop');
    return { profile, result };
  } finally {
    c.close();
  }
}
