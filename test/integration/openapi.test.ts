/**
 * The OpenAPI document is the route table: one operation per route (method, path, summary, role,
 * tag), no more and no less. Its validity and the check of every e2e answer against it are in
 * test/e2e/openapi.test.ts (on the built Worker, with a real OpenAPI validator).
 */
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../src/app';
import { get } from './client';

type Operation = Record<string, unknown> & { tags: string[]; responses: Record<string, unknown>; security?: unknown[] };

describe('GET /openapi.json', () => {
  it('has exactly one operation per route of the route table, with its summary, role and tag', async () => {
    const { status, body } = await get('/openapi.json');
    expect(status).toBe(200);
    const paths = body.paths as Record<string, Record<string, Operation>>;
    const operations = Object.entries(paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.fullPath}`).sort());
    for (const r of ROUTES) {
      const op = paths[r.fullPath][r.method.toLowerCase()];
      expect(op.summary).toBe(r.summary);
      expect(op['x-required-role']).toBe(typeof r.role === 'string' ? r.role : 'depends on the request (see the summary)');
      expect(op.security).toEqual(r.role === 'public' ? [] : undefined);
      expect(Object.keys(op.responses)).toContain('default');
      for (const status of Object.keys(r.responses)) expect(op.responses).toHaveProperty(status);
    }
    const tag = (path: string, method = 'get') => paths[path][method].tags;
    expect(tag('/subjects')).toEqual(['Confluent API']);
    expect(tag('/v1/validate/ids/{id}', 'post')).toEqual(['Registry API']);
    expect(tag('/v1/admin/keys')).toEqual(['Admin']);
    expect(tag('/mcp', 'post')).toEqual(['MCP']);
    expect(new Set(Object.values(paths).flatMap((item) => Object.values(item).map((op) => op.operationId))).size).toBe(ROUTES.length);
  });
});
