/**
 * The load scenarios, shared by the k6 scripts (load/*.k6.js) and the local autocannon runner
 * (load/run-local.mjs): each turns a request number into one HTTP request. Plain ES module with no
 * Node or k6 APIs, so both can import it.
 *
 * ctx = { corpus: [{ name, schema, valid, invalid }], ids: { name: id }, cases, prefix, runId }
 * where cases = every corpus instance as { name, body } (see casesOf).
 */

export const SR_JSON = 'application/vnd.schemaregistry.v1+json';

/** The corpus schema names (test/fixtures/llm-schemas/<name>.json); k6 cannot list a directory. */
export const CORPUS_NAMES = [
  'calendar-event',
  'chat-message',
  'code-patch',
  'get-weather',
  'invoice-extraction',
  'product-catalog-extraction',
  'send-email',
  'sentiment-classification',
  'sql-query',
  'web-search',
];

/** Subject prefix the setup registers the corpus under. */
export const LOAD_PREFIX = 'load-';

export function casesOf(corpus) {
  const out = [];
  for (const c of corpus) for (const v of [...c.valid, ...c.invalid]) out.push({ name: c.name, body: JSON.stringify(v) });
  return out;
}

/** The request that registers corpus schema `c` under `subject` (schemaType JSON). */
export function registerRequest(subject, schema) {
  return {
    method: 'POST',
    path: `/subjects/${encodeURIComponent(subject)}/versions`,
    headers: { 'content-type': SR_JSON },
    body: JSON.stringify({ schemaType: 'JSON', schema: JSON.stringify(schema) }),
  };
}

function registerNew(i, ctx) {
  // a new subject and a new schema each time (the $comment makes the content, hence the id, new)
  const c = ctx.corpus[i % ctx.corpus.length];
  return registerRequest(`load-burst-${ctx.runId}-${i}`, { ...c.schema, $comment: `load ${ctx.runId} ${i}` });
}

/**
 * A producer fleet restarting: each serializer registers again the schema its subject holds
 * (auto.register.schemas) or, with auto-registration off, looks it up; alternately, over the corpus.
 */
function restart(i, ctx) {
  const c = ctx.corpus[Math.floor(i / 2) % ctx.corpus.length];
  const spec = registerRequest(LOAD_PREFIX + c.name, c.schema);
  return i % 2 ? spec : { ...spec, path: `/subjects/${encodeURIComponent(LOAD_PREFIX + c.name)}` };
}

function readById(i, ctx) {
  const c = ctx.corpus[i % ctx.corpus.length];
  return { method: 'GET', path: `/schemas/ids/${ctx.ids[c.name]}`, headers: { accept: SR_JSON } };
}

function readLatest(i, ctx) {
  const c = ctx.corpus[i % ctx.corpus.length];
  return { method: 'GET', path: `/subjects/${LOAD_PREFIX}${c.name}/versions/latest`, headers: { accept: SR_JSON } };
}

function validate(i, ctx) {
  const k = ctx.cases[i % ctx.cases.length];
  return {
    method: 'POST',
    path: `/v1/validate/subjects/${LOAD_PREFIX}${k.name}/versions/latest`,
    headers: { 'content-type': 'application/json' },
    body: k.body,
  };
}

export const SCENARIOS = {
  'register-burst': {
    description: 'POST /subjects/{new}/versions: a new subject and schema per request (single writer per context)',
    request: registerNew,
  },
  restart: {
    description: 'a producer fleet restarting: POST /subjects/{s}/versions of what the subject holds, and POST /subjects/{s} (lookup), alternately',
    request: restart,
  },
  'read-by-id': {
    description: 'GET /schemas/ids/{id} over the corpus ids (Cache API -> KV -> D1 read path)',
    request: readById,
  },
  validate: {
    description: 'POST /v1/validate/subjects/{s}/versions/latest with the corpus instances (HTTP, no binding)',
    request: validate,
  },
  mixed: {
    description: '70% validate, 20% schema by id, 8% latest version, 2% register (new subject)',
    request: (i, ctx) => {
      const slot = i % 50;
      if (slot < 35) return validate(i, ctx);
      if (slot < 45) return readById(i, ctx);
      if (slot < 49) return readLatest(i, ctx);
      return registerNew(i, ctx);
    },
  },
};

/**
 * A read-heavy mix over already registered subjects, weighted like `mixed` above (per 50 requests:
 * 35 validations, 10 schema reads by id, the rest the subject's mutable reads) with the
 * registration replaced by reads: 35 POST /v1/validate/ids/{id}, 6 GET /schemas/ids/{id},
 * 4 GET /schemas/ids/{id}/schema, 3 latest, 1 version list, 1 config. test/bench/api.mjs runs it
 * (`--only mixed`). ctx = { targets: [{ subject, id }], body }: `body` is the validated document.
 * Returns the request and its kind (one of READ_MIX_KINDS).
 */
export const READ_MIX_WEIGHTS = [
  ['validate-id', 35],
  ['id', 6],
  ['id-schema', 4],
  ['latest', 3],
  ['versions', 1],
  ['config', 1],
];
export const READ_MIX_KINDS = READ_MIX_WEIGHTS.map(([kind]) => kind);
const READ_MIX_SLOTS = READ_MIX_WEIGHTS.flatMap(([kind, weight]) => Array.from({ length: weight }, () => kind));

export function readMixRequest(i, ctx) {
  const kind = READ_MIX_SLOTS[i % READ_MIX_SLOTS.length];
  // every round of 50 shifts the subjects by one, so each kind meets every subject
  const t = ctx.targets[(i + Math.floor(i / READ_MIX_SLOTS.length)) % ctx.targets.length];
  const s = encodeURIComponent(t.subject);
  const get = (path) => ({ kind, method: 'GET', path, headers: { accept: SR_JSON } });
  switch (kind) {
    case 'validate-id':
      return { kind, method: 'POST', path: `/v1/validate/ids/${t.id}`, headers: { 'content-type': 'application/json' }, body: ctx.body };
    case 'id':
      return get(`/schemas/ids/${t.id}`);
    case 'id-schema':
      return get(`/schemas/ids/${t.id}/schema`);
    case 'latest':
      return get(`/subjects/${s}/versions/latest`);
    case 'versions':
      return get(`/subjects/${s}/versions`);
    default:
      return get(`/config/${s}?defaultToGlobal=true`);
  }
}

/** The layers a read can be answered from (src/services/read-layer.ts), shallowest first. */
export const READ_LAYERS = ['isolate', 'cache', 'kv', 'd1'];

/**
 * The layer named by a response's Server-Timing header (`read;desc="isolate"`, among other
 * metrics Cloudflare may add), or undefined when the answer made no cached read.
 */
export function readLayerOf(header) {
  if (!header) return undefined;
  for (const metric of header.split(',')) {
    const [name, ...params] = metric.split(';').map((p) => p.trim());
    if (name.toLowerCase() !== 'read') continue;
    for (const param of params) {
      const m = /^desc\s*=\s*"?([a-z0-9]+)"?$/i.exec(param);
      if (m && READ_LAYERS.includes(m[1].toLowerCase())) return m[1].toLowerCase();
    }
  }
  return undefined;
}

/**
 * An autocannon `setupClient` that counts each answer's read layer into `layers` (the local runner
 * and the API bench; k6 reads the header itself). autocannon hands the response headers over as a
 * flat [name, value, ...] list. With `cachedTimes`, the time of each answer whose read came before
 * D1 is pushed there too (ms, autocannon's per-response time): what k6 keeps as
 * `cached_read_duration`, whose p95 the product targets hold under 10 ms. A connection carries
 * one request at a time (no pipelining), so a response belongs to the headers just before it.
 */
export function tallyReadLayers(layers, cachedTimes) {
  return (client) => {
    let answered;
    client.on('headers', ({ headers }) => {
      answered = undefined;
      for (let h = 0; h < headers.length; h += 2) {
        if (headers[h].toLowerCase() !== 'server-timing') continue;
        const layer = readLayerOf(headers[h + 1]);
        if (layer) layers[layer]++;
        answered ??= layer;
      }
    });
    if (cachedTimes)
      client.on('response', (_status, _bytes, ms) => {
        if (answered && answered !== 'd1') cachedTimes.push(ms);
        answered = undefined;
      });
  };
}
