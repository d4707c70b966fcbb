/**
 * GET /openapi.json from the built Worker: valid OpenAPI 3.1 (the @seriousme validator, against
 * the specification's own JSON Schema), public with authentication on, and the checker the whole e2e suite runs its answers through
 * (openapi-check.ts) refuses what it must.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checker, type Document } from './openapi-check';
import { type RunningWorker, startWorker } from './worker';

const ADMIN = { REGISTRY_ADMIN_KEY: 'lsr_0123456789abcdef01234567', REGISTRY_ADMIN_SECRET: 'openapi-e2e-secret-openapi-e2e-secret' };

let worker: RunningWorker;
let served: Record<string, unknown> & { paths: Record<string, Record<string, Record<string, unknown>>> };

beforeAll(async () => {
  worker = await startWorker({ AUTH_MODE: '', ...ADMIN });
  const res = await fetch(`${worker.url}/openapi.json`);
  expect(res.status).toBe(200);
  served = (await res.json()) as typeof served;
});
afterAll(async () => {
  await worker.stop();
});

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(served);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(served.openapi).toBe('3.1.0');
  });

  it('is served without credentials while every API route needs them', async () => {
    const anonymous = await fetch(`${worker.url}/subjects`);
    expect(anonymous.status).toBe(401);
    const doc = await fetch(`${worker.url}/openapi.json`);
    expect(doc.status).toBe(200);
    expect(doc.headers.get('cache-control')).toBe('public, max-age=300');
  });

  it('documents parameters, bodies and security schemes from the routes', () => {
    const register = served.paths['/subjects/{subject}/versions'].post as {
      parameters: { name: string; in: string }[];
      requestBody: { content: Record<string, { schema: unknown }> };
    };
    expect(register.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(['path:subject', 'query:normalize']);
    expect(register.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/RegisterSchemaRequest' });
    const components = served.components as { securitySchemes: Record<string, { scheme: string }>; schemas: Record<string, unknown> };
    expect(components.securitySchemes.basic.scheme).toBe('basic');
    expect(components.securitySchemes.bearer.scheme).toBe('bearer');
    expect(components.schemas).toHaveProperty('Error');
  });
});

describe('the answer checker', () => {
  const { templateOf, violations } = (() => {
    let c: ReturnType<typeof checker> | undefined;
    const get = () => (c ??= checker(served as unknown as Document));
    return {
      templateOf: (p: string) => get().templateOf(p),
      violations: (s: Parameters<ReturnType<typeof checker>['violations']>[0]) => get().violations(s),
    };
  })();
  const sample = (method: string, path: string, status: number, body: unknown, type = 'application/vnd.schemaregistry.v1+json') => ({
    method,
    url: `http://x${path}`,
    status,
    type,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

  it('matches literal segments before parameters, and context URLs as their rewrite', () => {
    expect(templateOf('/schemas/types')).toBe('/schemas/types');
    expect(templateOf('/schemas/ids/7/')).toBe('/schemas/ids/{id}');
    expect(templateOf('/v1/admin/audit/verify')).toBe('/v1/admin/audit/verify');
    expect(violations(sample('GET', '/contexts/.t/subjects/a/versions', 200, [1, 2]))).toEqual([]);
  });

  it('accepts documented answers and the error envelope', () => {
    expect(violations(sample('GET', '/schemas/ids/1', 200, { schema: '"string"' }))).toEqual([]);
    expect(violations(sample('GET', '/subjects/a/versions/1', 404, { error_code: 40402, message: 'Version 1 not found.' }))).toEqual([]);
    expect(violations(sample('GET', '/nowhere', 404, { error_code: 404, message: 'HTTP 404 Not Found' }))).toEqual([]);
  });

  it('refuses an undocumented field, status, media type, path or error shape', () => {
    expect(violations(sample('GET', '/schemas/ids/1', 200, { schema: '"string"', extra: 1 }))[0]).toMatch(/additional/);
    expect(violations(sample('GET', '/schemas/ids/1', 201, { schema: '"string"' }))[0]).toMatch(/status not documented/);
    expect(violations(sample('GET', '/schemas/ids/1', 200, { schema: '"s"' }, 'text/html'))[0]).toMatch(/media type/);
    expect(violations(sample('GET', '/nowhere', 200, {}))[0]).toMatch(/no documented operation/);
    expect(violations(sample('GET', '/subjects', 500, 'Internal Server Error', 'text/plain'))[0]).toMatch(/not the error envelope/);
    expect(violations(sample('GET', '/subjects', 200, [1]))[0]).toMatch(/must be string/);
  });
});
