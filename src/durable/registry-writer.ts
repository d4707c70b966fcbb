/**
 * RegistryWriter: the only writer of one context (addressed with idFromName(context)), and, under
 * the name "*" (no context is named so), the writer of registry-wide state: API keys, restores,
 * and the audit rows of admin reads and refused requests.
 *
 * Every write runs through `serialize()`: a DO's input gate does not cover awaits on D1/R2/KV,
 * so without an explicit queue two registrations could interleave and allocate the same id.
 * Each write reads the primary, decides, then commits one D1 batch()
 * (one transaction, backed by UNIQUE constraints) that also appends its audit row: all of it or
 * none of it. A write refused with a RegistryError is recorded too, in a batch of its own. The
 * writes themselves live in register.ts, deletes.ts, settings-writes.ts and registry-writes.ts.
 */
import { DurableObject } from 'cloudflare:workers';
import type { Grant } from '../domain/grants';
import { qualify } from '../domain/naming';
import type { VersionId } from '../domain/version-id';
import type { Mode } from '../services/settings';
import type { ApiKeyInfo } from '../storage/api-keys';
import { type Actor, appendStatement, type AuditEntry, chainHead, REGISTRY_STREAM } from '../storage/audit';
import { RegistryReader } from '../storage/registry-reader';
import { deleteContext, deleteSubject, deleteVersion } from './deletes';
import { capture, type WriteOutcome } from './outcome';
import { register, type RegisterInput, type RegisterResult } from './register';
import { advanceGeneration, createKey, restore, revokeKey, rotateKey } from './registry-writes';
import { abandonRestore, type RestoreInput, type RestoreProgress, restoreSnapshot } from './restore-snapshot';
import { deleteConfig, deleteMode, setConfig, setMode } from './settings-writes';
import { type AuditContext, committer, type SubjectRef, type WriteTx, type Written } from './tx';

export type { RegisterInput, RegisterResult } from './register';
export type { SubjectRef } from './tx';
export type { RestoreProgress } from './restore-snapshot';

/** Every write names who asked (for the audit row). */
type By<T> = T & { actor: Actor };

export class RegistryWriter extends DurableObject<Env> {
  private tail: Promise<unknown> = Promise.resolve();

  private serialize<T>(audit: AuditContext, op: (tx: WriteTx) => Written<T>): Promise<WriteOutcome<T>> {
    const run = this.tail.then(async () => {
      const db = this.env.DB.withSession('first-primary');
      const outcome = await capture(() => op({ db, reader: new RegistryReader(db), env: this.env, commit: committer(db, audit) }));
      if (!outcome.ok)
        await this.append(db, audit.stream, { ...audit.actor, action: audit.action, target: audit.target, result: `error ${outcome.code}` });
      return outcome;
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async append(db: D1DatabaseSession, stream: string, entry: AuditEntry): Promise<void> {
    await db.batch([await appendStatement(db, stream, await chainHead(db, stream), entry)]);
  }

  private subjectAudit(action: string, input: By<SubjectRef>): AuditContext {
    return { stream: input.context, actor: input.actor, action, target: qualify(input.context, input.subject) || input.context };
  }

  register(input: By<RegisterInput>): Promise<WriteOutcome<RegisterResult>> {
    return this.serialize(this.subjectAudit('register', input), (tx) => register(tx, input));
  }

  deleteSubject(input: By<SubjectRef & { permanent: boolean }>): Promise<WriteOutcome<number[]>> {
    return this.serialize(this.subjectAudit(input.permanent ? 'delete-subject-permanent' : 'delete-subject', input), (tx) =>
      deleteSubject(tx, input),
    );
  }

  deleteVersion(input: By<SubjectRef & { version: VersionId; permanent: boolean }>): Promise<WriteOutcome<number>> {
    const action = `${input.permanent ? 'delete-version-permanent' : 'delete-version'} ${input.version}`;
    return this.serialize(this.subjectAudit(action, input), (tx) => deleteVersion(tx, input));
  }

  deleteContext(input: By<{ context: string }>): Promise<WriteOutcome<null>> {
    const audit = { stream: input.context, actor: input.actor, action: 'delete-context', target: input.context };
    return this.serialize(audit, (tx) => deleteContext(tx, input));
  }

  setConfig(input: By<SubjectRef & { body: Record<string, unknown> }>): Promise<WriteOutcome<Record<string, unknown>>> {
    return this.serialize(this.subjectAudit('set-config', input), (tx) => setConfig(tx, input));
  }

  deleteConfig(input: By<SubjectRef>): Promise<WriteOutcome<Record<string, unknown> | null>> {
    return this.serialize(this.subjectAudit('delete-config', input), (tx) => deleteConfig(tx, input));
  }

  setMode(input: By<SubjectRef & { mode: Mode; force: boolean }>): Promise<WriteOutcome<Mode>> {
    return this.serialize(this.subjectAudit(`set-mode ${input.mode}`, input), (tx) => setMode(tx, input));
  }

  deleteMode(input: By<SubjectRef>): Promise<WriteOutcome<string>> {
    return this.serialize(this.subjectAudit('delete-mode', input), (tx) => deleteMode(tx, input));
  }

  /** Readiness: the object answers (and reaches D1 from where it runs). */
  async ping(): Promise<{ ok: true }> {
    await this.env.DB.withSession('first-primary').prepare('SELECT 1').first();
    return { ok: true };
  }

  // Registry-wide writes: called on the writer named "*" only.

  /** An audit row for something that wrote nothing (an admin read, a refused request). */
  record(entry: AuditEntry): Promise<WriteOutcome<null>> {
    return this.serialize({ stream: REGISTRY_STREAM, actor: entry, action: entry.action, target: entry.target }, async (tx) => {
      await this.append(tx.db, REGISTRY_STREAM, entry);
      return { value: null, bookmark: tx.db.getBookmark() };
    });
  }

  createKey(input: By<{ name: string; grants: Grant[]; expiresAt: number | null }>): Promise<WriteOutcome<ApiKeyInfo & { secret: string }>> {
    return this.serialize(this.registryAudit('create-key', input.name, input.actor), (tx) => createKey(tx, input));
  }

  revokeKey(input: By<{ key: string }>): Promise<WriteOutcome<ApiKeyInfo>> {
    return this.serialize(this.registryAudit('revoke-key', input.key, input.actor), (tx) => revokeKey(tx, input));
  }

  rotateKey(input: By<{ key: string; graceSeconds: number }>): Promise<WriteOutcome<ApiKeyInfo & { secret: string }>> {
    return this.serialize(this.registryAudit('rotate-key', input.key, input.actor), (tx) => rotateKey(tx, input));
  }

  /** Restore a snapshot (its JSON text) into an empty registry, in one batch with its audit row. */
  restore(input: By<{ snapshot: string }>): Promise<WriteOutcome<Record<string, number>>> {
    return this.serialize(this.registryAudit('restore', 'registry', input.actor), (tx) => restore(tx, input.snapshot));
  }

  /** One bounded step of the chunked restore of a snapshot in R2 (durable/restore-snapshot.ts); post again to continue. */
  restoreSnapshot(input: By<RestoreInput>): Promise<WriteOutcome<RestoreProgress>> {
    return this.serialize(this.registryAudit(`restore-snapshot ${input.name}`, 'registry', input.actor), (tx) => restoreSnapshot(tx, input));
  }

  /** Abandon the restore in progress: what it wrote is removed, writes are accepted again. */
  abandonRestore(input: By<object>): Promise<WriteOutcome<{ abandoned: string | null }>> {
    return this.serialize(this.registryAudit('abandon-restore', 'registry', input.actor), (tx) => abandonRestore(tx));
  }

  /** Advance the registry generation (after D1 Time Travel): every cached read from before is unreachable. */
  advanceGeneration(input: By<object>): Promise<WriteOutcome<{ generation: number }>> {
    return this.serialize(this.registryAudit('advance-generation', 'registry', input.actor), (tx) => advanceGeneration(tx));
  }

  private registryAudit(action: string, target: string, actor: Actor): AuditContext {
    return { stream: REGISTRY_STREAM, actor, action, target };
  }
}
