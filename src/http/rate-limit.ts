/**
 * Write rate limit per client (Workers Rate Limiting binding WRITE_LIMITER, wrangler.toml). The
 * key is the presented credential, or the client IP when auth is off. Reads, lookups,
 * compatibility checks and validation are not limited: they are cheap and served from caches.
 */
import type { MiddlewareHandler } from 'hono';
import { ErrorCode, RegistryError } from '../domain/errors';
import { presented, requiredRole } from './auth';
import type { AppEnv } from './env';

export const RETRY_AFTER_SECONDS = 60;

export const rateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const url = new URL(c.req.url);
  if (requiredRole(c.req.method, url.pathname, url.searchParams.get('permanent') === 'true') === 'reader') return next();
  const key = presented(c.req.header('authorization')) ?? c.req.header('cf-connecting-ip') ?? 'anonymous';
  const { success } = await c.env.WRITE_LIMITER.limit({ key });
  if (!success) {
    c.header('retry-after', String(RETRY_AFTER_SECONDS));
    throw new RegistryError(ErrorCode.RATE_LIMITED, 'Too many write requests from this client; retry later');
  }
  return next();
};
