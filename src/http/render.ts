/**
 * Confluent response entities. Field order follows Confluent's Jackson output; empty fields are
 * omitted (NON_EMPTY), never null. Profile 7 omits schemaType for AVRO; profile 8 always sends
 * it and adds guid, and a stored version's `ts` and `deleted`.
 */
import type { StoredSchema, StoredVersion } from '../domain/entities';

type Profile = 7 | 8;

function typeField(schemaType: string, profile: Profile): { schemaType?: string } {
  return schemaType !== 'AVRO' || profile === 8 ? { schemaType } : {};
}

function extras(s: Pick<StoredSchema, 'references' | 'metadata' | 'ruleSet'>) {
  return {
    ...(s.references.length ? { references: s.references } : {}),
    ...(s.metadata !== undefined && s.metadata !== null ? { metadata: s.metadata } : {}),
    ...(s.ruleSet !== undefined && s.ruleSet !== null ? { ruleSet: s.ruleSet } : {}),
  };
}

/** GET /schemas/ids/{id} (SchemaString). */
export function schemaString(s: StoredSchema, profile: Profile, maxId?: number) {
  return {
    ...typeField(s.schemaType, profile),
    schema: s.schema,
    ...extras(s),
    ...(profile === 8 ? { guid: s.guid } : {}),
    ...(maxId !== undefined ? { maxId } : {}),
  };
}

/**
 * The JSON text of `schemaString(s, profile)`, made once per stored schema and profile: the
 * immutable read path hands out the same StoredSchema object for every warm read of an id, so the
 * text is kept beside it (a WeakMap: it goes when the schema leaves the isolate's cache).
 */
export function schemaStringText(s: StoredSchema, profile: Profile): string {
  let texts = rendered.get(s);
  if (!texts) rendered.set(s, (texts = {}));
  return (texts[profile] ??= JSON.stringify(schemaString(s, profile)));
}
const rendered = new WeakMap<StoredSchema, Partial<Record<Profile, string>>>();

/**
 * The JSON text of `schemaEntity(v, subject, profile)`, kept beside the version object for the
 * first name and profile it is asked by: the fresh cache hands out the same StoredVersion for every
 * warm read of a subject's latest version until it renews (services/fresh-reads.ts). One text per
 * version, as `schemaStringText` keeps one per schema and profile, so what the fresh cache holds
 * grows by at most the versions' own size, whatever names clients send (another name, e.g. with
 * its context, is rendered each time). A WeakMap: the text goes with the version.
 */
export function schemaEntityText(v: StoredVersion, subject: string, profile: Profile): string {
  const key = `${profile}:${subject}`;
  const kept = entityTexts.get(v);
  if (kept?.key === key) return kept.text;
  const text = JSON.stringify(schemaEntity(v, subject, profile));
  if (!kept) entityTexts.set(v, { key, text });
  return text;
}
const entityTexts = new WeakMap<StoredVersion, { key: string; text: string }>();

/** A subject version (Schema entity). */
export function schemaEntity(v: StoredVersion, subject: string, profile: Profile) {
  return {
    subject,
    version: v.version,
    id: v.id,
    ...(profile === 8 ? { guid: v.guid } : {}),
    ...typeField(v.schemaType, profile),
    ...extras(v),
    schema: v.schema,
    // Confluent 8.x SchemaValue.toSchemaEntity: the record's timestamp and the soft-delete flag.
    ...(profile === 8 && v.ts !== undefined ? { ts: v.ts } : {}),
    ...(profile === 8 ? { deleted: v.deleted } : {}),
  };
}
