/**
 * The headers every answer carries besides its media type: `nosniff` and `no-store` (answers can
 * hold tenant data or depend on the caller's grants: no shared cache may keep them), the request
 * id and the W3C trace (logs and audit name them), what a route adds for its answer (Retry-After,
 * WWW-Authenticate, its own Cache-Control), and two known only when the answer is made: the read
 * layer (W3C Server-Timing `read;desc=...`, on successful answers: load tools tally it into a hit
 * ratio per layer) and the D1 bookmark (read-your-writes).
 *
 * They are gathered per request in a plain object and handed to the one Response an answer is
 * made as (`answer`: reply, replyRaw, the error envelope), in one construction. workerd's Headers
 * are native: Hono's `c.header` sets each on a Headers object that the Response then copies, and
 * checking the answer afterwards reads them back, about a dozen calls into the runtime per warm
 * read (docs/performance-log.md, "One construction"). A Response made any other way (Hono's
 * `c.body`, a stream, a CORS preflight) gets them set after the fact by `finishAnswer`, run by the
 * outermost middleware, so no answer leaves without them.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { utf8Length } from '../domain/utf8-length';
import type { AppEnv } from './env';

type Ctx = Context<AppEnv>;

/** Clients echo this header to read their own writes (D1 Sessions API bookmark). */
export const BOOKMARK_HEADER = 'x-registry-bookmark';

/** The outermost middleware: starts the request's headers, and completes any answer not made by `answer`. */
export const answerHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('answerHeaders', { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
  await next();
  finishAnswer(c);
};

/** Add a header to the request's answer, whatever makes it (the place for `c.header` in this code). */
export function prepareHeader(c: Pick<Ctx, 'get'>, name: string, value: string): void {
  c.get('answerHeaders')[name] = value;
}

/**
 * `answer` notes the answer it made (`answered`), with its body size when it is made from at most
 * SIZED_CHARS characters. The note holds only while that Response is the request's (`c.res`): an
 * answer replaced on the way out (a HEAD, an error after it) is not it. A context variable rather
 * than a WeakSet/WeakMap keyed by the Response: a weak entry per request costs V8 an ephemeron to
 * insert and to trace in every GC (docs/performance-log.md, stop 33).
 */
const SIZED_CHARS = 64 * 1024;

/** The request's answer: `body` with `status`, its media type and every header of the request, in one construction. */
export function answer(c: Ctx, body: string | null, status: number, type: string): Response {
  const res = new Response(body, { status, headers: { ...c.get('answerHeaders'), ...lateHeaders(c, status), 'content-type': type } });
  c.set('answered', { res, bytes: body === null ? 0 : body.length <= SIZED_CHARS ? utf8Length(body) : undefined });
  return res;
}

/**
 * The body size of the request's answer when `answer` made it and knew it: the metrics data point
 * (http/metrics.ts) takes it instead of counting the body as it streams out (a TransformStream and
 * a second Response per request).
 */
export function answerBytes(c: Pick<Ctx, 'get' | 'res'>): number | undefined {
  const answered = c.get('answered');
  return answered?.res === c.res ? answered.bytes : undefined;
}

/** Server-Timing and the bookmark: what the request's reads and writes came to, by the time its answer is made. */
function lateHeaders(c: Ctx, status: number): Record<string, string> {
  const late: Record<string, string> = {};
  const layer = c.get('metrics').reads.layer;
  // Only a successful answer names the layer: some refusals read before they refuse (an id's
  // subjects decide who may see it), and which layer answered must not tell a caller whether
  // something it may not see exists.
  if (layer && status < 300) late['server-timing'] = `read;desc="${layer}"`;
  const bookmark = c.get('answerBookmark')?.();
  if (bookmark) late[BOOKMARK_HEADER] = bookmark;
  return late;
}

/**
 * Give an answer made some other way the request's headers (a route's own Cache-Control wins over
 * `no-store`: an asset or a document may be cached). Setting a header on a Response whose headers
 * are immutable (fetched, or an asset's) takes Hono's copy of it once, after which they are mutable.
 */
function finishAnswer(c: Ctx): void {
  if (c.get('answered')?.res === c.res) return;
  const own = c.res.headers.has('cache-control');
  const headers = { ...c.get('answerHeaders'), ...lateHeaders(c, c.res.status) };
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'cache-control' && own) continue;
    try {
      c.res.headers.set(name, value);
    } catch {
      c.header(name, value);
    }
  }
}
