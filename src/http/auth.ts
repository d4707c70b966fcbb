/**
 * Authentication and roles. AUTH_TOKENS (a secret: `wrangler secret put AUTH_TOKENS`) lists
 * "token:role" pairs, or "token:role@.ctx" for a credential limited to one context (a tenant:
 * see tenancy.ts); empty disables auth (local development). Clients send the token as
 * `Authorization: Bearer <token>` or as the password of HTTP Basic (Confluent clients'
 * `basic.auth.user.info`). Roles nest: reader < writer < admin.
 */
import type { MiddlewareHandler } from 'hono';
import { ErrorCode, RegistryError } from '../domain/errors';
import type { AppEnv } from './env';
import { confineToContext } from './tenancy';

export type Role = 'reader' | 'writer' | 'admin';
const RANK: Record<Role, number> = { reader: 1, writer: 2, admin: 3 };

export interface Principal {
  role: Role;
  /** Set for a tenant credential: the only context it may address. */
  context?: string;
}

export function parseTokens(spec: string): Map<string, Principal> {
  const tokens = new Map<string, Principal>();
  for (const entry of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const at = entry.lastIndexOf(':');
    const [role, context] = entry.slice(at + 1).split('@') as [Role, string | undefined];
    if (at <= 0 || !(role in RANK) || (context !== undefined && !/^\.[A-Za-z0-9_.-]+$/.test(context))) {
      throw new Error('AUTH_TOKENS entry must be token:reader|writer|admin, optionally @.context');
    }
    tokens.set(entry.slice(0, at), context ? { role, context } : { role });
  }
  return tokens;
}

export function presented(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value] = header.split(/\s+/, 2);
  if (!value) return undefined;
  if (scheme.toLowerCase() === 'bearer') return value;
  if (scheme.toLowerCase() === 'basic') {
    try {
      const decoded = atob(value);
      return decoded.slice(decoded.indexOf(':') + 1);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The role a request needs: reads and checks are reader, registering and soft deletes writer, the rest admin. */
export function requiredRole(method: string, path: string, permanent: boolean): Role {
  if (path.startsWith('/v1/admin/')) return 'admin'; // snapshots hold every tenant's data
  if (method === 'GET' || method === 'HEAD') return 'reader';
  if (method === 'POST' && (/^\/compatibility\//.test(path) || /^\/v1\/validate\//.test(path) || /^\/subjects\/[^/]+\/?$/.test(path))) return 'reader';
  if (method === 'POST' && /^\/subjects\/[^/]+\/versions\/?$/.test(path)) return 'writer';
  if (method === 'DELETE' && /^\/subjects\//.test(path) && !permanent) return 'writer';
  return 'admin';
}

let parsed: { spec: string; tokens: Map<string, Principal> } | undefined;

export const auth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const spec = c.env.AUTH_TOKENS ?? '';
  if (!spec) return next();
  if (parsed?.spec !== spec) parsed = { spec, tokens: parseTokens(spec) };
  const { tokens } = parsed;
  const token = presented(c.req.header('authorization'));
  const principal = token === undefined ? undefined : tokens.get(token);
  if (!principal) throw new RegistryError(ErrorCode.UNAUTHORIZED, 'Unauthorized: missing or unknown credentials');
  const url = new URL(c.req.url);
  const needed = requiredRole(c.req.method, url.pathname, url.searchParams.get('permanent') === 'true');
  if (RANK[principal.role] < RANK[needed]) throw new RegistryError(ErrorCode.FORBIDDEN, `Forbidden: this operation needs the ${needed} role`);
  if (principal.context) confineToContext(c.req.method, url, principal.context);
  c.set('role', principal.role);
  c.set('scope', principal.context);
  return next();
};
