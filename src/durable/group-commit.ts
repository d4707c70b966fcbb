/**
 * Group commit: the registrations waiting in a writer's queue are decided in queue order against
 * one view of the context (context-view.ts: the primary's state plus the group's earlier writes)
 * and committed together in ONE D1 batch holding every write's rows, change event and audit row
 * (composeBatch; rows of one kind share multi-row INSERTs, since D1 costs per statement). D1 runs a
 * batch as one transaction, so a group commits all of its writes, each whole, or none of them.
 *
 * - A client hears its answer only after the batch that holds its write committed; an idempotent
 *   hit or a refusal waits for the batch too (a hit may be a version the same group registers; a
 *   refusal's audit row is in the batch).
 * - Ids stay unique and gap-free: the view hands them out in order from the committed counter, and
 *   the batch commits all of them or none.
 * - A failed group (its read or its batch) is retried write by write, each decided
 *   again from the primary in a group of its own, in the original order. Why not fail them all:
 *   a batch fails as a whole, so one write whose statements fail (a constraint, a size) would
 *   otherwise fail its neighbours, and a batch whose answer was lost may have committed, which a
 *   new decision finds (the idempotent path answers the same id). A write that fails alone fails
 *   with its own error. When D1 is down, every retry fails fast with it: at most GROUP_LIMITS.writes
 *   extra round trips. A retry reads alone: it carries no read for the group behind it.
 * - A group reads its state in one round trip and commits in another; when registrations wait
 *   behind it, its commit also reads for them (`Ahead`), so a group behind another costs one.
 */
import { RegistryError } from '../domain/errors';
import { type ChainHead, chainHead } from '../storage/audit';
import { RegistryReader } from '../storage/registry-reader';
import { ContextView, type ViewReads } from './context-view';
import { decideRegistration, type Decision, planOf, type RegisterInput, type RegisterOutcome } from './register';
import type { Registration } from '../services/registration';
import { type PreparedSchema, prepareSchema } from '../services/schemas';
import { registrationStatements, type RegisteredRows, rowCount } from './statements';
import { type AuditContext, changeOf, commitShares, commitSharesSettlingOutbox, type ShareOf, shares } from './tx';

/**
 * Bounds on one group. Writes: how many registrations share a batch. Statements: the rows the
 * decided writes add, each counted as the statement it once was (statements.ts rowCount: counter,
 * schema, references, tombstones, version) plus its audit row, checked before each write is decided
 * (a write with many references can pass it alone). The batch holds far fewer statements (rows of
 * a kind share multi-row INSERTs) and the group reads in 7 (+ 2); the count keeps the bound where it
 * was, far below D1's 1,000 queries per invocation (paid plan).
 */
const GROUP_LIMITS = { writes: 32, statements: 256 };

/**
 * How long a writer in a burst waits for more registrations before it forms a group (Kafka's
 * `linger.ms`): a group costs its two round trips whatever its size, so during a burst a moment's
 * wait turns several groups into one. A burst is what the last group says: it held more than one
 * write, so clients are registering concurrently. A lone client (a group of one after another, an
 * importer registering in sequence, a registration after a quiet spell) never waits: after a burst
 * the first lone write waits once, and its group of one ends the lingering.
 */
export const LINGER_MS = 2;

/** Should the writer wait LINGER_MS before forming the next group? `last`: writes in the group it committed last; `queued`: registrations waiting now. */
export function lingers(last: number, queued: number): boolean {
  return last > 1 && queued < GROUP_LIMITS.writes;
}

export interface RegisterJob {
  input: RegisterInput;
  audit: AuditContext;
  settle: (o: RegisterOutcome) => void;
  fail: (e: unknown) => void;
}

/** What the writer counts about its groups (GET-able for tests and metrics; per object, since it started). */
export interface GroupStats {
  groups: number;
  writes: number;
  largest: number;
  /** Groups that failed and were retried write by write. */
  split: number;
}

/**
 * May `job` join a group that holds `group` so far? Same context (one audit stream, one view),
 * within the bound; a registration with references only as the first of its group: its
 * references are resolved against committed state, never against versions the group has not
 * committed yet.
 */
export function joins(group: RegisterJob[], job: RegisterJob): boolean {
  if (group.length === 0) return true;
  if (group.length >= GROUP_LIMITS.writes) return false;
  if (job.input.context !== group[0].input.context || job.audit.stream !== group[0].audit.stream) return false;
  return !job.input.schema.references?.length;
}

type Decided = { job: RegisterJob; decision: Decision } | { job: RegisterJob; refusal: RegistryError };

/**
 * The reads of the group queued behind a committing one, carried by its commit batch
 * (ContextView.reads after the write guard: they see the state the batch committed). The group
 * they were read for is exactly `jobs`, which wait at the head of the queue: nothing runs in
 * between, so what the reads found is the state that group is decided against, and it starts
 * without a read of its own. A registration then costs its group one round trip, not two.
 */
export interface Ahead {
  jobs: RegisterJob[];
  guessed: Guessed;
  reads: ViewReads;
  results: D1Result[];
}

export interface GroupCommitted {
  /** The jobs not taken (the statement bound was reached): the caller puts them back at the head of its queue. */
  left: RegisterJob[];
  /** How many jobs failed with an exception (not a refusal), for the commit point. */
  failed: number;
  /** The reads of the next group, when this group's commit carried them. */
  ahead?: Ahead;
}

/**
 * Decide and commit one group. `ahead`: what the previous commit read for exactly these jobs.
 * `next`: the group queued behind this one when its batch is composed (the caller's queue), whose
 * reads the batch carries.
 */
export async function commitGroup(
  env: Env,
  jobs: RegisterJob[],
  stats: GroupStats,
  o: { ahead?: Ahead; next?: () => RegisterJob[] } = {},
): Promise<GroupCommitted> {
  const db = env.DB.withSession('first-primary');
  const reader = new RegistryReader(db);
  const { context } = jobs[0].input;
  const decided: Decided[] = [];
  const failedAlone = new Set<RegisterJob>();
  let failed = 0;
  const fail = (job: RegisterJob, e: unknown) => {
    failed++;
    job.fail(e);
  };
  let taken = jobs;
  let left: RegisterJob[] = [];
  let ahead: Ahead | undefined;
  let view: ContextView | undefined;
  /** Whether the Worker should drain the webhook outbox after these writes (durable/outcome.ts). */
  let drain = true;
  try {
    const loaded = o.ahead ? fromAhead(o.ahead, reader) : await load(db, reader, jobs);
    const { guessed, head } = loaded;
    view = loaded.view;
    const plans = await planAhead(view, jobs, guessed);
    let statements = 0;
    for (const [i, job] of jobs.entries()) {
      if (i > 0 && statements >= GROUP_LIMITS.statements) {
        [taken, left] = [jobs.slice(0, i), jobs.slice(i)];
        break;
      }
      try {
        const decision = await decideRegistration(view, job.input, plans.get(job), guessed.prepared.get(job));
        decided.push({ job, decision });
        statements += (decision.rows ? rowCount(decision.rows) : 0) + 1;
      } catch (e) {
        if (!(e instanceof RegistryError)) {
          // Its own read failed: nothing of it is in the view, its neighbours go on.
          failedAlone.add(job);
          fail(job, e);
          continue;
        }
        decided.push({ job, refusal: e });
        statements++;
      }
    }
    const batch = await composeBatch(db, context, decided, head);
    if (batch.length > 0) {
      // Jobs left over go back ahead of the queue, so the group after this one is not `next`.
      const next = left.length === 0 ? o.next?.() : undefined;
      const read = next?.length ? await readsFor(db, reader, next) : undefined;
      const extra = read?.reads.statements ?? [];
      let results: D1Result[];
      // With the WEBHOOKS queue bound, the batch also settles the outbox when no subscription exists.
      if (webhooksBound(env)) ({ drain, reads: results } = await commitSharesSettlingOutbox(db, batch, extra));
      else results = await commitShares(db, batch, extra);
      if (read) ahead = { ...read, results };
    }
  } catch (e) {
    const retry = taken.filter((j) => !failedAlone.has(j));
    if (e instanceof RegistryError) {
      // The write guard refused the batch (a snapshot restore holds the registry): every write in it
      // is refused alike, and recorded, as a write running alone would be.
      return { left, failed: failed + (await commitRefusals(db, retry, e)) };
    }
    if (jobs.length === 1) {
      for (const job of retry) fail(job, e);
    } else {
      stats.split++;
      for (const job of retry) failed += (await commitGroup(env, [job], stats)).failed;
    }
    return { left, failed };
  }
  stats.groups++;
  stats.writes += decided.length;
  stats.largest = Math.max(stats.largest, decided.length);
  const bookmark = db.getBookmark();
  for (const d of decided) {
    const state = view.loaded(d.job.input.subject);
    const facts = state && { facts: { compatibility: state.config.compatibilityLevel, existing: 'decision' in d && d.decision.rows === null } };
    d.job.settle(
      'refusal' in d
        ? { ok: false, code: d.refusal.code, message: d.refusal.message, ...facts }
        : // A write that committed nothing (already registered) put no event in the outbox: nothing to drain.
          { ok: true, value: d.decision.value, bookmark, ...(drain && d.decision.rows ? {} : { drain: false }), ...facts },
    );
  }
  return { left, failed, ahead };
}

/** A group's schemas guessed and its view read, in one round trip. */
async function load(db: D1DatabaseSession, reader: RegistryReader, jobs: RegisterJob[]) {
  const read = await readsFor(db, reader, jobs);
  return { guessed: read.guessed, ...read.reads.view(await db.batch(read.reads.statements), reader) };
}

/** The view of a group from the reads its predecessor's commit carried. */
function fromAhead(ahead: Ahead, reader: RegistryReader) {
  return { guessed: ahead.guessed, ...ahead.reads.view(ahead.results, reader) };
}

/** What a group reads before its decisions (ContextView.reads), its schemas guessed first (`guessHashes`). */
async function readsFor(
  db: D1DatabaseSession,
  reader: RegistryReader,
  jobs: RegisterJob[],
): Promise<{ jobs: RegisterJob[]; guessed: Guessed; reads: ViewReads }> {
  const subjects = [...new Set(jobs.map((j) => j.input.subject))];
  const guessed = await guessHashes(reader, jobs);
  const hashes = [...guessed.prepared.values()].map((p) => p.hash);
  return { jobs, guessed, reads: ContextView.reads(db, reader, jobs[0].input.context, subjects, jobs[0].audit.stream, hashes) };
}

/**
 * The hash each write's schema would have under a subject with no config (the request's normalize,
 * no metadata or rule set merged): the plan of most writes, guessed before the subjects' state is
 * read, so that their lookup joins the read batch (ContextView.reads) and the group reads in one
 * round trip, not two. A write whose plan turns out otherwise (a config that normalizes or merges
 * a contract) is looked up by `planAhead` as before. Not guessed: a write with references (they
 * are resolved by reading D1) and an empty schema (the latest version's, unknown yet). The schema
 * prepared is kept for the plan made after the read (services/registration.ts `sent`), which uses
 * it when it prepares the same (no second parse or hash); a schema that does not parse is not
 * planned again either (`unparsable`: its plan would parse the same text), only decided, so it is
 * parsed twice, as before.
 */
async function guessHashes(reader: RegistryReader, jobs: RegisterJob[]): Promise<Guessed> {
  const prepared = new Map<RegisterJob, PreparedSchema>();
  const unparsable = new Set<RegisterJob>();
  for (const job of jobs) {
    const { input } = job;
    if (input.schema.references?.length || !input.schema.schema.trim()) continue;
    try {
      prepared.set(job, await prepareSchema(reader, input.context, input.schema, input.normalize));
    } catch {
      // Refused at its decision, with the registry's error.
      unparsable.add(job);
    }
  }
  return { prepared, unparsable };
}

/** The schemas as sent, prepared with the request's normalize (their plan uses them: no second hash), and those that did not parse. */
interface Guessed {
  prepared: Map<RegisterJob, PreparedSchema>;
  unparsable: Set<RegisterJob>;
}

/**
 * What each write of a group would look up alone, looked up for all of them in one round trip
 * (ContextView.prefetch): the hashes of their schemas and, if the group creates a subject, the
 * context's subject count (a group of one too: its two lookups in one round trip). A write's hash depends on its subject's state (the metadata and rule set
 * merged from the config and the latest version), so it is planned here, from the loaded state,
 * only for a write whose subject no earlier write of the group touches: the state it will be
 * decided against is then exactly this one, and the decision takes the plan as made (no second
 * parse). A write whose plan fails is left to fail at its decision, with its own error.
 */
async function planAhead(view: ContextView, jobs: RegisterJob[], guessed: Guessed): Promise<Map<RegisterJob, Registration>> {
  const plans = new Map<RegisterJob, Registration>();
  const seen = new Map<string, number>();
  for (const j of jobs) seen.set(j.input.subject, (seen.get(j.input.subject) ?? 0) + 1);
  let creates = false;
  for (const job of jobs) {
    const state = view.loaded(job.input.subject);
    if (!state || seen.get(job.input.subject) !== 1 || guessed.unparsable.has(job)) continue;
    if (state.all.length === 0) creates = true;
    try {
      plans.set(job, await planOf(view, job.input, state, guessed.prepared.get(job)));
    } catch {
      // Refused at its decision, which plans it again and throws the registry's error.
    }
  }
  const hashes = [...plans.values()].filter((p) => !p.existing).map((p) => p.prepared.hash);
  await view.prefetch(hashes, creates);
  return plans;
}

/** Is the WEBHOOKS queue bound (wrangler.toml binds it; a deployment may not)? Then the Worker drains after writes. */
function webhooksBound(env: { WEBHOOKS?: Queue }): boolean {
  return env.WEBHOOKS !== undefined;
}

/**
 * THE place a group's batch is composed: the rows of its writes (statements.ts
 * registrationStatements: the counter once, then schemas, references, tombstones and versions, each
 * kind in few statements), then their `register` events and their audit rows (tx.ts shares), all
 * in queue order, the audit rows chaining on each other. One batch is one transaction, so every
 * write of it commits whole or none does. A hit (already registered) commits nothing and records
 * nothing, as before group commit (so an idempotent retry writes no second event); a refusal
 * records its audit row only.
 */
async function composeBatch(db: D1DatabaseSession, context: string, decided: Decided[], head: ChainHead): Promise<D1PreparedStatement[]> {
  const rows: RegisteredRows[] = [];
  const recorded: ShareOf[] = [];
  for (const d of decided) {
    if ('refusal' in d) {
      recorded.push({ audit: d.job.audit, result: `error ${d.refusal.code}` });
    } else if (d.decision.rows) {
      rows.push(d.decision.rows);
      recorded.push({ audit: d.job.audit, result: 'ok', event: changeOf('register', d.job.input, d.decision.value) });
    }
  }
  return (await shares(db, head, registrationStatements(db, context, rows), recorded)).statements;
}

/** Refuse every job with the same error, their audit rows in one batch (after a guard refusal). Returns how many failed instead. */
async function commitRefusals(db: D1DatabaseSession, jobs: RegisterJob[], e: RegistryError): Promise<number> {
  try {
    const head = await chainHead(db, jobs[0].audit.stream);
    const batch = await shares(
      db,
      head,
      [],
      jobs.map((job) => ({ audit: job.audit, result: `error ${e.code}` })),
    );
    await db.batch(batch.statements);
  } catch (failure) {
    for (const job of jobs) job.fail(failure);
    return jobs.length;
  }
  for (const job of jobs) job.settle({ ok: false, code: e.code, message: e.message });
  return 0;
}
