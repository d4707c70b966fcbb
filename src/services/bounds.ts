/**
 * Bounds on what writers can create (wrangler.toml [vars], docs/security.md#limits): contexts in
 * the registry, subjects per context, versions per subject. Each context has its own writer
 * Durable Object, so a write never reaches a writer for a context that does not exist except
 * to create it within the bound.
 */
import { DEFAULT_CONTEXT } from '../domain/naming';
import { ErrorCode, errors, RegistryError } from '../domain/errors';
import type { RegistryReader } from '../storage/registry-reader';
import type { FreshDeps } from './fresh-cache';
import { freshContextState } from './fresh-reads';

export interface Bounds {
  contexts: number;
  subjectsPerContext: number;
  versionsPerSubject: number;
}

type BoundVars = { MAX_CONTEXTS?: string; MAX_SUBJECTS_PER_CONTEXT?: string; MAX_VERSIONS_PER_SUBJECT?: string };

function positive(text: string | undefined, fallback: number): number {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

export function boundsOf(env: BoundVars): Bounds {
  return {
    contexts: positive(env.MAX_CONTEXTS, 1000),
    subjectsPerContext: positive(env.MAX_SUBJECTS_PER_CONTEXT, 100_000),
    versionsPerSubject: positive(env.MAX_VERSIONS_PER_SUBJECT, 10_000),
  };
}

export function limitExceeded(message: string): RegistryError {
  return new RegistryError(ErrorCode.LIMIT_EXCEEDED, message);
}

/**
 * Before a write reaches a context's writer: the context exists, or the write may create it
 * (`create`) and the registry holds fewer contexts than its bound. `missing` is the error for a
 * write that cannot create (Confluent's answer for the subject it names). The count is read, not
 * locked: concurrent creations can pass the bound by at most their number. Whether it exists comes
 * through the fresh cache (`freshContextState`): at most FRESH_TTL_MS old, never older than the
 * client's bookmark or this isolate's own writes. So a context another isolate deleted in the last
 * second may be made again by a write here without the count being read: like concurrent
 * creations, that passes the bound by at most one context per such write.
 */
export async function assertContextWritable(
  deps: FreshDeps,
  reader: RegistryReader,
  context: string,
  bounds: Bounds,
  create: boolean,
  qualified: string,
): Promise<void> {
  if (context === DEFAULT_CONTEXT) return;
  const { exists, count } = await freshContextState(deps, reader, context);
  if (exists) return;
  if (!create) throw errors.subjectNotFound(qualified);
  if (count >= bounds.contexts)
    throw limitExceeded(`The registry holds ${count} contexts, its limit (MAX_CONTEXTS); context ${context} cannot be created`);
}
