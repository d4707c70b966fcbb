import type { JsonParsedSchema, Draft } from '../../../src/domain/json/types';
import { schemaDiff } from '../../../src/domain/json/compat';

/** A JsonParsedSchema built directly from a document (no parser involved). */
export function schema(root: unknown, opts: { draft?: Draft; referenced?: Record<string, unknown> } = {}): JsonParsedSchema {
  const canonical = JSON.stringify(root);
  return {
    type: 'JSON',
    canonical,
    normalized: () => canonical,
    draft: opts.draft ?? 'draft-07',
    root,
    referenced: new Map(Object.entries(opts.referenced ?? {})),
  };
}

/** All differences of diff(original, update) as Confluent's test files write them: "TYPE #/path". */
export function changes(original: unknown, update: unknown, draft: Draft = 'draft-07'): string[] {
  return schemaDiff(schema(original, { draft }), schema(update, { draft })).map((d) => `${d.type} ${d.path}`);
}

export const D2020 = 'https://json-schema.org/draft/2020-12/schema';
