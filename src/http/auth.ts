/**
 * Authentication and roles. AUTH_TOKENS (a secret: `wrangler secret put AUTH_TOKENS`) lists
 * "token:role" pairs; empty disables auth (local development). Clients send the token as
 * `Authorization: Bearer <token>` or as the password of HTTP Basic (Confluent clients'
 * `basic.auth.user.info`). Roles nest: reader < writer < admin.
 */
import type { MiddlewareHandler } from 'hono';
import { ErrorCode, RegistryError } from '../domain/errors';
import type { AppEnv } from './env';

export type Role = 'reader' | 'writer' | 'admin';
const RANK: Record<Role, number> = { reader: 1, writer: 2, admin: 3 };

export function parseTokens(spec: string): Map<string, Role> {
  const tokens = new Map<string, Role>();
  for (const entry of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const at = entry.lastIndexOf(':');
    const role = entry.slice(at + 1) as Role;
    if (at <= 0 || !(role in RANK)) throw new Error(`AUTH_TOKENS entry must be token:reader|writer|admin`);
    tokens.set(entry.slice(0, at), role);
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

let parsed: { spec: string; tokens: Map<string, Role> } | undefined;

export const auth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const spec = c.env.AUTH_TOKENS ?? '';
  if (!spec) return next();
  if (parsed?.spec !== spec) parsed = { spec, tokens: parseTokens(spec) };
  const { tokens } = parsed;
  const token = presented(c.req.header('authorization'));
  const role = token === undefined ? undefined : tokens.get(token);
  if (!role) throw new RegistryError(ErrorCode.UNAUTHORIZED, 'Unauthorized: missing or unknown credentials');
  const url = new URL(c.req.url);
  const needed = requiredRole(c.req.method, url.pathname, url.searchParams.get('permanent') === 'true');
  if (RANK[role] < RANK[needed]) throw new RegistryError(ErrorCode.FORBIDDEN, `Forbidden: this operation needs the ${needed} role`);
  c.set('role', role);
  return next();
};
