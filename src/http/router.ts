/**
 * Hono's default router (SmartRouter: RegExpRouter, else TrieRouter) with its answers remembered
 * per method and path. RegExpRouter matches a path against one regular expression made of every
 * route of the method, then scans the match's capture array (one slot per route and parameter) for
 * the route that matched: with this API's 150-odd routes that was about 4% of a warm read's CPU.
 * Clients ask for the same few paths again and again (an id, a subject's latest), so a bounded map
 * answers them. A match result is only read by Hono (handlers and the parameter stash), never
 * changed, so one result can serve every request for its path.
 */
import type { Result, Router } from 'hono/router';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { SmartRouter } from 'hono/router/smart-router';
import { TrieRouter } from 'hono/router/trie-router';

/** Paths remembered, and the longest one kept: at most 2,048 × 256 characters (client input). */
const MAX_PATHS = 2_048;
const MAX_PATH_LENGTH = 256;

export class RememberingRouter<T> implements Router<T> {
  readonly name = 'RememberingRouter';
  readonly #router: Router<T> = new SmartRouter({ routers: [new RegExpRouter(), new TrieRouter()] });
  readonly #seen = new Map<string, Result<T>>();

  add(method: string, path: string, handler: T): void {
    this.#seen.clear();
    this.#router.add(method, path, handler);
  }

  match(method: string, path: string): Result<T> {
    if (path.length > MAX_PATH_LENGTH) return this.#router.match(method, path);
    const key = `${method} ${path}`;
    let result = this.#seen.get(key);
    if (result === undefined) {
      result = this.#router.match(method, path);
      // Dropping all at the bound is enough: the next requests refill the hot paths at once.
      if (this.#seen.size >= MAX_PATHS) this.#seen.clear();
      this.#seen.set(key, result);
    }
    return result;
  }
}
