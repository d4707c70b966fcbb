/**
 * /mcp with the official MCP TypeScript SDK client (Streamable HTTP) against the built Worker with
 * auth on: an agent holding a managed API key discovers the tools, finds a subject by a field name,
 * reads, validates model output, exports, checks and registers; a key without write access sees
 * no register tool and is refused by the register route if it calls it anyway.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker } from './worker';

let worker: RunningWorker;
const ROOT = `Basic ${Buffer.from('root:e2e-bootstrap-secret').toString('base64')}`;

beforeAll(async () => {
  worker = await startWorker({ AUTH_MODE: '', REGISTRY_ADMIN_KEY: 'root', REGISTRY_ADMIN_SECRET: 'e2e-bootstrap-secret' });
  const res = await fetch(`${worker.url}/subjects/invoice-extraction/versions`, {
    method: 'POST',
    headers: { authorization: ROOT, 'content-type': 'application/json' },
    body: JSON.stringify({
      schemaType: 'JSON',
      schema: JSON.stringify({
        type: 'object',
        properties: { invoice_number: { type: 'string' }, total_cents: { type: 'integer' } },
        required: ['invoice_number', 'total_cents'],
        additionalProperties: false,
      }),
    }),
  });
  expect(res.status).toBe(200);
});
afterAll(async () => {
  await worker.stop();
});

async function connect(grants: unknown[]): Promise<Client> {
  const res = await fetch(`${worker.url}/v1/admin/keys`, {
    method: 'POST',
    headers: { authorization: ROOT, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'mcp-e2e', grants }),
  });
  expect(res.status).toBe(201);
  const { key, secret } = (await res.json()) as { key: string; secret: string };
  const transport = new StreamableHTTPClientTransport(new URL(`${worker.url}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${key}:${secret}` } },
  });
  const client = new Client({ name: 'e2e-agent', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

type Result = { isError?: boolean; structuredContent?: Record<string, any>; content: unknown };

describe('MCP with the official SDK client', () => {
  it('a writer: discover, search by field, read, validate output, export, check, register', async () => {
    const client = await connect([{ role: 'writer' }]);
    expect(client.getServerVersion()).toMatchObject({ name: 'llm-schema-registry' });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('register_schema');

    const found = (await client.callTool({ name: 'search_subjects', arguments: { query: 'total' } })) as Result;
    expect(found.structuredContent?.matches).toEqual([
      { subject: 'invoice-extraction', version: 1, id: 1, nameMatches: false, fields: ['total_cents'] },
    ]);
    const schema = (await client.callTool({ name: 'get_schema', arguments: { subject: 'invoice-extraction' } })) as Result;
    expect(schema.structuredContent).toMatchObject({ subject: 'invoice-extraction', version: 1, id: 1 });

    const output = (await client.callTool({
      name: 'validate',
      arguments: { subject: 'invoice-extraction', output: '```json\n{"invoice_number": "A-1", "total_cents": "12"}\n```' },
    })) as Result;
    expect(output.structuredContent).toMatchObject({ valid: false, value: { invoice_number: 'A-1', total_cents: '12' } });
    expect(output.structuredContent?.errors[0]).toMatchObject({ instancePath: '/total_cents' });

    const exported = (await client.callTool({
      name: 'export_tool_definition',
      arguments: { subject: 'invoice-extraction', target: 'anthropic-tool' },
    })) as Result;
    expect(exported.structuredContent).toMatchObject({
      target: 'anthropic-tool',
      output: { name: expect.any(String), input_schema: { type: 'object' } },
    });

    const next = JSON.stringify({
      type: 'object',
      properties: { invoice_number: { type: 'string' }, total_cents: { type: 'integer' }, currency: { type: 'string' } },
      required: ['invoice_number', 'total_cents'],
      additionalProperties: false,
    });
    const check = (await client.callTool({
      name: 'check_compatibility',
      arguments: { subject: 'invoice-extraction', schema: next, schemaType: 'JSON' },
    })) as Result;
    expect(check.structuredContent).toMatchObject({ is_compatible: true });
    const registered = (await client.callTool({
      name: 'register_schema',
      arguments: { subject: 'invoice-extraction', schema: next, schemaType: 'JSON' },
    })) as Result;
    expect(registered.structuredContent).toMatchObject({ id: 2 }); // profile 8 adds version, guid, schemaType, schema
    await client.close();
  });

  it('a reader of one prefix: no register tool, other subjects invisible, a register call refused by the route', async () => {
    const client = await connect(['reader@./billing-']);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).not.toContain('register_schema');
    const listed = (await client.callTool({ name: 'list_subjects', arguments: {} })) as Result;
    expect(listed.structuredContent).toEqual({ subjects: [] });
    const read = (await client.callTool({ name: 'get_schema', arguments: { subject: 'invoice-extraction' } })) as Result;
    expect(read.isError).toBe(true);
    expect(read.structuredContent).toMatchObject({ error_code: 40301, status: 403 });
    const write = (await client.callTool({
      name: 'register_schema',
      arguments: { subject: 'billing-x', schema: '{"type":"string"}' },
    })) as Result;
    expect(write.structuredContent).toMatchObject({ error_code: 40301 });
    await client.close();
  });

  it('a wrong credential fails the connection with 401', async () => {
    const transport = new StreamableHTTPClientTransport(new URL(`${worker.url}/mcp`), {
      requestInit: { headers: { authorization: 'Bearer lsr_nope:nope' } },
    });
    await expect(new Client({ name: 'e2e', version: '1' }).connect(transport)).rejects.toThrow(/401/);
  });
});
