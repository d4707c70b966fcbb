/** Read-side lookups shared by routes: subject versions with Confluent's 40401/40402 semantics. */
import { errors } from '../domain/errors';
import type { VersionId } from '../domain/version-id';
import type { StoredVersion } from '../storage/records';
import type { RegistryReader } from '../storage/registry-reader';

export async function subjectVersion(
  reader: RegistryReader,
  context: string,
  subject: string,
  qualified: string,
  version: VersionId,
  includeDeleted: boolean,
): Promise<StoredVersion> {
  const versions = await reader.versions(context, subject, { deleted: includeDeleted });
  if (versions.length === 0) throw errors.subjectNotFound(qualified);
  const found = version === 'latest' ? versions.at(-1) : versions.find((v) => v.version === version);
  if (!found) throw errors.versionNotFound(version);
  return found;
}
