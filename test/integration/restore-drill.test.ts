/**
 * The restore drill (docs/operations.md#restore-drill): a registry of 20,000 schemas (DRILL_SCHEMAS
 * sets another size, a multiple of 20) over a tenth as many subjects in two contexts,
 * with references, soft deletes, config and mode, seeded by direct D1 inserts; snapshot to R2; a
 * fresh registry; restore; every listing and a broad sample of reads answer the same. Prints the
 * time of each step (no assertion on time).
 */
import { env } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import { get, post } from './client';
import { freshRegistryKeepingR2 } from './fresh-registry';

const SCHEMAS = Number(env.DRILL_SCHEMAS || '20000');
const PER_SUBJECT = 10;
const PER_CONTEXT = SCHEMAS / 2; // schemas per context
const SUBJECTS = PER_CONTEXT / PER_SUBJECT; // subjects per context

/**
 * Per context: subjects s0000..; subject k holds PER_SUBJECT versions, ids k*PER_SUBJECT+v.
 * Every 10th subject's versions reference `s0000` version 1 (Avro named type); every 7th
 * subject's last version is soft-deleted, every 97th subject wholly; configs on every 50th
 * subject and the context; READONLY mode on every 40th subject, IMPORT on the second context.
 * Associations (every 10th subject: a topic's value subject) and KEKs and DEKs (the DEK registry)
 * ride along. Schemas carry a 400-character doc, so that at 20,000 the schemas table spans two R2 parts.
 */
async function seed() {
  const statements: D1PreparedStatement[] = [];
  for (const [c, context] of ['.', '.tenant'].entries()) {
    const n = `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${PER_CONTEXT - 1})`;
    const subject = `printf('s%04d', i / ${PER_SUBJECT})`;
    const referencing = `(i / ${PER_SUBJECT}) % 10 = 0 AND i / ${PER_SUBJECT} > 0`;
    statements.push(
      env.DB.prepare(`INSERT INTO contexts (context, next_id) VALUES (?1, ?2)`).bind(context, PER_CONTEXT + 1),
      env.DB.prepare(
        `${n} INSERT INTO schemas (context, id, guid, hash, schema_type, schema, refs, created_at)
         SELECT ?1, i + 1, printf('00000000-0000-4000-8%03d-%012d', ${c}, i + 1), printf('h%d', i + 1), 'AVRO',
           CASE WHEN ${referencing}
             THEN printf('{"type":"record","name":"R%d","namespace":"ns","fields":[{"name":"b","type":"ns.R0"}]}', i)
             ELSE printf('{"type":"record","name":"R%d","namespace":"ns","doc":"%.400c","fields":[{"name":"f%d","type":"int"}]}', i, 'd', i) END,
           CASE WHEN ${referencing} THEN '[{"name":"ns.R0","subject":"s0000","version":1}]' ELSE '[]' END, 1700000000 + i
         FROM n`,
      ).bind(context),
      env.DB.prepare(
        `${n} INSERT INTO versions (context, subject, version, schema_id, deleted, created_at)
         SELECT ?1, ${subject}, i % ${PER_SUBJECT} + 1, i + 1,
           CASE WHEN (i / ${PER_SUBJECT}) % 97 = 1 OR ((i / ${PER_SUBJECT}) % 7 = 3 AND i % ${PER_SUBJECT} = ${PER_SUBJECT - 1}) THEN 1 ELSE 0 END,
           1700000000 + i
         FROM n`,
      ).bind(context),
      env.DB.prepare(
        `${n} INSERT INTO refs (context, schema_id, name, ref_subject, ref_version)
         SELECT ?1, i + 1, 'ns.R0', 's0000', 1 FROM n WHERE ${referencing}`,
      ).bind(context),
      env.DB.prepare(
        `${n} INSERT INTO configs (context, subject, body)
         SELECT ?1, ${subject}, '{"compatibilityLevel":"FULL"}' FROM n WHERE i % ${PER_SUBJECT} = 0 AND (i / ${PER_SUBJECT}) % 50 = 5`,
      ).bind(context),
      env.DB.prepare(
        `${n} INSERT INTO modes (context, subject, mode)
         SELECT ?1, ${subject}, 'READONLY' FROM n WHERE i % ${PER_SUBJECT} = 0 AND (i / ${PER_SUBJECT}) % 40 = 7`,
      ).bind(context),
      env.DB.prepare(`INSERT INTO configs (context, subject, body) VALUES (?1, '', ?2)`).bind(
        context,
        JSON.stringify({ compatibilityLevel: c ? 'NONE' : 'BACKWARD_TRANSITIVE' }),
      ),
    );
  }
  statements.push(env.DB.prepare(`INSERT INTO modes (context, subject, mode) VALUES ('.tenant', '', 'IMPORT')`));
  // The DEK registry: two KEKs (one soft-deleted), and DEK versions 1 and 2 for every 5th subject of
  // each context (version 2 soft-deleted on every 15th).
  statements.push(
    env.DB.prepare(
      `INSERT INTO keks (name, kms_type, kms_key_id, kms_props, doc, shared, deleted, ts) VALUES
         ('drill-kek', 'local-kms', 'k1', '{"a":"1"}', 'drill', 0, 0, 1700000000000),
         ('drill-old', 'local-kms', 'k0', '{}', NULL, 0, 1, 1700000000000)`,
    ),
    env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 5 FROM n WHERE i < ${SUBJECTS - 5}), c(context) AS (VALUES ('.'), ('.tenant')),
       v(version) AS (VALUES (1), (2))
       INSERT INTO deks (context, kek_name, subject, algorithm, version, encrypted_key_material, deleted, ts)
       SELECT context, 'drill-kek', printf('s%04d', i), 'AES256_GCM', version, printf('AAAA%04dv%d==', i, version),
         CASE WHEN version = 2 AND i % 15 = 0 THEN 1 ELSE 0 END, 1700000000000 + i
       FROM n, c, v`,
    ),
  );
  // Associations: every 10th subject of each context is a topic's value subject (STRONG on every 20th).
  statements.push(
    env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 10 FROM n WHERE i < ${SUBJECTS - 10}),
       c(context, ns) AS (VALUES ('.', 'lkc-a'), ('.tenant', 'lkc-b'))
       INSERT INTO associations (guid, resource_name, resource_namespace, resource_id, resource_type, association_type,
         context, subject, lifecycle, frozen, create_ts, update_ts)
       SELECT printf('drill-%s-%04d', ns, i), printf('t%04d', i), ns, printf('%s:t%04d', ns, i), 'topic', 'value',
         context, printf('s%04d', i), CASE WHEN i % 20 = 0 THEN 'STRONG' ELSE 'WEAK' END, 0, 1700000000000 + i, 1700000000000 + i
       FROM n, c`,
    ),
  );
  await env.DB.batch(statements);
}

/** Every listing, and a broad sample of reads (every 7th subject of each context, every way). */
function paths(): string[] {
  const out = [
    '/contexts',
    '/subjects',
    '/subjects?deleted=true',
    '/subjects?deletedOnly=true',
    '/subjects?subjectPrefix=:.tenant:&deleted=true',
    '/schemas?latestOnly=true',
    '/config',
    '/mode',
    '/config/:.tenant:',
    '/mode/:.tenant:',
    '/subjects/s0000/versions/1/referencedby',
    '/subjects/:.tenant:s0000/versions/1/referencedby',
    '/dek-registry/v1/keks?deleted=true',
    '/dek-registry/v1/keks/drill-kek',
    '/dek-registry/v1/keks/drill-old?deleted=true',
    '/dek-registry/v1/keks/drill-kek/deks?deleted=true',
    '/associations/resources/-/-',
    '/associations/resources/lkc-b/-',
  ];
  // GET /schemas answers at most 1,000 versions (Confluent's schema.search.max.limit): every page.
  for (let offset = 0; offset < PER_CONTEXT; offset += 1000) {
    out.push(`/schemas?deleted=true&offset=${offset}&limit=1000`, `/schemas?subjectPrefix=:.tenant:&deleted=true&offset=${offset}&limit=1000`);
  }
  for (const prefix of ['', ':.tenant:']) {
    for (let k = 0; k < SUBJECTS; k += 7) {
      const s = `${prefix}s${String(k).padStart(4, '0')}`;
      out.push(
        `/subjects/${s}/versions?deleted=true`,
        `/subjects/${s}/versions/latest`,
        `/subjects/${s}/versions/1?deleted=true`,
        `/subjects/${s}/versions/${PER_SUBJECT}?deleted=true`,
        `/config/${s}?defaultToGlobal=true`,
        `/mode/${s}?defaultToGlobal=true`,
        `/dek-registry/v1/keks/drill-kek/deks/${s}/versions?deleted=true`,
        `/dek-registry/v1/keks/drill-kek/deks/${s}/versions/latest?deleted=true`,
        `/associations/subjects/${s}`,
      );
      const id = k * PER_SUBJECT + 1 + (k % PER_SUBJECT);
      out.push(`/schemas/ids/${id}?subject=${prefix}`, `/schemas/ids/${id}/versions?subject=${prefix}`);
    }
  }
  return out;
}

async function observe(list: string[]): Promise<Record<string, { status: number; body: unknown }>> {
  const out: Record<string, { status: number; body: unknown }> = {};
  for (let i = 0; i < list.length; i += 32) {
    const answers = await Promise.all(list.slice(i, i + 32).map(async (p) => [p, await get(p)] as const));
    for (const [p, r] of answers) out[p] = { status: r.status, body: r.body };
  }
  return out;
}

it(
  `restore drill: ${SCHEMAS} schemas over ${SUBJECTS * 2} subjects in two contexts answer the same after snapshot and restore`,
  { timeout: 300_000 }, // 16 s on a quiet machine; a loaded CI machine has taken 126 s
  async () => {
    const times: Record<string, number> = {};
    const step = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
      const t = Date.now();
      const value = await f();
      times[name] = Date.now() - t;
      return value;
    };
    await step('seed (D1 inserts)', seed);
    const list = paths();
    const before = await step('read before', () => observe(list));
    expect(Object.keys(before).length).toBe(list.length);
    expect(before['/contexts'].body).toEqual(['.', '.tenant']);
    const listed = (prefix: string) =>
      list.filter((p) => p.startsWith(`/schemas?${prefix}deleted=true&offset=`)).flatMap((p) => before[p].body as { id: number }[]);
    expect(new Set(listed('').map((v) => v.id)).size).toBe(PER_CONTEXT);
    expect(new Set(listed('subjectPrefix=:.tenant:&').map((v) => v.id)).size).toBe(PER_CONTEXT);
    expect((before['/subjects/s0000/versions/1/referencedby'].body as unknown[]).length).toBeGreaterThan(0);
    expect((before['/dek-registry/v1/keks/drill-kek/deks?deleted=true'].body as unknown[]).length).toBe((SUBJECTS / 5) * 2);
    expect(before['/dek-registry/v1/keks/drill-kek/deks/:.tenant:s0035/versions?deleted=true'].body).toEqual([1, 2]);
    expect((before['/associations/resources/-/-'].body as unknown[]).length).toBe((SUBJECTS / 10) * 2);
    expect(before['/associations/subjects/:.tenant:s0070'].body).toMatchObject([{ resourceId: 'lkc-b:t0070', subject: ':.tenant:s0070' }]);

    const taken = await step('snapshot', () => post('/v1/admin/snapshots', {}));
    expect(taken.status).toBe(201);
    expect(taken.body.tables).toMatchObject({
      schemas: SCHEMAS,
      versions: SCHEMAS,
      associations: (SUBJECTS / 10) * 2,
      keks: 2,
      deks: (SUBJECTS / 5) * 4,
    });
    const parts = (await get(`/v1/admin/snapshots/${taken.body.name}`)).body.tables.schemas.parts.length;
    await step('fresh registry', freshRegistryKeepingR2);

    let calls = 0;
    const done = await step('restore', async () => {
      for (;;) {
        calls++;
        // A few steps per call: the restore is resumed many times, across part boundaries.
        const r = await post(`/v1/admin/snapshots/${taken.body.name}/restore`, { maxSteps: 3 });
        if (r.status !== 202) return r;
      }
    });
    expect(done.status).toBe(200);
    expect(calls).toBeGreaterThan(3);
    expect(done.body.restored).toEqual(taken.body.tables);
    const after = await step('read after', () => observe(list));
    for (const p of list) expect(after[p], p).toEqual(before[p]);
    console.log(
      JSON.stringify({
        drill: {
          schemas: SCHEMAS,
          subjects: SUBJECTS * 2,
          rows: taken.body.rows,
          reads: list.length,
          schemaParts: parts,
          restoreCalls: calls,
          ms: times,
        },
      }),
    );
  },
);
