/**
 * /associations: Confluent 8.1's associations of subjects with resources (Kafka topics) as their
 * key or value subject (AssociationsResource, v8.1.5; docs/associations.md). Reads are filtered to
 * the associations whose subject the caller may read; writes need the writer role on every subject
 * they touch, which the writer checks (the subjects are in the body or in the stored rows, not in
 * the path): the routes declare the role the caller must hold somewhere.
 */
import type { Context } from 'hono';
import * as z from 'zod';
import {
  LIFECYCLES,
  type Lifecycle,
  MAX_BATCH,
  MAX_PAGE,
  type RawGet,
  RESOURCE_WILDCARD,
  TOPIC,
  validateGet,
  validateOpRequest,
  validateRequest,
  associationErrors,
} from '../domain/associations';
import { ErrorCode, RegistryError } from '../domain/errors';
import { parseSubject, qualify } from '../domain/naming';
import type { AssociationWrite, AssociationWriteResult, Cascade } from '../durable/registry-writer';
import type { AppEnv } from '../http/env';
import { schemaEntity } from '../http/render';
import { committed, flag, parseWith, readJson, reply } from '../http/respond';
import { param, resource, type RouteDef } from '../http/route';
import { ErrorBody, Q, SchemaVersion } from '../http/shapes';
import { subjectTarget } from '../http/targets';
import { canReadSubject } from '../http/visibility';
import {
  type AssociationFilter,
  type AssociationRow,
  associationEntity,
  associationResponse,
  findByNamespace,
  findByResourceId,
  findByResourceName,
  findBySubject,
} from '../services/associations';
import { limitExceeded } from '../services/bounds';
import { invalidating, scopes } from '../services/fresh-cache';

type Ctx = Context<AppEnv>;

const lifecycle = z.enum(LIFECYCLES);

/** AssociationCreateOrUpdateInfo (Jackson: unknown fields ignored). */
const infoRequest = z.object({
  subject: z.string().nullish(),
  associationType: z.string().nullish(),
  lifecycle: lifecycle.nullish(),
  frozen: z.boolean().nullish(),
  schema: z.record(z.string(), z.unknown()).nullish().describe('A RegisterSchemaRequest: refused here (docs/associations.md)'),
  normalize: z.boolean().nullish(),
});

const resourceFields = {
  resourceName: z.string().nullish(),
  resourceNamespace: z.string().nullish(),
  resourceId: z.string().nullish(),
  resourceType: z.string().nullish(),
};

const createRequest = z.object({ ...resourceFields, associations: z.array(infoRequest).nullish() }).meta({ id: 'AssociationCreateOrUpdateRequest' });

const opRequest = infoRequest.extend({ opType: z.string().nullish(), cascadeLifecycle: z.boolean().nullish() });
const batchRequest = z
  .object({ requests: z.array(z.object({ ...resourceFields, associations: z.array(opRequest).nullish() })).nullish() })
  .meta({ id: 'AssociationBatchRequest' });

const getRequest = z.object({ ...resourceFields, associationTypes: z.array(z.string()).nullish(), lifecycle: lifecycle.nullish() });
const batchGetRequest = z.object({ requests: z.array(getRequest).nullish() }).meta({ id: 'AssociationBatchGetRequest' });

const AssociationBody = z
  .strictObject({
    subject: z.string(),
    guid: z.string(),
    resourceName: z.string(),
    resourceNamespace: z.string(),
    resourceId: z.string(),
    resourceType: z.string(),
    associationType: z.string(),
    lifecycle,
    frozen: z.boolean(),
    createTs: z.number().int(),
    updateTs: z.number().int(),
  })
  .meta({ id: 'Association' });

const InfoBody = z.strictObject({
  subject: z.string(),
  associationType: z.string(),
  lifecycle,
  frozen: z.boolean(),
  schema: SchemaVersion.optional(),
});

const ResponseBody = z
  .strictObject({
    resourceName: z.string().optional(),
    resourceNamespace: z.string().optional(),
    resourceId: z.string().optional(),
    resourceType: z.string().optional(),
    associations: z.array(InfoBody),
  })
  .meta({ id: 'AssociationResponse' });

const BatchBody = z
  .strictObject({ results: z.array(z.strictObject({ error: ErrorBody.optional(), result: ResponseBody.optional() })) })
  .meta({ id: 'AssociationBatchResponse' });

const QUERY = {
  resourceType: z.string().optional().describe("The resource type (default and only value: 'topic')"),
  associationType: z.string().optional().describe('Only these association types (key, value; repeatable)'),
  lifecycle: lifecycle.optional().describe('Only this lifecycle'),
  dryRun: z.boolean().optional().describe('Validate only: nothing is written'),
  context: z.string().optional().describe('The context (`:.ctx:`) of subjects written bare (context URLs set it)'),
  cascadeLifecycle: z.boolean().optional().describe("Also delete a STRONG association's subject, permanently (needs admin on it)"),
  includeSchemas: z.boolean().optional().describe("Answer each associated subject's latest schema"),
};
const LISTING = {
  resourceType: QUERY.resourceType,
  associationType: QUERY.associationType,
  lifecycle: QUERY.lifecycle,
  offset: Q.offset,
  limit: Q.limit,
};

/** `?resourceType=` (empty: topic). */
function resourceTypeOf(c: Ctx): string {
  return c.req.query('resourceType') || TOPIC;
}

/** `?lifecycle=`: Jersey answers a value its enum does not know with 404 (a query parameter it cannot convert). */
function lifecycleOf(c: Ctx): Lifecycle | null {
  const raw = c.req.query('lifecycle');
  if (raw === undefined || raw === '') return null;
  if (!(LIFECYCLES as readonly string[]).includes(raw)) throw new RegistryError(ErrorCode.NOT_FOUND, 'HTTP 404 Not Found');
  return raw as Lifecycle;
}

function filterOf(c: Ctx): AssociationFilter {
  return { resourceType: resourceTypeOf(c), associationTypes: c.req.queries('associationType') ?? [], lifecycle: lifecycleOf(c) };
}

/** `?context=`: the context of a subject written bare; absent: the default context. */
function contextOf(c: Ctx): string | null {
  const raw = c.req.query('context');
  return raw ? parseSubject(raw.endsWith(':') ? raw : `${raw}:`).context : null;
}

/**
 * offset/limit as Confluent's listing reads them, within MAX_PAGE: no limit (or one of 0 or less)
 * answers at most MAX_PAGE associations, as Confluent's normalizeSchemaLimit does; a larger limit
 * is refused (42224), never silently cut.
 */
function pageOf<T>(c: Ctx, items: T[]): T[] {
  const offset = Math.max(0, Number.parseInt(c.req.query('offset') ?? '0', 10) || 0);
  const limit = Number.parseInt(c.req.query('limit') ?? '-1', 10);
  if (Number.isFinite(limit) && limit > MAX_PAGE) throw limitExceeded(`limit ${limit} is over ${MAX_PAGE}, the most associations one page answers`);
  return items.slice(offset, offset + (Number.isFinite(limit) && limit > 0 ? limit : MAX_PAGE));
}

const visibleRows = (c: Ctx, rows: AssociationRow[]) => rows.filter((a) => canReadSubject(c, a.context, a.subject));

function listing(c: Ctx, rows: AssociationRow[]): Response {
  return reply(c, pageOf(c, visibleRows(c, rows)).map(associationEntity));
}

async function bySubject(c: Ctx) {
  const { context, subject } = parseSubject(param(c, 'subject'));
  return listing(c, await findBySubject(c.get('reader').db, context, subject, filterOf(c)));
}

async function byResourceId(c: Ctx) {
  return listing(c, await findByResourceId(c.get('reader').db, param(c, 'resourceId'), filterOf(c)));
}

async function byResourceName(c: Ctx) {
  const name = param(c, 'name');
  const namespace = param(c, 'namespace');
  const f = filterOf(c);
  const rows =
    name === RESOURCE_WILDCARD
      ? await findByNamespace(c.get('reader').db, namespace, f)
      : await findByResourceName(c.get('reader').db, name, namespace, f);
  return listing(c, rows);
}

async function associationWrite(c: Ctx, w: AssociationWrite): Promise<AssociationWriteResult> {
  const outcome = await c
    .get('registryWriter')()
    .associations({ ...w, actor: c.get('actor') });
  return committed(c, outcome);
}

/**
 * The cascade of a STRONG association's delete (AbstractSchemaRegistry.deleteAssociations): its
 * subject soft-deleted, then permanently, through the subject's context writer, after the
 * association's own commit (docs/associations.md: two commits, as in Confluent). A subject already
 * soft-deleted or gone is no error.
 */
async function runCascade(c: Ctx, cascade: Cascade[]): Promise<void> {
  for (const { context, subject } of cascade) {
    const qualified = qualify(context, subject);
    for (const permanent of [false, true]) {
      const outcome = await invalidating([scopes.subject(context, subject), scopes.settings], () =>
        c
          .get('writer')(context)
          .deleteSubject({ context, subject, qualified, permanent, actor: c.get('actor') }),
      );
      if (!outcome.ok && outcome.code !== ErrorCode.SUBJECT_NOT_FOUND && outcome.code !== ErrorCode.SUBJECT_SOFT_DELETED) committed(c, outcome);
      if (outcome.ok) c.get('setBookmark')(outcome.bookmark);
    }
  }
}

/** Registering a schema through an association needs the subject's writer: refused here (docs/associations.md). */
function refuseSchemas(infos: { schema: unknown }[]): void {
  if (infos.some((i) => i.schema !== null && i.schema !== undefined)) {
    throw associationErrors.invalid(
      'schema',
      'this registry does not register a schema with an association: register it under the subject (POST /subjects/{subject}/versions), then create the association',
    );
  }
}

async function create(c: Ctx) {
  const dryRun = flag(c, 'dryRun');
  const request = validateRequest(parseWith(createRequest, await readJson(c)), true, dryRun);
  refuseSchemas(request.associations);
  const { response } = await associationWrite(c, { op: 'create', request, dryRun, context: contextOf(c), grants: c.get('principal').grants });
  return reply(c, response);
}

async function upsert(c: Ctx) {
  const dryRun = flag(c, 'dryRun');
  const body = parseWith(createRequest, await readJson(c));
  const resourceId = param(c, 'resourceId');
  if (body.resourceId === null || body.resourceId === undefined) body.resourceId = resourceId;
  else if (body.resourceId !== resourceId) {
    throw associationErrors.invalid('resourceId', 'Resource ID in the path parameter does not match the resource ID in the request body');
  }
  const request = validateRequest(body, false, dryRun);
  refuseSchemas(request.associations);
  const { response } = await associationWrite(c, { op: 'upsert', request, dryRun, context: contextOf(c), grants: c.get('principal').grants });
  return reply(c, response);
}

async function remove(c: Ctx) {
  const dryRun = flag(c, 'dryRun');
  const { cascade } = await associationWrite(c, {
    op: 'delete',
    resourceId: param(c, 'resourceId'),
    resourceType: resourceTypeOf(c),
    associationTypes: c.req.queries('associationType') ?? [],
    cascadeLifecycle: flag(c, 'cascadeLifecycle'),
    dryRun,
    context: null,
    grants: c.get('principal').grants,
  });
  await runCascade(c, cascade);
  return c.body(null, 204);
}

/** A batch's requests: present, and at most MAX_BATCH of them (42224 beyond). */
function requestsOf<T>(requests: T[] | null | undefined): T[] {
  if (!requests || requests.length === 0) throw associationErrors.invalid('requests', 'cannot be null or empty');
  if (requests.length > MAX_BATCH) throw limitExceeded(`A batch holds at most ${MAX_BATCH} requests, not ${requests.length}`);
  return requests;
}

const errorOf = (e: unknown) => {
  if (e instanceof RegistryError) return { error: { error_code: e.code, message: e.message } };
  throw e;
};

async function batchGet(c: Ctx) {
  const queries = requestsOf(parseWith(batchGetRequest, await readJson(c)).requests);
  const includeSchemas = flag(c, 'includeSchemas');
  const results = [];
  for (const q of queries) {
    try {
      results.push({ result: await getOne(c, q, includeSchemas) });
    } catch (e) {
      const { error } = errorOf(e);
      // Confluent answers every failure of a query with 50001 and the message prefixed.
      results.push({ error: { error_code: ErrorCode.STORE_ERROR, message: `Error while getting associations: ${error.message}` } });
    }
  }
  return c.body(JSON.stringify({ results }), 207, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
}

/** AbstractSchemaRegistry.batchGetAssociations, one query: by id, or by name and namespace. */
async function getOne(c: Ctx, q: RawGet, includeSchemas: boolean) {
  validateGet(q);
  const f: AssociationFilter = { resourceType: q.resourceType || TOPIC, associationTypes: q.associationTypes ?? [], lifecycle: q.lifecycle ?? null };
  const db = c.get('reader').db;
  const rows = visibleRows(
    c,
    q.resourceId
      ? await findByResourceId(db, q.resourceId, f)
      : await findByResourceName(db, q.resourceName as string, q.resourceNamespace as string, f),
  );
  const first = rows.at(0);
  const resource = {
    resourceName: q.resourceName ?? first?.resourceName ?? null,
    resourceNamespace: q.resourceNamespace ?? first?.resourceNamespace ?? null,
    resourceId: q.resourceId ?? first?.resourceId ?? null,
    resourceType: f.resourceType,
  };
  const schemas = new Map<string, unknown>();
  if (includeSchemas) {
    for (const a of rows) {
      const v = await c.get('reader').latest(a.context, a.subject);
      if (v) schemas.set(a.associationType, schemaEntity(v, qualify(a.context, a.subject), c.get('profile')));
    }
  }
  return associationResponse(resource, rows, schemas);
}

async function batchMutate(c: Ctx) {
  const requests = requestsOf(parseWith(batchRequest, await readJson(c)).requests);
  const dryRun = flag(c, 'dryRun');
  const context = contextOf(c);
  const results = [];
  for (const raw of requests) {
    try {
      const request = validateOpRequest(raw, dryRun);
      refuseSchemas(request.ops.flatMap((op) => (op.opType === 'DELETE' ? [] : [op.info])));
      const { response, cascade } = await associationWrite(c, { op: 'mutate', request, dryRun, context, grants: c.get('principal').grants });
      await runCascade(c, cascade);
      results.push({ result: response });
    } catch (e) {
      results.push(errorOf(e));
    }
  }
  return c.body(JSON.stringify({ results }), 207, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
}

const read = { role: 'reader' } as const;
const write = { role: 'writer', cost: 'write' } as const;

const ROUTES: RouteDef[] = [
  {
    method: 'POST',
    path: '/',
    summary: 'Create associations of a resource with subjects (writer on each subject; 40903, 40904, 40905, 40907, 42212)',
    ...write,
    query: { dryRun: QUERY.dryRun, context: QUERY.context },
    body: { json: createRequest },
    responses: { 200: ResponseBody },
    handler: create,
  },
  {
    method: 'GET',
    path: '/subjects/:subject',
    summary: "A subject's associations",
    role: 'reader',
    target: subjectTarget,
    query: LISTING,
    responses: { 200: z.array(AssociationBody) },
    handler: bySubject,
  },
  {
    method: 'GET',
    path: '/resources/:resourceId',
    summary: "A resource's associations, by resource id (those on subjects the caller may read)",
    ...read,
    query: LISTING,
    responses: { 200: z.array(AssociationBody) },
    handler: byResourceId,
  },
  {
    method: 'PUT',
    path: '/resources/:resourceId',
    summary: "Create or update a resource's associations (lifecycle; subject and frozen never change; 40908 when frozen)",
    ...write,
    query: { dryRun: QUERY.dryRun, context: QUERY.context },
    body: { json: createRequest },
    responses: { 200: ResponseBody },
    handler: upsert,
  },
  {
    method: 'DELETE',
    path: '/resources/:resourceId',
    summary: "Delete a resource's associations (40410 when none; 40908 when frozen, unless cascadeLifecycle)",
    ...write,
    query: {
      resourceType: QUERY.resourceType,
      associationType: QUERY.associationType,
      cascadeLifecycle: QUERY.cascadeLifecycle,
      dryRun: QUERY.dryRun,
    },
    responses: { 204: null },
    handler: remove,
  },
  {
    method: 'GET',
    path: '/resources/:namespace/:name',
    summary: 'Associations by resource namespace and name (`-` for either: every one)',
    ...read,
    query: LISTING,
    responses: { 200: z.array(AssociationBody) },
    handler: byResourceName,
  },
];

export const associations = resource('/associations', ROUTES);

/** The batch forms (`POST /associations:batchGet`, `:batchMutate`: Google-style custom methods). */
const BATCH_ROUTES: RouteDef[] = [
  {
    method: 'POST',
    path: '/associations:batchGet',
    summary: "Several resources' associations at once (207: a result or an error per query; at most 100)",
    ...read,
    query: { includeSchemas: QUERY.includeSchemas },
    body: { json: batchGetRequest },
    responses: { 207: BatchBody },
    handler: batchGet,
  },
  {
    method: 'POST',
    path: '/associations:batchMutate',
    summary: 'Create, upsert and delete associations of several resources (207; each request all-or-nothing; at most 100)',
    ...write,
    query: { dryRun: QUERY.dryRun, context: QUERY.context },
    body: { json: batchRequest },
    responses: { 207: BatchBody },
    handler: batchMutate,
  },
];

export const associationBatches = resource('/', BATCH_ROUTES);
