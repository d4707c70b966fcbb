/**
 * RegistryWriter: the only writer of one context (addressed with idFromName(context)).
 *
 * Every write runs through `serialize()`: a DO's input gate does not cover awaits on D1/R2/KV,
 * so without an explicit queue two registrations could interleave and allocate the same id.
 * Each write reads the primary, decides, archives bodies to R2, then commits one D1 batch()
 * (one transaction, backed by UNIQUE constraints): all of it or none of it.
 */
import { DurableObject } from 'cloudflare:workers';
import { errors, ErrorCode, RegistryError } from '../domain/errors';
import { archiveSchema } from '../storage/archive';
import { RegistryReader } from '../storage/registry-reader';
import { evictSchema } from '../storage/schema-cache';
import { compatibilityMessages } from '../services/compatibility-check';
import { effectiveConfig, effectiveMode, type Mode } from '../services/settings';
import { prepareSchema, type SchemaInput } from '../services/schemas';
import { capture, type WriteOutcome } from './outcome';
import * as sql from './statements';

export interface SubjectRef {
  context: string;
  subject: string;
  /** The name as the client wrote it, for messages. */
  qualified: string;
}

export interface RegisterInput extends SubjectRef {
  schema: SchemaInput;
  normalize: boolean;
  /** IMPORT mode only: keep the supplied id / version. */
  id?: number;
  version?: number;
}

export interface RegisterResult {
  id: number;
  version: number;
  guid: string;
  schemaType: string;
  schema: string;
  references: { name: string; subject: string; version: number }[];
}

type Result<T> = Promise<{ value: T; bookmark: string | null }>;

export class RegistryWriter extends DurableObject<Env> {
  private tail: Promise<unknown> = Promise.resolve();

  private serialize<T>(op: () => Result<T>): Promise<WriteOutcome<T>> {
    const run = this.tail.then(() => capture(op));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private session() {
    const db = this.env.DB.withSession('first-primary');
    return { db, reader: new RegistryReader(db) };
  }

  private async assertWritable(reader: RegistryReader, s: SubjectRef): Promise<Mode> {
    const mode = await effectiveMode(reader, s.context, s.subject);
    if (mode === 'READONLY' || mode === 'READONLY_OVERRIDE') {
      throw errors.operationNotPermitted(`Subject ${s.qualified} is in read-only mode`);
    }
    return mode;
  }

  /**
   * Register (Confluent KafkaSchemaRegistry.register, in its order): the idempotent fast path
   * first (it answers even in READONLY mode), then mode, compatibility, id and version.
   */
  register(input: RegisterInput): Promise<WriteOutcome<RegisterResult>> {
    return this.serialize(async () => {
      const { db, reader } = this.session();
      const config = await effectiveConfig(reader, input.context, input.subject);
      const prepared = await prepareSchema(reader, input.context, input.schema, input.normalize || config.normalize);
      const all = await reader.versions(input.context, input.subject, { deleted: true });
      const live = all.filter((v) => !v.deleted);

      const same = live.find((v) => v.hash === prepared.hash);
      if (same && input.version === undefined && (input.id === undefined || input.id === same.id)) {
        return { value: result(same.id, same.version, same.guid, prepared), bookmark: db.getBookmark() };
      }

      const mode = await effectiveMode(reader, input.context, input.subject);
      if (mode === 'READONLY' || mode === 'READONLY_OVERRIDE') throw errors.operationNotPermitted(`Subject ${input.qualified} is in read-only mode`);
      if (input.id !== undefined && mode !== 'IMPORT') throw errors.operationNotPermitted(`Subject ${input.qualified} is not in import mode`);
      if (input.id === undefined && mode === 'IMPORT') throw errors.operationNotPermitted(`Subject ${input.qualified} is not in read-write mode`);

      const next = (all.at(-1)?.version ?? 0) + 1;
      let version = next;
      if (input.version !== undefined) {
        if (mode !== 'IMPORT' && input.version !== next) {
          throw new RegistryError(ErrorCode.INVALID_SCHEMA, 'Version is not one more than previous version');
        }
        if (all.some((v) => v.version === input.version)) {
          throw errors.operationNotPermitted(`Version ${input.version} of subject ${input.qualified} already exists`);
        }
        version = input.version;
      }

      if (mode !== 'IMPORT') {
        const messages = await compatibilityMessages(reader, prepared, live, config.compatibilityLevel, config.compatibilityPolicy);
        if (messages.length > 0) throw incompatible(input.qualified, messages);
      }

      const known = await reader.schemaByHash(input.context, prepared.hash);
      let id = known?.id ?? (await reader.nextId(input.context));
      if (input.id !== undefined) {
        const taken = await reader.schemaIdTaken(input.context, input.id);
        if (taken && taken.hash !== prepared.hash) throw errors.operationNotPermitted(`Overwrite new schema with id ${input.id} is not permitted.`);
        if (known && known.id !== input.id) {
          throw new RegistryError(ErrorCode.ID_DOES_NOT_MATCH, `Schema already registered with id ${known.id} instead of input id ${input.id}`);
        }
        id = input.id;
      }
      const guid = known?.guid ?? crypto.randomUUID();

      if (!known) await archiveSchema(this.env.ARCHIVE, input.context, prepared);
      const statements = [sql.bumpNextId(db, input.context, id + 1)];
      if (!known) statements.push(sql.insertSchema(db, input.context, id, guid, prepared), ...sql.insertRefs(db, input.context, id, prepared.references));
      // Confluent tombstones a soft-deleted version of the same schema when it is registered again.
      const buried = all.filter((v) => v.deleted && v.hash === prepared.hash).map((v) => v.version);
      if (buried.length) statements.push(sql.hardDeleteVersions(db, input.context, input.subject, buried));
      statements.push(sql.insertVersion(db, input.context, input.subject, version, id));
      await db.batch(statements);
      return { value: result(id, version, guid, prepared), bookmark: db.getBookmark() };
    });
  }

  /** Check order as Confluent: 40401, 40404, read-only, 42206, 40405. A soft delete also drops subject config and mode. */
  deleteSubject(input: SubjectRef & { permanent: boolean }): Promise<WriteOutcome<number[]>> {
    return this.serialize(async () => {
      const { db, reader } = this.session();
      const all = await reader.versions(input.context, input.subject, { deleted: true });
      if (all.length === 0) throw errors.subjectNotFound(input.qualified);
      const live = all.filter((v) => !v.deleted);
      if (!input.permanent && live.length === 0) throw errors.subjectSoftDeleted(input.qualified);
      await this.assertWritable(reader, input);
      const targets = input.permanent ? all : live;
      for (const v of targets) await this.assertUnreferenced(reader, input, v.version);
      if (input.permanent && live.length > 0) throw errors.subjectNotSoftDeleted(input.qualified);
      const numbers = targets.map((v) => v.version);
      const drop = input.permanent ? sql.hardDeleteVersions : sql.softDeleteVersions;
      await db.batch([
        drop(db, input.context, input.subject, numbers),
        sql.deleteConfig(db, input.context, input.subject),
        sql.deleteMode(db, input.context, input.subject),
      ]);
      if (input.permanent) await this.evictUnreachable(reader, targets);
      return { value: numbers, bookmark: db.getBookmark() };
    });
  }

  deleteVersion(input: SubjectRef & { version: number | 'latest'; permanent: boolean }): Promise<WriteOutcome<number>> {
    return this.serialize(async () => {
      const { db, reader } = this.session();
      await this.assertWritable(reader, input);
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
      await this.assertUnreferenced(reader, input, target.version);
      if (input.permanent) {
        await db.batch([sql.hardDeleteVersions(db, input.context, input.subject, [target.version])]);
        await this.evictUnreachable(reader, [target]);
      } else {
        const lastLive = all.filter((v) => !v.deleted).length === 1;
        await db.batch([
          sql.softDeleteVersions(db, input.context, input.subject, [target.version]),
          ...(lastLive ? [sql.deleteConfig(db, input.context, input.subject), sql.deleteMode(db, input.context, input.subject)] : []),
        ]);
      }
      return { value: target.version, bookmark: db.getBookmark() };
    });
  }

  setConfig(input: SubjectRef & { body: Record<string, unknown> }): Promise<WriteOutcome<Record<string, unknown>>> {
    return this.serialize(async () => {
      const { db, reader } = this.session();
      if (input.subject) await this.assertWritable(reader, input);
      // PUT merges into what was set at this scope (Confluent 7.x+ keeps unspecified fields).
      const previous = (await reader.config(input.context, input.subject)) ?? {};
      const merged = { ...previous, ...input.body };
      await db.batch([sql.ensureContext(db, input.context), sql.putConfig(db, input.context, input.subject, merged)]);
      return { value: merged, bookmark: db.getBookmark() };
    });
  }

  deleteConfig(input: SubjectRef): Promise<WriteOutcome<Record<string, unknown> | null>> {
    return this.serialize(async () => {
      const { db, reader } = this.session();
      const previous = await reader.config(input.context, input.subject);
      if (input.subject) {
        if (!previous) throw errors.subjectNotFound(input.qualified);
        await this.assertWritable(reader, input);
      }
      await db.batch([sql.deleteConfig(db, input.context, input.subject)]);
      return { value: previous, bookmark: db.getBookmark() };
    });
  }

  setMode(input: SubjectRef & { mode: Mode; force: boolean }): Promise<WriteOutcome<Mode>> {
    return this.serialize(async () => {
      const { db, reader } = this.session();
      const purge: D1PreparedStatement[] = [];
      let purged: { context: string; id: number; guid: string }[] = [];
      const current = await effectiveMode(reader, input.context, input.subject);
      // Confluent: entering IMPORT needs an empty scope unless forced; soft-deleted subjects in it are purged.
      if (input.mode === 'IMPORT' && current !== 'IMPORT' && !input.force) {
        const rows = input.subject
          ? await reader.versions(input.context, input.subject, { deleted: true })
          : await reader.allVersions(input.context, { deleted: true });
        if (rows.some((v) => !v.deleted)) throw errors.operationNotPermitted('Cannot import since found existing subjects');
        for (const v of rows) await this.assertUnreferenced(reader, { ...input, subject: v.subject, qualified: v.subject }, v.version);
        purged = rows;
        for (const subject of new Set(rows.map((v) => v.subject))) {
          const numbers = rows.filter((v) => v.subject === subject).map((v) => v.version);
          purge.push(sql.hardDeleteVersions(db, input.context, subject, numbers));
        }
      }
      await db.batch([...purge, sql.ensureContext(db, input.context), sql.putMode(db, input.context, input.subject, input.mode)]);
      await this.evictUnreachable(reader, purged);
      return { value: input.mode, bookmark: db.getBookmark() };
    });
  }

  deleteMode(input: SubjectRef): Promise<WriteOutcome<string | null>> {
    return this.serialize(async () => {
      const { db, reader } = this.session();
      const previous = await reader.mode(input.context, input.subject);
      if (input.subject && !previous) throw errors.subjectNotFound(input.qualified);
      await db.batch([sql.deleteMode(db, input.context, input.subject)]);
      return { value: previous, bookmark: db.getBookmark() };
    });
  }

  /** Confluent 42206: a version some live schema references cannot be deleted. */
  private async assertUnreferenced(reader: RegistryReader, s: SubjectRef, version: number): Promise<void> {
    const by = await reader.referencedBy(s.context, s.subject, version);
    if (by.length > 0) {
      throw errors.referenceExists(`One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=${s.qualified},version=${version}}.`);
    }
  }

  /** After a hard delete, drop cached documents of ids that no version uses any more. */
  private async evictUnreachable(reader: RegistryReader, removed: { context: string; id: number; guid: string }[]): Promise<void> {
    for (const v of removed) {
      if (!(await reader.schemaById(v.context, v.id))) await evictSchema(this.env.SCHEMA_KV, v);
    }
  }
}

function result(id: number, version: number, guid: string, p: Awaited<ReturnType<typeof prepareSchema>>): RegisterResult {
  return { id, version, guid, schemaType: p.schemaType, schema: p.text, references: p.references };
}

function incompatible(subject: string, messages: string[]): RegistryError {
  return new RegistryError(
    ErrorCode.INCOMPATIBLE_SCHEMA,
    `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${messages.join(', ')}]`,
  );
}
