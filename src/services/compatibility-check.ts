/** Compatibility of a prepared schema against a subject's live history, at the subject's level. */
import { type CompatibilityLevel, checkCompatibility } from '../domain/compatibility';
import { formatFor } from '../domain/formats';
import { type JsonCompatibilityOptions, workBudget } from '../domain/json/index';
import type { StoredVersion } from '../storage/records';
import type { RegistryReader } from '../storage/registry-reader';
import { parseStored, type PreparedSchema } from './schemas';

export async function compatibilityMessages(
  reader: RegistryReader,
  candidate: PreparedSchema,
  history: StoredVersion[],
  level: CompatibilityLevel,
  policy: 'STRICT' | 'LENIENT',
): Promise<string[]> {
  if (level === 'NONE' || history.length === 0) return [];
  // Only parse what the level will look at: the latest, or all for transitive levels.
  const relevant = level.endsWith('_TRANSITIVE') ? history : history.slice(-1);
  const parsed = await Promise.all(relevant.map(async (v) => ({ version: v.version, parsed: await parseStored(reader, v) })));
  // one work budget for the whole check: every version a *_TRANSITIVE level compares with spends
  // from it (JSON Schema reads it; the other formats ignore it)
  const options: JsonCompatibilityOptions = { policy, budget: workBudget() };
  return checkCompatibility(formatFor(candidate.schemaType), level, candidate.parsed, parsed, options);
}
