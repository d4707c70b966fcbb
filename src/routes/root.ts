/** GET / and server metadata (Confluent RootResource, ServerMetadataResource). */
import { Hono } from 'hono';
import type { AppEnv } from '../http/env';
import { reply } from '../http/respond';

export const root = new Hono<AppEnv>();

export const VERSION = '0.1.0';

root.get('/', (c) => reply(c, {}));
root.get('/v1/metadata/id', (c) =>
  reply(c, { scope: { path: [], clusters: { 'schema-registry-cluster': 'llm-schema-registry' } } }),
);
root.get('/v1/metadata/version', (c) => reply(c, { version: VERSION, commitId: 'llm-schema-registry' }));
