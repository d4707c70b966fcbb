/**
 * The mutable reads served through the fresh cache (fresh-cache.ts): a subject's `latest` version,
 * its version numbers, config and mode answers, its state (what a lookup or a registration decides on), and
 * the subject versions using a schema id. Each loads with one D1 query (or one batch) through
 * the request's session, so the entry's bookmark is the state it read.
 */
import type { StoredVersion, VersionHead } from '../domain/entities';
import type { VersionId } from '../domain/version-id';
import type { ListOptions, RegistryReader, Usage } from '../storage/registry-reader';
import { configKey, type FreshDeps, freshRead, type FreshReadOptions, stateKey, subjectKey, usagesKey, versionKey } from './fresh-cache';
import { subjectVersion } from './lookup';
import { configAnswerQuery, configQuery, type EffectiveConfig, type Mode, modeAnswerQuery, modeQuery } from './settings';

/**
 * A subject version as `lookup.subjectVersion` answers it, from the fresh cache. `latest` is the
 * latest LIVE version whatever `includeDeleted` says (Confluent getLatestVersion), so one entry
 * answers both. A version by number is kept with its deleted flag, and answers a request that may
 * see it. Anything else (no live version, no such version, a deleted one without `deleted=true`)
 * takes the uncached path for its 40401/40402: not-found answers are never kept.
 */
export async function freshSubjectVersion(
  deps: FreshDeps,
  reader: RegistryReader,
  context: string,
  subject: string,
  qualified: string,
  version: VersionId,
  includeDeleted: boolean,
): Promise<StoredVersion> {
  if (version === 'latest') {
    const latest = await freshRead(deps, reader, subjectKey(context, subject, 'latest'), () => reader.latest(context, subject), weighVersion);
    if (latest) return latest;
  } else {
    const found = await freshRead(deps, reader, versionKey(context, subject, version), () => reader.version(context, subject, version), weighVersion);
    if (found && (includeDeleted || !found.deleted)) return found;
  }
  return subjectVersion(reader, context, subject, qualified, version, includeDeleted);
}

const weighVersion = (v: StoredVersion) => v.schema.length + JSON.stringify(v.references).length + 256;

/** A subject's version numbers under the deletion filter; empty (unknown subject) is not kept. */
export async function freshVersionNumbers(
  deps: FreshDeps,
  reader: RegistryReader,
  context: string,
  subject: string,
  o: ListOptions,
): Promise<number[]> {
  const read = o.deletedOnly ? 'versions:deletedOnly' : o.deleted ? 'versions+deleted' : 'versions';
  const numbers = await freshRead(
    deps,
    reader,
    subjectKey(context, subject, read),
    async () => {
      const versions = await reader.versionNumbers(context, subject, o);
      return versions.length ? versions : null;
    },
    (n) => n.length * 8,
  );
  return numbers ?? [];
}

/**
 * How many usages of one id the fresh cache holds; an id with more (the `"string"` key schema of
 * thousands of topics) is paged and checked in SQL instead (services/usages.ts), so no request
 * loads more than this many usage rows into the isolate.
 */
export const USAGES_HELD = 1000;

/**
 * The subject versions using a schema id, soft-deleted ones only with `includeDeleted`
 * (`GET /schemas/ids/{id}/subjects`, `/versions`, and who may read the id): one entry per id holds
 * them all with their deleted flags, so every answer comes from it. A write of any subject of the
 * context forgets it (fresh-cache.ts `usagesKey`). Undefined: more than USAGES_HELD use the id
 * (kept as such, so the next request does not load them again). An id no version uses is read
 * again every time.
 */
export async function freshUsages(
  deps: FreshDeps,
  reader: RegistryReader,
  context: string,
  id: number,
  includeDeleted: boolean,
): Promise<Usage[] | undefined> {
  const held = await freshRead<Usage[] | typeof MANY>(
    deps,
    reader,
    usagesKey(context, id),
    async () => {
      const found = await reader.usagesOf(context, id, { deleted: true }, USAGES_HELD + 1);
      return found.length > USAGES_HELD ? MANY : found.length ? found : null;
    },
    (u) => (u === MANY ? 16 : u.reduce((bytes, v) => bytes + v.subject.length * 2 + 32, 0)),
  );
  if (held === MANY) return undefined;
  return includeDeleted ? (held ?? []) : (held ?? []).filter((u) => !u.deleted);
}

/** The fresh cache's note that an id has more usages than it holds. */
const MANY = 'many';

/**
 * GET /config answers: the config set at exactly this subject's scope, or (for a context or the
 * global scope, or with `defaultToGlobal`) the effective config down the chain. Null: the subject
 * has no config of its own and the caller did not ask for the default (40408, not kept).
 */
export async function freshConfigAnswer(
  deps: FreshDeps,
  reader: RegistryReader,
  context: string,
  subject: string,
  defaultToGlobal: boolean,
): Promise<Record<string, unknown> | null> {
  const fallback = !subject || defaultToGlobal;
  return freshRead(
    deps,
    reader,
    configKey(`${context}\u0000${subject}\u0000${fallback}`),
    async () => {
      // One statement: the chain's rows hold the subject's own config too (one consistent state).
      const { own, effective } = await reader.query(configAnswerQuery(reader, context, subject));
      if (own && subject) return own;
      return fallback ? effective.body : null;
    },
    (body) => JSON.stringify(body).length,
  );
}

/**
 * GET /mode answers, as GET /config's above: the mode set at exactly this subject's scope, or the
 * effective mode down the chain (a context or the global scope, or `defaultToGlobal`). Null: the
 * subject has no mode of its own and the caller did not ask for the default (40409, not kept).
 */
export async function freshModeAnswer(
  deps: FreshDeps,
  reader: RegistryReader,
  context: string,
  subject: string,
  defaultToGlobal: boolean,
): Promise<string | null> {
  const fallback = !subject || defaultToGlobal;
  return freshRead(
    deps,
    reader,
    configKey(`mode\u0001${context}\u0000${subject}\u0000${fallback}`),
    async () => {
      const { own, effective } = await reader.query(modeAnswerQuery(reader, context, subject));
      if (own && subject) return own;
      return fallback ? effective : null;
    },
    (mode) => mode.length + 16,
  );
}

/** What a lookup or a registration is decided on (services/registration.ts): the subject's config and mode, and every version's head. */
export interface SubjectState {
  config: EffectiveConfig;
  mode: Mode;
  /** Soft-deleted versions too, ascending. */
  all: VersionHead[];
}

/**
 * A subject's state, in one batch, for a lookup or a registration's pre-check (routes/subjects.ts):
 * kept while the subject has a version, so a fleet of producers looking up or registering again
 * what it holds reads D1 about once per FRESH_TTL_MS, not once per producer. A subject without
 * versions is read again every time. `write`: for a registration, whose pre-check mostly finds a
 * new subject (not kept), no change mark is read for the fill (fresh-cache.ts `readsMark`).
 */
export async function freshSubjectState(
  deps: FreshDeps,
  reader: RegistryReader,
  context: string,
  subject: string,
  o: { write?: boolean } = {},
): Promise<SubjectState> {
  const state = await subjectState(deps, reader, context, subject, { readsMark: !o.write });
  // `load` never answers null: freshRead answers null only when it does.
  if (state === null) throw new Error('a subject state read answered null');
  return state;
}

/** The subject's state if this isolate holds it fresh enough for the request, else null: no D1 read (services/precheck-gate.ts). */
export function heldSubjectState(deps: FreshDeps, reader: RegistryReader, context: string, subject: string): Promise<SubjectState | null> {
  return subjectState(deps, reader, context, subject, { loads: false });
}

function subjectState(deps: FreshDeps, reader: RegistryReader, context: string, subject: string, options: FreshReadOptions<SubjectState>) {
  return freshRead(
    deps,
    reader,
    stateKey(context, subject),
    async () => {
      const [config, mode, all] = await reader.all(
        configQuery(reader, context, subject),
        modeQuery(reader, context, subject),
        reader.historyQuery(context, subject, { deleted: true }),
      );
      return { config, mode, all };
    },
    (s) => JSON.stringify(s).length,
    { keeps: (s) => s.all.length > 0, ...options },
  );
}

/**
 * Whether a context exists, and how many the registry holds (services/bounds.ts): read before a
 * write into a named context may reach its writer. An existing context is kept (a context is
 * deleted only empty, by a write that forgets the settings entries, and its change event ends any
 * renewal), so writes into it read D1 about once per FRESH_TTL_MS per isolate, not once each; a
 * context that does not exist is read every time (its count decides whether a write may create it).
 */
export async function freshContextState(deps: FreshDeps, reader: RegistryReader, context: string): Promise<{ exists: boolean; count: number }> {
  const state = await freshRead(
    deps,
    reader,
    configKey(`context\u0001${context}`),
    () => reader.contextState(context),
    () => 32,
    {
      keeps: (s) => s.exists,
    },
  );
  // `load` never answers null: freshRead answers null only when it does.
  if (state === null) throw new Error('a context state read answered null');
  return state;
}
