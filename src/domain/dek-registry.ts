/**
 * The DEK registry's rules, pure (docs/dek-registry.md). Ported from Confluent's dek-registry
 * module (confluentinc/schema-registry, `dek-registry/src/main/java/io/confluent/dekregistry/`):
 * names and subjects as `DekRegistryResource.checkName`/`checkSubject` accept them, KMS types as
 * `AbstractDekRegistry.normalizeKmsType` writes them, key ids as `CreateKekRequest.validate`
 * checks them, and the error texts of `DekRegistryErrors`.
 */
import { ErrorCode, RegistryError } from './errors';
import { parseSubject, type QualifiedSubject } from './naming';

/** Confluent's DekFormat. */
export const DEK_FORMATS = ['AES128_GCM', 'AES256_GCM', 'AES256_SIV'] as const;
export type DekFormat = (typeof DEK_FORMATS)[number];
/** A DEK created or looked up without `algorithm` (AbstractDekRegistry: `DekFormat.AES256_GCM`). */
export const DEFAULT_ALGORITHM: DekFormat = 'AES256_GCM';

/** `dek.registry.max.keys` (DekRegistryConfig default): per kind, KEKs and DEKs. */
export const MAX_KEYS = 20_000;
/** DekRegistryResource.NAME_MAX_LENGTH. */
const NAME_MAX_LENGTH = 256;
/** Our bounds (Confluent has none): a subject as `checkSubjectName` bounds it, wrapped key material. */
const SUBJECT_MAX_LENGTH = 1024;
export const KEY_MATERIAL_MAX_LENGTH = 65_536;

/** The Kek entity as Confluent renders it (Jackson NON_NULL: `doc` and `deleted` only when set). */
export interface Kek {
  name: string;
  kmsType: string;
  kmsKeyId: string;
  kmsProps?: Record<string, string>;
  doc?: string;
  shared: boolean;
  ts: number;
  deleted?: true;
}

/** The Dek entity (`keyMaterial` never: only a shared KEK's DEKs carry it, and those need a KMS). */
export interface Dek {
  kekName: string;
  subject: string;
  version: number;
  algorithm: DekFormat;
  encryptedKeyMaterial?: string;
  ts: number;
  deleted?: true;
}

export const dekErrors = {
  keyNotFound: (name: string) => new RegistryError(ErrorCode.KEY_NOT_FOUND, `Key '${name}' not found`),
  keyNotSoftDeleted: (name: string) =>
    new RegistryError(ErrorCode.KEY_NOT_SOFT_DELETED, `Key '${name}' was not deleted first before being permanently deleted`),
  keySoftDeleted: (name: string) => new RegistryError(ErrorCode.KEY_SOFT_DELETED, `Key '${name}' must be undeleted first`),
  alreadyExists: (name: string) => new RegistryError(ErrorCode.KEY_ALREADY_EXISTS, `Key '${name}' already exists; use a different value`),
  tooManyKeys: () => new RegistryError(ErrorCode.TOO_MANY_KEYS, `A maximum of ${MAX_KEYS} keys already exist`),
  invalidKey: (field: string) => new RegistryError(ErrorCode.INVALID_KEY, `Invalid or missing value for field '${field}' of key`),
  referenceExists: (name: string) => new RegistryError(ErrorCode.KEY_REFERENCE_EXISTS, `One or more references exist to the key '${name}'`),
  /**
   * What Confluent answers when its KMS refuses it (RestDekGenerationForbiddenException, 40370):
   * here the registry holds no KMS credentials, so anything that would make Confluent call the KMS
   * (a shared KEK's DEKs, testing a shared KEK) is refused the same way.
   */
  kmsUnavailable: (what: string) =>
    new RegistryError(
      ErrorCode.DEK_GENERATION_FORBIDDEN,
      `Could not generate ${what}: this registry holds no KMS credentials, so it cannot use shared KEKs; ` +
        'create the KEK with shared=false and let the client encrypt its DEKs with its own KMS',
    ),
};

/** DekRegistryResource.checkName: a letter or `_` first, then letters, digits, `_`, `-`; at most 256. */
export function checkKekName(name: string): string {
  if (!name || name.length > NAME_MAX_LENGTH || !/^[\p{L}_][\p{L}\p{Nd}_-]*$/u.test(name)) throw dekErrors.invalidKey('name');
  return name;
}

/** DekRegistryResource.checkSubject (non-empty, no ISO control character), then split into context and subject. */
export function checkDekSubject(raw: string): QualifiedSubject {
  if (!raw || raw.length > SUBJECT_MAX_LENGTH || /[\u0000-\u001f\u007f-\u009f]/.test(raw)) throw dekErrors.invalidKey('subject');
  const q = parseSubject(raw);
  if (!q.subject) throw dekErrors.invalidKey('subject');
  return q;
}

/** AbstractDekRegistry.normalizeKmsType: `aws…`, `azure…`, `gcp…` (any case) are the canonical names. */
export function normalizeKmsType(kmsType: string): string {
  const t = kmsType.toLowerCase();
  if (t.startsWith('aws')) return 'aws-kms';
  if (t.startsWith('azure')) return 'azure-kms';
  if (t.startsWith('gcp')) return 'gcp-kms';
  return kmsType;
}

/** CreateKekRequest.validate: the key id's form for the KMS types it knows (on the type as sent). */
export function kmsKeyIdValid(kmsType: string, kmsKeyId: string): boolean {
  switch (kmsType) {
    case 'aws-kms':
      return kmsKeyId.startsWith('arn:aws:kms:');
    case 'azure-kms':
      return kmsKeyId.startsWith('https://');
    case 'gcp-kms':
      return kmsKeyId.startsWith('projects/');
    case 'hcvault':
      return kmsKeyId.startsWith('https://') || kmsKeyId.startsWith('http://');
    default:
      return true;
  }
}

/** A map with its keys sorted (Confluent keeps kmsProps in a SortedMap), as the stored JSON text. */
export function sortedProps(props: Record<string, string> | null | undefined): string {
  const out = Object.create(null) as Record<string, string>;
  for (const k of Object.keys(props ?? {}).sort()) out[k] = (props as Record<string, string>)[k];
  return JSON.stringify(out);
}
