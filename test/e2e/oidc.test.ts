/**
 * OIDC bearer tokens end to end: the BUILT Worker (dist/index.js) under Miniflare with
 * OIDC_ISSUER pointing at a tiny issuer on 127.0.0.1 (discovery document + JWKS, node:http) that
 * this test starts, tokens signed here with jose. What is checked is the whole path a request
 * takes in production: authenticate.ts → oidc.ts (discovery, JWKS fetch, verification) →
 * authorize.ts (grants per route, 401/403/503) → the audit log.
 *
 * Bounded: four Miniflare instances in all, 127.0.0.1 only. The one wait is the key-rotation case,
 * which must let the unknown-kid cooldown (KEY_COOLDOWN_MS, 10 s after the last JWKS fetch) pass;
 * it runs last, so the other cases spend most of that time.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_COOLDOWN_MS, KEY_FAILURE_BACKOFF_MS } from '../../src/http/oidc';
import { ROOT } from './registry-worker.mjs';
import { type RunningWorker, startWorker } from './worker';

const AUDIENCE = 'llm-schema-registry';
const CONTENT = { 'content-type': 'application/vnd.schemaregistry.v1+json' };
const SCHEMA = JSON.stringify({ type: 'record', name: 'Payment', fields: [{ name: 'id', type: 'long' }] });

// ---------------------------------------------------------------------------------------------
// A tiny issuer on 127.0.0.1

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function makeKey(kid: string): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

interface Issuer {
  url: string;
  host: string;
  /** What the JWKS endpoint serves (mutable: rotation). */
  keys: SigningKey[];
  hits: { discovery: number; jwks: number; lastJwksAt: number };
  stop: () => Promise<void>;
}

async function startIssuer(keys: SigningKey[]): Promise<Issuer> {
  const issuer = { keys, hits: { discovery: 0, jwks: 0, lastJwksAt: 0 } } as Issuer;
  const server: Server = createServer((req, res) => {
    const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/.well-known/openid-configuration') {
      issuer.hits.discovery++;
      return json({ issuer: issuer.url, jwks_uri: `${issuer.url}/jwks`, id_token_signing_alg_values_supported: ['ES256'] });
    }
    if (req.url === '/jwks') {
      issuer.hits.jwks++;
      issuer.hits.lastJwksAt = Date.now();
      return json({ keys: issuer.keys.map((k) => k.jwk) });
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  issuer.host = `127.0.0.1:${port}`;
  issuer.url = `http://${issuer.host}`;
  let stopped: Promise<void> | undefined;
  issuer.stop = () =>
    (stopped ??= new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
      server.closeAllConnections(); // workerd keeps connections alive
    }));
  return issuer;
}

// ---------------------------------------------------------------------------------------------
// Tokens

/** Every token this file minted, to prove none of them reaches the audit log or an answer. */
const minted: string[] = [];

interface TokenOptions {
  sub: string;
  grants?: unknown;
  key?: SigningKey;
  aud?: string;
  iss?: string;
  /** Seconds from now (negative: expired). */
  expiresIn?: number;
}

async function token(o: TokenOptions): Promise<string> {
  const key = o.key ?? k1;
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(o.grants === undefined ? {} : { registry_grants: o.grants })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'at+jwt' })
    .setIssuer(o.iss ?? idp.url)
    .setAudience(o.aud ?? AUDIENCE)
    .setSubject(o.sub)
    .setIssuedAt(now)
    .setExpirationTime(now + (o.expiresIn ?? 300));
  const t = await jwt.sign(key.privateKey);
  minted.push(t);
  return t;
}

/** An HS256 token, keyed with a secret that an attacker might guess or take from the JWKS. */
async function hs256(sub: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const t = await new SignJWT({ registry_grants: ['admin'] })
    .setProtectedHeader({ alg: 'HS256', kid: k1.kid })
    .setIssuer(idp.url)
    .setAudience(AUDIENCE)
    .setSubject(sub)
    .setExpirationTime(now + 300)
    .sign(new TextEncoder().encode(JSON.stringify(k1.jwk)));
  minted.push(t);
  return t;
}

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

// ---------------------------------------------------------------------------------------------
// The workers

let k1: SigningKey;
let k2: SigningKey;
let idp: Issuer;
/** OIDC on, pointing at `idp`. */
let worker: RunningWorker;
const extra: RunningWorker[] = [];

const oidcVars = (issuer: string, audience = AUDIENCE) => ({ AUTH_MODE: '', OIDC_ISSUER: issuer, OIDC_AUDIENCE: audience });

beforeAll(async () => {
  [k1, k2] = await Promise.all([makeKey('k1'), makeKey('k2')]);
  idp = await startIssuer([k1]);
  worker = await startWorker(oidcVars(idp.url));
});

afterAll(async () => {
  await Promise.allSettled([worker.stop(), ...extra.map((w) => w.stop())]);
  await idp.stop();
});

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown> & unknown[];
}

/**
 * One request on its own connection (node:http, `agent: false`). Not `fetch`: workerd closes a
 * connection whose request body the Worker did not read (every refused POST here) without saying
 * `Connection: close`, so a pooled keep-alive socket can be reset under the next request.
 */
function call(w: RunningWorker, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${w.url}${path}`,
      {
        method,
        agent: false,
        headers: { ...(payload === undefined ? {} : { ...CONTENT, 'content-length': String(Buffer.byteLength(payload)) }), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          const h = new Headers();
          for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') h.set(name, value);
          resolve({ status: res.statusCode ?? 0, headers: h, text, json: json as Answer['json'] });
        });
      },
    );
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${path}: no answer within 10 s`)));
    req.end(payload);
  });
}

/**
 * Every route of the app (src/app.ts ROUTES, what the authorization matrix test reads). Imported
 * by a computed specifier so that tsconfig.node.json does not type-check the Worker's sources
 * (they need the Workers types, not Node's).
 */
async function allRoutes(): Promise<{ method: string; fullPath: string; role: unknown }[]> {
  const app = join(ROOT, 'src', 'app.ts');
  return ((await import(/* @vite-ignore */ app)) as { ROUTES: { method: string; fullPath: string; role: unknown }[] }).ROUTES;
}

const register = (w: RunningWorker, subject: string, headers: Record<string, string>) =>
  call(w, 'POST', `/subjects/${encodeURIComponent(subject)}/versions`, headers, { schema: SCHEMA });

// ---------------------------------------------------------------------------------------------

describe('OIDC bearer tokens against the built Worker', () => {
  it('a writer grant on a prefix in a context: registers there, is refused elsewhere and on admin routes', async () => {
    const t = await token({ sub: 'alice', grants: ['writer@.orders/payments-'] });
    const ok = await register(worker, ':.orders:payments-x', bearer(t));
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.id).toBeGreaterThan(0);
    // Discovery, then the JWKS: one fetch each for a cold isolate.
    expect(idp.hits).toMatchObject({ discovery: 1, jwks: 1 });

    const other = await register(worker, ':.orders:refunds-x', bearer(t));
    expect(other.status).toBe(403);
    expect(other.json.error_code).toBe(40301);

    const otherContext = await register(worker, ':.billing:payments-x', bearer(t));
    expect(otherContext.status).toBe(403);
    expect(otherContext.json.error_code).toBe(40301);

    for (const [method, body] of [
      ['GET', undefined],
      ['POST', { name: 'mine', grants: ['admin'] }],
    ] as const) {
      const admin = await call(worker, method, '/v1/admin/keys', bearer(t), body);
      expect(admin.status).toBe(403);
      expect(admin.json.error_code).toBe(40301);
    }
    // The keys were fetched once: every later token of this issuer verified from the cache.
    expect(idp.hits).toMatchObject({ discovery: 1, jwks: 1 });
  });

  it('a reader grant object lists subjects but cannot register', async () => {
    const t = await token({ sub: 'rita', grants: [{ role: 'reader' }] });
    const list = await call(worker, 'GET', '/subjects', bearer(t));
    expect(list.status).toBe(200);
    expect(list.json).toContain(':.orders:payments-x');
    const versions = await call(worker, 'GET', `/subjects/${encodeURIComponent(':.orders:payments-x')}/versions`, bearer(t));
    expect(versions.status).toBe(200);
    expect(versions.json).toEqual([1]);

    const write = await register(worker, ':.orders:payments-y', bearer(t));
    expect(write.status).toBe(403);
    expect(write.json.error_code).toBe(40301);
  });

  it('a valid token without the grants claim is authenticated with no grants: 403, not 401', async () => {
    const t = await token({ sub: 'nobody' });
    const r = await call(worker, 'GET', '/subjects', bearer(t));
    expect(r.status).toBe(403);
    expect(r.json.error_code).toBe(40301);
    const malformed = await call(worker, 'GET', '/subjects', bearer(await token({ sub: 'nobody', grants: ['reader', 'superuser'] })));
    expect(malformed.status).toBe(403);
  });

  it('an admin token creates an API key, which then works as HTTP Basic with its own grants', async () => {
    const t = await token({ sub: 'ops-admin', grants: 'admin' });
    const created = await call(worker, 'POST', '/v1/admin/keys', bearer(t), { name: 'from-oidc', grants: ['writer@.orders'] });
    expect(created.status, created.text).toBe(201);
    const { key, secret } = created.json as unknown as { key: string; secret: string };
    expect(key).toMatch(/^lsr_/);

    const asKey = basic(key, secret);
    expect((await register(worker, ':.orders:from-key', asKey)).status).toBe(200);
    const refused = await register(worker, 'default-context-subject', asKey);
    expect(refused.status).toBe(403);
    const wrong = await call(worker, 'GET', '/subjects', basic(key, `${secret}x`));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
  });

  it('refuses an expired token, a wrong audience, a wrong issuer and HS256 with 401 + WWW-Authenticate', async () => {
    const jwksBefore = idp.hits.jwks;
    const cases = {
      expired: await token({ sub: 'late', grants: 'admin', expiresIn: -3600 }),
      'wrong audience': await token({ sub: 'elsewhere', grants: 'admin', aud: 'some-other-api' }),
      'wrong issuer': await token({ sub: 'elsewhere', grants: 'admin', iss: `${idp.url}/other` }),
      HS256: await hs256('forger'),
      'alg none': `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'k1' })).toString('base64url')}.${Buffer.from(
        JSON.stringify({ iss: idp.url, aud: AUDIENCE, sub: 'forger', exp: Math.floor(Date.now() / 1000) + 300, registry_grants: 'admin' }),
      ).toString('base64url')}.`,
      'bad signature': (await token({ sub: 'tampered', grants: 'reader' })).replace(/.{4}$/, 'AAAA'),
    };
    minted.push(cases['alg none'], cases['bad signature']);
    for (const [name, t] of Object.entries(cases)) {
      const r = await call(worker, 'GET', '/subjects', bearer(t));
      expect(r.status, name).toBe(401);
      expect(r.json.error_code, name).toBe(40101);
      // RFC 6750 §3.1: a refused bearer token is answered with the Bearer challenge.
      expect(r.headers.get('www-authenticate'), name).toBe('Bearer realm="llm-schema-registry", error="invalid_token"');
      expect(r.text, name).not.toContain(t.split('.')[1]);
    }
    // No refetch either (weak here, within the cooldown; the unit tests show alg is refused before any key lookup).
    expect(idp.hits.jwks).toBe(jwksBefore);
  });

  it('an issuer that cannot be reached (fresh isolate, closed port): 503, Retry-After, 50301', async () => {
    // An issuer that ran and stopped: its port is closed when the fresh worker first needs keys.
    const gone = await startIssuer([k1]);
    await gone.stop();
    const w = await startWorker(oidcVars(gone.url));
    extra.push(w);
    const t = await new SignJWT({ registry_grants: 'admin' })
      .setProtectedHeader({ alg: 'ES256', kid: k1.kid })
      .setIssuer(gone.url)
      .setAudience(AUDIENCE)
      .setSubject('alice')
      .setExpirationTime('5m')
      .sign(k1.privateKey);
    minted.push(t);

    const first = await call(w, 'GET', '/subjects', bearer(t));
    expect(first.status, first.text).toBe(503);
    expect(first.json.error_code).toBe(50301);
    expect(first.headers.get('retry-after')).toBe(String(KEY_FAILURE_BACKOFF_MS / 1000));
    expect(first.json.message).toMatch(/temporarily unavailable/);
    expect(first.text).not.toContain(t.split('.')[1]);

    // Within the failure backoff the answer is immediate, with the remaining wait.
    const started = Date.now();
    const again = await call(w, 'POST', `/subjects/x/versions`, bearer(t), { schema: SCHEMA });
    expect(again.status).toBe(503);
    expect(again.json.error_code).toBe(50301);
    const retryAfter = Number(again.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(KEY_FAILURE_BACKOFF_MS / 1000);
    expect(Date.now() - started).toBeLessThan(1_000);

    // Not a JWT: never reaches OIDC (and no other credential is configured here): 401, not 503.
    const notJwt = await call(w, 'GET', '/subjects', { authorization: 'Bearer not-a-jwt' });
    expect(notJwt.status).toBe(401);
    expect(notJwt.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
  });

  it('OIDC_ISSUER without OIDC_AUDIENCE: 503 50302 on every non-public route, health still 200', async () => {
    const w = await startWorker(oidcVars(idp.url, ''));
    extra.push(w);
    const t = await token({ sub: 'ops-admin', grants: 'admin' });
    const jwksBefore = idp.hits.jwks;

    const health = await call(w, 'GET', '/v1/health');
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: 'ok' });
    expect((await call(w, 'GET', '/')).status).toBe(200);

    const routes = (await allRoutes()).filter((r) => r.role !== 'public');
    expect(routes.length).toBeGreaterThan(30);
    for (const r of routes) {
      // Fill `{name}` parameters with plausible values (ids for the numeric ones).
      const path = r.fullPath.replace(/\{([A-Za-z_]+)\}/g, (_, name: string) =>
        /id|version/i.test(name) ? '1' : name === 'key' ? 'lsr_0123456789abcdef' : name === 'context' ? '.orders' : 'payments-value',
      );
      const body = r.method === 'POST' || r.method === 'PUT' ? {} : undefined;
      for (const headers of [bearer(t), {}]) {
        const res = await call(w, r.method, path, headers, body);
        expect(res.status, `${r.method} ${path}`).toBe(503);
        expect(res.json.error_code, `${r.method} ${path}`).toBe(50302);
        expect(res.json.message).toMatch(/OIDC_AUDIENCE/);
      }
    }
    // An unknown path too (the 404 is decided after authentication).
    const unknown = await call(w, 'GET', '/nope', bearer(t));
    expect(unknown.status).toBe(503);
    expect(unknown.json.error_code).toBe(50302);
    // It refused before looking at the token: no key was fetched.
    expect(idp.hits.jwks).toBe(jwksBefore);
  });

  it('the audit log names the OIDC principal and never holds a token', async () => {
    const admin = await token({ sub: 'auditor', grants: [{ role: 'admin' }] });
    const principal = (sub: string) => `oidc:${idp.host}/${sub}`;
    let rows: { principal: string; action: string; target: string; result: string }[] = [];
    let text = '';
    // Audit rows are written after the answer (waitUntil): poll briefly.
    for (let i = 0; i < 50; i++) {
      const r = await call(worker, 'GET', '/v1/admin/audit?limit=1000', bearer(admin));
      expect(r.status, r.text).toBe(200);
      text = r.text;
      rows = (r.json as unknown as { rows: typeof rows }).rows;
      const seen = (sub: string, action: string) => rows.some((row) => row.principal === principal(sub) && row.action === action);
      if (seen('alice', 'register') && seen('ops-admin', 'create-key') && rows.some((row) => row.principal === 'unauthenticated')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const names = new Set(rows.map((row) => row.principal));
    expect(names).toContain(principal('alice')); // registered :.orders:payments-x, was refused
    expect(names).toContain(principal('ops-admin')); // created the API key
    expect(rows).toContainEqual(
      expect.objectContaining({ principal: principal('alice'), result: 'refused 40301', target: 'subject :.orders:refunds-x' }),
    );
    expect(rows).toContainEqual(expect.objectContaining({ principal: principal('alice'), action: 'register' }));
    expect(rows).toContainEqual(expect.objectContaining({ principal: principal('ops-admin'), action: 'create-key', target: 'from-oidc' }));
    expect(rows.some((row) => row.principal === 'unauthenticated')).toBe(true); // the 401s
    for (const t of minted) {
      for (const part of t.split('.').filter((p) => p.length > 0)) expect(text).not.toContain(part);
    }
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  });

  // Last: the cooldown since the worker's one JWKS fetch has mostly passed by now.
  it('picks up a key rotation at the issuer (a new kid) once the unknown-kid cooldown has passed', async () => {
    idp.keys = [k1, k2]; // the issuer publishes k2 and signs with it at once
    const next = await token({ sub: 'rotated', grants: 'reader', key: k2 });
    const fetches = idp.hits.jwks;
    if (Date.now() - idp.hits.lastJwksAt < KEY_COOLDOWN_MS - 2_000) {
      // Within the cooldown an unknown kid is refused without a fetch (docs/oidc.md: rotation).
      expect((await call(worker, 'GET', '/subjects', bearer(next))).status).toBe(401);
      expect(idp.hits.jwks).toBe(fetches);
    }
    const wait = idp.hits.lastJwksAt + KEY_COOLDOWN_MS + 250 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));

    const r = await call(worker, 'GET', '/subjects', bearer(next));
    expect(r.status, r.text).toBe(200);
    expect(idp.hits.jwks).toBe(fetches + 1);
    // The old key, still published, keeps working from the refreshed set without another fetch.
    expect((await call(worker, 'GET', '/subjects', bearer(await token({ sub: 'old', grants: 'reader', key: k1 })))).status).toBe(200);
    expect(idp.hits.jwks).toBe(fetches + 1);

    // The issuer retires k1: within KEY_FRESH_MS the cached set still has it (documented bound);
    // a fresh isolate, which fetches the JWKS now, refuses it at once.
    idp.keys = [k2];
    const w = await startWorker(oidcVars(idp.url));
    extra.push(w);
    expect((await call(w, 'GET', '/subjects', bearer(await token({ sub: 'old', grants: 'reader', key: k1 })))).status).toBe(401);
    expect((await call(w, 'GET', '/subjects', bearer(next))).status).toBe(200);
  }, 30_000);
});
