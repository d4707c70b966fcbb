/**
 * Bounds on the work one schema (or one payload) can cause. Hostile input hits these and gets a
 * SchemaParseError (registration) or a validation error (payload), never a hang or a stack overflow.
 * Documented in docs/json-schema.md.
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
  /** Length of one `pattern` / `patternProperties` regular expression source. */
  maxPatternLength: 4096,
  /** Nesting of the validated instance (payload); deeper payloads are rejected, not recursed into. */
  maxInstanceDepth: 256,
  /** Dynamic nesting of `$ref` during one validation: breaks infinite `$ref` loops at validation time. */
  maxRefDepth: 512,
} as const;
