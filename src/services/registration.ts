/**
 * What a registration stores and whether the subject already holds it, in Confluent's order
 * (KafkaSchemaRegistry.registerOrForward + register, 7.6 and 8.1): without defaults or overrides
 * in the config, the schema as sent is looked up first; then the metadata and rule set are merged
 * (maybeSetMetadataRuleSet, not in IMPORT mode) and the merged schema looked up. A lookup matches
 * by identity, or as Confluent's canLookup does, ignoring a `confluent:version` only one side
 * carries. Shared by the writer and the read-only fast path of the route, so both decide alike.
 */
import { effectiveContract, hasDefaultsOrOverrides } from '../domain/data-contract';
import type { StoredVersion } from '../domain/entities';
import { ErrorCode, RegistryError } from '../domain/errors';
import type { RegistryReader } from '../storage/registry-reader';
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
  /** Every version of the subject, soft-deleted ones too, ascending. */
  all: StoredVersion[];
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
  const filled = withPrevious(o.schema, latest);
  const normalize = o.normalize || o.config.normalize;
  const sent =
    o.sent && filled === o.schema && o.sent.normalize === normalize ? o.sent.prepared : await prepareSchema(reader, context, filled, normalize);
  const lookup = o.version === undefined;
  const populated = filled !== o.schema;

  if (lookup && !hasDefaultsOrOverrides(o.config.contract)) {
    const existing = findRegistered(sent, live, o.id);
    if (existing) return { prepared: sent, modified: populated, existing };
  }
  if (o.mode === 'IMPORT') return { prepared: sent, modified: populated };

  const next = (o.all.at(-1)?.version ?? 0) + 1;
  const contract = effectiveContract(o.config.contract, filled, latest, { next, named: o.version !== undefined });
  const prepared = await withContract(sent, contract);
  const modified = populated || contract.metadata !== undefined || contract.ruleSet !== undefined;
  const existing = lookup ? findRegistered(prepared, live, o.id) : undefined;
  return { prepared, modified, ...(existing ? { existing } : {}) };
}

/** A live version holding this schema (newest first), by identity or ignoring `confluent:version`. */
function findRegistered(p: PreparedSchema, live: StoredVersion[], id: number | undefined): StoredVersion | undefined {
  const newestFirst = [...live].reverse();
  const found = newestFirst.find((v) => v.hash === p.hash) ?? newestFirst.find((v) => sameIgnoringConfluentVersion(p, v));
  return found && (id === undefined || id === found.id) ? found : undefined;
}

/** An empty schema means "the latest one again" (new metadata or rules only); with no latest, 42201. */
function withPrevious(schema: SchemaInput, latest: StoredVersion | undefined): SchemaInput {
  if (schema.schema.trim()) return schema;
  if (!latest) throw new RegistryError(ErrorCode.INVALID_SCHEMA, 'Empty schema');
  return {
    schema: latest.schema,
    schemaType: latest.schemaType,
    references: latest.references,
    metadata: schema.metadata ?? latest.metadata,
    ruleSet: schema.ruleSet ?? latest.ruleSet,
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
