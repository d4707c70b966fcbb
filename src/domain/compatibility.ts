/**
 * Compatibility levels and the history walk Confluent applies on register and on
 * POST /compatibility (CompatibilityChecker): non-transitive levels compare with the latest
 * version only, transitive ones with every live version, newest first. Format-specific rules
 * live in each format's `compatibility()`.
 */
import type { CompatibilityOptions, Direction, ParsedSchema, SchemaFormat } from './format';

const COMPATIBILITY_LEVELS = ['NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE'] as const;
export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];
export const DEFAULT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD';

export function isCompatibilityLevel(v: unknown): v is CompatibilityLevel {
  return typeof v === 'string' && (COMPATIBILITY_LEVELS as readonly string[]).includes(v);
}

export interface HistoricSchema {
  version: number;
  parsed: ParsedSchema;
}

function directionOf(level: CompatibilityLevel): Direction | undefined {
  if (level === 'NONE') return undefined;
  return level.replace('_TRANSITIVE', '') as Direction;
}

/**
 * Check `candidate` against `history` (ascending by version) at `level`. Answers Confluent's
 * message list: per failing previous schema, the format's differences followed by
 * `{oldSchemaVersion: n}`, `{oldSchema: '...'}` and `{validateFields: 'false', compatibility: 'LEVEL'}`. Empty = compatible.
 */
export function checkCompatibility(
  format: SchemaFormat,
  level: CompatibilityLevel,
  candidate: ParsedSchema,
  history: HistoricSchema[],
  options: CompatibilityOptions = {},
): string[] {
  const direction = directionOf(level);
  if (!direction || history.length === 0) return [];
  const against = level.endsWith('_TRANSITIVE') ? [...history].reverse() : history.slice(-1);
  for (const previous of against) {
    let messages: string[];
    if (previous.parsed.type !== candidate.type) {
      messages = [
        `{errorType:'SCHEMA_TYPE_MISMATCH', description:'Incompatible because of different schema type', additionalInfo:'${candidate.type}'}`,
      ];
    } else {
      messages = format.compatibility(candidate, previous.parsed, direction, options);
    }
    if (messages.length > 0) {
      // Confluent stops at the first incompatible previous schema and describes it.
      return [
        ...messages,
        `{oldSchemaVersion: ${previous.version}}`,
        `{oldSchema: '${previous.parsed.canonical}'}`,
        `{validateFields: 'false', compatibility: '${level}'}`,
      ];
    }
  }
  return [];
}
