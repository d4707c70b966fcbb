/**
 * The DEK registry's writes (docs/dek-registry.md), ported from Confluent's
 * AbstractDekRegistry (createKek, putKek, deleteKek, undeleteKek, createDek, deleteDek,
 * deleteDekVersion, undeleteDek, undeleteDekVersion) with the checks its resource makes first.
 *
 * All of them run on the writer named "*", KEKs and DEKs alike: Confluent decides every KEK and
 * DEK write of a tenant under one lock (`lockFor(tenant)`), and the rules that tie them together
 * span contexts (a KEK is not deleted while DEKs of any context use it; no DEK is created under a
 * deleted KEK). One writer decides them without coordinating objects, and DEK writes are rare
 * (one per subject and key rotation), so serializing them costs nothing that matters. Each
 * commits through `tx.commit` with its audit row in the registry stream and its change events
 * (docs/events.md): one for a KEK, one per DEK version it changed; a write that changes nothing
 * (a retried delete or undelete, an update to the same values) commits nothing and writes none.
 * An event names the KEK (and the DEK's context, subject, algorithm and version), never key
 * material nor KMS properties.
 */
import { type Dek, dekErrors, type Kek, MAX_KEYS } from '../domain/dek-registry';
import { type DekRow, type DekSeries, dekEntity, findDekVersion, kekEntity, type KekRow } from '../services/dek-registry';
import { effectiveMode } from '../services/settings';
import { countKeys, dekVersions, findDek, findKek, kekHasDeks, putDek, putKek, removeDek, removeKek } from '../storage/dek-registry';
import type { ChangeEvent, EventType } from '../storage/events';
import type { WriteTx, Written } from './tx';

export type DekWrite =
  | {
      op: 'createKek';
      name: string;
      kmsType: string;
      kmsKeyId: string;
      /** JSON text, keys sorted. */
      kmsProps: string;
      doc: string | null;
      shared: boolean;
      deleted: boolean;
    }
  /** UpdateKekRequest: an absent field keeps the KEK's value (`kmsProps`/`doc` null clear it). */
  | { op: 'updateKek'; name: string; kmsProps?: string; doc?: string | null; shared?: boolean }
  | { op: 'deleteKek'; name: string; permanent: boolean }
  | { op: 'undeleteKek'; name: string }
  | {
      op: 'createDek';
      series: DekSeries;
      /** The subject as the client wrote it, for messages. */
      qualified: string;
      version: number;
      encryptedKeyMaterial?: string;
      deleted: boolean;
      rewrap: boolean;
    }
  /** `version` absent: every version of the series. */
  | { op: 'deleteDek'; series: DekSeries; qualified: string; version?: number | 'latest'; permanent: boolean }
  | { op: 'undeleteDek'; series: DekSeries; qualified: string; version?: number | 'latest' };

export type DekWriteResult = Kek | Dek | null;

/** The audit row's action and target of a DEK registry write. */
export function dekAudit(w: DekWrite): { action: string; target: string } {
  const permanent = 'permanent' in w && w.permanent ? '-permanent' : '';
  const action = `${w.op.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}${permanent}`;
  if ('name' in w) return { action, target: `kek ${w.name}` };
  const version = 'version' in w && w.version !== undefined ? w.version : '*';
  return { action, target: `dek ${w.series.kekName} ${w.qualified} ${w.series.algorithm} ${version}` };
}

const done = <T>(tx: WriteTx, value: T) => ({ value, bookmark: tx.db.getBookmark() });

/** A KEK's change event: registry-wide (no context), as the KEK is. */
function kekEvent(type: EventType, name: string): ChangeEvent {
  return { type, context: null, subject: null, version: null, id: null, kek: name };
}

/** A DEK version's change event: on its subject (the bare name, in its context). */
function dekEvent(type: EventType, d: Pick<DekRow, 'context' | 'kekName' | 'subject' | 'algorithm' | 'version'>): ChangeEvent {
  return { type, context: d.context, subject: d.subject, version: d.version, id: null, kek: d.kekName, algorithm: d.algorithm };
}

/**
 * What a create did to a key that was there (it passed the checks): a create that only flips
 * `deleted` undeletes (or soft-deletes) it; otherwise (a rewrap) it updated it.
 */
function createdOver(kind: 'kek' | 'dek', old: { deleted: number } | null, deleted: number, sameOtherwise: boolean): EventType {
  if (!old) return `create-${kind}`;
  if (sameOtherwise && old.deleted !== deleted) return deleted ? `delete-${kind}` : `undelete-${kind}`;
  return `update-${kind}`;
}

export function dekWrite(tx: WriteTx, w: DekWrite): Written<DekWriteResult> {
  switch (w.op) {
    case 'createKek':
      return createKek(tx, w);
    case 'updateKek':
      return updateKek(tx, w);
    case 'deleteKek':
      return deleteKek(tx, w);
    case 'undeleteKek':
      return undeleteKek(tx, w);
    case 'createDek':
      return createDek(tx, w);
    case 'deleteDek':
      return deleteDek(tx, w);
    case 'undeleteDek':
      return undeleteDek(tx, w);
  }
}

/** KeyEncryptionKey.isEquivalent: everything but `deleted` and `ts`. */
function sameKek(a: KekRow, b: KekRow): boolean {
  return a.kmsType === b.kmsType && a.kmsKeyId === b.kmsKeyId && a.kmsProps === b.kmsProps && a.doc === b.doc && a.shared === b.shared;
}

async function createKek(tx: WriteTx, w: Extract<DekWrite, { op: 'createKek' }>): Written<Kek> {
  if ((await countKeys(tx.db, 'keks')) >= MAX_KEYS) throw dekErrors.tooManyKeys();
  const row: KekRow = {
    name: w.name,
    kmsType: w.kmsType,
    kmsKeyId: w.kmsKeyId,
    kmsProps: w.kmsProps,
    doc: w.doc,
    shared: w.shared ? 1 : 0,
    deleted: w.deleted ? 1 : 0,
    ts: Date.now(),
  };
  const old = await findKek(tx.db, w.name);
  // A create acts as an undelete when the KEK is soft-deleted and otherwise the same.
  if (old && (row.deleted === old.deleted || !sameKek(old, row))) throw dekErrors.alreadyExists(w.name);
  await tx.commit([putKek(tx.db, row)], kekEvent(createdOver('kek', old, row.deleted, true), w.name));
  return done(tx, kekEntity(row));
}

async function updateKek(tx: WriteTx, w: Extract<DekWrite, { op: 'updateKek' }>): Written<Kek> {
  const old = await findKek(tx.db, w.name);
  if (!old || old.deleted) throw dekErrors.keyNotFound(w.name);
  const row: KekRow = {
    ...old,
    kmsProps: w.kmsProps ?? old.kmsProps,
    doc: w.doc === undefined ? old.doc : w.doc,
    shared: w.shared === undefined ? old.shared : w.shared ? 1 : 0,
    ts: Date.now(),
  };
  // Nothing changes: the KEK as it is, nothing written (putKek returns the old key).
  if (sameKek(old, row)) return done(tx, kekEntity(old));
  await tx.commit([putKek(tx.db, row)], kekEvent('update-kek', w.name));
  return done(tx, kekEntity(row));
}

async function deleteKek(tx: WriteTx, w: Extract<DekWrite, { op: 'deleteKek' }>): Written<null> {
  const old = await findKek(tx.db, w.name);
  if (!old) throw dekErrors.keyNotFound(w.name);
  // A soft delete is refused while live DEKs use the KEK; a permanent one while any DEK does.
  if (await kekHasDeks(tx.db, w.name, w.permanent)) throw dekErrors.referenceExists(w.name);
  if (w.permanent) {
    if (!old.deleted) throw dekErrors.keyNotSoftDeleted(w.name);
    await tx.commit([removeKek(tx.db, w.name)], kekEvent('delete-kek-permanent', w.name));
  } else if (!old.deleted) {
    await tx.commit([putKek(tx.db, { ...old, deleted: 1, ts: Date.now() })], kekEvent('delete-kek', w.name));
  }
  return done(tx, null);
}

async function undeleteKek(tx: WriteTx, w: Extract<DekWrite, { op: 'undeleteKek' }>): Written<null> {
  const old = await findKek(tx.db, w.name);
  if (!old) throw dekErrors.keyNotFound(w.name);
  if (old.deleted) await tx.commit([putKek(tx.db, { ...old, deleted: 0, ts: Date.now() })], kekEvent('undelete-kek', w.name));
  return done(tx, null);
}

async function createDek(tx: WriteTx, w: Extract<DekWrite, { op: 'createDek' }>): Written<Dek> {
  const kek = await findKek(tx.db, w.series.kekName);
  // The resource looks the KEK up with the request's `deleted`: no new DEK under a deleted KEK.
  if (!kek || (kek.deleted && !w.deleted)) throw dekErrors.keyNotFound(w.series.kekName);
  if ((await countKeys(tx.db, 'deks')) >= MAX_KEYS) throw dekErrors.tooManyKeys();
  const old = await findDek(tx.db, w.series, w.version);
  const material = w.encryptedKeyMaterial;
  // A create acts as an undelete when the DEK is soft-deleted and otherwise the same; `rewrap`
  // replaces the key material of an existing DEK.
  if (!w.rewrap && old && (old.deleted === (w.deleted ? 1 : 0) || old.encryptedKeyMaterial !== material)) {
    throw dekErrors.alreadyExists(w.qualified);
  }
  if (material === undefined) {
    // Confluent generates the key only for a shared KEK, through the KMS.
    if (kek.shared) throw dekErrors.kmsUnavailable(`encrypted dek for ${w.qualified}`);
    throw dekErrors.invalidKey('encryptedKeyMaterial');
  }
  if (kek.shared) {
    if (old) throw dekErrors.alreadyExists(w.qualified);
    // Confluent checks the round trip through the KMS before storing, except in IMPORT mode.
    if ((await effectiveMode(tx.reader, w.series.context, w.series.subject)) !== 'IMPORT') {
      throw dekErrors.kmsUnavailable(`raw dek for ${w.qualified}`);
    }
  }
  const row: DekRow = { ...w.series, version: w.version, encryptedKeyMaterial: material, deleted: w.deleted ? 1 : 0, ts: Date.now() };
  const type = createdOver('dek', old, row.deleted, !w.rewrap && old?.encryptedKeyMaterial === material);
  await tx.commit([putDek(tx.db, row)], dekEvent(type, row));
  return done(tx, dekEntity(row));
}

/** The DEKs a delete or undelete addresses: one version, or the whole series (40470 when none). */
async function addressed(tx: WriteTx, w: { series: DekSeries; qualified: string; version?: number | 'latest' }): Promise<DekRow[]> {
  if (!(await findKek(tx.db, w.series.kekName))) throw dekErrors.keyNotFound(w.series.kekName);
  if (w.version !== undefined) {
    const one = await findDekVersion(tx.db, w.series, w.version, true);
    if (!one) throw dekErrors.keyNotFound(w.qualified);
    return [one];
  }
  const all = await dekVersions(tx.db, w.series, true);
  if (all.length === 0) throw dekErrors.keyNotFound(w.qualified);
  return all;
}

async function deleteDek(tx: WriteTx, w: Extract<DekWrite, { op: 'deleteDek' }>): Written<null> {
  const rows = await addressed(tx, w);
  if (w.permanent) {
    if (rows.some((d) => !d.deleted)) throw dekErrors.keyNotSoftDeleted(w.qualified);
    await tx.commit(
      rows.map((d) => removeDek(tx.db, w.series, d.version)),
      rows.map((d) => dekEvent('delete-dek-permanent', d)),
    );
  } else {
    const ts = Date.now();
    const live = rows.filter((d) => !d.deleted);
    if (live.length)
      await tx.commit(
        live.map((d) => putDek(tx.db, { ...d, deleted: 1, ts })),
        live.map((d) => dekEvent('delete-dek', d)),
      );
  }
  return done(tx, null);
}

async function undeleteDek(tx: WriteTx, w: Extract<DekWrite, { op: 'undeleteDek' }>): Written<null> {
  const rows = await addressed(tx, w);
  const kek = (await findKek(tx.db, w.series.kekName)) as KekRow;
  if (kek.deleted) throw dekErrors.keySoftDeleted(w.series.kekName);
  const ts = Date.now();
  const gone = rows.filter((d) => d.deleted);
  if (gone.length)
    await tx.commit(
      gone.map((d) => putDek(tx.db, { ...d, deleted: 0, ts })),
      gone.map((d) => dekEvent('undelete-dek', d)),
    );
  return done(tx, null);
}
