/**
 * The fresh cache of mutable reads (src/services/fresh-cache.ts): `latest`, version lists and
 * config answers are served from the isolate for FRESH_TTL_MS (1 s) with zero D1 operations, and
 * read-your-writes holds: a write through this isolate forgets what it touched, a request whose
 * bookmark is newer than an entry's is never answered from it, a restore (generation advance)
 * makes every entry unusable, and not-found answers are never kept.
 *
 * "Another isolate's write" is simulated by changing D1 directly through a primary session: the
 * fresh cache does not see it, and that session's bookmark is what the writing client would hold.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { NUMBERED_PER_SUBJECT } from '../../src/services/fresh-cache';
import { bearer, type Call, fetchWith } from './with-env';

const BOOKMARK = 'x-registry-bookmark';
const counts = { d1: 0, kv: 0 };

/** D1 whose sessions count every statement prepared and every batch (as warm-reads.test.ts). */
const countedDb = new Proxy(env.DB, {
  get(target, key) {
    if (key === 'withSession')
      return (bookmark?: string) => {
        const session = target.withSession(bookmark);
        return new Proxy(session, {
          get(s, k) {
            if (k === 'prepare' || k === 'batch') counts.d1++;
            const v = Reflect.get(s, k, s) as unknown;
            return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(s) : v;
          },
        });
      };
    if (key === 'prepare' || key === 'batch') counts.d1++;
    const v = Reflect.get(target, key, target) as unknown;
    return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
  },
});

const countedKv = new Proxy(env.SCHEMA_KV, {
  get(target, key) {
    if (typeof key === 'string' && ['get', 'put', 'delete', 'list', 'getWithMetadata'].includes(key)) counts.kv++;
    const v = Reflect.get(target, key, target) as unknown;
    return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
  },
});

const call = fetchWith({ AUTH_MODE: 'none', DB: countedDb, SCHEMA_KV: countedKv });

async function measured(path: string, headers: Record<string, string> = {}, via: Call = call) {
  counts.d1 = 0;
  counts.kv = 0;
  const r = await via('GET', path, undefined, headers);
  return { status: r.status, body: r.body, d1: counts.d1, kv: counts.kv, bookmark: r.headers.get(BOOKMARK) };
}

const schema = (n: number) => JSON.stringify({ type: 'record', name: 'Fresh', fields: [{ name: `f${n}`, type: ['null', 'string'], default: null }] });

async function register(subject: string, n: number): Promise<{ id: number; bookmark: string | null }> {
  const r = await call('POST', `/subjects/${subject}/versions`, { schema: schema(n) });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return { id: r.body.id as number, bookmark: r.headers.get(BOOKMARK) };
}

/** Change D1 behind the API's back (as another isolate's write would look here); the commit's bookmark. */
async function writeElsewhere(sql: string, ...binds: unknown[]): Promise<string> {
  const session = env.DB.withSession('first-primary');
  await session
    .prepare(sql)
    .bind(...binds)
    .run();
  const bookmark = session.getBookmark();
  expect(bookmark).toBeTruthy();
  return bookmark!;
}

/** A commit elsewhere as the registry makes one: the change and its change event in one batch. */
async function commitElsewhere(change: string, event: { type: string; context: string; subject: string | null }): Promise<string> {
  const session = env.DB.withSession('first-primary');
  await session.batch([
    session.prepare(change),
    session
      .prepare(`INSERT INTO events (at, type, context, subject, actor) VALUES (?1, ?2, ?3, ?4, 'elsewhere')`)
      .bind(new Date().toISOString(), event.type, event.context, event.subject),
  ]);
  return session.getBookmark()!;
}

describe('fresh cache: warm mutable reads', () => {
  it('latest, version lists and config answers cost zero D1 and KV operations once warm', async () => {
    await register('warm', 1);
    await register('warm', 2);
    // [path, whether its first read goes to D1]: the raw schema and deleted=true share `latest`'s entry.
    for (const [path, first] of [
      ['/subjects/warm/versions/latest', true],
      ['/subjects/warm/versions/latest/schema', false],
      ['/subjects/warm/versions/latest?deleted=true', false],
      ['/subjects/warm/versions', true],
      ['/subjects/warm/versions?deleted=true', true],
      ['/config', true],
      ['/config/warm?defaultToGlobal=true', true],
    ] as const) {
      const cold = await measured(path);
      expect(cold.status, path).toBe(200);
      expect(cold.d1 > 0, path).toBe(first);
      for (let i = 0; i < 3; i++) {
        const warm = await measured(path);
        expect({ path, status: warm.status, body: warm.body, d1: warm.d1, kv: warm.kv }).toEqual({
          path,
          status: 200,
          body: cold.body,
          d1: 0,
          kv: 0,
        });
        // The answer carries the bookmark it was read at: echoing it keeps reads monotonic.
        expect(warm.bookmark, path).toBeTruthy();
      }
    }
    expect((await measured('/subjects/warm/versions/latest')).body.version).toBe(2);
    expect((await measured('/subjects/warm/versions')).body).toEqual([1, 2]);
  });

  it('concurrent cold reads of one answer each make their own D1 query (one statement, no batch), answer alike, and warm it', async () => {
    await register('burst', 1);
    await register('burst', 2);
    await register('other', 1);
    for (const path of ['/subjects/burst/versions/latest', '/subjects/burst/versions', '/config/burst?defaultToGlobal=true']) {
      await measured('/subjects/other/versions/latest'); // the generation known (5 s); `path` still cold
      counts.d1 = 0;
      const answers = await Promise.all(Array.from({ length: 4 }, () => call('GET', path)));
      // No request waits on another's read (services/fresh-cache.ts says why): four reads, one statement each.
      expect({ path, d1: counts.d1 }).toEqual({ path, d1: 4 });
      for (const a of answers) {
        expect(a.status, path).toBe(200);
        expect(a.body, path).toEqual(answers[0].body);
        expect(a.headers.get(BOOKMARK), path).toBeTruthy();
        expect(a.headers.get('server-timing'), path).toContain('d1');
      }
      expect((await measured(path)).d1, path).toBe(0);
    }
  });

  it('not-found answers are never kept: each one reads D1, and a registration is seen at once', async () => {
    for (let i = 0; i < 2; i++) {
      const missing = await measured('/subjects/later/versions/latest');
      expect(missing.status).toBe(404);
      expect(missing.body.error_code).toBe(40401);
      expect(missing.d1).toBeGreaterThan(0);
      const list = await measured('/subjects/later/versions');
      expect(list.status).toBe(404);
      expect(list.d1).toBeGreaterThan(0);
      const config = await measured('/config/later');
      expect(config.status).toBe(404);
      expect(config.body.error_code).toBe(40408);
      expect(config.d1).toBeGreaterThan(0);
    }
    // Registered behind the cache's back (another isolate): still seen by the very next read.
    await register('elsewhere', 1);
    const id = (await measured('/subjects/elsewhere/versions/1')).body.id as number;
    await writeElsewhere(
      `INSERT INTO versions (context, subject, version, schema_id, deleted) SELECT context, 'later', 1, schema_id, 0 FROM versions WHERE subject = 'elsewhere'`,
    );
    const found = await measured('/subjects/later/versions/latest');
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ subject: 'later', version: 1, id });
    expect((await measured('/subjects/later/versions')).body).toEqual([1]);
  });
});

describe('fresh cache: read-your-writes', () => {
  it('a write through this isolate is seen by the next read, with or without its bookmark', async () => {
    await register('ryw', 1);
    expect((await measured('/subjects/ryw/versions/latest')).body.version).toBe(1);
    expect((await measured('/subjects/ryw/versions')).body).toEqual([1]);
    expect((await measured('/subjects/ryw/versions/latest')).d1).toBe(0);
    const { bookmark } = await register('ryw', 2);
    expect(bookmark).toBeTruthy();
    const withBookmark = await measured('/subjects/ryw/versions/latest', { [BOOKMARK]: bookmark! });
    expect(withBookmark.body.version).toBe(2);
    expect((await measured('/subjects/ryw/versions', { [BOOKMARK]: bookmark! })).body).toEqual([1, 2]);
    expect((await measured('/subjects/ryw/versions/latest')).body.version).toBe(2);
    // A soft delete of the latest version: latest goes back to 1 at once, lists follow.
    const del = await call('DELETE', '/subjects/ryw/versions/2');
    expect(del.status).toBe(200);
    expect((await measured('/subjects/ryw/versions/latest')).body.version).toBe(1);
    expect((await measured('/subjects/ryw/versions')).body).toEqual([1]);
  });

  it('a request whose bookmark is newer than the entry is never answered from it, and its fresher read replaces the entry', async () => {
    await register('behind', 1);
    await register('behind', 2);
    const warm = await measured('/subjects/behind/versions/latest');
    expect(warm.body.version).toBe(2);
    expect(warm.bookmark).toBeTruthy();
    expect((await measured('/subjects/behind/versions/latest')).d1).toBe(0);
    expect((await measured('/subjects/behind/versions')).body).toEqual([1, 2]);

    // Another isolate soft-deletes version 2; its client holds the commit's bookmark.
    const newer = await writeElsewhere(`UPDATE versions SET deleted = 1 WHERE subject = 'behind' AND version = 2`);
    expect(newer > warm.bookmark!).toBe(true); // D1 bookmarks sort oldest first

    // Its client (newer bookmark) reads D1 and sees the write ...
    const mine = await measured('/subjects/behind/versions/latest', { [BOOKMARK]: newer });
    expect(mine.d1).toBeGreaterThan(0);
    expect(mine.body.version).toBe(1);
    expect((await measured('/subjects/behind/versions', { [BOOKMARK]: newer })).body).toEqual([1]);
    // ... and its fresher read replaced the entry: a request with the older bookmark gets it too.
    const older = await measured('/subjects/behind/versions/latest', { [BOOKMARK]: warm.bookmark! });
    expect(older).toMatchObject({ d1: 0 });
    expect(older.body.version).toBe(1);
    // first-primary always reads D1.
    expect((await measured('/subjects/behind/versions/latest', { [BOOKMARK]: 'first-primary' })).d1).toBeGreaterThan(0);
  });

  it('without a bookmark the entry answers until the TTL (1 s), then D1 again', async () => {
    await register('ttl', 1);
    await register('ttl', 2);
    expect((await measured('/subjects/ttl/versions/latest')).body.version).toBe(2);
    // Another isolate's write: the change and its event, in one batch, as every write commits.
    await commitElsewhere(`UPDATE versions SET deleted = 1 WHERE subject = 'ttl' AND version = 2`, {
      type: 'delete-version',
      context: '.',
      subject: 'ttl',
    });
    // A client without a bookmark may see the entry within the TTL: that is the TTL's promise ...
    const stale = await measured('/subjects/ttl/versions/latest');
    expect(stale).toMatchObject({ d1: 0 });
    expect(stale.body.version).toBe(2);
    // ... and not after it: the change mark moved, so the entry is read again.
    await scheduler.wait(1_100);
    const expired = await measured('/subjects/ttl/versions/latest');
    expect(expired.d1).toBeGreaterThan(1);
    expect(expired.body.version).toBe(1);
  });
});

describe('fresh cache: renewal by change mark', () => {
  const paths = ['/subjects/mark-a/versions/latest', '/subjects/mark-b/versions', '/config/mark-a?defaultToGlobal=true'];

  async function warm() {
    await register('mark-a', 1);
    await register('mark-b', 1);
    for (const p of paths) expect((await measured(p)).status).toBe(200);
    for (const p of paths) expect((await measured(p)).d1).toBe(0);
  }

  it('after the TTL, with nothing committed, one mark read renews every entry', async () => {
    await warm();
    await scheduler.wait(1_100);
    const renewed = [];
    for (const p of paths) renewed.push(await measured(p));
    // The first expired read reads the mark (one statement); the others use it: no D1 at all.
    expect(renewed.map((r) => r.d1)).toEqual([1, 0, 0]);
    expect(renewed.map((r) => r.status)).toEqual([200, 200, 200]);
    // Renewed, each answers for another TTL without reading anything.
    for (const p of paths) expect((await measured(p)).d1).toBe(0);
  });

  it('a commit anywhere moves the mark: every expired entry is read again', async () => {
    await warm();
    // A commit in another context, through another isolate: the mark moves although nothing here changed.
    await commitElsewhere(`INSERT INTO configs (context, subject, body) VALUES ('.other', '', '{"compatibilityLevel":"NONE"}')`, {
      type: 'set-config',
      context: '.other',
      subject: null,
    });
    await scheduler.wait(1_100);
    const reads = [];
    for (const p of paths) reads.push(await measured(p));
    // The first reads the mark and then its answer; the others their answers (the new mark is fresh).
    expect(reads[0].d1).toBeGreaterThan(1);
    for (const r of reads.slice(1)) expect(r.d1).toBeGreaterThan(0);
    for (const p of paths) expect((await measured(p)).d1).toBe(0);
  });

  it('a request whose bookmark is newer than the renewing mark is not answered from the entry', async () => {
    await warm();
    await scheduler.wait(1_100);
    expect((await measured(paths[0])).d1).toBe(1); // renewed by the mark
    // A change behind the API (no event) whose bookmark a client holds: its request reads D1.
    const newer = await writeElsewhere(`UPDATE versions SET deleted = 1 WHERE subject = 'mark-a' AND version = 1`);
    const own = await measured(paths[0], { [BOOKMARK]: newer });
    expect(own.d1).toBeGreaterThan(0);
    expect(own.status).toBe(404);
  });

  it('a change behind the API (no event) is seen once the entry may be renewed no longer (30 s)', async () => {
    await warm();
    await writeElsewhere(`UPDATE versions SET deleted = 1 WHERE subject = 'mark-a' AND version = 1`);
    await scheduler.wait(1_100);
    // The mark did not move: the entry is renewed, and answers what it held.
    const renewed = await measured(paths[0]);
    expect(renewed).toMatchObject({ status: 200, d1: 1 });
    const now = Date.now();
    const later = vi.spyOn(Date, 'now').mockImplementation(() => now + 31_000);
    try {
      const reread = await measured(paths[0]);
      expect(reread.d1).toBeGreaterThan(1);
      expect(reread.status).toBe(404);
    } finally {
      later.mockRestore();
    }
  });
});

describe('fresh cache: versions by number', () => {
  it('a version by number costs zero D1 and KV operations once warm, its raw schema too; one that does not exist reads D1 every time', async () => {
    await register('numbered', 1);
    await register('numbered', 2);
    for (const path of ['/subjects/numbered/versions/1', '/subjects/numbered/versions/1/schema', '/subjects/numbered/versions/2']) {
      const cold = await measured(path);
      expect(cold.status, path).toBe(200);
      for (let i = 0; i < 2; i++) expect(await measured(path)).toMatchObject({ status: 200, body: cold.body, d1: 0, kv: 0 });
    }
    expect((await measured('/subjects/numbered/versions/2')).body).toMatchObject({ subject: 'numbered', version: 2 });
    for (let i = 0; i < 2; i++) {
      const missing = await measured('/subjects/numbered/versions/3');
      expect(missing).toMatchObject({ status: 404, body: { error_code: 40402 } });
      expect(missing.d1).toBeGreaterThan(0);
    }
  });

  it('a soft delete through this isolate is seen at once; deleted=true still answers it, until a permanent delete', async () => {
    await register('numbered-gone', 1);
    await register('numbered-gone', 2);
    await measured('/subjects/numbered-gone/versions/1');
    expect((await measured('/subjects/numbered-gone/versions/1')).d1).toBe(0);
    expect((await call('DELETE', '/subjects/numbered-gone/versions/1')).status).toBe(200);
    expect(await measured('/subjects/numbered-gone/versions/1')).toMatchObject({ status: 404, body: { error_code: 40402 } });
    const deleted = await measured('/subjects/numbered-gone/versions/1?deleted=true');
    expect(deleted).toMatchObject({ status: 200, body: { version: 1 } });
    // Kept with its deleted flag: deleted=true is answered from the isolate, the plain read is still 40402.
    expect(await measured('/subjects/numbered-gone/versions/1?deleted=true')).toMatchObject({ status: 200, d1: 0 });
    expect(await measured('/subjects/numbered-gone/versions/1')).toMatchObject({ status: 404 });
    // A permanent delete is a write of the subject too.
    expect((await call('DELETE', '/subjects/numbered-gone/versions/1?permanent=true')).status).toBe(200);
    expect(await measured('/subjects/numbered-gone/versions/1?deleted=true')).toMatchObject({ status: 404, body: { error_code: 40402 } });
  });

  it('a request whose bookmark is newer than the entry reads D1 and sees the write it names', async () => {
    await register('numbered-named', 1);
    await register('numbered-named', 2);
    const warm = await measured('/subjects/numbered-named/versions/1');
    expect((await measured('/subjects/numbered-named/versions/1')).d1).toBe(0);
    const newer = await writeElsewhere(`UPDATE versions SET deleted = 1 WHERE subject = 'numbered-named' AND version = 1`);
    expect(newer > warm.bookmark!).toBe(true);
    // Without it, the entry answers within its TTL (the promise of every fresh read) ...
    expect(await measured('/subjects/numbered-named/versions/1')).toMatchObject({ status: 200, d1: 0 });
    // ... with it, D1 is read and the version is deleted.
    const own = await measured('/subjects/numbered-named/versions/1', { [BOOKMARK]: newer });
    expect(own).toMatchObject({ status: 404, body: { error_code: 40402 } });
    expect(own.d1).toBeGreaterThan(0);
  });

  it(`keeps at most ${NUMBERED_PER_SUBJECT} numbers of a subject; past them a number is read from D1 every time, and a write forgets every kept one`, async () => {
    for (let n = 1; n <= NUMBERED_PER_SUBJECT + 1; n++) await register('numbered-many', n);
    for (let n = 1; n <= NUMBERED_PER_SUBJECT + 1; n++) await measured(`/subjects/numbered-many/versions/${n}`);
    for (let n = 1; n <= NUMBERED_PER_SUBJECT; n++) expect((await measured(`/subjects/numbered-many/versions/${n}`)).d1, `version ${n}`).toBe(0);
    const past = await measured(`/subjects/numbered-many/versions/${NUMBERED_PER_SUBJECT + 1}`);
    expect(past).toMatchObject({ status: 200, body: { version: NUMBERED_PER_SUBJECT + 1 } });
    expect(past.d1).toBeGreaterThan(0);
    // A soft delete of the last version forgets all of them: the first is read again too.
    expect((await call('DELETE', `/subjects/numbered-many/versions/${NUMBERED_PER_SUBJECT + 1}`)).status).toBe(200);
    expect((await measured('/subjects/numbered-many/versions/1')).d1).toBeGreaterThan(0);
  });
});

describe('fresh cache: the subjects and versions using an id', () => {
  const usagePaths = (id: number) => [
    `/schemas/ids/${id}/subjects`,
    `/schemas/ids/${id}/versions`,
    `/schemas/ids/${id}/subjects?deleted=true`,
    `/schemas/ids/${id}/versions?deleted=true`,
  ];

  it('cost zero D1 and KV operations once warm, with and without deleted=true, answering as D1 does', async () => {
    const { id } = await register('usage-a', 1);
    expect((await register('usage-b', 1)).id).toBe(id);
    await register('usage-b', 2);
    expect((await call('DELETE', '/subjects/usage-a/versions/1')).status).toBe(200);
    const expected = [
      ['usage-b'],
      [{ subject: 'usage-b', version: 1 }],
      ['usage-a', 'usage-b'],
      [
        { subject: 'usage-a', version: 1 },
        { subject: 'usage-b', version: 1 },
      ],
    ];
    for (const [i, path] of usagePaths(id).entries()) {
      const cold = await measured(path);
      expect({ path, status: cold.status, body: cold.body }).toEqual({ path, status: 200, body: expected[i] });
      for (let n = 0; n < 2; n++) {
        const warm = await measured(path);
        expect({ path, status: warm.status, body: warm.body, d1: warm.d1, kv: warm.kv }).toEqual({
          path,
          status: 200,
          body: expected[i],
          d1: 0,
          kv: 0,
        });
        expect(warm.bookmark, path).toBeTruthy();
      }
    }
  });

  it('a registration of ANY subject of the context through this isolate is seen at once; one in another context is not a write of it', async () => {
    const { id } = await register('usage-a', 1);
    const [subjects] = usagePaths(id);
    await measured(subjects);
    expect(await measured(subjects)).toMatchObject({ body: ['usage-a'], d1: 0 });
    // The same schema under a new subject: the id's usages grow.
    expect((await register('usage-c', 1)).id).toBe(id);
    expect(await measured(subjects)).toMatchObject({ status: 200, body: ['usage-a', 'usage-c'] });
    expect((await measured(subjects)).d1).toBe(0);
    // Another schema under another subject: it cannot be known not to use the id without a read.
    await register('usage-d', 5);
    const after = await measured(subjects);
    expect(after).toMatchObject({ status: 200, body: ['usage-a', 'usage-c'] });
    expect(after.d1).toBeGreaterThan(0);
    // A write into another context leaves this context's entries alone.
    await register(':.other:usage-a', 1);
    expect(await measured(subjects)).toMatchObject({ status: 200, body: ['usage-a', 'usage-c'], d1: 0 });
  });

  it('a soft delete through this isolate is seen at once; deleted=true lists it until a permanent delete', async () => {
    const { id } = await register('usage-a', 1);
    await register('usage-b', 1);
    const [, versions, , deletedToo] = usagePaths(id);
    for (const path of [versions, deletedToo]) await measured(path);
    expect((await call('DELETE', '/subjects/usage-a/versions/1')).status).toBe(200);
    expect((await measured(versions)).body).toEqual([{ subject: 'usage-b', version: 1 }]);
    expect((await measured(deletedToo)).body).toEqual([
      { subject: 'usage-a', version: 1 },
      { subject: 'usage-b', version: 1 },
    ]);
    expect((await call('DELETE', '/subjects/usage-a/versions/1?permanent=true')).status).toBe(200);
    expect((await measured(deletedToo)).body).toEqual([{ subject: 'usage-b', version: 1 }]);
  });

  it('a request whose bookmark is newer than the entry reads D1 and sees the write it names', async () => {
    const { id } = await register('usage-a', 1);
    await register('usage-b', 1);
    const [subjects] = usagePaths(id);
    const warm = await measured(subjects);
    const newer = await writeElsewhere(`UPDATE versions SET deleted = 1 WHERE subject = 'usage-a'`);
    expect(newer > warm.bookmark!).toBe(true);
    expect(await measured(subjects)).toMatchObject({ body: ['usage-a', 'usage-b'], d1: 0 });
    const own = await measured(subjects, { [BOOKMARK]: newer });
    expect(own).toMatchObject({ status: 200, body: ['usage-b'] });
    expect(own.d1).toBeGreaterThan(0);
  });

  it('a caller whose grants reach an id only through a subject registered a moment ago reads it at once, and warm at zero D1', async () => {
    const scoped = fetchWith({ AUTH_TOKENS: 'wr:writer,pb:reader@./usage-b', DB: countedDb, SCHEMA_KV: countedKv });
    const write = (subject: string) => scoped('POST', `/subjects/${subject}/versions`, { schema: schema(1) }, bearer('wr'));
    const { id } = (await write('usage-a')).body as { id: number };
    expect(await measured(`/schemas/ids/${id}`, bearer('pb'), scoped)).toMatchObject({ status: 404, body: { error_code: 40403 } });
    expect(await measured(`/schemas/ids/${id}/subjects`, bearer('pb'), scoped)).toMatchObject({ status: 404, body: { error_code: 40403 } });
    expect((await write('usage-b')).body).toEqual({ id });
    expect(await measured(`/schemas/ids/${id}`, bearer('pb'), scoped)).toMatchObject({ status: 200 });
    expect(await measured(`/schemas/ids/${id}`, bearer('pb'), scoped)).toMatchObject({ status: 200, d1: 0, kv: 0 });
    // It sees only the subject its grant reaches.
    expect(await measured(`/schemas/ids/${id}/subjects`, bearer('pb'), scoped)).toMatchObject({ status: 200, body: ['usage-b'], d1: 0, kv: 0 });
  });
});

describe('fresh cache: deleted versions', () => {
  it('?deleted=true, deletedOnly and latest answer as without the cache after soft deletes', async () => {
    await register('del', 1);
    await register('del', 2);
    await register('del', 3);
    const paths = [
      '/subjects/del/versions',
      '/subjects/del/versions?deleted=true',
      '/subjects/del/versions?deletedOnly=true',
      '/subjects/del/versions/latest',
      '/subjects/del/versions/latest?deleted=true',
    ];
    // Warm every variant, then delete through the API.
    for (const p of paths) await measured(p);
    expect((await call('DELETE', '/subjects/del/versions/3')).status).toBe(200);
    const answers = async () =>
      Promise.all(paths.map(async (p) => ((r) => [r.status, r.body.version ?? r.body.error_code ?? r.body])(await measured(p))));
    expect(await answers()).toEqual([
      [200, [1, 2]],
      [200, [1, 2, 3]],
      [200, [3]],
      [200, 2],
      [200, 2],
    ]);
    expect(await answers()).toEqual(await answers()); // warm: the same
    // The whole subject soft-deleted: latest is gone (40401), or "Version -1 not found" with deleted=true.
    expect((await call('DELETE', '/subjects/del')).status).toBe(200);
    expect(await answers()).toEqual([
      [404, 40401],
      [200, [1, 2, 3]],
      [200, [1, 2, 3]],
      [404, 40401],
      [404, 40402],
    ]);
  });
});

describe('fresh cache: config', () => {
  it('subject, context and global scopes answer a PUT or DELETE at once', async () => {
    await register('cfg', 1);
    const level = async (path: string) => ((r) => (r.status === 200 ? r.body.compatibilityLevel : r.body.error_code))(await measured(path));
    const paths = ['/config', '/config/:.tenant:', '/config/:.tenant:orders?defaultToGlobal=true', '/config/cfg?defaultToGlobal=true', '/config/cfg'];
    expect(await Promise.all(paths.map(level))).toEqual(['BACKWARD', 'BACKWARD', 'BACKWARD', 'BACKWARD', 40408]);
    expect((await measured('/config/cfg?defaultToGlobal=true')).d1).toBe(0);

    expect((await call('PUT', '/config', { compatibility: 'FULL' })).status).toBe(200);
    expect(await Promise.all(paths.map(level))).toEqual(['FULL', 'FULL', 'FULL', 'FULL', 40408]);
    expect((await call('PUT', '/config/:.tenant:', { compatibility: 'NONE' })).status).toBe(200);
    expect(await Promise.all(paths.map(level))).toEqual(['FULL', 'NONE', 'NONE', 'FULL', 40408]);
    expect((await call('PUT', '/config/cfg', { compatibility: 'FORWARD_TRANSITIVE' })).status).toBe(200);
    expect(await Promise.all(paths.map(level))).toEqual(['FULL', 'NONE', 'NONE', 'FORWARD_TRANSITIVE', 'FORWARD_TRANSITIVE']);
    expect((await measured('/config/cfg')).d1).toBe(0);
    expect((await call('DELETE', '/config/cfg')).status).toBe(200);
    expect((await call('DELETE', '/config/:.tenant:')).status).toBe(200);
    expect(await Promise.all(paths.map(level))).toEqual(['FULL', 'FULL', 'FULL', 'FULL', 40408]);
    // A subject delete drops the subject's config (durable/deletes.ts): its answer goes too.
    expect((await call('PUT', '/config/cfg', { compatibility: 'NONE' })).status).toBe(200);
    expect(await level('/config/cfg')).toBe('NONE');
    expect((await call('DELETE', '/subjects/cfg')).status).toBe(200);
    expect(await level('/config/cfg')).toBe(40408);
  });

  it('a config written elsewhere is seen by a request carrying its bookmark', async () => {
    const warm = await measured('/config');
    expect(warm.body.compatibilityLevel).toBe('BACKWARD');
    expect((await measured('/config')).d1).toBe(0);
    const newer = await writeElsewhere(
      `INSERT INTO configs (context, subject, body) VALUES ('.', '', ?1)`,
      JSON.stringify({ compatibilityLevel: 'NONE' }),
    );
    expect((await measured('/config')).body.compatibilityLevel).toBe('BACKWARD'); // within the TTL, no bookmark
    expect((await measured('/config', { [BOOKMARK]: newer })).body.compatibilityLevel).toBe('NONE');
  });
});

describe('fresh cache: mode', () => {
  const mode = async (path: string) => ((r) => (r.status === 200 ? r.body.mode : r.body.error_code))(await measured(path));
  const paths = ['/mode', '/mode/:.tenant:', '/mode/:.tenant:orders?defaultToGlobal=true', '/mode/md?defaultToGlobal=true', '/mode/md'];

  it('answers cost zero D1 and KV operations once warm; a 40409 reads D1 every time', async () => {
    await register('md', 1);
    expect(await Promise.all(paths.map(mode))).toEqual(['READWRITE', 'READWRITE', 'READWRITE', 'READWRITE', 40409]);
    for (const path of paths.slice(0, 4)) expect(await measured(path), path).toMatchObject({ status: 200, d1: 0, kv: 0 });
    for (let i = 0; i < 2; i++) {
      const unset = await measured('/mode/md');
      expect(unset).toMatchObject({ status: 404, body: { error_code: 40409 } });
      expect(unset.d1).toBeGreaterThan(0);
    }
  });

  it('subject, context and global scopes answer a PUT or DELETE at once', async () => {
    await register('md', 1);
    await Promise.all(paths.map(mode));
    expect((await call('PUT', '/mode/:.tenant:', { mode: 'READONLY' })).status).toBe(200);
    expect(await Promise.all(paths.map(mode))).toEqual(['READWRITE', 'READONLY', 'READONLY', 'READWRITE', 40409]);
    expect((await call('PUT', '/mode/md?force=true', { mode: 'IMPORT' })).status).toBe(200);
    expect(await Promise.all(paths.map(mode))).toEqual(['READWRITE', 'READONLY', 'READONLY', 'IMPORT', 'IMPORT']);
    expect((await measured('/mode/md')).d1).toBe(0);
    // The global READONLY_OVERRIDE wins over every scope's own mode, except the subject's own answer.
    expect((await call('PUT', '/mode', { mode: 'READONLY_OVERRIDE' })).status).toBe(200);
    expect(await Promise.all(paths.map(mode))).toEqual(['READONLY_OVERRIDE', 'READONLY_OVERRIDE', 'READONLY_OVERRIDE', 'IMPORT', 'IMPORT']);
    expect((await call('PUT', '/mode', { mode: 'READWRITE' })).status).toBe(200);
    expect((await call('DELETE', '/mode/md')).status).toBe(200);
    expect((await call('DELETE', '/mode/:.tenant:')).status).toBe(200);
    expect(await Promise.all(paths.map(mode))).toEqual(['READWRITE', 'READWRITE', 'READWRITE', 'READWRITE', 40409]);
  });

  it('a mode written elsewhere is seen by a request carrying its bookmark', async () => {
    expect(await mode('/mode')).toBe('READWRITE');
    expect((await measured('/mode')).d1).toBe(0);
    const newer = await writeElsewhere(`INSERT INTO modes (context, subject, mode) VALUES ('.', '', 'READONLY')`);
    expect(await mode('/mode')).toBe('READWRITE'); // within the TTL, no bookmark
    const own = await measured('/mode', { [BOOKMARK]: newer });
    expect(own).toMatchObject({ status: 200, body: { mode: 'READONLY' } });
    expect(own.d1).toBeGreaterThan(0);
  });
});

describe('fresh cache: registry generation', () => {
  it('a generation advance (a restore) makes every entry unusable', async () => {
    await register('gen', 1);
    await register('gen', 2);
    expect((await measured('/subjects/gen/versions/latest')).body.version).toBe(2);
    expect((await measured('/config')).body.compatibilityLevel).toBe('BACKWARD');
    // The database changed behind the API (D1 Time Travel), then the operator advances the generation.
    await writeElsewhere(`UPDATE versions SET deleted = 1 WHERE subject = 'gen' AND version = 2`);
    await writeElsewhere(`INSERT INTO configs (context, subject, body) VALUES ('.', '', ?1)`, JSON.stringify({ compatibilityLevel: 'FULL' }));
    expect((await call('POST', '/v1/admin/generation')).status).toBe(200);
    const latest = await measured('/subjects/gen/versions/latest');
    expect(latest.d1).toBeGreaterThan(0);
    expect(latest.body.version).toBe(1);
    expect((await measured('/subjects/gen/versions')).body).toEqual([1]);
    expect((await measured('/config')).body.compatibilityLevel).toBe('FULL');
  });
});

describe('fresh cache: lookups (POST /subjects/{s})', () => {
  async function lookup(subject: string, n: number, query = '', headers: Record<string, string> = {}) {
    counts.d1 = 0;
    counts.kv = 0;
    const r = await call('POST', `/subjects/${subject}${query}`, { schema: schema(n) }, headers);
    return { status: r.status, body: r.body, d1: counts.d1, kv: counts.kv, timing: r.headers.get('server-timing') };
  }

  it('a warm lookup costs zero D1 and KV operations, found or not; an unknown subject reads D1 every time', async () => {
    const { id } = await register('looked', 1);
    const cold = await lookup('looked', 1);
    expect(cold).toMatchObject({ status: 200, body: { subject: 'looked', version: 1, id } });
    expect(cold.d1).toBeGreaterThan(0);
    for (let i = 0; i < 2; i++) {
      expect(await lookup('looked', 1)).toMatchObject({ status: 200, body: { version: 1, id }, d1: 0, kv: 0, timing: 'read;desc="isolate"' });
      // A schema the subject does not hold: 40403, from the same entry.
      expect(await lookup('looked', 2)).toMatchObject({ status: 404, body: { error_code: 40403 }, d1: 0 });
    }
    for (let i = 0; i < 2; i++) {
      const unknown = await lookup('never', 1);
      expect(unknown).toMatchObject({ status: 404, body: { error_code: 40401 } });
      expect(unknown.d1).toBeGreaterThan(0);
    }
  });

  it('after the TTL, with nothing committed, a lookup is renewed by one mark read (a read stamps its entry)', async () => {
    const { id } = await register('renewed', 1);
    expect((await lookup('renewed', 1)).d1).toBeGreaterThan(1); // the mark, then the state's batch
    await scheduler.wait(1_100);
    expect(await lookup('renewed', 1)).toMatchObject({ status: 200, body: { id }, d1: 1 });
    expect(await lookup('renewed', 1)).toMatchObject({ status: 200, d1: 0 });
  });

  it('a soft delete through this isolate is seen at once; ?deleted=true still finds the version', async () => {
    const { id } = await register('gone', 1);
    await lookup('gone', 1);
    expect((await lookup('gone', 1)).d1).toBe(0);
    expect((await call('DELETE', '/subjects/gone/versions/1')).status).toBe(200);
    expect(await lookup('gone', 1)).toMatchObject({ status: 404, body: { error_code: 40401 } });
    expect(await lookup('gone', 1, '?deleted=true')).toMatchObject({ status: 200, body: { version: 1, id } });
  });
});

describe('fresh cache: compatibility checks (POST /compatibility/subjects/{s}/versions/latest)', () => {
  /** Fields `f1` and `x`, a string without a default: incompatible (BACKWARD) with any version without `x`. */
  const needsX = JSON.stringify({ type: 'record', name: 'Fresh', fields: [{ name: 'x', type: 'string' }] });
  /** schema(1) and `x` with a default: a compatible next version, after which `needsX` is compatible too. */
  const withX = JSON.stringify({
    type: 'record',
    name: 'Fresh',
    fields: [
      { name: 'f1', type: ['null', 'string'], default: null },
      { name: 'x', type: 'string', default: '' },
    ],
  });

  async function check(subject: string, candidate: string, headers: Record<string, string> = {}) {
    counts.d1 = 0;
    counts.kv = 0;
    const r = await call('POST', `/compatibility/subjects/${subject}/versions/latest`, { schema: candidate }, headers);
    return { status: r.status, body: r.body, d1: counts.d1, kv: counts.kv, timing: r.headers.get('server-timing') };
  }

  it('a warm check costs zero D1 and KV operations; a subject without versions reads D1 every time', async () => {
    await register('checked', 1);
    const cold = await check('checked', schema(2));
    expect(cold).toMatchObject({ status: 200, body: { is_compatible: true } });
    expect(cold.d1).toBeGreaterThan(0);
    for (let i = 0; i < 2; i++) {
      expect(await check('checked', schema(2))).toMatchObject({
        status: 200,
        body: { is_compatible: true },
        d1: 0,
        kv: 0,
        timing: 'read;desc="isolate"',
      });
      expect(await check('checked', needsX)).toMatchObject({ status: 200, body: { is_compatible: false }, d1: 0, kv: 0 });
    }
    // Nothing to be incompatible with: Confluent answers compatible for `latest` of an unknown subject.
    for (let i = 0; i < 2; i++) {
      const unknown = await check('never-checked', schema(1));
      expect(unknown).toMatchObject({ status: 200, body: { is_compatible: true } });
      expect(unknown.d1).toBeGreaterThan(0);
    }
  });

  it('a registration through this isolate is seen by the next check at once', async () => {
    await register('checked-write', 1);
    await check('checked-write', needsX);
    expect(await check('checked-write', needsX)).toMatchObject({ body: { is_compatible: false }, d1: 0 });
    const next = await call('POST', '/subjects/checked-write/versions', { schema: withX });
    expect(next.status, JSON.stringify(next.body)).toBe(200);
    const after = await check('checked-write', needsX);
    expect(after.body).toEqual({ is_compatible: true });
    expect(after.d1).toBeGreaterThan(0);
  });

  it('a request whose bookmark is newer than the entry reads D1 and checks against the history it names', async () => {
    await register('checked-named', 1);
    expect((await call('POST', '/subjects/checked-named/versions', { schema: withX })).status).toBe(200);
    await check('checked-named', needsX);
    expect(await check('checked-named', needsX)).toMatchObject({ body: { is_compatible: true }, d1: 0 });
    // Another isolate soft-deletes version 2: the latest is version 1 again, which needsX cannot read.
    const newer = await writeElsewhere(`UPDATE versions SET deleted = 1 WHERE subject = 'checked-named' AND version = 2`);
    // Without the bookmark, the entry answers within its TTL (the promise of every fresh read) ...
    expect(await check('checked-named', needsX)).toMatchObject({ body: { is_compatible: true }, d1: 0 });
    // ... with it, D1 is read.
    const own = await check('checked-named', needsX, { [BOOKMARK]: newer });
    expect(own.body).toEqual({ is_compatible: false });
    expect(own.d1).toBeGreaterThan(0);
  });
});

describe('fresh cache: registering what a subject already holds (the pre-check)', () => {
  /** POST the n-th schema to the subject again, counting D1 and KV operations. */
  async function again(subject: string, n: number, headers: Record<string, string> = {}) {
    counts.d1 = 0;
    counts.kv = 0;
    const r = await call('POST', `/subjects/${subject}/versions`, { schema: schema(n) }, headers);
    return {
      status: r.status,
      body: r.body,
      d1: counts.d1,
      kv: counts.kv,
      timing: r.headers.get('server-timing'),
      bookmark: r.headers.get(BOOKMARK),
    };
  }

  it('is answered from the isolate once warm: zero D1 and KV operations, the entry bookmark, read layer isolate', async () => {
    const { id } = await register('again', 1);
    const cold = await again('again', 1);
    expect(cold).toMatchObject({ status: 200, body: { id }, timing: 'read;desc="d1"' });
    expect(cold.d1).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) {
      const warm = await again('again', 1);
      expect(warm).toMatchObject({ status: 200, body: { id }, d1: 0, kv: 0, timing: 'read;desc="isolate"' });
      expect(warm.bookmark).toBeTruthy();
    }
    // A schema the subject does not hold goes to the writer; its answer names no read layer.
    const next = await again('again', 2);
    expect(next.status).toBe(200);
    expect(next.body.id).not.toBe(id);
    expect(next.timing).toBeNull();
    expect((await measured('/subjects/again/versions')).body).toEqual([1, 2]);
  });

  it('a soft delete through this isolate is seen at once: the schema is registered anew, not answered from the entry', async () => {
    const { id } = await register('undone', 1);
    await again('undone', 1);
    expect((await again('undone', 1)).d1).toBe(0);
    expect((await call('DELETE', '/subjects/undone/versions/1')).status).toBe(200);
    const after = await again('undone', 1);
    expect(after.status).toBe(200);
    expect(after.d1).toBeGreaterThan(0);
    // Confluent registers a soft-deleted schema again as a new version under its id.
    expect(after.body).toEqual({ id });
    expect((await measured('/subjects/undone/versions')).body).toEqual([2]);
  });

  it('a config write through this isolate is seen at once: an override it adds makes a new version', async () => {
    const { id } = await register('override', 1);
    await again('override', 1);
    expect((await again('override', 1)).d1).toBe(0);
    const put = await call('PUT', '/config/override', { overrideMetadata: { properties: { owner: 'payments' } } });
    expect(put.status).toBe(200);
    const after = await again('override', 1);
    expect(after.d1).toBeGreaterThan(0);
    // The merged schema (with the override) is not the one held: version 2, its metadata answered.
    expect(after.body).toMatchObject({ version: 2, metadata: { properties: { owner: 'payments' } } });
    expect(after.body.id).not.toBe(id);
  });

  it('a mode write through this isolate forgets the entries too; READONLY still answers what is held', async () => {
    const { id } = await register('moded', 1);
    await again('moded', 1);
    expect((await again('moded', 1)).d1).toBe(0);
    expect((await call('PUT', '/mode/moded', { mode: 'READONLY' })).status).toBe(200);
    const after = await again('moded', 1);
    expect(after).toMatchObject({ status: 200, body: { id } });
    expect(after.d1).toBeGreaterThan(0);
    expect((await again('moded', 2)).body.error_code).toBe(42205);
  });

  it('a request whose bookmark is newer than the entry reads D1 and sees the write it names', async () => {
    const { id } = await register('named', 1);
    const warm = await again('named', 1);
    expect((await again('named', 1)).d1).toBe(0);
    // Another isolate soft-deletes the version; its client holds the commit's bookmark.
    const newer = await writeElsewhere(`UPDATE versions SET deleted = 1 WHERE subject = 'named' AND version = 1`);
    expect(newer > warm.bookmark!).toBe(true);
    // Without it, the entry answers within its TTL (the promise of every fresh read) ...
    expect(await again('named', 1)).toMatchObject({ body: { id }, d1: 0 });
    // ... with it, D1 is read and the schema registered again.
    const own = await again('named', 1, { [BOOKMARK]: newer });
    expect(own.d1).toBeGreaterThan(0);
    expect(own.body).toEqual({ id });
    expect((await measured('/subjects/named/versions', { [BOOKMARK]: own.bookmark! })).body).toEqual([2]);
  });

  /** Eight new subjects, each pre-check reading D1 and finding nothing: the gate closes (services/precheck-gate.ts). Their ids. */
  async function closeTheGate(prefix: string): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await again(`${prefix}-${i}`, i);
      expect(r.status).toBe(200);
      expect(r.d1, `pre-check ${i} reads`).toBeGreaterThan(0);
      ids.push(r.body.id as number);
    }
    return ids;
  }

  it('after eight pre-checks in a row found nothing, new registrations read nothing in the Worker; the first the writer answers as registered opens the gate', async () => {
    const ids = await closeTheGate('burst');
    // Closed: new registrations go to the writer without a read in the Worker.
    for (let i = 8; i < 16; i++) {
      const r = await again(`burst-${i}`, i);
      expect(r).toMatchObject({ status: 200, d1: 0 });
      ids.push(r.body.id as number);
    }
    expect(new Set(ids).size).toBe(16);
    // A new version of a subject the isolate holds nothing of: decided by the writer, the gate stays closed.
    expect(await again('burst-15', 99)).toMatchObject({ status: 200, d1: 0 });
    expect((await measured('/subjects/burst-15/versions')).body).toEqual([1, 2]);
    // A re-registration decided by the writer: the same id, nothing committed, no read layer named
    // (no read answered it); and the writer's "already registered" opens the gate ...
    expect(await again('burst-0', 0)).toMatchObject({ status: 200, body: { id: ids[0] }, d1: 0, kv: 0, timing: null });
    expect((await measured('/subjects/burst-0/versions')).body).toEqual([1]);
    // ... so the next re-registration is answered by the pre-check from D1, without the writer,
    const open = await again('burst-8', 8);
    expect(open).toMatchObject({ status: 200, body: { id: ids[8] }, timing: 'read;desc="d1"' });
    expect(open.d1).toBeGreaterThan(0);
    // and the next new subject's pre-check reads D1 again.
    expect((await again('after', 99)).d1).toBeGreaterThan(0);
  });

  it('writes into a named context read whether it exists about once a second, not once each; deleting it through the isolate is seen at once', async () => {
    const now = Date.now();
    // Time stands still here: no entry's second runs out mid-test (the TTL has its own tests above).
    const frozen = vi.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      await closeTheGate(':.tenant:s'); // its first registration creates the context
      // Passed over by the gate, the context known to exist: the Worker reads nothing at all.
      expect(await again(':.tenant:s-8', 8)).toMatchObject({ status: 200, d1: 0 });

      expect((await again(':.gone:only', 1)).status).toBe(200);
      for (const q of ['', '?permanent=true']) expect((await call('DELETE', `/subjects/:.gone:only${q}`)).status).toBe(200);
      expect((await call('DELETE', '/contexts/.gone')).status).toBe(204);
      // The delete forgot what this isolate knew of it: the context is read again, and is gone.
      counts.d1 = 0;
      const after = await call('DELETE', '/subjects/:.gone:only');
      expect([after.status, after.body.error_code]).toEqual([404, 40401]);
      expect(counts.d1).toBeGreaterThan(0);
    } finally {
      frozen.mockRestore();
    }
  });

  it('while closed, what the isolate holds still answers, and READONLY re-registrations are answered by the writer', async () => {
    const ids = await closeTheGate('shut');
    expect((await call('PUT', '/mode/shut-0', { mode: 'READONLY' })).status).toBe(200);
    // Refused by the writer (a new schema in READONLY): not an answer, the gate stays closed.
    expect(await again('shut-0', 9)).toMatchObject({ status: 422, body: { error_code: 42205 }, d1: 0 });
    // A lookup keeps the subject's state in the isolate: a re-registration then reads nothing.
    expect((await call('POST', '/subjects/shut-1', { schema: schema(1) })).status).toBe(200);
    expect(await again('shut-1', 1)).toMatchObject({ status: 200, body: { id: ids[1] }, d1: 0, timing: 'read;desc="isolate"' });
    // Still closed: a new subject reads nothing in the Worker.
    expect(await again('shut-new', 1)).toMatchObject({ status: 200, d1: 0 });
    // A READONLY re-registration, answered by the writer ...
    expect(await again('shut-0', 0)).toMatchObject({ status: 200, body: { id: ids[0] }, d1: 0, timing: null });
    // ... opens the gate: the next new subject's pre-check reads D1.
    expect((await again('shut-later', 1)).d1).toBeGreaterThan(0);
  });
});
