/** The SQL of every write, as prepared statements for one D1 batch() (= one transaction). */
import type { SchemaReference } from '../domain/format';
import { referenceTarget } from '../domain/naming';
import type { PreparedSchema } from '../services/schemas';
import { insertRows } from '../storage/multi-row';

type Db = Pick<D1Database, 'prepare'>;

function bumpNextId(db: Db, context: string, next: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO contexts (context, next_id) VALUES (?1, ?2)
       ON CONFLICT (context) DO UPDATE SET next_id = MAX(next_id, excluded.next_id)`,
    )
    .bind(context, next);
}

const SCHEMA_COLUMNS = ['context', 'id', 'guid', 'hash', 'schema_type', 'schema', 'refs', 'metadata', 'rule_set'] as const;

/**
 * Schemas in one statement weigh at most about 1 MB of text together (a schema larger than that
 * alone), so a statement never carries much more than a one-schema INSERT of the largest request
 * body (1 MiB, http/respond.ts) did.
 */
const SCHEMA_BUDGET = {
  weight: (row: readonly unknown[]) => row.reduce<number>((n, v) => n + (typeof v === 'string' ? v.length : 0), 0),
  max: 1_000_000,
};

function schemaRow(context: string, id: number, guid: string, s: PreparedSchema): unknown[] {
  return [
    context,
    id,
    guid,
    s.hash,
    s.schemaType,
    s.text,
    JSON.stringify(s.references),
    s.metadata === undefined ? null : JSON.stringify(s.metadata),
    s.ruleSet === undefined ? null : JSON.stringify(s.ruleSet),
  ];
}

/** The reference index, keyed by the target in normal form (naming.ts referenceTarget): every lookup by target finds it. */
function insertRefs(db: Db, context: string, id: number, refs: SchemaReference[]): D1PreparedStatement[] {
  return refs.map((r) =>
    db
      .prepare(`INSERT OR IGNORE INTO refs (context, schema_id, name, ref_subject, ref_version) VALUES (?1, ?2, ?3, ?4, ?5)`)
      // prepareSchema has refused references into another context, so the target is never null here.
      .bind(context, id, r.name, referenceTarget(context, r.subject) ?? r.subject, r.version),
  );
}

/** What one registration writes (durable/register.ts decides it). */
export interface RegisteredRows {
  subject: string;
  version: number;
  id: number;
  /** The schema, when it is new to the context (stored with its guid). */
  schema?: { guid: string; prepared: PreparedSchema };
  /** Soft-deleted versions of the subject holding the same schema: tombstoned (Confluent does). */
  buried: number[];
}

/** The rows a registration writes, counted as statements of their own (the group bound, group-commit.ts). */
export function rowCount(w: RegisteredRows): number {
  return 2 + (w.schema ? 1 + w.schema.prepared.references.length : 0) + (w.buried.length ? 1 : 0);
}

/**
 * The registrations of a group in one context (queue order), as few statements: the id counter
 * once, past the highest id the group uses (what each write's own bump left, MAX being
 * order-free); the new schemas; their references; the tombstones; then the new versions. Each
 * kind of row in multi-row INSERTs (storage/multi-row.ts). The order commits every write whole:
 * a version's schema is inserted before it, and a tombstone never removes a version the group
 * inserts (it buries committed soft-deleted versions only, and a new version never takes a
 * number the subject held: the view counts soft-deleted versions too).
 */
export function registrationStatements(db: Db, context: string, writes: RegisteredRows[]): D1PreparedStatement[] {
  if (writes.length === 0) return [];
  const fresh = writes.flatMap((w) => (w.schema ? [{ id: w.id, ...w.schema }] : []));
  return [
    bumpNextId(db, context, Math.max(...writes.map((w) => w.id)) + 1),
    ...insertRows(
      db,
      'INSERT INTO schemas',
      SCHEMA_COLUMNS,
      fresh.map((f) => schemaRow(context, f.id, f.guid, f.prepared)),
      SCHEMA_BUDGET,
    ),
    ...fresh.flatMap((f) => insertRefs(db, context, f.id, f.prepared.references)),
    ...writes.filter((w) => w.buried.length).map((w) => hardDeleteVersions(db, context, w.subject, w.buried)),
    ...insertRows(
      db,
      'INSERT INTO versions',
      ['context', 'subject', 'version', 'schema_id', 'deleted'],
      writes.map((w) => [context, w.subject, w.version, w.id, 0]),
    ),
  ];
}

export function softDeleteVersions(db: Db, context: string, subject: string, versions: number[]): D1PreparedStatement {
  return db
    .prepare(`UPDATE versions SET deleted = 1 WHERE context = ?1 AND subject = ?2 AND version IN (SELECT value FROM json_each(?3))`)
    .bind(context, subject, JSON.stringify(versions));
}

export function hardDeleteVersions(db: Db, context: string, subject: string, versions: number[]): D1PreparedStatement {
  return db
    .prepare(`DELETE FROM versions WHERE context = ?1 AND subject = ?2 AND version IN (SELECT value FROM json_each(?3))`)
    .bind(context, subject, JSON.stringify(versions));
}

export function putConfig(db: Db, context: string, subject: string, body: Record<string, unknown>): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO configs (context, subject, body) VALUES (?1, ?2, ?3) ON CONFLICT (context, subject) DO UPDATE SET body = excluded.body`)
    .bind(context, subject, JSON.stringify(body));
}

export function deleteConfig(db: Db, context: string, subject: string): D1PreparedStatement {
  return db.prepare(`DELETE FROM configs WHERE context = ?1 AND subject = ?2`).bind(context, subject);
}

export function putMode(db: Db, context: string, subject: string, mode: string): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO modes (context, subject, mode) VALUES (?1, ?2, ?3) ON CONFLICT (context, subject) DO UPDATE SET mode = excluded.mode`)
    .bind(context, subject, mode);
}

export function deleteMode(db: Db, context: string, subject: string): D1PreparedStatement {
  return db.prepare(`DELETE FROM modes WHERE context = ?1 AND subject = ?2`).bind(context, subject);
}

/**
 * Forget a context (DELETE /contexts/{ctx}): only its row, as Confluent deletes only its ContextKey.
 * Its id counter survives in the schemas it held (RegistryReader.nextIdQuery): ids are never reused.
 */
export function deleteContextRow(db: Db, context: string): D1PreparedStatement {
  return db.prepare(`DELETE FROM contexts WHERE context = ?1`).bind(context);
}

/** Make sure a context row exists (it lists the context under GET /contexts). */
export function ensureContext(db: Db, context: string): D1PreparedStatement {
  return db.prepare(`INSERT OR IGNORE INTO contexts (context, next_id) VALUES (?1, 1)`).bind(context);
}
