/**
 * Avro-side errors. Inside the parser, problems are raised as AvroError carrying the message Avro
 * Java's exception would carry (SchemaParseException / AvroTypeException / AvroRuntimeException).
 * At the format boundary they become AvroParseError (a SchemaParseError -> 42201) whose message
 * follows Confluent's KafkaSchemaRegistry.parseSchemaOrElseThrow wording:
 *   "Invalid schema <schema> with refs <refs> of type AVRO, details: <avro message>"
 * `detail` keeps the bare Avro message for callers that build their own text.
 */
import { SchemaParseError } from '../errors';
import type { SchemaReference } from '../format';

export class AvroError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AvroError';
  }
}

/** Confluent echoes the whole schema; we cap the echo so a hostile input cannot bloat responses. */
const MAX_ECHO = 10 * 1024;

export class AvroParseError extends SchemaParseError {
  constructor(
    readonly detail: string,
    schemaText: string,
    references: readonly SchemaReference[],
  ) {
    super(
      `Invalid schema ${schemaText.length > MAX_ECHO ? schemaText.slice(0, MAX_ECHO) + '...' : schemaText}` +
        ` with refs ${referencesToString(references)} of type AVRO, details: ${detail}`,
    );
    this.name = 'AvroParseError';
  }
}

/** java.util.List<SchemaReference>.toString() as Confluent prints it. */
function referencesToString(refs: readonly SchemaReference[]): string {
  return '[' + refs.map((r) => `{name='${r.name}', subject='${r.subject}', version=${r.version}}`).join(', ') + ']';
}
