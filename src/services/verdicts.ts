/**
 * "Compatible" verdicts remembered per isolate, so a check that was answered before is not parsed
 * and compared again: the second check of the same candidate (a CI pipeline's test-compatibility on
 * every build), and the registration that follows a check, against a history of 1,000 versions cost
 * parsing 20 MB of Avro per request otherwise (docs/performance.md, the versions curve).
 *
 * A verdict is a pure function of the two schemas' contents, the direction and the policy, so it is
 * keyed by content only, never by where the schemas live:
 * - the candidate by a digest of what it was parsed from (its type, the text as sent, and its
 *   resolved references' texts: PreparedSchema.parsedFrom);
 * - a previous version by its context and identity hash (SHA-256 of its type, text, references,
 *   metadata and rule set; one schema row per context and hash). A version with references is not
 *   remembered: its hash names them by subject and version, and a version number can be
 *   hard-deleted and registered again with other content.
 *
 * Only "compatible" is kept (an incompatible answer carries messages that name the version), only
 * once the check answers (compatibility-check.ts: a check refused part-way leaves none), and
 * checking the cache changes no answer: the walk still stops at the first incompatible version,
 * newest first, since every version it skips is compatible.
 */
import { type CompatibilityLevel, directionOf } from '../domain/compatibility';
import type { VersionHead } from '../domain/entities';
import type { CompatibilityOptions } from '../domain/format';
import { BoundedCache } from './bounded-cache';
import { type PreparedSchema, parsedFromDigest } from './schemas';

/** Two full histories (MAX_VERSIONS_PER_SUBJECT is 10,000 by default): about 6 MB of keys (two 64-digit hashes and a context each) at most. */
const MAX_VERDICTS = 20_000;
const compatible = new BoundedCache<true>(MAX_VERDICTS, MAX_VERDICTS);

export interface Verdicts {
  /** Whether the candidate was found compatible with `previous` before (in this direction and policy). */
  known(previous: VersionHead): boolean;
  remember(previous: VersionHead): void;
}

/** Verdicts of nothing: a check that compares with no version (none kept, none computed). */
export const NO_VERDICTS: Verdicts = { known: () => false, remember: () => {} };

type Policy = NonNullable<CompatibilityOptions['policy']>;

/** The verdicts of one candidate at one level and policy (none remembered for a level that compares nothing). */
export async function verdictsOf(candidate: PreparedSchema, level: CompatibilityLevel, policy: Policy): Promise<Verdicts> {
  const direction = directionOf(level);
  if (direction === undefined) return NO_VERDICTS;
  const prefix = `${await parsedFromDigest(candidate)}\u0000${direction}\u0000${policy}\u0000`;
  // Within a context a hash names one schema row (a unique index), whose text never changes.
  const keyOf = (previous: VersionHead) =>
    previous.references.length > 0 ? undefined : `${prefix}${previous.context}\u0000${previous.schemaType}\u0000${previous.hash}`;
  return {
    known(previous) {
      const key = keyOf(previous);
      return key !== undefined && compatible.get(key) === true;
    },
    remember(previous) {
      const key = keyOf(previous);
      if (key !== undefined) compatible.set(key, true);
    },
  };
}

/** Tests: forget every verdict. */
export function forgetVerdicts(): void {
  compatible.clear();
}
