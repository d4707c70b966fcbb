/**
 * Compatibility of a prepared schema against a subject's live history, at the subject's level.
 * With a compatibility group only the versions of the candidate's group take part
 * (isCompatibleWithPrevious); the candidate's metadata is the one it will be stored with. Only the
 * texts of the versions the level compares with are read (a history carries the latest's).
 */
import { type CompatibilityLevel, checkCompatibility } from '../domain/compatibility';
import { sameCompatibilityGroup } from '../domain/data-contract';
import { formatFor } from '../domain/formats';
import { type JsonCompatibilityOptions, workBudget } from '../domain/json/index';
import type { VersionHead } from '../storage/records';
import type { RegistryReader } from '../storage/registry-reader';
import { withTexts } from './history';
import { parseStored, type PreparedSchema } from './schemas';

export async function compatibilityMessages(
  reader: RegistryReader,
  candidate: PreparedSchema,
  history: VersionHead[],
  level: CompatibilityLevel,
  policy: 'STRICT' | 'LENIENT',
  group?: string,
): Promise<string[]> {
  history = sameCompatibilityGroup(candidate.metadata, history, group);
  if (level === 'NONE' || history.length === 0) return [];
  // Only parse what the level will look at: the latest, or all for transitive levels.
  const relevant = await withTexts(reader, level.endsWith('_TRANSITIVE') ? history : history.slice(-1));
  const parsed = await Promise.all(relevant.map(async (v) => ({ version: v.version, parsed: await parseStored(reader, v) })));
  // one work budget for the whole check: every version a *_TRANSITIVE level compares with spends
  // from it (JSON Schema reads it; the other formats ignore it)
  const options: JsonCompatibilityOptions = { policy, budget: workBudget() };
  return checkCompatibility(formatFor(candidate.schemaType), level, candidate.parsed, parsed, options);
}
