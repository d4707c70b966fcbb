/**
 * Data contracts: the metadata and rule set a registration stores, from the request, the subject's
 * latest version and the config's defaults and overrides; compatibility groups. Pure code that
 * follows confluentinc/schema-registry (v7.6.x, v8.1.x):
 *
 * - `effectiveContract` = AbstractSchemaRegistry.maybeSetMetadataRuleSet (8.1; KafkaSchemaRegistry
 *   in 7.6): specific = the request's value, else the latest live version's; effective =
 *   merge(merge(default, specific), override); `confluent:version` set to the new version when the
 *   request names a version or the merged metadata already carries one.
 * - `mergeMetadata` = client/.../rest/entities/Metadata.mergeMetadata: `properties` and `tags` per
 *   key, the later value wins (a later tag set replaces the earlier); `sensitive` is the union.
 * - `mergeRuleSets` = client/.../rest/entities/RuleSet.mergeRuleSets: per phase (migration, domain,
 *   encoding), earlier rules named like a later rule are dropped and the later rules appended;
 *   `enableAt` from the later set if it has one.
 * - `compatibilityGroupValue` = getCompatibilityGroupValue (isCompatibleWithPrevious): the
 *   schema's `metadata.properties[group]`.
 *
 * Metadata and rule sets arrive as client JSON (`unknown`): a part of the wrong shape is taken as
 * absent by the merge, never trusted.
 */

const CONFLUENT_VERSION = 'confluent:version';

/** The config fields of a data contract (Confluent Config): stored as clients sent them. */
export interface ContractConfig {
  defaultMetadata?: unknown;
  overrideMetadata?: unknown;
  defaultRuleSet?: unknown;
  overrideRuleSet?: unknown;
  compatibilityGroup?: string;
}

export interface Contract {
  metadata?: unknown;
  ruleSet?: unknown;
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

function sortedObject<T>(entries: [string, T][]): Record<string, T> {
  const out: Record<string, T> = Object.create(null) as Record<string, T>;
  for (const [k, v] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = v;
  return { ...out };
}

function sortedSet(values: unknown[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string'))].sort();
}

/** Metadata's `merge(SortedMap, SortedMap)`: an empty side yields the other; else the later wins per key. */
function mergeMaps(older: unknown, newer: unknown): unknown {
  const a = isObject(older) ? Object.entries(older) : [];
  const b = isObject(newer) ? Object.entries(newer) : [];
  if (a.length === 0) return b.length ? newer : undefined;
  if (b.length === 0) return older;
  const merged = new Map(a);
  for (const [k, v] of b) merged.set(k, v);
  return sortedObject([...merged]);
}

/** Metadata's `merge(SortedSet, SortedSet)`: the union. */
function mergeSets(older: unknown, newer: unknown): unknown {
  const a: unknown[] = Array.isArray(older) ? older : [];
  const b: unknown[] = Array.isArray(newer) ? newer : [];
  if (a.length === 0) return b.length ? newer : undefined;
  if (b.length === 0) return older;
  return sortedSet([...a, ...b]);
}

/** Keep only the fields that are set and not empty (Jackson NON_EMPTY), in Confluent's field order. */
function nonEmpty(fields: [string, unknown][]): Obj {
  const out: Obj = {};
  for (const [k, v] of fields) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (isObject(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out;
}

export function mergeMetadata(older: unknown, newer: unknown): unknown {
  if (!present(older)) return newer;
  if (!present(newer)) return older;
  const a = isObject(older) ? older : {};
  const b = isObject(newer) ? newer : {};
  return nonEmpty([
    ['tags', mergeMaps(a.tags, b.tags)],
    ['properties', mergeMaps(a.properties, b.properties)],
    ['sensitive', mergeSets(a.sensitive, b.sensitive)],
  ]);
}

const PHASES = ['migrationRules', 'domainRules', 'encodingRules'] as const;

function ruleName(rule: unknown): unknown {
  return isObject(rule) ? rule.name : undefined;
}

/** RuleSet's `merge(List<Rule>, List<Rule>)`: earlier rules named like a later one are dropped, later ones appended. */
function mergeRules(older: unknown, newer: unknown): unknown {
  const a: unknown[] = Array.isArray(older) ? older : [];
  const b: unknown[] = Array.isArray(newer) ? newer : [];
  if (a.length === 0) return b.length ? newer : undefined;
  if (b.length === 0) return older;
  const names = new Set(b.map(ruleName));
  return [...a.filter((r) => !names.has(ruleName(r))), ...b];
}

export function mergeRuleSets(older: unknown, newer: unknown): unknown {
  if (!present(older)) return newer;
  if (!present(newer)) return older;
  const a = isObject(older) ? older : {};
  const b = isObject(newer) ? newer : {};
  return nonEmpty([...PHASES.map((p): [string, unknown] => [p, mergeRules(a[p], b[p])]), ['enableAt', b.enableAt ?? a.enableAt]]);
}

/** The metadata's `confluent:version` property, if any. */
function confluentVersion(metadata: unknown): unknown {
  return isObject(metadata) && isObject(metadata.properties) ? metadata.properties[CONFLUENT_VERSION] : undefined;
}

/** Metadata.setConfluentVersion: the property set to the version number (as a string). */
function withConfluentVersion(metadata: unknown, version: number): unknown {
  const m = isObject(metadata) ? metadata : {};
  const properties = isObject(m.properties) ? m.properties : {};
  return nonEmpty([
    ['tags', m.tags],
    ['properties', sortedObject([...Object.entries(properties).filter(([k]) => k !== CONFLUENT_VERSION), [CONFLUENT_VERSION, String(version)]])],
    ['sensitive', m.sensitive],
  ]);
}

/**
 * Metadata.removeConfluentVersion, for Confluent's `canLookup` (a schema matches a stored one
 * that differs only by `confluent:version`). Metadata left empty counts as none.
 */
export function withoutConfluentVersion(metadata: unknown): unknown {
  if (confluentVersion(metadata) === undefined) return metadata;
  const m = metadata as Obj;
  const properties = Object.entries(m.properties as Obj).filter(([k]) => k !== CONFLUENT_VERSION);
  const rest = nonEmpty([
    ['tags', m.tags],
    ['properties', properties.length ? Object.fromEntries(properties) : undefined],
    ['sensitive', m.sensitive],
  ]);
  return Object.keys(rest).length ? rest : undefined;
}

/**
 * AbstractSchemaProvider.canLookupIgnoringVersion: when exactly one of two schemas carries a
 * `confluent:version`, they still match if they are equal without it (and the carried version is
 * the stored version's number, when the candidate carries it). Answers the two metadata values to
 * compare, or null when only exact identity can match.
 */
export function metadataIgnoringVersion(candidate: unknown, stored: unknown, storedVersion: number): [unknown, unknown] | null {
  const mine = confluentVersion(candidate);
  const theirs = confluentVersion(stored);
  if (mine === undefined && theirs !== undefined) return [emptyAsAbsent(candidate), withoutConfluentVersion(stored)];
  if (mine !== undefined && theirs === undefined) {
    if (typeof mine !== 'string' || Number.parseInt(mine, 10) !== storedVersion) return null;
    return [withoutConfluentVersion(candidate), emptyAsAbsent(stored)];
  }
  return null;
}

function emptyAsAbsent(metadata: unknown): unknown {
  return isObject(metadata) && Object.keys(nonEmpty(Object.entries(metadata))).length === 0 ? undefined : metadata;
}

/** Does the config carry any default or override (Confluent Config.hasDefaultsOrOverrides)? */
export function hasDefaultsOrOverrides(config: ContractConfig): boolean {
  return [config.defaultMetadata, config.overrideMetadata, config.defaultRuleSet, config.overrideRuleSet].some(present);
}

/**
 * maybeSetMetadataRuleSet. `requested` is what the request carries; `previous` the subject's latest
 * live version (undefined when none); `version` the version being registered and whether the
 * request named it (undefined for a lookup: no `confluent:version` then).
 */
export function effectiveContract(
  config: ContractConfig,
  requested: Contract,
  previous: Contract | undefined,
  version?: { next: number; named: boolean },
): Contract {
  const specificMetadata = present(requested.metadata) ? requested.metadata : previous?.metadata;
  const specificRuleSet = present(requested.ruleSet) ? requested.ruleSet : previous?.ruleSet;
  let metadata = mergeMetadata(mergeMetadata(config.defaultMetadata, specificMetadata), config.overrideMetadata);
  const ruleSet = mergeRuleSets(mergeRuleSets(config.defaultRuleSet, specificRuleSet), config.overrideRuleSet);
  if (version && (version.named || confluentVersion(metadata) !== undefined)) metadata = withConfluentVersion(metadata, version.next);
  return { ...(present(metadata) ? { metadata } : {}), ...(present(ruleSet) ? { ruleSet } : {}) };
}

/** The value of the compatibility group property in a schema's metadata (undefined = absent). */
function compatibilityGroupValue(metadata: unknown, group: string): unknown {
  return isObject(metadata) && isObject(metadata.properties) ? metadata.properties[group] : undefined;
}

/**
 * isCompatibleWithPrevious: with a compatibility group, only the previous versions whose group
 * value equals the new schema's (absent equals absent) take part in the check.
 */
export function sameCompatibilityGroup<T extends { metadata?: unknown }>(candidate: unknown, history: T[], group: string | undefined): T[] {
  if (group === undefined) return history;
  const value = compatibilityGroupValue(candidate, group);
  return history.filter((v) => compatibilityGroupValue(v.metadata, group) === value);
}
