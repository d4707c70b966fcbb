import type { ParsedSchema } from '../format';

/** JSON Schema drafts we accept; `$schema` selects, default documented in docs/json-schema.md. */
export type Draft = 'draft-04' | 'draft-06' | 'draft-07' | '2019-09' | '2020-12';

/** A parsed JSON Schema (the JSON format's ParsedSchema). */
export interface JsonParsedSchema extends ParsedSchema {
  readonly type: 'JSON';
  readonly draft: Draft;
  /** The schema document (object or boolean), as parsed. */
  readonly root: unknown;
  /** Referenced schemas by reference `name` (the `$ref` URL used in the document), transitively. */
  readonly referenced: ReadonlyMap<string, unknown>;
  /**
   * Confluent's `isNew`: false when the schema was re-read from storage (ParseOptions). Then a
   * `pattern` / `patternProperties` regex the linear-time engine refuses does not fail the parse:
   * validating against it answers a validation error, and compatibility matches nothing with it.
   * Absent: a new schema.
   */
  readonly isNew?: boolean;
}
