/**
 * Readiness (GET /v1/ready): each dependency checked for real, in parallel, each within a
 * timeout. Liveness (GET /v1/health) touches nothing; this touches everything a request may need.
 */
const READY_TIMEOUT_MS = 2000;

export interface Check {
  ok: boolean;
  ms: number;
  error?: string;
}

async function check(op: () => Promise<unknown>, timeoutMs = READY_TIMEOUT_MS): Promise<Check> {
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    await Promise.race([op(), timeout]);
    return { ok: true, ms: Date.now() - started };
  } catch (e) {
    return { ok: false, ms: Date.now() - started, error: e instanceof Error ? e.message : String(e) };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

export async function readiness(checks: Record<string, () => Promise<unknown>>): Promise<{ ready: boolean; checks: Record<string, Check> }> {
  const names = Object.keys(checks);
  const results = await Promise.all(names.map((n) => check(checks[n])));
  const out = Object.fromEntries(names.map((n, i) => [n, results[i]]));
  return { ready: results.every((r) => r.ok), checks: out };
}
