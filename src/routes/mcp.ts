/**
 * /mcp: the Model Context Protocol over Streamable HTTP, stateless (docs/mcp.md,
 * https://modelcontextprotocol.io/specification/2025-11-25/basic/transports). Each POST carries
 * one JSON-RPC message and gets one JSON answer; there is no session and no server-sent stream
 * (GET and DELETE are 405, which the transport allows). Authentication is the REST API's; each
 * tool calls the REST API as the caller (mcp-tools.ts), so grants apply per tool call exactly as
 * on the routes. Written here rather than with the MCP SDK's server, which loads ajv (code
 * generation, forbidden on Workers at request time) for features a stateless tool server never uses.
 */
import type { Context } from 'hono';
import * as z from 'zod';
import { ErrorCode, RegistryError } from '../domain/errors';
import { allows } from '../domain/grant-rules';
import type { AppEnv } from '../http/env';
import { failure, parseMessage, result, RPC, RpcError, type RpcRequest } from '../http/json-rpc';
import { readText } from '../http/respond';
import { resource } from '../http/route';
import { JsonRpcMessage } from '../http/shapes';
import { VALIDATE_LIMITS } from '../services/model-output';
import { type Tool, TOOLS } from './mcp-tools';

type Ctx = Context<AppEnv>;

/**
 * Versions with the Streamable HTTP transport (2025-03-26 on), newest first. An initialize asking
 * for another gets the newest, and the client decides whether it can go on.
 */
const PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26'];
const SERVER_INFO = { name: 'llm-schema-registry', title: 'LLM Schema Registry', version: '0.1.0' };
const INSTRUCTIONS =
  'A schema registry (Confluent-compatible). Find the schema your output must follow with search_subjects or list_subjects, ' +
  'read it with get_schema, check your output with validate (output: your raw text), and use export_tool_definition for a ' +
  'provider-ready definition. Subjects in a context are written `:.ctx:name`.';

/** A tool call carries at most a document to validate plus its envelope; it nests like a document may. */
const MAX_MESSAGE_BYTES = VALIDATE_LIMITS.documentBytes + 64 * 1024;
const MAX_MESSAGE_DEPTH = VALIDATE_LIMITS.maxDepth + 4;

const callParams = z.object({ name: z.string(), arguments: z.record(z.string(), z.unknown()).optional() });

let described: Record<string, unknown>[] | undefined;

/** The tools as MCP lists them (JSON Schema of each input, derived once from its zod schema). */
function descriptions(): { tool: Tool; description: Record<string, unknown> }[] {
  described ??= TOOLS.map((t) => ({
    name: t.name,
    title: t.title,
    description: t.description,
    inputSchema: z.toJSONSchema(t.input, { io: 'input', unrepresentable: 'any' }),
    annotations: t.annotations,
  }));
  const all = described;
  return TOOLS.map((tool, i) => ({ tool, description: all[i] }));
}

async function handle(c: Ctx, req: RpcRequest): Promise<unknown> {
  switch (req.method) {
    case 'initialize': {
      const asked = req.params.protocolVersion;
      return {
        protocolVersion: typeof asked === 'string' && PROTOCOL_VERSIONS.includes(asked) ? asked : PROTOCOL_VERSIONS[0],
        capabilities: { tools: { listChanged: false } },
        serverInfo: SERVER_INFO,
        instructions: INSTRUCTIONS,
      };
    }
    case 'ping':
      return {};
    case 'tools/list': {
      const writer = allows(c.get('principal').grants, 'writer', { kind: 'any' });
      return { tools: descriptions().flatMap(({ tool, description }) => (tool.writes && !writer ? [] : [description])) };
    }
    case 'tools/call': {
      const params = callParams.safeParse(req.params);
      if (!params.success) throw new RpcError(RPC.INVALID_PARAMS, 'tools/call needs a tool name and an arguments object');
      const tool = TOOLS.find((t) => t.name === params.data.name);
      if (!tool) throw new RpcError(RPC.INVALID_PARAMS, `Unknown tool: ${params.data.name}`);
      const args = tool.input.safeParse(params.data.arguments ?? {});
      // Input errors are tool errors (MCP 2025-11-25): the model reads them and corrects its call.
      if (!args.success) {
        const issue = args.error.issues[0];
        const message = `Invalid arguments${issue.path.length ? ` at '${issue.path.join('.')}'` : ''}: ${issue.message}`;
        return { isError: true, content: [{ type: 'text', text: message }] };
      }
      return tool.call(args.data, c.get('subrequest'));
    }
    default:
      throw new RpcError(RPC.METHOD_NOT_FOUND, `Method not found: ${req.method}`);
  }
}

/** MCP asks servers to refuse foreign browser origins (DNS rebinding): only CORS_ORIGINS may call. */
function assertOrigin(c: Ctx): void {
  const origin = c.req.header('origin');
  if (!origin) return;
  const allowed = c.env.CORS_ORIGINS.split(',').map((o) => o.trim());
  if (!allowed.includes(origin)) throw new RegistryError(ErrorCode.FORBIDDEN, `Origin ${origin} may not call /mcp (CORS_ORIGINS)`);
}

export const mcp = resource('/mcp', [
  {
    method: 'POST',
    path: '/',
    summary: 'Model Context Protocol (Streamable HTTP, stateless): tools that search, read, validate, export, check and register',
    // Any caller who may read something; each tool call is then authorized by the route it calls.
    role: 'reader',
    body: { json: JsonRpcMessage },
    // 202 (no body) for a notification or a client's response.
    responses: { 200: JsonRpcMessage },
    handler: async (c) => {
      assertOrigin(c);
      const version = c.req.header('mcp-protocol-version');
      if (version !== undefined && !PROTOCOL_VERSIONS.includes(version)) {
        throw new RegistryError(ErrorCode.BAD_REQUEST, `Unsupported MCP-Protocol-Version: ${version}`);
      }
      const message = parseMessage(await readText(c, MAX_MESSAGE_BYTES), MAX_MESSAGE_DEPTH);
      const json = (text: string, status: 200 | 400 = 200) => c.body(text, status, { 'content-type': 'application/json' });
      switch (message.kind) {
        case 'invalid':
          return json(failure(message.id, message.code, message.message), message.code === RPC.PARSE_ERROR ? 400 : 200);
        case 'notification':
        case 'response':
          return c.body(null, 202);
        case 'request':
          try {
            return json(result(message.request.id, await handle(c, message.request)));
          } catch (e) {
            if (e instanceof RpcError) return json(failure(message.request.id, e.code, e.message));
            throw e;
          }
      }
    },
  },
]);
