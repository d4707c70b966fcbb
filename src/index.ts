/** The Worker: the HTTP API and the Durable Object classes wrangler binds. */
import { createFetch } from './app';
import { archiveSnapshot } from './storage/snapshot';

export { RegistryWriter } from './durable/registry-writer';
export { RegistryService } from './entrypoint';

const fetch = createFetch();

export default {
  fetch,
  /** The cron trigger (wrangler.toml): a daily snapshot of the store of record into R2. */
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(
      archiveSnapshot(env.DB.withSession('first-primary'), env.ARCHIVE).then(({ key, rows }) => {
        console.log(JSON.stringify({ level: 'info', event: 'snapshot', key, rows }));
      }),
    );
  },
} satisfies ExportedHandler<Env>;
