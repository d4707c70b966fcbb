/**
 * The association rows (table `associations`, src/storage/schema.ts; docs/associations.md):
 * reads, and the statements the writer named "*" commits (durable/association-writes.ts).
 * Subjects are stored as (context, bare subject).
 */
import type { Lifecycle } from '../domain/associations';
import type { Db } from './registry-reader';

type Prep = Pick<D1Database, 'prepare'>;

export interface AssociationRow {
  guid: string;
  resourceName: string;
  resourceNamespace: string;
  resourceId: string;
  resourceType: string;
  associationType: string;
  context: string;
  subject: string;
  lifecycle: Lifecycle;
  frozen: number;
  createTs: number;
  updateTs: number;
}

const COLS = `guid, resource_name AS resourceName, resource_namespace AS resourceNamespace, resource_id AS resourceId,
  resource_type AS resourceType, association_type AS associationType, context, subject, lifecycle, frozen,
  create_ts AS createTs, update_ts AS updateTs`;

/** Bounds every read: no query answers more rows than this (the listings page within it). */
const READ_CAP = 10_000;

async function all(db: Db, where: string, binds: unknown[]): Promise<AssociationRow[]> {
  const { results } = await db
    .prepare(`SELECT ${COLS} FROM associations WHERE ${where} LIMIT ${READ_CAP}`)
    .bind(...binds)
    .all<AssociationRow>();
  return results;
}

export function associationsByResourceId(db: Db, resourceId: string): Promise<AssociationRow[]> {
  return all(db, 'resource_id = ?1', [resourceId]);
}

export function associationsBySubject(db: Db, context: string, subject: string): Promise<AssociationRow[]> {
  return all(db, 'context = ?1 AND subject = ?2', [context, subject]);
}

/** By resource name, in one namespace or (namespace null: the wildcard) every one. */
export function associationsByResourceName(db: Db, resourceName: string, resourceNamespace: string | null): Promise<AssociationRow[]> {
  return resourceNamespace === null
    ? all(db, 'resource_name = ?1', [resourceName])
    : all(db, 'resource_name = ?1 AND resource_namespace = ?2', [resourceName, resourceNamespace]);
}

/** Every association of a namespace, or (null: the wildcard) every association. */
export function associationsByNamespace(db: Db, resourceNamespace: string | null): Promise<AssociationRow[]> {
  return resourceNamespace === null ? all(db, '1 = 1', []) : all(db, 'resource_namespace = ?1', [resourceNamespace]);
}

/** Whether a subject has any association (the subject delete guards, durable/deletes.ts). */
export async function subjectHasAssociations(db: Db, context: string, subject: string): Promise<boolean> {
  return (await db.prepare(`SELECT 1 AS x FROM associations WHERE context = ?1 AND subject = ?2 LIMIT 1`).bind(context, subject).first()) !== null;
}

/**
 * Confluent's putAssociation: the record replaced whole. OR REPLACE also drops an older row that
 * matches by Confluent's store key (name, namespace, type, association type, subject), as a put
 * of the same key does there.
 */
export function putAssociation(db: Prep, a: AssociationRow): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR REPLACE INTO associations (guid, resource_name, resource_namespace, resource_id, resource_type, association_type,
         context, subject, lifecycle, frozen, create_ts, update_ts) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)`,
    )
    .bind(
      a.guid,
      a.resourceName,
      a.resourceNamespace,
      a.resourceId,
      a.resourceType,
      a.associationType,
      a.context,
      a.subject,
      a.lifecycle,
      a.frozen,
      a.createTs,
      a.updateTs,
    );
}

export function removeAssociation(db: Prep, guid: string): D1PreparedStatement {
  return db.prepare(`DELETE FROM associations WHERE guid = ?1`).bind(guid);
}
