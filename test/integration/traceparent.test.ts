/** W3C traceparent carried through a request: the answer's header, the metrics point, the log lines. */
import { describe, expect, it, vi } from 'vitest';
import { fetchWith } from './with-env';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const P = '00f067aa0ba902b7';

describe('traceparent', () => {
  it('continues the caller’s trace in the answer and the data point, and begins one otherwise', async () => {
    const points: AnalyticsEngineDataPoint[] = [];
    const call = fetchWith({ AUTH_MODE: 'none', METRICS: { writeDataPoint: (p) => p && points.push(p) } });
    const r = await call('GET', '/subjects', undefined, { traceparent: `00-${T}-${P}-01` });
    const answered = r.headers.get('traceparent') ?? '';
    expect(answered).toMatch(new RegExp(`^00-${T}-[0-9a-f]{16}-01$`));
    expect(answered).not.toContain(P);
    expect(points.at(-1)?.blobs?.at(-1)).toBe(T);

    const fresh = await call('GET', '/subjects', undefined, { traceparent: `00-${'0'.repeat(32)}-${P}-01` });
    const header = fresh.headers.get('traceparent') ?? '';
    expect(header).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(header).not.toContain('0'.repeat(32));
  });

  it('is in the structured log line of a failure, beside the request id', async () => {
    const lost = () => Promise.reject(new Error('D1_ERROR: Network connection lost.'));
    const statement = { bind: () => statement, all: lost, first: lost, run: lost, raw: lost };
    const session = { prepare: () => statement, batch: lost, getBookmark: () => null };
    const call = fetchWith({ AUTH_MODE: 'none', DB: { ...session, withSession: () => session } as unknown as D1Database });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const r = await call('GET', '/subjects', undefined, { traceparent: `00-${T}-${P}-01`, 'x-request-id': 'req-trace-1' });
      expect(r.status).toBe(503);
      const line = warn.mock.calls.map((a) => JSON.parse(String(a[0]))).find((l) => l.event === 'transient');
      expect(line).toMatchObject({ requestId: 'req-trace-1', traceId: T });
      expect(r.headers.get('traceparent')).toBe(`00-${T}-${line.spanId}-01`);
    } finally {
      warn.mockRestore();
    }
  });
});
