import { defineConfig } from 'drizzle-kit';

// Flat *.sql migrations in migrations/, applied by wrangler (`wrangler d1 migrations apply`).
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/storage/schema.ts',
  out: './migrations',
  migrations: { prefix: 'index' },
});
