/**
 * The stub of a writer Durable Object (registry-writer.ts): one per context, and "*" for
 * registry-wide writes. Every commit makes its D1 round trips from wherever the object lives, so
 * WRITER_LOCATION_HINT places new writers in the D1 primary's region (docs/performance.md,
 * "On Cloudflare's network"). A hint only applies when an object is first created; an existing
 * writer stays where it is.
 */
import type { RegistryWriter } from './registry-writer';

const HINTS: readonly DurableObjectLocationHint[] = ['wnam', 'enam', 'sam', 'weur', 'eeur', 'apac', 'apac-ne', 'apac-se', 'oc', 'afr', 'me'];

type WriterEnv = { WRITER: DurableObjectNamespace<RegistryWriter>; WRITER_LOCATION_HINT?: string };

/**
 * The options the writers are created with: none without a hint. A value that names no region is
 * a configuration error: it fails every write (and GET /v1/ready's writer check) with its reason
 * in the log, rather than silently placing writers far from the database.
 */
export function writerOptions(hint: string | undefined): DurableObjectNamespaceGetDurableObjectOptions | undefined {
  if (!hint) return undefined;
  if (!(HINTS as readonly string[]).includes(hint)) throw new Error(`WRITER_LOCATION_HINT "${hint}" is not a location hint (${HINTS.join(', ')})`);
  return { locationHint: hint as DurableObjectLocationHint };
}

export function writerStub(env: WriterEnv, name: string): DurableObjectStub<RegistryWriter> {
  return env.WRITER.get(env.WRITER.idFromName(name), writerOptions(env.WRITER_LOCATION_HINT));
}
