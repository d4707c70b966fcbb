/**
 * The contract every schema format (Avro, JSON Schema, Protobuf) implements.
 * Pure: no env, no I/O. The registry core only talks to formats through this file.
 */

export type SchemaType = 'AVRO' | 'JSON' | 'PROTOBUF';
export const SCHEMA_TYPES: readonly SchemaType[] = ['AVRO', 'JSON', 'PROTOBUF'];

/** A reference as Confluent sends it: `name` is format-specific (Avro full name, JSON $ref URL, proto import path). */
export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

/**
 * A reference resolved by the registry: the referenced schema's text, and its own
 * references already resolved (the graph is acyclic by construction: a reference
 * can only name a version that already exists).
 */
export interface ResolvedReference extends SchemaReference {
  schema: string;
  references: ResolvedReference[];
}

/** Compatibility direction for one pair of schemas. FULL = both. */
export type Direction = 'BACKWARD' | 'FORWARD' | 'FULL';

/** A parsed, validated schema. Opaque to the core except for these members. */
export interface ParsedSchema {
  readonly type: SchemaType;
  /**
   * The text Confluent stores and returns for this schema (Avro: Schema.toString() compact JSON;
   * JSON: compact JSON of the document; Protobuf: re-printed text). Identity is this string plus
   * the references, so two spellings of the same schema get the same id exactly where Confluent's do.
   */
  readonly canonical: string;
  /** The same, after `normalize=true` (Confluent's normalize(): deeper rewriting, e.g. sorted keys, inlined defaults). */
  normalized(): string;
}

export interface SchemaFormat<P extends ParsedSchema = ParsedSchema> {
  readonly type: SchemaType;
  /**
   * Parse and validate. Throws SchemaParseError (-> 42201) with a message that names the problem.
   * `references` are the direct references with their transitive closure resolved.
   */
  parse(text: string, references: ResolvedReference[], options?: ParseOptions): P;
  /**
   * Incompatibilities between `candidate` (the new schema) and `previous` (an existing one) for one
   * direction, as Confluent's verbose messages, e.g. for Avro
   * `{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'...', additionalInfo:'f2'}`.
   * BACKWARD: candidate reads data written with previous. FORWARD: previous reads candidate's data.
   * Empty = compatible.
   */
  compatibility(candidate: P, previous: P, direction: Direction, options?: CompatibilityOptions): string[];
  /**
   * Confluent's `?format=` renderings (ParsedSchema.formattedString): Avro `resolved` (references
   * inlined), Protobuf `serialized` (base64 FileDescriptorProto). Undefined = not a format of this type.
   */
  formatted?(parsed: P, format: string): string | undefined;
}

/** Confluent's `isNew`: stored schemas are re-read leniently (e.g. Avro skips default validation). */
export interface ParseOptions {
  isNew?: boolean;
}

/** Per-subject knobs from config that change how a format compares schemas. */
export interface CompatibilityOptions {
  /** JSON Schema only (Confluent `compatibilityPolicy`): STRICT is the default. */
  policy?: 'STRICT' | 'LENIENT';
}

/**
 * One pair of schemas in one direction, as every format reports it. BACKWARD: the candidate reads
 * data written with the previous schema; FORWARD: the reverse; FULL: both, with the forward
 * messages first (Confluent's SchemaValidatorBuilder.mutualReadStrategy order).
 */
export function inDirection(direction: Direction, backward: () => string[], forward: () => string[]): string[] {
  switch (direction) {
    case 'BACKWARD':
      return backward();
    case 'FORWARD':
      return forward();
    case 'FULL':
      return [...forward(), ...backward()];
  }
}
