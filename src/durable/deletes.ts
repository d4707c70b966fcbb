/**
 * Soft and permanent deletes of subjects and versions, with Confluent's check order:
 * existence (40401/40402), already soft-deleted (40404/40406), read-only (42205), references
 * (42206), not soft-deleted first (40405/40407).
 * A soft delete of a subject (or of its last live version) also drops its config and mode.
 * A subject with an association (docs/associations.md) is not deleted (40904), nor is its last
 * live version soft-deleted (40907).
 */
import { associationErrors } from '../domain/associations';
import { errors } from '../domain/errors';
import { subjectHasAssociations } from '../storage/associations';
import type { VersionId } from '../domain/version-id';
import * as sql from './statements';
import {
  assertNoneReferenced,
  assertUnreferenced,
  assertWritable,
  changeOf,
  evictUnreachable,
  type SubjectRef,
  type WriteTx,
  type Written,
} from './tx';

export async function deleteSubject(tx: WriteTx, input: SubjectRef & { permanent: boolean }): Written<number[]> {
  const { db, reader } = tx;
  const all = await reader.history(input.context, input.subject, { deleted: true });
  if (all.length === 0) throw errors.subjectNotFound(input.qualified);
  const live = all.filter((v) => !v.deleted);
  if (!input.permanent && live.length === 0) throw errors.subjectSoftDeleted(input.qualified);
  await assertWritable(tx, input);
  // Confluent 8.1 (KafkaSchemaRegistry.deleteSubject): no subject with an association is deleted.
  if (await subjectHasAssociations(db, input.context, input.subject)) throw associationErrors.forSubjectExists(input.qualified);
  const targets = input.permanent ? all : live;
  await assertNoneReferenced(tx, input.context, input.subject, { live: !input.permanent, qualified: input.qualified });
  if (input.permanent && live.length > 0) throw errors.subjectNotSoftDeleted(input.qualified);
  const numbers = targets.map((v) => v.version);
  const drop = input.permanent ? sql.hardDeleteVersions : sql.softDeleteVersions;
  await tx.commit(
    [
      drop(db, input.context, input.subject, numbers),
      sql.deleteConfig(db, input.context, input.subject),
      sql.deleteMode(db, input.context, input.subject),
    ],
    changeOf(input.permanent ? 'delete-subject-permanent' : 'delete-subject', input),
  );
  if (input.permanent) await evictUnreachable(tx, targets);
  return { value: numbers, bookmark: db.getBookmark() };
}

/**
 * `latest` is the latest live version even for a permanent delete (Confluent get(s, -1)); with
 * none, 40402 "Version -1 not found.". Check order: 40401, 40402, 40406, read-only, 42206, 40407.
 */
export async function deleteVersion(tx: WriteTx, input: SubjectRef & { version: VersionId; permanent: boolean }): Written<number> {
  const { db, reader } = tx;
  const all = await reader.history(input.context, input.subject, { deleted: true });
  if (all.length === 0) throw errors.subjectNotFound(input.qualified);
  const live = all.filter((v) => !v.deleted);
  const target = input.version === 'latest' ? live.at(-1) : all.find((v) => v.version === input.version);
  if (!target) throw errors.versionNotFound(input.version === 'latest' ? -1 : input.version);
  if (!input.permanent && target.deleted) throw errors.versionSoftDeleted(input.qualified, target.version);
  await assertWritable(tx, input);
  // Confluent 8.1 (deleteSchemaVersion): a subject with an association keeps one live version.
  if (!input.permanent && live.every((v) => v.version === target.version) && (await subjectHasAssociations(db, input.context, input.subject))) {
    throw associationErrors.noActiveVersion(input.qualified);
  }
  await assertUnreferenced(tx, input, target.version);
  if (input.permanent && !target.deleted) throw errors.versionNotSoftDeleted(input.qualified, target.version);
  if (input.permanent) {
    await tx.commit(
      [sql.hardDeleteVersions(db, input.context, input.subject, [target.version])],
      changeOf('delete-version-permanent', input, target),
    );
    await evictUnreachable(tx, [target]);
  } else {
    const lastLive = live.length === 1;
    await tx.commit(
      [
        sql.softDeleteVersions(db, input.context, input.subject, [target.version]),
        ...(lastLive ? [sql.deleteConfig(db, input.context, input.subject), sql.deleteMode(db, input.context, input.subject)] : []),
      ],
      changeOf('delete-version', input, target),
    );
  }
  return { value: target.version, bookmark: db.getBookmark() };
}

/**
 * DELETE /contexts/{ctx} (Confluent 8.1 deleteContextOrForward): refused with 42211 while the
 * context holds any subject, soft-deleted ones included; otherwise its row goes, whether or not it
 * was there (Confluent's store delete is idempotent: 204 either way).
 */
export async function deleteContext(tx: WriteTx, input: { context: string }): Written<null> {
  if (await tx.reader.hasVersions(input.context)) throw errors.contextNotEmpty(`:${input.context}:`);
  await tx.commit([sql.deleteContextRow(tx.db, input.context)], changeOf('delete-context', { context: input.context, subject: '' }));
  return { value: null, bookmark: tx.db.getBookmark() };
}
