/**
 * Authentication: who is calling. Credentials, in the order they are tried:
 * - an OIDC bearer JWT (`Authorization: Bearer <jwt>`) when OIDC_ISSUER is set (oidc.ts);
 * - the bootstrap admin `REGISTRY_ADMIN_KEY:REGISTRY_ADMIN_SECRET` (secrets);
 * - a managed API key `lsr_…:<secret>` (D1 api_keys, cached per isolate for KEY_CACHE_SECONDS);
 * - a static token from AUTH_TOKENS (secret).
 * `key:secret` pairs come as HTTP Basic (what Confluent clients send for `basic.auth.user.info`)
 * or as `Bearer key:secret`; a static token as `Bearer <token>` or as a Basic password.
 * With AUTH_MODE = "none" the registry is open (every caller is an anonymous admin). With no
 * credential source configured and no AUTH_MODE, it refuses to serve (503): secure by default.
 */
import type { Context } from 'hono';
import type { Grant } from '../domain/grant-rules';
import { MAX_GRANTS, parseGrantText } from '../domain/grants';
import { BoundedCache } from '../services/bounded-cache';
import { sha256Hex } from '../domain/hex';
import { type ApiKeyRow, constantTimeEqual, findKey, isKeyId, opens } from '../storage/api-keys';
import type { AppEnv, AuthState, Bindings, Principal } from './env';
import { looksLikeJwt, type OidcConfig, oidcConfig, verifyOidcToken } from './oidc';

const ANONYMOUS: Principal = { name: 'anonymous', grants: [{ role: 'admin' }], limitKey: 'anonymous' };

/** The request's authentication, decided once per request (routes and 404/405 share it). */
export function authenticate(c: Context<AppEnv>): Promise<AuthState> {
  let state = c.get('authState');
  if (!state) c.set('authState', (state = decide(c.env, c.req.header('authorization'))));
  return state;
}

let warned = false;

async function decide(env: Bindings, header: string | undefined): Promise<AuthState> {
  if (env.AUTH_MODE === 'none') {
    if (!warned) {
      warned = true;
      console.warn(JSON.stringify({ level: 'warn', event: 'auth-off', message: 'AUTH_MODE is "none": every caller is an anonymous admin' }));
    }
    return { kind: 'off', principal: ANONYMOUS };
  }
  let oidc: OidcConfig | undefined;
  try {
    oidc = oidcConfig(env);
  } catch (e) {
    return { kind: 'unconfigured', reason: (e as Error).message };
  }
  const bootstrap =
    env.REGISTRY_ADMIN_KEY && env.REGISTRY_ADMIN_SECRET ? { key: env.REGISTRY_ADMIN_KEY, secret: env.REGISTRY_ADMIN_SECRET } : undefined;
  if (!oidc && !bootstrap && !env.AUTH_TOKENS) return { kind: 'unconfigured' };

  const cred = presented(header);
  if (!cred) return { kind: 'refused', reason: 'missing credentials' };

  if (cred.kind === 'bearer' && looksLikeJwt(cred.token)) {
    if (!oidc) return { kind: 'refused', reason: 'unknown credentials' };
    const r = await verifyOidcToken(cred.token, oidc);
    if (r.ok) return { kind: 'ok', principal: { name: r.subject, grants: r.grants, limitKey: r.subject } };
    return r.transient
      ? { kind: 'unavailable', reason: r.reason, retryAfter: r.retryAfter }
      : { kind: 'refused', reason: 'invalid token', bearer: true };
  }

  const pair = cred.kind === 'basic' ? cred : splitPair(cred.token);
  if (pair && bootstrap && pair.user === bootstrap.key) {
    const ok = constantTimeEqual(await sha256Hex(pair.password), await bootstrapHash(bootstrap.secret));
    return ok
      ? { kind: 'ok', principal: { name: `bootstrap:${bootstrap.key}`, grants: [{ role: 'admin' }], limitKey: `bootstrap:${bootstrap.key}` } }
      : refused();
  }
  if (pair && isKeyId(pair.user)) {
    const row = await cachedKey(env, pair.user);
    if ((await opens(row, pair.password, Math.floor(Date.now() / 1000))) && row) {
      return { kind: 'ok', principal: { name: `key:${row.name} (${row.key})`, grants: row.grants, limitKey: `key:${row.key}` } };
    }
    return refused();
  }
  const token = cred.kind === 'basic' ? cred.password : cred.token;
  const principal = env.AUTH_TOKENS ? (await staticTokens(env.AUTH_TOKENS)).get(await sha256Hex(token)) : undefined;
  return principal ? { kind: 'ok', principal } : refused();
}

const refused = (): AuthState => ({ kind: 'refused', reason: 'unknown credentials' });

type Presented = { kind: 'bearer'; token: string } | { kind: 'basic'; user: string; password: string };

function presented(header: string | undefined): Presented | undefined {
  if (!header || header.length > 8192) return undefined;
  const m = /^(\S+)\s+(\S+)\s*$/.exec(header);
  if (!m) return undefined;
  const scheme = m[1].toLowerCase();
  if (scheme === 'bearer') return { kind: 'bearer', token: m[2] };
  if (scheme !== 'basic') return undefined;
  let decoded: string;
  try {
    const binary = atob(m[2]);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    decoded = STRICT_UTF8.decode(bytes);
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { kind: 'basic', user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Basic credentials are UTF-8 (RFC 7617 §2.1); bad bytes refuse them. Stateless between calls, so shared. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * The bootstrap secret's SHA-256, kept once computed: the presented secret is hashed on every
 * request and compared with it in constant time, whatever the lengths. Kept beside the secret, so
 * a changed secret is hashed again. The hash is kept, not the promise: no request waits on another
 * request's promise (services/generation.ts says why).
 */
let bootstrapHashed: { secret: string; hash: string } | undefined;

async function bootstrapHash(secret: string): Promise<string> {
  if (bootstrapHashed?.secret === secret) return bootstrapHashed.hash;
  const hash = await sha256Hex(secret);
  bootstrapHashed = { secret, hash };
  return hash;
}

function splitPair(token: string): { user: string; password: string } | undefined {
  const colon = token.indexOf(':');
  return colon > 0 ? { user: token.slice(0, colon), password: token.slice(colon + 1) } : undefined;
}

// Managed keys, cached per isolate: revocation, rotation and expiry reach every isolate within
// KEY_CACHE_SECONDS (default 5, at most 10). Unknown keys are cached too (as null), so a stream
// of made-up keys costs one D1 read per key per period, and failed authentications are limited.
const keys = new BoundedCache<{ row: ApiKeyRow | null; at: number }>(10_000, 10_000);

function keyCacheSeconds(env: Bindings): number {
  const n = Number(env.KEY_CACHE_SECONDS || '5');
  return Number.isFinite(n) ? Math.min(10, Math.max(0, n)) : 5;
}

async function cachedKey(env: Bindings, key: string): Promise<ApiKeyRow | null> {
  const hit = keys.get(key);
  if (hit && Date.now() - hit.at < keyCacheSeconds(env) * 1000) return hit.row;
  // The primary: a key created or revoked a moment ago is seen at once, whatever the replica lag.
  const row = await findKey(env.DB.withSession('first-primary'), key);
  keys.set(key, { row, at: Date.now() });
  return row;
}

/** This isolate forgets a key at once (after its revocation or rotation here). */
export function forgetKey(key: string): void {
  keys.delete(key);
}

let tokens: { spec: string; byHash: Map<string, Principal> } | undefined;

/**
 * AUTH_TOKENS: `token:grant[,token:grant…]`, grants in the compact form of domain/grants.ts
 * (`reader`, `writer@.ctx`, `admin@.ctx/prefix`); a token listed twice holds both grants, at most
 * MAX_GRANTS (64) as any credential. Tokens are kept by their SHA-256 so lookups compare hashes. A
 * malformed entry, or a token with more grants, fails loudly (500 and a log).
 */
async function staticTokens(spec: string): Promise<Map<string, Principal>> {
  if (tokens?.spec === spec) return tokens.byHash;
  // Each request that finds none parses its own (hashing is async): no request waits on another
  // request's promise (services/generation.ts says why).
  const byHash = await parseTokens(spec);
  tokens = { spec, byHash };
  return byHash;
}

async function parseTokens(spec: string): Promise<Map<string, Principal>> {
  const grants = new Map<string, Grant[]>();
  for (const entry of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const colon = entry.indexOf(':');
    const grant = colon > 0 ? parseGrantText(entry.slice(colon + 1)) : undefined;
    if (!grant) throw new Error('AUTH_TOKENS entries are token:role, token:role@.context or token:role@.context/subjectPrefix');
    const token = entry.slice(0, colon);
    const held = [...(grants.get(token) ?? []), grant];
    if (held.length > MAX_GRANTS) throw new Error(`AUTH_TOKENS: a token holds at most ${MAX_GRANTS} grants, as any credential`);
    grants.set(token, held);
  }
  const out = new Map<string, Principal>();
  for (const [token, g] of grants) {
    const hash = await sha256Hex(token);
    out.set(hash, { name: `token:${hash.slice(0, 12)}`, grants: g, limitKey: `token:${hash}` });
  }
  return out;
}
