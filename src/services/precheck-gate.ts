/**
 * Whether a registration's pre-check reads D1 (routes/subjects.ts `alreadyRegistered`).
 *
 * The pre-check answers a registration of what a subject already holds from the client's read
 * session, so that a fleet restarting (every producer re-registering its schema) costs the writer
 * nothing. For a subject this isolate holds no state of, that is one D1 round trip before the
 * writer; when the registrations are new (a deploy creating subjects or versions) it finds nothing
 * and the writer reads the same rows again: the round trip is pure cost, and on a registration's
 * path it is the largest one the Worker makes (docs/performance-log.md, "The pre-check gate").
 *
 * So the pre-checks that read D1 are watched: after MISSES of them in a row found nothing to
 * answer, the gate closes and registrations go to the writer at once. The writer decides the same
 * way (an already registered schema is answered, in READONLY mode too, and commits nothing) and
 * says so in its answer; the first such answer opens the gate again (`answered`), so a restart
 * after a burst costs about one writer-decided re-registration per isolate (a write token and a
 * writer read each), plus those already on their way. While closed, one pre-check in PROBE_EVERY
 * still reads: the writer is not asked when a client is over its write limit, and then only a
 * probe can notice that its registrations are answerable for free.
 *
 * Pre-checks answered from the isolate's fresh cache read nothing, are never gated, and say nothing
 * about the traffic. One gate per isolate, for all contexts: an answer in any context opens it.
 */
const MISSES = 8;
const PROBE_EVERY = 64;

export class PrecheckGate {
  /** Pre-checks in a row that read D1 and found nothing to answer (at most `misses`). */
  private missed = 0;
  /** Pre-checks passed over since the last probe. */
  private passed = 0;

  constructor(private readonly limits = { misses: MISSES, probeEvery: PROBE_EVERY }) {}

  /** Should this pre-check read D1 (when the isolate holds nothing of the subject)? */
  reads(): boolean {
    if (this.missed < this.limits.misses) return true;
    if (++this.passed < this.limits.probeEvery) return false;
    this.passed = 0;
    return true;
  }

  /** A pre-check read D1: `answered` when the registration was already there. */
  found(answered: boolean): void {
    if (answered) this.answered();
    else this.missed = Math.min(this.missed + 1, this.limits.misses);
  }

  /** A registration was answered as already registered (by a pre-check or by the writer): open. */
  answered(): void {
    this.missed = 0;
    this.passed = 0;
  }
}

/** This isolate's gate for registrations. */
export const registrationPrecheck = new PrecheckGate();

/** Tests wipe storage between cases: the gate starts open again. */
export function resetRegistrationPrecheck(): void {
  registrationPrecheck.answered();
}
