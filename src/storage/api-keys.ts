/**
 * Managed API keys in D1 (table api_keys). A key is a public id (`lsr_` + 24 hex) and a secret
 * (32 random bytes, base64url) shown once; only the secret's SHA-256 is stored. Secrets are
 * high-entropy, so a fast hash suffices (no password KDF); comparisons are constant-time.
 */
import type { Grant } from '../domain/grant-rules';
import { randomHexId, sha256Hex } from '../domain/hex';

export interface ApiKeyRow {
  key: string;
  name: string;
  secretHash: string;
  previousHash: string | null;
  previousExpiresAt: number | null;
  grants: Grant[];
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  rotatedAt: number | null;
}

/** What the admin API shows of a key: never a secret or a hash. */
export interface ApiKeyInfo {
  key: string;
  name: string;
  grants: Grant[];
  createdAt: string;
  expiresAt?: string;
  revokedAt?: string;
  rotatedAt?: string;
}

const KEY_PREFIX = 'lsr_';
const KEY_RE = /^lsr_[0-9a-f]{24}$/;

export function isKeyId(s: string): boolean {
  return KEY_RE.test(s);
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

export function newKey(): { key: string; secret: string } {
  return {
    key: KEY_PREFIX + randomHexId(12),
    secret: base64url(crypto.getRandomValues(new Uint8Array(32))),
  };
}

/** Equal-length strings compared without an early exit (hashes: always 64 hex characters). */
export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i % (b.length || 1));
  return diff === 0;
}

interface Raw {
  key: string;
  name: string;
  secret_hash: string;
  previous_hash: string | null;
  previous_expires_at: number | null;
  grants: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  rotated_at: number | null;
}

function decode(r: Raw): ApiKeyRow {
  return {
    key: r.key,
    name: r.name,
    secretHash: r.secret_hash,
    previousHash: r.previous_hash,
    previousExpiresAt: r.previous_expires_at,
    grants: JSON.parse(r.grants) as Grant[],
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    rotatedAt: r.rotated_at,
  };
}

const iso = (s: number) => new Date(s * 1000).toISOString();

export function keyInfo(r: ApiKeyRow): ApiKeyInfo {
  return {
    key: r.key,
    name: r.name,
    grants: r.grants,
    createdAt: iso(r.createdAt),
    ...(r.expiresAt !== null ? { expiresAt: iso(r.expiresAt) } : {}),
    ...(r.revokedAt !== null ? { revokedAt: iso(r.revokedAt) } : {}),
    ...(r.rotatedAt !== null ? { rotatedAt: iso(r.rotatedAt) } : {}),
  };
}

type Db = Pick<D1Database, 'prepare'>;

export async function findKey(db: Db, key: string): Promise<ApiKeyRow | null> {
  const r = await db.prepare('SELECT * FROM api_keys WHERE key = ?1').bind(key).first<Raw>();
  return r ? decode(r) : null;
}

/** Keys in creation order, keyset-paged by key id within a creation second. */
export async function listKeys(db: Db, o: { offset: number; limit: number }): Promise<ApiKeyRow[]> {
  const { results } = await db.prepare('SELECT * FROM api_keys ORDER BY created_at, key LIMIT ?1 OFFSET ?2').bind(o.limit, o.offset).all<Raw>();
  return results.map(decode);
}

export function insertKey(db: Db, r: ApiKeyRow): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO api_keys (key, name, secret_hash, grants, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)`)
    .bind(r.key, r.name, r.secretHash, JSON.stringify(r.grants), r.createdAt, r.expiresAt);
}

export function revokeKey(db: Db, key: string, now: number): D1PreparedStatement {
  return db.prepare('UPDATE api_keys SET revoked_at = ?2 WHERE key = ?1 AND revoked_at IS NULL').bind(key, now);
}

/** The new secret's hash replaces the current one, which stays valid until `graceUntil`. */
export function rotateKey(db: Db, key: string, newHash: string, graceUntil: number, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE api_keys SET previous_hash = secret_hash, previous_expires_at = ?3, secret_hash = ?2, rotated_at = ?4
       WHERE key = ?1 AND revoked_at IS NULL`,
    )
    .bind(key, newHash, graceUntil, now);
}

/**
 * Does `secret` open `row` at time `now` (unix seconds)? Always does the same work whatever the
 * answer: both hashes are compared even when the first matches, and a missing row is compared
 * against a dummy, so timing says nothing about whether a key exists.
 */
export async function opens(row: ApiKeyRow | null, secret: string, now: number): Promise<boolean> {
  const hash = await sha256Hex(secret);
  const current = constantTimeEqual(hash, row?.secretHash ?? DUMMY_HASH);
  const previous = constantTimeEqual(hash, row?.previousHash ?? DUMMY_HASH);
  if (!row || row.revokedAt !== null) return false;
  if (row.expiresAt !== null && row.expiresAt <= now) return false;
  return current || (previous && row.previousExpiresAt !== null && now < row.previousExpiresAt);
}

const DUMMY_HASH = '0'.repeat(64);
