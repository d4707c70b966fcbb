/** The Worker: the HTTP API and the Durable Object classes wrangler binds. */
import { createFetch } from './app';
import { writeSnapshot } from './storage/snapshot-store';

export { RegistryWriter } from './durable/registry-writer';
export { RegistryService } from './entrypoint';

const fetch = createFetch();

export default {
  fetch,
  /** The cron trigger (wrangler.toml): a daily snapshot of the store of record into R2 (NDJSON parts and a manifest). */
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(
      writeSnapshot(env.DB.withSession('first-primary'), env.ARCHIVE).then(({ name, rows, quiescent }) => {
        console.log(JSON.stringify({ level: 'info', event: 'snapshot', name, rows, quiescent }));
      }),
    );
  },
} satisfies ExportedHandler<Env>;
