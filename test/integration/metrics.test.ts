/**
 * The Analytics Engine data points the Worker writes (http/metrics.ts), captured from a METRICS
 * binding that records them and read back through the layout (services/metrics-layout.ts), as the
 * SQL of docs/observability.md reads them.
 */
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { RegistryWriter } from '../../src/durable/registry-writer';
import { boundsOf } from '../../src/services/bounds';
import { POINT_LAYOUT, type PointKind } from '../../src/services/metrics-layout';
import { NO_ROUTE } from '../../src/http/metrics';
import { basic, fetchWith } from './with-env';

type Decoded = { kind: PointKind; index: string } & Record<string, string | number>;

/** A METRICS binding that keeps what it is given. */
function recorder() {
  const points: AnalyticsEngineDataPoint[] = [];
  const dataset: AnalyticsEngineDataset = {
    writeDataPoint: (p) => {
      if (p) points.push(p);
    },
  };
  /** Every point written since the last call, named by the layout. */
  const take = (): Decoded[] => points.splice(0).map(decode);
  return { dataset, take };
}

function decode(p: AnalyticsEngineDataPoint): Decoded {
  const kind = p.blobs?.[0] as PointKind;
  const layout = POINT_LAYOUT[kind];
  const out: Record<string, string | number> = { index: p.indexes?.[0] as string };
  layout.blobs.forEach((name, i) => (out[name] = p.blobs?.[i] as string));
  layout.doubles.forEach((name, i) => (out[name] = p.doubles?.[i] as number));
  expect(p.blobs).toHaveLength(layout.blobs.length);
  expect(p.doubles ?? []).toHaveLength(layout.doubles.length);
  return out as Decoded;
}

const one = (points: Decoded[], kind: PointKind) => {
  const found = points.filter((p) => p.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0];
};

const bytes = (body: unknown) => new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body)).length;
const avro = (field: string) => JSON.stringify({ type: 'record', name: 'M', fields: [{ name: field, type: 'string' }] });
// A subject name no route template may ever carry.
const SECRET = 'acme-payroll-secret-subject';

describe('metrics data points', () => {
  const m = recorder();
  const call = fetchWith({ AUTH_MODE: 'none', METRICS: m.dataset });

  it('a registration writes a request point and a write point: registered, then existing', async () => {
    const r = await call('POST', `/subjects/${SECRET}/versions`, { schema: avro('a') });
    expect(r.status).toBe(200);
    const points = m.take();
    expect(points).toHaveLength(2);
    expect(one(points, 'write')).toEqual({
      kind: 'write',
      index: '/subjects/{subject}/versions',
      route: '/subjects/{subject}/versions',
      format: 'AVRO',
      compatibility: 'BACKWARD',
      result: 'registered',
      error_code: '',
      context: '.',
      colo: '',
    });
    const request = one(points, 'request');
    expect(request).toMatchObject({
      route: '/subjects/{subject}/versions',
      index: '/subjects/{subject}/versions',
      method: 'POST',
      status: '200',
      error_code: '',
      context: '.',
      response_bytes: bytes(r.body),
    });
    // The writer's own statements run in the Durable Object; the Worker's reads are counted.
    expect(request.d1_queries).toBeGreaterThan(0);
    expect(request.d1_round_trips).toBeGreaterThan(0);
    expect(request.wall_ms).toBeGreaterThanOrEqual(0);

    expect((await call('POST', `/subjects/${SECRET}/versions`, { schema: avro('a') })).status).toBe(200);
    expect(one(m.take(), 'write')).toMatchObject({ result: 'existing', format: 'AVRO', compatibility: 'BACKWARD' });
  });

  it('a registration the writer decided alone (the pre-check gate passed it over) records what the writer decided it under', async () => {
    // Eight new subjects, each pre-check finding nothing: the gate closes (services/precheck-gate.ts).
    for (let i = 0; i < 8; i++) expect((await call('POST', `/subjects/${SECRET}-${i}/versions`, { schema: avro(`f${i}`) })).status).toBe(200);
    expect((await call('PUT', `/config/${SECRET}-1`, { compatibility: 'FULL' })).status).toBe(200);
    m.take();
    // Passed over: no D1 read in the Worker; the writer refused it, under the subject's level.
    const refused = await call('POST', `/subjects/${SECRET}-1/versions`, { schema: avro('other') });
    expect(refused.status).toBe(409);
    let points = m.take();
    expect(one(points, 'write')).toMatchObject({ result: 'incompatible', compatibility: 'FULL', error_code: '40901' });
    expect(one(points, 'request')).toMatchObject({ status: '409', d1_queries: 0 });
    // Passed over too (a refusal leaves the gate closed): the writer found it registered, under BACKWARD.
    expect((await call('POST', `/subjects/${SECRET}-0/versions`, { schema: avro('f0') })).status).toBe(200);
    points = m.take();
    expect(one(points, 'write')).toMatchObject({ result: 'existing', format: 'AVRO', compatibility: 'BACKWARD', error_code: '' });
    expect(one(points, 'request')).toMatchObject({ status: '200', d1_queries: 0 });
  });

  it('refused registrations: incompatible (40901 under profile 7 too) and invalid', async () => {
    expect((await call('POST', `/subjects/${SECRET}/versions`, { schema: avro('a') })).status).toBe(200);
    await call('PUT', `/config/${SECRET}`, { compatibility: 'FULL' });
    m.take();
    const incompatible = await call('POST', `/subjects/${SECRET}/versions`, {
      schema: JSON.stringify({ type: 'record', name: 'M', fields: [{ name: 'b', type: 'int' }] }),
    });
    expect(incompatible.status).toBe(409);
    expect(incompatible.body.error_code).toBe(409);
    let points = m.take();
    expect(one(points, 'write')).toMatchObject({ result: 'incompatible', error_code: '40901', compatibility: 'FULL' });
    // An error envelope is sized when it is made (http/answer-headers.ts answerBytes), as a reply is.
    expect(one(points, 'request')).toMatchObject({ status: '409', error_code: '40901', response_bytes: bytes(incompatible.body) });

    const invalid = await call('POST', `/subjects/${SECRET}/versions`, { schema: '{"type": "nope"}', schemaType: 'JSON' });
    expect(invalid.status).toBe(422);
    points = m.take();
    expect(one(points, 'write')).toMatchObject({ result: 'invalid', format: 'JSON', error_code: String(invalid.body.error_code) });
  });

  it('a warm read by id is answered by the isolate with no D1 query; the first read was not', async () => {
    const id = (await call('POST', '/subjects/metrics-warm/versions', { schema: avro('w') })).body.id as number;
    m.take();
    const first = await call('GET', `/schemas/ids/${id}`);
    expect(first.status).toBe(200);
    expect(one(m.take(), 'request').layer).not.toBe('isolate');
    const warm = await call('GET', `/schemas/ids/${id}`);
    expect(one(m.take(), 'request')).toMatchObject({
      route: '/schemas/ids/{id}',
      index: '/schemas/ids/{id}',
      method: 'GET',
      status: '200',
      layer: 'isolate',
      d1_queries: 0,
      d1_round_trips: 0,
      response_bytes: bytes(warm.body),
    });
  });

  it('a read of D1 counts its statements and round trips', async () => {
    await call('POST', '/subjects/metrics-count/versions', { schema: avro('c') });
    m.take();
    expect((await call('GET', '/subjects/metrics-count/versions')).status).toBe(200);
    // A fresh-cache miss (services/fresh-reads.ts) on an isolate whose one read so far was the
    // registration's pre-check (it read the registry generation, which the isolate keeps for 5 s):
    // the change mark (services/fresh-cache.ts), then the list.
    expect(one(m.take(), 'request')).toMatchObject({ route: '/subjects/{subject}/versions', layer: 'd1', d1_queries: 2, d1_round_trips: 2 });
    // Within the fresh cache's second, the same read is the isolate's: no D1 at all.
    expect((await call('GET', '/subjects/metrics-count/versions')).status).toBe(200);
    expect(one(m.take(), 'request')).toMatchObject({ route: '/subjects/{subject}/versions', layer: 'isolate', d1_queries: 0, d1_round_trips: 0 });
  });

  it('a 404 carries its Confluent code', async () => {
    const r = await call('GET', '/schemas/ids/987654');
    expect(r.status).toBe(404);
    expect(one(m.take(), 'request')).toMatchObject({ route: '/schemas/ids/{id}', status: '404', error_code: '40403' });
  });

  it('an unknown path is recorded as no route, never by its URL', async () => {
    expect((await call('GET', `/nothing/${SECRET}`)).status).toBe(404);
    expect(one(m.take(), 'request')).toMatchObject({ route: NO_ROUTE, index: NO_ROUTE, status: '404', error_code: '404' });
  });

  it('a validation writes how many documents were checked and failed, by subject', async () => {
    await call('POST', `/subjects/${SECRET}-v/versions`, { schema: JSON.stringify({ type: 'object', required: ['a'] }), schemaType: 'JSON' });
    m.take();
    const r = await call('POST', `/v1/validate/subjects/${SECRET}-v/versions/latest`, '{"a":1}\n{"b":2}\n{"a":3}\n', {
      'content-type': 'application/x-ndjson',
    });
    expect(r.status).toBe(200);
    const points = m.take();
    expect(one(points, 'validation')).toEqual({
      kind: 'validation',
      index: '/v1/validate/subjects/{subject}/versions/{version}',
      route: '/v1/validate/subjects/{subject}/versions/{version}',
      subject: `${SECRET}-v`,
      body: 'ndjson',
      context: '.',
      colo: '',
      documents: 3,
      invalid: 1,
    });
    expect(one(points, 'request').route).toBe('/v1/validate/subjects/{subject}/versions/{version}');
  });
});

describe('metrics under authentication', () => {
  const m = recorder();
  const call = fetchWith({ AUTH_TOKENS: 'metrics-token:admin', METRICS: m.dataset });

  it('a 401 is recorded with 40101 and no context: an anonymous path names nothing', async () => {
    const r = await call('GET', `/contexts/.tenant/subjects/${SECRET}/versions`, undefined, basic('nobody', 'wrong'));
    expect(r.status).toBe(401);
    const points = m.take();
    expect(points).toHaveLength(1);
    expect(points[0]).toMatchObject({ kind: 'request', route: '/subjects/{subject}/versions', status: '401', error_code: '40101', context: '' });
  });

  it('an authenticated caller’s context is recorded', async () => {
    const r = await call('GET', `/contexts/.tenant/subjects/${SECRET}/versions`, undefined, { authorization: 'Bearer metrics-token' });
    expect(r.status).toBe(404);
    expect(one(m.take(), 'request')).toMatchObject({ context: '.tenant', error_code: '40401' });
  });
});

describe('metrics never fail a request', () => {
  it('answers the same without the binding, and when writeDataPoint throws', async () => {
    const unbound = fetchWith({ AUTH_MODE: 'none', METRICS: undefined });
    const throwing = fetchWith({
      AUTH_MODE: 'none',
      METRICS: {
        writeDataPoint: () => {
          throw new Error('Analytics Engine is down');
        },
      },
    });
    for (const call of [unbound, throwing]) {
      const r = await call('POST', '/subjects/metrics-unbound/versions', { schema: avro('u') });
      expect(r.status).toBe(200);
      expect((await call('GET', `/schemas/ids/${r.body.id}`)).status).toBe(200);
      expect((await call('GET', '/schemas/ids/987654')).body.error_code).toBe(40403);
    }
  });
});

describe('route templates', () => {
  it('never carry a subject name or an id, whatever the request', async () => {
    const m = recorder();
    const call = fetchWith({ AUTH_MODE: 'none', METRICS: m.dataset });
    const id = (await call('POST', `/subjects/${SECRET}-t/versions`, { schema: avro('t') })).body.id as number;
    await call('GET', `/subjects/${SECRET}-t/versions/1`);
    await call('GET', `/subjects/${SECRET}-t/versions/1/schema`);
    await call('GET', `/schemas/ids/${id}?subject=${SECRET}-t`);
    await call('DELETE', `/subjects/${SECRET}-t/versions/1`);
    await call('GET', `/contexts/.x/subjects/${SECRET}-t/versions`);
    await call('PUT', `/subjects/${SECRET}-t/versions`, {});
    const points = m.take();
    expect(points.length).toBeGreaterThanOrEqual(8);
    for (const p of points) {
      expect(String(p.route)).not.toContain(SECRET);
      expect(p.index).not.toContain(SECRET);
      expect(String(p.route)).not.toMatch(/\d/);
      expect(String(p.route).startsWith('/')).toBe(true);
    }
    expect(new Set(points.map((p) => p.route))).toEqual(
      new Set([
        '/subjects/{subject}/versions',
        '/subjects/{subject}/versions/{version}',
        '/subjects/{subject}/versions/{version}/schema',
        '/schemas/ids/{id}',
      ]),
    );
  });
});

describe('commit points (the writer Durable Object)', () => {
  const ctx = '.metrics-commit';
  const actor = { principal: 'test' };
  const reg = (subject: string) => ({
    context: ctx,
    subject,
    qualified: `:${ctx}:${subject}`,
    schema: { schema: avro(subject) },
    normalize: false,
    bounds: boundsOf(env),
    actor,
  });

  it("one per commit, with the writes it carried and the writer's own D1 work: a group of registrations, a write alone, a refusal", async () => {
    const m = recorder();
    await runInDurableObject(env.WRITER.get(env.WRITER.idFromName(ctx)), async (writer: RegistryWriter) => {
      // The writer reads its bindings from its env: give it the recording dataset.
      const held = writer as unknown as { env: Env };
      held.env = { ...held.env, METRICS: m.dataset };
      // Enqueued in one turn: the first commits alone, the other two wait and commit as one group.
      const outcomes = await Promise.all(['a', 'b', 'c'].map((s) => writer.register(reg(s))));
      expect(outcomes.map((o) => o.ok)).toEqual([true, true, true]);
      expect((await writer.setConfig({ context: ctx, subject: 'a', qualified: `:${ctx}:a`, body: { compatibility: 'NONE' }, actor })).ok).toBe(true);
      expect(await writer.deleteSubject({ context: ctx, subject: 'missing', qualified: `:${ctx}:missing`, permanent: false, actor })).toMatchObject({
        ok: false,
        code: 40401,
      });
    });
    const points = m.take();
    expect(points.map((p) => [p.kind, p.index, p.action, p.result, p.error_code, p.context, p.writes])).toEqual([
      ['commit', 'register', 'register', 'committed', '', ctx, 1],
      ['commit', 'register', 'register', 'committed', '', ctx, 2],
      ['commit', 'set-config', 'set-config', 'committed', '', ctx, 1],
      ['commit', 'delete-subject', 'delete-subject', 'refused', '40401', ctx, 1],
    ]);
    for (const p of points) {
      // Every commit reads and writes D1 through at least one batch; statements at least the round trips.
      expect(p.d1_round_trips, String(p.action)).toBeGreaterThanOrEqual(1);
      expect(p.d1_queries, String(p.action)).toBeGreaterThanOrEqual(p.d1_round_trips as number);
      expect(p.wall_ms).toBeGreaterThanOrEqual(0);
    }
    // A group of two costs the writer what a registration alone does, less its read: the group's
    // rows share statements (group-commit.ts), and its read (7 statements) rode in the first
    // commit, which read for the group queued behind it. The first: its own read, its commit with
    // the read ahead; the group: its commit alone.
    expect(points[0].d1_round_trips).toBe(2);
    expect(points[1].d1_round_trips).toBe(1);
    expect(points[0].d1_queries).toBe((points[1].d1_queries as number) + 2 * 7);
  });

  it("a subject delete's D1 work does not grow with the subject's versions, soft or permanent (reference check and eviction: one statement each)", async () => {
    const m = recorder();
    const subjectOf = (subject: string) => ({ context: ctx, subject, qualified: `:${ctx}:${subject}`, actor });
    /** The commit points of a soft and then a permanent delete of a subject of `versions` versions. */
    const deletesOf = async (writer: RegistryWriter, subject: string, versions: number) => {
      expect((await writer.setConfig({ ...subjectOf(subject), body: { compatibilityLevel: 'NONE' } })).ok).toBe(true);
      for (let i = 0; i < versions; i++)
        expect((await writer.register({ ...reg(subject), schema: { schema: avro(`${subject}${i}`) } })).ok).toBe(true);
      m.take();
      const points = [];
      for (const permanent of [false, true]) {
        expect((await writer.deleteSubject({ ...subjectOf(subject), permanent })).ok).toBe(true);
        // (The last registration's own point may land after its answer: only the delete's is compared.)
        const deletes = m.take().filter((p) => String(p.action).startsWith('delete-subject'));
        expect(deletes).toHaveLength(1);
        points.push(deletes[0]);
      }
      return points;
    };
    const [few, many] = await runInDurableObject(env.WRITER.get(env.WRITER.idFromName(ctx)), async (writer: RegistryWriter) => {
      const held = writer as unknown as { env: Env };
      held.env = { ...held.env, METRICS: m.dataset };
      return [await deletesOf(writer, 'few', 2), await deletesOf(writer, 'many', 30)];
    });
    expect(few.map((p) => [p.action, p.result])).toEqual([
      ['delete-subject', 'committed'],
      ['delete-subject-permanent', 'committed'],
    ]);
    expect(many.map((p) => [p.d1_round_trips, p.d1_queries])).toEqual(few.map((p) => [p.d1_round_trips, p.d1_queries]));
  });

  it('a group whose D1 work fails is recorded as failed, and its write fails', async () => {
    const m = recorder();
    const c = `${ctx}-down`;
    const outcome = await runInDurableObject(env.WRITER.get(env.WRITER.idFromName(c)), async (writer: RegistryWriter) => {
      const held = writer as unknown as { env: Env };
      const bound = held.env;
      // D1 unreachable from the writer: every session's batch fails.
      const own = (target: object, key: string | symbol): unknown => {
        const v: unknown = Reflect.get(target, key);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      };
      const down = new Proxy(bound.DB, {
        get: (target, key) =>
          key === 'withSession'
            ? () =>
                new Proxy(target.withSession('first-primary'), {
                  get: (session, k) => (k === 'batch' ? () => Promise.reject(new Error('D1_ERROR: Network connection lost.')) : own(session, k)),
                })
            : own(target, key),
      });
      held.env = { ...bound, DB: down, METRICS: m.dataset };
      try {
        return await writer.register({ ...reg('f'), context: c, qualified: `:${c}:f` }).then(
          () => 'committed',
          (e: unknown) => String(e),
        );
      } finally {
        held.env = bound;
      }
    });
    expect(outcome).toContain('Network connection lost');
    expect(m.take().map((p) => [p.kind, p.action, p.result, p.error_code, p.context, p.writes])).toEqual([
      ['commit', 'register', 'failed', '', c, 1],
    ]);
  });

  it('a writer needs no binding, and a throwing one fails no write', async () => {
    await runInDurableObject(env.WRITER.get(env.WRITER.idFromName(`${ctx}-x`)), async (writer: RegistryWriter) => {
      const held = writer as unknown as { env: Env };
      const { METRICS: _unbound, ...rest } = held.env;
      held.env = rest as Env;
      expect((await writer.register({ ...reg('u'), context: `${ctx}-x`, qualified: `:${ctx}-x:u` })).ok).toBe(true);
      held.env = {
        ...rest,
        METRICS: {
          writeDataPoint: () => {
            throw new Error('Analytics Engine is down');
          },
        },
      };
      expect((await writer.register({ ...reg('v'), context: `${ctx}-x`, qualified: `:${ctx}-x:v` })).ok).toBe(true);
    });
  });
});
