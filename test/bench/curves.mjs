/**
 * node test/bench/curves.mjs [--quick] [--use-dist]: how cost grows with the work (the
 * Performance issue's cost curves), on the built Worker under Miniflare. Prints tables only.
 *
 * 1. The bundle, raw and gzipped; start-up: the CPU the isolate spends evaluating the bundle (what
 *    Cloudflare counts against its start-up limit, sampled by the V8 profiler as `wrangler check
 *    startup` does, finer), by the part of the bundle that spends it; and cold start: a new workerd
 *    on stored state, the time to the first answer and to the first schema read.
 * 2. Listings with 1k, 10k, 100k subjects (seeded straight into D1: one schema, N subjects that
 *    use it): GET /subjects, GET /schemas and the subject versions using the shared id, whole and
 *    one page (offset/limit), and the listings and that id read by a caller who may read one subject; time
 *    (median of 3), answer size, and workerd's resident memory after; and a registration that
 *    creates a subject (median of 5), which checks the context's subject count.
 * 3. References, 1k, 10k and 100k in the context, half to the version read: GET referencedby, one
 *    page and whole, by a reader of everything and of one referencing subject, and the refused
 *    delete of the referenced version.
 * 4. Registration and compatibility checks against 10, 100 and 1,000 versions under
 *    FULL_TRANSITIVE (Avro; each version adds a field with a default), and a check at BACKWARD
 *    (the latest version only) beside it.
 * 5. Schema size from 1 KB to 1 MB per format: register (parse, canonicalize, store) and read by id
 *    (the top size shrunk to the largest schema whose request fits the 1 MiB body limit).
 *
 * --only a,b runs only these parts (bundle, listings, references, versions, sizes); --script <bundle> runs
 * another build (e.g. from another commit, for before/after figures in one sitting).
 */
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Miniflare } from 'miniflare';
import { compatibilityDate } from '../e2e/registry-worker.mjs';
import { freePort, profileWhile, sections } from './inspector.mjs';
import { buildWorker, SR_JSON, startRegistry, tempPersistRoot } from './miniflare.mjs';
import { median, table } from './report.mjs';

const argv = process.argv.slice(2);
const args = new Set(argv);
const valueOf = (flag) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
const quick = args.has('--quick');
const only = valueOf('--only')?.split(',');
const wanted = (part) => !only || only.includes(part);
const LISTING_SIZES = quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
const VERSION_COUNTS = quick ? [10, 100] : [10, 100, 1_000];
const SCHEMA_SIZES = quick ? [1e3, 1e4, 1e5] : [1e3, 1e4, 1e5, 1e6];

const ms = (x) => `${x.toFixed(1)} ms`;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

async function timed(fn) {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

async function request(base, method, path, body, headers = {}) {
  const res = await fetch(base + path, {
    method,
    headers: { ...headers, ...(body ? { 'content-type': SR_JSON } : {}) },
    body: body && JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, bytes: Buffer.byteLength(text), text };
}

/** workerd's resident memory (all Workers of the run), from /proc. */
function workerdRssMb() {
  try {
    const pids = readFileSync('/proc/self/task/' + process.pid + '/children', 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    let kbTotal = 0;
    for (const pid of pids) {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      if (!/^Name:\s*workerd/m.test(status)) continue;
      kbTotal += Number(/^VmRSS:\s*(\d+)/m.exec(status)?.[1] ?? 0);
    }
    return kbTotal / 1024;
  } catch {
    return NaN;
  }
}

/** Each table printed as it is made, after a blank line. */
const print = (head, rows) => console.log(`\n${table(head, rows)}`);

/**
 * The CPU one new isolate spends evaluating the bundle: a probe module imports it on its first
 * request while the V8 profiler samples every 50 µs (`wrangler check startup` does the same without
 * setting an interval: its samples came about 5 ms apart, too coarse for tens of milliseconds). Active = sampled minus idle, as
 * wrangler counts it; GC is part of it. Workerd evaluates a Worker's main module when it starts,
 * before any request, so this is the only way to see that cost here; on Cloudflare a new isolate
 * pays it before its first request, within a limit of Cloudflare's (docs/performance.md, 'The curves now').
 */
async function startupProfile(script) {
  const inspectorPort = await freePort();
  const mf = new Miniflare({
    name: 'startup',
    modulesRoot: dirname(script),
    modules: [
      {
        type: 'ESModule',
        path: `${dirname(script)}/__startup_probe.mjs`,
        contents: `export default { async fetch() { await import('./${basename(script)}'); return new Response('ok'); } };`,
      },
      { type: 'ESModule', path: script, contents: readFileSync(script, 'utf8') },
    ],
    compatibilityDate: compatibilityDate(),
    compatibilityFlags: ['nodejs_compat'],
    inspectorPort,
  });
  try {
    await mf.ready;
    const { profile } = await profileWhile(inspectorPort, 'startup', 50, async () => {
      const res = await mf.dispatchFetch('http://startup.local/');
      if ((await res.text()) !== 'ok') throw new Error(`startup probe: ${res.status}`);
    });
    const section = sections(script);
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    let active = 0;
    let gc = 0;
    const bySource = new Map();
    profile.samples.forEach((id, i) => {
      const dt = (profile.timeDeltas[i] ?? 0) / 1000;
      const f = byId.get(id).callFrame;
      if (f.functionName === '(idle)') return;
      active += dt;
      if (f.functionName === '(garbage collector)') {
        gc += dt;
        return;
      }
      // node_modules/<package> or src/<dir>: which part of the bundle the time goes to. The
      // module's own body (every module's top-level statements, one function) and esbuild's
      // helpers come before the first marker.
      const inBundle = f.url.endsWith(basename(script));
      const part = inBundle ? section(f.lineNumber).split('/').slice(0, 2).join('/') : '';
      const where = !inBundle
        ? '(V8 and workerd: compiling, native calls)'
        : part === '(bundle prelude)'
          ? "(the bundle's top-level statements)"
          : part;
      bySource.set(where, (bySource.get(where) ?? 0) + dt);
    });
    return { active, gc, bySource };
  } finally {
    await mf.dispose();
  }
}

async function bundleAndColdStart(script) {
  const raw = readFileSync(script);
  console.log(`\nBundle: ${kb(raw.length)} raw, ${kb(gzipSync(raw, { level: 9 }).length)} gzipped (${script.split('/').slice(-1)[0]})`);
  const starts = [];
  for (let i = 0; i < (quick ? 3 : 7); i++) starts.push(await startupProfile(script));
  const mid = [...starts].sort((a, b) => a.active - b.active)[starts.length >> 1];
  print(
    [`Start-up: evaluating the bundle in a new isolate (CPU sampled every 50 µs), median of ${starts.length} (the rows below: that isolate)`, 'ms'],
    [
      ['active (GC included)', `${ms(mid.active)} (runs: ${starts.map((s) => s.active.toFixed(1)).join(', ')})`],
      ['of it garbage collection', ms(mid.gc)],
      ...[...mid.bySource]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 8)
        .map(([where, t]) => [`of it ${where}`, ms(t)]),
    ],
  );
  const state = tempPersistRoot();
  try {
    let running = await startRegistry({ script, persistRoot: state.dir });
    const reg = await request(running.urls.registry, 'POST', '/subjects/cold/versions', { schema: '{"type":"string"}' });
    if (reg.status !== 200) throw new Error(`cold seed: ${reg.status} ${reg.text}`);
    await running.stop();
    const rows = [];
    for (let i = 0; i < (quick ? 3 : 5); i++) {
      running = await startRegistry({ script, persistRoot: state.dir, migrate: false });
      const first = await timed(() => request(running.urls.registry, 'GET', '/v1/health'));
      const read = await timed(() => request(running.urls.registry, 'GET', '/schemas/ids/1'));
      const warm = await timed(() => request(running.urls.registry, 'GET', '/schemas/ids/1'));
      rows.push({ first: first.ms, read: read.ms, warm: warm.ms });
      await running.stop();
    }
    print(
      ['Cold start (new workerd, stored state), median of ' + rows.length, 'ms'],
      [
        ['first answer (GET /v1/health; workerd evaluated the bundle as it started)', ms(median(rows.map((r) => r.first)))],
        ['first schema read after it (GET /schemas/ids/1: caches empty)', ms(median(rows.map((r) => r.read)))],
        ['the same read again (warm)', ms(median(rows.map((r) => r.warm)))],
      ],
    );
  } finally {
    state.cleanup();
  }
}

async function listings(script) {
  const rows = [];
  for (const n of LISTING_SIZES) {
    const state = tempPersistRoot();
    // Secured, for one caller that reads a single subject (a grant on a prefix): its reads of the
    // shared id are decided by whether a subject it may read uses the id.
    const vars = { MAX_SUBJECTS_PER_CONTEXT: '1000000', AUTH_MODE: '', AUTH_TOKENS: 'curves-admin:admin,curves-narrow:reader@./s-0000500' };
    const running = await startRegistry({ script, persistRoot: state.dir, registryOptions: { vars } });
    const admin = { authorization: 'Bearer curves-admin' };
    const narrow = { authorization: 'Bearer curves-narrow' };
    try {
      const base = running.urls.registry;
      const reg = await request(base, 'POST', '/subjects/seed/versions', { schema: '{"type":"string"}' }, admin);
      if (reg.status !== 200) throw new Error(`listing seed: ${reg.status} ${reg.text}`);
      const db = await running.mf.getD1Database('DB', 'registry');
      await db
        .prepare(
          `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
           INSERT INTO versions (context, subject, version, schema_id) SELECT '.', printf('s-%07d', i), 1, 1 FROM n`,
        )
        .bind(n - 1)
        .run();
      // Every subject uses id 1, as the `"string"` key schema of every topic would: its usages
      // grow with the registry too.
      for (const [path, headers, who] of [
        ['/subjects', admin],
        ['/subjects?offset=500&limit=100', admin],
        ['/schemas', admin],
        ['/schemas?offset=500&limit=100', admin],
        ['/schemas/ids/1/versions', admin],
        ['/schemas/ids/1/versions?offset=500&limit=100', admin],
        ['/subjects', narrow, ' (a reader of one subject)'],
        ['/schemas', narrow, ' (a reader of one subject)'],
        ['/schemas/ids/1', narrow, ' (a reader of one subject)'],
        ['/schemas/ids/1/versions', narrow, ' (a reader of one subject)'],
      ]) {
        const times = [];
        let answer;
        for (let i = 0; i < 3; i++) {
          const r = await timed(() => request(base, 'GET', path, undefined, headers));
          if (r.value.status !== 200) throw new Error(`${path}: ${r.value.status} ${r.value.text.slice(0, 200)}`);
          times.push(r.ms);
          answer = r.value;
        }
        rows.push([n.toLocaleString('en-US'), `GET ${path}${who ?? ''}`, ms(median(times)), kb(answer.bytes), `${workerdRssMb().toFixed(0)} MB`]);
      }
      // A registration that creates a subject checks MAX_SUBJECTS_PER_CONTEXT against the context's
      // subject count (raised for this run: the seed alone reaches the default 100,000).
      const times = [];
      for (let i = 0; i < 5; i++) {
        const r = await timed(() =>
          request(base, 'POST', `/subjects/new-${i}/versions`, { schema: `{"type":"record","name":"N${i}","fields":[]}` }, admin),
        );
        if (r.value.status !== 200) throw new Error(`register new-${i}: ${r.value.status} ${r.value.text.slice(0, 200)}`);
        times.push(r.ms);
      }
      rows.push([n.toLocaleString('en-US'), 'POST /subjects/{new}/versions', ms(median(times)), '', `${workerdRssMb().toFixed(0)} MB`]);
    } finally {
      await running.stop();
      state.cleanup();
    }
  }
  print(['Subjects', 'Request', 'Time (median of 3)', 'Answer', 'workerd RSS after'], rows);
}

/**
 * References with 1k, 10k and 100k in the context (seeded straight into D1), half of them to the
 * version read (`refd` v1), the rest to another (`other` v1), each referencing schema used by its
 * own subject: GET referencedby, one page and whole, by a reader of everything and by one that
 * may read a single referencing subject; and the refused delete of the referenced version, which
 * checks for one reference. A page reads the references before and in it, not the context's.
 */
async function references(script) {
  const rows = [];
  for (const n of LISTING_SIZES) {
    const state = tempPersistRoot();
    const vars = {
      MAX_SUBJECTS_PER_CONTEXT: '1000000',
      AUTH_MODE: '',
      AUTH_TOKENS: 'curves-admin:admin,curves-narrow:reader@./refd,curves-narrow:reader@./r-0000501',
    };
    const running = await startRegistry({ script, persistRoot: state.dir, registryOptions: { vars } });
    const admin = { authorization: 'Bearer curves-admin' };
    const narrow = { authorization: 'Bearer curves-narrow' };
    try {
      const base = running.urls.registry;
      for (const subject of ['refd', 'other']) {
        const reg = await request(
          base,
          'POST',
          `/subjects/${subject}/versions`,
          { schema: JSON.stringify({ type: 'record', name: subject, fields: [] }) },
          admin,
        );
        if (reg.status !== 200) throw new Error(`references seed: ${reg.status} ${reg.text}`);
      }
      const db = await running.mf.getD1Database('DB', 'registry');
      await db.batch(
        [
          `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
           INSERT INTO refs (context, schema_id, name, ref_subject, ref_version) SELECT '.', 1000 + i, 'r', CASE WHEN i % 2 = 1 THEN 'refd' ELSE 'other' END, 1 FROM n`,
          `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
           INSERT INTO versions (context, subject, version, schema_id) SELECT '.', printf('r-%07d', i), 1, 1000 + i FROM n`,
        ].map((sql) => db.prepare(sql).bind(n)),
      );
      for (const [method, path, headers, who, status] of [
        ['GET', '/subjects/refd/versions/1/referencedby?offset=100&limit=100', admin, ''],
        ['GET', '/subjects/refd/versions/1/referencedby', admin, ''],
        ['GET', '/subjects/refd/versions/1/referencedby', narrow, ' (a reader of one referencing subject)'],
        ['DELETE', '/subjects/refd/versions/1', admin, ' (refused: referenced)', 422],
      ]) {
        const times = [];
        let answer;
        for (let i = 0; i < 3; i++) {
          const r = await timed(() => request(base, method, path, undefined, headers));
          if (r.value.status !== (status ?? 200)) throw new Error(`${path}: ${r.value.status} ${r.value.text.slice(0, 200)}`);
          times.push(r.ms);
          answer = r.value;
        }
        rows.push([n.toLocaleString('en-US'), `${method} ${path}${who}`, ms(median(times)), kb(answer.bytes), `${workerdRssMb().toFixed(0)} MB`]);
      }
    } finally {
      await running.stop();
      state.cleanup();
    }
  }
  print(['References', 'Request', 'Time (median of 3)', 'Answer', 'workerd RSS after'], rows);
}

async function versions(script) {
  const rows = [];
  const state = tempPersistRoot();
  const running = await startRegistry({ script, persistRoot: state.dir });
  try {
    const base = running.urls.registry;
    const fields = (k) => [{ name: 'id', type: 'long' }, ...Array.from({ length: k }, (_, i) => ({ name: `f${i}`, type: 'string', default: '' }))];
    const schema = (k) => JSON.stringify({ type: 'record', name: 'Grow', fields: fields(k) });
    for (const count of VERSION_COUNTS) {
      const subject = `grow-${count}`;
      await request(base, 'PUT', `/config/${subject}`, { compatibility: 'NONE' });
      for (let v = 0; v < count; v++) {
        const r = await request(base, 'POST', `/subjects/${subject}/versions`, { schema: schema(v) });
        if (r.status !== 200) throw new Error(`versions seed: ${r.status} ${r.text}`);
      }
      // BACKWARD parses and checks the latest version only: what it costs beyond that is reading the history.
      await request(base, 'PUT', `/config/${subject}`, { compatibility: 'BACKWARD' });
      const latestOnly = await timed(() =>
        request(base, 'POST', `/compatibility/subjects/${subject}/versions?verbose=true`, { schema: schema(count) }),
      );
      await request(base, 'PUT', `/config/${subject}`, { compatibility: 'FULL_TRANSITIVE' });
      const check = await timed(() => request(base, 'POST', `/compatibility/subjects/${subject}/versions?verbose=true`, { schema: schema(count) }));
      const again = await timed(() => request(base, 'POST', `/compatibility/subjects/${subject}/versions?verbose=true`, { schema: schema(count) }));
      const register = await timed(() => request(base, 'POST', `/subjects/${subject}/versions`, { schema: schema(count) }));
      if (register.value.status !== 200) throw new Error(`register after ${count}: ${register.value.status} ${register.value.text}`);
      rows.push([String(count), ms(latestOnly.ms), ms(check.ms), ms(again.ms), ms(register.ms)]);
    }
  } finally {
    await running.stop();
    state.cleanup();
  }
  print(['Versions (Avro)', 'Check at BACKWARD', 'Check at FULL_TRANSITIVE, first', 'Check, again', 'Register the next'], rows);
}

/** The registry refuses a request body over 1 MiB (src/http/respond.ts MAX_BODY_BYTES: 413). */
const BODY_LIMIT = 1024 * 1024;
/** ... and a Protobuf schema over 1,000,000 characters (src/domain/protobuf/limits.ts: 42201). */
const TEXT_LIMIT = 1_000_000;

const registration = (format, text) => JSON.stringify({ schemaType: format, schema: text });
const fits = (format, text) => text.length <= TEXT_LIMIT && Buffer.byteLength(registration(format, text)) <= BODY_LIMIT;

/**
 * sized(), made smaller while the schema or the request carrying it (the schema JSON-escaped in
 * the body) passes a limit: the top row is then the largest schema a client can register.
 */
function sizedToFit(format, bytes) {
  let text = sized(format, bytes);
  for (let target = bytes; !fits(format, text); text = sized(format, target)) {
    const over = Math.max(text.length / TEXT_LIMIT, Buffer.byteLength(registration(format, text)) / BODY_LIMIT);
    target = Math.floor((target * 0.99) / over);
  }
  return text;
}

/** A schema of about `bytes` in each format: one record/object/message with enough fields. */
function sized(format, bytes) {
  const per = format === 'PROTOBUF' ? 26 : 40;
  const k = Math.max(1, Math.floor(bytes / per));
  const names = Array.from({ length: k }, (_, i) => `field_${String(i).padStart(6, '0')}`);
  if (format === 'AVRO') return JSON.stringify({ type: 'record', name: 'Big', fields: names.map((name) => ({ name, type: 'string' })) });
  if (format === 'JSON') return JSON.stringify({ type: 'object', properties: Object.fromEntries(names.map((n) => [n, { type: 'string' }])) });
  // Field numbers 19000-19999 are reserved for the Protobuf implementation: skipped.
  const number = (i) => (i < 18_999 ? i + 1 : i + 1_001);
  return `syntax = "proto3";\nmessage Big {\n${names.map((n, i) => `  string ${n} = ${number(i)};`).join('\n')}\n}\n`;
}

async function schemaSizes(script) {
  const rows = [];
  const state = tempPersistRoot();
  const running = await startRegistry({ script, persistRoot: state.dir });
  try {
    const base = running.urls.registry;
    for (const format of ['AVRO', 'JSON', 'PROTOBUF']) {
      for (const bytes of SCHEMA_SIZES) {
        const text = sizedToFit(format, bytes);
        const register = await timed(() => request(base, 'POST', `/subjects/size-${format}-${bytes}/versions`, { schemaType: format, schema: text }));
        if (register.value.status !== 200) {
          rows.push([format, kb(text.length), `${register.value.status} ${register.value.text.slice(0, 80)}`, '', '']);
          continue;
        }
        const id = JSON.parse(register.value.text).id;
        const first = await timed(() => request(base, 'GET', `/schemas/ids/${id}`));
        const warm = [];
        for (let i = 0; i < 5; i++) warm.push((await timed(() => request(base, 'GET', `/schemas/ids/${id}`))).ms);
        rows.push([format, kb(text.length), ms(register.ms), ms(first.ms), ms(median(warm))]);
      }
    }
  } finally {
    await running.stop();
    state.cleanup();
  }
  print(['Format', 'Schema', 'Register (parse, canonicalize, store)', 'Read by id, first', 'Read by id, warm (median of 5)'], rows);
}

const { script, cleanup } = valueOf('--script')
  ? { script: valueOf('--script'), cleanup: () => {} }
  : buildWorker({ useDist: args.has('--use-dist') });
try {
  console.log(`Cost curves (node ${process.version}${quick ? ', --quick' : ''})`);
  if (wanted('bundle')) await bundleAndColdStart(script);
  if (wanted('listings')) await listings(script);
  if (wanted('references')) await references(script);
  if (wanted('versions')) await versions(script);
  if (wanted('sizes')) await schemaSizes(script);
} finally {
  cleanup();
}
