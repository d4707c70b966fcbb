/**
 * Evictions after permanent deletes that one invocation cannot make (durable/eviction-backlog.ts):
 * the first slice at once, the rest from the writer's alarm a slice per invocation, failed
 * deletes tried again later and given up after MAX_ATTEMPTS, with real KV and the writer's storage.
 */
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import type { RegistryWriter } from '../../src/durable/registry-writer';
import { type EvictionBacklog, MAX_ATTEMPTS, PER_INVOCATION, RETRY_MS } from '../../src/durable/eviction-backlog';
import { call, get, register } from './client';

const writer = () => env.WRITER.get(env.WRITER.idFromName('.'));
const idKey = (id: number) => `v2/0/ctx/./id/${id}`;
const guidKey = (id: number) => `v2/0/guid/00000000-0000-0000-0000-${String(id).padStart(12, '0')}`;
const schema = (id: number) => ({ context: '.', id, guid: `00000000-0000-0000-0000-${String(id).padStart(12, '0')}` });
/** Ids whose by-id copy is still in KV. */
const cachedIds = async () =>
  (await env.SCHEMA_KV.list({ prefix: 'v2/0/ctx/./id/' })).keys.map((k) => Number(k.name.split('/').pop())).sort((a, b) => a - b);

type Internals = { env: Env; evictions: EvictionBacklog };
const internals = (w: RegistryWriter) => w as unknown as Internals;

/** Run `body` in the writer with its KV refusing every delete (an outage, or the invocation's operation limit reached). */
function withKvRefusing<T>(body: (w: RegistryWriter, state: DurableObjectState) => Promise<T>): Promise<T> {
  return runInDurableObject(writer(), async (w: RegistryWriter, state) => {
    const held = internals(w);
    const bound = held.env;
    const refusing = new Proxy(bound.SCHEMA_KV, {
      get: (target, key) => (key === 'delete' ? () => Promise.reject(new Error('KV DELETE failed: 429')) : (Reflect.get(target, key) as unknown)),
    });
    held.env = { ...bound, SCHEMA_KV: refusing };
    try {
      return await body(w, state);
    } finally {
      held.env = bound;
    }
  });
}

let warn: MockInstance<typeof console.warn>;
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => {
  warn.mockRestore();
});
const logged = () => warn.mock.calls.map((c) => JSON.parse(String(c[0])) as Record<string, unknown>).filter((l) => l.event === 'evict-failed');

describe('evictions past one invocation', () => {
  it('evicts the first slice with the write, the rest a slice per run, in order', async () => {
    const total = 2 * PER_INVOCATION + 30;
    const ids = Array.from({ length: total }, (_, i) => i + 1);
    await Promise.all(ids.flatMap((id) => [env.SCHEMA_KV.put(idKey(id), '{}'), env.SCHEMA_KV.put(guidKey(id), '{}')]));
    // An hour ahead: workerd runs a due alarm by itself, and here each run is the test's own.
    const at = Date.now() + 3_600_000;
    await runInDurableObject(writer(), async (w: RegistryWriter, state) => {
      const backlog = internals(w).evictions;
      await backlog.evict(ids.map(schema), at);
      expect(await cachedIds()).toEqual(ids.slice(PER_INVOCATION));
      expect((await backlog.pending()).map((s) => s.schemas.length)).toEqual([PER_INVOCATION, 30]);
      expect(await state.storage.getAlarm()).toBe(at);
      await backlog.run(at);
      expect(await cachedIds()).toEqual(ids.slice(2 * PER_INVOCATION));
      await backlog.run(at);
      expect(await cachedIds()).toEqual([]);
      expect((await env.SCHEMA_KV.list({ prefix: 'v2/0/guid/' })).keys).toEqual([]);
      // Nothing left: no slice, no alarm.
      expect(await backlog.pending()).toEqual([]);
      expect(await state.storage.getAlarm()).toBeNull();
    });
    expect(logged()).toEqual([]);
  });

  it("is made by the writer's alarm", async () => {
    const ids = Array.from({ length: 2 * PER_INVOCATION + 30 }, (_, i) => i + 1);
    await Promise.all(ids.map((id) => env.SCHEMA_KV.put(idKey(id), '{}')));
    await runInDurableObject(writer(), (w: RegistryWriter) => internals(w).evictions.evict(ids.map(schema)));
    expect((await cachedIds()).length).toBeLessThanOrEqual(ids.length - PER_INVOCATION);
    // The alarm is due now: workerd may run it by itself; the test runs it too until none is set.
    await vi.waitFor(
      async () => {
        await runDurableObjectAlarm(writer());
        expect(await cachedIds()).toEqual([]);
        expect(await runInDurableObject(writer(), (w: RegistryWriter) => internals(w).evictions.pending())).toEqual([]);
      },
      { timeout: 10_000, interval: 50 },
    );
  });

  it('keeps only what the keys are made of, whatever the caller passed', async () => {
    const versions = Array.from({ length: PER_INVOCATION + 1 }, (_, i) => ({ ...schema(i + 1), schema: 'x'.repeat(1000), version: 1, subject: 's' }));
    const slices = await runInDurableObject(writer(), async (w: RegistryWriter) => {
      await internals(w).evictions.evict(versions, Date.now() + 3_600_000);
      return internals(w).evictions.pending();
    });
    expect(slices).toEqual([{ schemas: [schema(PER_INVOCATION + 1)], attempts: 0, due: expect.any(Number) }]);
  });
});

describe('a permanent delete whose evictions fail', () => {
  it('answers the delete it committed, logs it, and evicts the copies when the alarm tries again', async () => {
    const id = await register('evict', JSON.stringify({ type: 'record', name: 'E', fields: [{ name: 'a', type: 'string' }] }));
    expect((await get(`/schemas/ids/${id}`)).status).toBe(200); // fills KV
    expect(await cachedIds()).toEqual([id]);
    await call('DELETE', '/subjects/evict');

    const before = Date.now();
    const { outcome, slices, alarm } = await withKvRefusing(async (w, state) => {
      const outcome = await w.deleteSubject({ context: '.', subject: 'evict', qualified: 'evict', permanent: true, actor: { principal: 'test' } });
      return { outcome, slices: await internals(w).evictions.pending(), alarm: await state.storage.getAlarm() };
    });
    expect(outcome).toMatchObject({ ok: true, value: [1] });
    expect((await get('/subjects/evict/versions')).status).toBe(404);
    expect(logged()).toEqual([
      expect.objectContaining({
        schemas: 1,
        failedDeletes: 2,
        attempt: 1,
        willRetry: true,
        retryInSeconds: RETRY_MS / 1000,
        error: expect.stringContaining('429'),
      }),
    ]);
    // The copy is still in KV, and the schema waits for its retry, not before its time.
    expect(await cachedIds()).toEqual([id]);
    expect(slices).toEqual([{ schemas: [expect.objectContaining({ context: '.', id })], attempts: 1, due: expect.any(Number) }]);
    expect(slices[0].due).toBeGreaterThanOrEqual(before + RETRY_MS);
    expect(alarm).toBe(slices[0].due);

    await runInDurableObject(writer(), (w: RegistryWriter) => internals(w).evictions.run(slices[0].due - 1));
    expect(await cachedIds()).toEqual([id]);
    await runInDurableObject(writer(), (w: RegistryWriter) => internals(w).evictions.run(slices[0].due));
    expect(await cachedIds()).toEqual([]);
    expect((await get(`/schemas/ids/${id}`)).status).toBe(404);
    const left = await runInDurableObject(writer(), async (w: RegistryWriter, state) => ({
      slices: await internals(w).evictions.pending(),
      alarm: await state.storage.getAlarm(),
    }));
    expect(left).toEqual({ slices: [], alarm: null });
  });

  it('tries a failing slice MAX_ATTEMPTS times, waiting twice as long each time, then gives it up', async () => {
    await env.SCHEMA_KV.put(idKey(7), '{}');
    const dues = await withKvRefusing(async (w) => {
      const backlog = internals(w).evictions;
      await backlog.evict([schema(7)]);
      const seen: number[] = [];
      for (let pending = await backlog.pending(); pending.length > 0; pending = await backlog.pending()) {
        seen.push(pending[0].due);
        await backlog.run(pending[0].due);
      }
      return seen;
    });
    expect(dues).toHaveLength(MAX_ATTEMPTS - 1);
    expect(dues.slice(1).map((d, i) => d - dues[i])).toEqual(Array.from({ length: MAX_ATTEMPTS - 2 }, (_, i) => RETRY_MS * 2 ** (i + 1)));
    expect(logged().map((l) => [l.attempt, l.willRetry])).toEqual(Array.from({ length: MAX_ATTEMPTS }, (_, i) => [i + 1, i + 1 < MAX_ATTEMPTS]));
    expect(logged().at(-1)).toMatchObject({ hint: expect.stringContaining('/v1/admin/generation') });
    // Given up: the copy stays (until its TTL or a generation advance), nothing waits.
    expect(await cachedIds()).toEqual([7]);
    expect(await runInDurableObject(writer(), (_w, state) => state.storage.getAlarm())).toBeNull();
  });

  it('lets slices queued behind a retry wait for it: they are made in the order the deletes committed', async () => {
    await Promise.all([3, 4].map((id) => env.SCHEMA_KV.put(idKey(id), '{}')));
    const due = await withKvRefusing(async (w) => {
      await internals(w).evictions.evict([schema(3)]);
      return (await internals(w).evictions.pending())[0].due;
    });
    await runInDurableObject(writer(), async (w: RegistryWriter, state) => {
      const backlog = internals(w).evictions;
      // A second delete's schemas, past one invocation's slice, queue behind the retry.
      await backlog.evict([...Array.from({ length: PER_INVOCATION }, (_, i) => schema(1000 + i)), schema(4)], due - RETRY_MS);
      expect((await backlog.pending()).map((s) => s.schemas.map((x) => x.id))).toEqual([[3], [4]]);
      expect(await state.storage.getAlarm()).toBe(due);
      await backlog.run(due - 1);
      expect(await cachedIds()).toEqual([3, 4]);
      await backlog.run(due);
      expect(await cachedIds()).toEqual([4]);
      await backlog.run(due);
      expect(await cachedIds()).toEqual([]);
    });
  });
});
