/**
 * The DEK registry's reads and entities (docs/dek-registry.md), shared by the routes and the
 * writer (durable/dek-writes.ts). Lookups follow Confluent's AbstractDekRegistry: a KEK or DEK
 * soft-deleted is found only with `deleted`; a DEK's version defaults to 1 and `latest` is the
 * highest version found; an absent algorithm is AES256_GCM.
 */
import { type Dek, dekErrors, type Kek } from '../domain/dek-registry';
import { qualify } from '../domain/naming';
import { type DekRow, type DekSeries, dekOwners, dekSubjectsOf, dekVersions, findDek, findKek, kekNames, type KekRow } from '../storage/dek-registry';
import type { Db } from '../storage/registry-reader';

export type { DekRow, DekSeries, KekRow } from '../storage/dek-registry';

/** Who may read which subject (http/visibility.ts), for listings that span subjects. */
type Visible = (context: string, subject: string) => boolean;

/** KeyEncryptionKey.toKekEntity; `kmsProps` left out when the caller may not see them. */
export function kekEntity(k: KekRow, showProps = true): Kek {
  return {
    name: k.name,
    kmsType: k.kmsType,
    kmsKeyId: k.kmsKeyId,
    ...(showProps ? { kmsProps: JSON.parse(k.kmsProps) as Record<string, string> } : {}),
    ...(k.doc !== null ? { doc: k.doc } : {}),
    shared: k.shared === 1,
    ts: k.ts,
    ...(k.deleted ? { deleted: true as const } : {}),
  };
}

/** DataEncryptionKey.toDekEntity: the subject as the client wrote it (`:.ctx:name` outside the default context). */
export function dekEntity(d: DekRow): Dek {
  return {
    kekName: d.kekName,
    subject: qualify(d.context, d.subject),
    version: d.version,
    algorithm: d.algorithm,
    encryptedKeyMaterial: d.encryptedKeyMaterial,
    ts: d.ts,
    ...(d.deleted ? { deleted: true as const } : {}),
  };
}

/** AbstractDekRegistry.getKek: the KEK, or 40470 (a soft-deleted one only with `deleted`). */
export async function kekOrThrow(db: Db, name: string, deleted: boolean): Promise<KekRow> {
  const k = await findKek(db, name);
  if (!k || (k.deleted && !deleted)) throw dekErrors.keyNotFound(name);
  return k;
}

/**
 * getKekNames: every KEK; with subject prefixes, the KEKs of the DEKs whose subject (as shown,
 * `:.ctx:name` outside the default context) starts with one of them, among the subjects the
 * caller may read.
 */
export async function listKekNames(db: Db, prefixes: string[], deleted: boolean, visible: Visible): Promise<string[]> {
  if (prefixes.length === 0) return kekNames(db, deleted);
  const names = new Set<string>();
  for (const o of await dekOwners(db, deleted)) {
    const shown = qualify(o.context, o.subject);
    if (prefixes.some((p) => shown.startsWith(p)) && visible(o.context, o.subject)) names.add(o.kekName);
  }
  return [...names].sort();
}

/** getDekSubjects: the subjects with DEKs under a KEK, sorted and distinct, that the caller may read. */
export async function listDekSubjects(db: Db, kekName: string, deleted: boolean, visible: Visible): Promise<string[]> {
  const rows = await dekSubjectsOf(db, kekName, deleted);
  return [...new Set(rows.filter((r) => visible(r.context, r.subject)).map((r) => qualify(r.context, r.subject)))].sort();
}

/** Whether a KEK's kmsProps are shown: to a caller that may read some subject with a DEK under it. */
export async function kekPropsVisible(db: Db, kekName: string, visible: Visible): Promise<boolean> {
  return (await dekSubjectsOf(db, kekName, true)).some((r) => visible(r.context, r.subject));
}

export async function listDekVersions(db: Db, s: DekSeries, deleted: boolean): Promise<number[]> {
  return (await dekVersions(db, s, deleted)).map((d) => d.version);
}

/** getDek / getLatestDek: the DEK, or null. */
export async function findDekVersion(db: Db, s: DekSeries, version: number | 'latest', deleted: boolean): Promise<DekRow | null> {
  if (version === 'latest') return (await dekVersions(db, s, deleted)).at(-1) ?? null;
  const d = await findDek(db, s, version);
  return d && (!d.deleted || deleted) ? d : null;
}
