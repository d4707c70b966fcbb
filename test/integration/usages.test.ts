/**
 * The subject versions using a schema id (src/services/usages.ts): `GET /schemas/ids/{id}/subjects`
 * and `/versions`, and who may read the id. An id used by at most USAGES_HELD versions is answered
 * from the fresh cache; one used by more (the `"string"` key schema of thousands of topics) is
 * paged and checked in SQL. Both give the same answers as a reference over the seeded rows, for
 * every page, deletion flag and set of grants; and no request reads an id's every usage (D1's
 * rows_read, counted).
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, RegistryError } from '../../src/domain/errors';
import { parseGrantText } from '../../src/domain/grants';
import { readableRanges } from '../../src/domain/name-ranges';
import { USAGES_HELD } from '../../src/services/fresh-reads';
import { referencingIds, subjectsUsing, USAGE_LISTING, usagePage } from '../../src/services/usages';
import { RegistryReader } from '../../src/storage/registry-reader';
import { bearer, fetchWith } from './with-env';

/** D1 traffic of the requests since the last reset: statements and batches, and the rows they read. */
const traffic = { statements: 0, rowsRead: 0 };

function observed<T extends object>(target: T): T {
  return new Proxy(target, {
    get(t, key) {
      const v = Reflect.get(t, key, t) as unknown;
      if (typeof v !== 'function') return v;
      const f = (v as (...a: unknown[]) => unknown).bind(t);
      if (key === 'withSession' || key === 'prepare' || key === 'bind') {
        if (key === 'prepare') traffic.statements++;
        return (...a: unknown[]) => observed(f(...a) as object);
      }
      if (key === 'all' || key === 'first' || key === 'run' || key === 'raw')
        return async (...a: unknown[]) => {
          const r = await f(...a);
          // first() and raw() answer rows, not a result: their statements here read one row at most.
          traffic.rowsRead += (r as { meta?: { rows_read: number } } | null)?.meta?.rows_read ?? 0;
          return r;
        };
      if (key === 'batch')
        return async (statements: D1PreparedStatement[]) => {
          traffic.statements++;
          const results = (await f(statements)) as D1Result[];
          for (const r of results) traffic.rowsRead += r.meta.rows_read;
          return results;
        };
      return f;
    },
  });
}

const TOKENS = {
  all: 'reader',
  /** One subject near the end of the id's usages. */
  far: 'reader@./u-01490',
  /** Two grants in the default context, one inside the other, and one in every context. */
  some: ['reader@./u-003', 'reader@./u-0031', 'reader@*/u-0120'],
  /** Subjects no usage of the id has. */
  none: 'reader@./zzz',
  /** The other context only. */
  other: 'reader@.other',
};
const call = fetchWith({
  DB: observed(env.DB),
  AUTH_TOKENS: Object.entries(TOKENS)
    .flatMap(([token, grants]) => [grants].flat().map((g) => `${token}:${g}`))
    .join(','),
});

interface Row {
  subject: string;
  version: number;
  deleted: boolean;
}

/** What the id's usages hold, built as the seed writes them. */
let BIG: Row[] = [];
const BIG_SUBJECTS = 1500;

const admin = fetchWith({ AUTH_MODE: 'none' });

beforeEach(async () => {
  // Schema 1 in the default context, used by 1,500 subjects: every 7th soft-deleted, every 100th
  // with a second version (registered again after its first was deleted). Schema 2, used by three.
  // The same id 1 in context .other, used by 5 subjects no default-context grant may read. The
  // first usage of each is registered (so the schema rows are the registry's own), the rest seeded.
  for (const [subject, schema, id] of [
    ['u-00001', '"string"', 1],
    ['small-a', '"long"', 2],
    [':.other:u-00001', '"string"', 1],
  ] as const) {
    const r = await admin('POST', `/subjects/${subject}/versions`, { schema });
    expect(r.body, subject).toEqual({ id });
  }
  const statements = [
    `WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < ${BIG_SUBJECTS})
     INSERT INTO versions (context, subject, version, schema_id, deleted) SELECT '.', printf('u-%05d', i), 1, 1, i % 7 = 0 OR i % 100 = 0 FROM n`,
    `WITH RECURSIVE n(i) AS (SELECT 100 UNION ALL SELECT i + 100 FROM n WHERE i < ${BIG_SUBJECTS})
     INSERT INTO versions (context, subject, version, schema_id, deleted) SELECT '.', printf('u-%05d', i), 2, 1, 0 FROM n`,
    "INSERT INTO versions (context, subject, version, schema_id) VALUES ('.', 'small-b', 1, 2), ('.', 'u-00310', 3, 2)",
    `WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 5)
     INSERT INTO versions (context, subject, version, schema_id) SELECT '.other', printf('u-%05d', i), 1, 1 FROM n`,
  ];
  await env.DB.batch(statements.map((s) => env.DB.prepare(s)));
  BIG = [];
  for (let i = 1; i <= BIG_SUBJECTS; i++) {
    const subject = `u-${String(i).padStart(5, '0')}`;
    BIG.push({ subject, version: 1, deleted: i % 7 === 0 || i % 100 === 0 });
    if (i % 100 === 0) BIG.push({ subject, version: 2, deleted: false });
  }
});

/** The reference answers: the usages a caller with `grants` may read, in order, as Confluent pages them. */
function expected(rows: Row[], grants: string[], deleted: boolean, offset: number, limit: number) {
  const parsed = grants.map((g) => parseGrantText(g)!);
  const readable = rows.filter(
    (r) =>
      (deleted || !r.deleted) &&
      parsed.some((g) => (g.context ?? '.') === '.' && (g.subjectPrefix === undefined || r.subject.startsWith(g.subjectPrefix))),
  );
  const cut = <T>(xs: T[]) => xs.slice(offset, limit > 0 ? offset + limit : undefined);
  return {
    versions: cut(readable.map((r) => ({ subject: r.subject, version: r.version }))),
    subjects: cut([...new Set(readable.map((r) => r.subject))]),
  };
}

const QUERIES: [number, number][] = [
  [0, 0],
  [0, 10],
  [7, 3],
  [1490, 50],
  [3000, 5],
];

describe('subject versions using a schema id', () => {
  it('an id with more usages than the cache holds answers every page as the reference does, for every caller', async () => {
    expect(BIG.length).toBeGreaterThan(USAGES_HELD);
    for (const [token, grants] of Object.entries(TOKENS)) {
      for (const deleted of [false, true]) {
        for (const [offset, limit] of QUERIES) {
          const query = `deleted=${deleted}&offset=${offset}${limit ? `&limit=${limit}` : ''}`;
          const want = expected(BIG, [grants].flat(), deleted, offset, limit);
          const versions = await call('GET', `/schemas/ids/1/versions?${query}`, undefined, bearer(token));
          const subjects = await call('GET', `/schemas/ids/1/subjects?${query}`, undefined, bearer(token));
          if (token === 'none' || token === 'other') {
            // It may read no subject using the id: the id is as missing.
            expect([versions.status, versions.body.error_code, subjects.status], `${token} ${query}`).toEqual([404, 40403, 404]);
            continue;
          }
          expect([versions.status, subjects.status], `${token} ${query}`).toEqual([200, 200]);
          expect(versions.body, `${token} ${query}`).toEqual(want.versions);
          expect(subjects.body, `${token} ${query}`).toEqual(want.subjects);
        }
      }
    }
  });

  it('an id the cache holds answers the same way (schema 2: three usages, one far in the big id’s range)', async () => {
    const rows: Row[] = [
      { subject: 'small-a', version: 1, deleted: false },
      { subject: 'small-b', version: 1, deleted: false },
      { subject: 'u-00310', version: 3, deleted: false },
    ];
    for (const [token, grants] of Object.entries(TOKENS)) {
      for (const [offset, limit] of [
        [0, 0],
        [1, 1],
      ]) {
        const want = expected(rows, [grants].flat(), false, offset, limit);
        const r = await call('GET', `/schemas/ids/2/versions?offset=${offset}&limit=${limit}`, undefined, bearer(token));
        if (expected(rows, [grants].flat(), true, 0, 0).versions.length === 0) {
          expect([r.status, r.body.error_code], token).toEqual([404, 40403]);
          continue;
        }
        expect(r.body, `${token} ${offset}/${limit}`).toEqual(want.versions);
      }
    }
  });

  it('a caller reads the id through any one subject using it, however far down, and a page never reads every usage', async () => {
    for (const [token, status] of [
      ['all', 200],
      ['far', 200],
      ['some', 200],
      ['none', 404],
      ['other', 404],
    ] as const) {
      // Twice: the first request fills the fresh cache's note that the id has more usages than it holds.
      for (const round of [1, 2]) {
        traffic.statements = 0;
        traffic.rowsRead = 0;
        const r = await call('GET', '/schemas/ids/1', undefined, bearer(token));
        expect(r.status, `${token} ${round}`).toBe(status);
        if (status === 200) expect(r.body.schema).toBe('"string"');
        else expect(r.body.error_code).toBe(40403);
        // Once noted, the check is a seek per grant range: a row or so (a scan would read 1,515).
        if (round === 2) expect(traffic.rowsRead, `${token} ${round}`).toBeLessThanOrEqual(3);
        // The fill loads at most USAGES_HELD + 1 usages, never all of them.
        else expect(traffic.rowsRead, `${token} ${round}`).toBeLessThanOrEqual(USAGES_HELD + 5);
      }
    }
    // A page far into the id's usages, for a caller who may read one subject there: the rows of
    // that subject, not those before it.
    traffic.rowsRead = 0;
    const far = await call('GET', '/schemas/ids/1/versions', undefined, bearer('far'));
    expect(far.body).toEqual([{ subject: 'u-01490', version: 1 }]);
    expect(traffic.rowsRead).toBeLessThanOrEqual(3);
  });

  it('an offset past any number SQLite takes pages past every row (200 and []), never a 500', async () => {
    await admin('POST', '/subjects/common/versions', { schema: JSON.stringify({ type: 'record', name: 'common', fields: [] }) });
    for (const offset of ['100000000000000000000', '1e21', '9007199254740993', '-5']) {
      for (const path of [
        '/schemas/ids/1/versions',
        '/schemas/ids/1/subjects',
        '/subjects/common/versions/1/referencedby',
        '/subjects',
        '/schemas',
      ]) {
        const r = await call('GET', `${path}?offset=${offset}&limit=100000000000000000000`, undefined, bearer('all'));
        expect(r.status, `${path} ${offset}`).toBe(200);
        // -5 is 0 (Confluent's normalization): the first page.
        if (offset !== '-5' && offset !== '1e21') expect(r.body, `${path} ${offset}`).toEqual([]);
      }
    }
    // Storage takes any page it is handed.
    const reader = new RegistryReader(env.DB);
    expect(await reader.usagePage('.', 1, undefined, {}, { offset: 1e20, limit: 1e21 })).toEqual([]);
    expect(await reader.referencedBy('.', 'common', 1, undefined, { offset: 1e20, limit: -1 })).toEqual([]);
  });

  it('a soft delete, a new usage and a permanent delete are seen at once (the context epoch moves)', async () => {
    const page = async () => (await call('GET', '/schemas/ids/1/versions?offset=0&limit=2', undefined, bearer('all'))).body;
    expect(await page()).toEqual([
      { subject: 'u-00001', version: 1 },
      { subject: 'u-00002', version: 1 },
    ]);
    expect((await admin('DELETE', '/subjects/u-00001/versions/1')).status).toBe(200);
    expect(await page()).toEqual([
      { subject: 'u-00002', version: 1 },
      { subject: 'u-00003', version: 1 },
    ]);
    expect((await admin('POST', '/subjects/a-first/versions', { schema: '"string"' })).body).toEqual({ id: 1 });
    expect(await page()).toEqual([
      { subject: 'a-first', version: 1 },
      { subject: 'u-00002', version: 1 },
    ]);
    expect((await admin('DELETE', '/subjects/a-first')).status).toBe(200);
    expect((await admin('DELETE', '/subjects/a-first?permanent=true')).status).toBe(200);
    const deleted = await call('GET', '/schemas/ids/1/versions?deleted=true&offset=0&limit=2', undefined, bearer('all'));
    expect(deleted.body).toEqual([
      { subject: 'u-00001', version: 1 },
      { subject: 'u-00002', version: 1 },
    ]);
  });

  it('an answer without a limit holds at most the listing bound, and past it is 42224, never cut', async () => {
    expect(USAGE_LISTING).toEqual({ byDefault: 100_000, max: 100_000 });
    const reader = new RegistryReader(env.DB);
    const bounds = { byDefault: 40, max: 40 };
    const live = BIG.filter((r) => !r.deleted);
    for (const [what, list] of [
      [
        'subject versions',
        (offset: number, limit: number) =>
          usagePage({}, reader, { context: '.', id: 1, ranges: undefined }, { offset, limit, deleted: false }, bounds),
      ],
      [
        'subjects',
        (offset: number, limit: number) =>
          subjectsUsing({}, reader, { context: '.', id: 1, ranges: undefined }, { offset, limit, deleted: false }, bounds),
      ],
    ] as const) {
      // A limit within the bound pages as asked.
      expect(await list(0, 40), what).toHaveLength(40);
      // None, or one over the bound, asks for all: more than 40 match, so 42224 ...
      for (const limit of [0, -1, 41]) {
        const e = await list(0, limit).catch((x: unknown) => x);
        expect(e, `${what} ${limit}`).toBeInstanceOf(RegistryError);
        expect((e as RegistryError).code).toBe(ErrorCode.LIMIT_EXCEEDED);
        expect((e as RegistryError).message).toContain(`More than 40 ${what} use this schema`);
      }
      // ... unless what is left after the offset fits.
      const rest = what === 'subjects' ? new Set(live.map((r) => r.subject)).size : live.length;
      expect(await list(rest - 40, 0), what).toHaveLength(40);
    }
    // Through the API: the route answers 422 / 42224 with the real bound only past 100,000 usages (listings.test.ts seeds such a registry for GET /subjects).
    const r = await call('GET', '/schemas/ids/1/subjects?limit=100001', undefined, bearer('all'));
    expect(r.body).toHaveLength(new Set(live.map((x) => x.subject)).size);
  });

  it('over the API, past 100,000 items a request for all of them is 422 / 42224, and pages as asked', async () => {
    // 100,000 more subjects on id 1 (it already has 1,515 usages), and 100,001 schemas referencing common v1.
    expect(
      (await admin('POST', '/subjects/common/versions', { schema: JSON.stringify({ type: 'record', name: 'common', fields: [] }) })).status,
    ).toBe(200);
    await env.DB.batch(
      [
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
         INSERT INTO versions (context, subject, version, schema_id) SELECT '.', printf('w-%06d', i), 1, 1 FROM n`,
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
         INSERT INTO refs (context, schema_id, name, ref_subject, ref_version) SELECT '.', 200000 + i, 'c', 'common', 1 FROM n`,
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
         INSERT INTO versions (context, subject, version, schema_id) SELECT '.', printf('x-%06d', i), 1, 200000 + i FROM n`,
      ].map((sql) => env.DB.prepare(sql)),
    );
    for (const [path, what] of [
      ['/schemas/ids/1/subjects', 'subjects use this schema'],
      ['/schemas/ids/1/versions', 'subject versions use this schema'],
      ['/subjects/common/versions/1/referencedby', 'schemas reference this version'],
    ]) {
      for (const query of ['', '?limit=0', '?limit=100001']) {
        const r = await call('GET', path + query, undefined, bearer('all'));
        expect([r.status, r.body.error_code], path + query).toEqual([422, 42224]);
        expect(r.body.message).toContain(`More than 100000 ${what}`);
      }
      const page = await call('GET', `${path}?limit=100000`, undefined, bearer('all'));
      expect([page.status, page.body.length], path).toEqual([200, 100000]);
    }
  });

  it('storage seeks the caller’s ranges: a check or a page reads about a row per range, whatever the id’s usages', async () => {
    const counted: D1Result[] = [];
    const reader = new RegistryReader({
      prepare: (sql: string) => {
        const stmt = env.DB.prepare(sql);
        return new Proxy(stmt, {
          get(t, k) {
            if (k === 'bind')
              return (...a: unknown[]) => {
                const bound = t.bind(...a);
                return new Proxy(bound, {
                  get(b, kk) {
                    if (kk === 'all')
                      return async () => {
                        const res = await b.all();
                        counted.push(res);
                        return res;
                      };
                    return Reflect.get(b, kk, b) as unknown;
                  },
                });
              };
            return Reflect.get(t, k, t) as unknown;
          },
        });
      },
      batch: env.DB.batch.bind(env.DB),
    });
    const grants = ['reader@./zzz', 'reader@./a', 'reader@*/u-01499x'].map((g) => parseGrantText(g)!);
    const ranges = readableRanges(grants, '.')!;
    expect(ranges).toHaveLength(3);
    expect(await reader.usedWithin('.', 1, ranges)).toBe(false);
    expect(await reader.usagePage('.', 1, ranges, { deleted: true }, { offset: 0, limit: 100 })).toEqual([]);
    expect(await reader.usedWithin('.', 1, readableRanges([parseGrantText('reader@./u-015')!], '.')!)).toBe(true);
    // A seek reads the index entry it lands on: at most one a range (a scan would read 1,500).
    const read = counted.map((r) => r.meta.rows_read);
    expect(read).toHaveLength(3);
    expect(read[0]).toBeLessThanOrEqual(3);
    expect(read[1]).toBeLessThanOrEqual(3);
    expect(read[2]).toBeLessThanOrEqual(1);
  });
});

describe('schemas referencing a version', () => {
  /** Ids 1000-2199 reference common v1, each used by r-<i>; ids 5000-5009 too, used by none; 2,000 others reference elsewhere v1. */
  async function seedReferences(): Promise<number[]> {
    for (const subject of ['common', 'elsewhere'])
      expect(
        (await admin('POST', `/subjects/${subject}/versions`, { schema: JSON.stringify({ type: 'record', name: subject, fields: [] }) })).status,
      ).toBe(200);
    await env.DB.batch(
      [
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1199)
         INSERT INTO refs (context, schema_id, name, ref_subject, ref_version) SELECT '.', 1000 + i, 'c', 'common', 1 FROM n`,
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1199)
         INSERT INTO versions (context, subject, version, schema_id) SELECT '.', printf('r-%05d', i), 1, 1000 + i FROM n`,
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 9)
         INSERT INTO refs (context, schema_id, name, ref_subject, ref_version) SELECT '.', 5000 + i, 'c', 'common', 1 FROM n`,
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1999)
         INSERT INTO refs (context, schema_id, name, ref_subject, ref_version) SELECT '.', 10000 + i, 'e', 'elsewhere', 1 FROM n`,
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1999)
         INSERT INTO versions (context, subject, version, schema_id) SELECT '.', printf('e-%05d', i), 1, 10000 + i FROM n`,
      ].map((s) => env.DB.prepare(s)),
    );
    return Array.from({ length: 1200 }, (_, i) => 1000 + i);
  }
  const caller = fetchWith({ DB: observed(env.DB), AUTH_TOKENS: 'all:reader,two:reader@./common,two:reader@./r-0011,two:reader@./r-01199' });

  it('answers the ids the caller may read, every page as the reference, reading only the page’s references', async () => {
    const all = await seedReferences();
    const readable = { all, two: [...all.slice(110, 120), 2199] };
    for (const [token, ids] of Object.entries(readable)) {
      for (const [offset, limit] of [
        [0, 0],
        [0, 10],
        [5, 3],
        [1195, 10],
      ]) {
        const r = await caller(
          'GET',
          `/subjects/common/versions/1/referencedby?offset=${offset}${limit ? `&limit=${limit}` : ''}`,
          undefined,
          bearer(token),
        );
        expect(r.body, `${token} ${offset}/${limit}`).toEqual(ids.slice(offset, limit ? offset + limit : undefined));
      }
    }
    // A page reads its references and their uses, not the 3,210 references of the context: a
    // reader of everything the page's five (12 rows read), a reader of a few subjects the
    // references in id order until its page is full (115 here, a seek per range each: 458).
    for (const [token, most] of [
      ['all', 30],
      ['two', 600],
    ] as const) {
      traffic.rowsRead = 0;
      const r = await caller('GET', '/subjects/common/versions/1/referencedby?limit=5', undefined, bearer(token));
      expect(r.status).toBe(200);
      expect(traffic.rowsRead, token).toBeLessThan(most);
    }
  });

  it('a delete checks for one reference with a seek (42206), and an answer past the bound is 42224', async () => {
    await seedReferences();
    const reader = new RegistryReader(env.DB);
    const counted: number[] = [];
    const session = new RegistryReader({
      prepare: (sql: string) => {
        const stmt = env.DB.prepare(sql);
        return Object.assign(Object.create(stmt) as D1PreparedStatement, {
          bind: (...a: unknown[]) => {
            const bound = stmt.bind(...a);
            return Object.assign(Object.create(bound) as D1PreparedStatement, {
              all: async () => {
                const res = await bound.all();
                counted.push(res.meta.rows_read);
                return res;
              },
            });
          },
        });
      },
      batch: env.DB.batch.bind(env.DB),
    });
    expect(await session.referencedBy('.', 'elsewhere', 1, undefined, { offset: 0, limit: 1 })).toEqual([10000]);
    expect(counted[0]).toBeLessThanOrEqual(5);
    const refused = await admin('DELETE', '/subjects/common/versions/1');
    expect([refused.status, refused.body.error_code]).toEqual([422, 42206]);
    const bounds = { byDefault: 100, max: 100 };
    const e = await referencingIds(reader, { context: '.', subject: 'common', version: 1, ranges: undefined }, { offset: 0, limit: 0 }, bounds).catch(
      (x: unknown) => x,
    );
    expect((e as RegistryError).code).toBe(ErrorCode.LIMIT_EXCEEDED);
    expect((e as RegistryError).message).toContain('More than 100 schemas reference this version');
    expect(
      await referencingIds(reader, { context: '.', subject: 'common', version: 1, ranges: undefined }, { offset: 1150, limit: 0 }, bounds),
    ).toHaveLength(50);
  });
});
