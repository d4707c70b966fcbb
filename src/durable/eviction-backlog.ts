/**
 * The evictions a permanent delete could not make in its own invocation, kept in the writer's
 * storage and made by its alarm, a slice per invocation.
 *
 * A permanent delete evicts the cached copies of the ids it made unreachable: four deletes per
 * schema (two KV keys, two Cache API entries). One invocation may make at most 1,000 operations on
 * KV and the other services (developers.cloudflare.com/kv/platform/limits), so a subject of some
 * hundreds of schemas could not be evicted in the request that deleted it, and a KV outage failed
 * evictions outright: either way copies answered deleted ids for up to 30 days (the KV TTL). Now
 * a write evicts at most PER_INVOCATION schemas itself; the rest wait here in slices, each made by
 * an alarm of its own (a new invocation, a new allowance), and a slice whose deletes fail is tried
 * again later, RETRY_MS doubling, up to MAX_ATTEMPTS times before it is given up (logged: the
 * generation advance still ends those copies, docs/operations.md).
 *
 * Slices wait in key order (`evict:<seq>`), so they are made in the order the deletes committed;
 * the one at the head waits for its time (a retry) and the alarm is always set for the head.
 * Evicting an id twice, or after the same schema was registered again (ids outlive permanent
 * deletes), costs a refill from D1, never a wrong answer: evictions only remove copies.
 */
import type { EvictionFailures, Evictable } from '../services/schema-cache';

/** Schemas evicted per invocation: 400 deletes, with room under the 1,000 operations for the write's own reads. */
export const PER_INVOCATION = 100;
/** How long a failed slice waits before its second attempt; each later attempt waits twice as long. */
export const RETRY_MS = 30_000;
/** Attempts of a slice (the first included) before it is given up: 30 s + 1 + 2 + 4 min after the first. */
export const MAX_ATTEMPTS = 5;

const PREFIX = 'evict:';
const SEQ = 'evict-seq';

interface Slice {
  schemas: Evictable[];
  /** Attempts made so far. */
  attempts: number;
  /** Not before this time (ms since the epoch). */
  due: number;
}

type Evict = (schemas: Evictable[]) => Promise<EvictionFailures>;

export class EvictionBacklog {
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly evictNow: Evict,
  ) {}

  /**
   * Evict `schemas` after a write committed: the first PER_INVOCATION now, the rest (and any whose
   * deletes failed) left to the alarm. Never throws: the write has committed whatever happens here.
   */
  async evict(schemas: Evictable[], now = Date.now()): Promise<void> {
    if (schemas.length === 0) return;
    try {
      const failures = await this.evictNow(schemas.slice(0, PER_INVOCATION));
      const later: Slice[] = [];
      for (let i = PER_INVOCATION; i < schemas.length; i += PER_INVOCATION)
        later.push({ schemas: schemas.slice(i, i + PER_INVOCATION), attempts: 0, due: now });
      const retry = failures.schemas.length > 0 ? afterFailure({ schemas: failures.schemas, attempts: 0, due: now }, failures, now) : undefined;
      await this.append(retry ? [...later, retry] : later);
    } catch (e) {
      // The backlog itself could not be written (the object's storage failed): say what is left.
      logFailure({ event: 'evict-failed', schemas: schemas.length, error: String(e), willRetry: false });
    }
  }

  /** The alarm: make the slice at the head if it is due, then set the alarm for the next one. */
  async run(now = Date.now()): Promise<void> {
    const head = await this.head();
    if (head && head.slice.due <= now) {
      const failures = await this.evictNow(head.slice.schemas);
      const retry = failures.schemas.length > 0 ? afterFailure(head.slice, failures, now) : undefined;
      if (retry) await this.storage.put(head.key, retry);
      else await this.storage.delete(head.key);
    }
    await this.arm();
  }

  /** The slices waiting, in order (tests and readiness). */
  async pending(): Promise<Slice[]> {
    return [...(await this.storage.list<Slice>({ prefix: PREFIX })).values()];
  }

  private async append(slices: Slice[]): Promise<void> {
    if (slices.length === 0) return;
    const seq = (await this.storage.get<number>(SEQ)) ?? 0;
    const entries: Record<string, Slice | number> = { [SEQ]: seq + slices.length };
    // Only what the keys are made of: the caller's objects may carry whole versions.
    slices.forEach(
      (slice, i) =>
        (entries[`${PREFIX}${String(seq + i).padStart(12, '0')}`] = {
          ...slice,
          schemas: slice.schemas.map(({ context, id, guid }) => ({ context, id, guid })),
        }),
    );
    await this.storage.put(entries);
    await this.arm();
  }

  private async head(): Promise<{ key: string; slice: Slice } | undefined> {
    for (const [key, slice] of await this.storage.list<Slice>({ prefix: PREFIX, limit: 1 })) return { key, slice };
    return undefined;
  }

  /** The alarm at the head's time, or none when nothing waits. */
  private async arm(): Promise<void> {
    const head = await this.head();
    if (head) await this.storage.setAlarm(head.slice.due);
    else await this.storage.deleteAlarm();
  }
}

/** The slice to try again after `failures`, or undefined when its attempts are spent (logged either way). */
function afterFailure(slice: Slice, failures: EvictionFailures, now: number): Slice | undefined {
  const attempts = slice.attempts + 1;
  const willRetry = attempts < MAX_ATTEMPTS;
  const wait = RETRY_MS * 2 ** (attempts - 1);
  logFailure({
    event: 'evict-failed',
    schemas: failures.schemas.length,
    failedDeletes: failures.deletes,
    error: String(failures.error),
    attempt: attempts,
    willRetry,
    ...(willRetry ? { retryInSeconds: wait / 1000 } : {}),
  });
  return willRetry ? { schemas: failures.schemas, attempts, due: now + wait } : undefined;
}

function logFailure(fields: Record<string, unknown>): void {
  console.warn(
    JSON.stringify({
      level: 'warn',
      ...fields,
      hint: 'copies of permanently deleted ids may answer until they expire; POST /v1/admin/generation ends them all',
    }),
  );
}
