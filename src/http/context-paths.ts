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
 *   /contexts/.ctx/config|mode       -> /config|mode/:.ctx:
 *   /contexts/.ctx/schemas/ids/1     -> /schemas/ids/1?subject=:.ctx:
 *   /contexts/.ctx/compatibility/subjects/foo/... -> /compatibility/subjects/:.ctx:foo/...
 * The rewritten request is routed and authorized like any other: nothing here decides access.
 */
import { errors } from '../domain/errors';
import { parseContext } from '../domain/naming';

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw errors.badRequest(`Malformed ${what} '${text.slice(0, 64)}': not valid percent-encoded UTF-8`);
  }
}

/** Throws 400 unless every path segment and query parameter decodes cleanly. */
export function decodeStrictly(url: URL): URL {
  for (const segment of url.pathname.split('/')) decode(segment, 'URL path segment');
  for (const pair of url.search.slice(1).split('&')) {
    // application/x-www-form-urlencoded: '+' is a space (as Hono's query parser reads it).
    for (const part of pair.split('=')) decode(part.replace(/\+/g, ' '), 'query parameter');
  }
  return url;
}

const RESOURCES = new Set(['subjects', 'schemas', 'config', 'mode', 'compatibility']);

export function rewriteContextPath(url: URL): URL {
  const raw = url.pathname.split('/'); // ['', 'contexts', ctx, resource, ...rest]
  if (raw[1] !== 'contexts') return url;
  let segments = raw.map((s) => decodeURIComponent(s));
  // URL parsing turns `/contexts/./subjects` into `/contexts/subjects`: that is the default context.
  if (RESOURCES.has(segments[2])) segments = ['', 'contexts', ':.:', ...segments.slice(2)];
  const [, , ctx, resource, ...rest] = segments;
  if (!RESOURCES.has(resource)) return url;
  const prefix = `:${parseContext(ctx)}:`;
  const path = (...parts: string[]) => `/${parts.map(encodeURIComponent).join('/')}`;
  const out = new URL(url);
  const qualifyFirst = (name: string | undefined) => prefix + (name ?? '');
  switch (resource) {
    case 'subjects':
      if (rest.length && rest[0] !== '') out.pathname = path('subjects', qualifyFirst(rest[0]), ...rest.slice(1));
      else {
        out.pathname = '/subjects';
        out.searchParams.set('subjectPrefix', prefix + (url.searchParams.get('subjectPrefix') ?? ''));
      }
      break;
    case 'compatibility':
      out.pathname =
        rest[0] === 'subjects' && rest.length > 1
          ? path('compatibility', 'subjects', qualifyFirst(rest[1]), ...rest.slice(2))
          : path('compatibility', ...rest);
      break;
    case 'config':
    case 'mode':
      out.pathname = path(resource, qualifyFirst(rest[0]), ...rest.slice(1));
      break;
    case 'schemas':
      out.pathname = path('schemas', ...rest);
      if (!url.searchParams.has('subject')) out.searchParams.set('subject', prefix);
      if (rest.length === 0 || (rest.length === 1 && rest[0] === ''))
        out.searchParams.set('subjectPrefix', prefix + (url.searchParams.get('subjectPrefix') ?? ''));
      break;
  }
  return out;
}
