/**
 * Bounds on the work one schema (or one payload) can cause. Hostile input hits these and gets a
 * SchemaParseError (registration, compatibility: 42201), a thrown 42201 (validation that would
 * need more steps than its budget) or a validation error (payload), never a hang or a stack overflow.
 * Documented in docs/json-schema.md ("Limits").
 */
export const JSON_LIMITS = {
  /** Schema text length in UTF-16 code units (the referenced documents each have the same bound). */
  maxSchemaChars: 1_048_576,
  /** Nesting of arrays/objects in a schema document. Real schemas rarely pass 30. */
  maxSchemaDepth: 128,
  /** Number of documents a schema may pull in through references, transitively. */
  maxReferencedDocuments: 256,
  /** Schema nodes compiled for one validator (guards against exploding $ref graphs). */
  maxCompiledNodes: 100_000,
  /**
   * Subschemas compiled inside one another: compilation recurses through properties, items and
   * chains of distinct `$ref` targets (a cycle stops at the first repeat), and the stack must hold.
   */
  maxCompileDepth: 400,
  /**
   * Subschemas one value is checked against at one place (the node itself plus, recursively, its
   * allOf/anyOf/oneOf/not/if/then/else/dependent schemas and $ref targets). Shared definitions
   * are compiled once, but each use is evaluated again: `d1 = allOf[d0, d0]`, 30 levels deep,
   * is 2^30 checks per value. Without sharing a schema cannot exceed maxCompiledNodes here, so
   * only such fan-out hits this bound, at registration.
   */
  maxExpandedSubschemas: 100_000,
  /**
   * Subschema evaluations in one validation pass (validate() runs a fast pass and, for an invalid
   * document, an error-collecting pass). Cost is schema fan-out times document size; honest
   * schemas take a few per JSON value of the document (a 1 MiB document is at most ~300k values).
   */
  maxValidationSteps: 10_000_000,
  /**
   * Regular expression work per request (all documents of a batch, all candidates of a model
   * output, all names × patterns of a compatibility check), in units of one automaton instruction on
   * one character, as validator/regex.ts meters it. Separate from maxValidationSteps.
   */
  maxRegexSteps: 1_000_000,
  /** Errors created in one error-collecting pass; past it the list is cut with a `maxErrors` entry. */
  maxValidationErrors: 10_000,
  /** Length of one `pattern` / `patternProperties` regular expression source. */
  maxPatternLength: 4096,
  /** Nesting of the validated instance (payload); deeper payloads are rejected, not recursed into. */
  maxInstanceDepth: 256,
  /** Dynamic nesting of `$ref` during one validation: breaks infinite `$ref` loops at validation time. */
  maxRefDepth: 512,
  /** Compatibility: distinct (original, update) subschema pairs compared (each pair once, memoized). */
  maxCompatPairs: 50_000,
  /** Compatibility: nested pair comparisons (a chain of distinct `$ref`s). */
  maxCompatDepth: 400,
  /**
   * Compatibility: differences materialized, copies included. A memoized pair's differences are
   * re-based onto every path that reaches it, so a shared definition used twice per level for 30
   * levels would be listed 2^30 times.
   */
  maxCompatDifferences: 200_000,
} as const;
