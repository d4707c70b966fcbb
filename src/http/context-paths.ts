/**
 * The URL before routing: decoded strictly, then Confluent's context paths rewritten.
 *
 * Strict decoding: every path segment and query parameter must be valid percent-encoded UTF-8.
 * Anything else is a 400 here, so the router, authorization and the handler all see one and the
 * same decoded value (a lenient decoder would leave `%ED%A0%80` encoded in one place and turn
 * `%FF` into U+FFFD in another).
 *
 * Confluent's ContextFilter: `/contexts/{ctx}/<resource>/...` addresses a context through the
 * ordinary routes. We rewrite the URL once, from its decoded segments, exactly as Confluent does:
 *   /contexts/.ctx/subjects/foo/...  -> /subjects/:.ctx:foo/...
 *   /contexts/.ctx/subjects          -> /subjects?subjectPrefix=:.ctx:
 *   /contexts/.ctx/config|mode[/foo] -> /config|mode/:.ctx:[foo]
 *   /contexts/.ctx/schemas/ids/1     -> /schemas/ids/1?subject=:.ctx:
 *   /contexts/.ctx/compatibility/subjects/foo/... -> /compatibility/subjects/:.ctx:foo/...
 *   /contexts/.ctx/v1/subjects/foo/..., /contexts/.ctx/v1/validate/subjects/foo/... (ours), likewise
 *   /contexts/.ctx/v1/validate/ids/1 -> /v1/validate/ids/1?subject=:.ctx:
 * `ctx` may be written `.ctx`, `ctx` or `:.ctx:`; `.` and `:.:` are the default context.
 * The rewritten request is routed and authorized like any other: nothing here decides access.
 */
import { errors } from '../domain/errors';
import { DEFAULT_CONTEXT, parseContext } from '../domain/naming';

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw errors.badRequest(`Malformed ${what} '${text.slice(0, 64)}': not valid percent-encoded UTF-8`);
  }
}

/** Throws 400 unless every path segment and query parameter decodes cleanly. */
export function decodeStrictly(url: URL): URL {
  // Without a '%' nothing can fail to decode: the common URL costs one scan, not a split and decode per part.
  if (!url.pathname.includes('%') && !url.search.includes('%')) return url;
  for (const segment of url.pathname.split('/')) decode(segment, 'URL path segment');
  for (const pair of url.search.slice(1).split('&')) {
    // application/x-www-form-urlencoded: '+' is a space (as Hono's query parser reads it).
    for (const part of pair.split('=')) decode(part.replace(/\+/g, ' '), 'query parameter');
  }
  return url;
}

/**
 * The first segments after `/contexts/{ctx}` that name a resource with a subject or context in it.
 * Anything else under a context (`/contexts/.t/v1/admin/...`) is not rewritten and so answers 404:
 * a registry-wide route reached through a context URL would pretend to be scoped when it is not.
 */
const CONTEXTUAL = new Set(['subjects', 'schemas', 'config', 'mode', 'compatibility', 'associations', 'dek-registry', 'v1']);
/** Our own /v1 resources that name subjects (exports under /v1/subjects, validation). */
const CONTEXTUAL_V1 = new Set(['subjects', 'validate']);

/** Confluent's startsWithContext: already qualified (`:.x:...`) or the wildcard (`:*:`). */
const qualified = (name: string) => name.startsWith(':.') || name.startsWith(':*:');

/** Confluent QualifiedSubject.normalizeContext: `:.ctx:`, or '' for the default context. */
function delimited(ctx: string): string {
  const context = parseContext(ctx);
  return context === DEFAULT_CONTEXT ? '' : `:${context}:`;
}

/**
 * Confluent's ContextFilter (rest/filters/ContextFilter.java, v8.1.x) `modifyUriPath` and
 * `replaceQueryParams`, on decoded segments:
 * - the segment after any `subjects` or `deks`, and after a leading `config` or `mode`, is
 *   prefixed with the context unless it is already qualified (`:.x:` or `:*:`);
 * - a leading `config` or `mode` with nothing after names the context itself (`/config/:.ctx:`;
 *   for the default context the global one, as `normalizeContext(".")` is '');
 * - `schemas/ids/...` (and our `v1/validate/ids/...`) get `?subject=` prefixed likewise;
 * - `schemas` and `subjects` listings get every `subjectPrefix` prefixed (the context when none);
 * - a POST/PUT under `associations` gets `?context=`.
 * `/contexts/{ctx}` alone is left for the contexts resource (DELETE /contexts/{ctx}).
 * Throws 400 for a context name Confluent refuses (a colon inside).
 */
export function rewriteContextPath(url: URL, method = 'GET'): URL {
  const raw = url.pathname.split('/'); // ['', 'contexts', ctx, ...rest]
  if (raw[1] !== 'contexts' || raw.length < 3) return url;
  let segments = raw.slice(2).map((s) => decodeURIComponent(s));
  // URL parsing turns `/contexts/./subjects` into `/contexts/subjects`: that is the default context.
  // Only DELETE has a route at `/contexts/{ctx}` alone, so there a lone name is a context's name.
  if (CONTEXTUAL.has(segments[0]) && !(segments.length === 1 && method === 'DELETE')) segments = [DEFAULT_CONTEXT, ...segments];
  if (segments.length < 2) return url;
  const [ctx, ...rest] = segments;
  // strict: false routing: a trailing slash is the same resource (never an empty subject name).
  if (rest.length > 1 && rest[rest.length - 1] === '') rest.pop();
  if (!CONTEXTUAL.has(rest[0]) || (rest[0] === 'v1' && !CONTEXTUAL_V1.has(rest[1]))) return url;
  const prefix = delimited(ctx);

  const out: string[] = [];
  let subjectNext = false;
  let settingsRoot = false;
  for (const [i, segment] of rest.entries()) {
    if (subjectNext) {
      out.push(qualified(segment) ? segment : prefix + segment);
      subjectNext = false;
      continue;
    }
    out.push(segment);
    const root = i === 0 && (segment === 'config' || segment === 'mode');
    if (segment === 'subjects' || segment === 'deks' || root) subjectNext = true;
    if (root) settingsRoot = true;
  }
  if (settingsRoot && subjectNext && prefix) out.push(prefix);

  const target = new URL(url);
  target.pathname = '/' + out.map(encodeURIComponent).join('/');
  const path = out.join('/');
  const q = target.searchParams;
  if (path.startsWith('schemas/ids') || path.startsWith('v1/validate/ids')) {
    const subject = url.searchParams.get('subject') ?? '';
    if (!qualified(subject) && prefix) q.set('subject', prefix + subject);
  } else if (path === 'schemas' || path === 'subjects') {
    const prefixes = url.searchParams.getAll('subjectPrefix');
    q.delete('subjectPrefix');
    for (const p of prefixes.length ? prefixes : ['']) q.append('subjectPrefix', qualified(p) ? p : prefix + p);
    if (!q.get('subjectPrefix')) q.delete('subjectPrefix');
  } else if (path.startsWith('associations') && (method === 'POST' || method === 'PUT')) {
    q.set('context', prefix || ':.:');
  }
  return target;
}
