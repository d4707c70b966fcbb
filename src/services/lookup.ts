/** Read-side lookups shared by routes: subject versions with Confluent's 40401/40402 semantics. */
import { errors } from '../domain/errors';
import type { VersionId } from '../domain/version-id';
import type { StoredVersion } from '../storage/records';
import type { RegistryReader } from '../storage/registry-reader';

/**
 * One subject version in one query on the happy path: 40401 when the subject has no (live)
 * versions, 40402 when it has but not this one (the second query runs only then).
 */
export async function subjectVersion(
  reader: RegistryReader,
  context: string,
  subject: string,
  qualified: string,
  version: VersionId,
  includeDeleted: boolean,
): Promise<StoredVersion> {
  if (version === 'latest') {
    const latest = await reader.latest(context, subject, includeDeleted);
    if (!latest) throw errors.subjectNotFound(qualified);
    return latest;
  }
  const found = await reader.version(context, subject, version);
  if (found && (includeDeleted || !found.deleted)) return found;
  if (!(await reader.latest(context, subject, includeDeleted))) throw errors.subjectNotFound(qualified);
  throw errors.versionNotFound(version);
}
