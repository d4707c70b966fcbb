/** Read-side lookups shared by routes: subject versions with Confluent's 40401/40402 semantics. */
import { errors } from '../domain/errors';
import type { VersionId } from '../domain/version-id';
import type { StoredVersion } from '../domain/entities';
import type { RegistryReader } from '../storage/registry-reader';

/**
 * One subject version in one query on the happy path: 40401 when the subject has no (live)
 * versions, 40402 when it has but not this one (the second query runs only then). `latest` is
 * always the latest LIVE version, even with deleted=true (Confluent getLatestVersion); a subject
 * with only soft-deleted versions answers 40402 "Version -1 not found." then.
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
    const latest = await reader.latest(context, subject);
    if (latest) return latest;
    if (includeDeleted && (await reader.latest(context, subject, true))) throw errors.versionNotFound(-1);
    throw errors.subjectNotFound(qualified);
  }
  const found = await reader.version(context, subject, version);
  if (found && (includeDeleted || !found.deleted)) return found;
  if (!(await reader.latest(context, subject, includeDeleted))) throw errors.subjectNotFound(qualified);
  throw errors.versionNotFound(version);
}
