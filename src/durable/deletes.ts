/**
 * Soft and permanent deletes of subjects and versions, with Confluent's check order:
 * 40401, 40404/40406, read-only (42205), references (42206), 40405/40407.
 * A soft delete of a subject (or of its last live version) also drops its config and mode.
 */
import { errors } from '../domain/errors';
import type { VersionId } from '../domain/version-id';
import * as sql from './statements';
import { assertUnreferenced, assertWritable, evictUnreachable, type SubjectRef, type WriteTx, type Written } from './tx';

export async function deleteSubject(tx: WriteTx, input: SubjectRef & { permanent: boolean }): Written<number[]> {
  const { db, reader } = tx;
  const all = await reader.versions(input.context, input.subject, { deleted: true });
  if (all.length === 0) throw errors.subjectNotFound(input.qualified);
  const live = all.filter((v) => !v.deleted);
  if (!input.permanent && live.length === 0) throw errors.subjectSoftDeleted(input.qualified);
  await assertWritable(tx, input);
  const targets = input.permanent ? all : live;
  for (const v of targets) await assertUnreferenced(tx, input, v.version);
  if (input.permanent && live.length > 0) throw errors.subjectNotSoftDeleted(input.qualified);
  const numbers = targets.map((v) => v.version);
  const drop = input.permanent ? sql.hardDeleteVersions : sql.softDeleteVersions;
  await db.batch([
    drop(db, input.context, input.subject, numbers),
    sql.deleteConfig(db, input.context, input.subject),
    sql.deleteMode(db, input.context, input.subject),
  ]);
  if (input.permanent) await evictUnreachable(tx, targets);
  return { value: numbers, bookmark: db.getBookmark() };
}

export async function deleteVersion(tx: WriteTx, input: SubjectRef & { version: VersionId; permanent: boolean }): Written<number> {
  const { db, reader } = tx;
  const all = await reader.versions(input.context, input.subject, { deleted: true });
  if (all.length === 0) throw errors.subjectNotFound(input.qualified);
  const target =
    input.version === 'latest'
      ? input.permanent
        ? all.at(-1)
        : all.filter((v) => !v.deleted).at(-1)
      : all.find((v) => v.version === input.version);
  if (!target) throw errors.versionNotFound(input.version === 'latest' ? 'latest' : input.version);
  if (input.permanent && !target.deleted) throw errors.versionNotSoftDeleted(input.qualified, target.version);
  if (!input.permanent && target.deleted) throw errors.versionSoftDeleted(input.qualified, target.version);
  await assertWritable(tx, input);
  await assertUnreferenced(tx, input, target.version);
  if (input.permanent) {
    await db.batch([sql.hardDeleteVersions(db, input.context, input.subject, [target.version])]);
    await evictUnreachable(tx, [target]);
  } else {
    const lastLive = all.filter((v) => !v.deleted).length === 1;
    await db.batch([
      sql.softDeleteVersions(db, input.context, input.subject, [target.version]),
      ...(lastLive ? [sql.deleteConfig(db, input.context, input.subject), sql.deleteMode(db, input.context, input.subject)] : []),
    ]);
  }
  return { value: target.version, bookmark: db.getBookmark() };
}
