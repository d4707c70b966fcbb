/** Config and mode writes. Entering IMPORT mode needs an empty scope (Confluent), unless forced. */
import { errors } from '../domain/errors';
import { effectiveMode, type Mode } from '../services/settings';
import * as sql from './statements';
import { assertNoneReferenced, assertWritable, changeOf, evictUnreachable, type SubjectRef, type WriteTx, type Written } from './tx';

export async function setConfig(tx: WriteTx, input: SubjectRef & { body: Record<string, unknown> }): Written<Record<string, unknown>> {
  const { db, reader } = tx;
  if (input.subject) await assertWritable(tx, input);
  // PUT merges into what was set at this scope (Confluent 7.x+ keeps unspecified fields).
  const previous = (await reader.config(input.context, input.subject)) ?? {};
  const merged = { ...previous, ...input.body };
  await tx.commit([sql.ensureContext(db, input.context), sql.putConfig(db, input.context, input.subject, merged)], changeOf('set-config', input));
  return { value: merged, bookmark: db.getBookmark() };
}

export async function deleteConfig(tx: WriteTx, input: SubjectRef): Written<Record<string, unknown> | null> {
  const { db, reader } = tx;
  const previous = await reader.config(input.context, input.subject);
  if (input.subject) {
    if (!previous) throw errors.subjectNotFound(input.qualified);
    await assertWritable(tx, input);
  }
  await tx.commit([sql.deleteConfig(db, input.context, input.subject)], changeOf('delete-config', input));
  return { value: previous, bookmark: db.getBookmark() };
}

export async function setMode(tx: WriteTx, input: SubjectRef & { mode: Mode; force: boolean }): Written<Mode> {
  const { db, reader } = tx;
  const purge: D1PreparedStatement[] = [];
  let purged: { context: string; id: number; guid: string }[] = [];
  const current = await effectiveMode(reader, input.context, input.subject);
  // Confluent: entering IMPORT needs an empty scope unless forced; soft-deleted subjects in it are purged.
  if (input.mode === 'IMPORT' && current !== 'IMPORT' && !input.force) {
    const rows = input.subject
      ? await reader.history(input.context, input.subject, { deleted: true })
      : await reader.contextVersions(input.context, { deleted: true });
    if (rows.some((v) => !v.deleted)) throw errors.operationNotPermitted('Cannot import since found existing subjects');
    await assertNoneReferenced(tx, input.context, input.subject || undefined);
    purged = rows;
    for (const subject of new Set(rows.map((v) => v.subject))) {
      const numbers = rows.filter((v) => v.subject === subject).map((v) => v.version);
      purge.push(sql.hardDeleteVersions(db, input.context, subject, numbers));
    }
  }
  await tx.commit(
    [...purge, sql.ensureContext(db, input.context), sql.putMode(db, input.context, input.subject, input.mode)],
    changeOf('set-mode', input),
  );
  await evictUnreachable(tx, purged);
  return { value: input.mode, bookmark: db.getBookmark() };
}

export async function deleteMode(tx: WriteTx, input: SubjectRef): Written<string> {
  const { db, reader } = tx;
  const previous = await reader.mode(input.context, input.subject);
  if (!previous) throw errors.subjectNotFound(input.qualified);
  await tx.commit([sql.deleteMode(db, input.context, input.subject)], changeOf('delete-mode', input));
  return { value: previous, bookmark: db.getBookmark() };
}
