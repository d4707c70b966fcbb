import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

const migrations = await readD1Migrations(fileURLToPath(new URL('./migrations', import.meta.url).href));

/**
 * Three layers (see docs/testing.md):
 * - unit: the pure domain core in Node, from tables of cases;
 * - integration: the Worker in workerd through the Cloudflare Vitest plugin (note: it patches
 *   `Function`, so code generation "works" here and would fail in production);
 * - e2e: the built Worker (dist/) under Miniflare with no patches, driven by real clients.
 */
export default defineConfig({
  test: {
    projects: [
      // No test asserts time; CPU-heavy bound checks (limits-bombs) took over 5 s on a loaded CI machine.
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', testTimeout: 30_000 } },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            // The integration layer runs open (AUTH_MODE none) unless a test passes its own bindings.
            // DRILL_SCHEMAS: the size of the restore drill (test/integration/restore-drill.test.ts).
            miniflare: { bindings: { TEST_MIGRATIONS: migrations, AUTH_MODE: 'none', DRILL_SCHEMAS: process.env.DRILL_SCHEMAS ?? '' } },
          }),
        ],
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Generous: a loaded CI machine runs workerd slower; no test here asserts time.
          testTimeout: 30_000,
          setupFiles: ['./test/integration/apply-migrations.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['./test/e2e/setup-openapi.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
