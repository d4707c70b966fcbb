/**
 * Test-only harness Worker: the Workers JSON Schema engine (src/domain/json/validator) behind two
 * routes. test/e2e/json-suite.test.ts bundles it with esbuild and runs it under plain Miniflare,
 * where nothing patches `Function`: any code generation in the engine would throw here, as it
 * would in production. Never deployed.
 *
 * - POST /run  {draft, files, remotes} -> RunResult (see ./run.ts)
 * - GET /codegen -> {function, eval}: whether `new Function` / `eval` work (they must not)
 */
import { type RunRequest, runSuite } from './run';

function tryCodegen(f: () => unknown): string {
  try {
    return `allowed (${String(f())})`;
  } catch (e) {
    return `refused: ${(e as Error).message}`;
  }
}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (request.method === 'POST' && url.pathname === '/run') {
      const body = await request.json<RunRequest>();
      return Response.json(runSuite(body));
    }
    if (url.pathname === '/codegen') {
      return Response.json({
        // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the probe: code generation must throw in this Worker
        function: tryCodegen(() => new Function('return 1')()),
        eval: tryCodegen(() => (0, eval)('1')),
      });
    }
    return new Response('not found', { status: 404 });
  },
};
