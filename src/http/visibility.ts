/**
 * What a caller may see, for the routes whose target is not one subject: listings show only the
 * rows the caller may read, and a schema (by id or guid) is readable only through a subject that
 * uses it and that the caller may read; otherwise it answers exactly as an id that does not exist.
 */
import type { Context } from 'hono';
import { errors, type RegistryError } from '../domain/errors';
import { allows, readsEverything, readsInContext } from '../domain/grant-rules';
import { type NameRange, readableRanges } from '../domain/name-ranges';
import type { Visibility } from '../services/listings';
import { usedWithin } from '../services/usages';
import type { AppEnv } from './env';

type Ctx = Context<AppEnv>;

function readsAll(c: Ctx): boolean {
  return readsEverything(c.get('principal').grants);
}

export function canReadSubject(c: Ctx, context: string, subject: string): boolean {
  return allows(c.get('principal').grants, 'reader', { kind: 'subject', context, subject });
}

export function canSeeContext(c: Ctx, context: string): boolean {
  return readsInContext(c.get('principal').grants, context);
}

/** The caller's read visibility, for listings walked in storage order (services/listings.ts). */
export function readVisibility(c: Ctx): Visibility {
  return {
    context: (context) => canSeeContext(c, context),
    subject: (context, subject) => canReadSubject(c, context, subject),
    ranges: (context) => readableSubjects(c, context),
  };
}

/**
 * The caller's read scopes for change events (storage/events.ts filters with them in SQL): null
 * when it reads everything, else one {context, prefix} per grant (every grant is at least reader).
 */
export function eventScopes(c: Ctx): { context?: string; prefix?: string }[] | null {
  if (readsAll(c)) return null;
  return c.get('principal').grants.map((g) => ({
    ...(g.context !== undefined ? { context: g.context } : {}),
    ...(g.subjectPrefix !== undefined ? { prefix: g.subjectPrefix } : {}),
  }));
}

/**
 * The subjects of `context` the caller may read, as ranges of names (domain/name-ranges.ts);
 * undefined when it reads them all. What services/usages.ts filters and seeks an id's usages by.
 */
export function readableSubjects(c: Ctx, context: string): NameRange[] | undefined {
  return readableRanges(c.get('principal').grants, context);
}

/** Is the schema readable through some subject that uses it and that the caller may read? */
export async function schemaReadable(c: Ctx, context: string, id: number): Promise<boolean> {
  return readsAll(c) || usedWithin(c.get('cache'), c.get('reader'), context, id, readableSubjects(c, context));
}

/**
 * 40403 (as for a missing id) unless some subject using the schema is readable by the caller.
 * `missing` builds the error only when it is thrown: an Error captures a stack trace, which on
 * a warm read cost more than the rest of the route's own work.
 */
export async function assertSchemaVisible(
  c: Ctx,
  context: string,
  id: number,
  missing: () => RegistryError = () => errors.schemaNotFound(id),
): Promise<void> {
  if (!(await schemaReadable(c, context, id))) throw missing();
}
