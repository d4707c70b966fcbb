/**
 * OIDC bearer tokens (src/http/oidc.ts) against a real JWKS HTTP server on 127.0.0.1. Each test
 * starts its own issuer (a fresh port and a path of its own, hence a fresh per-isolate key store).
 * Time is moved with fake `Date` only (network timers stay real) to cross the freshness, cooldown
 * and backoff bounds.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  KEY_COOLDOWN_MS,
  KEY_FAILURE_BACKOFF_MS,
  KEY_FRESH_MS,
  KEY_MAX_STALE_MS,
  looksLikeJwt,
  MAX_TOKEN_BYTES,
  type OidcConfig,
  oidcConfig,
  verifyOidcToken,
} from '../../src/http/oidc';

// ---------------------------------------------------------------------------------------------
// A tiny issuer

type Alg = 'RS256' | 'ES256' | 'EdDSA';

interface SigningKey {
  kid: string;
  alg: Alg;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function makeKey(alg: Alg, kid: string): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg);
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, jwk };
}

interface Idp {
  issuer: string;
  /** What /jwks serves. */
  keys: SigningKey[];
  /**
   * 'ok', answer 500, never answer, serve a body that is not a key set, declare a body over the
   * bound (`huge`), or stream one without a length and without end (`endless`, 64 MiB of spaces).
   */
  mode: 'ok' | 'error' | 'hang' | 'garbage' | 'huge' | 'endless';
  /** Bytes the `endless` JWKS got written before the client stopped reading. */
  streamed: number;
  /** Overrides for the discovery document. */
  discovery: Record<string, unknown> | undefined;
  hits: { discovery: number; jwks: number };
  stop: () => Promise<void>;
}

const running: Idp[] = [];
/**
 * Each IdP's issuer has a path of its own (`/idp-N`, as Keycloak's `/realms/x`). The port alone is
 * not unique: the kernel hands a port freed by an earlier test to a later one, and the key store of
 * the earlier issuer on it (keyed by issuer, per isolate) would still hold that test's failure,
 * within a backoff the fake clock, reset to the same instant each test, never leaves (a CI flake).
 */
let idpCount = 0;

async function startIdp(keys: SigningKey[]): Promise<Idp> {
  const idp = { keys, mode: 'ok', discovery: undefined, hits: { discovery: 0, jwks: 0 }, streamed: 0 } as unknown as Idp;
  const prefix = `/idp-${++idpCount}`;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url?.startsWith(`${prefix}/`) ? req.url.slice(prefix.length) : undefined;
    // No keep-alive: a port freed by an earlier test's IdP can be handed to this one, and a pooled
    // socket to the old server would fail the first fetch ("fetch failed"), a flake seen in CI.
    res.setHeader('connection', 'close');
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === '/.well-known/openid-configuration') {
      idp.hits.discovery++;
      if (idp.mode === 'hang') return;
      if (idp.mode === 'error') return void res.writeHead(500).end();
      json({ issuer: idp.issuer, jwks_uri: `${idp.issuer}/keys/jwks.json`, ...idp.discovery });
      return;
    }
    if (path === '/keys/jwks.json') {
      idp.hits.jwks++;
      if (idp.mode === 'hang') return;
      if (idp.mode === 'error') return void res.writeHead(500).end();
      if (idp.mode === 'garbage') {
        json({ not: 'a key set' });
        return;
      }
      if (idp.mode === 'huge') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(300 * 1024) });
        res.end(' '.repeat(300 * 1024));
        return;
      }
      if (idp.mode === 'endless') {
        res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const more = () => {
          while (idp.streamed < 64 * 1024 * 1024 && !res.destroyed) {
            idp.streamed += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', more);
          }
          res.end();
        };
        res.on('error', () => undefined);
        more();
        return;
      }
      json({ keys: idp.keys.map((k) => k.jwk) });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  idp.issuer = `http://127.0.0.1:${port}${prefix}`;
  let stopped = false;
  idp.stop = async () => {
    if (stopped) return;
    stopped = true;
    server.closeAllConnections();
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
  };
  running.push(idp);
  return idp;
}

const AUDIENCE = 'schema-registry';

function configFor(idp: Idp, extra: Record<string, string> = {}): OidcConfig {
  const config = oidcConfig({ OIDC_ISSUER: idp.issuer, OIDC_AUDIENCE: AUDIENCE, ...extra });
  if (!config) throw new Error('OIDC is off');
  return config;
}

interface SignOptions {
  alg?: string;
  kid?: string | null;
  iss?: string;
  aud?: string | string[];
  sub?: string | null;
  /** Seconds from now; null: no exp. */
  exp?: number | null;
  /** Seconds from now. */
  nbf?: number;
}

const now = () => Math.floor(Date.now() / 1000);

async function sign(key: SigningKey, idp: Idp, claims: JWTPayload = {}, o: SignOptions = {}): Promise<string> {
  const payload: JWTPayload = { ...claims };
  payload.iss = o.iss ?? idp.issuer;
  payload.aud = o.aud ?? AUDIENCE;
  if (o.sub !== null) payload.sub = o.sub ?? 'user-1';
  payload.iat = now();
  if (o.exp !== null) payload.exp = now() + (o.exp ?? 300);
  if (o.nbf !== undefined) payload.nbf = now() + o.nbf;
  const header = { alg: o.alg ?? key.alg, ...(o.kid === null ? {} : { kid: o.kid ?? key.kid }) };
  return new SignJWT(payload).setProtectedHeader(header).sign(key.privateKey);
}

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Advance the fake clock (Date only). */
function advance(ms: number) {
  vi.setSystemTime(Date.now() + ms);
}

let warn: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
  warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(async () => {
  vi.useRealTimers();
  warn.mockRestore();
  await Promise.all(running.splice(0).map((idp) => idp.stop()));
});

// Keys are slow to generate (RSA): make them once.
let rsa: SigningKey;
let rsa2: SigningKey;
let ec: SigningKey;
let ed: SigningKey;
let attacker: SigningKey;

beforeAll(async () => {
  [rsa, rsa2, ec, ed, attacker] = await Promise.all([
    makeKey('RS256', 'rsa-1'),
    makeKey('RS256', 'rsa-2'),
    makeKey('ES256', 'ec-1'),
    makeKey('EdDSA', 'ed-1'),
    makeKey('RS256', 'rsa-1'), // same kid as the real key, different key
  ]);
});

// ---------------------------------------------------------------------------------------------

describe('oidcConfig', () => {
  it('is off without an issuer (unset or empty, as in wrangler.toml)', () => {
    expect(oidcConfig({})).toBeUndefined();
    expect(oidcConfig({ OIDC_ISSUER: '', OIDC_AUDIENCE: '', OIDC_JWKS_URL: '', OIDC_GRANTS_CLAIM: 'registry_grants' })).toBeUndefined();
  });

  it('refuses half configurations with a clear error', () => {
    expect(() => oidcConfig({ OIDC_ISSUER: 'https://idp.example.com' })).toThrow(/OIDC_AUDIENCE/);
    expect(() => oidcConfig({ OIDC_ISSUER: 'https://idp.example.com', OIDC_AUDIENCE: ' , ' })).toThrow(/OIDC_AUDIENCE/);
    expect(() => oidcConfig({ OIDC_AUDIENCE: 'registry' })).toThrow(/OIDC_ISSUER/);
  });

  it('refuses issuers and JWKS URLs that are not https (http only on loopback)', () => {
    expect(() => oidcConfig({ OIDC_ISSUER: 'http://idp.example.com', OIDC_AUDIENCE: 'a' })).toThrow(/https/);
    expect(() => oidcConfig({ OIDC_ISSUER: 'idp.example.com', OIDC_AUDIENCE: 'a' })).toThrow(/absolute URL/);
    expect(() => oidcConfig({ OIDC_ISSUER: 'https://idp.example.com', OIDC_AUDIENCE: 'a', OIDC_JWKS_URL: 'http://idp.example.com/jwks' })).toThrow(
      /OIDC_JWKS_URL/,
    );
    expect(oidcConfig({ OIDC_ISSUER: 'http://127.0.0.1:9999', OIDC_AUDIENCE: 'a' })?.issuer).toBe('http://127.0.0.1:9999');
    expect(oidcConfig({ OIDC_ISSUER: 'http://localhost:9999/realms/x', OIDC_AUDIENCE: 'a' })?.issuer).toBe('http://localhost:9999/realms/x');
  });

  it('has defaults, splits audiences, caps the skew', () => {
    const c = oidcConfig({ OIDC_ISSUER: 'https://tenant.auth0.com/', OIDC_AUDIENCE: 'https://registry.example.com, api://registry' })!;
    expect(c).toMatchObject({
      issuer: 'https://tenant.auth0.com/',
      audiences: ['https://registry.example.com', 'api://registry'],
      jwksUrl: undefined,
      grantsClaim: 'registry_grants',
      clockSkewSeconds: 60,
    });
    expect(oidcConfig({ OIDC_ISSUER: 'https://i.example', OIDC_AUDIENCE: 'a', OIDC_CLOCK_SKEW_SECONDS: '10' })!.clockSkewSeconds).toBe(10);
    expect(oidcConfig({ OIDC_ISSUER: 'https://i.example', OIDC_AUDIENCE: 'a', OIDC_CLOCK_SKEW_SECONDS: '3600' })!.clockSkewSeconds).toBe(300);
    expect(oidcConfig({ OIDC_ISSUER: 'https://i.example', OIDC_AUDIENCE: 'a', OIDC_CLOCK_SKEW_SECONDS: 0 })!.clockSkewSeconds).toBe(0);
    expect(() => oidcConfig({ OIDC_ISSUER: 'https://i.example', OIDC_AUDIENCE: 'a', OIDC_CLOCK_SKEW_SECONDS: '-5' })).toThrow(
      /OIDC_CLOCK_SKEW_SECONDS/,
    );
    expect(() => oidcConfig({ OIDC_ISSUER: 'https://i.example', OIDC_AUDIENCE: 'a', OIDC_CLOCK_SKEW_SECONDS: 'soon' })).toThrow(
      /OIDC_CLOCK_SKEW_SECONDS/,
    );
  });
});

describe('looksLikeJwt', () => {
  it('tells a JWT from API keys and static tokens', async () => {
    const idp = await startIdp([rsa]);
    expect(looksLikeJwt(await sign(rsa, idp))).toBe(true);
    expect(looksLikeJwt(`${b64url({ alg: 'none' })}.${b64url({ sub: 'x' })}.`)).toBe(true);
    expect(looksLikeJwt('lsr_abc123:s3cret')).toBe(false);
    expect(looksLikeJwt('static-token-value')).toBe(false);
    expect(looksLikeJwt('v1.abc.def')).toBe(false); // not a JSON header
    expect(looksLikeJwt('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0')).toBe(false); // two segments
    expect(looksLikeJwt('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig.extra')).toBe(false);
    expect(looksLikeJwt('eyJ+/.eyJ.sig')).toBe(false); // base64, not base64url
  });
});

describe('verifyOidcToken: accepted tokens', () => {
  it('RS256 with object grants: subject, grants, expiry', async () => {
    const idp = await startIdp([rsa]);
    const grants = [{ role: 'writer', context: '.orders', subjectPrefix: 'payments-' }, { role: 'reader' }];
    const token = await sign(rsa, idp, { registry_grants: grants }, { exp: 600 });
    const r = await verifyOidcToken(token, configFor(idp));
    expect(r).toEqual({ ok: true, subject: `oidc:${new URL(idp.issuer).host}/user-1`, grants, expiresAt: now() + 600 });
    expect(idp.hits).toEqual({ discovery: 1, jwks: 1 });
    // Keys are cached: a second token costs no fetch.
    expect((await verifyOidcToken(await sign(rsa, idp), configFor(idp))).ok).toBe(true);
    expect(idp.hits).toEqual({ discovery: 1, jwks: 1 });
  });

  it('ES256 and EdDSA, with compact string grants', async () => {
    const idp = await startIdp([ec, ed]);
    const es = await verifyOidcToken(await sign(ec, idp, { registry_grants: ['admin@.billing'] }), configFor(idp));
    expect(es).toMatchObject({ ok: true, grants: [{ role: 'admin', context: '.billing' }] });
    const eddsa = await verifyOidcToken(
      await sign(ed, idp, { registry_grants: ['reader', 'writer@.orders/payments-', 'writer@*/shared-'] }),
      configFor(idp),
    );
    expect(eddsa).toMatchObject({
      ok: true,
      grants: [{ role: 'reader' }, { role: 'writer', context: '.orders', subjectPrefix: 'payments-' }, { role: 'writer', subjectPrefix: 'shared-' }],
    });
  });

  it('a single grant (not in an array) is accepted', async () => {
    const idp = await startIdp([rsa]);
    const r = await verifyOidcToken(await sign(rsa, idp, { registry_grants: 'reader@.orders' }), configFor(idp));
    expect(r).toMatchObject({ ok: true, grants: [{ role: 'reader', context: '.orders' }] });
  });

  it('a dotted claim path (Keycloak realm_access.roles / resource_access.<client>.roles)', async () => {
    const idp = await startIdp([rsa]);
    const claims = { realm_access: { roles: ['reader@.orders'] }, resource_access: { 'schema-registry': { roles: ['admin'] } } };
    const realm = await verifyOidcToken(await sign(rsa, idp, claims), configFor(idp, { OIDC_GRANTS_CLAIM: 'realm_access.roles' }));
    expect(realm).toMatchObject({ ok: true, grants: [{ role: 'reader', context: '.orders' }] });
    const client = await verifyOidcToken(
      await sign(rsa, idp, claims),
      configFor(idp, { OIDC_GRANTS_CLAIM: 'resource_access.schema-registry.roles' }),
    );
    expect(client).toMatchObject({ ok: true, grants: [{ role: 'admin' }] });
  });

  it('a claim name with dots is first looked up whole (Auth0 namespaced claims)', async () => {
    const idp = await startIdp([rsa]);
    const claim = 'https://registry.example.com/grants';
    const r = await verifyOidcToken(await sign(rsa, idp, { [claim]: ['writer'] }), configFor(idp, { OIDC_GRANTS_CLAIM: claim }));
    expect(r).toMatchObject({ ok: true, grants: [{ role: 'writer' }] });
  });

  it('several audiences: the token needs one of them; an aud array works', async () => {
    const idp = await startIdp([rsa]);
    const config = configFor(idp, { OIDC_AUDIENCE: `api://registry,${AUDIENCE}` });
    expect((await verifyOidcToken(await sign(rsa, idp, {}, { aud: 'api://registry' }), config)).ok).toBe(true);
    expect((await verifyOidcToken(await sign(rsa, idp, {}, { aud: ['other', AUDIENCE] }), config)).ok).toBe(true);
  });

  it('a token without kid when exactly one key fits', async () => {
    const idp = await startIdp([rsa, ec]);
    expect((await verifyOidcToken(await sign(rsa, idp, {}, { kid: null }), configFor(idp))).ok).toBe(true);
  });

  it('exp and nbf within the clock skew are accepted', async () => {
    const idp = await startIdp([rsa]);
    expect((await verifyOidcToken(await sign(rsa, idp, {}, { exp: -30 }), configFor(idp))).ok).toBe(true);
    expect((await verifyOidcToken(await sign(rsa, idp, {}, { nbf: 30 }), configFor(idp))).ok).toBe(true);
  });
});

describe('verifyOidcToken: malformed or missing grants → authenticated with no grants', () => {
  const cases: [string, unknown][] = [
    ['a missing claim', undefined],
    ['an unknown role among good ones', ['reader', 'superuser']],
    ['an object grant with an unknown field', [{ role: 'reader', scope: 'all' }]],
    ['an object grant with an unknown role', [{ role: 'owner' }]],
    ['a bad context', ['reader@orders']],
    ['a number', 42],
    ['an empty array', []],
    ['too many grants', Array.from({ length: 65 }, () => 'reader')],
  ];
  it.each(cases)('%s', async (_name, value) => {
    const idp = await startIdp([rsa]);
    const token = await sign(rsa, idp, value === undefined ? {} : { registry_grants: value });
    expect(await verifyOidcToken(token, configFor(idp))).toMatchObject({ ok: true, subject: expect.stringContaining('/user-1'), grants: [] });
  });

  it('a dotted path that leads nowhere', async () => {
    const idp = await startIdp([rsa]);
    const token = await sign(rsa, idp, { realm_access: ['reader'] });
    expect(await verifyOidcToken(token, configFor(idp, { OIDC_GRANTS_CLAIM: 'realm_access.roles' }))).toMatchObject({ ok: true, grants: [] });
  });
});

describe('verifyOidcToken: refused tokens (401)', () => {
  const refused = (reason: RegExp) => ({ ok: false, transient: false, reason: expect.stringMatching(reason) });

  it('wrong issuer', async () => {
    const idp = await startIdp([rsa]);
    const r = await verifyOidcToken(await sign(rsa, idp, {}, { iss: 'https://evil.example.com' }), configFor(idp));
    expect(r).toEqual(refused(/issuer/));
  });

  it('wrong audience', async () => {
    const idp = await startIdp([rsa]);
    expect(await verifyOidcToken(await sign(rsa, idp, {}, { aud: 'another-api' }), configFor(idp))).toEqual(refused(/audience/));
  });

  it('expired beyond the skew', async () => {
    const idp = await startIdp([rsa]);
    expect(await verifyOidcToken(await sign(rsa, idp, {}, { exp: -61 }), configFor(idp))).toEqual(refused(/expired/));
    const strict = configFor(idp, { OIDC_CLOCK_SKEW_SECONDS: '0' });
    expect(await verifyOidcToken(await sign(rsa, idp, {}, { exp: -1 }), strict)).toEqual(refused(/expired/));
  });

  it('nbf in the future beyond the skew', async () => {
    const idp = await startIdp([rsa]);
    expect(await verifyOidcToken(await sign(rsa, idp, {}, { nbf: 120 }), configFor(idp))).toEqual(refused(/not yet valid/));
  });

  it('no exp', async () => {
    const idp = await startIdp([rsa]);
    expect(await verifyOidcToken(await sign(rsa, idp, {}, { exp: null }), configFor(idp))).toEqual(refused(/"exp"/));
  });

  it('no sub, or a sub that could forge log lines', async () => {
    const idp = await startIdp([rsa]);
    expect(await verifyOidcToken(await sign(rsa, idp, {}, { sub: null }), configFor(idp))).toEqual(refused(/"sub"/));
    expect(await verifyOidcToken(await sign(rsa, idp, {}, { sub: 'x\n{"level":"info"}' }), configFor(idp))).toEqual(refused(/"sub"/));
    expect(await verifyOidcToken(await sign(rsa, idp, {}, { sub: 'x'.repeat(256) }), configFor(idp))).toEqual(refused(/"sub"/));
  });

  it('HS256 signed with a guessed secret, or with the public key as the secret: refused before any fetch', async () => {
    const idp = await startIdp([rsa]);
    const claims = { iss: idp.issuer, aud: AUDIENCE, sub: 'admin', exp: now() + 300, registry_grants: ['admin'] };
    const guessed = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' }).sign(new TextEncoder().encode('secret'));
    expect(await verifyOidcToken(guessed, configFor(idp))).toEqual(refused(/algorithm not allowed/));
    const confused = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' })
      .sign(new TextEncoder().encode(JSON.stringify(rsa.jwk)));
    expect(await verifyOidcToken(confused, configFor(idp))).toEqual(refused(/algorithm not allowed/));
    expect(idp.hits).toEqual({ discovery: 0, jwks: 0 });
  });

  it('alg none (and case variants) refused before any fetch', async () => {
    const idp = await startIdp([rsa]);
    const payload = b64url({ iss: idp.issuer, aud: AUDIENCE, sub: 'admin', exp: now() + 300, registry_grants: ['admin'] });
    for (const alg of ['none', 'None', 'NONE']) {
      const token = `${b64url({ alg, typ: 'JWT' })}.${payload}.`;
      expect(await verifyOidcToken(token, configFor(idp))).toEqual(refused(/algorithm not allowed/));
    }
    expect(idp.hits).toEqual({ discovery: 0, jwks: 0 });
  });

  it('a signature by another key under the real kid', async () => {
    const idp = await startIdp([rsa]);
    expect(await verifyOidcToken(await sign(attacker, idp, { registry_grants: ['admin'] }), configFor(idp))).toEqual(refused(/signature/));
  });

  it('a tampered payload', async () => {
    const idp = await startIdp([rsa]);
    const [h, , s] = (await sign(rsa, idp, { registry_grants: ['reader'] })).split('.');
    const forged = b64url({ iss: idp.issuer, aud: AUDIENCE, sub: 'user-1', exp: now() + 300, registry_grants: ['admin'] });
    expect(await verifyOidcToken(`${h}.${forged}.${s}`, configFor(idp))).toEqual(refused(/signature/));
  });

  it('oversize tokens, before parsing or fetching', async () => {
    const idp = await startIdp([rsa]);
    const big = await sign(rsa, idp, { padding: 'x'.repeat(MAX_TOKEN_BYTES) });
    expect(looksLikeJwt(big)).toBe(true);
    expect(await verifyOidcToken(big, configFor(idp))).toEqual(refused(/larger than/));
    expect(idp.hits).toEqual({ discovery: 0, jwks: 0 });
  });

  it('not a JWT at all', async () => {
    const idp = await startIdp([rsa]);
    expect(await verifyOidcToken('lsr_abc:secret', configFor(idp))).toEqual(refused(/not a JWT/));
    expect(await verifyOidcToken('eyJub3QganNvbg.eyJ4IjoxfQ.c2ln', configFor(idp))).toEqual(refused(/malformed/));
  });

  it('reasons and logs never contain the token', async () => {
    const idp = await startIdp([rsa]);
    const config = configFor(idp);
    const tokens = [await sign(rsa, idp, {}, { exp: -3600 }), await sign(attacker, idp), await sign(rsa2, idp)];
    await idp.stop();
    advance(KEY_MAX_STALE_MS);
    tokens.push(await sign(rsa, idp));
    for (const token of tokens) {
      const r = await verifyOidcToken(token, config);
      expect(r.ok).toBe(false);
      const logged = JSON.stringify(r) + JSON.stringify(warn.mock.calls);
      for (const part of token.split('.').filter((p) => p.length > 8)) expect(logged).not.toContain(part);
    }
  });
});

describe('keys: rotation, removal, cooldown', () => {
  it('an unknown kid triggers a refetch (after the cooldown) and succeeds once the issuer has rotated', async () => {
    const idp = await startIdp([rsa]);
    const config = configFor(idp);
    expect((await verifyOidcToken(await sign(rsa, idp), config)).ok).toBe(true);
    expect(idp.hits.jwks).toBe(1);

    idp.keys = [rsa, rsa2]; // the issuer rotates: a new signing key
    // Right after a fetch, an unknown kid costs no fetch (cooldown) and is refused as invalid.
    const early = await verifyOidcToken(await sign(rsa2, idp), config);
    expect(early).toMatchObject({ ok: false, transient: false, reason: expect.stringMatching(/no key/) });
    expect(idp.hits.jwks).toBe(1);

    advance(KEY_COOLDOWN_MS + 1);
    expect(await verifyOidcToken(await sign(rsa2, idp), config)).toMatchObject({ ok: true });
    expect(idp.hits.jwks).toBe(2);
    // Both keys are now known: no more fetches.
    expect((await verifyOidcToken(await sign(rsa, idp), config)).ok).toBe(true);
    expect((await verifyOidcToken(await sign(rsa2, idp), config)).ok).toBe(true);
    expect(idp.hits.jwks).toBe(2);
  });

  it('a flood of made-up kids costs at most one fetch per cooldown', async () => {
    const idp = await startIdp([rsa]);
    const config = configFor(idp);
    await verifyOidcToken(await sign(rsa, idp), config);
    for (let i = 0; i < 20; i++) {
      const r = await verifyOidcToken(await sign(rsa, idp, {}, { kid: `made-up-${i}` }), config);
      expect(r).toMatchObject({ ok: false, transient: false });
    }
    expect(idp.hits.jwks).toBe(1);
    advance(KEY_COOLDOWN_MS + 1);
    for (let i = 0; i < 20; i++) await verifyOidcToken(await sign(rsa, idp, {}, { kid: `made-up-${i}` }), config);
    expect(idp.hits.jwks).toBe(2);
  });

  it('a key removed from the JWKS is refused once the cached keys are no longer fresh', async () => {
    const idp = await startIdp([rsa, rsa2]);
    const config = configFor(idp);
    expect((await verifyOidcToken(await sign(rsa, idp), config)).ok).toBe(true);
    idp.keys = [rsa2]; // rsa-1 withdrawn (e.g. compromised)

    advance(KEY_FRESH_MS - 1_000); // still fresh: the bound on revocation
    expect((await verifyOidcToken(await sign(rsa, idp), config)).ok).toBe(true);
    expect(idp.hits.jwks).toBe(1);

    advance(2_000); // stale: refetched
    const r = await verifyOidcToken(await sign(rsa, idp), config);
    expect(r).toMatchObject({ ok: false, transient: false, reason: expect.stringMatching(/no key/) });
    expect(idp.hits.jwks).toBe(2);
    expect((await verifyOidcToken(await sign(rsa2, idp), config)).ok).toBe(true);
  });

  it('an explicit OIDC_JWKS_URL skips discovery', async () => {
    const idp = await startIdp([ec]);
    const config = configFor(idp, { OIDC_JWKS_URL: `${idp.issuer}/keys/jwks.json` });
    expect((await verifyOidcToken(await sign(ec, idp), config)).ok).toBe(true);
    expect(idp.hits).toEqual({ discovery: 0, jwks: 1 });
  });
});

describe('keys unavailable → transient (503), never a throw', () => {
  const transient = (reason: RegExp) => ({ ok: false, transient: true, reason: expect.stringMatching(reason), retryAfter: expect.any(Number) });

  it('the issuer is down from the start', async () => {
    const idp = await startIdp([rsa]);
    const token = await sign(rsa, idp);
    await idp.stop();
    const r = await verifyOidcToken(token, configFor(idp));
    expect(r).toEqual(transient(/OIDC keys unavailable: discovery document .* could not be fetched/));
    expect(!r.ok && r.transient && r.retryAfter).toBeGreaterThanOrEqual(1);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('JWKS answers 500; within the backoff no refetch; afterwards it recovers', async () => {
    const idp = await startIdp([rsa]);
    const config = configFor(idp, { OIDC_JWKS_URL: `${idp.issuer}/keys/jwks.json` });
    idp.mode = 'error';
    expect(await verifyOidcToken(await sign(rsa, idp), config)).toEqual(transient(/HTTP 500/));
    expect(idp.hits.jwks).toBe(1);

    advance(KEY_FAILURE_BACKOFF_MS / 2);
    const fast = await verifyOidcToken(await sign(rsa, idp), config);
    expect(fast).toEqual(transient(/HTTP 500/));
    expect(!fast.ok && fast.transient && fast.retryAfter).toBeLessThanOrEqual(Math.ceil(KEY_FAILURE_BACKOFF_MS / 2000));
    expect(idp.hits.jwks).toBe(1);

    idp.mode = 'ok';
    advance(KEY_FAILURE_BACKOFF_MS);
    expect((await verifyOidcToken(await sign(rsa, idp), config)).ok).toBe(true);
    expect(idp.hits.jwks).toBe(2);
  });

  it('a JWKS that does not answer in time', async () => {
    const idp = await startIdp([rsa]);
    idp.mode = 'hang';
    const config = { ...configFor(idp), fetchTimeoutMs: 200 };
    const started = performance.now();
    expect(await verifyOidcToken(await sign(rsa, idp), config)).toEqual(transient(/did not answer within 200 ms/));
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('a JWKS that is not a key set', async () => {
    const idp = await startIdp([rsa]);
    idp.mode = 'garbage';
    expect(await verifyOidcToken(await sign(rsa, idp), configFor(idp))).toEqual(transient(/not a JSON Web Key Set/));
  });

  it('a JWKS declared larger than its bound is not read', async () => {
    const idp = await startIdp([rsa]);
    idp.mode = 'huge';
    expect(await verifyOidcToken(await sign(rsa, idp), configFor(idp))).toEqual(transient(/larger than 262144 bytes/));
  });

  it('a JWKS streamed without a length is read up to its bound only', async () => {
    const idp = await startIdp([rsa]);
    idp.mode = 'endless';
    expect(await verifyOidcToken(await sign(rsa, idp), configFor(idp))).toEqual(transient(/larger than 262144 bytes/));
    // The bound (256 KiB) plus what the sockets buffer, not the 64 MiB the IdP would send.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(idp.streamed).toBeLessThan(16 * 1024 * 1024);
  });

  it('a discovery document naming another issuer (e.g. a trailing-slash mismatch)', async () => {
    const idp = await startIdp([rsa]);
    idp.discovery = { issuer: `${idp.issuer}/` };
    expect(await verifyOidcToken(await sign(rsa, idp), configFor(idp))).toEqual(transient(/OIDC_ISSUER/));
    expect(idp.hits.jwks).toBe(0);
  });

  it('a discovery document without jwks_uri, or with a non-https one', async () => {
    const idp = await startIdp([rsa]);
    idp.discovery = { jwks_uri: undefined };
    expect(await verifyOidcToken(await sign(rsa, idp), configFor(idp))).toEqual(transient(/OIDC_JWKS_URL/));
    const idp2 = await startIdp([rsa]);
    idp2.discovery = { jwks_uri: 'http://keys.example.com/jwks' };
    expect(await verifyOidcToken(await sign(rsa, idp2), configFor(idp2))).toEqual(transient(/https/));
  });

  it('stale keys keep working while the issuer is down, up to the stale bound', async () => {
    const idp = await startIdp([rsa]);
    const config = configFor(idp);
    expect((await verifyOidcToken(await sign(rsa, idp), config)).ok).toBe(true);
    await idp.stop();

    advance(KEY_FRESH_MS + 1); // stale: the refresh fails, the cached keys are kept
    expect((await verifyOidcToken(await sign(rsa, idp), config)).ok).toBe(true);
    expect(warn).toHaveBeenCalledTimes(1);
    advance(1_000); // within the failure backoff: no refetch attempt, still fine
    expect((await verifyOidcToken(await sign(rsa, idp), config)).ok).toBe(true);
    expect(warn).toHaveBeenCalledTimes(1);

    advance(KEY_MAX_STALE_MS); // too old to trust without the issuer
    expect(await verifyOidcToken(await sign(rsa, idp), config)).toEqual(transient(/unavailable/));
  });

  it('an unknown kid while the issuer is down is transient (it may be a rotation)', async () => {
    const idp = await startIdp([rsa]);
    const config = configFor(idp);
    expect((await verifyOidcToken(await sign(rsa, idp), config)).ok).toBe(true);
    await idp.stop();
    advance(KEY_COOLDOWN_MS + 1);
    expect(await verifyOidcToken(await sign(rsa2, idp), config)).toEqual(transient(/unavailable/));
    // The known key still works meanwhile.
    expect((await verifyOidcToken(await sign(rsa, idp), config)).ok).toBe(true);
  });
});
