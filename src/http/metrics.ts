/**
 * One Workers Analytics Engine data point per request (binding METRICS; the layout is
 * services/metrics-layout.ts, the queries on it docs/observability.md), and one more per registration
 * and per validation. Written by this one middleware, mounted outermost in app.ts, so every
 * answer the router gives (errors from onError, 404s, 405s) is counted once.
 *
 * Metrics never fail a request: without the binding (local dev, tests that do not bind it)
 * nothing is measured or written, and a failing writeDataPoint is swallowed.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { ErrorCode, RegistryError } from '../domain/errors';
import { parseContext, parseSubject } from '../domain/naming';
import { countedD1, newD1Counts, roundTrips } from '../storage/d1-count';
import type { AppEnv, Principal } from './env';
import { dataPoint } from '../services/metrics-layout';
import { RequestMetrics } from './request-metrics';
import { answerBytes, prepareHeader } from './answer-headers';
import { formatTraceparent, traceOf } from './trace-context';
import { fullPath } from './route';
import { isTransient } from './transient';

type Ctx = Context<AppEnv>;

/** The route blob of a request no route matched: its path is client input and never recorded. */
export const NO_ROUTE = '(no route)';

/** What a registration came to: `failed` is any other refusal (rate limit, missing reference, 503), by error_code. */
type WriteResult = 'registered' | 'existing' | 'incompatible' | 'invalid' | 'failed';

export const metrics: MiddlewareHandler<AppEnv> = async (c, next) => {
  const notes = new RequestMetrics();
  c.set('metrics', notes);
  // The trace (W3C traceparent) is kept with or without the dataset: the logs carry it.
  const trace = traceOf(c.req.header('traceparent'));
  c.set('trace', trace);
  prepareHeader(c, 'traceparent', formatTraceparent(trace));
  const dataset = c.env.METRICS;
  if (!dataset) return next();
  const started = Date.now();
  const d1 = newD1Counts();
  // The rest of the request sees a D1 that counts: every read path is measured, none reports.
  c.env = { ...c.env, DB: countedD1(c.env.DB, d1) };
  await next();
  // Workers advance the clock only across I/O, so this is the I/O-bound part of the time to the
  // response headers; CPU alone does not show in it (the Workers dashboard has CPU time).
  const wallMs = Date.now() - started;
  try {
    const shared = { route: routeTemplate(c), context: contextOf(c), colo: coloOf(c) };
    const errorCode = errorCodeOf(c);
    const registration = notes.registration;
    if (registration) {
      const result = writeResult(c.res.status, errorCode, registration.existing);
      write(
        dataset,
        dataPoint('write', { ...shared, format: registration.format, compatibility: registration.compatibility, result, error_code: errorCode }, {}),
      );
    }
    const validation = notes.validation;
    if (validation) {
      const { subject, body, documents, invalid } = validation;
      write(dataset, dataPoint('validation', { ...shared, subject, body }, { documents, invalid }));
    }
    const blobs = {
      ...shared,
      method: c.req.method,
      status: String(c.res.status),
      error_code: errorCode,
      layer: notes.reads.layer ?? '',
      trace_id: trace.traceId,
    };
    const finish = (bytes: number) => {
      const doubles = { wall_ms: wallMs, d1_queries: d1.statements, d1_round_trips: roundTrips(d1), response_bytes: bytes };
      write(dataset, dataPoint('request', blobs, doubles));
    };
    const known = answerBytes(c);
    if (known === undefined) c.res = countingBody(c.res, finish);
    else finish(known);
  } catch (e) {
    warnOnce(e);
  }
};

/**
 * The answer with its body counted as it streams out; `done` gets the byte count at its end (or
 * where the client stopped reading). Counting on the way out holds no copy of the body, which
 * matters for exports and snapshots that stream megabytes.
 */
function countingBody(res: Response, done: (bytes: number) => void): Response {
  if (!res.body) {
    done(0);
    return res;
  }
  let bytes = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
    flush: () => {
      done(bytes);
    },
    cancel: () => {
      done(bytes);
    },
  });
  return new Response(res.body.pipeThrough(counter), res);
}

/**
 * The matched route's declared path (`/subjects/{subject}/versions`): never the URL, whose
 * subject names and ids are tenant data and unbounded. The app-wide middleware match `/*`.
 */
function routeTemplate(c: Ctx): string {
  const route = matchedRoutes(c).findLast((r) => r.path !== '/*');
  if (!route) return NO_ROUTE;
  // One per declared route: formatted once per isolate.
  let template = templates.get(route.path);
  if (template === undefined) {
    template = fullPath('/', route.path);
    templates.set(route.path, template);
  }
  return template;
}
const templates = new Map<string, string>();

/**
 * The context the request addressed, once the caller is authenticated: an anonymous request's
 * path is whatever it sent, and would fill the dataset with names nobody registered.
 */
function contextOf(c: Ctx): string {
  if ((c.get('principal') as Principal | undefined) === undefined) return '';
  try {
    const subject = c.req.param('subject') ?? c.req.query('subject');
    if (subject !== undefined) return parseSubject(subject).context;
    const context = c.req.param('context');
    return context === undefined ? '' : parseContext(context);
  } catch {
    // Not a valid name: the request was refused for it, and it names no context.
    return '';
  }
}

function coloOf(c: Ctx): string {
  const colo = c.req.raw.cf?.colo;
  return typeof colo === 'string' ? colo : '';
}

/**
 * The error code of the answer, as app.onError derives it (the registry's code: 40901 for an
 * incompatible schema under either response profile). A 4xx/5xx answered without an error
 * (MCP's transport) has its status as its code, as Confluent's plain HTTP errors do.
 */
function errorCodeOf(c: Ctx): string {
  if (c.res.status < 400) return '';
  const err = c.error;
  if (err instanceof RegistryError) return String(err.code);
  if (err) return String(isTransient(err) ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL);
  return String(c.res.status);
}

function writeResult(status: number, errorCode: string, existing: boolean): WriteResult {
  if (status < 400) return existing ? 'existing' : 'registered';
  if (errorCode === String(ErrorCode.INCOMPATIBLE_SCHEMA)) return 'incompatible';
  // 422xx: the schema, its references or its rule set was refused as sent.
  if (errorCode.startsWith('422')) return 'invalid';
  return 'failed';
}

function write(dataset: AnalyticsEngineDataset, point: AnalyticsEngineDataPoint): void {
  try {
    dataset.writeDataPoint(point);
  } catch (e) {
    warnOnce(e);
  }
}

let warned = false;

/** A broken metrics binding would otherwise log on every request: once per isolate says it. */
function warnOnce(e: unknown): void {
  if (warned) return;
  warned = true;
  console.warn(JSON.stringify({ level: 'warn', event: 'metrics-failed', error: String(e) }));
}
