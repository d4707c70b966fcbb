/**
 * Association reads and entities (docs/associations.md), shared by the routes and the writer
 * (durable/association-writes.ts): Confluent v8.1.5 AbstractSchemaRegistry's
 * getAssociationsBy{Subject,ResourceId,ResourceName,ResourceNamespace} (filters, then sorted by
 * Association.compareTo) and the entities Association and AssociationResponse.
 */
import { type Lifecycle, RESOURCE_WILDCARD } from '../domain/associations';
import { qualify } from '../domain/naming';
import {
  type AssociationRow,
  associationsByNamespace,
  associationsByResourceId,
  associationsByResourceName,
  associationsBySubject,
} from '../storage/associations';
import type { Db } from '../storage/registry-reader';

export type { AssociationRow } from '../storage/associations';

/** The filters every getter takes: resource type (null: any), association types (empty: any), lifecycle (null: any). */
export interface AssociationFilter {
  resourceType: string | null;
  associationTypes: string[];
  lifecycle: Lifecycle | null;
}

/** The Association entity (JSON as Confluent 8.1.5 writes it: `frozen` always present; `subject` qualified). */
export type Association = Omit<AssociationRow, 'context' | 'frozen'> & { frozen: boolean };

interface AssociationInfo {
  subject: string;
  associationType: string;
  lifecycle: Lifecycle;
  frozen: boolean;
  schema?: unknown;
}

export interface AssociationResponse {
  resourceName?: string;
  resourceNamespace?: string;
  resourceId?: string;
  resourceType?: string;
  associations: AssociationInfo[];
}

/** AssociationValue.toAssociationEntity: the subject as Confluent shows it (`:.ctx:name` outside the default context). */
export function associationEntity(a: AssociationRow): Association {
  return {
    subject: qualify(a.context, a.subject),
    guid: a.guid,
    resourceName: a.resourceName,
    resourceNamespace: a.resourceNamespace,
    resourceId: a.resourceId,
    resourceType: a.resourceType,
    associationType: a.associationType,
    lifecycle: a.lifecycle,
    frozen: a.frozen === 1,
    createTs: a.createTs,
    updateTs: a.updateTs,
  };
}

/** Association.toAssociationResponse (NON_EMPTY: absent resource fields are left out). */
export function associationResponse(
  resource: { resourceName: string | null; resourceNamespace: string | null; resourceId: string | null; resourceType: string | null },
  rows: AssociationRow[],
  schemas: Map<string, unknown> = new Map(),
): AssociationResponse {
  return {
    ...(resource.resourceName ? { resourceName: resource.resourceName } : {}),
    ...(resource.resourceNamespace ? { resourceNamespace: resource.resourceNamespace } : {}),
    ...(resource.resourceId ? { resourceId: resource.resourceId } : {}),
    ...(resource.resourceType ? { resourceType: resource.resourceType } : {}),
    associations: rows.map((a) => ({
      subject: qualify(a.context, a.subject),
      associationType: a.associationType,
      lifecycle: a.lifecycle,
      frozen: a.frozen === 1,
      ...(schemas.has(a.associationType) ? { schema: schemas.get(a.associationType) } : {}),
    })),
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Association.compareTo: resource name, namespace, type, association type, then subject (as shown). */
export function compareAssociations(a: AssociationRow, b: AssociationRow): number {
  return (
    cmp(a.resourceName, b.resourceName) ||
    cmp(a.resourceNamespace, b.resourceNamespace) ||
    cmp(a.resourceType, b.resourceType) ||
    cmp(a.associationType, b.associationType) ||
    cmp(qualify(a.context, a.subject), qualify(b.context, b.subject))
  );
}

function filtered(rows: AssociationRow[], f: AssociationFilter): AssociationRow[] {
  return rows
    .filter(
      (a) =>
        (f.resourceType === null || a.resourceType === f.resourceType) &&
        (f.associationTypes.length === 0 || f.associationTypes.includes(a.associationType)) &&
        (f.lifecycle === null || a.lifecycle === f.lifecycle),
    )
    .sort(compareAssociations);
}

export async function findBySubject(db: Db, context: string, subject: string, f: AssociationFilter): Promise<AssociationRow[]> {
  return filtered(await associationsBySubject(db, context, subject), f);
}

export async function findByResourceId(db: Db, resourceId: string, f: AssociationFilter): Promise<AssociationRow[]> {
  return filtered(await associationsByResourceId(db, resourceId), f);
}

/** getAssociationsByResourceName; a namespace of "-" matches every namespace. */
export async function findByResourceName(db: Db, resourceName: string, resourceNamespace: string, f: AssociationFilter): Promise<AssociationRow[]> {
  return filtered(await associationsByResourceName(db, resourceName, resourceNamespace === RESOURCE_WILDCARD ? null : resourceNamespace), f);
}

/** getAssociationsByResourceNamespace (the resource name "-"); a namespace of "-" matches every one. */
export async function findByNamespace(db: Db, resourceNamespace: string, f: AssociationFilter): Promise<AssociationRow[]> {
  return filtered(await associationsByNamespace(db, resourceNamespace === RESOURCE_WILDCARD ? null : resourceNamespace), f);
}
