/**
 * What a registration stores and whether the subject already holds it, in Confluent's order
 * (KafkaSchemaRegistry.registerOrForward + register, 7.6 and 8.1): without defaults or overrides
 * in the config, the schema as sent is looked up first; then the metadata and rule set are merged
 * (maybeSetMetadataRuleSet, not in IMPORT mode) and the merged schema looked up. A lookup matches
 * by identity, or as Confluent's canLookup does, ignoring a `confluent:version` only one side
 * carries. Shared by the writer and the read-only fast path of the route, so both decide alike.
 */
import { effectiveContract, hasDefaultsOrOverrides, metadataIgnoringVersion } from '../domain/data-contract';
import type { StoredVersion, VersionHead } from '../domain/entities';
import { ErrorCode, RegistryError } from '../domain/errors';
import type { RegistryReader } from '../storage/registry-reader';
import { utf8Bytes, withText, withTexts } from './history';
import { type PreparedSchema, prepareSchema, sameIgnoringConfluentVersion, type SchemaInput, withContract } from './schemas';
import type { EffectiveConfig, Mode } from './settings';

export interface RegisterResult {
  id: number;
  version: number;
  guid: string;
  schemaType: string;
  schema: string;
  references: { name: string; subject: string; version: number }[];
  metadata?: unknown;
  ruleSet?: unknown;
  /**
   * The schema stored differs from the request's (an empty schema filled from the latest, or a
   * metadata or rule set in play): Confluent 7.x then answers the whole schema, not just the id.
   */
  modified: boolean;
}

export interface Registration {
  /** The schema to store: merged metadata and rule set, identity. */
  prepared: PreparedSchema;
  /** The stored schema differs from the request's: Confluent 7.x answers the whole schema then. */
  modified: boolean;
  /** The live version that already holds it (the registration changes nothing). */
  existing?: StoredVersion;
}

export interface RegistrationInput {
  schema: SchemaInput;
  normalize: boolean;
  config: EffectiveConfig;
  mode: Mode;
  /** Every version of the subject, soft-deleted ones too, ascending (texts as a history holds them). */
  all: VersionHead[];
  id?: number;
  version?: number;
  /**
   * The schema as sent, prepared beforehand with this normalize (the writer's hash guess,
   * durable/group-commit.ts): used instead of preparing it again when the plan prepares the same.
   */
  sent?: { normalize: boolean; prepared: PreparedSchema };
}

export async function planRegistration(reader: RegistryReader, context: string, o: RegistrationInput): Promise<Registration> {
  const live = o.all.filter((v) => !v.deleted);
  const latest = live.at(-1);
  const filled = await withPrevious(reader, o.schema, latest);
  const normalize = o.normalize || o.config.normalize;
  const sent =
    o.sent && filled === o.schema && o.sent.normalize === normalize ? o.sent.prepared : await prepareSchema(reader, context, filled, normalize);
  const lookup = o.version === undefined;
  const populated = filled !== o.schema;

  if (lookup && !hasDefaultsOrOverrides(o.config.contract)) {
    const existing = await findRegistered(reader, sent, live, o.id);
    if (existing) return { prepared: sent, modified: populated, existing };
  }
  if (o.mode === 'IMPORT') return { prepared: sent, modified: populated };

  const next = (o.all.at(-1)?.version ?? 0) + 1;
  const contract = effectiveContract(o.config.contract, filled, latest, { next, named: o.version !== undefined });
  const prepared = await withContract(sent, contract);
  const modified = populated || contract.metadata !== undefined || contract.ruleSet !== undefined;
  const existing = lookup ? await findRegistered(reader, prepared, live, o.id) : undefined;
  return { prepared, modified, ...(existing ? { existing } : {}) };
}

/**
 * The newest of these versions holding this schema (with this id, if given): by identity, else as
 * Confluent's canLookup, ignoring a `confluent:version` only one side carries. Both compare the text,
 * so a match's text is the schema's own, and only versions whose metadata may match and whose text
 * is as long as the schema's have their text read for the comparison.
 */
export async function findRegistered(
  reader: RegistryReader,
  p: PreparedSchema,
  versions: VersionHead[],
  id?: number,
): Promise<StoredVersion | undefined> {
  const newestFirst = [...versions].reverse();
  const found = newestFirst.find((v) => v.hash === p.hash) ?? (await ignoringConfluentVersion(reader, p, newestFirst));
  return found && (id === undefined || id === found.id) ? withText(found, p.text) : undefined;
}

async function ignoringConfluentVersion(reader: RegistryReader, p: PreparedSchema, newestFirst: VersionHead[]): Promise<StoredVersion | undefined> {
  const maybe = newestFirst.filter((v) => metadataIgnoringVersion(p.metadata, v.metadata, v.version) !== null);
  if (maybe.length === 0) return undefined;
  const bytes = utf8Bytes(p.text);
  const sized = maybe.filter((v) => v.schema !== undefined || v.bytes === bytes);
  return (await withTexts(reader, sized)).find((v) => sameIgnoringConfluentVersion(p, v));
}

/** An empty schema means "the latest one again" (new metadata or rules only); with no latest, 42201. */
async function withPrevious(reader: RegistryReader, schema: SchemaInput, latest: VersionHead | undefined): Promise<SchemaInput> {
  if (schema.schema.trim()) return schema;
  if (!latest) throw new RegistryError(ErrorCode.INVALID_SCHEMA, 'Empty schema');
  const [previous] = await withTexts(reader, [latest]);
  return {
    schema: previous.schema,
    schemaType: previous.schemaType,
    references: previous.references,
    metadata: schema.metadata ?? previous.metadata,
    ruleSet: schema.ruleSet ?? previous.ruleSet,
  };
}

/** The answer for a version that already holds the schema: its stored contents. */
export function registeredResult(v: StoredVersion, modified: boolean): RegisterResult {
  return {
    id: v.id,
    version: v.version,
    guid: v.guid,
    schemaType: v.schemaType,
    schema: v.schema,
    references: v.references,
    ...(v.metadata !== undefined ? { metadata: v.metadata } : {}),
    ...(v.ruleSet !== undefined ? { ruleSet: v.ruleSet } : {}),
    modified,
  };
}

export function result(id: number, version: number, guid: string, p: PreparedSchema, modified: boolean): RegisterResult {
  return {
    id,
    version,
    guid,
    schemaType: p.schemaType,
    schema: p.text,
    references: p.references,
    ...(p.metadata !== undefined ? { metadata: p.metadata } : {}),
    ...(p.ruleSet !== undefined ? { ruleSet: p.ruleSet } : {}),
    modified,
  };
}
