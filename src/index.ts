/** The Worker: the HTTP API and the Durable Object classes wrangler binds. */
import { createFetch } from './app';

export { RegistryWriter } from './durable/registry-writer';
export { RegistryService } from './entrypoint';

const fetch = createFetch();

export default {
  fetch,
} satisfies ExportedHandler<Env>;
