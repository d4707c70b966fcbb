/**
 * lsr migrate between two built Workers under Miniflare: a source with several contexts,
 * references (within a context, the same subject name in two contexts), JSON, Avro and Protobuf,
 * configs and modes at every scope; the migration is killed (SIGKILL) part-way, resumed from its
 * state file, verified, and run once more to show it is idempotent. The target then takes new
 * registrations with ids past the migrated ones.
 *
 * Size: LSR_E2E_MIGRATE_SCHEMAS versions in all (default 300; the source is seeded by one restore; docs/cli.md has the figures);
 * `LSR_E2E_MIGRATE_SCHEMAS=3000 npx vitest run --project e2e test/e2e/migrate.test.ts` for a bigger run.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../packages/client/src/index';
import { guidInput, uuidOf } from '../../src/domain/guid';
import { lsr } from './cli-run';
import { type RunningWorker, startWorker } from './worker';

// The "a few thousand schemas": 2,100 versions in the normal suite (about 90 s; docs/cli.md).
const TOTAL = Number(process.env.LSR_E2E_MIGRATE_SCHEMAS ?? '2100');
const CONTEXTS = ['.', '.alpha', '.beta'];
const VERSIONS = 3;
/** Per context: one `address` schema, and subjects of VERSIONS versions each (the rest of TOTAL). */
const SUBJECTS = Math.max(2, Math.floor((TOTAL / CONTEXTS.length - 1) / VERSIONS));

let source: RunningWorker;
let target: RunningWorker;
let from: RegistryClient;
let to: RegistryClient;
const dir = mkdtempSync(join(tmpdir(), 'lsr-migrate-'));
const q = (ctx: string, s: string) => (ctx === '.' ? s : `:${ctx}:${s}`);

const addressSchema = (ctx: string) =>
  JSON.stringify({ type: 'object', properties: { street: { type: 'string' }, [`in${ctx.replace('.', '_')}`]: { type: 'string' } } });
const subjectSchema = (s: number, v: number) =>
  JSON.stringify({
    type: 'object',
    properties: { id: { type: 'integer' }, ...(s % 2 === 0 ? { address: { $ref: 'address.json' } } : {}), [`f${v}`]: { type: 'string' } },
  });

/**
 * A source version as the target must answer it. In profile 8 (E2E_RESPONSE_PROFILE=8) the guid is
 * the same (content-derived on both sides) and `ts` is when the target registered it, as on any
 * registry.
 */
const anyTs = <T extends object>(v: T): T => ({ ...v, ...('ts' in v ? { ts: expect.any(Number) as number } : {}) });

/**
 * The source's schemas as a snapshot (src/storage/snapshot.ts), restored in one request. Texts are
 * compact JSON (the registry's canonical JSON Schema text) and the hash is its identity
 * (services/schemas.ts identityOf); the test checks both by registering one schema again.
 */
async function restoreSource(): Promise<void> {
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const tables: Record<string, Record<string, string | number>[]> = { contexts: [], schemas: [], versions: [], refs: [], configs: [], modes: [] };
  for (const ctx of CONTEXTS) {
    // The same schema under several subjects is one id, as registering it would make it.
    const ids = new Map<string, number>();
    const add = (subject: string, version: number, schema: string, refs: { name: string; subject: string; version: number }[]) => {
      const identity = JSON.stringify(['JSON', schema, refs.map((r) => [r.name, r.subject, r.version]), null, null]);
      let id = ids.get(identity);
      if (id === undefined) {
        id = ids.size + 1;
        ids.set(identity, id);
        tables.schemas.push({
          context: ctx,
          id,
          // Confluent's guid of the content (src/domain/guid.ts), as a Confluent source would hold it.
          guid: uuidOf(createHash('md5').update(guidInput(schema, refs)).digest()),
          hash: sha256(identity),
          schema_type: 'JSON',
          schema,
          refs: JSON.stringify(refs),
        });
        for (const r of refs) tables.refs.push({ context: ctx, schema_id: id, name: r.name, ref_subject: r.subject, ref_version: r.version });
      }
      tables.versions.push({ context: ctx, subject, version, schema_id: id });
    };
    add('address', 1, addressSchema(ctx), []);
    for (let v = 1; v <= VERSIONS; v++) {
      for (let s = 0; s < SUBJECTS; s++) {
        add(`subject-${s}`, v, subjectSchema(s, v), s % 2 === 0 ? [{ name: 'address.json', subject: 'address', version: 1 }] : []);
      }
    }
    tables.contexts.push({ context: ctx, next_id: ids.size + 1 });
  }
  const res = await fetch(`${source.url}/v1/admin/restore`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ format: 'llm-schema-registry-snapshot', version: 1, takenAt: new Date().toISOString(), tables }),
  });
  if (!res.ok) throw new Error(`restore: ${res.status} ${await res.text()}`);
}

beforeAll(async () => {
  [source, target] = await Promise.all([
    startWorker(),
    startWorker({ AUTH_MODE: '', REGISTRY_ADMIN_KEY: 'root', REGISTRY_ADMIN_SECRET: 'migrate-target-secret' }),
  ]);
  from = new RegistryClient({ url: source.url });
  to = new RegistryClient({ url: target.url, auth: { apiKey: 'root:migrate-target-secret' } });
  // The bulk of the source in one POST /v1/admin/restore (registering thousands one by one would
  // cost as long as the migration itself): per context an `address` schema (the same subject name
  // in every context, a different schema in each: references resolve in their own context) and
  // SUBJECTS subjects of VERSIONS versions, every other one referencing `address`.
  await restoreSource();
  await from.setConfig(undefined, { compatibility: 'NONE' });
  // The snapshot's identity hashes are the registry's: registering the same schema again finds it.
  const again = await from.register(q('.alpha', 'subject-0'), {
    schemaType: 'JSON',
    schema: subjectSchema(0, 1),
    references: [{ name: 'address.json', subject: 'address', version: 1 }],
  });
  expect(again.id).toBe((await from.getVersion(q('.alpha', 'subject-0'), 1)).id);
  expect(await from.listVersions(q('.alpha', 'subject-0'))).toEqual([1, 2, 3]);
  // Avro (a named type referenced from another subject) and Protobuf, in the default context.
  await from.register('money', {
    schema: JSON.stringify({ type: 'record', name: 'Money', namespace: 'm', fields: [{ name: 'cents', type: 'long' }] }),
  });
  await from.register('payment', {
    schema: JSON.stringify({ type: 'record', name: 'Payment', fields: [{ name: 'amount', type: 'm.Money' }] }),
    references: [{ name: 'm.Money', subject: 'money', version: 1 }],
  });
  await from.register('proto', { schemaType: 'PROTOBUF', schema: 'syntax = "proto3";\npackage p;\nmessage Ping { string id = 1; }\n' });
  // Settings at every scope; modes last (a read-only scope takes no registrations).
  await from.setConfig(':.alpha:', { compatibility: 'FORWARD' });
  await from.setConfig(':.alpha:subject-0', { compatibility: 'BACKWARD_TRANSITIVE', normalize: true });
  await from.setConfig('subject-1', { compatibility: 'FULL' });
  await from.setMode(':.beta:subject-1', 'READONLY');
  await from.setMode(':.beta:', 'READONLY');
}, 600_000);

afterAll(async () => {
  await Promise.all([source.stop(), target.stop()]);
});

describe('lsr migrate', () => {
  it('copies everything, survives a kill part-way, verifies, and re-runs idempotently', { timeout: 600_000 }, async () => {
    const versions = CONTEXTS.length * (1 + SUBJECTS * VERSIONS) + 3;
    const state = join(dir, 'state.json');
    const args = ['migrate', '--from', source.url, '--to', target.url, '--to-key', 'root:migrate-target-secret', '--state', state, '--json'];

    // Kill it once a third of the versions are saved as done.
    const first = lsr(args);
    let exited: Awaited<typeof first> | undefined;
    void first.then((r) => (exited = r));
    for (;;) {
      await new Promise((r) => setTimeout(r, 100));
      if (exited) throw new Error(`migrate ended before it was killed (exit ${exited.code}): ${exited.stderr}${exited.stdout}`);
      const done = existsSync(state) ? (JSON.parse(readFileSync(state, 'utf8')) as { done: string[] }).done.length : 0;
      if (done >= versions / 3) break;
    }
    first.kill('SIGKILL');
    expect((await first).code).toBe(null); // killed, not finished
    const partial = (await to.listSubjects()).length;
    expect(partial).toBeGreaterThan(0);

    const resumed = await lsr(args);
    expect(resumed.code, resumed.stderr).toBe(0);
    const report = resumed.json();
    expect(report).toMatchObject({ ok: true, contexts: CONTEXTS, versions, failures: [], verified: { mismatches: [] } });
    expect(report.fromState).toBeGreaterThanOrEqual(Math.floor(versions / 3));
    expect(Number(report.registered) + Number(report.alreadyThere) + Number(report.fromState)).toBe(versions);
    expect(report.verified.reads).toBeGreaterThan(versions);
    expect(report).toMatchObject({ configs: 4, modes: 3 });

    const again = await lsr(args);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json()).toMatchObject({ ok: true, registered: 0, alreadyThere: 0, fromState: versions, verified: { mismatches: [] } });

    // The target answers what the source answers.
    expect(await to.listSubjects()).toEqual(await from.listSubjects());
    for (const ctx of CONTEXTS) {
      for (const subject of [q(ctx, 'address'), q(ctx, 'subject-0'), q(ctx, `subject-${SUBJECTS - 1}`)]) {
        const [a, b] = await Promise.all([from.getVersion(subject, 'latest'), to.getVersion(subject, 'latest')]);
        expect(b).toEqual(anyTs(a));
      }
      expect(await to.referencedBy(q(ctx, 'address'), 1)).toEqual(await from.referencedBy(q(ctx, 'address'), 1));
    }
    expect(await to.getVersion('payment', 1)).toEqual(anyTs(await from.getVersion('payment', 1)));
    expect(await to.getSchemaById(3)).toEqual(await from.getSchemaById(3));
    expect(await to.getConfig(':.alpha:subject-0')).toEqual(await from.getConfig(':.alpha:subject-0'));
    expect((await to.getConfig(':.alpha:')).compatibilityLevel).toBe('FORWARD');
    expect(await to.getMode(':.beta:subject-1')).toEqual({ mode: 'READONLY' });
    expect(await to.getMode(':.beta:')).toEqual({ mode: 'READONLY' });
    expect(await to.getMode()).toEqual({ mode: 'READWRITE' });

    // Out of IMPORT mode: new schemas get ids past the migrated ones.
    const maxAlpha = Math.max(...(await from.listSchemas({ subjectPrefix: ':.alpha:' })).map((s) => s.id));
    const fresh = await to.register(':.alpha:new', { schemaType: 'JSON', schema: '{"type":"object","title":"new"}' });
    expect(fresh.id).toBe(maxAlpha + 1);
  });

  it('refuses a state file of another migration (exit 2)', async () => {
    const r = await lsr(['migrate', '--from', target.url, '--to', source.url, '--state', join(dir, 'state.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/state file/);
  });
});
