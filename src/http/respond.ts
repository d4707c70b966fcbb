/**
 * Wire details shared by every route: Confluent's media type, the error envelope,
 * request bodies (the content types Confluent accepts), and one zod hook for shapes.
 */
import type { Context } from 'hono';
import type * as z from 'zod';
import { nestingDepth } from '../domain/documents';
import { ErrorCode, RegistryError } from '../domain/errors';
import { unwrap, type WriteOutcome } from '../durable/outcome';
import { answer } from './answer-headers';
import type { AppEnv } from './env';
import { utf8Length } from '../domain/utf8-length';
import { readUpTo } from '../services/bounded-body';

const SR_MEDIA_TYPE = 'application/vnd.schemaregistry.v1+json';
const ACCEPTED_BODY_TYPES = [
  'application/vnd.schemaregistry.v1+json',
  'application/vnd.schemaregistry+json',
  'application/json',
  'application/octet-stream',
];
/** Confluent caps request bodies well above any sane schema; ours is explicit. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Nesting of a request body (metadata, rule sets); the schema itself is a string inside it. */
const MAX_BODY_DEPTH = 64;

/** What Confluent produces, most preferred first (its @Produces weights). */
const PRODUCED = [SR_MEDIA_TYPE, 'application/vnd.schemaregistry+json', 'application/json'];

/**
 * The response media type for an Accept header, as Jersey negotiates it: the produced type the
 * client rates highest (q-values; `*\/*` and `application/*` match any), ties going to Confluent's
 * preference. Undefined when the client accepts none of them (Jersey answers 406 then).
 */
export function acceptableType(accept: string | undefined): string | undefined {
  if (!accept) return SR_MEDIA_TYPE;
  // Every request negotiates twice (406 check, answer) with one of a handful of client values.
  if (negotiated.has(accept)) return negotiated.get(accept);
  const type = negotiate(accept);
  if (accept.length <= 256) {
    if (negotiated.size >= 64) negotiated.clear();
    negotiated.set(accept, type);
  }
  return type;
}

/** Accept header -> negotiated type, for the few values clients send (bounded: client input). */
const negotiated = new Map<string, string | undefined>();

function negotiate(accept: string): string | undefined {
  const ranges = accept.split(',').map((part) => {
    const [range, ...params] = part.split(';').map((x) => x.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return { range, q: q ? Number(q.slice(2)) || 0 : 1 };
  });
  const rate = (type: string) =>
    Math.max(0, ...ranges.filter((r) => r.range === type || r.range === '*/*' || r.range === 'application/*').map((r) => r.q));
  let best: string | undefined;
  let bestQ = 0;
  for (const type of PRODUCED) {
    const q = rate(type);
    if (q > bestQ) [best, bestQ] = [type, q];
  }
  return best;
}

/** The type to answer in: the negotiated one, or the v1 type for errors about negotiation itself. */
export function responseType(accept: string | undefined): string {
  return acceptableType(accept) ?? SR_MEDIA_TYPE;
}

/** JSON in the negotiated media type. Absent fields are omitted by construction: never `null`. */
export function reply(c: Context<AppEnv>, body: unknown, status: 200 | 201 | 202 = 200): Response {
  const text = JSON.stringify(body);
  return answer(c, text, status, responseType(c.req.header('accept')));
}

/**
 * A text answered as it is, in the negotiated media type: a raw schema (GET .../schema: Confluent
 * sends the schema itself, not a JSON string of it), or JSON rendered before (http/render.ts).
 */
export function replyRaw(c: Context<AppEnv>, text: string): Response {
  return answer(c, text, 200, responseType(c.req.header('accept')));
}

export function envelope(code: number, message: string): string {
  return JSON.stringify({ error_code: code, message });
}

/** A writer's outcome: its value, after recording the commit's bookmark (read-your-writes). */
export function committed<T>(c: Context<AppEnv>, outcome: WriteOutcome<T>): T {
  const { value, bookmark, drain } = unwrap(outcome);
  c.get('setBookmark')(bookmark, drain);
  return value;
}

/** Read and JSON-parse a request body, enforcing content type and size. */
export async function readJson(c: Context<AppEnv>, { optional = false } = {}): Promise<unknown> {
  const type = (c.req.header('content-type') ?? 'application/json').split(';')[0].trim().toLowerCase();
  if (!ACCEPTED_BODY_TYPES.includes(type)) {
    throw new RegistryError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'HTTP 415 Unsupported Media Type');
  }
  const text = await readText(c, MAX_BODY_BYTES);
  if (optional && !text.trim()) return {};
  // Bodies are small objects (a schema travels as a string): any nesting past this is hostile, and
  // would cost recursion in every layer that walks metadata and rule sets.
  if (nestingDepth(text) > MAX_BODY_DEPTH) {
    throw new RegistryError(ErrorCode.DOCUMENT_TOO_DEEP, `The request body nests deeper than ${MAX_BODY_DEPTH} levels`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new RegistryError(ErrorCode.BAD_REQUEST, 'Unexpected character in request body: not valid JSON');
  }
}

/**
 * Read the body as text with a byte bound (413 past it). A body the runtime framed by its
 * Content-Length (declared, and no Transfer-Encoding: RFC 9112 §6.3 ends such a message after that
 * many octets) is read whole, as it can hold no more than the length checked here. Any other body
 * (chunked, or a stream a service binding hands over without a length) is read chunk by chunk and
 * dropped at the first byte past the bound: a client streaming without end costs at most
 * `maxBytes` of memory in an isolate every concurrent request shares. (The chunked read costs a
 * warm request about 20 µs more than the whole one, so it is not used where the framing already
 * bounds the body. Only code in the same account, calling over a binding, could declare a length
 * its stream does not keep; it is trusted with the registry already.)
 */
export async function readText(c: Context<AppEnv>, maxBytes: number): Promise<string> {
  const length = c.req.header('content-length');
  const declared = Number(length ?? '0');
  if (declared > maxBytes) throw tooLarge(maxBytes);
  // A route's pre-check (its `free`) and its handler both read the body: it streams once.
  const read = c.get('requestBody');
  if (read) {
    if (read.size > maxBytes) throw tooLarge(maxBytes);
    return read.text;
  }
  const framed = length !== undefined && Number.isInteger(declared) && c.req.header('transfer-encoding') === undefined;
  const body = framed ? await readFramed(c.req.raw, declared) : await readUpTo(c.req.raw.body, maxBytes);
  if (!body || body.size > maxBytes) throw tooLarge(maxBytes);
  c.set('requestBody', body);
  return body.text;
}

/**
 * A body framed by its Content-Length, decoded by the runtime in one call (UTF-8, U+FFFD for bad
 * bytes, as TextDecoder; a copy into an ArrayBuffer and a decode in JS cost a POST 5-10 µs more,
 * test/bench/ab.mjs). Its size is the length declared: every character takes at least one byte,
 * so only a text longer than that (from a stream that did not keep its length: only a binding's
 * can) is measured.
 */
async function readFramed(request: Request, declared: number): Promise<{ text: string; size: number }> {
  const text = await request.text();
  return { text, size: text.length > declared ? utf8Length(text) : declared };
}

function tooLarge(maxBytes: number): RegistryError {
  return new RegistryError(ErrorCode.PAYLOAD_TOO_LARGE, `Request body exceeds ${maxBytes} bytes`);
}

/** The one zod hook: shape errors are 422 with the first issue's path and message, never raw zod output. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, code: ErrorCode = ErrorCode.UNPROCESSABLE): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue.path.length ? ` at '${issue.path.join('.')}'` : '';
  throw new RegistryError(code, `Invalid request${where}: ${issue.message}`);
}

/** Confluent's boolean query parameters: "true" (any case) is true, anything else false. */
export function flag(c: Context<AppEnv>, name: string): boolean {
  return (c.req.query(name) ?? '').toLowerCase() === 'true';
}

/** offset/limit as Confluent reads them: a limit of 0 or less (or none) means all (limit 0 here). */
export function paging(c: Context<AppEnv>): { offset: number; limit: number } {
  const offset = Math.max(0, Number.parseInt(c.req.query('offset') ?? '0', 10) || 0);
  const limit = Number.parseInt(c.req.query('limit') ?? '-1', 10);
  return { offset, limit: Number.isFinite(limit) && limit > 0 ? limit : 0 };
}

/** offset/limit paging of a list already in memory (short lists: versions, ids, contexts). */
export function page<T>(c: Context<AppEnv>, items: T[]): T[] {
  const { offset, limit } = paging(c);
  return items.slice(offset, limit > 0 ? offset + limit : undefined);
}
