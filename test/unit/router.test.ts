/**
 * RememberingRouter (src/http/router.ts): the same answers as Hono's default router, whether a
 * path is asked for the first time, again, past the bound, or too long to remember.
 */
import { Hono } from 'hono';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { SmartRouter } from 'hono/router/smart-router';
import { TrieRouter } from 'hono/router/trie-router';
import { describe, expect, it } from 'vitest';
import { RememberingRouter } from '../../src/http/router';

const ROUTES: [string, string][] = [
  ['GET', '/subjects'],
  ['GET', '/subjects/:subject/versions'],
  ['GET', '/subjects/:subject/versions/:version'],
  ['POST', '/subjects/:subject/versions'],
  ['GET', '/schemas/ids/:id'],
  ['GET', '/schemas/ids/:id/schema'],
  ['ALL', '/schemas/ids/:id'],
  ['GET', '/associations:batchGet'],
  ['ALL', '*'],
];

const PATHS: [string, string][] = [
  ['GET', '/subjects'],
  ['GET', '/subjects/orders/versions'],
  ['GET', '/subjects/orders/versions/latest'],
  ['GET', '/subjects/payments/versions/3'],
  ['POST', '/subjects/orders/versions'],
  ['PUT', '/schemas/ids/7'],
  ['GET', '/schemas/ids/7/schema'],
  ['GET', '/associations:batchGet'],
  ['DELETE', '/nowhere'],
];

function both() {
  const plain = new SmartRouter<string>({ routers: [new RegExpRouter(), new TrieRouter()] });
  const remembering = new RememberingRouter<string>();
  for (const [method, path] of ROUTES) {
    plain.add(method, path, `${method} ${path}`);
    remembering.add(method, path, `${method} ${path}`);
  }
  return { plain, remembering };
}

describe('RememberingRouter', () => {
  it('answers every path as the default router does, the first time and again', () => {
    const { plain, remembering } = both();
    for (let round = 0; round < 3; round++) {
      for (const [method, path] of PATHS) expect(remembering.match(method, path), `${method} ${path}`).toEqual(plain.match(method, path));
    }
  });

  it('past its bound and for a path too long to remember, still the same answers', () => {
    const { plain, remembering } = both();
    for (let i = 0; i < 5_000; i++) remembering.match('GET', `/subjects/s${i}/versions/${i}`);
    const long = `/subjects/${'x'.repeat(300)}/versions/1`;
    for (const [method, path] of [...PATHS, ['GET', long] as [string, string]]) {
      expect(remembering.match(method, path)).toEqual(plain.match(method, path));
    }
  });

  it('in a Hono app, each request gets its own path’s parameters', async () => {
    const app = new Hono({ strict: false, router: new RememberingRouter() });
    app.get('/subjects/:subject/versions/:version', (c) => c.json(c.req.param()));
    app.get('/schemas/ids/:id', (c) => c.json({ id: c.req.param('id') }));
    const ask = async (path: string) => (await app.request(path)).json();
    for (let round = 0; round < 2; round++) {
      expect(await ask('/subjects/a/versions/1')).toEqual({ subject: 'a', version: '1' });
      expect(await ask('/subjects/b%2Fc/versions/latest/')).toEqual({ subject: 'b/c', version: 'latest' });
      expect(await ask('/schemas/ids/42')).toEqual({ id: '42' });
    }
    expect((await app.request('/schemas/ids/42', { method: 'POST' })).status).toBe(404);
  });
});
