/** The Worker: the HTTP API and the Durable Object classes wrangler binds. */
import { createFetch } from './app';

export { RegistryWriter } from './durable/registry-writer';

const fetch = createFetch();

export default {
  fetch,
} satisfies ExportedHandler<Env>;
