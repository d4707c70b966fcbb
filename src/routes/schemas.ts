/** /schemas: by id and guid (the immutable read path), listings, types (Confluent SchemasResource). */
import type { Context } from 'hono';
import { ErrorCode, errors, RegistryError } from '../domain/errors';
import { supportedTypes } from '../domain/formats';
import { ALL_CONTEXTS, DEFAULT_CONTEXT, parseSubject, qualify } from '../domain/naming';
import type { AppEnv } from '../http/env';
import { schemaEntity, schemaString, schemaStringText } from '../http/render';
import { flag, paging, reply, replyRaw } from '../http/respond';
import { ContextId, PAGED, Q, RawSchema, SchemaString, SchemaVersion, Strings, SubjectVersion } from '../http/shapes';
import * as z from 'zod';
import { param, resource } from '../http/route';
import { assertSchemaVisible, readableSubjects, readVisibility, schemaReadable } from '../http/visibility';
import { versionPage } from '../services/listings';
import { subjectsUsing, usagePage, type UsageListing, type UsageScope } from '../services/usages';
import { renderedText } from '../services/schemas';
import type { StoredSchema } from '../domain/entities';
import { schemaByGuid, schemaById } from '../services/schema-cache';

type Ctx = Context<AppEnv>;

/** Path ids that are not integers are not routes at all in Confluent (JAX-RS answers 404). */
function idParam(c: Ctx): number {
  const raw = param(c, 'id');
  // Confluent's @PathParam Integer: anything that is not an int32 is no route at all.
  const id = /^-?\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!(id >= -(2 ** 31) && id < 2 ** 31)) throw new RegistryError(ErrorCode.NOT_FOUND, 'HTTP 404 Not Found');
  return id;
}

/** Guids are UUIDs (compared in lower case); anything else cannot exist and must not reach KV. */
function guidParam(c: Ctx): string {
  const guid = param(c, 'guid');
  if (!/^[0-9a-fA-F-]{1,64}$/.test(guid)) throw errors.schemaNotFound(guid.slice(0, 64));
  return guid.toLowerCase();
}

/** How many contexts one guid is listed in (one content is at most one id per context and type). */
const MAX_GUID_IDS = 1000;

/** Where a guid is stored, in Confluent's order, keeping what the caller may read. */
async function visibleGuidIds(c: Ctx, guid: string): Promise<{ context: string; id: number }[]> {
  const out: { context: string; id: number }[] = [];
  for (const at of await c.get('reader').idsByGuid(guid, MAX_GUID_IDS)) {
    if (await schemaReadable(c, at.context, at.id)) out.push(at);
  }
  return out;
}

/**
 * A schema by guid: the first copy (default context first) through the immutable read path; when
 * the caller may not read that one, the first copy it may read (one guid is one content, so any
 * copy is the same answer). Absent and not readable are the same 40403.
 */
async function visibleByGuid(c: Ctx, guid: string): Promise<StoredSchema> {
  const first = await schemaByGuid(c.get('cache'), c.get('reader'), guid);
  if (first && (await schemaReadable(c, first.context, first.id))) return first;
  const other = first && (await visibleGuidIds(c, guid))[0];
  const found = other && (await schemaById(c.get('cache'), c.get('reader'), other.context, other.id));
  if (!found) throw errors.schemaNotFound(guid);
  return found;
}

/** `?subject=` selects the context of an id (`:.ctx:subject`); without it, the default context. */
function contextOf(c: Ctx): string {
  const s = c.req.query('subject');
  return s ? parseSubject(s).context : DEFAULT_CONTEXT;
}

/**
 * A schema by id, readable only through a subject the caller may read (else exactly the answer
 * for a missing id). `namedInError`: Confluent names the id in 40403 for the schema itself, not
 * for its subjects/versions.
 */
async function byId(c: Ctx, namedInError = true) {
  const id = idParam(c);
  const context = contextOf(c);
  // Built only when thrown (an Error's stack trace is costly on the warm path).
  const missing = () => errors.schemaNotFound(namedInError ? id : undefined);
  const found = await schemaById(c.get('cache'), c.get('reader'), context, id);
  if (!found) throw missing();
  await assertSchemaVisible(c, context, id, missing);
  return found;
}

/** Apply `?format=` (Avro `resolved`, Protobuf `serialized`) to a schema about to be answered. */
async function withFormat(c: Ctx, s: StoredSchema): Promise<StoredSchema> {
  const format = c.req.query('format');
  return format ? { ...s, schema: await renderedText(c.get('reader'), s, format) } : s;
}

/** An id-usage listing's page and deletion flag, as the request gives them. */
function usageListing(c: Ctx): UsageListing {
  return { ...paging(c), deleted: flag(c, 'deleted') };
}

/** An id-usage listing's id, and the subjects of its context the caller may read. */
function usageScope(c: Ctx, context: string, id: number): UsageScope {
  return { context, id, ranges: readableSubjects(c, context) };
}

export const schemas = resource('/schemas', [
  {
    method: 'GET',
    path: '/',
    summary: 'Schemas of the subjects matching subjectPrefix that the caller may read',
    role: 'reader',
    query: {
      subjectPrefix: Q.subjectPrefix,
      deleted: Q.deleted,
      latestOnly: z.boolean().optional().describe('Only the latest version of each subject'),
      ...PAGED,
      limit: Q.limit.describe('At most this many versions, 1 to 1000; none, 0 or less, or over 1000: 1000 (Confluent)'),
    },
    responses: { 200: z.array(SchemaVersion) },
    handler: async (c) => {
      // Default: the default context (Confluent 7.x); `:*:` lists every context, `:.ctx:` one context.
      const prefix = c.req.query('subjectPrefix') ?? '';
      const scope = prefix === ALL_CONTEXTS ? undefined : parseSubject(prefix);
      // By qualified subject name, then version; paged in SQL (services/listings.ts).
      const listing = {
        context: scope?.context,
        prefix: scope?.subject ?? '',
        ...paging(c),
        options: { deleted: flag(c, 'deleted') },
        latestOnly: flag(c, 'latestOnly'),
      };
      const versions = await versionPage(c.get('reader'), listing, readVisibility(c));
      return reply(
        c,
        versions.map((v) => schemaEntity(v, qualify(v.context, v.subject), c.get('profile'))),
      );
    },
  },
  {
    method: 'GET',
    path: '/types',
    summary: 'The schema formats this registry parses',
    role: 'reader',
    responses: { 200: Strings },
    handler: (c) => reply(c, supportedTypes()),
  },
  {
    method: 'GET',
    path: '/ids/:id',
    summary: 'A schema by id (`subject` selects the context)',
    role: 'reader',
    query: { subject: Q.subject, format: Q.format, fetchMaxId: z.boolean().optional().describe('Add the highest id of the context') },
    responses: { 200: SchemaString },
    handler: async (c) => {
      const found = await withFormat(c, await byId(c));
      if (!flag(c, 'fetchMaxId')) return replyRaw(c, schemaStringText(found, c.get('profile')));
      return reply(c, schemaString(found, c.get('profile'), await c.get('reader').maxId(found.context)));
    },
  },
  {
    method: 'GET',
    path: '/ids/:id/schema',
    summary: 'The raw schema text of an id',
    role: 'reader',
    query: { subject: Q.subject, format: Q.format },
    responses: { 200: RawSchema },
    handler: async (c) => replyRaw(c, (await withFormat(c, await byId(c))).schema),
  },
  {
    method: 'GET',
    path: '/ids/:id/subjects',
    summary: 'Subjects using a schema id (those the caller may read)',
    role: 'reader',
    query: {
      subject: Q.subject,
      deleted: Q.deleted,
      ...PAGED,
      limit: Q.limit.describe('At most this many subjects, 1 to 100000; none (or out of range): all of them, 42224 when more than 100000 match'),
    },
    responses: { 200: Strings },
    handler: async (c) => {
      const { context, id } = await byId(c, false);
      const names = await subjectsUsing(c.get('cache'), c.get('reader'), usageScope(c, context, id), usageListing(c));
      return reply(
        c,
        names.map((s) => qualify(context, s)),
      );
    },
  },
  {
    method: 'GET',
    path: '/ids/:id/versions',
    summary: 'Subject versions using a schema id (those the caller may read)',
    role: 'reader',
    query: {
      subject: Q.subject,
      deleted: Q.deleted,
      ...PAGED,
      limit: Q.limit.describe(
        'At most this many subject versions, 1 to 100000; none (or out of range): all of them, 42224 when more than 100000 match',
      ),
    },
    responses: { 200: z.array(SubjectVersion) },
    handler: async (c) => {
      const { context, id } = await byId(c, false);
      const usages = await usagePage(c.get('cache'), c.get('reader'), usageScope(c, context, id), usageListing(c));
      return reply(
        c,
        usages.map((u) => ({ subject: qualify(context, u.subject), version: u.version })),
      );
    },
  },
  {
    method: 'GET',
    path: '/guids/:guid',
    summary: 'A schema by guid (the default context first, then the others the caller may read)',
    role: 'reader',
    query: { format: Q.format },
    responses: { 200: SchemaString },
    handler: async (c) => {
      const guid = guidParam(c);
      const found = await visibleByGuid(c, guid);
      return replyRaw(c, schemaStringText(await withFormat(c, found), c.get('profile')));
    },
  },
  {
    method: 'GET',
    path: '/guids/:guid/ids',
    summary: 'The contexts and ids a guid is stored under (those the caller may read)',
    role: 'reader',
    responses: { 200: z.array(ContextId) },
    // Confluent answers an empty list, not 40403, for a guid it does not hold.
    handler: async (c) => reply(c, await visibleGuidIds(c, guidParam(c))),
  },
]);
