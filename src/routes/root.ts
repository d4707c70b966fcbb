/** GET /, liveness and server metadata (Confluent RootResource, ServerMetadataResource). */
import { reply } from '../http/respond';
import { resource } from '../http/route';

export const VERSION = '0.1.0';

export const root = resource('/', [
  // Public: load balancers and Confluent clients probe it; it says nothing about the registry.
  { method: 'GET', path: '/', summary: 'An empty object: the registry answers', role: 'public', handler: (c) => reply(c, {}) },
  {
    method: 'GET',
    path: '/v1/health',
    summary: 'Liveness: the Worker runs (touches no storage, needs no credential)',
    role: 'public',
    handler: (c) => reply(c, { status: 'ok' }),
  },
  {
    method: 'GET',
    path: '/v1/metadata/id',
    summary: 'Server metadata: the cluster id',
    role: 'reader',
    handler: (c) => reply(c, { scope: { path: [], clusters: { 'schema-registry-cluster': 'llm-schema-registry' } } }),
  },
  {
    method: 'GET',
    path: '/v1/metadata/version',
    summary: 'Server metadata: the version',
    role: 'reader',
    handler: (c) => reply(c, { version: VERSION, commitId: 'llm-schema-registry' }),
  },
]);
