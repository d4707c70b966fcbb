/**
 * GET /subjects and GET /schemas page in SQL (services/listings.ts): the same answers as sorting
 * every qualified name in memory would give (a reference written here, over the same rows), for
 * every prefix, deletion flag, offset and limit, with grants; and a first page costs rows in
 * proportion to the page, not to the registry (D1's meta.rows_read, counted).
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { qualify } from '../../src/domain/naming';
import { ErrorCode, RegistryError } from '../../src/domain/errors';
import { allows, readsInContext } from '../../src/domain/grant-rules';
import { parseGrantText } from '../../src/domain/grants';
import { prefixEnd, readableRanges } from '../../src/domain/name-ranges';
import { SCHEMA_LISTING, subjectPage, SUBJECT_LISTING, versionPage } from '../../src/services/listings';
import { RegistryReader } from '../../src/storage/registry-reader';
import { get } from './client';
import { bearer, fetchWith } from './with-env';

interface Row {
  context: string;
  subject: string;
  version: number;
  deleted: boolean;
}

let seeded = 0;
beforeEach(() => {
  seeded = 0; // storage is wiped before every test (apply-migrations.ts)
});

/** Seed rows straight into D1 (each version its own schema id), many per batch; `text` makes the i-th schema's text. */
async function seed(rows: Row[], text = (i: number) => JSON.stringify({ type: 'record', name: `R${i}`, fields: [] })): Promise<void> {
  const first = seeded;
  seeded += rows.length;
  const contexts = [...new Set(rows.map((r) => r.context))];
  const statements: D1PreparedStatement[] = contexts.map((c) => env.DB.prepare('INSERT OR IGNORE INTO contexts (context) VALUES (?1)').bind(c));
  rows.forEach((r, n) => {
    const i = first + n;
    const schema = text(i);
    statements.push(
      env.DB.prepare('INSERT INTO schemas (context, id, guid, hash, schema_type, schema) VALUES (?1, ?2, ?3, ?4, ?5, ?6)').bind(
        r.context,
        i + 1,
        crypto.randomUUID(),
        `h${i}`,
        'AVRO',
        schema,
      ),
      env.DB.prepare('INSERT INTO versions (context, subject, version, schema_id, deleted) VALUES (?1, ?2, ?3, ?4, ?5)').bind(
        r.context,
        r.subject,
        r.version,
        i + 1,
        r.deleted ? 1 : 0,
      ),
    );
  });
  for (let i = 0; i < statements.length; i += 500) await env.DB.batch(statements.slice(i, i + 500));
}

/** The test D1 for a RegistryReader, handing every `all()` result to `seen` (rows read, texts held). */
function observedDb(seen: (result: D1Result) => void): Pick<D1Database, 'prepare' | 'batch'> {
  const wrap = (stmt: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(stmt, {
      get(target, key) {
        if (key === 'bind') return (...args: unknown[]) => wrap(target.bind(...args));
        if (key === 'all')
          return async () => {
            const r = await target.all();
            seen(r);
            return r;
          };
        return Reflect.get(target, key, target) as unknown;
      },
    });
  return { prepare: (sql: string) => wrap(env.DB.prepare(sql)), batch: env.DB.batch.bind(env.DB) };
}

// Names chosen to sit on every boundary of the order: digits and '-' sort before ':', capitals and
// lower case after; contexts '.a', '.a-b' and '.ab' order by their ':.ctx:' prefix, not by name.
const ROWS: Row[] = [
  ['.', '0-first'],
  ['.', '9lives'],
  ['.', 'Alpha'],
  ['.', 'pay-a'],
  ['.', 'pay-b'],
  ['.', 'zulu'],
  ['.a', 'pay-x'],
  ['.a', 'q'],
  ['.a-b', 'pay-y'],
  ['.ab', 'm'],
  ['.Z', 'pay-z'],
].flatMap(([context, subject], i) => [
  { context, subject, version: 1, deleted: i % 4 === 3 },
  { context, subject, version: 2, deleted: i % 3 === 2 },
]);

/** The reference: every row in memory, filtered, sorted by qualified name (then version), sliced. */
function expectedSubjects(prefix: string, o: { deleted?: boolean; deletedOnly?: boolean }, offset = 0, limit = 0, may = (_: Row) => true) {
  const scope = prefix === ':*:' || prefix === '' ? undefined : (/^:(\.[^:]*):(.*)$/.exec(prefix) ?? [prefix, '.', prefix]);
  const bySubject = new Map<string, Row[]>();
  for (const r of ROWS) {
    if (scope ? r.context !== scope[1] || !r.subject.startsWith(scope[2]) : false) continue;
    if (!may(r)) continue;
    const key = qualify(r.context, r.subject);
    bySubject.set(key, [...(bySubject.get(key) ?? []), r]);
  }
  const names = [...bySubject]
    .filter(([, rs]) => (o.deletedOnly ? rs.every((r) => r.deleted) : o.deleted ? true : rs.some((r) => !r.deleted)))
    .map(([name]) => name)
    .sort();
  return names.slice(offset, limit > 0 ? offset + limit : undefined);
}

function expectedVersions(prefix: string, deleted: boolean, latestOnly: boolean, offset = 0, limit = 0) {
  const scope = prefix === ':*:' ? undefined : (/^:(\.[^:]*):(.*)$/.exec(prefix) ?? [prefix, '.', prefix]);
  let rows = ROWS.filter((r) => (!scope || (r.context === scope[1] && r.subject.startsWith(scope[2]))) && (deleted || !r.deleted));
  if (latestOnly) rows = rows.filter((r) => !rows.some((o) => o.context === r.context && o.subject === r.subject && o.version > r.version));
  const out = rows.map((r) => `${qualify(r.context, r.subject)}@${r.version}`);
  out.sort((a, b) => {
    const [sa, va] = a.split('@');
    const [sb, vb] = b.split('@');
    return sa < sb ? -1 : sa > sb ? 1 : Number(va) - Number(vb);
  });
  return out.slice(offset, limit > 0 ? offset + limit : undefined);
}

describe('listings paged in SQL', { timeout: 120_000 }, () => {
  it('GET /subjects answers what sorting every qualified name would, for every prefix, flag and page', async () => {
    await seed(ROWS);
    for (const prefix of [':*:', ':.a:', ':.a:pay', ':.:pay-', 'pay-', ':.none:']) {
      for (const o of [{}, { deleted: true }, { deletedOnly: true }]) {
        for (const [offset, limit] of [
          [0, 0],
          [0, 3],
          [2, 4],
          [5, 100],
          [40, 5],
        ]) {
          const q = new URLSearchParams({ subjectPrefix: prefix, offset: String(offset), limit: String(limit) });
          if ('deleted' in o) q.set('deleted', 'true');
          if ('deletedOnly' in o) q.set('deletedOnly', 'true');
          const { status, body } = await get(`/subjects?${q.toString()}`);
          expect(status).toBe(200);
          expect(body, q.toString()).toEqual(expectedSubjects(prefix, o, offset, limit));
        }
      }
    }
  });

  it('GET /schemas answers what sorting every version would, with latestOnly and deleted', async () => {
    await seed(ROWS);
    for (const prefix of [':*:', '', ':.a:', 'pay-']) {
      for (const deleted of [false, true]) {
        for (const latestOnly of [false, true]) {
          for (const [offset, limit] of [
            [0, 0],
            [1, 3],
            [7, 5],
          ]) {
            const q = new URLSearchParams({ subjectPrefix: prefix, offset: String(offset), limit: String(limit) });
            if (deleted) q.set('deleted', 'true');
            if (latestOnly) q.set('latestOnly', 'true');
            const { status, body } = await get(`/schemas?${q.toString()}`);
            expect(status).toBe(200);
            expect(
              (body as { subject: string; version: number }[]).map((s) => `${s.subject}@${s.version}`),
              q.toString(),
            ).toEqual(expectedVersions(prefix, deleted, latestOnly, offset, limit));
          }
        }
      }
    }
  });

  it('pages count only what the caller may read', async () => {
    await seed(ROWS);
    const call = fetchWith({ AUTH_TOKENS: 'pay:reader@*/pay-,ctx:reader@.a' });
    const payOnly = (r: Row) => r.subject.startsWith('pay-');
    for (const [offset, limit] of [
      [0, 0],
      [1, 2],
      [3, 10],
    ]) {
      const { body } = await call('GET', `/subjects?offset=${offset}&limit=${limit}`, undefined, bearer('pay'));
      expect(body).toEqual(expectedSubjects(':*:', {}, offset, limit, payOnly));
    }
    const { body } = await call('GET', '/subjects', undefined, bearer('ctx'));
    expect(body).toEqual(expectedSubjects(':*:', {}, 0, 0, (r) => r.context === '.a'));
  });

  it('a caller that reads a few subjects seeks them: rows in proportion to what it may read, not to the registry', async () => {
    // 3,000 subjects in the default context and 300 in .a; the caller reads two prefixes of the
    // default context (30 subjects) and one of .a (10), through grants in every context and one.
    const many = (context: string, n: number, name: string): Row[] =>
      Array.from({ length: n }, (_, i) => ({ context, subject: `${name}-${String(i).padStart(5, '0')}`, version: 1, deleted: false }));
    const rows = [...many('.', 3000, 's'), ...many('.a', 300, 't')];
    await seed(rows);
    const grants = ['reader@./s-0012', 'reader@./s-0029', 'reader@./s-00299', 'reader@*/t-0001'].map((g) => parseGrantText(g)!);
    const allowed = (context: string, subject: string) => allows(grants, 'reader', { kind: 'subject', context, subject });
    const narrow = {
      context: (context: string) => readsInContext(grants, context),
      subject: allowed,
      ranges: (context: string) => readableRanges(grants, context),
    };
    let rowsRead = 0;
    const reader = new RegistryReader(observedDb((r) => (rowsRead += r.meta.rows_read)));
    const listing = { context: undefined, prefix: '', offset: 0, limit: 0, options: {} };
    const names = await subjectPage(reader, listing, narrow);
    const expected = rows
      .filter((r) => allowed(r.context, r.subject))
      .map((r) => qualify(r.context, r.subject))
      .sort();
    expect(expected).toHaveLength(30);
    expect(names).toEqual(expected);
    const seeking = rowsRead;
    // The same answer without the ranges reads every name.
    rowsRead = 0;
    expect(await subjectPage(reader, listing, { context: narrow.context, subject: narrow.subject })).toEqual(expected);
    expect(rowsRead).toBeGreaterThan(3000);
    expect(seeking).toBeLessThan(100);
    // GET /schemas walks the same segments (a version's row, its schema's, and the page's window over them).
    rowsRead = 0;
    const versions = await versionPage(reader, { ...listing, latestOnly: false }, narrow);
    expect(versions.map((v) => qualify(v.context, v.subject))).toEqual(expected);
    expect(rowsRead).toBeLessThan(400);
  });

  it('a first page reads rows in proportion to the page, not to the registry', async () => {
    let rowsRead = 0;
    const counting = observedDb((r) => {
      rowsRead += r.meta.rows_read;
    });
    const reader = new RegistryReader(counting);
    const all = { context: (_: string) => true, subject: (_: string, __: string) => true };
    const firstPage = async () => {
      rowsRead = 0;
      const names = await subjectPage(reader, { context: undefined, prefix: '', offset: 0, limit: 100, options: {} }, all);
      expect(names).toHaveLength(100);
      const versions = await versionPage(reader, { context: '.', prefix: '', offset: 0, limit: 100, options: {}, latestOnly: false }, all);
      expect(versions).toHaveLength(100);
      return rowsRead;
    };
    const many = (n: number, from: number): Row[] =>
      Array.from({ length: n }, (_, i) => ({ context: '.', subject: `s-${String(from + i).padStart(6, '0')}`, version: 1, deleted: false }));
    await seed(many(300, 0));
    const small = await firstPage();
    await seed(many(2700, 300));
    const large = await firstPage();
    // 10× the subjects: the same first page reads about the same rows (an in-memory listing read all).
    expect(large).toBeLessThan(1000);
    expect(large).toBeLessThanOrEqual(small * 1.5);
  });

  it('GET /schemas answers at most 1,000 versions, as Confluent (schema.search.default.limit and max.limit)', async () => {
    expect(SCHEMA_LISTING).toEqual({ byDefault: 1000, max: 1000, maxTextBytes: 8 * 1024 * 1024 });
    const many = Array.from({ length: 1003 }, (_, i) => ({ context: '.', subject: `v-${String(i).padStart(4, '0')}`, version: 1, deleted: false }));
    await seed(many);
    const names = async (query: string) => ((await get(`/schemas${query}`)).body as { subject: string }[]).map((s) => s.subject);
    const all = many.map((r) => r.subject);
    // none, 0 or less, over the max: the default, 1,000 (normalizeLimit)
    for (const query of ['', '?limit=0', '?limit=-1', '?limit=1001', '?limit=5000']) expect(await names(query), query).toEqual(all.slice(0, 1000));
    expect(await names('?limit=1000')).toEqual(all.slice(0, 1000));
    expect(await names('?offset=1000')).toEqual(all.slice(1000));
    expect(await names('?offset=999&limit=2')).toEqual(all.slice(999, 1001));
  });

  it('GET /schemas holds at most maxTextBytes of schema text, in its answer and in each round trip', async () => {
    // Ten versions of 1,000-character schemas; a bound of 3,500 characters.
    const rows = Array.from({ length: 10 }, (_, i) => ({ context: '.', subject: `big-${i}`, version: 1, deleted: false }));
    await seed(rows, (i) => JSON.stringify({ type: 'string', doc: 'd'.repeat(969 - String(i).length), n: i }));
    let largest = 0;
    const counting = observedDb((r) => {
      largest = Math.max(
        largest,
        (r.results as { schema?: string }[]).reduce((n, row) => n + (row.schema?.length ?? 0), 0),
      );
    });
    const reader = new RegistryReader(counting);
    const all = { context: (_: string) => true, subject: (_: string, __: string) => true };
    const bounds = { ...SCHEMA_LISTING, maxTextBytes: 3500 };
    const page = (offset: number, limit: number) =>
      versionPage(reader, { context: '.', prefix: '', offset, limit, options: {}, latestOnly: false }, all, bounds);
    const subjects = rows.map((r) => r.subject);
    // A page that fits: as asked.
    const first = await page(0, 3);
    expect(first.map((v) => v.subject)).toEqual(subjects.slice(0, 3));
    expect(first.every((v) => v.schema.length === 1000)).toBe(true);
    // Skipped rows do not count toward the answer: the last three fit after an offset of seven.
    expect((await page(7, 0)).map((v) => v.subject)).toEqual(subjects.slice(7));
    // An answer over the bound is refused, never cut.
    for (const [offset, limit] of [
      [0, 0],
      [0, 4],
      [5, 4],
    ]) {
      const e = await page(offset, limit).catch((x: unknown) => x);
      expect(e, `${offset}/${limit}`).toBeInstanceOf(RegistryError);
      expect((e as RegistryError).code).toBe(ErrorCode.LIMIT_EXCEEDED);
      expect((e as RegistryError).message).toContain('more than 3500 bytes of schema text');
    }
    // Every round trip held at most the bound and the one row that crossed it (4 of the 10).
    expect(largest).toBe(4000);
  });

  it('over the API, GET /schemas refuses (422 / 42224) an answer of more than 8 MiB of schema text, and pages as asked', async () => {
    const huge = 1024 * 1024;
    const rows = Array.from({ length: 9 }, (_, i) => ({ context: '.', subject: `huge-${i}`, version: 1, deleted: false }));
    await seed(rows, (i) => `"${String(i).repeat(huge - 2)}"`);
    const all = await get('/schemas?subjectPrefix=huge-');
    expect(all.status).toBe(422);
    expect(all.body.error_code).toBe(42224);
    expect(all.body.message).toContain('list them a page at a time with offset and a smaller limit');
    const two = await get('/schemas?subjectPrefix=huge-&offset=7&limit=2');
    expect(two.status).toBe(200);
    expect((two.body as { subject: string; schema: string }[]).map((v) => [v.subject, v.schema.length])).toEqual([
      ['huge-7', huge],
      ['huge-8', huge],
    ]);
  });

  it('GET /subjects answers every subject up to its bound, and refuses (42224) an answer the bound would cut', async () => {
    expect(SUBJECT_LISTING).toEqual({ byDefault: 100_000, max: 100_000 });
    await seed(ROWS);
    const reader = new RegistryReader(env.DB);
    const all = { context: (_: string) => true, subject: (_: string, __: string) => true };
    const listing = (offset: number, limit: number) => ({ context: undefined, prefix: '', offset, limit, options: {} });
    const every = expectedSubjects(':*:', {});
    expect(every.length).toBeGreaterThan(5);
    const bounds = { byDefault: 5, max: 5 };
    // A limit within the bound pages as asked.
    expect(await subjectPage(reader, listing(0, 5), all, bounds)).toEqual(every.slice(0, 5));
    expect(await subjectPage(reader, listing(2, 3), all, bounds)).toEqual(every.slice(2, 5));
    // No limit (or one over the bound) asks for all: more than the bound match, so 42224.
    for (const limit of [0, -1, 6, 1000]) {
      const e = await subjectPage(reader, listing(0, limit), all, bounds).catch((x: unknown) => x);
      expect(e, String(limit)).toBeInstanceOf(RegistryError);
      expect((e as RegistryError).code).toBe(ErrorCode.LIMIT_EXCEEDED);
      expect((e as RegistryError).message).toContain('More than 5 subjects match');
    }
    // ... unless what is left after the offset fits.
    expect(await subjectPage(reader, listing(every.length - 5, 0), all, bounds)).toEqual(every.slice(-5));
    // Through the API, with the real bound: a limit over it answers every subject.
    expect((await get('/subjects?limit=100001')).body).toEqual(every);
  });

  it('over the API, more than 100,000 subjects answer 422 / 42224 to a request for all of them, and page as asked', async () => {
    // 100,001 subjects, seeded in one statement (every version row points at one schema).
    await seed([{ context: '.', subject: 'a-seed', version: 1, deleted: false }]);
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
       INSERT INTO versions (context, subject, version, schema_id, deleted) SELECT '.', printf('s-%06d', i), 1, 1, 0 FROM n`,
    ).run();
    for (const query of ['', '?limit=0', '?limit=100001']) {
      const r = await get(`/subjects${query}`);
      expect(r.status, query).toBe(422);
      expect(r.body, query).toMatchObject({ error_code: 42224, message: expect.stringContaining('More than 100000 subjects match') });
    }
    const all = await get('/subjects?limit=100000');
    expect(all.status).toBe(200);
    expect(all.body).toHaveLength(100_000);
    expect((await get('/subjects?offset=100000&limit=5')).body).toEqual(['s-100000']);
  });

  it('prefixEnd is the least string above every string with the prefix', () => {
    expect(prefixEnd('pay-')).toBe('pay.');
    expect(prefixEnd('a\u{10FFFF}')).toBe('b');
    expect(prefixEnd('\uD7FF')).toBe('\uE000');
    expect(prefixEnd('\u{10FFFF}')).toBeUndefined();
    expect(prefixEnd('x\u{1F600}')).toBe('x\u{1F601}');
  });
});
