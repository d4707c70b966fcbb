/**
 * RegistryClient: one typed client for the whole API (Confluent-compatible routes, the native /v1
 * routes and the admin routes). Standard `fetch` only, no dependencies: it runs in Node 20+,
 * browsers, Cloudflare Workers, Deno and Bun.
 *
 * - Auth: an API key (`key:secret`, sent as HTTP Basic as every Confluent client does), Basic, or Bearer.
 * - Retries: 429 and 503 answers and network failures, for requests that are safe to repeat
 *   (reads, PUTs, and the POSTs the server makes idempotent: register, lookup, checks, validation),
 *   honouring Retry-After (retry.ts).
 * - Read-your-writes: every answer's `x-registry-bookmark` is kept and sent with later requests, so a
 *   read after a write sees the write (README, "Consistency model").
 */
import { RegistryError } from './errors.js';
import { LlmHelpers } from './llm.js';
import { parseRetryAfter, retryableStatus, retryDelay, type RetryOptions } from './retry.js';
import type {
  ApiKeyInfo,
  ApiKeyWithSecret,
  AuditPage,
  AuditVerification,
  CompatibilityResult,
  Config,
  ConfigUpdate,
  ExportResult,
  ExportTarget,
  Grant,
  Mode,
  ModelOutputResult,
  Registered,
  SchemaById,
  SchemaInput,
  SchemaType,
  Snapshot,
  SubjectVersion,
  ValidationError,
  ValidationResult,
  VersionId,
} from './types.js';

export const BOOKMARK_HEADER = 'x-registry-bookmark';

export type Auth =
  /** A managed API key: `"key:secret"`, or the key with `secret` apart. Sent as HTTP Basic. */
  | { apiKey: string; secret?: string }
  | { username: string; password: string }
  /** A bearer token: an OIDC JWT, a static token, or `key:secret`. */
  | { bearer: string };

export interface ClientOptions {
  /** The registry's base URL, e.g. `https://registry.example.com`. */
  url: string;
  auth?: Auth;
  retry?: RetryOptions;
  /** Per-attempt timeout in ms (default 30 000). */
  timeoutMs?: number;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** Start from a known bookmark (another client's writes). */
  bookmark?: string;
  /** The fetch to use (default: globalThis.fetch). */
  fetch?: typeof fetch;
  /** Called before each retry (for logging or progress). */
  onRetry?: (info: { attempt: number; delayMs: number; status: number; method: string; path: string }) => void;
}

type Query = Record<string, string | number | boolean | undefined>;

interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Query;
  /** A JSON body, or a string sent as is with `contentType`. */
  json?: unknown;
  text?: string;
  contentType?: string;
  /** Safe to repeat: retried on 429/503/network failure. Default: true for GET and PUT. */
  idempotent?: boolean;
  /** The answer is raw text (schema text), not JSON. */
  raw?: boolean;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/** A path segment: subjects may hold any character (`:.ctx:name`, slashes). */
const seg = (s: string | number) => encodeURIComponent(String(s));

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

export function authorizationHeader(auth: Auth): string {
  if ('bearer' in auth) return `Bearer ${auth.bearer}`;
  if ('username' in auth) return `Basic ${base64(`${auth.username}:${auth.password}`)}`;
  const pair = auth.secret === undefined ? auth.apiKey : `${auth.apiKey}:${auth.secret}`;
  if (!pair.includes(':')) throw new TypeError('An API key is sent as key:secret: pass "key:secret" or { apiKey, secret }');
  return `Basic ${base64(pair)}`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Versions in paths: a number or `latest`. */
const versionSeg = (v: VersionId) => seg(v);

export interface ListOptions {
  offset?: number;
  limit?: number;
}

export class RegistryClient {
  readonly url: string;
  /** LLM helpers: the registered schema as a provider's tool or response-format definition. */
  readonly llm: LlmHelpers;
  readonly admin: AdminApi;
  #bookmark: string | undefined;
  readonly #options: ClientOptions;
  readonly #authorization: string | undefined;
  readonly #fetch: typeof fetch;

  constructor(options: ClientOptions) {
    if (!/^https?:\/\//i.test(options.url)) throw new TypeError(`Not an http(s) URL: ${options.url}`);
    this.url = options.url.replace(/\/+$/, '');
    this.#options = options;
    this.#authorization = options.auth ? authorizationHeader(options.auth) : undefined;
    this.#bookmark = options.bookmark;
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.llm = new LlmHelpers(this);
    this.admin = new AdminApi(this);
  }

  /** The newest `x-registry-bookmark` seen: pass it to another client to read this one's writes. */
  get bookmark(): string | undefined {
    return this.#bookmark;
  }

  /** The one request path: auth, bookmark, retries, errors. @internal (used by the helpers) */
  async request<T>(call: Call): Promise<T> {
    const idempotent = call.idempotent ?? (call.method === 'GET' || call.method === 'PUT');
    const url = new URL(this.url + call.path);
    for (const [k, v] of Object.entries(call.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    let body: string | undefined;
    const headers: Record<string, string> = { accept: `${CONTENT_TYPE}, application/json;q=0.9, */*;q=0.5`, ...this.#options.headers };
    if (call.json !== undefined) {
      body = JSON.stringify(call.json);
      headers['content-type'] = CONTENT_TYPE;
    } else if (call.text !== undefined) {
      body = call.text;
      headers['content-type'] = call.contentType ?? 'text/plain';
    }
    if (this.#authorization) headers.authorization = this.#authorization;
    for (let attempt = 1; ; attempt++) {
      if (this.#bookmark) headers[BOOKMARK_HEADER] = this.#bookmark;
      let res: Response;
      try {
        const timeout = this.#options.timeoutMs ?? 30_000;
        res = await this.#fetch(url, { method: call.method, headers, body, signal: AbortSignal.timeout(timeout) });
      } catch (e) {
        const delay = idempotent ? retryDelay(attempt, undefined, this.#options.retry) : undefined;
        if (delay === undefined) {
          throw new RegistryError(0, 0, `${call.method} ${call.path}: ${e instanceof Error ? e.message : String(e)}`, undefined, { cause: e });
        }
        this.#options.onRetry?.({ attempt, delayMs: delay, status: 0, method: call.method, path: call.path });
        await sleep(delay);
        continue;
      }
      const bookmark = res.headers.get(BOOKMARK_HEADER);
      if (bookmark) this.#bookmark = bookmark;
      if (res.ok) {
        const text = await res.text();
        if (call.raw) return text as T;
        return (text === '' ? undefined : JSON.parse(text)) as T;
      }
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      if (idempotent && retryableStatus(res.status)) {
        const delay = retryDelay(attempt, retryAfterMs, this.#options.retry);
        if (delay !== undefined) {
          await res.body?.cancel();
          this.#options.onRetry?.({ attempt, delayMs: delay, status: res.status, method: call.method, path: call.path });
          await sleep(delay);
          continue;
        }
      }
      throw await errorOf(res, retryAfterMs);
    }
  }

  // ---- root and metadata

  health(): Promise<{ status: string }> {
    return this.request({ method: 'GET', path: '/v1/health' });
  }
  ready(): Promise<{ status: string; checks: Record<string, unknown> }> {
    return this.request({ method: 'GET', path: '/v1/ready' });
  }
  serverVersion(): Promise<{ version: string; commitId: string }> {
    return this.request({ method: 'GET', path: '/v1/metadata/version' });
  }
  schemaTypes(): Promise<SchemaType[]> {
    return this.request({ method: 'GET', path: '/schemas/types' });
  }
  listContexts(options: ListOptions = {}): Promise<string[]> {
    return this.request({ method: 'GET', path: '/contexts', query: { ...options } });
  }

  // ---- subjects and versions

  /** Subjects (default: every context, qualified as `:.ctx:name`); `subjectPrefix` narrows. */
  listSubjects(options: ListOptions & { subjectPrefix?: string; deleted?: boolean; deletedOnly?: boolean } = {}): Promise<string[]> {
    return this.request({ method: 'GET', path: '/subjects', query: { ...options } });
  }
  listVersions(subject: string, options: ListOptions & { deleted?: boolean; deletedOnly?: boolean } = {}): Promise<number[]> {
    return this.request({ method: 'GET', path: `/subjects/${seg(subject)}/versions`, query: { ...options } });
  }
  getVersion(subject: string, version: VersionId = 'latest', options: { deleted?: boolean; format?: string } = {}): Promise<SubjectVersion> {
    return this.request({ method: 'GET', path: `/subjects/${seg(subject)}/versions/${versionSeg(version)}`, query: { ...options } });
  }
  /** The raw schema text of a version. */
  getVersionSchema(subject: string, version: VersionId = 'latest', options: { format?: string } = {}): Promise<string> {
    return this.request({
      method: 'GET',
      path: `/subjects/${seg(subject)}/versions/${versionSeg(version)}/schema`,
      query: { ...options },
      raw: true,
    });
  }
  referencedBy(subject: string, version: VersionId = 'latest'): Promise<number[]> {
    return this.request({ method: 'GET', path: `/subjects/${seg(subject)}/versions/${versionSeg(version)}/referencedby` });
  }

  /**
   * Register a schema under a subject. Idempotent on the server (the same schema answers the same
   * id and adds no version), so it is retried on 429/503 like a read.
   */
  register(subject: string, schema: SchemaInput | string, options: { normalize?: boolean } = {}): Promise<Registered> {
    return this.request({
      method: 'POST',
      path: `/subjects/${seg(subject)}/versions`,
      query: { normalize: options.normalize || undefined },
      json: input(schema),
      idempotent: true,
    });
  }
  /** Is this schema registered under the subject? Answers the version, or throws 40401/40403. */
  lookup(subject: string, schema: SchemaInput | string, options: { normalize?: boolean; deleted?: boolean } = {}): Promise<SubjectVersion> {
    return this.request({
      method: 'POST',
      path: `/subjects/${seg(subject)}`,
      query: { normalize: options.normalize || undefined, deleted: options.deleted || undefined },
      json: input(schema),
      idempotent: true,
    });
  }
  deleteSubject(subject: string, options: { permanent?: boolean } = {}): Promise<number[]> {
    return this.request({ method: 'DELETE', path: `/subjects/${seg(subject)}`, query: { permanent: options.permanent || undefined } });
  }
  deleteVersion(subject: string, version: VersionId, options: { permanent?: boolean } = {}): Promise<number> {
    return this.request({
      method: 'DELETE',
      path: `/subjects/${seg(subject)}/versions/${versionSeg(version)}`,
      query: { permanent: options.permanent || undefined },
    });
  }

  // ---- schemas by id and guid

  /** `subject` selects the context of the id (`:.ctx:anything`). */
  getSchemaById(id: number, options: { subject?: string; format?: string; fetchMaxId?: boolean } = {}): Promise<SchemaById> {
    return this.request({ method: 'GET', path: `/schemas/ids/${seg(id)}`, query: { ...options } });
  }
  getSchemaTextById(id: number, options: { subject?: string; format?: string } = {}): Promise<string> {
    return this.request({ method: 'GET', path: `/schemas/ids/${seg(id)}/schema`, query: { ...options }, raw: true });
  }
  getSchemaByGuid(guid: string, options: { format?: string } = {}): Promise<SchemaById> {
    return this.request({ method: 'GET', path: `/schemas/guids/${seg(guid)}`, query: { ...options } });
  }
  subjectsOfId(id: number, options: { subject?: string; deleted?: boolean } = {}): Promise<string[]> {
    return this.request({ method: 'GET', path: `/schemas/ids/${seg(id)}/subjects`, query: { ...options } });
  }
  versionsOfId(id: number, options: { subject?: string; deleted?: boolean } = {}): Promise<{ subject: string; version: number }[]> {
    return this.request({ method: 'GET', path: `/schemas/ids/${seg(id)}/versions`, query: { ...options } });
  }
  /** Every version of the subjects matching `subjectPrefix` (default: the default context; `:*:` every context). */
  listSchemas(options: ListOptions & { subjectPrefix?: string; deleted?: boolean; latestOnly?: boolean } = {}): Promise<SubjectVersion[]> {
    return this.request({ method: 'GET', path: '/schemas', query: { ...options } });
  }

  // ---- compatibility

  /**
   * Is this schema compatible? Against one version when `version` is given, else against the
   * history the subject's level looks at (what register would check). `verbose` adds the reasons.
   */
  checkCompatibility(
    subject: string,
    schema: SchemaInput | string,
    options: { version?: VersionId; verbose?: boolean; normalize?: boolean } = {},
  ): Promise<CompatibilityResult> {
    const path =
      options.version === undefined
        ? `/compatibility/subjects/${seg(subject)}/versions`
        : `/compatibility/subjects/${seg(subject)}/versions/${versionSeg(options.version)}`;
    return this.request({
      method: 'POST',
      path,
      query: { verbose: options.verbose || undefined, normalize: options.normalize || undefined },
      json: input(schema),
      idempotent: true,
    });
  }

  // ---- config and mode (no subject: global; `:.ctx:` a context; a subject name: that subject)

  getConfig(subject?: string, options: { defaultToGlobal?: boolean } = {}): Promise<Config> {
    return this.request({ method: 'GET', path: scoped('/config', subject), query: { defaultToGlobal: options.defaultToGlobal || undefined } });
  }
  setConfig(subject: string | undefined, config: ConfigUpdate): Promise<ConfigUpdate> {
    return this.request({ method: 'PUT', path: scoped('/config', subject), json: config });
  }
  deleteConfig(subject?: string): Promise<Config> {
    return this.request({ method: 'DELETE', path: scoped('/config', subject) });
  }
  getMode(subject?: string, options: { defaultToGlobal?: boolean } = {}): Promise<{ mode: Mode }> {
    return this.request({ method: 'GET', path: scoped('/mode', subject), query: { defaultToGlobal: options.defaultToGlobal || undefined } });
  }
  /** `force`: enter IMPORT although subjects exist. */
  setMode(subject: string | undefined, mode: Mode, options: { force?: boolean } = {}): Promise<{ mode: Mode }> {
    return this.request({ method: 'PUT', path: scoped('/mode', subject), query: { force: options.force || undefined }, json: { mode } });
  }
  deleteMode(subject: string): Promise<{ mode: Mode }> {
    return this.request({ method: 'DELETE', path: scoped('/mode', subject) });
  }

  // ---- native: validation and exports

  /** Validate one document against a subject version (JSON Schema, or Protobuf in its JSON mapping; `message` picks the type). */
  validate(subject: string, document: unknown, options: { version?: VersionId; message?: string } = {}): Promise<ValidationResult> {
    return this.request({
      method: 'POST',
      path: `/v1/validate/subjects/${seg(subject)}/versions/${versionSeg(options.version ?? 'latest')}`,
      query: { message: options.message },
      text: JSON.stringify(document),
      contentType: 'application/json',
      idempotent: true,
    });
  }
  /** Validate many documents in one request (NDJSON; at most 10 000 lines, 8 MiB): one result per document. */
  async validateBatch(
    subject: string,
    documents: unknown[] | string,
    options: { version?: VersionId; message?: string } = {},
  ): Promise<ValidationResult[]> {
    const ndjson = typeof documents === 'string' ? documents : documents.map((d) => JSON.stringify(d)).join('\n');
    const r = await this.request<{ results: ValidationResult[] }>({
      method: 'POST',
      path: `/v1/validate/subjects/${seg(subject)}/versions/${versionSeg(options.version ?? 'latest')}`,
      query: { message: options.message },
      text: ndjson,
      contentType: 'application/x-ndjson',
      idempotent: true,
    });
    return r.results;
  }
  /** Validate one document against a schema id (`subject` selects the context). */
  validateById(id: number, document: unknown, options: { subject?: string; message?: string } = {}): Promise<ValidationResult> {
    return this.request({
      method: 'POST',
      path: `/v1/validate/ids/${seg(id)}`,
      query: { ...options },
      text: JSON.stringify(document),
      contentType: 'application/json',
      idempotent: true,
    });
  }
  /** The server's model-output check as it answers it: JSON extracted from prose or code fences, validated, a repair hint. */
  validateModelOutput(subject: string, text: string, options: { version?: VersionId; message?: string } = {}): Promise<ModelOutputResult> {
    return this.request({
      method: 'POST',
      path: `/v1/validate/subjects/${seg(subject)}/versions/${versionSeg(options.version ?? 'latest')}`,
      query: { message: options.message },
      text,
      contentType: 'text/plain',
      idempotent: true,
    });
  }

  /**
   * Raw model output → the typed value, or why not. The server extracts the JSON (code fences,
   * prose), validates it against the subject's schema and writes the repair instruction to send
   * back to the model.
   */
  async parseOutput<T = unknown>(subject: string, text: string, options: { version?: VersionId; message?: string } = {}): Promise<ParsedOutput<T>> {
    const r = await this.validateModelOutput(subject, text, options);
    if (r.valid) return { ok: true, value: r.value as T };
    return { ok: false, errors: r.errors, repair: r.repair ?? '', ...(r.value !== undefined ? { value: r.value } : {}) };
  }

  /** A JSON Schema version in the shape a provider's API takes, linted (`fix: true` rewrites it to conform). */
  exportSchema<T = unknown>(
    subject: string,
    target: ExportTarget,
    options: { version?: VersionId; name?: string; description?: string; fix?: boolean } = {},
  ): Promise<ExportResult<T>> {
    return this.request({
      method: 'GET',
      path: `/v1/subjects/${seg(subject)}/versions/${versionSeg(options.version ?? 'latest')}/export`,
      query: { target, name: options.name, description: options.description, fix: options.fix || undefined },
    });
  }
}

export type ParsedOutput<T> = { ok: true; value: T } | { ok: false; errors: ValidationError[]; repair: string; value?: unknown };

/** /v1/admin: snapshots, API keys, the audit log (registry-wide admin only). */
export class AdminApi {
  readonly #c: RegistryClient;
  constructor(client: RegistryClient) {
    this.#c = client;
  }
  /** The whole registry as one document (every context). */
  snapshot(): Promise<Snapshot> {
    return this.#c.request({ method: 'GET', path: '/v1/admin/snapshot' });
  }
  /** Write a snapshot into the registry's R2 bucket now. */
  archiveSnapshot(): Promise<{ key: string; rows: number }> {
    return this.#c.request({ method: 'POST', path: '/v1/admin/snapshot' });
  }
  /** Restore a snapshot into an empty registry (all or nothing). Not retried. */
  restore(snapshot: Snapshot | string): Promise<{ restored: unknown }> {
    return this.#c.request({
      method: 'POST',
      path: '/v1/admin/restore',
      text: typeof snapshot === 'string' ? snapshot : JSON.stringify(snapshot),
      contentType: 'application/json',
    });
  }
  createKey(request: { name: string; grants: Grant[]; expiresAt?: string }): Promise<ApiKeyWithSecret> {
    return this.#c.request({ method: 'POST', path: '/v1/admin/keys', json: request });
  }
  listKeys(options: ListOptions = {}): Promise<ApiKeyInfo[]> {
    return this.#c.request({ method: 'GET', path: '/v1/admin/keys', query: { ...options } });
  }
  getKey(key: string): Promise<ApiKeyInfo> {
    return this.#c.request({ method: 'GET', path: `/v1/admin/keys/${seg(key)}` });
  }
  revokeKey(key: string): Promise<ApiKeyInfo> {
    return this.#c.request({ method: 'DELETE', path: `/v1/admin/keys/${seg(key)}` });
  }
  /** A new secret; the old one keeps working for `graceSeconds` (default 0). */
  rotateKey(key: string, options: { graceSeconds?: number } = {}): Promise<ApiKeyWithSecret> {
    return this.#c.request({ method: 'POST', path: `/v1/admin/keys/${seg(key)}/rotate`, json: options });
  }
  audit(options: { after?: number; limit?: number } = {}): Promise<AuditPage> {
    return this.#c.request({ method: 'GET', path: '/v1/admin/audit', query: { ...options } });
  }
  /** One slice of the verification (at most `limit` rows, 100,000 by default); pass its `next` as `after` for the following one. */
  verifyAudit(options: { after?: string; limit?: number } = {}): Promise<AuditVerification> {
    return this.#c.request({ method: 'GET', path: '/v1/admin/audit/verify', query: { ...options } });
  }
}

function scoped(base: string, subject: string | undefined): string {
  return subject === undefined ? base : `${base}/${seg(subject)}`;
}

function input(schema: SchemaInput | string): SchemaInput {
  return typeof schema === 'string' ? { schema } : schema;
}

async function errorOf(res: Response, retryAfterMs: number | undefined): Promise<RegistryError> {
  const text = await res.text().catch(() => '');
  let code = res.status;
  let message = text || res.statusText || `HTTP ${res.status}`;
  try {
    const body = JSON.parse(text) as { error_code?: unknown; message?: unknown };
    if (typeof body.error_code === 'number') code = body.error_code;
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // not JSON (a proxy's page): keep the text
  }
  return new RegistryError(res.status, code, message.slice(0, 2000), retryAfterMs);
}
