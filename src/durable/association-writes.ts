/**
 * Association writes (docs/associations.md), ported from Confluent v8.1.5 AbstractSchemaRegistry
 * createOrUpdateAssociation, deleteAssociations / checkDeleteAssociation and mutateAssociations.
 *
 * All of them run on the writer named "*": an association names a resource (registry-wide: one
 * association per resource id and type) and a subject of any context, and Confluent decides every
 * association write under one lock (`lockForAssociation`). Each write is decided against a view of
 * the table (D1 plus what the write itself has decided so far: a :batchMutate request's ops see
 * each other) and committed in one batch with its audit row and one change event per association
 * it creates, updates or deletes; a :batchMutate request is all-or-nothing (Confluent commits op by
 * op). The caller's grants travel with the write: the subjects an association names are only known
 * here (from the body, or from the stored rows), and an association on a subject the caller may
 * not read is treated as absent.
 *
 * What the registry does not do here (docs/associations.md): register a schema sent with an
 * association (refused by the route), and the cascade of a STRONG delete to its subject, which the
 * route runs through the subject's context writer once this commit is done.
 */
import {
  type AssociationInfoInput,
  type AssociationRequestInput,
  associationErrors,
  applyDefaults,
  type BatchOp,
  defaultSubject,
} from '../domain/associations';
import { ErrorCode, errors, RegistryError } from '../domain/errors';
import { allows, type Grant, type Role } from '../domain/grant-rules';
import { checkSubjectName, parseSubject, qualify } from '../domain/naming';
import { type AssociationResponse, type AssociationRow, associationResponse, compareAssociations } from '../services/associations';
import { effectiveMode } from '../services/settings';
import {
  associationsByResourceId,
  associationsByResourceName,
  associationsBySubject,
  putAssociation,
  removeAssociation,
} from '../storage/associations';
import type { ChangeEvent } from '../storage/events';
import type { WriteTx, Written } from './tx';

const invalid = associationErrors.invalid;

/** A subject whose STRONG association was deleted with cascadeLifecycle: the route deletes it next. */
export interface Cascade {
  context: string;
  subject: string;
}

export type AssociationWrite = {
  grants: Grant[];
  dryRun: boolean;
  /** `?context=` (context URLs): the context of a subject written bare. */
  context: string | null;
} & (
  | { op: 'create' | 'upsert'; request: AssociationRequestInput }
  | { op: 'delete'; resourceId: string; resourceType: string; associationTypes: string[]; cascadeLifecycle: boolean }
  | { op: 'mutate'; request: Omit<AssociationRequestInput, 'associations'> & { ops: BatchOp[] } }
);

export interface AssociationWriteResult {
  response: AssociationResponse | null;
  cascade: Cascade[];
}

/** The audit row's action and target of an association write. */
export function associationAudit(w: AssociationWrite): { action: string; target: string } {
  const resourceId = 'resourceId' in w ? w.resourceId : (w.request.resourceId ?? '');
  const action = { create: 'create-association', upsert: 'upsert-association', delete: 'delete-associations', mutate: 'mutate-associations' }[w.op];
  return { action, target: `resource ${resourceId}` };
}

/**
 * The association rows as this write sees them: D1, with the rows it has put or removed so far
 * laid over. Reads are by resource id and by subject, as Confluent's lookup cache answers them.
 */
class View {
  private readonly pending = new Map<string, AssociationRow | null>();
  readonly statements: D1PreparedStatement[] = [];
  readonly events: ChangeEvent[] = [];
  constructor(private readonly tx: WriteTx) {}

  private overlay(rows: AssociationRow[], match: (a: AssociationRow) => boolean): AssociationRow[] {
    const out = rows.filter((a) => !this.pending.has(a.guid));
    for (const a of this.pending.values()) if (a && match(a)) out.push(a);
    return out.sort(compareAssociations);
  }

  async byResourceId(resourceId: string): Promise<AssociationRow[]> {
    return this.overlay(await associationsByResourceId(this.tx.db, resourceId), (a) => a.resourceId === resourceId);
  }

  async bySubject(context: string, subject: string): Promise<AssociationRow[]> {
    return this.overlay(await associationsBySubject(this.tx.db, context, subject), (a) => a.context === context && a.subject === subject);
  }

  async byResourceName(name: string, namespace: string): Promise<AssociationRow[]> {
    return this.overlay(
      await associationsByResourceName(this.tx.db, name, namespace),
      (a) => a.resourceName === name && a.resourceNamespace === namespace,
    );
  }

  put(row: AssociationRow, created: boolean): void {
    // Confluent's store key: a put replaces a row with the same name, namespace, type, association type and subject.
    for (const [guid, a] of this.pending) {
      if (a && guid !== row.guid && sameStoreKey(a, row)) this.pending.set(guid, null);
    }
    this.pending.set(row.guid, row);
    this.statements.push(putAssociation(this.tx.db, row));
    this.events.push(eventOf(created ? 'create-association' : 'update-association', row));
  }

  remove(row: AssociationRow): void {
    this.pending.set(row.guid, null);
    this.statements.push(removeAssociation(this.tx.db, row.guid));
    this.events.push(eventOf('delete-association', row));
  }
}

function sameStoreKey(a: AssociationRow, b: AssociationRow): boolean {
  return (
    a.resourceName === b.resourceName &&
    a.resourceNamespace === b.resourceNamespace &&
    a.resourceType === b.resourceType &&
    a.associationType === b.associationType &&
    a.context === b.context &&
    a.subject === b.subject
  );
}

function eventOf(type: ChangeEvent['type'], a: AssociationRow): ChangeEvent {
  return { type, context: a.context, subject: a.subject, version: null, id: null };
}

const may = (grants: Grant[], role: Role, a: { context: string; subject: string }) =>
  allows(grants, role, { kind: 'subject', context: a.context, subject: a.subject });

function forbidden(role: Role, a: { context: string; subject: string }): RegistryError {
  return new RegistryError(ErrorCode.FORBIDDEN, `Forbidden: this operation needs the ${role} role on subject ${qualify(a.context, a.subject)}`);
}

/** Confluent's isReadOnlyMode check: 42205 for a subject in READONLY (or READONLY_OVERRIDE). */
async function assertNotReadOnly(tx: WriteTx, s: { context: string; subject: string }): Promise<string> {
  const mode = await effectiveMode(tx.reader, s.context, s.subject);
  if (mode === 'READONLY' || mode === 'READONLY_OVERRIDE') {
    throw errors.operationNotPermitted(`Subject ${s.subject} in context ${s.context} is in read-only mode`);
  }
  return mode;
}

/** A subject as written (`:.ctx:name`, or bare: in the request's context), checked and split. */
function resolve(subject: string, requestContext: string | null): { context: string; subject: string } {
  const qualified = subject.startsWith(':.') || requestContext === null ? subject : `:${requestContext}:${subject}`;
  return checkSubjectName(qualified);
}

export async function associationWrite(tx: WriteTx, w: AssociationWrite): Written<AssociationWriteResult> {
  if (w.op === 'mutate') throw new Error('mutate is per request: use mutateRequest');
  const view = new View(tx);
  let result: AssociationWriteResult;
  if (w.op === 'delete') {
    const cascade = await deleteAssociations(tx, view, w, true);
    result = { response: null, cascade };
  } else {
    result = { response: await createOrUpdate(tx, view, w.request, w.op === 'create', w.dryRun, w.grants, w.context), cascade: [] };
  }
  if (!w.dryRun && view.statements.length) await tx.commit(view.statements, view.events);
  return { value: result, bookmark: tx.db.getBookmark() };
}

/**
 * One :batchMutate request (AbstractSchemaRegistry.mutateAssociations' loop body): its ops in
 * order against one view, then one commit; the answer is every association of the resource after.
 */
export async function mutateRequest(tx: WriteTx, w: Extract<AssociationWrite, { op: 'mutate' }>): Written<AssociationWriteResult> {
  const req = w.request;
  const view = new View(tx);
  const cascade: Cascade[] = [];
  for (const op of req.ops) {
    if (op.opType === 'DELETE') {
      const resourceId = req.resourceId ?? '';
      cascade.push(
        ...(await deleteAssociations(
          tx,
          view,
          {
            grants: w.grants,
            dryRun: w.dryRun,
            resourceId,
            resourceType: req.resourceType,
            associationTypes: [op.associationType],
            cascadeLifecycle: op.cascadeLifecycle,
          },
          false,
        )),
      );
    } else {
      const request: AssociationRequestInput = { ...req, associations: [{ ...op.info }] };
      await createOrUpdate(tx, view, request, op.opType === 'CREATE', w.dryRun, w.grants, w.context);
    }
  }
  const rows = w.dryRun
    ? []
    : (await view.byResourceId(req.resourceId ?? '')).filter((a) => a.resourceType === req.resourceType && may(w.grants, 'reader', a));
  if (!w.dryRun && view.statements.length) await tx.commit(view.statements, view.events);
  return { value: { response: associationResponse(req, rows), cascade }, bookmark: tx.db.getBookmark() };
}

/** AbstractSchemaRegistry.createOrUpdateAssociation (8.1.5), step by step. */
async function createOrUpdate(
  tx: WriteTx,
  view: View,
  request: AssociationRequestInput,
  isCreate: boolean,
  dryRun: boolean,
  grants: Grant[],
  requestContext: string | null,
): Promise<AssociationResponse> {
  const infos = request.associations;
  // Subjects named by the request: resolved, writable by the caller, not read-only.
  const subjectOf = new Map<AssociationInfoInput, { context: string; subject: string }>();
  for (const info of infos) {
    if (info.subject === null) continue;
    const s = resolve(info.subject, requestContext);
    if (!may(grants, 'writer', s)) throw forbidden('writer', s);
    await assertNotReadOnly(tx, s);
    info.subject = qualify(s.context, s.subject);
    subjectOf.set(info, s);
  }
  const types = new Set<string>();
  for (const info of infos) {
    if (types.has(info.associationType)) throw invalid('associationType', `Duplicate association type: ${info.associationType}`);
    types.add(info.associationType);
  }

  const byId = request.resourceId
    ? (await view.byResourceId(request.resourceId)).filter((a) => a.resourceType === request.resourceType && types.has(a.associationType))
    : [];
  const existing = new Map<string, AssociationRow>();
  if (byId.length === 0 && isCreate && dryRun && request.resourceId === null) {
    // Validate phase without a resource id: the most recently updated row per type, by name.
    for (const a of await view.byResourceName(request.resourceName, request.resourceNamespace)) {
      if (a.resourceType !== request.resourceType || !types.has(a.associationType)) continue;
      const old = existing.get(a.associationType);
      if (!old || a.updateTs >= old.updateTs) existing.set(a.associationType, a);
    }
  } else {
    for (const a of byId) existing.set(a.associationType, a);
  }

  const skip = new Set<string>();
  for (const info of infos) {
    const type = info.associationType;
    const association = existing.get(type) ?? null;
    if (association === null && !isCreate) applyDefaults(info, false);
    const dflt = qualify(...ctxSubject(defaultSubject(request.resourceNamespace, request.resourceName, type)));
    if (info.subject === null) {
      if (association !== null) info.subject = qualify(association.context, association.subject);
      else if (info.lifecycle === 'STRONG') info.subject = dflt;
      else throw invalid('subject', 'must be provided for WEAK associations');
      const s = checkSubjectName(info.subject);
      if (association === null && !may(grants, 'writer', s)) throw forbidden('writer', s);
      subjectOf.set(info, s);
    }
    const subject = info.subject;
    const lifecycle = info.lifecycle ?? association?.lifecycle ?? null;
    if (lifecycle === null) throw invalid('lifecycle', 'lifecycle must be set');
    if (lifecycle === 'WEAK' && subject === dflt) throw invalid('subject', `WEAK associations cannot use subject '${dflt}'`);
    const isFrozen = association !== null ? association.frozen === 1 : info.frozen === true;
    if (isFrozen && subject !== dflt) throw invalid('subject', `frozen associations must use subject '${dflt}'`);

    if (association === null) {
      const s = subjectOf.get(info) as { context: string; subject: string };
      if (info.frozen === true && (await effectiveMode(tx.reader, s.context, s.subject)) !== 'IMPORT') {
        // A frozen association is created with its schema (refused here: docs/associations.md).
        if (isCreate) throw invalid('schema', 'schema must be provided when creating a frozen association');
        const live = await tx.reader.history(s.context, s.subject);
        if (live.length > 0) throw invalid('frozen', 'cannot create a frozen association when schemas already exist in the subject');
      }
      continue;
    }
    // The association exists. One on a subject the caller may not write is not its to change; a
    // create conflicts with it whatever it names (so the answer says nothing of the subject).
    const equivalent =
      qualify(association.context, association.subject) === subject &&
      association.associationType === type &&
      (info.lifecycle === null || info.lifecycle === association.lifecycle) &&
      (info.frozen === null || info.frozen === (association.frozen === 1));
    if (equivalent) {
      skip.add(type);
      continue;
    }
    if (isCreate) throw associationErrors.forResourceExists(type, request.resourceName);
    if (!may(grants, 'writer', association)) {
      throw new RegistryError(
        ErrorCode.FORBIDDEN,
        `Forbidden: this operation needs the writer role on the subject of the resource's ${type} association`,
      );
    }
    if (info.lifecycle === null && info.schema === null) throw invalid('lifecycle', 'at least lifecycle or schema must be provided for update');
    const stored = qualify(association.context, association.subject);
    if (subject !== stored) throw invalid('subject', `subject of association cannot be changed from '${stored}' to '${subject}'`);
    if (association.lifecycle === 'STRONG' && info.lifecycle === 'WEAK' && stored === dflt) {
      throw invalid('lifecycle', `cannot change to WEAK when subject matches default format '${dflt}'`);
    }
    if (info.frozen !== null && info.frozen !== (association.frozen === 1))
      throw invalid('frozen', 'frozen attribute of association cannot be changed');
    if (association.frozen === 1) throw associationErrors.frozen(association.associationType, stored);
  }

  for (const info of infos) {
    const s = subjectOf.get(info) as { context: string; subject: string };
    const association = existing.get(info.associationType) ?? null;
    if (info.schema === null && (await tx.reader.history(s.context, s.subject)).length === 0) {
      throw associationErrors.noActiveVersion(info.subject as string);
    }
    const others = (await view.bySubject(s.context, s.subject)).filter(
      (a) =>
        association === null ||
        !(
          a.resourceId === association.resourceId &&
          a.resourceType === association.resourceType &&
          a.associationType === association.associationType
        ),
    );
    const lifecycle = info.lifecycle ?? association?.lifecycle ?? null;
    if (lifecycle === null) throw invalid('lifecycle', 'lifecycle must be set');
    if (lifecycle === 'STRONG' && others.length > 0) throw associationErrors.forSubjectExists(info.subject as string);
    if (lifecycle === 'WEAK') {
      if (info.frozen === true) throw invalid('frozen', 'association with lifecycle of WEAK cannot be frozen');
      if (others.some((a) => a.lifecycle === 'STRONG')) throw associationErrors.strongForSubjectExists(info.subject as string);
    }
  }

  if (dryRun) return associationResponse(request, []);

  // AssociationValue.fromAssociationCreateOrUpdateRequest: a new row, or the old one updated.
  const now = Date.now();
  const written: AssociationRow[] = [];
  for (const info of infos) {
    if (skip.has(info.associationType)) continue;
    const old = byId.find((a) => a.associationType === info.associationType);
    const s = subjectOf.get(info) as { context: string; subject: string };
    const row: AssociationRow = old
      ? {
          ...old,
          lifecycle: info.lifecycle ?? old.lifecycle,
          frozen: info.frozen === null ? old.frozen : info.frozen ? 1 : 0,
          updateTs: now,
        }
      : {
          guid: crypto.randomUUID(),
          resourceName: request.resourceName,
          resourceNamespace: request.resourceNamespace,
          resourceId: request.resourceId ?? '',
          resourceType: request.resourceType,
          associationType: info.associationType,
          context: s.context,
          subject: s.subject,
          lifecycle: info.lifecycle === 'STRONG' ? 'STRONG' : 'WEAK',
          frozen: info.frozen ? 1 : 0,
          createTs: now,
          updateTs: now,
        };
    view.put(row, !old);
    written.push(row);
  }
  return associationResponse(request, written);
}

function ctxSubject(raw: string): [string, string] {
  const { context, subject } = parseSubject(raw);
  return [context, subject];
}

/**
 * AbstractSchemaRegistry.deleteAssociations with the resource's 40410 first (`notFound`: the
 * single DELETE route; a :batchMutate DELETE of nothing is no error). Rows on subjects the caller
 * may not read are not there for it; on one it reads but may not write, 403. A cascade of a STRONG
 * association (outside IMPORT mode) deletes its subject for good: that needs the admin role on it.
 */
async function deleteAssociations(
  tx: WriteTx,
  view: View,
  w: { grants: Grant[]; dryRun: boolean; resourceId: string; resourceType: string; associationTypes: string[]; cascadeLifecycle: boolean },
  notFound: boolean,
): Promise<Cascade[]> {
  const rows = (await view.byResourceId(w.resourceId)).filter(
    (a) =>
      a.resourceType === w.resourceType &&
      (w.associationTypes.length === 0 || w.associationTypes.includes(a.associationType)) &&
      may(w.grants, 'reader', a),
  );
  if (rows.length === 0 && notFound) throw associationErrors.notFound(w.resourceId);
  const cascade: Cascade[] = [];
  for (const a of rows) {
    if (!may(w.grants, 'writer', a)) throw forbidden('writer', a);
    const mode = await assertNotReadOnly(tx, a);
    if (!w.cascadeLifecycle && a.frozen === 1) throw associationErrors.frozen(a.associationType, qualify(a.context, a.subject));
    if (mode !== 'IMPORT' && w.cascadeLifecycle && a.lifecycle === 'STRONG') {
      if (!may(w.grants, 'admin', a)) throw forbidden('admin', a);
      cascade.push({ context: a.context, subject: a.subject });
    }
  }
  if (w.dryRun) return [];
  for (const a of rows) view.remove(a);
  return cascade;
}
