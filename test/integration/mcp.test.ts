/**
 * /mcp through the Worker's fetch: the JSON-RPC framing and its errors, the tools, and that each
 * tool call is authorized as the REST route it calls (a grant on one context sees nothing else).
 * The official SDK client drives the built Worker in test/e2e/mcp.test.ts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { bearer, fetchWith } from './with-env';

const tokens = 'adm:admin,rd:reader,wr:writer,ta:writer@.ta,ra:reader@.ta';
const call = fetchWith({ AUTH_TOKENS: tokens, CORS_ORIGINS: 'https://console.example' });

const MCP_HEADERS = { accept: 'application/json, text/event-stream', 'content-type': 'application/json' };
let nextId = 1;

async function rpc(token: string, method: string, params?: unknown, headers: Record<string, string> = {}) {
  const id = nextId++;
  const r = await call(
    'POST',
    '/mcp',
    { jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) },
    { ...MCP_HEADERS, ...bearer(token), ...headers },
  );
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body.id).toBe(id);
  return r.body as { result?: any; error?: { code: number; message: string } };
}

async function tool(token: string, name: string, args: Record<string, unknown>) {
  const r = await rpc(token, 'tools/call', { name, arguments: args });
  expect(r.error, JSON.stringify(r.error)).toBeUndefined();
  return r.result as { isError?: boolean; structuredContent?: any; content: { type: string; text: string }[] };
}

const order = {
  type: 'object',
  properties: { order_id: { type: 'string' }, customer: { type: 'object', properties: { customer_email: { type: 'string' } } } },
  required: ['order_id'],
};
const avroUser = { type: 'record', name: 'User', fields: [{ name: 'user_name', type: 'string' }] };

// Every test starts from an empty registry (apply-migrations.ts): the tools' tests seed their own.
async function seed() {
  for (const [subject, schema, type] of [
    ['orders', order, 'JSON'],
    [':.ta:users', avroUser, 'AVRO'],
    [':.tb:secret-orders', order, 'JSON'],
  ] as const) {
    const r = await call(
      'POST',
      `/subjects/${encodeURIComponent(subject)}/versions`,
      { schema: JSON.stringify(schema), schemaType: type },
      bearer('adm'),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }
}

describe('MCP framing', () => {
  it('initialize answers the version asked for when supported, else the newest, with the tools capability', async () => {
    const asked = await rpc('rd', 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } });
    expect(asked.result).toMatchObject({
      protocolVersion: '2025-06-18',
      capabilities: { tools: { listChanged: false } },
      serverInfo: { name: 'llm-schema-registry' },
    });
    const other = await rpc('rd', 'initialize', { protocolVersion: '1999-01-01', capabilities: {}, clientInfo: { name: 't', version: '1' } });
    expect(other.result.protocolVersion).toBe('2025-11-25');
    expect((await rpc('rd', 'ping')).result).toEqual({});
  });

  it('a notification or a client response is accepted with 202 and no body', async () => {
    const n = await call('POST', '/mcp', { jsonrpc: '2.0', method: 'notifications/initialized' }, { ...MCP_HEADERS, ...bearer('rd') });
    expect(n.status).toBe(202);
    expect(n.body).toBeUndefined();
    const r = await call('POST', '/mcp', { jsonrpc: '2.0', id: 9, result: {} }, { ...MCP_HEADERS, ...bearer('rd') });
    expect(r.status).toBe(202);
  });

  it('malformed messages are JSON-RPC errors', async () => {
    const h = { ...MCP_HEADERS, ...bearer('rd') };
    const parse = await call('POST', '/mcp', '{"jsonrpc":', h);
    expect(parse.status).toBe(400);
    expect(parse.body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
    const deep = await call('POST', '/mcp', `${'['.repeat(200)}${']'.repeat(200)}`, h);
    expect(deep.body.error.code).toBe(-32700);
    const batch = await call('POST', '/mcp', [{ jsonrpc: '2.0', id: 1, method: 'ping' }], h);
    expect(batch.body.error).toMatchObject({ code: -32600, message: expect.stringMatching(/Batches/) });
    const version = await call('POST', '/mcp', { jsonrpc: '1.0', id: 3, method: 'ping' }, h);
    expect(version.body).toMatchObject({ id: 3, error: { code: -32600 } });
    const badParams = await call('POST', '/mcp', { jsonrpc: '2.0', id: 4, method: 'ping', params: [1] }, h);
    expect(badParams.body).toMatchObject({ id: 4, error: { code: -32602 } });
    const badId = await call('POST', '/mcp', { jsonrpc: '2.0', id: { x: 1 }, method: 'ping' }, h);
    expect(badId.body).toMatchObject({ id: null, error: { code: -32600 } });
    expect((await rpc('rd', 'resources/list')).error).toMatchObject({ code: -32601 });
    expect((await rpc('rd', 'tools/call', { arguments: {} })).error).toMatchObject({ code: -32602 });
    expect((await rpc('rd', 'tools/call', { name: 'drop_database', arguments: {} })).error).toMatchObject({
      code: -32602,
      message: 'Unknown tool: drop_database',
    });
  });

  it('HTTP-level refusals: no credential, another method, a foreign origin, an unknown protocol version, too large', async () => {
    const anonymous = await call('POST', '/mcp', { jsonrpc: '2.0', id: 1, method: 'ping' }, MCP_HEADERS);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error_code).toBe(40101);
    const get = await call('GET', '/mcp', undefined, { accept: 'text/event-stream', ...bearer('rd') });
    expect(get.status).toBe(405);
    expect(get.body.error_code).toBe(405);
    const ping = { jsonrpc: '2.0', id: 1, method: 'ping' };
    const foreign = await call('POST', '/mcp', ping, { ...MCP_HEADERS, ...bearer('rd'), origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error_code).toBe(40301);
    const allowed = await call('POST', '/mcp', ping, { ...MCP_HEADERS, ...bearer('rd'), origin: 'https://console.example' });
    expect(allowed.status).toBe(200);
    const version = await call('POST', '/mcp', ping, { ...MCP_HEADERS, ...bearer('rd'), 'mcp-protocol-version': '2024-11-05' });
    expect(version.status).toBe(400);
    expect(version.body.error_code).toBe(400);
    const huge = await call('POST', '/mcp', JSON.stringify({ ...ping, params: { pad: 'x'.repeat(1_200_000) } }), {
      ...MCP_HEADERS,
      ...bearer('rd'),
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error_code).toBe(413);
  });
});

describe('MCP tools', () => {
  beforeEach(seed);

  it('tools/list: every tool with an object input schema; register only for callers who can write', async () => {
    const forReader = (await rpc('rd', 'tools/list')).result.tools as { name: string; inputSchema: { type: string } }[];
    const forWriter = (await rpc('ta', 'tools/list')).result.tools as { name: string }[];
    expect(forWriter.map((t) => t.name)).toEqual([
      'list_subjects',
      'search_subjects',
      'get_schema',
      'get_schema_by_id',
      'validate',
      'export_tool_definition',
      'check_compatibility',
      'register_schema',
    ]);
    expect(forReader.map((t) => t.name)).not.toContain('register_schema');
    for (const t of forReader) expect(t.inputSchema.type).toBe('object');
  });

  it('list_subjects and search_subjects see only what the grant covers', async () => {
    expect((await tool('rd', 'list_subjects', {})).structuredContent.subjects).toEqual([':.ta:users', ':.tb:secret-orders', 'orders']);
    expect((await tool('ra', 'list_subjects', {})).structuredContent.subjects).toEqual([':.ta:users']);
    const byField = await tool('rd', 'search_subjects', { query: 'EMAIL' });
    expect(byField.structuredContent).toEqual({
      matches: [
        { subject: ':.tb:secret-orders', version: 1, id: expect.any(Number), nameMatches: false, fields: ['customer_email'] },
        { subject: 'orders', version: 1, id: expect.any(Number), nameMatches: false, fields: ['customer_email'] },
      ],
      scanned: 3,
    });
    const scoped = await tool('ra', 'search_subjects', { query: 'user' });
    expect(scoped.structuredContent.matches).toEqual([
      { subject: ':.ta:users', version: 1, id: expect.any(Number), nameMatches: true, fields: ['user_name'] },
    ]);
    expect((await tool('ra', 'search_subjects', { query: 'email' })).structuredContent.matches).toEqual([]);
  });

  it('get_schema and get_schema_by_id; a subject outside the grant is the 403 of the route, as a tool error', async () => {
    const got = await tool('rd', 'get_schema', { subject: 'orders' });
    expect(got.structuredContent).toMatchObject({ subject: 'orders', version: 1, schemaType: 'JSON' });
    expect(JSON.parse(got.content[0].text)).toEqual(got.structuredContent);
    const byId = await tool('rd', 'get_schema_by_id', { id: got.structuredContent.id });
    expect(JSON.parse(byId.structuredContent.schema)).toEqual(order);
    const forbidden = await tool('ra', 'get_schema', { subject: 'orders' });
    expect(forbidden.isError).toBe(true);
    expect(forbidden.structuredContent).toMatchObject({ error_code: 40301, status: 403 });
    const missing = await tool('rd', 'get_schema', { subject: 'orders', version: 7 });
    expect(missing.structuredContent).toMatchObject({ error_code: 40402, status: 404 });
  });

  it('validate: a document, and raw model output with its extracted value and repair hint', async () => {
    const ok = await tool('rd', 'validate', { subject: 'orders', document: { order_id: 'o-1' } });
    expect(ok.structuredContent).toMatchObject({ valid: true });
    const output = await tool('rd', 'validate', { subject: 'orders', output: 'Here you go: {"order_id": 5}' });
    expect(output.structuredContent).toMatchObject({ valid: false, value: { order_id: 5 } });
    expect(output.structuredContent.repair).toEqual(expect.any(String));
    const both = await tool('rd', 'validate', { subject: 'orders', document: {}, output: '{}' });
    expect(both.isError).toBe(true);
    expect(both.content[0].text).toMatch(/exactly one of document or output/);
  });

  it('export_tool_definition and check_compatibility', async () => {
    const exported = await tool('rd', 'export_tool_definition', { subject: 'orders', target: 'openai-chat-tool' });
    expect(exported.structuredContent).toMatchObject({ target: 'openai-chat-tool' });
    const badTarget = await tool('rd', 'export_tool_definition', { subject: 'orders', target: 'nope' });
    expect(badTarget.isError).toBe(true);
    expect(badTarget.content[0].text).toMatch(/^Invalid arguments at 'target'/);
    const breaking = { ...order, required: ['order_id', 'new_field'], properties: { ...order.properties, new_field: { type: 'string' } } };
    const check = await tool('rd', 'check_compatibility', { subject: 'orders', schema: JSON.stringify(breaking), schemaType: 'JSON' });
    expect(check.structuredContent.is_compatible).toBe(false);
    expect(check.structuredContent.messages.length).toBeGreaterThan(0);
  });

  it('register_schema: a writer of the context registers; a reader gets the route’s 403', async () => {
    const v2 = { ...avroUser, fields: [...avroUser.fields, { name: 'age', type: 'int', default: 0 }] };
    const registered = await tool('ta', 'register_schema', { subject: ':.ta:users', schema: JSON.stringify(v2) });
    expect(registered.structuredContent).toEqual({ id: expect.any(Number) });
    const raw = await call(
      'POST',
      '/mcp',
      {
        jsonrpc: '2.0',
        id: 99,
        method: 'tools/call',
        params: { name: 'register_schema', arguments: { subject: ':.ta:users', schema: JSON.stringify(v2) } },
      },
      { ...MCP_HEADERS, ...bearer('ta') },
    );
    // The MCP answer carries the bookmark of the write its tool call made: a client that echoes it reads it.
    const bookmark = raw.headers.get('x-registry-bookmark');
    expect(bookmark).toBeTruthy();
    const latest = await call('GET', '/subjects/:.ta:users/versions/latest', undefined, { ...bearer('ta'), 'x-registry-bookmark': bookmark ?? '' });
    expect(latest.body.version).toBe(2);
    const again = await tool('ta', 'register_schema', { subject: ':.ta:users', schema: JSON.stringify(v2) });
    expect(again.structuredContent.id).toBe(registered.structuredContent.id);
    const reader = await tool('ra', 'register_schema', { subject: ':.ta:users', schema: JSON.stringify(v2) });
    expect(reader.structuredContent).toMatchObject({ error_code: 40301, status: 403 });
    const elsewhere = await tool('ta', 'register_schema', { subject: ':.tb:x', schema: JSON.stringify(v2) });
    expect(elsewhere.structuredContent).toMatchObject({ error_code: 40301 });
    const invalid = await tool('ta', 'register_schema', { subject: ':.ta:users', schema: '{not avro' });
    expect(invalid.structuredContent).toMatchObject({ error_code: 42201, status: 422 });
  });
});
