/** A fresh registry with the same R2 bucket: D1, KV and every cache wiped, the snapshots put back (restore tests). */
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { clearFreshCache } from '../../src/services/fresh-cache';
import { forgetGeneration } from '../../src/services/generation';
import { clearSchemaMemory } from '../../src/services/schema-cache';
import { clearValidatorCaches } from '../../src/services/validators';
import { wipeAll } from './wipe';

export async function freshRegistryKeepingR2(): Promise<void> {
  const listed = await env.ARCHIVE.list({ prefix: 'snapshots/' });
  const objects = await Promise.all(listed.objects.map(async (o) => [o.key, await (await env.ARCHIVE.get(o.key))!.arrayBuffer()] as const));
  await scheduler.wait(20);
  await wipeAll();
  clearValidatorCaches();
  clearFreshCache();
  clearSchemaMemory();
  forgetGeneration();
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
  for (const [key, body] of objects) await env.ARCHIVE.put(key, body);
}
