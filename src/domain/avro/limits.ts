/**
 * Bounds on the work one Avro schema (with its references) can cause. Past them the registry
 * answers 42201 with a message naming the bound, never a hang. Documented in docs/avro.md ("Limits").
 *
 * Named types are shared nodes (a name used twice is one node), and every walk that prints or
 * compares schemas prints a named type once and memoizes compared pairs, so canonical, normalized
 * and `?format=resolved` texts are linear in the schema. What can still multiply is bounded here.
 */
export const AVRO_LIMITS = {
  /** JSON nesting of one schema text. */
  maxDepth: 200,
  /** Schema nodes created across the schema and its references (primitives included). */
  maxNodes: 100_000,
  /** References pulled in, transitively, and how deep they nest. */
  maxReferences: 1000,
  maxReferenceDepth: 64,
  /** Default-value validation: nesting, and checks (a record default that omits fields re-checks their defaults). */
  maxDefaultDepth: 512,
  maxDefaultSteps: 1_000_000,
  /** Compatibility: (reader, writer) pair evaluations (each pair once, memoized). */
  maxCompatSteps: 200_000,
  /**
   * Compatibility: incompatibilities materialized, copies included. A memoized pair's list is
   * appended again wherever the pair recurs, so a record type used by two fields at each of 30
   * levels would list one change 2^30 times.
   */
  maxCompatIncompatibilities: 200_000,
} as const;
