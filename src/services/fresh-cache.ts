/**
 * The fresh cache: this isolate's short-lived copies of MUTABLE reads (a subject's `latest` and its
 * versions by number, its version list, config and mode answers, its state as a lookup, a registration's
 * pre-check or a compatibility check reads it, the subjects and versions using a schema id), so
 * a warm read of them does no D1 query. The immutable read path (schema-cache.ts) keeps documents
 * for minutes because they never change; these change with every
 * registration, delete or config write, so each entry is guarded four ways:
 *
 * 1. **Short TTL** (FRESH_TTL_MS). Confluent clients do not echo our bookmark: a producer that
 *    registers through one isolate and reads `latest` through another may see the previous answer
 *    for at most this long, on top of the lag of the D1 replica it reads (which it had without any
 *    cache). Confluent's own followers answer from a store that trails the leader's Kafka log in the
 *    same way; one second stays well inside what its clients tolerate, and a busy isolate still
 *    pays at most one D1 read per key per second instead of one per request.
 * 2. **Read-your-writes.** Each entry keeps the D1 bookmark it was read at. A request whose
 *    `x-registry-bookmark` is newer than the entry's (or that asks for the primary) is never
 *    answered from it: it reads D1 through its session, and its (newer) answer replaces the entry.
 *    D1 bookmarks are lexicographically sortable, oldest first
 *    (https://developers.cloudflare.com/d1/reference/glossary/: "Bookmarks are lexicographically
 *    sortable"), as are the Durable Object SQLite bookmarks Miniflare's local D1 hands out.
 * 3. **Writes through this isolate forget what they touch at once** (`invalidating`), and remember
 *    the commit's bookmark per scope: a read that began before the forget, or that a lagging replica
 *    answered from before the write, answers its own request but is not kept.
 * 4. **The registry generation** is in every entry: after a restore (generation advance) nothing
 *    read before it answers (services/generation.ts).
 *
 * **Renewal by change mark.** Every committed change inserts a change event in its own D1 batch
 * and AUTOINCREMENT never reuses a seq (storage/events.ts), so the highest seq, the change mark,
 * moves with every change. An entry remembers the mark read before it (at a state no newer than
 * its own); once its TTL is up, a mark read less than FRESH_TTL_MS ago, at a state no older than
 * the entry's, that is still the same proves nothing changed in between, and the entry answers for
 * another TTL. So a busy isolate reads D1 about once per TTL for all its entries (one mark read,
 * or one per request that finds the mark stale at the same moment), not once per key; and since that read is less than a TTL old, the staleness promised in 1 holds as
 * before. A change made behind the API writes no event and so moves no mark: RENEW_LIMIT_MS bounds
 * how long an entry is renewed without being read again, so such a change is seen within it.
 *
 * No request ever waits for another request's read (a fill or a mark): a Worker continues a
 * request that awaits a promise another request's I/O settles in that other request's context,
 * where the answer it then makes cannot be sent (workerd: "Cannot perform I/O on behalf of a
 * different request"). Concurrent misses of one key each read D1; with renewal by change mark
 * (above) a key is read again only after something changed.
 *
 * Errors and empty answers (an unknown subject, an unset config) are never kept: the subject may be
 * registered a moment later, and a 404 must not outlive it.
 */
import { BoundedCache } from './bounded-cache';
import { currentGeneration } from './generation';
import type { ReadTrace } from './read-layer';

const FRESH_TTL_MS = 1_000;
/** How long an entry is renewed by unchanged marks before it is read again (a change without an event). */
const RENEW_LIMIT_MS = 30_000;

/** The request's D1 session, as far as the fresh cache needs it. */
export interface ReadSession {
  /** The bookmark the client sent (`x-registry-bookmark`), if any. */
  requested: string | undefined;
  /** The session's bookmark now: after a read, the state that read saw. */
  bookmark: () => string | null;
  /** An answer came from an entry read at this bookmark: the response carries it (monotonic reads). */
  served: (bookmark: string | null) => void;
}

export interface FreshDeps {
  /** Without a session (RPC callers) nothing is cached: every read goes to D1. */
  session?: ReadSession;
  trace?: Pick<ReadTrace, 'note'>;
}

interface Entry {
  value: unknown;
  /** The state the entry is known to be current at (its read, or the mark that renewed it). */
  bookmark: string | null;
  generation: number;
  /** When it was read or last renewed: it answers for FRESH_TTL_MS from then. */
  at: number;
  /** When its value was read from D1 (RENEW_LIMIT_MS). */
  loaded: number;
  /** The change mark read before it, when that read's state was no newer than the entry's. */
  mark?: number;
}

/** Where the fresh cache reads the generation and the change mark (a RegistryReader on the request's session). */
interface Source {
  generation(): Promise<number>;
  changeMark(): Promise<number>;
}

/** The change mark as this isolate last read it: its seq, the state it was read at, when. */
interface Mark {
  seq: number;
  bookmark: string;
  generation: number;
  at: number;
}
let mark: Mark | null = null;

/**
 * Small answers (a version row with its schema text, version numbers, config bodies), weighed by
 * bytes. Config answers live apart: a config or mode write forgets all of them at once.
 */
const subjects = new BoundedCache<Entry>(10_000, 8 * 1024 * 1024);
const configs = new BoundedCache<Entry>(2_000, 1024 * 1024);
/**
 * A subject's state (its config, mode and version heads), what a lookup or a registration's
 * pre-check decides on: it depends on the subject and on the settings above it, so a write of
 * either forgets it.
 */
const states = new BoundedCache<Entry>(2_000, 4 * 1024 * 1024);
/** The newest commit bookmark this isolate saw per scope (a subject, or the settings). */
const written = new BoundedCache<string>(10_000, 10_000);
/** Bumped by every forget: a fill that began before one is not kept. */
let forgets = 0;

const SETTINGS = 'settings';
/** A subject's state: the one subject read that the settings change too. */
const STATE = 'state';

/** What a write can touch: one subject (its latest and version lists), or the settings (configs and modes, any scope). */
export const scopes = {
  subject: (context: string, subject: string) => `s\u0000${context}\u0000${subject}`,
  settings: SETTINGS,
};

/** A context, the scope of what a write of any of its subjects changes (never passed to `invalidating`: see `forget`). */
const contextScope = (context: string) => `c\u0000${context}`;
/** The context of a subject scope (a context name holds no NUL: naming.ts CONTEXT_RE). */
const contextOfScope = (subjectScope: string) => subjectScope.slice(2, subjectScope.indexOf('\u0000', 2));

/** The reads kept per subject (fresh-reads.ts): a write of the subject forgets exactly these. */
const SUBJECT_READS = ['latest', 'versions', 'versions+deleted', 'versions:deletedOnly', STATE] as const;
export type SubjectRead = Exclude<(typeof SUBJECT_READS)[number], typeof STATE>;

interface FreshKey {
  scope: string;
  /** What else changes the answer: the kind of read, its flags. */
  read: string;
}

export const subjectKey = (context: string, subject: string, read: SubjectRead): FreshKey => ({ scope: scopes.subject(context, subject), read });
export const configKey = (read: string): FreshKey => ({ scope: SETTINGS, read });
export const stateKey = (context: string, subject: string): FreshKey => ({ scope: scopes.subject(context, subject), read: STATE });

/**
 * A subject's versions by number (`GET /subjects/{s}/versions/3`, a client resolving a
 * reference): kept like the reads above, at most NUMBERED_PER_SUBJECT numbers per subject and
 * NUMBERED_SUBJECTS subjects, so a write of the subject can forget each one it holds
 * (`numbered`). Past either bound a number is read from D1 every time, as before.
 */
export const NUMBERED_PER_SUBJECT = 16;
export const NUMBERED_SUBJECTS = 2_000;
const NUMBERED = 'version:';
export const versionKey = (context: string, subject: string, version: number): FreshKey => ({
  scope: scopes.subject(context, subject),
  read: `${NUMBERED}${version}`,
});
/** The version numbers kept per subject scope: what `forget` deletes besides SUBJECT_READS. */
const numbered = new Map<string, Set<string>>();

/** May this entry be kept? A numbered one only within the bounds, and it is then noted for `forget`. */
function notedForForget(key: FreshKey): boolean {
  if (!key.read.startsWith(NUMBERED)) return true;
  let reads = numbered.get(key.scope);
  if (!reads) {
    // Dropping every numbered entry with its note is always safe (they are read again).
    if (numbered.size >= NUMBERED_SUBJECTS) forgetNumbered();
    numbered.set(key.scope, (reads = new Set()));
  }
  if (!reads.has(key.read) && reads.size >= NUMBERED_PER_SUBJECT) return false;
  reads.add(key.read);
  return true;
}

function forgetNumbered(): void {
  for (const [scope, reads] of numbered) for (const read of reads) subjects.delete(idOf({ scope, read }));
  numbered.clear();
}

/**
 * The subject versions using a schema id (`GET /schemas/ids/{id}/subjects`, `/versions`, and
 * whether a caller with narrow grants may read the id: http/visibility.ts). A write of ANY
 * subject of the id's context changes them, so rather than find each id a write touches, each
 * context has an epoch, part of every key, that a write moves on: what was read before it is no
 * longer found, and ages out of `usages`. The epochs of at most USAGE_CONTEXTS contexts are held;
 * past that they are all dropped together with every entry, which is always safe.
 */
const usages = new BoundedCache<Entry>(20_000, 4 * 1024 * 1024);
const usageEpochs = new Map<string, number>();
export const USAGE_CONTEXTS = 10_000;
let lastEpoch = 0;
const USAGES = 'usages:';
export const usagesKey = (context: string, id: number): FreshKey => ({
  scope: contextScope(context),
  read: `${USAGES}${usageEpochs.get(context) ?? 0}:${id}`,
});

function moveEpoch(context: string): void {
  if (!usageEpochs.has(context) && usageEpochs.size >= USAGE_CONTEXTS) {
    usageEpochs.clear();
    usages.clear();
  }
  usageEpochs.set(context, ++lastEpoch);
}

const cacheOf = (key: FreshKey) => (key.scope === SETTINGS ? configs : key.read === STATE ? states : key.read.startsWith(USAGES) ? usages : subjects);
const idOf = (key: FreshKey) => `${key.scope}\u0001${key.read}`;

/** `a` is at least as new as `b` (both real bookmarks). */
const notOlder = (a: string, b: string) => a >= b;

/** The later of two bookmarks (null: none). */
export function newerBookmark(a: string | null | undefined, b: string | null | undefined): string | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return notOlder(a, b) ? a : b;
}

/** Read the change mark through this request's session; null when it failed or the session has no bookmark. */
async function readMark(source: Source, session: ReadSession, generation: number): Promise<Mark | null> {
  const at = Date.now();
  try {
    const seq = await source.changeMark();
    const bookmark = session.bookmark();
    if (bookmark === null) return null;
    // Keep the newest: concurrent first reads of a cold isolate may land out of order.
    if (!mark || mark.generation !== generation || notOlder(bookmark, mark.bookmark)) mark = { seq, bookmark, generation, at };
    return { seq, bookmark, generation, at };
  } catch {
    // D1 unreachable: nothing is renewed; the request reads (and fails) as it would without marks.
    return null;
  }
}

/** A mark read less than FRESH_TTL_MS ago, reading it again through this request's session when there is none. */
async function recentMark(source: Source, session: ReadSession, generation: number): Promise<Mark | null> {
  if (mark && mark.generation === generation && Date.now() - mark.at < FRESH_TTL_MS) return mark;
  return readMark(source, session, generation);
}

/**
 * An entry whose TTL is up answers for another TTL when a recent mark, read at a state no older
 * than the entry's, is the mark the entry was read after: nothing committed in between.
 */
async function renewed(entry: Entry, source: Source, session: ReadSession, generation: number): Promise<boolean> {
  if (entry.mark === undefined || entry.bookmark === null || Date.now() - entry.loaded >= RENEW_LIMIT_MS) return false;
  const m = await recentMark(source, session, generation);
  if (!m || m.seq !== entry.mark || m.generation !== entry.generation || !notOlder(m.bookmark, entry.bookmark)) return false;
  entry.bookmark = m.bookmark;
  entry.at = m.at;
  return true;
}

export interface FreshReadOptions<T> {
  /** Whether an answer is kept (default: every non-null one); an empty one may change a moment later. */
  keeps?: (value: T) => boolean;
  /**
   * false: with no change mark held, do not read one for this fill (its entry is then read again
   * after the TTL instead of renewed). For reads on a write's path, which mostly keep nothing.
   */
  readsMark?: boolean;
  /** false: answer only from an entry held (null without one); D1 is read for nothing but a renewal. */
  loads?: boolean;
}

/** May a request that sent `requested` be answered from an entry read at `entry`? */
function satisfies(entry: string | null, requested: string | undefined): boolean {
  if (requested === undefined || requested === 'first-unconstrained') return true;
  if (requested === 'first-primary') return false;
  return entry !== null && notOlder(entry, requested);
}

/**
 * The answer for `key`: from this isolate when an entry is fresh enough for the request, else from
 * `load` (D1, one query or one batch through the request's session, so the session's bookmark
 * afterwards is the state it read). `load` answering null (not found) is never kept.
 */
export async function freshRead<T>(
  deps: FreshDeps,
  source: Source,
  key: FreshKey,
  load: () => Promise<T | null>,
  weigh: (value: T) => number,
  options: FreshReadOptions<T> = {},
): Promise<T | null> {
  const session = deps.session;
  if (!session) return options.loads === false ? null : load();
  const generation = await currentGeneration(source);
  const cache = cacheOf(key);
  const id = idOf(key);
  const held = cache.get(id);
  if (
    held &&
    held.generation === generation &&
    (Date.now() - held.at < FRESH_TTL_MS || (await renewed(held, source, session, generation))) &&
    satisfies(held.bookmark, session.requested)
  ) {
    deps.trace?.note('isolate');
    session.served(held.bookmark);
    return held.value as T;
  }
  if (options.loads === false) return null;
  // The mark this entry is stamped with is read before it (an isolate's first fill reads one, unless told not to).
  const marked = mark && mark.generation === generation ? mark : options.readsMark === false ? null : await readMark(source, session, generation);
  const before = forgets;
  const loaded = Date.now();
  const value = await load();
  const bookmark = session.bookmark();
  deps.trace?.note('d1');
  if (value === null || !(options.keeps?.(value) ?? true)) return value;
  // The newest write this isolate made of what the answer depends on (a state: the settings too).
  const wrote = key.read === STATE ? newerBookmark(written.get(key.scope), written.get(SETTINGS)) : (written.get(key.scope) ?? null);
  const current = cache.get(id);
  const keep =
    before === forgets &&
    // Read at least at this isolate's last write of the scope (a lagging replica may answer older).
    (wrote === null || (bookmark !== null && notOlder(bookmark, wrote))) &&
    // Never replace a newer entry of the same generation with an older read.
    !(current && current.generation === generation && current.bookmark !== null && (bookmark === null || !notOlder(bookmark, current.bookmark)));
  if (keep && notedForForget(key)) {
    // The mark stamps the entry only if it was read at a state no newer than the entry's own.
    const stamp = marked && bookmark !== null && notOlder(bookmark, marked.bookmark) ? marked.seq : undefined;
    cache.set(id, { value, bookmark, generation, at: loaded, loaded, ...(stamp === undefined ? {} : { mark: stamp }) }, weigh(value) + 128);
  }
  return value;
}

/**
 * Run a write that changes `touched` (subjects, configs), then forget what this isolate holds of
 * them, also when the write failed or its answer was lost (it may have committed). The commit's
 * bookmark is remembered so that no older read of those scopes is kept afterwards.
 */
export async function invalidating<F extends () => PromiseLike<unknown>>(touched: string[], write: F): Promise<Awaited<ReturnType<F>>> {
  try {
    const outcome = (await write()) as Awaited<ReturnType<F>>;
    forget(touched, (outcome as { bookmark?: string | null } | null)?.bookmark ?? null);
    return outcome;
  } catch (e) {
    forget(touched, null);
    throw e;
  }
}

/** Remember `bookmark` as the newest commit this isolate saw of `scope`. */
function noteWritten(scope: string, bookmark: string | null): void {
  if (bookmark) written.set(scope, newerBookmark(written.get(scope), bookmark) ?? bookmark);
}

function forget(touched: string[], bookmark: string | null): void {
  forgets++;
  for (const scope of touched) {
    noteWritten(scope, bookmark);
    if (scope === SETTINGS) {
      configs.clear();
      states.clear();
    } else {
      for (const read of SUBJECT_READS) cacheOf({ scope, read }).delete(idOf({ scope, read }));
      for (const read of numbered.get(scope) ?? []) subjects.delete(idOf({ scope, read }));
      numbered.delete(scope);
      // A write of a subject changes its context's usages too.
      const context = contextOfScope(scope);
      noteWritten(contextScope(context), bookmark);
      moveEpoch(context);
    }
  }
}

/** Tests wipe storage between cases (generation back to 0, names reused). */
export function clearFreshCache(): void {
  mark = null;
  subjects.clear();
  numbered.clear();
  usages.clear();
  usageEpochs.clear();
  configs.clear();
  states.clear();
  written.clear();
  forgets++;
}
