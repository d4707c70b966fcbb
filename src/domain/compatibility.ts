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

/** The direction a level compares in (FULL for FULL and FULL_TRANSITIVE); none for NONE. */
export function directionOf(level: CompatibilityLevel): Direction | undefined {
  if (level === 'NONE') return undefined;
  return level.replace('_TRANSITIVE', '') as Direction;
}

/**
 * The versions a level compares a candidate with, in Confluent's order: the latest alone, or for
 * transitive levels every one, newest first. `history` is ascending by version; any version-like
 * rows will do, so a caller can walk a history whose schemas it has not read or parsed yet.
 */
export function comparedVersions<T>(level: CompatibilityLevel, history: readonly T[]): T[] {
  if (!directionOf(level) || history.length === 0) return [];
  return level.endsWith('_TRANSITIVE') ? [...history].reverse() : history.slice(-1);
}

/**
 * The messages for one previous schema at `level`: the format's differences followed by
 * `{oldSchemaVersion: n}`, `{oldSchema: '...'}` and `{validateFields: 'false', compatibility: 'LEVEL'}`.
 * Empty = compatible with it.
 */
export function incompatibilities(
  format: SchemaFormat,
  level: CompatibilityLevel,
  candidate: ParsedSchema,
  previous: HistoricSchema,
  options: CompatibilityOptions = {},
): string[] {
  const direction = directionOf(level);
  if (!direction) return [];
  const messages =
    previous.parsed.type !== candidate.type
      ? [`{errorType:'SCHEMA_TYPE_MISMATCH', description:'Incompatible because of different schema type', additionalInfo:'${candidate.type}'}`]
      : format.compatibility(candidate, previous.parsed, direction, options);
  if (messages.length === 0) return [];
  return [
    ...messages,
    `{oldSchemaVersion: ${previous.version}}`,
    `{oldSchema: '${previous.parsed.canonical}'}`,
    `{validateFields: 'false', compatibility: '${level}'}`,
  ];
}

/**
 * Check `candidate` against `history` (ascending by version) at `level`: Confluent's message list,
 * describing the first incompatible previous schema (Confluent stops there). Empty = compatible.
 * services/compatibility-check.ts walks the same way one version at a time, so that it reads and
 * parses only as far as it has to.
 */
export function checkCompatibility(
  format: SchemaFormat,
  level: CompatibilityLevel,
  candidate: ParsedSchema,
  history: HistoricSchema[],
  options: CompatibilityOptions = {},
): string[] {
  for (const previous of comparedVersions(level, history)) {
    const messages = incompatibilities(format, level, candidate, previous, options);
    if (messages.length > 0) return messages;
  }
  return [];
}
