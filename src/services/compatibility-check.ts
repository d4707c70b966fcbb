/**
 * Compatibility of a prepared schema against a subject's live history, at the subject's level.
 * With a compatibility group only the versions of the candidate's group take part
 * (isCompatibleWithPrevious); the candidate's metadata is the one it will be stored with.
 *
 * The walk is Confluent's (domain/compatibility.ts: the latest, or every version newest first,
 * stopping at the first incompatible one), done one version at a time: texts are read in slices
 * of at most TEXT_SLICE_BYTES and SLICE_VERSIONS versions (with their references, in parallel) and
 * each version is parsed when it is compared, so a transitive check holds one slice and one parsed
 * schema beyond the parse cache, never the whole history (a parsed schema takes 6 to 48 times its
 * text's size, HEAP_PER_SCHEMA_CHAR: 1,000 versions of 20 KB would be 120 MB to 1 GB, against an
 * isolate's 128 MB), and an incompatible version ends the reading there. Versions the candidate
 * was already found compatible with in this isolate are skipped (verdicts.ts).
 */
import { type CompatibilityLevel, comparedVersions, incompatibilities } from '../domain/compatibility';
import { sameCompatibilityGroup } from '../domain/data-contract';
import { formatFor } from '../domain/formats';
import { type JsonCompatibilityOptions, workBudget } from '../domain/json/index';
import type { VersionHead } from '../storage/records';
import type { RegistryReader } from '../storage/registry-reader';
import { withTexts } from './history';
import { type PreparedSchema, storedParsers } from './schemas';
import { NO_VERDICTS, verdictsOf } from './verdicts';

/** The most schema text one read of a transitive check brings in (a version larger than this comes alone). */
export const TEXT_SLICE_BYTES = 1024 * 1024;
/** The most versions in one slice: their references are resolved together and held until it is walked. */
export const SLICE_VERSIONS = 100;

export async function compatibilityMessages(
  reader: RegistryReader,
  candidate: PreparedSchema,
  history: VersionHead[],
  level: CompatibilityLevel,
  policy: 'STRICT' | 'LENIENT',
  group?: string,
): Promise<string[]> {
  const compared = comparedVersions(level, sameCompatibilityGroup(candidate.metadata, history, group));
  const format = formatFor(candidate.schemaType);
  // one work budget for the whole check: every version a *_TRANSITIVE level compares with spends
  // from it (JSON Schema reads it; the other formats ignore it)
  const options: JsonCompatibilityOptions = { policy, budget: workBudget() };
  // Versions this candidate was found compatible with before are neither read nor parsed again
  // (verdicts.ts); skipping them keeps the order, so the first incompatible one is still the one.
  // (a check with nothing to compare, a new subject's registration, does not digest the candidate)
  const verdicts = compared.length > 0 ? await verdictsOf(candidate, level, policy) : NO_VERDICTS;
  const unknown = compared.filter((v) => !verdicts.known(v));
  // Kept only once the check answers: a check refused part-way (its work budget, storage) leaves
  // nothing behind, so asking again is refused again.
  const compatible: VersionHead[] = [];
  const answer = (messages: string[]) => {
    for (const v of compatible) verdicts.remember(v);
    return messages;
  };
  for (const slice of slices(unknown)) {
    const versions = await withTexts(reader, slice);
    const parsers = await storedParsers(reader, versions);
    for (const [i, previous] of versions.entries()) {
      const messages = incompatibilities(format, level, candidate.parsed, { version: previous.version, parsed: parsers[i]() }, options);
      if (messages.length > 0) return answer(messages);
      compatible.push(previous);
    }
  }
  return answer([]);
}

/** Consecutive runs of at most SLICE_VERSIONS versions whose unread texts add up to at most TEXT_SLICE_BYTES. */
function* slices(versions: VersionHead[]): Generator<VersionHead[]> {
  let slice: VersionHead[] = [];
  let bytes = 0;
  for (const v of versions) {
    const unread = v.schema === undefined ? v.bytes : 0;
    if (slice.length === SLICE_VERSIONS || (slice.length > 0 && bytes + unread > TEXT_SLICE_BYTES)) {
      yield slice;
      slice = [];
      bytes = 0;
    }
    slice.push(v);
    bytes += unread;
  }
  if (slice.length > 0) yield slice;
}
