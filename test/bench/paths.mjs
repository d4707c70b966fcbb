/**
 * What the API benches send, shared by test/bench/api.mjs (against a baseline Worker) and
 * test/bench/ab.mjs (two builds against each other): the seeded subjects, the paths over them, and
 * new-subject registrations. One definition, so a path measured by one bench is the path the other
 * measures.
 */
import { SR_JSON } from './miniflare.mjs';

/** Seeded subjects: each path rotates over them. */
export const SUBJECTS = 50;

const avro = (name, fields) => JSON.stringify({ type: 'record', name, namespace: 'bench', fields });
/** JSON Schema, so /v1/validate applies; version 2 differs by its description only (compatible). */
const jsonSchema = (i, version) =>
  JSON.stringify({ type: 'object', description: `subject ${i} v${version}`, properties: { id: { type: 'integer' }, note: { type: 'string' } } });

/**
 * Registers SUBJECTS subjects (two versions each) and returns what the paths address: each
 * subject's name, its latest id, and its guid when the registry answers as Confluent 8.x
 * (RESPONSE_PROFILE 8 names it; 7 does not).
 */
export async function seed(base) {
  const subjects = [];
  for (let i = 0; i < SUBJECTS; i++) {
    const subject = `api-bench-${i}`;
    for (const version of [1, 2]) {
      const res = await fetch(`${base}/subjects/${subject}/versions`, {
        method: 'POST',
        headers: { 'content-type': SR_JSON },
        body: JSON.stringify({ schemaType: 'JSON', schema: jsonSchema(i, version) }),
      });
      if (res.status !== 200) throw new Error(`seed ${subject}: ${res.status} ${await res.text()}`);
    }
    const latest = await (await fetch(`${base}/subjects/${subject}/versions/latest`)).json();
    subjects.push({ subject, id: latest.id, guid: latest.guid });
  }
  return subjects;
}

/**
 * Each path over the seeded subjects: the requests one round cycles through (autocannon rotates
 * them per connection); `write`: a POST of a schema (a registration, a lookup, a compatibility
 * check), not a read. The read by guid only when the guids are known.
 */
export function scenarios(subjects) {
  const each = (f) => subjects.map(f);
  const again = (path) =>
    subjects.map((s, i) => ({
      method: 'POST',
      path: path(s),
      headers: { 'content-type': SR_JSON },
      body: JSON.stringify({ schemaType: 'JSON', schema: jsonSchema(i, 2) }),
    }));
  return [
    { name: 'GET /schemas/ids/{id}', requests: each((s) => ({ method: 'GET', path: `/schemas/ids/${s.id}` })) },
    { name: 'GET /schemas/ids/{id}/schema', requests: each((s) => ({ method: 'GET', path: `/schemas/ids/${s.id}/schema` })) },
    ...(subjects.every((s) => s.guid)
      ? [{ name: 'GET /schemas/guids/{guid}', requests: each((s) => ({ method: 'GET', path: `/schemas/guids/${s.guid}` })) }]
      : []),
    // Which subject versions use an id (Confluent's getAllVersionsById: browsers, tooling, a consumer naming a record's subject).
    { name: 'GET /schemas/ids/{id}/versions', requests: each((s) => ({ method: 'GET', path: `/schemas/ids/${s.id}/versions` })) },
    { name: 'GET /subjects/{s}/versions/latest', requests: each((s) => ({ method: 'GET', path: `/subjects/${s.subject}/versions/latest` })) },
    { name: 'GET /subjects/{s}/versions', requests: each((s) => ({ method: 'GET', path: `/subjects/${s.subject}/versions` })) },
    // A version by number: what a client resolving a schema's references asks for.
    { name: 'GET /subjects/{s}/versions/{n}', requests: each((s) => ({ method: 'GET', path: `/subjects/${s.subject}/versions/1` })) },
    { name: 'GET /config/{s}?defaultToGlobal=true', requests: each((s) => ({ method: 'GET', path: `/config/${s.subject}?defaultToGlobal=true` })) },
    // A producer fleet restarting: every serializer registers the schema it already has (Confluent's
    // auto.register.schemas), so a deploy is a burst of registrations that change nothing.
    { name: 'POST /subjects/{s}/versions (already registered)', write: true, requests: again((s) => `/subjects/${s.subject}/versions`) },
    // The same restart with auto-registration off (Confluent's advice for production): each
    // serializer looks its schema up instead.
    { name: 'POST /subjects/{s} (lookup)', write: true, requests: again((s) => `/subjects/${s.subject}`) },
    // A CI pipeline testing its schema against the subject's latest on every build.
    {
      name: 'POST /compatibility/subjects/{s}/versions/latest',
      write: true,
      requests: again((s) => `/compatibility/subjects/${s.subject}/versions/latest`),
    },
    {
      name: 'POST /v1/validate/ids/{id}',
      requests: each((s) => ({
        method: 'POST',
        path: `/v1/validate/ids/${s.id}`,
        headers: { 'content-type': 'application/json' },
        body: '{"id":7,"note":"n"}',
      })),
    },
  ];
}

/**
 * Registrations of a new subject and Avro record per request (what a fleet deploy sends), named
 * `${prefix}${n}`, n counting from 0 for each call: autocannon's `requests` and its `setupRequest`.
 */
export function newSubjects(prefix) {
  let n = 0;
  const setupRequest = (req) => ({
    ...req,
    path: `/subjects/${prefix}${n}/versions`,
    body: JSON.stringify({ schema: avro(`N${n++}`, [{ name: 'id', type: 'long' }]) }),
  });
  return { requests: [{ method: 'POST', path: '/', headers: { 'content-type': SR_JSON } }], setupRequest };
}
