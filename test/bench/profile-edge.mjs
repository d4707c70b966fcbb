/**
 * CPU profile of the registry Worker inside workerd while it serves warm validations: the built
 * Worker under Miniflare with the V8 inspector open, autocannon driving POST
 * /v1/validate/subjects/{s}/versions/latest (or the gateway's service binding with --gateway) over the
 * corpus, the V8 sampling profiler on the registry isolate. Prints self time by bundle section
 * (the `// src/...` / `// node_modules/...` markers esbuild leaves in the bundle) and the top
 * functions, as shares of the samples (below: why not of the time between them).
 *
 *   node test/bench/profile-edge.mjs [--gateway] [--requests N] [--use-dist] [--save file.cpuprofile]
 *                                    [--get '/subjects/{s}/versions/latest' | --register | --reregister] [--top 25] [--metrics]
 *
 * --get profiles warm GETs of that path instead, `{s}` standing for each corpus subject;
 * --register profiles registrations, a new subject and Avro record per request;
 * --reregister profiles registrations of what each corpus subject already holds (a fleet restarting).
 * --metrics binds the METRICS Analytics Engine dataset as a deploy does.
 */
import { writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { freePort, profileWhile, sections } from './inspector.mjs';
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
  const { profile, result: r } = await profileWhile(inspectorPort, 'registry', 100, () =>
    autocannon({ url, connections: 8, amount: requests, requests: reqs }),
  );
  if (argv.includes('--save')) writeFileSync(opt('--save'), JSON.stringify(profile));

  // Shares are of samples, not of the time between them. workerd runs every isolate of the
  // process on one thread, and the profiler takes no samples of this one while another holds the
  // thread (the simulated D1): that time shows up as a long gap before the next sample here (p99 of
  // the gaps 4.5 ms at a 100 µs interval), and weighting samples by their gap charged it to
  // whatever ran first after it (the D1 client's toJson: 7.1% by time, 1.7% of the samples, in a registration profile).
  const section = sections(worker.script);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const bySection = new Map();
  const total = profile.samples.length;
  for (const id of profile.samples) {
    const f = byId.get(id).callFrame;
    const where = f.url.endsWith('index.js') ? section(f.lineNumber) : f.url ? f.url : f.functionName || '(native)';
    const key = `${f.functionName || '(anonymous)'}  ${where}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + 1);
    bySection.set(where, (bySection.get(where) ?? 0) + 1);
  }
  const pct = (x) => ((100 * x) / total).toFixed(1).padStart(5) + '%';
  const idle = bySection.get('(idle)') ?? 0;
  const window = (profile.endTime - profile.startTime) / 1000;
  console.log(
    `${register ? 'POST /subjects/{new}/versions' : reregister ? 'POST /subjects/{s}/versions (already registered)' : getPath ? `GET ${getPath}` : viaGateway ? 'gateway -> RegistryService' : 'HTTP /v1/validate'}: ${r['2xx']} answered (${r.non2xx} non-2xx), ${(r.requests.average ?? 0).toFixed(0)} req/s average`,
  );
  console.log(
    `profile of the registry isolate: ${total} samples over ${window.toFixed(0)} ms (one per ${((1000 * window) / total).toFixed(0)} µs), idle ${pct(idle)}\n\nself time by bundle section (share of samples):`,
  );
  for (const [k, v] of [...bySection].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${pct(v)}  ${k}`);
  console.log('\ntop functions (self time, share of samples):');
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(v)}  ${k}`);
} finally {
  await running.stop();
  state.cleanup();
  worker.cleanup();
}
