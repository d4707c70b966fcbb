/** The SQL of every write, as prepared statements for one D1 batch() (= one transaction). */
import type { SchemaReference } from '../domain/format';
import { referenceTarget } from '../domain/naming';
import type { PreparedSchema } from '../services/schemas';

type Db = Pick<D1Database, 'prepare'>;

export function bumpNextId(db: Db, context: string, next: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO contexts (context, next_id) VALUES (?1, ?2)
       ON CONFLICT (context) DO UPDATE SET next_id = MAX(next_id, excluded.next_id)`,
    )
    .bind(context, next);
}

export function insertSchema(db: Db, context: string, id: number, guid: string, s: PreparedSchema): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO schemas (context, id, guid, hash, schema_type, schema, refs, metadata, rule_set)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`,
    )
    .bind(
      context,
      id,
      guid,
      s.hash,
      s.schemaType,
      s.text,
      JSON.stringify(s.references),
      s.metadata === undefined ? null : JSON.stringify(s.metadata),
      s.ruleSet === undefined ? null : JSON.stringify(s.ruleSet),
    );
}

/** The reference index, keyed by the target in normal form (naming.ts referenceTarget): every lookup by target finds it. */
export function insertRefs(db: Db, context: string, id: number, refs: SchemaReference[]): D1PreparedStatement[] {
  return refs.map((r) =>
    db
      .prepare(`INSERT OR IGNORE INTO refs (context, schema_id, name, ref_subject, ref_version) VALUES (?1, ?2, ?3, ?4, ?5)`)
      // prepareSchema has refused references into another context, so the target is never null here.
      .bind(context, id, r.name, referenceTarget(context, r.subject) ?? r.subject, r.version),
  );
}

export function insertVersion(db: Db, context: string, subject: string, version: number, id: number): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO versions (context, subject, version, schema_id, deleted) VALUES (?1, ?2, ?3, ?4, 0)`)
    .bind(context, subject, version, id);
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
