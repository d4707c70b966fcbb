/**
 * WRITER_LOCATION_HINT (durable/writer-stub.ts): writers are created with the configured location
 * hint, the one stub factory every write goes through; a value naming no region fails writes and
 * readiness with its reason, never placing writers silently elsewhere, and leaves reads alone.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { writerOptions } from '../../src/durable/writer-stub';
import { fetchWith } from './with-env';

const avro = (name: string) => JSON.stringify({ type: 'record', name, fields: [{ name: 'a', type: 'string' }] });

/** The real namespace, recording the options of every get(). */
function recordingWriters() {
  const options: unknown[] = [];
  const real = env.WRITER;
  const namespace = {
    idFromName: (name: string) => real.idFromName(name),
    get: (id: DurableObjectId, o?: DurableObjectNamespaceGetDurableObjectOptions) => {
      options.push(o);
      return real.get(id, o);
    },
  };
  return { options, namespace: namespace as unknown as typeof env.WRITER };
}

describe('writerOptions', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['weur', { locationHint: 'weur' }],
    ['enam', { locationHint: 'enam' }],
    ['apac-ne', { locationHint: 'apac-ne' }],
    ['me', { locationHint: 'me' }],
  ])('%j gives %j', (hint, want) => {
    expect(writerOptions(hint)).toEqual(want);
  });

  it.each(['WEUR', 'europe', ' weur', 'weur,enam', 'auto'])('refuses %j, naming the hints', (hint) => {
    expect(() => writerOptions(hint)).toThrow(`WRITER_LOCATION_HINT "${hint}" is not a location hint (wnam, enam, sam, weur`);
  });
});

describe('writers are created where the hint says', () => {
  it('passes the hint on every writer stub: a context write, a registry-wide write, readiness', async () => {
    const w = recordingWriters();
    const call = fetchWith({ AUTH_MODE: 'none', WRITER_LOCATION_HINT: 'weur', WRITER: w.namespace });
    expect((await call('POST', '/subjects/located/versions', { schema: avro('L') })).status).toBe(200);
    expect((await call('POST', '/v1/admin/keys', { name: 'located', grants: ['reader'] })).status).toBe(201);
    expect((await call('GET', '/v1/ready')).status).toBe(200);
    expect(w.options.length).toBeGreaterThanOrEqual(3);
    expect(new Set(w.options.map((o) => JSON.stringify(o)))).toEqual(new Set([JSON.stringify({ locationHint: 'weur' })]));
  });

  it('passes none without a hint', async () => {
    const w = recordingWriters();
    const call = fetchWith({ AUTH_MODE: 'none', WRITER_LOCATION_HINT: '', WRITER: w.namespace });
    expect((await call('POST', '/subjects/unplaced/versions', { schema: avro('U') })).status).toBe(200);
    expect(w.options).not.toHaveLength(0);
    expect(w.options.every((o) => o === undefined)).toBe(true);
  });

  it('a hint naming no region fails writes (500, reason in the log) and readiness (503 naming it); reads still answer', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const call = fetchWith({ AUTH_MODE: 'none', WRITER_LOCATION_HINT: 'europe' });
      const write = await call('POST', '/subjects/misplaced/versions', { schema: avro('M') });
      expect(write.status).toBe(500);
      expect((write.body as { error_code: number }).error_code).toBe(500);
      expect(JSON.stringify(write.body)).not.toContain('WRITER_LOCATION_HINT'); // no detail to the caller
      const lines = logged.mock.calls.flat().map((l) => JSON.parse(String(l)) as { error?: string });
      expect(lines.some((l) => l.error?.includes('WRITER_LOCATION_HINT "europe" is not a location hint'))).toBe(true);
      const ready = await call('GET', '/v1/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        status: 'unavailable',
        checks: { writer: { ok: false, error: expect.stringContaining('WRITER_LOCATION_HINT "europe"') } },
      });
      expect((await call('GET', '/subjects')).status).toBe(200);
    } finally {
      logged.mockRestore();
    }
  });
});
