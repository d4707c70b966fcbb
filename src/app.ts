/**
 * createApp(): the one place routes are mounted. Middleware, in order: the answer's headers
 * (http/answer-headers.ts: nosniff, no-store, request id, trace, bookmark, read layer), metrics,
 * CORS, the request id and per-request services (a D1 session from the client's bookmark, the read
 * path, the writers), content negotiation (406). Authentication and authorization run on each
 * route (http/route.ts: every route declares its role and target). One notFound (401/404) and
 * one onError (the Confluent envelope; unknown errors logged, answered 500 without detail).
 */
import { type ExecutionContext as HonoExecutionContext, Hono, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { ErrorCode, RegistryError, statusOf } from './domain/errors';
import { requireAuthenticated } from './http/authorize';
import { decodeStrictly, rewriteContextPath } from './http/context-paths';
import type { AppEnv, Bindings } from './http/env';
import { answer, answerHeaders, BOOKMARK_HEADER, prepareHeader } from './http/answer-headers';
import { acceptableType, envelope, responseType } from './http/respond';
import { metrics } from './http/metrics';
import { traceFields } from './http/trace-context';
import { fullPath, type Resource, type RouteDef } from './http/route';
import { RememberingRouter } from './http/router';
import { isTransient, RETRY_AFTER_SECONDS } from './http/transient';
import { adminApi } from './routes/admin';
import { compatibility } from './routes/compatibility';
import { config } from './routes/config';
import { contexts } from './routes/contexts';
import { associationBatches, associations } from './routes/associations';
import { dekRegistry } from './routes/dek-registry';
import { apiDocs } from './routes/docs';
import { events } from './routes/events';
import { exportsApi } from './routes/exports';
import { mcp } from './routes/mcp';
import { mode } from './routes/mode';
import { root } from './routes/root';
import { schemas } from './routes/schemas';
import { subjects } from './routes/subjects';
import { validate } from './routes/validate';
import { webhooks } from './routes/webhooks';
import { newerBookmark } from './services/fresh-cache';
import { drainAfterCommit } from './services/webhook-delivery';
import { REGISTRY_STREAM } from './storage/audit';
import { RegistryReader } from './storage/registry-reader';
import { writerStub } from './durable/writer-stub';

const RESOURCES: Resource[] = [
  root,
  schemas,
  subjects,
  compatibility,
  config,
  mode,
  contexts,
  dekRegistry,
  associations,
  associationBatches,
  validate,
  exportsApi,
  events,
  mcp,
  adminApi,
  webhooks,
  apiDocs(() => ROUTES),
];

/** Every route of the API, with its full path (`{name}` parameters): the matrix test and the API reference read this. */
export const ROUTES: (RouteDef & { fullPath: string })[] = RESOURCES.flatMap((r) =>
  r.routes.map((d) => ({ ...d, fullPath: fullPath(r.prefix, d.path) })),
);

/** The Worker's fetch as `createFetch` builds it: the entry MCP tools' subrequests go through. */
type Dispatch = (request: Request, env: Bindings, ctx: HonoExecutionContext) => Response | Promise<Response>;

/** Headers a subrequest carries over from the caller's request: who it is, and where it reads from. */
const CARRIED_HEADERS = ['authorization', 'cf-connecting-ip', BOOKMARK_HEADER];

function createApp(dispatch: Dispatch) {
  // strict: false: `/subjects/` and `/subjects` are one resource, as in Confluent (Jersey).
  const app = new Hono<AppEnv>({ strict: false, router: new RememberingRouter() });

  // Outermost: every answer leaves with the headers each one carries (http/answer-headers.ts).
  app.use('*', answerHeaders);
  // Next: it times the whole request and sees the final answer (docs/observability.md).
  app.use('*', metrics);
  app.use('*', corsFromEnv);
  app.use('*', async (c, next) => {
    const requestId = validRequestId(c.req.header('x-request-id')) ?? crypto.randomUUID();
    const requested = c.req.header(BOOKMARK_HEADER);
    const session = c.env.DB.withSession(requested ?? 'first-unconstrained');
    let written: string | null | undefined;
    let served: string | null = null;
    c.set('requestId', requestId);
    prepareHeader(c, 'x-request-id', requestId);
    c.set('profile', c.env.RESPONSE_PROFILE === '8' ? 8 : 7);
    c.set('reader', new RegistryReader(session));
    c.set('cache', {
      kv: c.env.SCHEMA_KV,
      waitUntil: (p) => {
        c.executionCtx.waitUntil(p);
      },
      trace: c.get('metrics').reads,
      session: { requested, bookmark: () => session.getBookmark(), served: (b) => (served = newerBookmark(served, b)) },
    });
    c.set('writer', (context) => writerStub(c.env, context));
    c.set('registryWriter', () => writerStub(c.env, REGISTRY_STREAM));
    const committedHere = { yes: false };
    c.set('setBookmark', (b, drain = true) => {
      if (drain) committedHere.yes = true;
      written = b;
    });
    c.set('subrequest', (method, path, body) => {
      const headers = new Headers({ accept: 'application/json', 'x-request-id': requestId });
      for (const name of CARRIED_HEADERS) {
        const value = c.req.header(name);
        if (value) headers.set(name, value);
      }
      if (body) headers.set('content-type', body.type);
      const request = new Request(new URL(path, c.req.url), { method, headers, body: body?.text });
      return Promise.resolve(dispatch(request, c.env, c.executionCtx)).then((res) => {
        // The caller's answer carries the bookmark of what its subrequests wrote (read-your-writes).
        const bookmark = res.headers.get(BOOKMARK_HEADER);
        if (bookmark) written = bookmark;
        return res;
      });
    });
    // The answer's bookmark: what a write committed, else the session's, or the bookmark an answer
    // from the fresh cache was read at when that is newer (monotonic reads).
    c.set('answerBookmark', () => written ?? newerBookmark(session.getBookmark(), served));
    await next();
    // A write committed: its change event is in the outbox; hand it to webhook delivery.
    if (committedHere.yes) {
      drainAfterCommit(c.env, (p) => {
        c.executionCtx.waitUntil(p);
      });
    }
  });
  app.use('*', async (c, next) => {
    // MCP's transport negotiates for itself: its GET asks only for text/event-stream, and the
    // answer it understands is 405 (no stream offered), not 406.
    if (c.req.path === '/mcp') return next();
    if (!acceptableType(c.req.header('accept'))) throw new RegistryError(ErrorCode.NOT_ACCEPTABLE, 'HTTP 406 Not Acceptable');
    return next();
  });

  for (const r of RESOURCES) app.route(r.prefix, r.app);

  // No route: 404, after authentication (an anonymous caller learns nothing of the API's shape).
  app.notFound(async (c) => {
    await requireAuthenticated(c);
    throw new RegistryError(ErrorCode.NOT_FOUND, 'HTTP 404 Not Found');
  });

  app.onError((err, c) => {
    const type = responseType(c.req.header('accept'));
    if (err instanceof RegistryError) {
      // Confluent 7.x answers an incompatible schema with error_code 409; 8.x with 40901.
      const code = err.code === ErrorCode.INCOMPATIBLE_SCHEMA && c.get('profile') !== 8 ? 409 : err.code;
      // A restore in progress ends on its own: the client may retry the write later.
      if (err.code === ErrorCode.RESTORE_IN_PROGRESS) prepareHeader(c, 'retry-after', String(RETRY_AFTER_SECONDS));
      return answer(c, envelope(code, err.message), statusOf(err.code), type);
    }
    if (isTransient(err)) {
      console.warn(
        JSON.stringify({
          level: 'warn',
          event: 'transient',
          requestId: c.get('requestId'),
          ...traceFields(c.get('trace')),
          path: c.req.path,
          error: String(err),
        }),
      );
      prepareHeader(c, 'retry-after', String(RETRY_AFTER_SECONDS));
      return answer(c, envelope(ErrorCode.UNAVAILABLE, 'The registry cannot reach its storage right now; retry later'), 503, type);
    }
    console.error(
      JSON.stringify({
        level: 'error',
        requestId: c.get('requestId'),
        ...traceFields(c.get('trace')),
        path: c.req.path,
        error: String(err),
        stack: err instanceof Error ? err.stack : undefined,
      }),
    );
    return answer(c, envelope(ErrorCode.INTERNAL, 'Internal Server Error'), 500, type);
  });

  return app;
}

/** CORS is closed (no CORS headers at all) unless CORS_ORIGINS lists origins; then only those are echoed. */
const corsFromEnv: MiddlewareHandler<AppEnv> = (c, next) => {
  const middleware = corsFor(c.env.CORS_ORIGINS);
  return middleware ? middleware(c, next) : next();
};

/** The CORS middleware for a CORS_ORIGINS value, made once per value (undefined: CORS closed). */
let corsMade: { spec: string; middleware: MiddlewareHandler<AppEnv> | undefined } | undefined;

function corsFor(spec: string): MiddlewareHandler<AppEnv> | undefined {
  if (corsMade?.spec === spec) return corsMade.middleware;
  const origins = spec
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  const middleware =
    origins.length === 0
      ? undefined
      : cors({
          origin: (origin) => (origins.includes(origin) ? origin : null),
          allowHeaders: ['authorization', 'content-type', 'accept', BOOKMARK_HEADER, 'x-request-id', 'x-requested-with', 'traceparent'],
          exposeHeaders: [BOOKMARK_HEADER, 'x-request-id', 'retry-after', 'www-authenticate', 'traceparent', 'server-timing'],
          allowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
          maxAge: 600,
        });
  corsMade = { spec, middleware };
  return middleware;
}

/** No percent-encoding in the path or query, and not a `/contexts/...` path: nothing to decode or rewrite. */
function plainPath(href: string): boolean {
  const path = href.indexOf('/', href.indexOf('//') + 2);
  return path !== -1 && !href.includes('%', path) && !href.startsWith('/contexts/', path);
}

/** A client's request id is echoed into logs and the audit: only a short, plain token is taken. */
function validRequestId(id: string | undefined): string | undefined {
  return id && /^[A-Za-z0-9._:-]{1,128}$/.test(id) ? id : undefined;
}

/**
 * The Worker's fetch. Before routing, the URL must decode cleanly (a path segment or query
 * parameter that is not valid UTF-8 percent-encoding is a 400, never passed on half-decoded), and
 * Confluent's context paths are rewritten from the decoded segments.
 */
export function createFetch(): Dispatch {
  const app = createApp((request, env, ctx) => fetch(request, env, ctx));
  const fetch: Dispatch = (request, env, ctx) => {
    // Most requests have nothing to decode or rewrite: they skip parsing the URL again here.
    if (plainPath(request.url)) return app.fetch(request, env, ctx);
    let url: URL;
    try {
      url = rewriteContextPath(decodeStrictly(new URL(request.url)), request.method);
    } catch (e) {
      if (!(e instanceof RegistryError)) throw e;
      return new Response(envelope(e.code, e.message), {
        status: e.status,
        headers: {
          'content-type': responseType(request.headers.get('accept') ?? undefined),
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-store',
        },
      });
    }
    return app.fetch(url.href === request.url ? request : new Request(url, request), env, ctx);
  };
  return fetch;
}
