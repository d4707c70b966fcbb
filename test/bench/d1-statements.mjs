/**
 * node test/bench/d1-statements.mjs [--quick]: the register path's batched read as SQL strings
 * (the registry's RegistryReader) against drizzle-orm's query builder, for
 * docs/decisions/0005-d1-statements.md. Prints only; writes no tracked file.
 *
 * 1. workerd: test/bench/d1-statements-worker.mjs bundled and run under Miniflare with a local D1
 *    (migrations applied, one subject of 20 versions with configs and modes); each request runs
 *    the read N times on one session; the two variants alternate; median ms per read.
 * 2. Node, fake D1 (prepare/bind/batch answer canned rows): the CPU each variant spends building,
 *    binding and mapping, without I/O; median µs per read.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { applyMigrations, compatibilityDate, ROOT } from '../e2e/registry-worker.mjs';

const quick = process.argv.includes('--quick');
const rounds = quick ? 5 : 15;
const perRequest = quick ? 20 : 50;
const med = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const dir = mkdtempSync(join(tmpdir(), 'registry-bench-d1-'));
try {
  const outfile = join(dir, 'worker.mjs');
  const result = await build({
    entryPoints: [join(ROOT, 'test', 'bench', 'd1-statements-worker.mjs')],
    bundle: true,
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    format: 'esm',
    outfile,
    metafile: true,
    logLevel: 'warning',
  });
  const drizzleBytes = Object.entries(result.metafile.outputs[Object.keys(result.metafile.outputs)[0]].inputs)
    .filter(([path]) => path.includes('node_modules/drizzle-orm/'))
    .reduce((n, [, v]) => n + v.bytesInOutput, 0);
  console.log(`drizzle-orm code in the bench bundle (select, batch, d1 driver): ${drizzleBytes.toLocaleString('en-US')} B unminified`);

  // --- workerd
  const mf = new Miniflare({
    name: 'bench',
    host: '127.0.0.1',
    port: 0,
    modules: [{ type: 'ESModule', path: outfile }],
    modulesRoot: dir,
    compatibilityDate: compatibilityDate(),
    compatibilityFlags: ['nodejs_compat'],
    d1Databases: { DB: 'bench-d1' },
  });
  const url = await mf.ready;
  await applyMigrations(mf, 'bench');
  const db = await mf.getD1Database('DB', 'bench');
  const ctx = '.bench';
  const seed = [
    db.prepare(`INSERT INTO contexts (context, next_id) VALUES (?1, 21)`).bind(ctx),
    db.prepare(`INSERT INTO configs (context, subject, body) VALUES ('.', '', '{"compatibilityLevel":"FULL"}')`),
    db.prepare(`INSERT INTO configs (context, subject, body) VALUES (?1, 'orders-value', '{"normalize":true}')`).bind(ctx),
    db.prepare(`INSERT INTO modes (context, subject, mode) VALUES (?1, '', 'READWRITE')`).bind(ctx),
  ];
  for (let v = 1; v <= 20; v++) {
    const schema = JSON.stringify({
      type: 'record',
      name: 'Order',
      fields: Array.from({ length: v }, (_, i) => ({ name: `f${i}`, type: 'string', default: '' })),
    });
    seed.push(
      db
        .prepare(`INSERT INTO schemas (context, id, guid, hash, schema_type, schema, refs) VALUES (?1, ?2, ?3, ?4, 'AVRO', ?5, '[]')`)
        .bind(ctx, v, crypto.randomUUID(), `hash-${v}`, schema),
      db.prepare(`INSERT INTO versions (context, subject, version, schema_id, deleted) VALUES (?1, 'orders-value', ?2, ?2, 0)`).bind(ctx, v),
    );
  }
  await db.batch(seed);
  const call = async (kind, n) => {
    const t0 = performance.now();
    const r = await fetch(new URL(`/${kind}?n=${n}`, url));
    const body = await r.json();
    return { ms: performance.now() - t0, body };
  };
  const a = await call('raw', 1);
  const b = await call('drizzle', 1);
  if (JSON.stringify(a.body) !== JSON.stringify(b.body)) throw new Error(`variants disagree: ${JSON.stringify(a.body)} vs ${JSON.stringify(b.body)}`);
  console.log(`both variants read ${JSON.stringify(a.body)}`);
  const times = { raw: [], drizzle: [] };
  for (let i = 0; i <= rounds; i++) {
    for (const kind of i % 2 ? ['drizzle', 'raw'] : ['raw', 'drizzle']) {
      const { ms } = await call(kind, perRequest);
      if (i > 0) times[kind].push(ms / perRequest);
    }
  }
  await mf.dispose();
  const w = { raw: med(times.raw), drizzle: med(times.drizzle) };
  console.log(
    `workerd + local D1, ${perRequest} reads per request, median of ${rounds}: raw ${w.raw.toFixed(3)} ms/read, drizzle ${w.drizzle.toFixed(3)} ms/read (drizzle/raw ${(w.drizzle / w.raw).toFixed(2)}, +${((w.drizzle - w.raw) * 1000).toFixed(0)} µs)`,
  );

  // --- Node, fake D1
  const { rawRead, drizzleRead, drizzleQueries } = await import(pathToFileURL(outfile).href);
  const versionRow = (v) => ({
    context: ctx,
    id: v,
    guid: `g${v}`,
    hash: `hash-${v}`,
    schemaType: 'AVRO',
    // a history row: the latest live version's text, the others' size (registry-reader.ts HEAD_COLS)
    schema: v === 20 ? '{"type":"string"}' : null,
    bytes: 17,
    refs: '[]',
    metadata: null,
    ruleSet: null,
    subject: 'orders-value',
    version: v,
    deleted: 0,
  });
  const canned = (sql) => {
    if (/from "?configs"?/i.test(sql))
      return [
        { context: '.', subject: '', body: '{"compatibilityLevel":"FULL"}' },
        { context: ctx, subject: 'orders-value', body: '{"normalize":true}' },
      ];
    if (/from "?modes"?/i.test(sql)) return [{ context: ctx, subject: '', mode: 'READWRITE' }];
    if (/from "?versions"?/i.test(sql)) return Array.from({ length: 20 }, (_, i) => versionRow(i + 1));
    return [{ n: 21 }];
  };
  const statement = (sql) => ({ sql, bind: () => statement(sql) });
  const fake = { prepare: (sql) => statement(sql), batch: async (stmts) => stmts.map((s) => ({ results: canned(s.sql), success: true, meta: {} })) };
  const rate = async (fn, ms) => {
    let n = 0;
    const t0 = performance.now();
    let now = t0;
    do {
      for (let i = 0; i < 50; i++) await fn(fake, ctx, 'orders-value');
      n += 50;
      now = performance.now();
    } while (now - t0 < ms);
    return ((now - t0) * 1000) / n;
  };
  const us = { raw: [], drizzle: [] };
  for (let i = 0; i <= rounds; i++) {
    for (const kind of i % 2 ? ['drizzle', 'raw'] : ['raw', 'drizzle']) {
      const t = await rate(kind === 'raw' ? rawRead : drizzleRead, quick ? 50 : 150);
      if (i > 0) us[kind].push(t);
    }
  }
  const n = { raw: med(us.raw), drizzle: med(us.drizzle) };
  console.log(
    `node ${process.version}, fake D1 (CPU only), median of ${rounds}: raw ${n.raw.toFixed(1)} µs/read, drizzle ${n.drizzle.toFixed(1)} µs/read (drizzle/raw ${(n.drizzle / n.raw).toFixed(2)})`,
  );
  // Where drizzle's time goes: building each query's SQL (toSQL), fresh builders each time.
  const names = ['configs (OR chain)', 'modes (OR chain)', 'versions join schemas', 'contexts (one table)'];
  const per = names.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const t0 = performance.now();
      for (let k = 0; k < 200; k++) drizzleQueries(fake, ctx, 'orders-value').queries[i].toSQL();
      per[i].push(((performance.now() - t0) * 1000) / 200);
    }
  }
  console.log(
    `toSQL per query (µs, median of ${rounds}, includes building the query): ${names.map((x, i) => `${x} ${med(per[i]).toFixed(1)}`).join(', ')}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
