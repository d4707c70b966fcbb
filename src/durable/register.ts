/**
 * Register, in Confluent's order (KafkaSchemaRegistry.register): the idempotent fast path first
 * (it answers even in READONLY mode), then mode, version, compatibility, id. The decision only:
 * group-commit.ts commits the D1 batch, with the decisions of its group.
 */
import { errors, ErrorCode, RegistryError } from '../domain/errors';
import { type Bounds, limitExceeded } from '../services/bounds';
import { compatibilityMessages } from '../services/compatibility-check';
import { planRegistration, type Registration, registeredResult, type RegisterResult, result } from '../services/registration';
import { guidOf, type PreparedSchema, type SchemaInput } from '../services/schemas';
import type { ContextView, SubjectState } from './context-view';
import type { WriteOutcome } from './outcome';
import type { RegisteredRows } from './statements';
import type { SubjectRef } from './tx';

export interface RegisterInput extends SubjectRef {
  schema: SchemaInput;
  normalize: boolean;
  /** The bounds in force (the Worker's configuration: services/bounds.ts). */
  bounds: Bounds;
  /** IMPORT mode only: keep the supplied id / version. */
  id?: number;
  version?: number;
}

/**
 * What the writer decided a registration under, beside its answer or refusal: the Worker's metrics
 * write point records it (http/metrics.ts), also when the Worker's pre-check did not read the
 * subject (services/precheck-gate.ts). Absent when the subject's state was never read.
 */
interface RegistrationFacts {
  compatibility: string;
  /** Already registered: answered, nothing committed. */
  existing: boolean;
}

/** What the writer answers a registration. */
export type RegisterOutcome = WriteOutcome<RegisterResult> & { facts?: RegistrationFacts };

/** A decided registration: its answer, and what to commit for it (nothing: already registered). */
export interface Decision {
  value: RegisterResult;
  /**
   * The rows the write adds (statements.ts registrationStatements makes a group's statements of
   * them; tx.ts adds its event and audit row); null = nothing to commit.
   */
  rows: RegisteredRows | null;
}

/**
 * The schema as it would be registered (parsed, canonical, the config's metadata and rule set
 * merged, its hash), or the live version that already holds it, from the subject's state.
 */
export function planOf(view: ContextView, input: RegisterInput, state: SubjectState, sent?: PreparedSchema): Promise<Registration> {
  const { config, mode, all } = state;
  return planRegistration(view.reader, input.context, {
    schema: input.schema,
    normalize: input.normalize,
    config,
    mode,
    all,
    id: input.id,
    version: input.version,
    ...(sent ? { sent: { normalize: input.normalize, prepared: sent } } : {}),
  });
}

/**
 * Decide one registration against the view (context-view.ts): the primary's state plus the earlier
 * writes of its group. On success the view records the registration, so the next write sees it.
 * Reads only (the view's, and references while parsing); writes nothing. `planned`: its plan made
 * beforehand from the same subject state (group-commit.ts `planAhead`); else `sent`: its schema as
 * sent, prepared beforehand with the request's normalize (the hash guess).
 */
export async function decideRegistration(view: ContextView, input: RegisterInput, planned?: Registration, sent?: PreparedSchema): Promise<Decision> {
  const reader = view.reader;
  const state = await view.subject(input.subject);
  const { config, mode, all } = state;
  const live = all.filter((v) => !v.deleted);
  const next = (all.at(-1)?.version ?? 0) + 1;
  const { prepared, modified, existing } = planned ?? (await planOf(view, input, state, sent));
  if (existing) return { value: registeredResult(existing, modified), rows: null };

  if (mode === 'READONLY' || mode === 'READONLY_OVERRIDE') throw errors.operationNotPermitted(`Subject ${input.qualified} is in read-only mode`);
  if (input.id !== undefined && mode !== 'IMPORT') throw errors.operationNotPermitted(`Subject ${input.qualified} is not in import mode`);
  if (input.id === undefined && mode === 'IMPORT') throw errors.operationNotPermitted(`Subject ${input.qualified} is not in read-write mode`);

  const { bounds } = input;
  if (all.length >= bounds.versionsPerSubject) {
    throw limitExceeded(`Subject ${input.qualified} holds ${all.length} versions, its limit (MAX_VERSIONS_PER_SUBJECT)`);
  }
  if (all.length === 0) {
    const subjects = await view.subjectCount();
    if (subjects >= bounds.subjectsPerContext) {
      throw limitExceeded(`Context ${input.context} holds ${subjects} subjects, its limit (MAX_SUBJECTS_PER_CONTEXT)`);
    }
  }

  let version = next;
  if (input.version !== undefined) {
    if (mode !== 'IMPORT' && input.version !== next) {
      throw new RegistryError(ErrorCode.INVALID_SCHEMA, 'Version is not one more than previous version');
    }
    if (all.some((v) => v.version === input.version)) {
      throw errors.operationNotPermitted(`Version ${input.version} of subject ${input.qualified} already exists`);
    }
    version = input.version;
  }

  if (mode !== 'IMPORT') {
    const messages = await compatibilityMessages(
      reader,
      prepared,
      live,
      config.compatibilityLevel,
      config.compatibilityPolicy,
      config.contract.compatibilityGroup,
    );
    if (messages.length > 0) throw incompatible(input.qualified, messages);
  }

  const known = await view.schemaByHash(prepared.hash);
  let id = known?.id ?? view.nextId;
  if (input.id !== undefined) {
    const taken = await view.schemaWithId(input.id);
    if (taken && taken.hash !== prepared.hash) throw errors.operationNotPermitted(`Overwrite new schema with id ${input.id} is not permitted.`);
    if (known && known.id !== input.id) {
      throw new RegistryError(ErrorCode.ID_DOES_NOT_MATCH, `Schema already registered with id ${known.id} instead of input id ${input.id}`);
    }
    id = input.id;
  }
  // A schema row keeps the guid it was stored with (rows from before content-derived guids keep
  // their random one: messages may carry it); a new row gets Confluent's guid of its content.
  const guid = known?.guid ?? (await guidOf(prepared));

  // Confluent tombstones a soft-deleted version of the same schema when it is registered again.
  const buried = all.filter((v) => v.deleted && v.hash === prepared.hash).map((v) => v.version);
  const rows: RegisteredRows = { subject: input.subject, version, id, buried, ...(known ? {} : { schema: { guid, prepared } }) };
  const value = result(id, version, guid, prepared, modified);
  view.registered(
    {
      context: input.context,
      subject: input.subject,
      version,
      deleted: false,
      id,
      guid,
      hash: prepared.hash,
      schemaType: prepared.schemaType,
      schema: prepared.text,
      references: prepared.references,
      ...(prepared.metadata !== undefined ? { metadata: prepared.metadata } : {}),
      ...(prepared.ruleSet !== undefined ? { ruleSet: prepared.ruleSet } : {}),
    },
    { newSchema: !known, buried },
  );
  return { value, rows };
}

function incompatible(subject: string, messages: string[]): RegistryError {
  return new RegistryError(
    ErrorCode.INCOMPATIBLE_SCHEMA,
    `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${messages.join(', ')}]`,
  );
}
