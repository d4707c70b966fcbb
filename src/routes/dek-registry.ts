/**
 * /dek-registry/v1/keks: Confluent's DEK registry, the key store of client-side field-level
 * encryption (DekRegistryResource; docs/dek-registry.md). KEKs are registry-wide metadata naming a
 * key in the client's KMS: read by any reader, written by a registry-wide writer. DEKs belong to a
 * subject: read and written under the subject's grants. The registry holds no KMS credentials:
 * what would make Confluent call its KMS (shared KEKs) is refused with 40370.
 */
import type { Context } from 'hono';
import * as z from 'zod';
import {
  checkDekSubject,
  checkKekName,
  type Dek,
  DEK_FORMATS,
  type DekFormat,
  DEFAULT_ALGORITHM,
  dekErrors,
  KEY_MATERIAL_MAX_LENGTH,
  type Kek,
  kmsKeyIdValid,
  normalizeKmsType,
  sortedProps,
} from '../domain/dek-registry';
import { ErrorCode, RegistryError } from '../domain/errors';
import { readsEverything } from '../domain/grant-rules';
import { parseVersionId } from '../domain/version-id';
import type { DekWrite } from '../durable/registry-writer';
import type { AppEnv } from '../http/env';
import { committed, flag, page, parseWith, readJson, reply } from '../http/respond';
import { param, resource, type RouteDef } from '../http/route';
import { PAGED, Q, Integers, Strings } from '../http/shapes';
import { registryTarget, subjectTarget } from '../http/targets';
import { canReadSubject } from '../http/visibility';
import {
  type DekSeries,
  dekEntity,
  findDekVersion,
  kekEntity,
  kekOrThrow,
  kekPropsVisible,
  listDekSubjects,
  listDekVersions,
  listKekNames,
} from '../services/dek-registry';

type Ctx = Context<AppEnv>;

const props = z.record(z.string(), z.string());

/** CreateKekRequest (Jackson: unknown fields ignored; the resource checks name, kmsKeyId, kmsType). */
const createKekRequest = z
  .object({
    name: z.string().nullish(),
    kmsType: z.string().nullish(),
    kmsKeyId: z.string().nullish(),
    kmsProps: props.nullish(),
    doc: z.string().nullish(),
    shared: z.boolean().nullish(),
    deleted: z.boolean().nullish(),
  })
  .meta({ id: 'CreateKekRequest' });

/** UpdateKekRequest: an absent field keeps the KEK's value; `kmsProps` or `doc` null clears it. */
const updateKekRequest = z
  .object({ kmsProps: props.nullish(), doc: z.string().nullish(), shared: z.boolean().nullish() })
  .meta({ id: 'UpdateKekRequest' });

/** CreateDekRequest (the subject comes from the path; `version` defaults to 1, `algorithm` to AES256_GCM). */
const createDekRequest = z
  .object({
    subject: z.string().nullish(),
    version: z.number().int().nullish(),
    algorithm: z.enum(DEK_FORMATS).nullish(),
    encryptedKeyMaterial: z.string().nullish(),
    deleted: z.boolean().nullish(),
  })
  .meta({ id: 'CreateDekRequest' });

const KekBody = z
  .strictObject({
    name: z.string(),
    kmsType: z.string(),
    kmsKeyId: z.string(),
    kmsProps: z.record(z.string(), z.string()).optional().describe('Shown to callers that read a subject with a DEK under this KEK'),
    doc: z.string().optional(),
    shared: z.boolean(),
    ts: z.number().int(),
    deleted: z.literal(true).optional(),
  })
  .meta({ id: 'Kek' });

const DekBody = z
  .strictObject({
    kekName: z.string(),
    subject: z.string(),
    version: z.number().int(),
    algorithm: z.enum(DEK_FORMATS),
    encryptedKeyMaterial: z.string().optional(),
    ts: z.number().int(),
    deleted: z.literal(true).optional(),
  })
  .meta({ id: 'Dek' });

const QUERY = {
  deleted: z.boolean().optional().describe('Include soft-deleted keys'),
  algorithm: z.enum(DEK_FORMATS).optional().describe('The DEK algorithm (default AES256_GCM)'),
  permanent: Q.permanent,
  testSharing: z.boolean().optional().describe('Test the shared KEK through the KMS first (refused here: no KMS)'),
  rewrap: z.boolean().optional().describe("Replace an existing DEK's encryptedKeyMaterial"),
  subjectPrefix: z.string().optional().describe('Only KEKs with a DEK whose subject starts with this (repeatable)'),
};

const kekName = (c: Ctx) => checkKekName(param(c, 'name'));

/** The `{subject}` of a DEK route, checked as Confluent's checkSubject does. */
function subjectOf(c: Ctx) {
  const qualified = param(c, 'subject');
  return { qualified, ...checkDekSubject(qualified) };
}

/** `?algorithm=`: Jersey answers a value its enum does not know with 404 (a query parameter it cannot convert). */
function algorithmOf(c: Ctx): DekFormat {
  const raw = c.req.query('algorithm');
  if (raw === undefined || raw === '') return DEFAULT_ALGORITHM;
  if (!(DEK_FORMATS as readonly string[]).includes(raw)) throw new RegistryError(ErrorCode.NOT_FOUND, 'HTTP 404 Not Found');
  return raw as DekFormat;
}

function seriesOf(c: Ctx): { series: DekSeries; qualified: string } {
  const name = kekName(c);
  const s = subjectOf(c);
  return { series: { context: s.context, kekName: name, subject: s.subject, algorithm: algorithmOf(c) }, qualified: s.qualified };
}

const visible = (c: Ctx) => (context: string, subject: string) => canReadSubject(c, context, subject);

async function dekRegistryWrite<T>(c: Ctx, w: DekWrite): Promise<T> {
  return committed(
    c,
    await c
      .get('registryWriter')()
      .dekRegistry({ ...w, actor: c.get('actor') }),
  ) as T;
}

async function listKeks(c: Ctx) {
  const names = await listKekNames(c.get('reader').db, c.req.queries('subjectPrefix') ?? [], flag(c, 'deleted'), visible(c));
  return reply(c, page(c, names));
}

async function getKek(c: Ctx) {
  const name = kekName(c);
  const k = await kekOrThrow(c.get('reader').db, name, flag(c, 'deleted'));
  const show = readsEverything(c.get('principal').grants) || (await kekPropsVisible(c.get('reader').db, name, visible(c)));
  return reply(c, kekEntity(k, show));
}

async function createKek(c: Ctx) {
  const r = parseWith(createKekRequest, await readJson(c));
  const name = checkKekName(r.name ?? '');
  if (!r.kmsKeyId) throw dekErrors.invalidKey('kmsKeyId');
  if (r.kmsType === undefined || r.kmsType === null) throw dekErrors.invalidKey('kmsType');
  if (!kmsKeyIdValid(r.kmsType, r.kmsKeyId)) throw dekErrors.invalidKey('kmsKeyId');
  if (r.shared && flag(c, 'testSharing')) throw dekErrors.kmsUnavailable(`encrypted dek for ${name}`);
  const kek = await dekRegistryWrite<Kek>(c, {
    op: 'createKek',
    name,
    kmsType: normalizeKmsType(r.kmsType),
    kmsKeyId: r.kmsKeyId,
    kmsProps: sortedProps(r.kmsProps),
    doc: r.doc ?? null,
    shared: r.shared ?? false,
    deleted: r.deleted ?? false,
  });
  return reply(c, kek);
}

async function updateKek(c: Ctx) {
  const name = kekName(c);
  const r = parseWith(updateKekRequest, await readJson(c));
  if (flag(c, 'testSharing')) {
    const old = await kekOrThrow(c.get('reader').db, name, false);
    if (r.shared ?? old.shared === 1) throw dekErrors.kmsUnavailable(`encrypted dek for ${name}`);
  }
  const kek = await dekRegistryWrite<Kek>(c, {
    op: 'updateKek',
    name,
    ...(r.kmsProps !== undefined ? { kmsProps: sortedProps(r.kmsProps) } : {}),
    ...(r.doc !== undefined ? { doc: r.doc } : {}),
    ...(r.shared !== undefined && r.shared !== null ? { shared: r.shared } : {}),
  });
  return reply(c, kek);
}

/** POST /keks/{name}/test: Confluent generates a test DEK through the KMS (shared KEKs only). */
async function testKek(c: Ctx): Promise<Response> {
  const k = await kekOrThrow(c.get('reader').db, kekName(c), false);
  if (!k.shared) throw dekErrors.invalidKey('shared');
  throw dekErrors.kmsUnavailable(`encrypted dek for __TEST`);
}

async function deleteKek(c: Ctx) {
  await dekRegistryWrite<null>(c, { op: 'deleteKek', name: kekName(c), permanent: flag(c, 'permanent') });
  return c.body(null, 204);
}

async function undeleteKek(c: Ctx) {
  await dekRegistryWrite<null>(c, { op: 'undeleteKek', name: kekName(c) });
  return c.body(null, 204);
}

async function listDeks(c: Ctx) {
  const name = kekName(c);
  const deleted = flag(c, 'deleted');
  await kekOrThrow(c.get('reader').db, name, deleted);
  return reply(c, page(c, await listDekSubjects(c.get('reader').db, name, deleted, visible(c))));
}

async function createDek(c: Ctx) {
  const name = kekName(c);
  const s = subjectOf(c);
  const r = parseWith(createDekRequest, await readJson(c));
  const version = r.version ?? 1;
  if (version < 1) throw dekErrors.invalidKey('version');
  const material = r.encryptedKeyMaterial ?? undefined;
  if (material !== undefined && (material === '' || material.length > KEY_MATERIAL_MAX_LENGTH)) throw dekErrors.invalidKey('encryptedKeyMaterial');
  const dek = await dekRegistryWrite<Dek>(c, {
    op: 'createDek',
    series: { context: s.context, kekName: name, subject: s.subject, algorithm: r.algorithm ?? DEFAULT_ALGORITHM },
    qualified: s.qualified,
    version,
    ...(material !== undefined ? { encryptedKeyMaterial: material } : {}),
    deleted: r.deleted ?? false,
    rewrap: flag(c, 'rewrap'),
  });
  return reply(c, dek);
}

/** GET a DEK: `{version}` absent is version 1 (DekRegistryResource.getDek uses MIN_VERSION). */
async function getDek(c: Ctx) {
  const version = c.req.param('version') === undefined ? 1 : parseVersionId(param(c, 'version'));
  const { series, qualified } = seriesOf(c);
  const deleted = flag(c, 'deleted');
  const kek = await kekOrThrow(c.get('reader').db, series.kekName, deleted);
  const d = await findDekVersion(c.get('reader').db, series, version, deleted);
  if (!d) throw dekErrors.keyNotFound(qualified);
  // Confluent decrypts a shared KEK's DEK through its KMS to answer keyMaterial.
  if (kek.shared) throw dekErrors.kmsUnavailable(`raw dek for ${qualified}`);
  return reply(c, dekEntity(d));
}

async function getDekVersions(c: Ctx) {
  const { series } = seriesOf(c);
  const deleted = flag(c, 'deleted');
  await kekOrThrow(c.get('reader').db, series.kekName, deleted);
  return reply(c, page(c, await listDekVersions(c.get('reader').db, series, deleted)));
}

function versionOf(c: Ctx): { version?: number | 'latest' } {
  return c.req.param('version') === undefined ? {} : { version: parseVersionId(param(c, 'version')) };
}

async function deleteDek(c: Ctx) {
  const version = versionOf(c);
  await dekRegistryWrite<null>(c, { op: 'deleteDek', ...seriesOf(c), ...version, permanent: flag(c, 'permanent') });
  return c.body(null, 204);
}

async function undeleteDek(c: Ctx) {
  const version = versionOf(c);
  await dekRegistryWrite<null>(c, { op: 'undeleteDek', ...seriesOf(c), ...version });
  return c.body(null, 204);
}

/** Permanent deletes need admin, as for subjects. */
const deleter = (c: Ctx) => (flag(c, 'permanent') ? 'admin' : 'writer');

const kekRead = { role: 'reader' } as const;
const kekWrite = { role: 'writer', target: registryTarget, cost: 'write' } as const;
const dekRead = { role: 'reader', target: subjectTarget } as const;
const dekWrite = { role: 'writer', target: subjectTarget, cost: 'write' } as const;
const listed = { deleted: QUERY.deleted, ...PAGED };
const gone = { 204: null } as const;

const ROUTES: RouteDef[] = [
  {
    method: 'GET',
    path: '/',
    summary: 'KEK names; with subjectPrefix, the KEKs of the DEKs of those subjects (that the caller may read)',
    ...kekRead,
    query: { subjectPrefix: QUERY.subjectPrefix, ...listed },
    responses: { 200: Strings },
    handler: listKeks,
  },
  {
    method: 'POST',
    path: '/',
    summary: 'Create a KEK (40971 if it exists; a create of a soft-deleted KEK with the same fields undeletes it)',
    ...kekWrite,
    query: { testSharing: QUERY.testSharing },
    body: { json: createKekRequest },
    responses: { 200: KekBody },
    handler: createKek,
  },
  {
    method: 'GET',
    path: '/:name',
    summary: 'A KEK (kmsProps only to a caller that reads a subject with a DEK under it)',
    ...kekRead,
    query: { deleted: QUERY.deleted },
    responses: { 200: KekBody },
    handler: getKek,
  },
  {
    method: 'PUT',
    path: '/:name',
    summary: "Update a KEK's kmsProps, doc or shared",
    ...kekWrite,
    query: { testSharing: QUERY.testSharing },
    body: { json: updateKekRequest },
    responses: { 200: KekBody },
    handler: updateKek,
  },
  {
    method: 'DELETE',
    path: '/:name',
    summary: 'Soft-delete a KEK (42272 while live DEKs use it); permanent=true (admin) after a soft delete, with no DEK left',
    role: deleter,
    target: registryTarget,
    cost: 'write',
    query: { permanent: QUERY.permanent },
    responses: gone,
    handler: deleteKek,
  },
  {
    method: 'POST',
    path: '/:name/undelete',
    summary: 'Undelete a soft-deleted KEK',
    ...kekWrite,
    responses: gone,
    handler: undeleteKek,
  },
  {
    method: 'POST',
    path: '/:name/test',
    summary: 'Test a shared KEK through the KMS (42271 for a KEK that is not shared; 40370 here: the registry has no KMS)',
    role: 'writer',
    target: registryTarget,
    responses: { 200: KekBody },
    handler: testKek,
  },
  {
    method: 'GET',
    path: '/:name/deks',
    summary: 'The subjects with DEKs under a KEK (that the caller may read)',
    ...kekRead,
    query: listed,
    responses: { 200: Strings },
    handler: listDeks,
  },
  {
    method: 'POST',
    path: '/:name/deks/:subject',
    summary: 'Create a DEK: the encryptedKeyMaterial the client wrapped with its KMS (42271 without it)',
    ...dekWrite,
    query: { rewrap: QUERY.rewrap },
    body: { json: createDekRequest },
    responses: { 200: DekBody },
    handler: createDek,
  },
  {
    method: 'GET',
    path: '/:name/deks/:subject',
    summary: "A subject's DEK, version 1",
    ...dekRead,
    query: { algorithm: QUERY.algorithm, deleted: QUERY.deleted },
    responses: { 200: DekBody },
    handler: getDek,
  },
  {
    method: 'DELETE',
    path: '/:name/deks/:subject',
    summary: "Soft-delete every version of a subject's DEK; permanent=true (admin) after a soft delete",
    role: deleter,
    target: subjectTarget,
    cost: 'write',
    query: { algorithm: QUERY.algorithm, permanent: QUERY.permanent },
    responses: gone,
    handler: deleteDek,
  },
  {
    method: 'POST',
    path: '/:name/deks/:subject/undelete',
    summary: "Undelete every version of a subject's DEK (40472 while the KEK is deleted)",
    ...dekWrite,
    query: { algorithm: QUERY.algorithm },
    responses: gone,
    handler: undeleteDek,
  },
  {
    method: 'GET',
    path: '/:name/deks/:subject/versions',
    summary: "The versions of a subject's DEK",
    ...dekRead,
    query: { algorithm: QUERY.algorithm, ...listed },
    responses: { 200: Integers },
    handler: getDekVersions,
  },
  {
    method: 'GET',
    path: '/:name/deks/:subject/versions/:version',
    summary: "A version of a subject's DEK (`latest` or -1: the highest)",
    ...dekRead,
    query: { algorithm: QUERY.algorithm, deleted: QUERY.deleted },
    responses: { 200: DekBody },
    handler: getDek,
  },
  {
    method: 'DELETE',
    path: '/:name/deks/:subject/versions/:version',
    summary: 'Soft-delete a DEK version; permanent=true (admin) after a soft delete',
    role: deleter,
    target: subjectTarget,
    cost: 'write',
    query: { algorithm: QUERY.algorithm, permanent: QUERY.permanent },
    responses: gone,
    handler: deleteDek,
  },
  {
    method: 'POST',
    path: '/:name/deks/:subject/versions/:version/undelete',
    summary: 'Undelete a DEK version (40472 while the KEK is deleted)',
    ...dekWrite,
    query: { algorithm: QUERY.algorithm },
    responses: gone,
    handler: undeleteDek,
  },
];

export const dekRegistry = resource('/dek-registry/v1/keks', ROUTES);
