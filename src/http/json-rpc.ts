/**
 * JSON-RPC 2.0 (https://www.jsonrpc.org/specification) as MCP uses it over Streamable HTTP: one
 * message per POST (MCP 2025-06-18 removed batching), answered with one JSON response, or 202 for
 * a notification. Malformed input is a JSON-RPC error, never an exception.
 */
import { nestingDepth } from '../domain/documents';

export const RPC = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
} as const;

type Id = string | number;

export interface RpcRequest {
  id: Id;
  method: string;
  params: Record<string, unknown>;
}

export type RpcMessage =
  | { kind: 'request'; request: RpcRequest }
  | { kind: 'notification'; method: string }
  /** A client's response to a server request (we send none): accepted and ignored. */
  | { kind: 'response' }
  | { kind: 'invalid'; id: Id | null; code: number; message: string };

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export function parseMessage(text: string, maxDepth: number): RpcMessage {
  if (nestingDepth(text) > maxDepth) return invalid(null, RPC.PARSE_ERROR, `The message nests deeper than ${maxDepth} levels`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    return invalid(null, RPC.PARSE_ERROR, `Parse error: ${(e as Error).message}`);
  }
  if (Array.isArray(body)) return invalid(null, RPC.INVALID_REQUEST, 'Batches are not supported: send one message per request');
  if (typeof body !== 'object' || body === null) return invalid(null, RPC.INVALID_REQUEST, 'A message is a JSON object');
  const m = body as Record<string, unknown>;
  const id = validId(m.id);
  if (m.jsonrpc !== '2.0') return invalid(id ?? null, RPC.INVALID_REQUEST, 'jsonrpc must be "2.0"');
  if (m.method === undefined && ('result' in m || 'error' in m)) return { kind: 'response' };
  if (typeof m.method !== 'string') return invalid(id ?? null, RPC.INVALID_REQUEST, 'method must be a string');
  if (m.params !== undefined && (typeof m.params !== 'object' || m.params === null || Array.isArray(m.params))) {
    return invalid(id ?? null, RPC.INVALID_PARAMS, 'params must be an object');
  }
  if (!('id' in m)) return { kind: 'notification', method: m.method };
  if (id === undefined) return invalid(null, RPC.INVALID_REQUEST, 'id must be a string or an integer');
  return { kind: 'request', request: { id, method: m.method, params: (m.params ?? {}) as Record<string, unknown> } };
}

export function result(id: Id, value: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', id, result: value });
}

export function failure(id: Id | null, code: number, message: string): string {
  return JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } });
}

function validId(id: unknown): Id | undefined {
  if (typeof id === 'string' && id.length <= 256) return id;
  if (typeof id === 'number' && Number.isSafeInteger(id)) return id;
  return undefined;
}

function invalid(id: Id | null, code: number, message: string): RpcMessage {
  return { kind: 'invalid', id, code, message };
}
