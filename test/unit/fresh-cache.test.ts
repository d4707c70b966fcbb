/**
 * The fresh cache's rules (src/services/fresh-cache.ts) on a fake session: which requests an entry
 * may answer (bookmarks), which reads are kept (races with writes, lagging replicas, older reads),
 * the generation, renewal by change mark, and the layer each answer notes in the request's ReadTrace.
 * test/integration/fresh-reads.test.ts checks the same through the API against D1.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  clearFreshCache,
  configKey,
  freshRead,
  invalidating,
  NUMBERED_SUBJECTS,
  scopes,
  stateKey,
  subjectKey,
  USAGE_CONTEXTS,
  usagesKey,
  versionKey,
} from '../../src/services/fresh-cache';
import { forgetGeneration } from '../../src/services/generation';
import { ReadTrace } from '../../src/services/read-layer';

let generation = 0;
/** The change mark D1 holds now, and how many times it was read; `markDown`: the read fails. */
let markSeq = 1;
let markReads = 0;
let markDown = false;
const source = {
  generation: () => Promise.resolve(generation),
  changeMark: () => {
    markReads++;
    return markDown ? Promise.reject(new Error('D1 down')) : Promise.resolve(markSeq);
  },
};

/** A request: the bookmark it sent, and the bookmark its session reaches by reading (`readAt`). */
function request(requested?: string, readAt = 'b5') {
  const trace = new ReadTrace();
  let served: string | null = null;
  const session = { requested, bookmark: () => readAt, served: (b: string | null) => (served = b) };
  return { deps: { session, trace }, trace, served: () => served };
}

const key = subjectKey('.', 'orders', 'latest');
let loads = 0;
const loader = (value: string | null) => () => {
  loads++;
  return Promise.resolve(value);
};
const read = (r: ReturnType<typeof request>, value: string | null = 'v') => freshRead(r.deps, source, key, loader(value), (v) => v.length);

beforeEach(() => {
  clearFreshCache();
  forgetGeneration();
  generation = 0;
  loads = 0;
  markSeq = 1;
  markReads = 0;
  markDown = false;
});

describe('fresh cache', () => {
  it('a warm read answers from the isolate and says so; the first went to D1', async () => {
    const cold = request();
    expect(await read(cold, 'one')).toBe('one');
    expect(cold.trace.layer).toBe('d1');
    const warm = request();
    expect(await read(warm, 'two')).toBe('one');
    expect(warm.trace.layer).toBe('isolate');
    expect(warm.trace.counts).toMatchObject({ isolate: 1, d1: 0 });
    expect(warm.served()).toBe('b5'); // the response carries the entry's bookmark
    expect(loads).toBe(1);
  });

  it('answers a bookmark no newer than the entry; bypasses a newer one, first-primary, and any bookmark when the entry has none', async () => {
    await read(request(undefined, 'b5'), 'at-b5');
    expect(await read(request('b4'), 'x')).toBe('at-b5');
    expect(await read(request('b5'), 'x')).toBe('at-b5');
    expect(await read(request('first-unconstrained'), 'x')).toBe('at-b5');
    expect(loads).toBe(1);
    expect(await read(request('first-primary', 'b5'), 'primary')).toBe('primary');
    expect(await read(request('b6', 'b6'), 'at-b6')).toBe('at-b6');
    expect(loads).toBe(3);
    // The newer read replaced the entry.
    expect(await read(request('b6'), 'x')).toBe('at-b6');
    expect(loads).toBe(3);

    clearFreshCache();
    const noBookmark = { requested: undefined, bookmark: () => null, served: () => {} };
    await freshRead({ session: noBookmark }, source, key, loader('unmarked'), (v) => v.length);
    expect(await read(request('b1'), 'fresh')).toBe('fresh');
  });

  it('an older read never replaces a newer entry', async () => {
    await read(request(undefined, 'b7'), 'at-b7');
    expect(await read(request('first-primary', 'b6'), 'at-b6')).toBe('at-b6'); // answers its own request
    expect(await read(request(), 'x')).toBe('at-b7');
  });

  it('loads: false answers only from an entry held: null without one, and never calls load (no session either)', async () => {
    const heldOnly = (r: ReturnType<typeof request>) => freshRead(r.deps, source, key, loader('loaded'), (v) => v.length, { loads: false });
    const none = request();
    expect(await heldOnly(none)).toBeNull();
    expect(none.trace.layer).toBeUndefined();
    expect(await freshRead({}, source, key, loader('loaded'), (v) => v.length, { loads: false })).toBeNull();
    expect(loads).toBe(0);
    await read(request(), 'kept');
    const warm = request();
    expect(await heldOnly(warm)).toBe('kept');
    expect(warm.trace.layer).toBe('isolate');
    // A request whose bookmark is newer than the entry is not answered from it: null, no load.
    expect(await heldOnly(request('b9'))).toBeNull();
    expect(loads).toBe(1);
  });

  it('never keeps a not-found answer', async () => {
    expect(await read(request(), null)).toBeNull();
    expect(await read(request(), null)).toBeNull();
    expect(loads).toBe(2);
    expect(await read(request(), 'now')).toBe('now');
  });

  it("a write through the isolate forgets its subject's reads, also when it fails", async () => {
    const list = subjectKey('.', 'orders', 'versions');
    const other = subjectKey('.', 'payments', 'latest');
    for (const k of [key, list, other]) await freshRead(request().deps, source, k, loader('old'), (v) => v.length);
    await invalidating([scopes.subject('.', 'orders')], () => Promise.resolve({ ok: true, bookmark: 'b6' }));
    expect(await freshRead(request(undefined, 'b6').deps, source, key, loader('new'), (v) => v.length)).toBe('new');
    expect(await freshRead(request(undefined, 'b6').deps, source, list, loader('new'), (v) => v.length)).toBe('new');
    expect(await freshRead(request().deps, source, other, loader('new'), (v) => v.length)).toBe('old');

    await expect(invalidating([scopes.subject('.', 'orders')], () => Promise.reject(new Error('lost answer')))).rejects.toThrow('lost answer');
    expect(await read(request(undefined, 'b6'), 'after-failure')).toBe('after-failure');
  });

  it('a config write forgets every config answer', async () => {
    const global = configKey('.\u0000\u0000true');
    const subject = configKey('.\u0000orders\u0000true');
    for (const k of [global, subject]) await freshRead(request().deps, source, k, loader('old'), (v) => v.length);
    await invalidating([scopes.settings], () => Promise.resolve({ ok: true, bookmark: 'b6' }));
    for (const k of [global, subject]) expect(await freshRead(request(undefined, 'b6').deps, source, k, loader('new'), (v) => v.length)).toBe('new');
  });

  it("a registration's pre-check state is forgotten by a write of its subject and by any settings write, and no other", async () => {
    const state = stateKey('.', 'orders');
    const other = stateKey('.', 'payments');
    const fill = (k: typeof state, value: string, r = request()) => freshRead(r.deps, source, k, loader(value), (v) => v.length);
    await fill(state, 'old');
    await fill(other, 'old');
    // A write of another subject, or of a config answer's own scope only, leaves it.
    await invalidating([scopes.subject('.', 'payments')], () => Promise.resolve({ ok: true, bookmark: 'b5' }));
    expect(await fill(state, 'new')).toBe('old');
    await invalidating([scopes.subject('.', 'orders')], () => Promise.resolve({ ok: true, bookmark: 'b5' }));
    expect(await fill(state, 'new')).toBe('new');
    await fill(other, 'again');
    // A settings write (config or mode, any scope) forgets every subject's.
    await invalidating([scopes.settings], () => Promise.resolve({ ok: true, bookmark: 'b6' }));
    expect(await fill(state, 'after', request(undefined, 'b6'))).toBe('after');
    expect(await fill(other, 'after', request(undefined, 'b6'))).toBe('after');
    // ... and, as for its subject, no read older than that write is kept afterwards.
    await invalidating([scopes.settings], () => Promise.resolve({ ok: true, bookmark: 'b8' }));
    expect(await fill(state, 'lagging', request(undefined, 'b7'))).toBe('lagging');
    expect(await fill(state, 'caught-up', request(undefined, 'b8'))).toBe('caught-up');
    expect(await fill(state, 'x')).toBe('caught-up');
  });

  it('an answer `keeps` refuses is answered but not kept', async () => {
    const nonEmpty = (v: string) => v !== '';
    const fill = (value: string) => freshRead(request().deps, source, key, loader(value), (v) => v.length, { keeps: nonEmpty });
    expect(await fill('')).toBe('');
    expect(await fill('')).toBe('');
    expect(loads).toBe(2);
    expect(await fill('held')).toBe('held');
    expect(await fill('x')).toBe('held');
    expect(loads).toBe(3);
  });

  it('a read that began before a write of its scope answers its request but is not kept', async () => {
    let release!: () => void;
    let started!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const loading = new Promise<void>((r) => (started = r));
    const slow = freshRead(
      request().deps,
      source,
      key,
      async () => {
        started();
        await gate;
        return 'before-write';
      },
      (v) => v.length,
    );
    await loading;
    await invalidating([scopes.subject('.', 'orders')], () => Promise.resolve({ ok: true, bookmark: 'b5' }));
    release();
    expect(await slow).toBe('before-write');
    expect(await read(request(), 'after-write')).toBe('after-write');
  });

  it('after a write at bookmark B, a read older than B (a lagging replica) is not kept', async () => {
    await invalidating([scopes.subject('.', 'orders')], () => Promise.resolve({ ok: true, bookmark: 'b8' }));
    expect(await read(request(undefined, 'b7'), 'lagging')).toBe('lagging');
    expect(await read(request(undefined, 'b8'), 'caught-up')).toBe('caught-up');
    expect(await read(request(), 'x')).toBe('caught-up');
  });

  it('a generation advance makes every entry unusable', async () => {
    await read(request(), 'gen0');
    generation = 1;
    forgetGeneration(); // as the restoring isolate does
    expect(await read(request(), 'gen1')).toBe('gen1');
  });

  it('without a session (RPC callers) every read loads', async () => {
    await freshRead({}, source, key, loader('a'), (v) => v.length);
    expect(await freshRead({}, source, key, loader('b'), (v) => v.length)).toBe('b');
    expect(loads).toBe(2);
  });
});

describe('fresh cache: concurrent misses', () => {
  /** A load that answers when the test says so. */
  function gated() {
    let release!: (v: string | null) => void;
    let fail!: (e: unknown) => void;
    const answer = new Promise<string | null>((resolve, reject) => {
      release = resolve;
      fail = reject;
    });
    return { load: () => answer, release, fail };
  }
  const tick = () => new Promise((r) => setTimeout(r, 0));
  const start = (r: ReturnType<typeof request>, load: () => Promise<string | null>) => freshRead(r.deps, source, key, load, (v) => v.length);

  it('never wait for another request’s read: each loads and answers its own, and the newest read is kept', async () => {
    const slow = gated();
    const first = start(request(undefined, 'b5'), slow.load);
    await tick();
    // A Worker would continue a request awaiting another's I/O in that other request's context.
    const second = start(request(undefined, 'b6'), loader('at-b6'));
    expect(await second).toBe('at-b6');
    slow.release('at-b5');
    expect(await first).toBe('at-b5');
    expect(await read(request(), 'x')).toBe('at-b6'); // the older read did not replace the newer entry
  });

  it('a failed read fails only its own request', async () => {
    const failing = gated();
    const first = start(request(), failing.load);
    await tick();
    const second = start(request(), loader('own'));
    failing.fail(new Error('D1 down'));
    await expect(first).rejects.toThrow('D1 down');
    expect(await second).toBe('own');
  });
});

describe('fresh cache: renewal by change mark', () => {
  /** Move the isolate's clock (Date.now) forward. */
  let offset = 0;
  beforeEach(() => {
    offset = 0;
    const now = Date.now.bind(Date);
    vi.spyOn(Date, 'now').mockImplementation(() => now() + offset);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  const later = (ms: number) => (offset += ms);

  it('an expired entry is renewed by an unchanged mark read at a state no older than it: no load, the mark’s bookmark', async () => {
    await read(request(undefined, 'b5'), 'v1');
    expect(markReads).toBe(1); // the isolate's first fill reads the mark first
    later(1_100);
    const renewed = request(undefined, 'b6');
    expect(await read(renewed, 'reloaded')).toBe('v1');
    expect(renewed.trace.layer).toBe('isolate');
    expect(renewed.served()).toBe('b6'); // known current at the mark's state
    expect([loads, markReads]).toEqual([1, 2]);
    // Renewed for a whole TTL: neither the entry nor the mark is read again.
    expect(await read(request('b6'), 'x')).toBe('v1');
    expect([loads, markReads]).toEqual([1, 2]);
  });

  it('one mark read renews every expired entry of the isolate', async () => {
    const keys = [key, subjectKey('.', 'payments', 'versions'), configKey('.\u0000\u0000true')];
    for (const k of keys) await freshRead(request().deps, source, k, loader('held'), (v) => v.length);
    later(1_100);
    for (const k of keys) expect(await freshRead(request().deps, source, k, loader('reloaded'), (v) => v.length)).toBe('held');
    expect([loads, markReads]).toEqual([3, 2]);
  });

  it('a moved mark (a commit anywhere) reads the entry again', async () => {
    await read(request(), 'v1');
    markSeq = 2;
    later(1_100);
    expect(await read(request(), 'v2')).toBe('v2');
    expect(loads).toBe(2);
    // The new read is stamped with the new mark: renewed next time.
    later(1_100);
    expect(await read(request(), 'v3')).toBe('v2');
  });

  it('a mark read at a state older than the entry (a lagging replica) renews nothing', async () => {
    await read(request(undefined, 'b5'), 'v1');
    later(1_100);
    expect(await read(request(undefined, 'b4'), 'behind')).toBe('behind');
    expect(loads).toBe(2);
  });

  it('an entry read at a state older than the mark it would carry is not stamped, and expires as before', async () => {
    await read(request(undefined, 'b6'), 'v1'); // the mark is read at b6
    const other = subjectKey('.', 'payments', 'latest');
    const readOther = (r: ReturnType<typeof request>, value: string) => freshRead(r.deps, source, other, loader(value), (v) => v.length);
    await readOther(request(undefined, 'b5'), 'lagging'); // a replica behind the mark
    later(1_100);
    expect(await readOther(request(undefined, 'b6'), 'reloaded')).toBe('reloaded');
    expect(await read(request(undefined, 'b6'), 'x')).toBe('v1'); // stamped: renewed
  });

  it('is not renewed past RENEW_LIMIT_MS (30 s) from its read: a change that wrote no event is seen then', async () => {
    await read(request(), 'v1');
    for (let i = 0; i < 27; i++) {
      later(1_100);
      expect(await read(request(), 'reloaded')).toBe('v1'); // up to 29.7 s
    }
    later(1_100);
    expect(await read(request(), 'reloaded')).toBe('reloaded'); // 30.8 s
  });

  it('readsMark false: a cold fill reads no mark, and its entry is read again after the TTL; a held mark still stamps', async () => {
    const noMark = (value: string) => freshRead(request().deps, source, key, loader(value), (v) => v.length, { readsMark: false });
    expect(await noMark('v1')).toBe('v1');
    expect(markReads).toBe(0);
    later(1_100);
    expect(await noMark('v2')).toBe('v2'); // unstamped: not renewed
    expect(markReads).toBe(0);
    expect(await read(request(), 'x')).toBe('v2'); // fresh
    // Once a mark is held (another fill read it), such fills are stamped with it and renewed.
    await freshRead(request().deps, source, subjectKey('.', 'payments', 'latest'), loader('p'), (v) => v.length);
    expect(markReads).toBe(1);
    later(1_100);
    expect(await noMark('v3')).toBe('v3');
    later(1_100);
    expect(await noMark('v4')).toBe('v3');
  });

  it('a failed mark read renews nothing: the request reads D1 as without marks', async () => {
    await read(request(), 'v1');
    markDown = true;
    later(1_100);
    expect(await read(request(), 'reloaded')).toBe('reloaded');
    expect(loads).toBe(2);
  });

  it('concurrent expired reads each read the mark (none waits on another’s), then it serves them all', async () => {
    await read(request(), 'v1');
    later(1_100);
    const answers = await Promise.all([read(request()), read(request()), read(request())]);
    expect(answers).toEqual(['v1', 'v1', 'v1']);
    expect([loads, markReads]).toEqual([1, 4]);
    expect(await read(request())).toBe('v1');
    expect(markReads).toBe(4);
  });
});

describe('fresh cache: versions by number', () => {
  const numberedRead = (subject: string, version: number, value = `${subject}@${version}`) =>
    freshRead(request().deps, source, versionKey('.', subject, version), loader(value), (v) => v.length);

  it('past NUMBERED_SUBJECTS subjects every numbered entry is dropped (read again), and writes still forget what is kept after', async () => {
    for (let i = 0; i < NUMBERED_SUBJECTS; i++) await numberedRead(`s${i}`, 1);
    loads = 0;
    expect(await numberedRead('s0', 1, 'new')).toBe('s0@1');
    expect(loads).toBe(0);
    // One subject more: the notes and their entries go, so s0 is read again.
    await numberedRead('one-more', 1);
    loads = 0;
    expect(await numberedRead('s0', 1, 'again')).toBe('again');
    expect(loads).toBe(1);
    // Kept again, and noted: a write of s0 forgets it.
    expect(await numberedRead('s0', 1, 'not read')).toBe('again');
    await invalidating([scopes.subject('.', 's0')], () => Promise.resolve({ bookmark: 'b6' }));
    expect(await numberedRead('s0', 1, 'after the write')).toBe('after the write');
  });
});

describe('fresh cache: the subjects and versions using an id', () => {
  // The key is made per read, as a route makes it: it carries the context's epoch at that moment.
  const usagesRead = (context: string, id: number, value = `${context}#${id}`) =>
    freshRead(request().deps, source, usagesKey(context, id), loader(value), (v) => v.length);
  const writeOf = (context: string, subject: string) => invalidating([scopes.subject(context, subject)], () => Promise.resolve({ bookmark: 'b6' }));

  it('a write of any subject of the context forgets every id of it; a write of another context, or of the settings, does not', async () => {
    await usagesRead('.a', 1);
    await usagesRead('.a', 2);
    await usagesRead('.b', 1);
    loads = 0;
    await writeOf('.b', 'other');
    await invalidating([scopes.settings], () => Promise.resolve({ bookmark: 'b6' }));
    expect([await usagesRead('.a', 1, 'x'), await usagesRead('.a', 2, 'x'), loads]).toEqual(['.a#1', '.a#2', 0]);
    await writeOf('.a', 'any');
    expect([await usagesRead('.a', 1, 'new 1'), await usagesRead('.a', 2, 'new 2'), loads]).toEqual(['new 1', 'new 2', 2]);
    expect([await usagesRead('.b', 1, 'x'), loads]).toEqual(['x', 3]);
  });

  it('a read that began before a write of the context is not kept', async () => {
    let release: (() => void) | undefined;
    const slow = freshRead(
      request().deps,
      source,
      usagesKey('.a', 1),
      () =>
        new Promise<string>(
          (r) =>
            (release = () => {
              r('before');
            }),
        ),
      (v) => v.length,
    );
    await vi.waitFor(() => {
      expect(release).toBeDefined();
    });
    await writeOf('.a', 'any');
    release!();
    expect(await slow).toBe('before');
    expect(await usagesRead('.a', 1, 'after')).toBe('after');
  });

  it(`past ${USAGE_CONTEXTS} contexts written, every epoch and entry is dropped (read again), and writes still forget what is kept after`, async () => {
    await usagesRead('.kept', 1);
    for (let i = 0; i < USAGE_CONTEXTS; i++) await writeOf(`.c${i}`, 's');
    // .kept has no epoch yet: its entry survives the writes of the others.
    expect(await usagesRead('.kept', 1, 'x')).toBe('.kept#1');
    // One context more: every epoch goes, and every entry with them.
    await writeOf('.one-more', 's');
    loads = 0;
    expect(await usagesRead('.kept', 1, 'again')).toBe('again');
    expect(loads).toBe(1);
    expect(await usagesRead('.kept', 1, 'not read')).toBe('again');
    await writeOf('.kept', 's');
    expect(await usagesRead('.kept', 1, 'after the write')).toBe('after the write');
  });
});
