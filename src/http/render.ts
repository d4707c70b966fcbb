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
 * The JSON text of `schemaEntity(v, subject, profile)`, made once per version object, profile and
 * subject as asked: the fresh cache hands out the same StoredVersion for every warm read of a
 * subject's latest version until it renews (services/fresh-reads.ts), so the text is kept beside it
 * (a WeakMap: it goes with the version). A version is asked for by a few names (with or without
 * its context); past ENTITY_NAMES of them, further ones are rendered each time, not remembered.
 */
export function schemaEntityText(v: StoredVersion, subject: string, profile: Profile): string {
  let texts = entityTexts.get(v);
  if (!texts) entityTexts.set(v, (texts = new Map<string, string>()));
  const key = `${profile}:${subject}`;
  let text = texts.get(key);
  if (text === undefined) {
    text = JSON.stringify(schemaEntity(v, subject, profile));
    if (texts.size < ENTITY_NAMES) texts.set(key, text);
  }
  return text;
}
const entityTexts = new WeakMap<StoredVersion, Map<string, string>>();
const ENTITY_NAMES = 4;

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
