/**
 * OIDC bearer tokens: a JWT from one configured issuer, verified against the issuer's JWKS with
 * `jose`. Self-contained: authenticate.ts decides when a credential is a JWT (`looksLikeJwt`) and
 * maps the outcome to HTTP (ok → principal; transient → 503 + Retry-After; otherwise → 401).
 * docs/oidc.md is the operator's page.
 *
 * What is checked, in order: size (≤ MAX_TOKEN_BYTES, before any parsing), shape, `alg` (asymmetric
 * only: never `none` or HS*; checked before any key is looked up), the signature against the
 * issuer's keys, `iss` (exact), `aud` (one of OIDC_AUDIENCE), `exp` (required), `nbf`, both with
 * OIDC_CLOCK_SKEW_SECONDS of tolerance, and `sub` (required, ≤ 255 characters, no control chars).
 * Grants come from OIDC_GRANTS_CLAIM through `parseGrants`; a missing or malformed claim gives an
 * authenticated caller with zero grants (the caller decides: every route then answers 403).
 *
 * Keys: one store per (issuer, JWKS URL) in module scope, i.e. per isolate. See KEY_* below for the
 * bounds; the rules are in `KeyStore`. No in-flight promise is shared across requests (a Worker
 * must not await I/O started by another request), so a cold isolate may fetch once per concurrent
 * request; a warm one refreshes from a single request while the others use the cached keys.
 *
 * Never logged: the token, any claim other than the issuer's host and the subject.
 */
import { createLocalJWKSet, type JSONWebKeySet, type JWSHeaderParameters, type JWTPayload, jwtVerify } from 'jose';
import type { Grant } from '../domain/grant-rules';
import { parseGrants } from '../domain/grants';
import { readUpTo } from '../services/bounded-body';

// ---------------------------------------------------------------------------------------------
// Bounds

/** Tokens longer than this (in characters; a JWT is ASCII) are refused before parsing. */
export const MAX_TOKEN_BYTES = 8 * 1024;
/** Cached keys younger than this are used without a fetch. A key removed from the JWKS is
 *  refused within this long (per isolate) when the issuer is reachable. */
export const KEY_FRESH_MS = 5 * 60_000;
/** When a refresh fails, cached keys keep being used until they are this old (stale-if-error);
 *  after that, tokens are refused as transient until the JWKS can be fetched again. */
export const KEY_MAX_STALE_MS = 60 * 60_000;
/** After a successful fetch, an unknown `kid` does not trigger another fetch for this long (a
 *  flood of made-up kids costs the issuer at most one fetch per isolate per cooldown). */
export const KEY_COOLDOWN_MS = 10_000;
/** After a failed fetch, no new fetch for this long: tokens that need one fail fast (transient). */
export const KEY_FAILURE_BACKOFF_MS = 10_000;
/** The discovered `jwks_uri` is re-read at the first refresh after this long. */
const DISCOVERY_MAX_AGE_MS = 60 * 60_000;
/** Default per-fetch timeout (discovery document, JWKS), body included. */
const DEFAULT_FETCH_TIMEOUT_MS = 3_000;
/** Largest discovery document or JWKS read. */
const MAX_DOCUMENT_BYTES = 256 * 1024;
const DEFAULT_GRANTS_CLAIM = 'registry_grants';
const DEFAULT_CLOCK_SKEW_SECONDS = 60;
const MAX_CLOCK_SKEW_SECONDS = 300;

/** Asymmetric JWS algorithms only (`Ed25519` is the fully specified name of EdDSA over Ed25519). */
const ALLOWED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;

// ---------------------------------------------------------------------------------------------
// Configuration

/** The Worker vars this module reads (empty strings mean unset, as in wrangler.toml). */
export interface OidcEnv {
  OIDC_ISSUER?: string;
  OIDC_AUDIENCE?: string;
  OIDC_JWKS_URL?: string;
  OIDC_GRANTS_CLAIM?: string;
  OIDC_CLOCK_SKEW_SECONDS?: string | number;
}

export interface OidcConfig {
  /** Exactly the tokens' `iss` (compared as a string: mind a trailing slash). */
  readonly issuer: string;
  /** OIDC_AUDIENCE, comma-separated: a token's `aud` must contain at least one of them. */
  readonly audiences: readonly string[];
  /** OIDC_JWKS_URL; undefined → discovered from `${issuer}/.well-known/openid-configuration`. */
  readonly jwksUrl: string | undefined;
  /** A top-level claim name, or a dotted path (`realm_access.roles`) when no such claim exists. */
  readonly grantsClaim: string;
  readonly clockSkewSeconds: number;
  /** Per fetch (discovery, JWKS), body included. Not an env var; default DEFAULT_FETCH_TIMEOUT_MS. */
  readonly fetchTimeoutMs: number;
}

let memo: { key: string; config: OidcConfig | undefined } | undefined;

/**
 * The OIDC configuration, or undefined when OIDC is off (OIDC_ISSUER unset or empty). Throws an
 * Error naming the variable for a half or invalid configuration (issuer without audience, a
 * non-https issuer, a bad skew): a misconfigured registry must not quietly fall back to other
 * credentials. Memoized on the values, so calling it per request is cheap.
 */
export function oidcConfig(env: OidcEnv): OidcConfig | undefined {
  const raw = [env.OIDC_ISSUER, env.OIDC_AUDIENCE, env.OIDC_JWKS_URL, env.OIDC_GRANTS_CLAIM, env.OIDC_CLOCK_SKEW_SECONDS];
  const key = JSON.stringify(raw);
  if (memo?.key === key) return memo.config;
  const config = buildConfig(env);
  memo = { key, config };
  return config;
}

function buildConfig(env: OidcEnv): OidcConfig | undefined {
  const issuer = (env.OIDC_ISSUER ?? '').trim();
  const audience = (env.OIDC_AUDIENCE ?? '').trim();
  const jwksUrl = (env.OIDC_JWKS_URL ?? '').trim();
  if (!issuer) {
    if (audience || jwksUrl)
      throw new Error('OIDC_AUDIENCE or OIDC_JWKS_URL is set but OIDC_ISSUER is not: set OIDC_ISSUER to enable OIDC, or clear them');
    return undefined;
  }
  checkUrl('OIDC_ISSUER', issuer);
  if (!audience) throw new Error("OIDC_ISSUER is set but OIDC_AUDIENCE is not: set OIDC_AUDIENCE to the audience (aud) the registry's tokens carry");
  const audiences = audience
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a.length > 0);
  if (audiences.length === 0) throw new Error('OIDC_AUDIENCE has no audience in it');
  if (jwksUrl) checkUrl('OIDC_JWKS_URL', jwksUrl);

  const grantsClaim = (env.OIDC_GRANTS_CLAIM ?? '').trim() || DEFAULT_GRANTS_CLAIM;

  const skewRaw = env.OIDC_CLOCK_SKEW_SECONDS;
  let clockSkewSeconds = DEFAULT_CLOCK_SKEW_SECONDS;
  if (skewRaw !== undefined && String(skewRaw).trim() !== '') {
    const n = Number(String(skewRaw).trim());
    if (!Number.isInteger(n) || n < 0) throw new Error(`OIDC_CLOCK_SKEW_SECONDS must be a whole number of seconds ≥ 0 (got "${skewRaw}")`);
    clockSkewSeconds = Math.min(n, MAX_CLOCK_SKEW_SECONDS);
  }

  return { issuer, audiences, jwksUrl: jwksUrl || undefined, grantsClaim, clockSkewSeconds, fetchTimeoutMs: DEFAULT_FETCH_TIMEOUT_MS };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https, or http on a loopback host (local development and tests); no query or fragment. */
function checkUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} is not an absolute URL: "${value}"`);
  }
  const ok = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  if (!ok) throw new Error(`${name} must be an https URL (http only on localhost): "${value}"`);
  if (url.search || url.hash || url.username || url.password) throw new Error(`${name} must not carry a query, fragment or credentials: "${value}"`);
  return url;
}

// ---------------------------------------------------------------------------------------------
// Tokens

/**
 * Does the credential look like a JWT (JWS compact form: three base64url segments, the first a
 * JSON object, i.e. starting with `eyJ`)? API keys (`key:secret`) and static tokens do not (static
 * tokens must not have this shape). The signature may be empty, so that an `alg: none` token is
 * routed here and refused with a precise reason. Oversize tokens still look like JWTs (and are
 * then refused by `verifyOidcToken`).
 */
export function looksLikeJwt(token: string): boolean {
  return /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

export type OidcResult =
  | {
      ok: true;
      /** The principal's name for the audit, logs and the rate-limit key: `oidc:<issuer host>/<sub>`. */
      subject: string;
      /** From the grants claim; [] when it is missing or malformed. */
      grants: Grant[];
      /** The token's `exp`, Unix seconds. */
      expiresAt: number;
    }
  /** The token is not acceptable: answer 401. `reason` never contains the token. */
  | { ok: false; transient: false; reason: string }
  /** The issuer's keys cannot be had (or the OIDC setup is broken): answer 503 with Retry-After. */
  | { ok: false; transient: true; reason: string; retryAfter: number };

const invalid = (reason: string): OidcResult => ({ ok: false, transient: false, reason });

/** Verify a bearer JWT. Never throws; never logs the token. */
export async function verifyOidcToken(token: string, config: OidcConfig): Promise<OidcResult> {
  if (typeof token !== 'string' || token.length === 0) return invalid('empty token');
  if (token.length > MAX_TOKEN_BYTES) return invalid(`token larger than ${MAX_TOKEN_BYTES} bytes`);
  if (!looksLikeJwt(token)) return invalid('not a JWT (JWS compact serialization)');

  const store = keyStore(config);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, (header: JWSHeaderParameters) => store.key(header), {
      algorithms: [...ALLOWED_ALGORITHMS],
      issuer: config.issuer,
      audience: [...config.audiences],
      clockTolerance: config.clockSkewSeconds,
      requiredClaims: ['exp', 'sub'],
    }));
  } catch (err) {
    if (err instanceof KeysUnavailable) return { ok: false, transient: true, reason: err.message, retryAfter: err.retryAfter };
    return invalid(reasonOf(err));
  }

  const sub = payload.sub;
  // OIDC Core: sub is at most 255 ASCII characters. Control characters would forge log lines.
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 255 || /[\u0000-\u001f\u007f]/.test(sub)) {
    return invalid('"sub" claim is not a valid subject');
  }
  const grants = parseGrants(claimAt(payload, config.grantsClaim)) ?? [];
  return { ok: true, subject: `oidc:${new URL(config.issuer).host}/${sub}`, grants, expiresAt: payload.exp as number };
}

/**
 * A claim by name: the top-level claim if it exists (Auth0-style `https://example.com/grants`
 * names contain dots), else the dotted path through nested objects (`realm_access.roles`).
 */
function claimAt(payload: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(payload, name)) return payload[name];
  let cur: unknown = payload;
  for (const part of name.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** A short, stable reason from a jose error (no token content: jose messages name claims, not values). */
function reasonOf(err: unknown): string {
  const e = err as { code?: string; claim?: string; reason?: string; message?: string } | null;
  switch (e?.code) {
    case 'ERR_JWT_EXPIRED':
      return 'token expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (e.reason === 'missing') return `missing "${e.claim}" claim`;
      if (e.claim === 'nbf') return 'token not yet valid (nbf)';
      if (e.claim === 'iss') return 'unexpected issuer';
      if (e.claim === 'aud') return 'unexpected audience';
      return `invalid "${e.claim}" claim`;
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'algorithm not allowed (asymmetric algorithms only)';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'signature verification failed';
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return "no key in the issuer's JWKS matches the token (kid/alg)";
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      // jose does not try each candidate; neither do we (a kid-less token would cost one
      // signature check per key). Every mainstream issuer sets kid.
      return 'several JWKS keys match the token (it names no kid, or the JWKS repeats one)';
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return 'malformed token';
    case 'ERR_JOSE_NOT_SUPPORTED':
    case 'ERR_JWKS_INVALID':
    case 'ERR_JWK_INVALID':
      return "the token's key or algorithm is not supported";
    default:
      return 'token verification failed';
  }
}

// ---------------------------------------------------------------------------------------------
// Keys

/** Thrown by the key resolver when the JWKS cannot be had: verifyOidcToken answers transient. */
class KeysUnavailable extends Error {
  constructor(
    message: string,
    readonly retryAfter: number,
  ) {
    super(message);
  }
}

type LocalSet = ReturnType<typeof createLocalJWKSet>;

/**
 * The keys of one issuer in one isolate.
 * - Fresh keys (< KEY_FRESH_MS) are used as they are.
 * - Stale keys (< KEY_MAX_STALE_MS): the request that notices refreshes (others meanwhile use the
 *   stale keys); if the refresh fails, the stale keys are kept.
 * - No keys, or too old: the request fetches; a failure is transient.
 * - A token whose kid (and alg) matches no key: refetch, unless the last successful fetch is
 *   younger than KEY_COOLDOWN_MS (then it is refused: invalid, not transient).
 * - After a failed fetch, no fetch for KEY_FAILURE_BACKOFF_MS: requests that need one fail fast.
 */
class KeyStore {
  private local: LocalSet | undefined;
  private fetchedAt = 0;
  private failedAt = 0;
  private failure = '';
  private refreshingSince = 0;
  private discovered: { url: string; at: number } | undefined;

  constructor(private readonly config: OidcConfig) {}

  async key(header: JWSHeaderParameters): Promise<CryptoKey> {
    const now = Date.now();
    const age = now - this.fetchedAt;
    if (!this.local || age >= KEY_MAX_STALE_MS) {
      await this.refresh(now);
    } else if (age >= KEY_FRESH_MS && !this.refreshing(now) && !this.backingOff(now)) {
      try {
        await this.refresh(now);
      } catch {
        // Stale-if-error: keep the keys we have (refresh logged the failure).
      }
    }
    try {
      // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- jose's CryptoKey is the runtime's; only the two type declarations differ
      return await this.keys()(header);
    } catch (err) {
      if ((err as { code?: string }).code !== 'ERR_JWKS_NO_MATCHING_KEY') throw err;
      const t = Date.now();
      if (t - this.fetchedAt < KEY_COOLDOWN_MS) throw err;
      await this.refresh(t);
      return this.keys()(header);
    }
  }

  /** The key set a refresh installed (refresh throws rather than leave none). */
  private keys(): NonNullable<typeof this.local> {
    if (!this.local) throw new Error('no JWKS loaded');
    return this.local;
  }

  private refreshing(now: number): boolean {
    return this.refreshingSince > 0 && now - this.refreshingSince < 2 * this.config.fetchTimeoutMs + 1_000;
  }

  private backingOff(now: number): boolean {
    return now - this.failedAt < KEY_FAILURE_BACKOFF_MS;
  }

  /** Fetch the JWKS (discovering its URL if need be) or throw KeysUnavailable. */
  private async refresh(now: number): Promise<void> {
    if (this.backingOff(now)) {
      throw new KeysUnavailable(
        `OIDC keys unavailable: ${this.failure}`,
        Math.max(1, Math.ceil((this.failedAt + KEY_FAILURE_BACKOFF_MS - now) / 1000)),
      );
    }
    this.refreshingSince = now;
    try {
      const url = await this.jwksUrl(now);
      let jwks: unknown;
      try {
        jwks = await fetchJson(url, 'JWKS', this.config.fetchTimeoutMs);
      } catch (err) {
        this.discovered = undefined; // the issuer may have moved its keys: discover again next time
        throw err;
      }
      let local: LocalSet;
      try {
        local = createLocalJWKSet(jwks as JSONWebKeySet);
      } catch {
        throw new Error(`JWKS at ${url} is not a JSON Web Key Set`);
      }
      this.local = local;
      this.fetchedAt = Date.now();
      this.failure = '';
    } catch (err) {
      this.failedAt = Date.now();
      this.failure = (err as Error).message;
      console.warn(JSON.stringify({ level: 'warn', event: 'oidc-keys-unavailable', issuer: this.config.issuer, message: this.failure }));
      throw new KeysUnavailable(`OIDC keys unavailable: ${this.failure}`, Math.ceil(KEY_FAILURE_BACKOFF_MS / 1000));
    } finally {
      this.refreshingSince = 0;
    }
  }

  private async jwksUrl(now: number): Promise<string> {
    if (this.config.jwksUrl) return this.config.jwksUrl;
    if (this.discovered && now - this.discovered.at < DISCOVERY_MAX_AGE_MS) return this.discovered.url;
    const where = `${this.config.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const doc = await fetchJson(where, 'discovery document', this.config.fetchTimeoutMs);
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`discovery document at ${where} is not a JSON object`);
    const { issuer, jwks_uri: jwksUri } = doc as { issuer?: unknown; jwks_uri?: unknown };
    // OpenID Connect Discovery 1.0 §4.3: the document's issuer MUST be identical to the issuer.
    if (issuer !== this.config.issuer) {
      throw new Error(
        `discovery document at ${where} names issuer ${JSON.stringify(issuer)}, not OIDC_ISSUER "${this.config.issuer}" (set OIDC_ISSUER exactly as the tokens' iss)`,
      );
    }
    if (typeof jwksUri !== 'string') throw new Error(`discovery document at ${where} has no jwks_uri (set OIDC_JWKS_URL)`);
    try {
      checkUrl('jwks_uri', jwksUri);
    } catch (err) {
      throw new Error(`discovery document at ${where}: ${(err as Error).message}`);
    }
    this.discovered = { url: jwksUri, at: Date.now() };
    return jwksUri;
  }
}

/** One GET of a JSON document: 200 only (no redirects), bounded size, one timeout for it all. */
async function fetchJson(url: string, what: string, timeoutMs: number): Promise<unknown> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, { method: 'GET', redirect: 'manual', signal, headers: { accept: 'application/json, application/jwk-set+json' } });
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => undefined);
      throw new Error(`${what} at ${url} answered HTTP ${res.status}`);
    }
    const text = await readBounded(res, MAX_DOCUMENT_BYTES, `${what} at ${url}`);
    try {
      return JSON.parse(text);
    } catch {
      throw new Error(`${what} at ${url} is not JSON`);
    }
  } catch (err) {
    if (signal.aborted) throw new Error(`${what} at ${url} did not answer within ${timeoutMs} ms`);
    const e = err as Error;
    if (e.message.startsWith(what)) throw e;
    // Node's fetch says only "fetch failed" and keeps the reason (ECONNREFUSED, a reset) in `cause`.
    const cause = e.cause instanceof Error ? `: ${e.cause.message}` : '';
    throw new Error(`${what} at ${url} could not be fetched (${e.name}: ${e.message}${cause})`);
  }
}

async function readBounded(res: Response, max: number, what: string): Promise<string> {
  const tooLarge = new Error(`${what} is larger than ${max} bytes`);
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge;
  }
  const read = await readUpTo(res.body, max);
  if (!read) throw tooLarge;
  return read.text;
}

/** Stores by issuer, JWKS URL and timeout; a few at most (configs rarely change in an isolate). */
const stores = new Map<string, KeyStore>();
const MAX_STORES = 8;

function keyStore(config: OidcConfig): KeyStore {
  const key = `${config.issuer}\n${config.jwksUrl ?? ''}\n${config.fetchTimeoutMs}`;
  let store = stores.get(key);
  if (!store) {
    store = new KeyStore(config);
    stores.set(key, store);
    while (stores.size > MAX_STORES) stores.delete(stores.keys().next().value as string);
  }
  return store;
}
