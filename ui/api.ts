/**
 * The registry's API as the console calls it: same origin, the tab's credential, read-your-writes.
 *
 * The credential lives in sessionStorage (this tab only, gone when it closes). Every request says
 * `X-Requested-With`, so a 401 carries a Bearer challenge instead of Basic (src/http/authorize.ts):
 * a Basic challenge would make the browser open its own login dialog over the console.
 */

const CREDENTIAL = 'lsr.credential';
const BOOKMARK = 'x-registry-bookmark';
const JSON_TYPE = 'application/vnd.schemaregistry.v1+json';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** What the tab signs in with: `Basic key:secret`, `Bearer token`, or nothing (auth off). */
export interface Credential {
  scheme: 'basic' | 'bearer' | 'none';
  value: string;
}

export function credential(): Credential | undefined {
  const raw = sessionStorage.getItem(CREDENTIAL);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as Credential;
  } catch {
    return undefined;
  }
}

export function setCredential(c: Credential | undefined): void {
  if (c) sessionStorage.setItem(CREDENTIAL, JSON.stringify(c));
  else sessionStorage.removeItem(CREDENTIAL);
  bookmark = undefined;
}

function authorization(c: Credential | undefined): string | undefined {
  if (!c || c.scheme === 'none') return undefined;
  if (c.scheme === 'bearer') return `Bearer ${c.value}`;
  const bytes = new TextEncoder().encode(c.value);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

/** The last bookmark the registry gave this tab: later reads see our own writes. */
let bookmark: string | undefined;

/** Called when any request answers 401: the app goes back to the sign-in page. */
let onUnauthorized: () => void = () => undefined;
export function whenUnauthorized(f: () => void): void {
  onUnauthorized = f;
}

interface Options {
  method?: string;
  body?: unknown;
  /** A raw body with its own content type (validation takes text/plain). */
  text?: { type: string; value: string };
  /** Do not send the tab's credential but this one (signing in). */
  as?: Credential;
}

export async function api<T>(path: string, o: Options = {}): Promise<T> {
  const headers = new Headers({ accept: JSON_TYPE, 'x-requested-with': 'llm-schema-registry-console' });
  const auth = authorization(o.as ?? credential());
  if (auth) headers.set('authorization', auth);
  if (bookmark) headers.set(BOOKMARK, bookmark);
  let body: string | undefined;
  if (o.text) {
    headers.set('content-type', o.text.type);
    body = o.text.value;
  } else if (o.body !== undefined) {
    headers.set('content-type', JSON_TYPE);
    body = JSON.stringify(o.body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method: o.method ?? 'GET', headers, body, credentials: 'omit', cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, 0, `The registry cannot be reached (${String(e)})`);
  }
  const mark = res.headers.get(BOOKMARK);
  if (mark) bookmark = mark;
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const envelope = (json ?? {}) as { error_code?: number; message?: string };
    const err = new ApiError(res.status, envelope.error_code ?? res.status, envelope.message ?? `HTTP ${res.status}`);
    if (res.status === 401 && !o.as) onUnauthorized();
    throw err;
  }
  return json as T;
}

/** A path segment: subject names hold ':' '/' '.' and anything else. */
export const seg = (s: string | number): string => encodeURIComponent(String(s));

export function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '' && v !== false) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

// Shapes of the answers the console reads (docs/api.md).
interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}
export interface SubjectVersion {
  subject: string;
  version: number;
  id: number;
  schemaType?: string;
  schema: string;
  references?: SchemaReference[];
  deleted?: boolean;
}
interface ValidationError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  message: string;
}
export interface ValidationAnswer {
  valid: boolean;
  errors: ValidationError[];
  value?: unknown;
  repair?: string;
}
export interface Finding {
  severity: 'error' | 'warning';
  path: string;
  rule: string;
  message: string;
}
export interface ExportAnswer {
  target: string;
  output: unknown;
  findings: Finding[];
  changes?: string[];
}
