// Bindings the test configuration adds on top of wrangler.toml (see vitest.config.ts).
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
    /** The restore drill's size (schemas); empty: its default. */
    DRILL_SCHEMAS: string;
  }
}
