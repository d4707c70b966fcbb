/**
 * RegistryWriter: the only writer of one context (addressed with idFromName(context)), and, under
 * the name "*" (no context is named so), the writer of registry-wide state: API keys, restores,
 * and the audit rows of admin reads and refused requests.
 *
 * Every write waits in one queue (`enqueue()`): a DO's input gate does not cover awaits on
 * D1/R2/KV, so without an explicit queue two registrations could interleave and allocate the same
 * id. Registrations waiting together are group-committed (group-commit.ts): decided in order
 * against one view of the context, committed in one D1 batch (one transaction, backed by UNIQUE
 * constraints) with each write's audit row. Any other write runs alone, as `serialize()`: it
 * reads the primary, decides, commits one batch with its audit row. A write refused with a
 * RegistryError is recorded too. The writes themselves live in register.ts, deletes.ts,
 * settings-writes.ts and registry-writes.ts.
 */
import { DurableObject } from 'cloudflare:workers';
import type { Grant } from '../domain/grant-rules';
import { qualify } from '../domain/naming';
import type { VersionId } from '../domain/version-id';
import { pruneEvents } from '../services/events';
import type { Mode } from '../services/settings';
import type { ApiKeyInfo } from '../storage/api-keys';
import { type Actor, appendStatement, type AuditEntry, chainHead, REGISTRY_STREAM } from '../storage/audit';
import { RegistryReader } from '../storage/registry-reader';
import { associationAudit, type AssociationWrite, type AssociationWriteResult, associationWrite, mutateRequest } from './association-writes';
import { dekAudit, type DekWrite, type DekWriteResult, dekWrite } from './dek-writes';
import type { Webhook, WebhookRow } from '../storage/webhooks';
import { deleteContext, deleteSubject, deleteVersion } from './deletes';
import { EvictionBacklog } from './eviction-backlog';
import { evictSchemas } from '../services/schema-cache';
import { capture, type WriteOutcome } from './outcome';
import { actionVerb, type CommitResult, measuredCommit } from './commit-metrics';
import { type Ahead, commitGroup, type GroupStats, joins, LINGER_MS, lingers, type RegisterJob } from './group-commit';
import type { RegisterInput, RegisterOutcome } from './register';
import { advanceGeneration, createKey, restore, revokeKey, rotateKey } from './registry-writes';
import { abandonRestore, type RestoreInput, type RestoreProgress, restoreSnapshot } from './restore-snapshot';
import { deleteConfig, deleteMode, setConfig, setMode } from './settings-writes';
import { createWebhook, deleteWebhook, type WebhookInput } from './webhook-writes';
import { type AuditContext, committer, type SubjectRef, type WriteTx, type Written, writeShare } from './tx';

export type { RegisterInput } from './register';
export type { SubjectRef } from './tx';
export type { RestoreProgress } from './restore-snapshot';
export type { DekWrite } from './dek-writes';
export type { AssociationWrite, AssociationWriteResult, Cascade } from './association-writes';

const committed = (): CommitResult => ({ result: 'committed', errorCode: '' });

/** Every write names who asked (for the audit row). */
type By<T> = T & { actor: Actor };

/** A write waiting in the queue: a registration (may share a group) or any other write (runs alone). */
type Job = { kind: 'register'; job: RegisterJob } | { kind: 'alone'; run: () => Promise<void> };

export class RegistryWriter extends DurableObject<Env> {
  private readonly queue: Job[] = [];
  private draining = false;
  /** How this object's registrations were grouped (group-commit.ts); read by tests. */
  readonly groupStats: GroupStats = { groups: 0, writes: 0, largest: 0, split: 0 };
  /** How many writes the last group held (group-commit.ts lingers). */
  private lastGroup = 0;
  /** Evictions after permanent deletes, the ones one invocation cannot make left to the alarm. */
  private readonly evictions = new EvictionBacklog(this.ctx.storage, (schemas) =>
    evictSchemas(this.env.SCHEMA_KV, new RegistryReader(this.env.DB.withSession('first-primary')), schemas),
  );

  /** The alarm makes the evictions left by permanent deletes, a slice at a time (eviction-backlog.ts). */
  override async alarm(): Promise<void> {
    await this.evictions.run();
  }

  /**
   * The queue, drained by one loop at a time. Registrations at the head of the queue are taken
   * together (up to GROUP_LIMITS) and committed in one batch; any other write runs alone, in its
   * turn, exactly as before group commit.
   */
  private enqueue(job: Job): void {
    this.queue.push(job);
    if (!this.draining) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    /** What the last group's commit read for the group behind it (group-commit.ts Ahead). */
    let ahead: Ahead | undefined;
    try {
      while (this.queue.length > 0) {
        const first = this.queue[0];
        if (first.kind === 'alone') {
          this.queue.shift();
          ahead = undefined;
          await first.run();
          continue;
        }
        // The group read ahead waits at the head of the queue, in order (only this loop takes from
        // it, and jobs left over by a commit cancel the read); otherwise the group forms here.
        if (ahead && !ahead.jobs.every((job, i) => this.queued(i) === job)) ahead = undefined;
        // In a burst, more registrations join a group formed a moment later (group-commit.ts LINGER_MS).
        if (!ahead && lingers(this.lastGroup, this.queue.length)) await scheduler.wait(LINGER_MS);
        const group = ahead?.jobs ?? this.nextGroup();
        this.queue.splice(0, group.length);
        const of = { action: 'register', context: group[0].input.context, writes: group.length };
        const done = await measuredCommit(
          this.env,
          of,
          (env) => commitGroup(env, group, this.groupStats, { ahead, next: () => this.nextGroup() }),
          (r) => (r.failed > 0 && r.failed === group.length ? { result: 'failed', errorCode: '' } : committed()),
        );
        ahead = done.ahead;
        this.lastGroup = group.length - done.left.length;
        this.queue.unshift(...done.left.map((job): Job => ({ kind: 'register', job })));
      }
    } finally {
      this.draining = false;
    }
  }

  /** The registration at position `i` of the queue, if that is one. */
  private queued(i: number): RegisterJob | undefined {
    const job = this.queue.at(i);
    return job?.kind === 'register' ? job.job : undefined;
  }

  /** The registrations at the head of the queue that form one group (group-commit.ts `joins`), left in the queue. */
  private nextGroup(): RegisterJob[] {
    const group: RegisterJob[] = [];
    for (let job = this.queued(0); job && joins(group, job); job = this.queued(group.length)) group.push(job);
    return group;
  }

  private serialize<T>(audit: AuditContext, op: (tx: WriteTx) => Written<T>, action = actionVerb(audit.action)): Promise<WriteOutcome<T>> {
    return new Promise((resolve, reject) => {
      this.enqueue({
        kind: 'alone',
        run: async () => {
          try {
            const of = { action, context: audit.stream, writes: 1 };
            const outcome = await measuredCommit(
              this.env,
              of,
              async (env) => {
                const db = env.DB.withSession('first-primary');
                const outcome = await capture(() =>
                  op({ db, reader: new RegistryReader(db), env, commit: committer(db, audit), evict: (s) => this.evictions.evict(s) }),
                );
                if (!outcome.ok) {
                  const share = await writeShare(db, audit, await chainHead(db, audit.stream), [], `error ${outcome.code}`);
                  await db.batch(share.statements);
                }
                return outcome;
              },
              (o) => (o.ok ? { result: 'committed', errorCode: '' } : { result: 'refused', errorCode: String(o.code) }),
            );
            resolve(outcome);
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        },
      });
    });
  }

  private subjectAudit(action: string, input: By<SubjectRef>): AuditContext {
    return { stream: input.context, actor: input.actor, action, target: qualify(input.context, input.subject) || input.context };
  }

  /** Group-committed with the registrations queued beside it (group-commit.ts). */
  register(input: By<RegisterInput>): Promise<RegisterOutcome> {
    return new Promise((settle, fail) => {
      this.enqueue({ kind: 'register', job: { input, audit: this.subjectAudit('register', input), settle, fail } });
    });
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
    return this.serialize(
      { stream: REGISTRY_STREAM, actor: entry, action: entry.action, target: entry.target },
      async (tx) => {
        await tx.db.batch([await appendStatement(tx.db, REGISTRY_STREAM, await chainHead(tx.db, REGISTRY_STREAM), entry)]);
        return { value: null, bookmark: tx.db.getBookmark() };
      },
      'audit', // its action is a request line: a commit point names the kind of write
    );
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

  /**
   * Retention of the change events (daily, from the cron trigger): remove those older than `days`
   * days, in bounded statements, then the audit row. Events are no registry entity: removing
   * them is no change event.
   */
  pruneEvents(input: By<{ days: number }>): Promise<WriteOutcome<{ removed: number }>> {
    return this.serialize(this.registryAudit(`prune-events ${input.days}d`, 'events', input.actor), async (tx) => {
      const removed = await pruneEvents(tx.db, new Date(Date.now() - input.days * 86_400_000));
      await tx.commit([], null);
      return { value: { removed }, bookmark: tx.db.getBookmark() };
    });
  }

  /** A DEK registry write (KEKs and DEKs of every context: durable/dek-writes.ts says why all on "*"). */
  dekRegistry(input: By<DekWrite>): Promise<WriteOutcome<DekWriteResult>> {
    const { action, target } = dekAudit(input);
    return this.serialize(this.registryAudit(action, target, input.actor), (tx) => dekWrite(tx, input));
  }

  /**
   * An association write (durable/association-writes.ts says why all on "*"): a create, upsert or
   * delete, or one request of a :batchMutate (each request alone, all-or-nothing).
   */
  associations(input: By<AssociationWrite>): Promise<WriteOutcome<AssociationWriteResult>> {
    const { action, target } = associationAudit(input);
    return this.serialize(this.registryAudit(action, target, input.actor), (tx) =>
      input.op === 'mutate' ? mutateRequest(tx, input) : associationWrite(tx, input),
    );
  }

  /** A webhook subscription: its secret is in this answer only (durable/webhook-writes.ts). */
  createWebhook(input: By<WebhookInput>): Promise<WriteOutcome<WebhookRow>> {
    const { actor, ...webhook } = input;
    // The audit names the origin only: a receiver's path or query may carry a token of its own.
    return this.serialize(this.registryAudit('create-webhook', new URL(input.url).origin, actor), (tx) => createWebhook(tx, webhook));
  }

  deleteWebhook(input: By<{ id: string }>): Promise<WriteOutcome<Webhook>> {
    return this.serialize(this.registryAudit('delete-webhook', input.id, input.actor), (tx) => deleteWebhook(tx, input));
  }

  private registryAudit(action: string, target: string, actor: Actor): AuditContext {
    return { stream: REGISTRY_STREAM, actor, action, target };
  }
}
