/**
 * The register path's batched read (durable/register.ts: effective config, effective mode, the
 * subject's history (storage/registry-reader.ts historyQuery), the id counter, in one D1 batch) two ways, for
 * docs/decisions/0005-d1-statements.md: `raw` is the registry's own code (RegistryReader and the
 * settings queries: SQL strings, prepare/bind, D1 batch); `drizzle` is the same four SELECTs with
 * drizzle-orm's query builder and `db.batch` on the same D1 session. Both decode to the same values.
 *
 * Plain JavaScript (the TypeScript program of test/bench has no Workers types). Bundled by
 * test/bench/d1-statements.mjs: as a Worker under Miniflare (workerd, local D1) and as a module
 * for Node with a fake D1 (CPU only: building, binding, mapping).
 */
import { and, eq, or, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { DEFAULT_CONTEXT } from '../../src/domain/naming';
import { configQuery, modeQuery } from '../../src/services/settings';
import { toHead } from '../../src/storage/records';
import { RegistryReader } from '../../src/storage/registry-reader';
import { configs, contexts, modes, schemas, versions } from '../../src/storage/schema';

/** @typedef {{ level: string, mode: string, versions: number, nextId: number }} RegisterRead */

/** @returns {Promise<RegisterRead>} */
export async function rawRead(db, context, subject) {
  const reader = new RegistryReader(db);
  const [config, mode, all, nextId] = await reader.all(
    configQuery(reader, context, subject),
    modeQuery(reader, context, subject),
    reader.historyQuery(context, subject, { deleted: true }),
    reader.nextIdQuery(context),
  );
  return { level: config.compatibilityLevel, mode, versions: all.length, nextId };
}

const VERSION_COLS = {
  context: schemas.context,
  id: schemas.id,
  guid: schemas.guid,
  hash: schemas.hash,
  schemaType: schemas.schemaType,
  // the latest live version's text only, the others' size (registry-reader.ts HEAD_COLS)
  schema: sql`CASE WHEN ${versions.deleted} = 0 AND NOT EXISTS (SELECT 1 FROM versions w WHERE w.context = ${versions.context}
    AND w.subject = ${versions.subject} AND w.version > ${versions.version} AND w.deleted = 0) THEN ${schemas.schema} END`,
  bytes: sql`length(CAST(${schemas.schema} AS BLOB))`,
  refs: schemas.refs,
  metadata: schemas.metadata,
  ruleSet: schemas.ruleSet,
  subject: versions.subject,
  version: versions.version,
  deleted: versions.deleted,
};

function scopesOf(context, subject) {
  const chain = [
    [context, subject],
    [context, ''],
  ];
  if (context !== DEFAULT_CONTEXT) chain.push([DEFAULT_CONTEXT, '']);
  return chain;
}

/** The four SELECTs of the register read, built with drizzle (not run). */
export function drizzleQueries(db, context, subject) {
  // drizzle's types want a D1Database; a D1DatabaseSession has the prepare/batch it calls.
  const d = drizzle(db);
  const chain = scopesOf(context, subject);
  const modeScopes = [...chain, [DEFAULT_CONTEXT, '']];
  return {
    d,
    queries: [
      d
        .select({ context: configs.context, subject: configs.subject, body: configs.body })
        .from(configs)
        .where(or(...chain.map(([c, s]) => and(eq(configs.context, c), eq(configs.subject, s))))),
      d
        .select({ context: modes.context, subject: modes.subject, mode: modes.mode })
        .from(modes)
        .where(or(...modeScopes.map(([c, s]) => and(eq(modes.context, c), eq(modes.subject, s))))),
      d
        .select(VERSION_COLS)
        .from(versions)
        .innerJoin(schemas, and(eq(schemas.context, versions.context), eq(schemas.id, versions.schemaId)))
        .where(and(eq(versions.context, context), eq(versions.subject, subject)))
        .orderBy(versions.version),
      d.select({ n: contexts.nextId }).from(contexts).where(eq(contexts.context, context)),
    ],
  };
}

/** @returns {Promise<RegisterRead>} */
export async function drizzleRead(db, context, subject) {
  const { d, queries } = drizzleQueries(db, context, subject);
  const chain = scopesOf(context, subject);
  const [configRows, modeRows, versionRows, counter] = await d.batch(queries);
  // The same decoding as settings.ts and records.ts.
  const key = (c, s) => `${c}\u0000${s}`;
  const bodies = new Map(configRows.map((r) => [key(r.context, r.subject), JSON.parse(r.body)]));
  const merged = {};
  for (const [c, s] of [...chain].reverse()) Object.assign(merged, bodies.get(key(c, s)));
  const set = new Map(modeRows.map((r) => [key(r.context, r.subject), r.mode]));
  const mode =
    set.get(key(DEFAULT_CONTEXT, '')) === 'READONLY_OVERRIDE'
      ? 'READONLY_OVERRIDE'
      : (chain.map(([c, s]) => set.get(key(c, s))).find(Boolean) ?? 'READWRITE');
  const all = versionRows.map((r) => toHead(r));
  return {
    level: typeof merged.compatibilityLevel === 'string' ? merged.compatibilityLevel : 'BACKWARD',
    mode,
    versions: all.length,
    nextId: counter[0]?.n ?? 1,
  };
}

/** GET /raw?n=, /drizzle?n=: n batched reads on one session, answered with the last result. */
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const n = Number(url.searchParams.get('n') ?? '1');
    const read = url.pathname === '/drizzle' ? drizzleRead : rawRead;
    const session = env.DB.withSession('first-primary');
    let last;
    for (let i = 0; i < n; i++) last = await read(session, '.bench', 'orders-value');
    return Response.json(last ?? null);
  },
};
