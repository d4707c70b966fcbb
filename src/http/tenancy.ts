/**
 * Contexts are tenants. A tenant credential (`token:role@.ctx`) may address only its context:
 * every subject in the path or in `?subject=` must be in it, ids and guids resolve in it, global
 * writes and /v1/admin are refused, and listings are narrowed to it by the routes (`c.var.scope`).
 * Unqualified names mean the default context, as everywhere, so tenant clients use `:.ctx:name`
 * or the `/contexts/.ctx/...` paths (rewritten before this runs).
 */
import { ErrorCode, RegistryError } from '../domain/errors';
import { DEFAULT_CONTEXT, parseSubject } from '../domain/naming';

/** Path positions that carry a subject, by route prefix. */
const SUBJECT_IN_PATH = [
  /^\/subjects\/([^/]+)/,
  /^\/config\/([^/]+)/,
  /^\/mode\/([^/]+)/,
  /^\/compatibility\/subjects\/([^/]+)/,
  /^\/v1\/validate\/subjects\/([^/]+)/,
  /^\/v1\/subjects\/([^/]+)/,
];

function forbidden(context: string): RegistryError {
  return new RegistryError(ErrorCode.FORBIDDEN, `Forbidden: this credential is limited to context ${context}`);
}

function contextOfSegment(segment: string): string {
  try {
    return parseSubject(decodeURIComponent(segment)).context;
  } catch {
    return '';
  }
}

export function confineToContext(method: string, url: URL, context: string): void {
  const path = url.pathname;
  if (path.startsWith('/v1/admin/')) throw forbidden(context);
  for (const re of SUBJECT_IN_PATH) {
    const m = re.exec(path);
    if (m && contextOfSegment(m[1]) !== context) throw forbidden(context);
  }
  // Global config and mode belong to the registry's operator; tenants read them only.
  if (/^\/(config|mode)\/?$/.test(path) && method !== 'GET') throw forbidden(context);
  // Ids and guids resolve in the context that `?subject=` names (default: the default context).
  if (/^\/(schemas\/(ids|guids)|v1\/validate\/ids)\//.test(path)) {
    const subject = url.searchParams.get('subject');
    if ((subject ? contextOfSegment(encodeURIComponent(subject)) : DEFAULT_CONTEXT) !== context) throw forbidden(context);
  }
}
