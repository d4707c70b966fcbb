/**
 * Confluent's ContextFilter: `/contexts/{ctx}/<resource>/...` addresses a context through the
 * ordinary routes. We rewrite the URL once, before routing, exactly as Confluent does:
 *   /contexts/.ctx/subjects/foo/...  -> /subjects/:.ctx:foo/...
 *   /contexts/.ctx/subjects          -> /subjects?subjectPrefix=:.ctx:
 *   /contexts/.ctx/config|mode       -> /config|mode/:.ctx:
 *   /contexts/.ctx/schemas/ids/1     -> /schemas/ids/1?subject=:.ctx:
 *   /contexts/.ctx/compatibility/subjects/foo/... -> /compatibility/subjects/:.ctx:foo/...
 */
import { errors } from '../domain/errors';
import { parseContext } from '../domain/naming';

/** decodeURIComponent that answers a malformed escape (`%ZZ`) with a 400 instead of throwing URIError. */
function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw errors.badRequest(`Malformed URL path segment '${segment.slice(0, 64)}'`);
  }
}

export function rewriteContextPath(url: URL): URL {
  // URL parsing turns `/contexts/./subjects` into `/contexts/subjects`: that is the default context.
  if (/^\/contexts\/(subjects|schemas|config|mode|compatibility)(\/|$)/.test(url.pathname)) {
    url = new URL(url);
    url.pathname = url.pathname.replace(/^\/contexts\//, '/contexts/:.:/');
  }
  const m = /^\/contexts\/([^/]+)\/(subjects|schemas|config|mode|compatibility)(\/.*)?$/.exec(url.pathname);
  if (!m) return url;
  const context = parseContext(decode(m[1]));
  const prefix = `:${context}:`;
  const rest = m[3] ?? '';
  const out = new URL(url);
  switch (m[2]) {
    case 'subjects': {
      const sub = /^\/([^/]+)(\/.*)?$/.exec(rest);
      if (sub) out.pathname = `/subjects/${encodeURIComponent(prefix + decode(sub[1]))}${sub[2] ?? ''}`;
      else {
        out.pathname = '/subjects';
        out.searchParams.set('subjectPrefix', prefix + (url.searchParams.get('subjectPrefix') ?? ''));
      }
      break;
    }
    case 'compatibility': {
      const sub = /^\/subjects\/([^/]+)(\/.*)?$/.exec(rest);
      out.pathname = sub ? `/compatibility/subjects/${encodeURIComponent(prefix + decode(sub[1]))}${sub[2] ?? ''}` : `/compatibility${rest}`;
      break;
    }
    case 'config':
    case 'mode': {
      const sub = /^\/([^/]+)$/.exec(rest);
      out.pathname = `/${m[2]}/${encodeURIComponent(prefix + (sub ? decode(sub[1]) : ''))}`;
      break;
    }
    case 'schemas':
      out.pathname = `/schemas${rest}`;
      if (!url.searchParams.has('subject')) out.searchParams.set('subject', prefix);
      if (rest === '' || rest === '/') out.searchParams.set('subjectPrefix', prefix + (url.searchParams.get('subjectPrefix') ?? ''));
      break;
  }
  return out;
}
