/**
 * Associations (Confluent 8.1.x, docs/associations.md): pure request validation and defaults,
 * ported from Confluent v8.1.5's AssociationCreateOrUpdateRequest.validate,
 * AssociationCreateOrUpdateInfo.applyDefaults/validate, AssociationOpRequest.validate,
 * AssociationDeleteOp.validate, AssociationGetRequest.validate and RestValidation, with the error
 * codes and messages of rest/exceptions/Errors.java.
 */
import { ErrorCode, RegistryError } from './errors';

export const LIFECYCLES = ['STRONG', 'WEAK'] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];
export const TOPIC = 'topic';
/** SchemaRegistry.RESOURCE_WILDCARD: a namespace (or name) of "-" matches every one. */
export const RESOURCE_WILDCARD = '-';
/** RestValidation.NAME_MAX_LENGTH. */
const NAME_MAX_LENGTH = 256;

/** At most this many requests in one :batchGet or :batchMutate (ours: Confluent has no bound). */
export const MAX_BATCH = 100;
/** At most this many associations answered by one listing (Confluent's schema.search.max.limit default). */
export const MAX_PAGE = 1000;

export const associationErrors = {
  /** RestInvalidAssociationException (42212). */
  invalid: (property: string, detail: string) =>
    new RegistryError(ErrorCode.INVALID_ASSOCIATION, `The association specified an invalid value for property: '${property}', detail: ${detail}`),
  notFound: (resource: string) => new RegistryError(ErrorCode.ASSOCIATION_NOT_FOUND, `Association for '${resource}' not found.`),
  forResourceExists: (type: string, resource: string) =>
    new RegistryError(ErrorCode.ASSOCIATION_FOR_RESOURCE_EXISTS, `An association of type '${type}' already exists for resource '${resource}'`),
  forSubjectExists: (subject: string) =>
    new RegistryError(ErrorCode.ASSOCIATION_FOR_SUBJECT_EXISTS, `An association already exists for subject '${subject}'`),
  strongForSubjectExists: (subject: string) =>
    new RegistryError(ErrorCode.STRONG_ASSOCIATION_FOR_SUBJECT_EXISTS, `A strong association already exists for subject '${subject}'`),
  noActiveVersion: (subject: string) =>
    new RegistryError(ErrorCode.NO_ACTIVE_SUBJECT_VERSION_EXISTS, `No active (non-deleted) version exists for subject '${subject}'`),
  // Confluent's format has the two spaces.
  frozen: (type: string, subject: string) =>
    new RegistryError(ErrorCode.ASSOCIATION_FROZEN, `The association of type  '${type}' is frozen for subject '${subject}'`),
};

const invalid = associationErrors.invalid;

/** One association of a create or upsert (AssociationCreateOrUpdateInfo), after validation. */
export interface AssociationInfoInput {
  /** As the client wrote it (`:.ctx:name` names a context); null: the default for STRONG. */
  subject: string | null;
  associationType: string;
  lifecycle: Lifecycle | null;
  frozen: boolean | null;
  /** A RegisterSchemaRequest: refused here (docs/associations.md). */
  schema: unknown;
  normalize: boolean | null;
}

export interface AssociationRequestInput {
  resourceName: string;
  resourceNamespace: string;
  resourceId: string | null;
  resourceType: string;
  associations: AssociationInfoInput[];
}

/** The raw request body, as Jackson maps it (unknown fields ignored). */
interface RawInfo {
  subject?: string | null;
  associationType?: string | null;
  lifecycle?: Lifecycle | null;
  frozen?: boolean | null;
  schema?: unknown;
  normalize?: boolean | null;
}

export interface RawRequest {
  resourceName?: string | null;
  resourceNamespace?: string | null;
  resourceId?: string | null;
  resourceType?: string | null;
  associations?: RawInfo[] | null;
}

/** RestValidation.checkName: non-empty, at most 256 characters, letters, digits, `_` and `-`. */
function checkName(name: string | null | undefined, property: string): string {
  if (name === null || name === undefined || name === '') throw invalid(property, 'cannot be null or empty');
  if (name.length > NAME_MAX_LENGTH) throw invalid(property, `exceeds max length of ${NAME_MAX_LENGTH}`);
  for (const c of name) {
    if (!(/^[\p{L}\p{Nd}]$/u.test(c) || c === '_' || c === '-')) throw invalid(property, `illegal character '${c}'`);
  }
  return name;
}

/** RestValidation.checkSubject. */
function checkSubject(subject: string): void {
  if (subject === '' || /[\u0000-\u001f\u007f-\u009f]/.test(subject)) throw invalid('subject', 'must not be empty');
}

/** `:.ns:name-type`: the subject a STRONG association defaults to (and a frozen one must use). */
export function defaultSubject(resourceNamespace: string, resourceName: string, associationType: string): string {
  return `:.${resourceNamespace}:${resourceName}-${associationType}`;
}

function checkAssociationType(type: string | null | undefined): string {
  if (type === null || type === undefined || type === '') return 'value';
  if (type !== 'key' && type !== 'value') throw invalid('associationType', "must be either 'key' or 'value'");
  return type;
}

/**
 * AssociationCreateOrUpdateInfo.applyDefaults (8.1.5): a schema implies STRONG, frozen on create
 * (an upsert with a schema is STRONG and not frozen); no schema: frozen false unless given;
 * lifecycle WEAK unless given; WEAK is never frozen.
 */
export function applyDefaults(info: AssociationInfoInput, isCreate: boolean): void {
  if (info.schema !== null && info.schema !== undefined) {
    if (info.lifecycle === 'WEAK') throw invalid('lifecycle', 'cannot be WEAK when schema is provided');
    if (info.frozen !== null && info.frozen !== isCreate) {
      throw invalid(
        'frozen',
        isCreate ? 'cannot be false when schema is provided for create' : 'cannot be true when creating via upsert; use create instead',
      );
    }
    info.lifecycle = 'STRONG';
    info.frozen = isCreate;
  } else if (info.frozen === null) {
    info.frozen = false;
  }
  if (info.lifecycle === null) info.lifecycle = 'WEAK';
  if (info.lifecycle === 'WEAK' && info.frozen) throw invalid('frozen', 'association with lifecycle of WEAK cannot be frozen');
}

/** AssociationCreateOrUpdateInfo.validate(isCreate). */
function validateInfo(raw: RawInfo, isCreate: boolean): AssociationInfoInput {
  const info: AssociationInfoInput = {
    subject: raw.subject ?? null,
    associationType: raw.associationType ?? '',
    lifecycle: raw.lifecycle ?? null,
    frozen: raw.frozen ?? null,
    schema: raw.schema ?? null,
    normalize: raw.normalize ?? null,
  };
  if (info.subject !== null) checkSubject(info.subject);
  if (isCreate) applyDefaults(info, true);
  info.associationType = checkAssociationType(raw.associationType);
  if (info.lifecycle === 'WEAK') {
    if (info.schema !== null) throw invalid('lifecycle', 'cannot be WEAK when schema is provided');
    if (info.frozen === true) throw invalid('frozen', 'association with lifecycle of WEAK cannot be frozen');
    if (isCreate && info.subject === null) throw invalid('subject', 'must be provided for WEAK associations');
  }
  return info;
}

/** The resource fields shared by AssociationCreateOrUpdateRequest and AssociationOpRequest. */
function validateResource(raw: RawRequest, dryRun: boolean): Omit<AssociationRequestInput, 'associations'> {
  const resourceName = checkName(raw.resourceName, 'resourceName');
  const resourceNamespace = checkName(raw.resourceNamespace, 'resourceNamespace');
  const resourceId = raw.resourceId ?? null;
  if (!dryRun && !resourceId) throw invalid('resourceId', 'cannot be null or empty');
  const type = raw.resourceType;
  if (type !== null && type !== undefined && type !== '' && type !== TOPIC) throw invalid('resourceType', `must be '${TOPIC}'`);
  return { resourceName, resourceNamespace, resourceId: resourceId || null, resourceType: TOPIC };
}

/**
 * The create-only subject rules: the subject defaults to `:.ns:name-type`; a frozen association
 * must use that subject, a WEAK one must not.
 */
function createSubjectRules(r: Omit<AssociationRequestInput, 'associations'>, info: AssociationInfoInput): void {
  const dflt = defaultSubject(r.resourceNamespace, r.resourceName, info.associationType);
  if (info.subject === null) info.subject = dflt;
  if (info.frozen === true && info.subject !== dflt) throw invalid('subject', `frozen associations must use subject '${dflt}'`);
  if (info.lifecycle === 'WEAK' && info.subject === dflt) throw invalid('subject', `WEAK associations cannot use subject '${dflt}'`);
}

/** AssociationCreateOrUpdateRequest.validate(isCreate, dryRun). */
export function validateRequest(raw: RawRequest, isCreate: boolean, dryRun: boolean): AssociationRequestInput {
  const resource = validateResource(raw, dryRun);
  if (!raw.associations || raw.associations.length === 0) throw invalid('associations', 'cannot be null or empty');
  const associations = raw.associations.map((a) => {
    const info = validateInfo(a, isCreate);
    if (isCreate) createSubjectRules(resource, info);
    return info;
  });
  return { ...resource, associations };
}

/** One op of a :batchMutate request (AssociationOp: opType CREATE, UPSERT or DELETE). */
type RawOp = RawInfo & { opType?: string | null; cascadeLifecycle?: boolean | null };
export type RawOpRequest = Omit<RawRequest, 'associations'> & { associations?: RawOp[] | null };

export type BatchOp =
  { opType: 'CREATE' | 'UPSERT'; info: AssociationInfoInput } | { opType: 'DELETE'; associationType: string; cascadeLifecycle: boolean };

/** AssociationOpRequest.validate(dryRun), with each op's validate. */
export function validateOpRequest(raw: RawOpRequest, dryRun: boolean): Omit<AssociationRequestInput, 'associations'> & { ops: BatchOp[] } {
  const resource = validateResource(raw, dryRun);
  if (!raw.associations || raw.associations.length === 0) throw invalid('associations', 'cannot be null or empty');
  const ops = raw.associations.map((op): BatchOp => {
    switch (op.opType) {
      case 'DELETE':
        return { opType: 'DELETE', associationType: checkAssociationType(op.associationType), cascadeLifecycle: op.cascadeLifecycle === true };
      case 'CREATE': {
        // AssociationCreateOp.validate: defaults first, then the base checks.
        const info = validateInfo(op, true);
        createSubjectRules(resource, info);
        return { opType: 'CREATE', info };
      }
      case 'UPSERT':
        return { opType: 'UPSERT', info: validateInfo(op, false) };
      default:
        throw invalid('opType', "must be one of 'CREATE', 'UPSERT' or 'DELETE'");
    }
  });
  return { ...resource, ops };
}

/** One query of a :batchGet (AssociationGetRequest). */
export interface RawGet {
  resourceName?: string | null;
  resourceNamespace?: string | null;
  resourceId?: string | null;
  resourceType?: string | null;
  associationTypes?: string[] | null;
  lifecycle?: Lifecycle | null;
}

/** AssociationGetRequest.validate. */
export function validateGet(raw: RawGet): void {
  const hasId = !!raw.resourceId;
  const hasName = !!raw.resourceName;
  if (!hasId && !hasName) throw invalid('resourceId', 'either resourceId or resourceName must be specified');
  if (hasName && !raw.resourceNamespace) throw invalid('resourceNamespace', 'resourceNamespace is required when resourceName is specified');
}
