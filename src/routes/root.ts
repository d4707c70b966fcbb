/** GET /, liveness and server metadata (Confluent RootResource, ServerMetadataResource). */
import { answer, prepareHeader } from '../http/answer-headers';
import { reply } from '../http/respond';
import { readiness } from '../services/readiness';
import { resource } from '../http/route';
import { ClusterId, Empty, Health, Readiness, ServerVersion, WhoAmI } from '../http/shapes';

export const VERSION = '0.1.0';

export const root = resource('/', [
  // Public: load balancers and Confluent clients probe it; it says nothing about the registry.
  {
    method: 'GET',
    path: '/',
    summary: 'An empty object: the registry answers',
    role: 'public',
    responses: { 200: Empty },
    handler: (c) => reply(c, {}),
  },
  {
    method: 'GET',
    path: '/v1/health',
    summary: 'Liveness: the Worker runs (touches no storage, needs no credential)',
    role: 'public',
    responses: { 200: Health },
    handler: (c) => reply(c, { status: 'ok' }),
  },
  {
    method: 'GET',
    path: '/v1/ready',
    summary: 'Readiness: D1, KV, R2 and the writer Durable Object answer (200), or which do not (503)',
    // Public like /v1/health (load balancers probe it): it names dependencies, never data.
    role: 'public',
    // 503 answers the same shape (naming what failed), not the error envelope.
    responses: { 200: Readiness, 503: Readiness },
    handler: async (c) => {
      const r = await readiness({
        d1: () => c.env.DB.withSession('first-unconstrained').prepare('SELECT 1').first(),
        kv: () => c.env.SCHEMA_KV.get('v1/ready-probe'),
        r2: () => c.env.ARCHIVE.head('ready-probe'),
        writer: () => c.get('registryWriter')().ping(),
      });
      if (!r.ready) prepareHeader(c, 'retry-after', '5');
      return answer(c, JSON.stringify({ status: r.ready ? 'ready' : 'unavailable', checks: r.checks }), r.ready ? 200 : 503, 'application/json');
    },
  },
  {
    method: 'GET',
    path: '/v1/metadata/id',
    summary: 'Server metadata: the cluster id',
    role: 'reader',
    responses: { 200: ClusterId },
    handler: (c) => reply(c, { scope: { path: [], clusters: { 'schema-registry-cluster': 'llm-schema-registry' } } }),
  },
  {
    method: 'GET',
    path: '/v1/metadata/version',
    summary: 'Server metadata: the version',
    role: 'reader',
    responses: { 200: ServerVersion },
    handler: (c) => reply(c, { version: VERSION, commitId: 'llm-schema-registry' }),
  },
  {
    method: 'GET',
    path: '/v1/whoami',
    summary: 'The caller: its principal name and its own grants (the console shows or hides what they allow)',
    // Any credential that can read anything: the answer is only ever the caller's own grants.
    role: 'reader',
    responses: { 200: WhoAmI },
    handler: (c) => {
      const p = c.get('principal');
      return reply(c, { principal: p.name, authenticated: c.env.AUTH_MODE !== 'none', grants: p.grants });
    },
  },
]);
