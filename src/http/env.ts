/** The Hono environment: bindings from `wrangler types`, per-request services in Variables. */
import type { Grant } from '../domain/grant-rules';
import type { RegistryWriter } from '../durable/registry-writer';
import type { Actor } from '../storage/audit';
import type { RequestMetrics } from './request-metrics';
import type { TraceContext } from './trace-context';
import type { RegistryReader } from '../storage/registry-reader';
import type { CacheDeps } from '../services/schema-cache';

/**
 * Secrets (wrangler secret put / .dev.vars), never in [vars]: typed here because `wrangler types`
 * must not depend on whether a developer has a .dev.vars file.
 */
interface Secrets {
  /** Static credentials: comma-separated `token:grant` pairs (docs/security.md). */
  AUTH_TOKENS?: string;
  /** The bootstrap admin credential: presented as `key:secret` (Basic or Bearer). */
  REGISTRY_ADMIN_KEY?: string;
  REGISTRY_ADMIN_SECRET?: string;
}

/**
 * METRICS (Analytics Engine) is optional: local development and most tests do not bind it, and
 * then nothing is measured (http/metrics.ts).
 */
export type Bindings = Omit<Env, 'METRICS'> & { METRICS?: AnalyticsEngineDataset } & Secrets;

/** Who is calling, once authenticated. */
export interface Principal {
  /** For the audit and logs: a key's name and id, a token's fingerprint, an OIDC subject. Never a secret. */
  name: string;
  grants: Grant[];
  /** The write rate limit's key: one bucket per principal. */
  limitKey: string;
}

/** A request's authentication (http/authenticate.ts), decided once per request. */
export type AuthState =
  | { kind: 'off'; principal: Principal }
  | { kind: 'ok'; principal: Principal }
  /** `bearer`: an OIDC token was refused; the 401 carries RFC 6750's Bearer challenge. */
  | { kind: 'refused'; reason: string; bearer?: true }
  /** No credential source is configured (and AUTH_MODE is not "none"), or one is half configured. */
  | { kind: 'unconfigured'; reason?: string }
  /** A dependency needed to decide (the OIDC issuer's keys) is unreachable: transient. */
  | { kind: 'unavailable'; reason: string; retryAfter: number };

/** The answer `answer` made last in a request, complete with every header, and its body size when known (http/answer-headers.ts). */
interface Answered {
  res: Response;
  bytes: number | undefined;
}

/**
 * A request to this Worker's own API made as the current caller (same credentials, client address
 * and request id), through the same router and authorization: the MCP tools call the API this way.
 */
export type Subrequest = (method: 'GET' | 'POST', path: string, body?: { type: string; text: string }) => Promise<Response>;

interface Services {
  /** Reads through a D1 session (Sessions API): echoes the client's bookmark for read-your-writes. */
  reader: RegistryReader;
  cache: CacheDeps;
  /** The context's single writer. */
  writer: (context: string) => DurableObjectStub<RegistryWriter>;
  /** The writer of registry-wide state (keys, restores, the audit of admin reads and refusals). */
  registryWriter: () => DurableObjectStub<RegistryWriter>;
  /** Set by write handlers: the bookmark the writer's commit answered. */
  /** After a committed write: its bookmark, and whether the webhook outbox needs a drain after it (default yes). */
  setBookmark: (b: string | null, drain?: boolean) => void;
  /** Confluent response profile: 7 (default) or 8. */
  profile: 7 | 8;
  requestId: string;
  /** The authenticated caller (set by `authorize` on every non-public route). */
  principal: Principal;
  /** Who asked, for the audit rows writes carry. */
  actor: Actor;
  subrequest: Subrequest;
  /** What handlers note for the request's metrics data points (registration, validation). */
  metrics: RequestMetrics;
  /** W3C trace context (http/trace-context.ts): carried into the structured logs. */
  trace: TraceContext;
  /** The headers of the request's answer, gathered until it is made (http/answer-headers.ts). */
  answerHeaders: Record<string, string>;
  /** The answer `answer` made, complete with its headers, and its size (http/answer-headers.ts). */
  answered: Answered | undefined;
  /** The request's authentication, decided once (http/authenticate.ts). */
  authState: Promise<AuthState> | undefined;
  /** The request's body once read (http/respond.ts readText): its text and its size in bytes. */
  requestBody: { text: string; size: number } | undefined;
  /** The bookmark the answer carries, as of when it is made (read-your-writes); unset on an answer made before the request's scope (a CORS preflight). */
  answerBookmark: (() => string | null) | undefined;
}

export type AppEnv = { Bindings: Bindings; Variables: Services };
