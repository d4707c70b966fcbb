/**
 * The DEK registry's rows (tables `keks` and `deks`, src/storage/schema.ts): reads, and the
 * statements the writer named "*" commits (durable/dek-writes.ts). KEKs are registry-wide; DEK
 * rows are keyed by context like every subject-scoped row.
 */
import type { DekFormat } from '../domain/dek-registry';
import type { Db } from './registry-reader';

type Prep = Pick<D1Database, 'prepare'>;

export interface KekRow {
  name: string;
  kmsType: string;
  kmsKeyId: string;
  /** JSON object, keys sorted. */
  kmsProps: string;
  doc: string | null;
  shared: number;
  deleted: number;
  ts: number;
}

export interface DekRow {
  context: string;
  kekName: string;
  /** The bare subject inside `context`. */
  subject: string;
  algorithm: DekFormat;
  version: number;
  encryptedKeyMaterial: string;
  deleted: number;
  ts: number;
}

/** A DEK's address without its version: (context, KEK, subject, algorithm). */
export interface DekSeries {
  context: string;
  kekName: string;
  subject: string;
  algorithm: DekFormat;
}

const KEK_COLS = `name, kms_type AS kmsType, kms_key_id AS kmsKeyId, kms_props AS kmsProps, doc, shared, deleted, ts`;
const DEK_COLS = `context, kek_name AS kekName, subject, algorithm, version, encrypted_key_material AS encryptedKeyMaterial, deleted, ts`;
const SERIES = `context = ?1 AND kek_name = ?2 AND subject = ?3 AND algorithm = ?4`;

const live = (deleted: boolean) => (deleted ? '' : ' AND deleted = 0');

export function findKek(db: Db, name: string): Promise<KekRow | null> {
  return db.prepare(`SELECT ${KEK_COLS} FROM keks WHERE name = ?1`).bind(name).first<KekRow>();
}

/** KEK names in name order (Confluent iterates its key store in KeyEncryptionKeyId order). */
export async function kekNames(db: Db, deleted: boolean): Promise<string[]> {
  const { results } = await db.prepare(`SELECT name FROM keks WHERE 1 = 1${live(deleted)} ORDER BY name`).all<{ name: string }>();
  return results.map((r) => r.name);
}

/** Every (context, subject, KEK) with a DEK, for the KEK listing by subject prefix. */
export async function dekOwners(db: Db, deleted: boolean): Promise<{ context: string; subject: string; kekName: string }[]> {
  const { results } = await db
    .prepare(`SELECT DISTINCT context, subject, kek_name AS kekName FROM deks WHERE 1 = 1${live(deleted)}`)
    .all<{ context: string; subject: string; kekName: string }>();
  return results;
}

/** The (context, subject) pairs with a DEK under a KEK. */
export async function dekSubjectsOf(db: Db, kekName: string, deleted: boolean): Promise<{ context: string; subject: string }[]> {
  const { results } = await db
    .prepare(`SELECT DISTINCT context, subject FROM deks WHERE kek_name = ?1${live(deleted)}`)
    .bind(kekName)
    .all<{ context: string; subject: string }>();
  return results;
}

/** One series' versions, oldest first. */
export async function dekVersions(db: Db, s: DekSeries, deleted: boolean): Promise<DekRow[]> {
  const { results } = await db
    .prepare(`SELECT ${DEK_COLS} FROM deks WHERE ${SERIES}${live(deleted)} ORDER BY version`)
    .bind(s.context, s.kekName, s.subject, s.algorithm)
    .all<DekRow>();
  return results;
}

export function findDek(db: Db, s: DekSeries, version: number): Promise<DekRow | null> {
  return db
    .prepare(`SELECT ${DEK_COLS} FROM deks WHERE ${SERIES} AND version = ?5`)
    .bind(s.context, s.kekName, s.subject, s.algorithm, version)
    .first<DekRow>();
}

/** Whether a KEK has DEKs (live ones only, unless `deleted`): AbstractDekRegistry.deleteKek's guard. */
export async function kekHasDeks(db: Db, kekName: string, deleted: boolean): Promise<boolean> {
  return (
    (await db
      .prepare(`SELECT 1 AS x FROM deks WHERE kek_name = ?1${live(deleted)} LIMIT 1`)
      .bind(kekName)
      .first()) !== null
  );
}

export async function countKeys(db: Db, table: 'keks' | 'deks'): Promise<number> {
  return (await db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>())?.n ?? 0;
}

/** Confluent's putKey: the whole record replaced. */
export function putKek(db: Prep, k: KekRow): D1PreparedStatement {
  return db
    .prepare(`INSERT OR REPLACE INTO keks (name, kms_type, kms_key_id, kms_props, doc, shared, deleted, ts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`)
    .bind(k.name, k.kmsType, k.kmsKeyId, k.kmsProps, k.doc, k.shared, k.deleted, k.ts);
}

export function removeKek(db: Prep, name: string): D1PreparedStatement {
  return db.prepare(`DELETE FROM keks WHERE name = ?1`).bind(name);
}

export function putDek(db: Prep, d: DekRow): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR REPLACE INTO deks (context, kek_name, subject, algorithm, version, encrypted_key_material, deleted, ts)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`,
    )
    .bind(d.context, d.kekName, d.subject, d.algorithm, d.version, d.encryptedKeyMaterial, d.deleted, d.ts);
}

export function removeDek(db: Prep, s: DekSeries, version: number): D1PreparedStatement {
  return db.prepare(`DELETE FROM deks WHERE ${SERIES} AND version = ?5`).bind(s.context, s.kekName, s.subject, s.algorithm, version);
}
