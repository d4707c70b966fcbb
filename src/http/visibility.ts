/**
 * What a caller may see, for the routes whose target is not one subject: listings show only the
 * rows the caller may read, and a schema (by id or guid) is readable only through a subject that
 * uses it and that the caller may read; otherwise it answers exactly as an id that does not exist.
 */
import type { Context } from 'hono';
import { errors } from '../domain/errors';
import { allows, readsEverything, readsInContext } from '../domain/grants';
import type { AppEnv } from './env';

type Ctx = Context<AppEnv>;

export function readsAll(c: Ctx): boolean {
  return readsEverything(c.var.principal.grants);
}

export function canReadSubject(c: Ctx, context: string, subject: string): boolean {
  return allows(c.var.principal.grants, 'reader', { kind: 'subject', context, subject });
}

export function canSeeContext(c: Ctx, context: string): boolean {
  return readsInContext(c.var.principal.grants, context);
}

/** 40403 (as for a missing id) unless some subject using the schema is readable by the caller. */
export async function assertSchemaVisible(c: Ctx, context: string, id: number, error = errors.schemaNotFound(id)): Promise<void> {
  if (readsAll(c)) return;
  if (!canSeeContext(c, context)) throw error;
  const usages = await c.var.reader.usagesOf(context, id, { deleted: true });
  if (!usages.some((u) => canReadSubject(c, context, u.subject))) throw error;
}

/** The ids (in one context) the caller may read, in their order. */
export async function visibleIds(c: Ctx, context: string, ids: number[]): Promise<number[]> {
  if (readsAll(c)) return ids;
  const out: number[] = [];
  for (const id of ids) {
    const usages = await c.var.reader.usagesOf(context, id, { deleted: true });
    if (usages.some((u) => canReadSubject(c, context, u.subject))) out.push(id);
  }
  return out;
}
