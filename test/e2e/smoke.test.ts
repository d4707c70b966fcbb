import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker } from './worker';

let worker: RunningWorker;
beforeAll(async () => {
  worker = await startWorker();
});
afterAll(async () => {
  await worker.stop();
});

describe('built Worker', () => {
  it('answers the root and unknown paths like Confluent', async () => {
    const root = await fetch(`${worker.url}/`);
    expect(root.status).toBe(200);
    expect(root.headers.get('content-type')).toBe('application/vnd.schemaregistry.v1+json');
    expect(await root.json()).toEqual({});
    const missing = await fetch(`${worker.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error_code: 404, message: 'HTTP 404 Not Found' });
  });
});
