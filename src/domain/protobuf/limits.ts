/**
 * Bounds on the work one Protobuf schema (with its imports) can cause. Past them the registry
 * answers 42201 (SchemaParseError) with a message naming the bound, never a hang; the JSON
 * validator reports its bounds as validation errors. Documented in docs/protobuf.md ("Limits").
 *
 * Types are referenced by name and printed once each, so the canonical, normalized and
 * serialized forms are linear in the files; the JSON validator checks each document value against
 * one type, so it is linear in the document. What can multiply is the compatibility diff, which
 * follows message-typed fields into referenced files: bounded below, and memoized per type pair.
 */
export const PROTOBUF_LIMITS = {
  /** Characters of one .proto text (each imported file has the same bound). */
  maxSchemaChars: 1_000_000,
  /** Nesting of messages (and blocks) in one file. */
  maxNesting: 64,
  /** Nesting of aggregate option values (`{ a: { b: ... } }`). */
  maxOptionDepth: 32,
  /** Files one schema loads: references and bundled imports, transitively. */
  maxFiles: 256,
  /** How deep references nest. */
  maxReferenceDepth: 32,
  /** Elements of a base64 FileDescriptorProto (messages, fields, enums, values, ...). */
  maxDescriptorElements: 100_000,
  /** Compatibility: messages and fields compared, over every referenced type the diff follows. */
  maxDiffSteps: 200_000,
  /** Compatibility: referenced message types followed inside one another (each level is a recursion). */
  maxDiffDepth: 256,
  /**
   * Compatibility: differences materialized, copies included. A referenced message used by two
   * fields at each of 30 levels would repeat its differences 2^30 times.
   */
  maxDiffDifferences: 200_000,
  /** JSON validator: document nesting, and errors listed per document. */
  maxDocumentDepth: 64,
  maxValidationErrors: 100,
} as const;
