/**
 * createApp(): the one place routes are mounted. Middleware, in order: the request id and
 * per-request services (a D1 session from the client's bookmark, the read path, the writer),
 * content negotiation (406), auth and tenancy, the write rate limit. One notFound (404/405) and
 * one onError (the Confluent envelope; unknown errors logged, answered 500 without detail).
 */
import { Hono } from 'hono';
import { ErrorCode, RegistryError, statusOf } from './domain/errors';
import { auth } from './http/auth';
import { rateLimit } from './http/rate-limit';
import { rewriteContextPath } from './http/context-paths';
import type { AppEnv } from './http/env';
import { acceptableType, envelope, responseType } from './http/respond';
import { compatibility } from './routes/compatibility';
import { config } from './routes/config';
import { contexts } from './routes/contexts';
import { mode } from './routes/mode';
import { root } from './routes/root';
import { schemas } from './routes/schemas';
import { subjects } from './routes/subjects';
import { validate } from './routes/validate';
import { exportsApi } from './routes/exports';
import { admin } from './routes/admin';
import { RegistryReader } from './storage/registry-reader';

/** Clients echo this header to read their own writes (D1 Sessions API bookmark). */
export const BOOKMARK_HEADER = 'x-registry-bookmark';

const KNOWN_PATHS = [
  /^\/$/,
  /^\/schemas(\/types|\/ids\/[^/]+(\/schema|\/subjects|\/versions)?|\/guids\/[^/]+)?\/?$/,
  /^\/subjects(\/[^/]+(\/versions(\/[^/]+(\/schema|\/referencedby)?)?)?)?\/?$/,
  /^\/compatibility\/subjects\/[^/]+\/versions(\/[^/]+)?\/?$/,
  /^\/(config|mode)(\/[^/]+)?\/?$/,
  /^\/contexts\/?$/,
  /^\/v1\/validate\/(subjects\/[^/]+\/versions\/[^/]+|ids\/[^/]+)\/?$/,
  /^\/v1\/subjects\/[^/]+\/versions\/[^/]+\/export\/?$/,
  /^\/v1\/admin\/(snapshot|restore)\/?$/,
];

export function createApp() {
  // strict: false: `/subjects/` and `/subjects` are one resource, as in Confluent (Jersey).
  const app = new Hono<AppEnv>({ strict: false });

  app.use('*', async (c, next) => {
    const requestId = c.req.header('x-request-id') ?? crypto.randomUUID();
    const session = c.env.DB.withSession(c.req.header(BOOKMARK_HEADER) ?? 'first-unconstrained');
    let written: string | null = null;
    c.set('requestId', requestId);
    c.set('profile', c.env.RESPONSE_PROFILE === '8' ? 8 : 7);
    c.set('reader', new RegistryReader(session));
    c.set('cache', { kv: c.env.SCHEMA_KV, waitUntil: (p) => c.executionCtx.waitUntil(p) });
    c.set('writer', (context) => c.env.WRITER.get(c.env.WRITER.idFromName(context)));
    c.set('setBookmark', (b) => (written = b));
    await next();
    c.header('x-request-id', requestId);
    const bookmark = written ?? session.getBookmark();
    if (bookmark) c.header(BOOKMARK_HEADER, bookmark);
  });
  app.use('*', async (c, next) => {
    if (!acceptableType(c.req.header('accept'))) throw new RegistryError(ErrorCode.NOT_ACCEPTABLE, 'HTTP 406 Not Acceptable');
    return next();
  });
  app.use('*', auth);
  app.use('*', rateLimit);

  app.route('/', root);
  app.route('/schemas', schemas);
  app.route('/subjects', subjects);
  app.route('/compatibility', compatibility);
  app.route('/config', config);
  app.route('/mode', mode);
  app.route('/contexts', contexts);
  app.route('/v1/validate', validate);
  app.route('/v1', exportsApi);
  app.route('/v1/admin', admin);

  // A known path with another method is 405, as Jersey answers; anything else 404.
  app.notFound((c) => {
    const headers = { 'content-type': responseType(c.req.header('accept')) };
    return KNOWN_PATHS.some((re) => re.test(c.req.path))
      ? c.body(envelope(405, 'HTTP 405 Method Not Allowed'), 405, headers)
      : c.body(envelope(404, 'HTTP 404 Not Found'), 404, headers);
  });

  app.onError((err, c) => {
    const headers = { 'content-type': responseType(c.req.header('accept')) };
    if (err instanceof RegistryError) {
      // Confluent 7.x answers an incompatible schema with error_code 409; 8.x with 40901.
      const code = err.code === ErrorCode.INCOMPATIBLE_SCHEMA && c.var.profile !== 8 ? 409 : err.code;
      return c.body(envelope(code, err.message), statusOf(err.code) as 400, headers);
    }
    console.error(JSON.stringify({ level: 'error', requestId: c.var.requestId, path: c.req.path, error: String(err), stack: err instanceof Error ? err.stack : undefined }));
    return c.body(envelope(ErrorCode.INTERNAL, 'Internal Server Error'), 500, headers);
  });

  return app;
}

/** The Worker's fetch: Confluent's context paths are rewritten before routing. */
export function createFetch() {
  const app = createApp();
  return (request: Request, env: Env, ctx: ExecutionContext) => {
    const url = new URL(request.url);
    let rewritten: URL;
    try {
      rewritten = rewriteContextPath(url);
    } catch (e) {
      if (!(e instanceof RegistryError)) throw e;
      return new Response(envelope(e.code, e.message), { status: e.status, headers: { 'content-type': responseType(request.headers.get('accept') ?? undefined) } });
    }
    return app.fetch(rewritten === url ? request : new Request(rewritten, request), env, ctx);
  };
}
