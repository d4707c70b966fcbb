/**
 * Authorization, run first on every route (route.ts): the route's declared role on the route's
 * declared target, computed from the decoded parameters the handler will read; then the write
 * rate limit for routes that cost a write. Refusals (401, 403, 429) are recorded in the audit log.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { ErrorCode, RegistryError } from '../domain/errors';
import { allows, type Role, type Target } from '../domain/grant-rules';
import { qualify } from '../domain/naming';
import type { AuditEntry } from '../storage/audit';
import { prepareHeader } from './answer-headers';
import { authenticate } from './authenticate';
import type { AppEnv, Principal } from './env';
import { traceFields } from './trace-context';

type Ctx = Context<AppEnv>;

/** Seconds a client over the write limit should wait: the limiter's whole window (wrangler.toml). */
const WRITE_RETRY_SECONDS = 10;
/** Failed authentications per IP, and how long an IP over that limit is refused here. */
const AUTH_FAILURE_RETRY_SECONDS = 60;

const ANY: Target = { kind: 'any' };

/** What a route declares about access (http/route.ts `RouteDef` extends it). */
export interface RouteAccess {
  /** `public`: answered to anyone, no credential needed. Otherwise the role needed on `target`. */
  role: 'public' | Role | ((c: Ctx) => Role);
  /** What the request touches, from the decoded path and query (default: `{kind: 'any'}`). */
  target?: (c: Ctx) => Target;
  /** `write`: costs one token of the caller's write rate limit. */
  cost?: 'write';
  /**
   * For a write that may turn out to change nothing (an idempotent re-register): runs after
   * authorization and before the rate limit; an answer from it costs no token.
   */
  free?: (c: Ctx) => Promise<Response | undefined>;
  /** Record this (read) request in the audit log: admin reads of sensitive data. */
  audited?: boolean;
}

export function authorize(def: RouteAccess): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (def.role === 'public') return next();
    const principal = await requireAuthenticated(c);
    const role = typeof def.role === 'function' ? def.role(c) : def.role;
    const target = def.target?.(c) ?? ANY;
    if (!allows(principal.grants, role, target)) {
      refusal(c, principal.name, describe(target), ErrorCode.FORBIDDEN);
      throw new RegistryError(ErrorCode.FORBIDDEN, `Forbidden: this operation needs the ${role} role on ${describe(target)}`);
    }
    if (def.free) {
      const answered = await def.free(c);
      if (answered) return answered;
    }
    if (def.cost === 'write') await chargeWrite(c, principal);
    await next();
    if (def.audited) record(c, { principal: principal.name, action: actionOf(c), target: describe(target), result: String(c.res.status) });
  };
}

/** The caller, or the refusal: 401 (+ WWW-Authenticate), 429 after repeated failures, 503. */
export async function requireAuthenticated(c: Ctx): Promise<Principal> {
  const ip = clientIp(c);
  if (ip && (blocked.get(ip) ?? 0) > Date.now()) throw tooManyFailures(c);
  const state = await authenticate(c);
  switch (state.kind) {
    case 'off':
    case 'ok':
      c.set('principal', state.principal);
      c.set('actor', { principal: state.principal.name, ...(ip ? { clientIp: ip } : {}), requestId: c.get('requestId') });
      return state.principal;
    case 'unconfigured':
      throw new RegistryError(
        ErrorCode.AUTH_NOT_CONFIGURED,
        state.reason
          ? `Authentication is misconfigured: ${state.reason}`
          : 'Authentication is not configured: set the secrets REGISTRY_ADMIN_KEY and REGISTRY_ADMIN_SECRET (or AUTH_TOKENS, or OIDC_ISSUER), or set AUTH_MODE = "none" to serve without authentication',
      );
    case 'unavailable':
      prepareHeader(c, 'retry-after', String(state.retryAfter));
      throw new RegistryError(ErrorCode.UNAVAILABLE, `Authentication is temporarily unavailable (${state.reason}); retry later`);
    case 'refused': {
      refusal(c, 'unauthenticated', actionOf(c), ErrorCode.UNAUTHORIZED);
      if (ip && !(await c.env.AUTH_FAIL_LIMITER.limit({ key: ip })).success) {
        blocked.set(ip, Date.now() + AUTH_FAILURE_RETRY_SECONDS * 1000);
        throw tooManyFailures(c);
      }
      // Browser apps ask with X-Requested-With: a Basic challenge would make the browser open its own dialog.
      // A refused OIDC token gets RFC 6750's challenge (OAuth clients refresh on invalid_token).
      prepareHeader(
        c,
        'www-authenticate',
        state.bearer
          ? 'Bearer realm="llm-schema-registry", error="invalid_token"'
          : c.req.header('x-requested-with')
            ? 'Bearer realm="llm-schema-registry"'
            : 'Basic realm="llm-schema-registry", charset="UTF-8"',
      );
      throw new RegistryError(ErrorCode.UNAUTHORIZED, `Unauthorized: ${state.reason}`);
    }
  }
}

/** IPs over the failed-authentication limit, refused in this isolate until the time stored. */
const blocked = new Map<string, number>();

function tooManyFailures(c: Ctx): RegistryError {
  if (blocked.size > 10_000) blocked.clear();
  prepareHeader(c, 'retry-after', String(AUTH_FAILURE_RETRY_SECONDS));
  return new RegistryError(ErrorCode.RATE_LIMITED, 'Too many failed authentications from this address; retry later');
}

/**
 * One write token per principal. With auth off, the client IP is the key, and a request that did
 * not come through Cloudflare's edge (no CF-Connecting-IP: local development) is not limited.
 */
async function chargeWrite(c: Ctx, principal: Principal): Promise<void> {
  const key = principal.limitKey === 'anonymous' ? clientIp(c) : principal.limitKey;
  if (!key) return;
  const { success } = await c.env.WRITE_LIMITER.limit({ key });
  if (success) return;
  refusal(c, principal.name, actionOf(c), ErrorCode.RATE_LIMITED);
  prepareHeader(c, 'retry-after', String(WRITE_RETRY_SECONDS));
  throw new RegistryError(ErrorCode.RATE_LIMITED, 'Too many write requests from this client; retry later');
}

function clientIp(c: Ctx): string | undefined {
  return c.req.header('cf-connecting-ip') || undefined;
}

function actionOf(c: Ctx): string {
  return `${c.req.method} ${routePath(c) || c.req.path}`;
}

function describe(t: Target): string {
  switch (t.kind) {
    case 'subject':
      return `subject ${qualify(t.context, t.subject)}`;
    case 'context':
      return `context ${t.context}`;
    case 'registry':
      return 'the registry';
    case 'any':
      return 'the registry (any scope)';
  }
}

function refusal(c: Ctx, principal: string, target: string, code: number): void {
  record(c, { principal, action: actionOf(c), target, result: `refused ${code}` });
}

/** Append to the registry stream after the answer (the writer named "*" serializes the chain). */
function record(c: Ctx, entry: Omit<AuditEntry, 'clientIp' | 'requestId'>): void {
  const ip = clientIp(c);
  const row: AuditEntry = { ...entry, ...(ip ? { clientIp: ip } : {}), requestId: c.get('requestId') };
  c.executionCtx.waitUntil(
    c
      .get('registryWriter')()
      .record(row)
      .then(
        () => undefined,
        (e: unknown) => {
          console.error(
            JSON.stringify({
              level: 'error',
              event: 'audit-failed',
              requestId: c.get('requestId'),
              ...traceFields(c.get('trace')),
              error: String(e),
            }),
          );
        },
      ),
  );
}
