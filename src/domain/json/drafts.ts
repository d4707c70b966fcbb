/**
 * Which draft a document is written in. `$schema` selects; without it (or with a URI we do not know)
 * the default is draft-07, as in Confluent (JsonSchema.rawSchema(): SpecificationVersion.DRAFT_7
 * unless `$schema` names another known draft).
 */
import type { Draft } from './types';

export const DEFAULT_DRAFT: Draft = 'draft-07';

/** Canonical meta-schema URI of each draft (no trailing '#'). */
export const META_SCHEMA_URI: Record<Draft, string> = {
  'draft-04': 'http://json-schema.org/draft-04/schema',
  'draft-06': 'http://json-schema.org/draft-06/schema',
  'draft-07': 'http://json-schema.org/draft-07/schema',
  '2019-09': 'https://json-schema.org/draft/2019-09/schema',
  '2020-12': 'https://json-schema.org/draft/2020-12/schema',
};

/** Ordering of drafts, for "keyword exists since draft N" checks. */
export const DRAFT_RANK: Record<Draft, number> = {
  'draft-04': 4,
  'draft-06': 6,
  'draft-07': 7,
  '2019-09': 8,
  '2020-12': 9,
};

/**
 * The draft a `$schema` value names, or undefined if it names none we know. http and https, with or
 * without the trailing empty fragment, are accepted for every draft (people write both).
 */
export function draftFromSchemaUri(uri: unknown): Draft | undefined {
  if (typeof uri !== 'string') return undefined;
  const u = uri
    .trim()
    .replace(/#$/, '')
    .replace(/^https?:\/\//, '');
  switch (u) {
    case 'json-schema.org/draft-04/schema':
      return 'draft-04';
    case 'json-schema.org/draft-06/schema':
      return 'draft-06';
    case 'json-schema.org/draft-07/schema':
      return 'draft-07';
    case 'json-schema.org/draft/2019-09/schema':
      return '2019-09';
    case 'json-schema.org/draft/2020-12/schema':
      return '2020-12';
    default:
      return undefined;
  }
}

/** The draft of a document: its `$schema` if known, else `fallback`. */
export function draftOf(doc: unknown, fallback: Draft = DEFAULT_DRAFT): Draft {
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) {
    const d = draftFromSchemaUri((doc as Record<string, unknown>).$schema);
    if (d) return d;
  }
  return fallback;
}
