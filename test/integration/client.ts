/** Requests into the Worker under test (the same fetch handler wrangler deploys). */
import { exports } from 'cloudflare:workers';

const SR = 'application/vnd.schemaregistry.v1+json';

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

export async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const h = new Headers(body !== undefined ? { 'content-type': SR } : {});
  for (const [k, v] of Object.entries(headers)) h.set(k, v);
  const init: RequestInit = { method, headers: h };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await exports.default.fetch(new Request(`http://registry.test${path}`, init));
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // raw schema endpoints may answer non-JSON text (e.g. Protobuf)
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export const get = (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers);
export const post = (path: string, body: unknown, headers?: Record<string, string>) => call('POST', path, body, headers);
export const put = (path: string, body: unknown) => call('PUT', path, body);
export const del = (path: string) => call('DELETE', path);

/** Register and return the id, asserting success. */
export async function register(subject: string, schema: unknown, extra: Record<string, unknown> = {}): Promise<number> {
  const r = await post(`/subjects/${encodeURIComponent(subject)}/versions`, {
    schema: typeof schema === 'string' ? schema : JSON.stringify(schema),
    ...extra,
  });
  if (r.status !== 200) throw new Error(`register ${subject}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id as number;
}
