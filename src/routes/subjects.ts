/** /subjects: list, lookup, register, versions, delete (Confluent SubjectsResource + SubjectVersionsResource). */
import type { Context } from 'hono';
import { effectiveContract } from '../domain/data-contract';
import { errors } from '../domain/errors';
import { ALL_CONTEXTS, checkSubjectName, parseSubject } from '../domain/naming';
import { parseVersionId } from '../domain/version-id';
import type { RegisterResult } from '../services/registration';
import type { AppEnv } from '../http/env';
import { schemaEntity, schemaEntityText } from '../http/render';
import { Integers, PAGED, Q, Registered, SchemaVersion, Strings, RawSchema, Integer } from '../http/shapes';
import { schemaRequest, toSchemaInput } from '../http/requests';
import { committed, flag, page, paging, readJson, reply, replyRaw } from '../http/respond';
import { param, resource } from '../http/route';
import { subjectTarget } from '../http/targets';
import { readableSubjects, readVisibility } from '../http/visibility';
import { referencingIds } from '../services/usages';
import { assertContextWritable, boundsOf } from '../services/bounds';
import { subjectPage } from '../services/listings';
import { invalidating, scopes } from '../services/fresh-cache';
import { ReadTrace } from '../services/read-layer';
import { freshSubjectState, freshSubjectVersion, freshVersionNumbers, heldSubjectState } from '../services/fresh-reads';
import { registrationPrecheck } from '../services/precheck-gate';
import { prepareSchema, renderedText, withContract } from '../services/schemas';
import { findRegistered, planRegistration, registeredResult } from '../services/registration';

type Ctx = Context<AppEnv>;

/** The `{subject}` parameter: the name as sent, and its context and bare name. */
function named(c: Ctx) {
  const raw = param(c, 'subject');
  return { raw, ...parseSubject(raw) };
}

function version(c: Ctx) {
  const { raw, context, subject } = named(c);
  return freshSubjectVersion(c.get('cache'), c.get('reader'), context, subject, raw, parseVersionId(param(c, 'version')), flag(c, 'deleted'));
}

/**
 * The register answer (RegisterSchemaResponse). Profile 7 (7.6 registerOrForward/register): just
 * `{"id"}` unless the stored schema differs from the request (metadata or a rule set in play, or
 * an empty schema filled from the latest); then the schema, AVRO's schemaType omitted. Profile 8:
 * always the schema, with guid and schemaType.
 */
function registered(c: Ctx, r: RegisterResult): Response {
  const profile = c.get('profile');
  if (profile === 7 && !r.modified) return reply(c, { id: r.id });
  return reply(c, {
    id: r.id,
    version: r.version,
    ...(profile === 8 ? { guid: r.guid } : {}),
    ...(profile === 8 || r.schemaType !== 'AVRO' ? { schemaType: r.schemaType } : {}),
    ...(r.references.length ? { references: r.references } : {}),
    ...(r.metadata !== undefined ? { metadata: r.metadata } : {}),
    ...(r.ruleSet !== undefined ? { ruleSet: r.ruleSet } : {}),
    schema: r.schema,
  });
}

/**
 * A register whose schema is already a live version of the subject changes nothing (Confluent
 * answers it even in READONLY mode): answered here, from the client's read session, without the
 * writer and without a write token, as producers re-register on every start. The decision is the
 * writer's own (services/registration.ts), on possibly older data: a miss goes to the writer.
 * What it decides on comes through the fresh cache (as `latest` does: at most FRESH_TTL_MS old,
 * never older than the client's bookmark or this isolate's own writes), so a fleet restarting
 * does not read D1 once per producer. A subject the isolate holds nothing of is read from D1 only
 * while such reads answer (services/precheck-gate.ts): in a burst of new registrations the writer
 * decides at once.
 */
async function alreadyRegistered(c: Ctx): Promise<Response | undefined> {
  // Every registration past authorization passes here first (the route's `free`): its metrics
  // write point (http/metrics.ts) is noted here, and refusals from here on count as its result.
  const note = c.get('metrics');
  note.noteRegistration({});
  const { context, subject } = checkSubjectName(param(c, 'subject'));
  const input = toSchemaInput(await readJson(c), { allowEmpty: true });
  note.noteRegistration({ format: input.schemaType ?? '' });
  if (input.id !== undefined || input.version !== undefined) return undefined;
  const reader = c.get('reader');
  // The layer the state came from is the request's read layer only if the pre-check answers (a write is no read).
  const read = new ReadTrace();
  const deps = { ...c.get('cache'), trace: read };
  const state = registrationPrecheck.reads()
    ? await freshSubjectState(deps, reader, context, subject, { write: true })
    : await heldSubjectState(deps, reader, context, subject);
  if (!state) return undefined;
  const { config, mode, all } = state;
  note.noteRegistration({ compatibility: config.compatibilityLevel });
  const { id: _id, version: _v, ...schema } = input;
  const plan = all.some((v) => !v.deleted)
    ? await planRegistration(reader, context, { schema, normalize: flag(c, 'normalize'), config, mode, all })
    : undefined;
  if (read.layer === 'd1') registrationPrecheck.found(plan?.existing !== undefined);
  if (!plan?.existing) return undefined;
  note.noteRegistration({ existing: true });
  if (read.layer) c.get('cache').trace?.note(read.layer);
  return registered(c, registeredResult(plan.existing, plan.modified));
}

export const subjects = resource('/subjects', [
  {
    method: 'GET',
    path: '/',
    summary: 'Subjects matching subjectPrefix (default `:*:`, every context), only those the caller may read',
    role: 'reader',
    query: {
      subjectPrefix: Q.subjectPrefix,
      deleted: Q.deleted,
      deletedOnly: Q.deletedOnly,
      ...PAGED,
      limit: Q.limit.describe('At most this many subjects, 1 to 100000; none (or out of range): all of them, 42224 when more than 100000 match'),
    },
    responses: { 200: Strings },
    handler: async (c) => {
      const prefix = c.req.query('subjectPrefix') ?? ALL_CONTEXTS;
      const opts = { deleted: flag(c, 'deleted'), deletedOnly: flag(c, 'deletedOnly') };
      const scope = prefix === ALL_CONTEXTS || prefix === '' ? undefined : parseSubject(prefix);
      // By qualified name, as Confluent sorts; paged in SQL (services/listings.ts).
      const listing = { context: scope?.context, prefix: scope?.subject ?? '', ...paging(c), options: opts };
      return reply(c, await subjectPage(c.get('reader'), listing, readVisibility(c)));
    },
  },
  {
    method: 'POST',
    path: '/:subject',
    summary: 'Lookup: is this schema registered under the subject?',
    role: 'reader',
    target: subjectTarget,
    query: { deleted: Q.deleted, normalize: Q.normalize },
    body: { json: schemaRequest },
    responses: { 200: SchemaVersion },
    handler: async (c) => {
      const { raw, context, subject } = named(c);
      const deleted = flag(c, 'deleted');
      const input = toSchemaInput(await readJson(c));
      // Producers that do not register look their schema up on every start (Confluent's advice for
      // production): the subject's state comes through the fresh cache, as a registration's pre-check.
      const { config, all } = await freshSubjectState(c.get('cache'), c.get('reader'), context, subject);
      const versions = deleted ? all : all.filter((v) => !v.deleted);
      // Confluent parses before it looks (lookUpSchemaUnderSubject): an invalid schema is 42201 even for an unknown subject.
      const prepared = await prepareSchema(c.get('reader'), context, input, flag(c, 'normalize') || config.normalize);
      if (versions.length === 0) throw errors.subjectNotFound(raw);
      // Confluent lookUpSchemaUnderSubject: the schema as sent, then, if the latest live version
      // exists, with the metadata and rule set a registration would give it (no confluent:version).
      // Newest first: a schema registered twice answers its latest version.
      let match = await findRegistered(c.get('reader'), prepared, versions);
      const latest = versions.filter((v) => !v.deleted).at(-1);
      if (!match && latest) {
        const merged = await withContract(prepared, effectiveContract(config.contract, input, latest));
        if (merged !== prepared) match = await findRegistered(c.get('reader'), merged, versions);
      }
      if (!match) throw errors.schemaNotFound();
      return reply(c, schemaEntity(match, raw, c.get('profile')));
    },
  },
  {
    method: 'DELETE',
    path: '/:subject',
    summary: 'Soft-delete a subject; permanent=true (admin) after a soft delete',
    role: (c) => (flag(c, 'permanent') ? 'admin' : 'writer'),
    target: subjectTarget,
    cost: 'write',
    query: { permanent: Q.permanent },
    responses: { 200: Integers },
    handler: async (c) => {
      const raw = param(c, 'subject');
      const { context, subject } = checkSubjectName(raw);
      await assertContextWritable(c.get('cache'), c.get('reader'), context, boundsOf(c.env), false, raw);
      // A delete drops the subject's config too (durable/deletes.ts).
      const outcome = await invalidating([scopes.subject(context, subject), scopes.settings], () =>
        c
          .get('writer')(context)
          .deleteSubject({ context, subject, qualified: raw, permanent: flag(c, 'permanent'), actor: c.get('actor') }),
      );
      return reply(c, committed(c, outcome));
    },
  },
  {
    method: 'GET',
    path: '/:subject/versions',
    summary: 'Version numbers of a subject',
    role: 'reader',
    target: subjectTarget,
    query: { deleted: Q.deleted, deletedOnly: Q.deletedOnly, ...PAGED },
    responses: { 200: Integers },
    handler: async (c) => {
      const { raw, context, subject } = named(c);
      const opts = { deleted: flag(c, 'deleted'), deletedOnly: flag(c, 'deletedOnly') };
      const numbers = await freshVersionNumbers(c.get('cache'), c.get('reader'), context, subject, opts);
      if (numbers.length === 0) throw errors.subjectNotFound(raw);
      return reply(c, page(c, numbers));
    },
  },
  {
    method: 'POST',
    path: '/:subject/versions',
    summary: 'Register a schema under a subject (idempotent)',
    role: 'writer',
    target: subjectTarget,
    cost: 'write',
    free: alreadyRegistered,
    query: { normalize: Q.normalize },
    body: { json: schemaRequest },
    responses: { 200: Registered },
    handler: async (c) => {
      const raw = param(c, 'subject');
      const { context, subject } = checkSubjectName(raw);
      const { id, version, ...schema } = toSchemaInput(await readJson(c), { allowEmpty: true });
      const bounds = boundsOf(c.env);
      await assertContextWritable(c.get('cache'), c.get('reader'), context, bounds, true, raw);
      const outcome = await invalidating([scopes.subject(context, subject)], () =>
        c
          .get('writer')(context)
          .register({ context, subject, qualified: raw, schema, normalize: flag(c, 'normalize'), id, version, bounds, actor: c.get('actor') }),
      );
      // What the writer decided it under (the pre-check may not have read the subject): for the metrics.
      if (outcome.facts) c.get('metrics').noteRegistration(outcome.facts);
      // Already registered: re-registrations are arriving, and pre-checks answer them for free again.
      if (outcome.facts?.existing) registrationPrecheck.answered();
      return registered(c, committed(c, outcome));
    },
  },
  {
    method: 'GET',
    path: '/:subject/versions/:version',
    summary: 'One version of a subject (`latest` or -1 for the latest)',
    role: 'reader',
    target: subjectTarget,
    query: { deleted: Q.deleted, format: Q.format },
    responses: { 200: SchemaVersion },
    handler: async (c) => {
      const v = await version(c);
      const format = c.req.query('format');
      if (!format) return replyRaw(c, schemaEntityText(v, param(c, 'subject'), c.get('profile')));
      const schema = await renderedText(c.get('reader'), v, format);
      return reply(c, schemaEntity({ ...v, schema }, param(c, 'subject'), c.get('profile')));
    },
  },
  {
    method: 'GET',
    path: '/:subject/versions/:version/schema',
    summary: 'The raw schema text of a version',
    role: 'reader',
    target: subjectTarget,
    query: { deleted: Q.deleted, format: Q.format },
    responses: { 200: RawSchema },
    // The raw schema text, as Confluent answers it (the schema itself, not a JSON string of it).
    handler: async (c) => replyRaw(c, await renderedText(c.get('reader'), await version(c), c.req.query('format'))),
  },
  {
    method: 'GET',
    path: '/:subject/versions/:version/referencedby',
    summary: 'Ids of the schemas that reference this version',
    role: 'reader',
    target: subjectTarget,
    query: {
      deleted: Q.deleted,
      ...PAGED,
      limit: Q.limit.describe('At most this many ids, 1 to 100000; none (or out of range): all of them, 42224 when more than 100000 match'),
    },
    responses: { 200: Integers },
    handler: async (c) => {
      const { context, subject } = named(c);
      const v = await version(c);
      const target = { context, subject, version: v.version, ranges: readableSubjects(c, context) };
      return reply(c, await referencingIds(c.get('reader'), target, paging(c)));
    },
  },
  {
    method: 'DELETE',
    path: '/:subject/versions/:version',
    summary: 'Soft-delete a version; permanent=true (admin) after a soft delete',
    role: (c) => (flag(c, 'permanent') ? 'admin' : 'writer'),
    target: subjectTarget,
    cost: 'write',
    query: { permanent: Q.permanent },
    responses: { 200: Integer },
    handler: async (c) => {
      const raw = param(c, 'subject');
      const { context, subject } = checkSubjectName(raw);
      const v = parseVersionId(param(c, 'version'));
      await assertContextWritable(c.get('cache'), c.get('reader'), context, boundsOf(c.env), false, raw);
      const outcome = await invalidating([scopes.subject(context, subject), scopes.settings], () =>
        c
          .get('writer')(context)
          .deleteVersion({ context, subject, qualified: raw, version: v, permanent: flag(c, 'permanent'), actor: c.get('actor') }),
      );
      return reply(c, committed(c, outcome));
    },
  },
]);
