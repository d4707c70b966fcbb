import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach } from 'vitest';
import { clearFreshCache } from '../../src/services/fresh-cache';
import { forgetGeneration } from '../../src/services/generation';
import { resetRegistrationPrecheck } from '../../src/services/precheck-gate';
import { clearSchemaMemory } from '../../src/services/schema-cache';
import { clearValidatorCaches } from '../../src/services/validators';
import { wipeAll } from './wipe';

// Every test starts from an empty registry: all bindings wiped, then the schema migrated.
beforeEach(async () => {
  // Let the previous test's waitUntil work (KV and Cache API fills) finish before storage is wiped:
  // wiping under it aborts Miniflare's storage objects and prints uncaught errors.
  await scheduler.wait(20);
  await wipeAll();
  clearValidatorCaches(); // ids restart at 1 after a wipe; production never reuses an id
  clearSchemaMemory();
  clearFreshCache(); // subject names and the generation repeat across cases
  forgetGeneration(); // the wipe took the registry generation back to 0
  resetRegistrationPrecheck(); // each case starts with the pre-check reading, as a new isolate does
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
});
