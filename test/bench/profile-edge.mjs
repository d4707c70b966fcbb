/**
 * CPU profile of the registry Worker inside workerd while it serves warm validations: the built
 * Worker under Miniflare with the V8 inspector open, autocannon driving POST
 * /v1/validate/subjects/{s}/versions/latest (or the gateway's service binding with --gateway) over the
 * corpus, the V8 sampling profiler on the registry isolate. Prints self time by bundle section
 * (the `// src/...` / `// node_modules/...` markers esbuild leaves in the bundle) and the top functions.
 *
 *   node test/bench/profile-edge.mjs [--gateway] [--requests N] [--use-dist] [--save file.cpuprofile]
 *                                    [--get '/subjects/{s}/versions/latest' | --register | --reregister] [--top 25] [--metrics]
 *
 * --get profiles warm GETs of that path instead, `{s}` standing for each corpus subject;
 * --register profiles registrations, a new subject and Avro record per request;
 * --reregister profiles registrations of what each corpus subject already holds (a fleet restarting).
 * --metrics binds the METRICS Analytics Engine dataset as a deploy does.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import autocannon from 'autocannon';
import { buildWorker, loadCorpus, registerCorpus, startRegistry, tempPersistRoot } from './miniflare.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i === -1 ? dflt : argv[i + 1];
};
const viaGateway = argv.includes('--gateway');
const requests = Number(opt('--requests', 20000));
const getPath = opt('--get');
const register = argv.includes('--register');
const reregister = argv.includes('--reregister');
/** --register: each request a new subject with a new Avro record (what a fleet deploy sends). */
let registered = 0;
const registration = {
  method: 'POST',
  headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
  setupRequest: (req) => {
    registered++;
    const schema = JSON.stringify({ type: 'record', name: `P${registered}`, namespace: 'profile', fields: [{ name: 'a', type: 'string' }] });
    return { ...req, path: `/subjects/profile-${registered}/versions`, body: JSON.stringify({ schema }) };
  },
};
const top = Number(opt('--top', 25));

const freePort = () =>
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
function sections(script) {
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

const worker = buildWorker({ useDist: argv.includes('--use-dist') });
const state = tempPersistRoot();
const inspectorPort = await freePort();
const running = await startRegistry({
  script: worker.script,
  persistRoot: state.dir,
  bench: viaGateway,
  inspectorPort,
  // --metrics: the METRICS Analytics Engine dataset bound, as deployed (a data point per request)
  registryOptions: argv.includes('--metrics') ? { analyticsEngineDatasets: { METRICS: { dataset: 'bench' } } } : {},
});
try {
  const corpus = loadCorpus();
  await registerCorpus(running.urls.registry, corpus);
  const reqs = register
    ? [registration]
    : corpus.flatMap((c) =>
        [...c.valid, ...c.invalid].map((v) =>
          getPath
            ? { method: 'GET', path: getPath.replace('{s}', `bench-${c.name}`) }
            : reregister
              ? {
                  method: 'POST',
                  path: `/subjects/bench-${c.name}/versions`,
                  headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
                  body: JSON.stringify({ schemaType: 'JSON', schema: JSON.stringify(c.schema) }),
                }
              : {
                  method: 'POST',
                  path: viaGateway ? `/validate/bench-${c.name}` : `/v1/validate/subjects/bench-${c.name}/versions/latest`,
                  headers: { 'content-type': 'application/json' },
                  body: JSON.stringify(v),
                },
        ),
      );
  const url = viaGateway ? running.urls.gateway : running.urls.registry;
  await autocannon({ url, connections: 8, amount: register ? 500 : 2000, requests: reqs });
  const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json();
  const target = targets.find((t) => t.id === 'core:user:registry');
  if (!target) throw new Error(`no registry isolate among inspector targets: ${targets.map((t) => t.id).join(', ')}`);
  const c = await cdp(target.webSocketDebuggerUrl);
  await c.send('Profiler.enable');
  await c.send('Profiler.setSamplingInterval', { interval: 100 });
  await c.send('Profiler.start');
  const r = await autocannon({ url, connections: 8, amount: requests, requests: reqs });
  const { profile } = await c.send('Profiler.stop');
  c.close();
  if (argv.includes('--save')) writeFileSync(opt('--save'), JSON.stringify(profile));

  const section = sections(worker.script);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const bySection = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const f = byId.get(id).callFrame;
    const where = f.url.endsWith('index.js') ? section(f.lineNumber) : f.url ? f.url : f.functionName || '(native)';
    const key = `${f.functionName || '(anonymous)'}  ${where}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    bySection.set(where, (bySection.get(where) ?? 0) + dt);
    total += dt;
  });
  const pct = (x) => ((100 * x) / total).toFixed(1).padStart(5) + '%';
  const idle = (bySection.get('(idle)') ?? 0) + 0;
  console.log(
    `${register ? 'POST /subjects/{new}/versions' : reregister ? 'POST /subjects/{s}/versions (already registered)' : getPath ? `GET ${getPath}` : viaGateway ? 'gateway -> RegistryService' : 'HTTP /v1/validate'}: ${r['2xx']} answered (${r.non2xx} non-2xx), ${(r.requests.average ?? 0).toFixed(0)} req/s average`,
  );
  console.log(`profile of the registry isolate: ${(total / 1000).toFixed(0)} ms sampled, idle ${pct(idle)}\n\nself time by bundle section:`);
  for (const [k, v] of [...bySection].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${pct(v)}  ${k}`);
  console.log('\ntop functions (self time):');
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(v)}  ${k}`);
} finally {
  await running.stop();
  state.cleanup();
  worker.cleanup();
}
