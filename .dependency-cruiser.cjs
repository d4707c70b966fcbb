/**
 * Layer rules (docs/architecture.md): imports point down only,
 *   routes → http → durable → services → storage → domain
 * with the Worker's entry files (index.ts, app.ts, entrypoint.ts) on top and Node tooling
 * (src/node) beside. No cycles anywhere. Tests may import anything. `npm run lint:deps`.
 */
const layer = (name) => `^src/${name}/`;
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles, type-only imports included.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      comment: 'src/domain/ imports only src/domain/ and npm packages: no env, no I/O, no Workers API, no Hono.',
      severity: 'error',
      from: { path: layer('domain') },
      to: { pathNot: [layer('domain'), '^node_modules/(?!hono/)'] },
    },
    {
      name: 'domain-no-workers-api',
      comment: 'The Workers runtime modules (cloudflare:*) are I/O: never in src/domain/.',
      severity: 'error',
      from: { path: layer('domain') },
      to: { path: '^cloudflare:' },
    },
    {
      name: 'formats-below-llm',
      comment: 'The formats (json, avro, protobuf) know nothing of the LLM layer built on them.',
      severity: 'error',
      from: { path: '^src/domain/(json|avro|protobuf)/' },
      to: { path: '^src/domain/llm/' },
    },
    {
      name: 'storage-over-domain',
      comment: 'src/storage/ imports only src/domain/ (and itself).',
      severity: 'error',
      from: { path: layer('storage') },
      to: { path: '^src/', pathNot: [layer('storage'), layer('domain')] },
    },
    {
      name: 'services-over-storage',
      comment: 'src/services/ orchestrates storage and domain; it knows nothing of HTTP or Durable Objects.',
      severity: 'error',
      from: { path: layer('services') },
      to: { path: '^src/', pathNot: [layer('services'), layer('storage'), layer('domain')] },
    },
    {
      name: 'durable-over-services',
      comment: 'src/durable/ (the writers) uses services, storage and domain; never HTTP or routes.',
      severity: 'error',
      from: { path: layer('durable') },
      to: { path: '^src/', pathNot: [layer('durable'), layer('services'), layer('storage'), layer('domain')] },
    },
    {
      name: 'http-below-routes',
      comment: 'src/http/ (wire details, authorization) never imports routes or the entry files.',
      severity: 'error',
      from: { path: layer('http') },
      to: { path: ['^src/routes/', '^src/(app|index|entrypoint)\\.ts$'] },
    },
    {
      name: 'routes-reach-storage-through-services',
      comment: 'A route handler calls services (and http helpers); it never queries storage itself.',
      severity: 'error',
      from: { path: layer('routes') },
      to: { path: [layer('storage'), '^src/(app|index|entrypoint)\\.ts$'] },
    },
    {
      name: 'entrypoint-not-through-routes',
      comment: 'The RPC entrypoint shares services with the routes, not the routes themselves.',
      severity: 'error',
      from: { path: '^src/entrypoint\\.ts$' },
      to: { path: '^src/routes/' },
    },
    {
      name: 'worker-not-node',
      comment: 'The Worker never bundles Node-only tooling (src/node: ajv, code generation).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/node/' },
      to: { path: '^src/node/' },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(test|dist|node_modules)/' },
  },
};
