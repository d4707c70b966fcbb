/**
 * /v1/admin: operator endpoints, registry-wide admin only. Registry-wide counts (stats), snapshots and restore
 * (docs/operations.md), managed API keys and the audit log (docs/security.md). Every request
 * here is audited: writes in their own batch, reads right after the answer.
 */
import type { Context } from 'hono';
import * as z from 'zod';
import { ErrorCode, RegistryError } from '../domain/errors';
import { grantListSchema } from '../domain/grants';
import { forgetKey } from '../http/authenticate';
import type { AppEnv } from '../http/env';
import { committed, parseWith, readJson, readText, reply, responseType } from '../http/respond';
import { param, resource, type RouteDef } from '../http/route';
import { registryTarget } from '../http/targets';
import {
  ApiKey,
  ApiKeyWithSecret,
  AuditPage,
  AuditVerification,
  Counts,
  RegistryStats,
  RestoreProgress,
  RestoreStatus,
  Snapshot,
  SnapshotList,
  SnapshotManifest,
  SnapshotSummary,
} from '../http/shapes';
import {
  archiveNow,
  auditRows,
  auditVerification,
  createSnapshot,
  generationNow,
  keyDetail,
  keyId,
  keyList,
  registryStats,
  restoreStatus,
  MAX_SNAPSHOT_BYTES,
  MAX_VERIFIED_ROWS,
  snapshotManifest,
  snapshotNow,
  snapshotsPage,
} from '../services/admin';
import { forgetGeneration } from '../services/generation';

type Ctx = Context<AppEnv>;

const Generation = z.strictObject({ generation: z.number().int().min(0) });

/** How long a rotated-out secret may keep working: at most a week. */
const MAX_GRACE_SECONDS = 7 * 24 * 3600;

const createKeyRequest = z
  .object({
    name: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[\x20-\x7e]+$/, 'printable ASCII'),
    grants: grantListSchema,
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

const restoreRequest = z
  .object({
    maxSteps: z.number().int().min(1).max(100_000).optional().describe('At most this many steps (a verified part, a written chunk) in this call'),
  })
  .strict();

const rotateRequest = z.object({ graceSeconds: z.number().int().min(0).max(MAX_GRACE_SECONDS).optional() }).strict();

const keyParam = (c: Ctx) => keyId(param(c, 'key'));

/** `limit` (1..1000, default 100) and a cursor or offset, for admin listings. */
function paging(c: Ctx, cursor: string): { from: number; limit: number } {
  const limit = Number(c.req.query('limit') ?? '100');
  const from = Number(c.req.query(cursor) ?? '0');
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new RegistryError(ErrorCode.UNPROCESSABLE, 'limit must be an integer from 1 to 1000');
  // Safe integers only: past 2^53 D1 binds a float, and SQLite refuses it as an OFFSET (a 500 or 503, not the client's 422).
  if (!Number.isSafeInteger(from) || from < 0) throw new RegistryError(ErrorCode.UNPROCESSABLE, `${cursor} must be a non-negative integer`);
  return { from, limit };
}

const PAGE_LIMIT = z.number().int().min(1).max(1000).optional().describe('1 to 1000 (default 100)');

const primary = (c: Ctx) => c.env.DB.withSession('first-primary');
const admin = { role: 'admin', target: registryTarget } as const;
const adminRead = { ...admin, audited: true } as const;

const routes: RouteDef[] = [
  {
    method: 'GET',
    path: '/stats',
    summary: 'Registry-wide counts: contexts, subjects and versions (live, soft-deleted), schemas by type, writes in the last hour and day',
    ...adminRead,
    responses: { 200: RegistryStats },
    handler: async (c) => reply(c, await registryStats(primary(c))),
  },
  {
    method: 'GET',
    path: '/snapshots',
    summary: 'Snapshots in R2 (NDJSON parts with a manifest), oldest first; limit, cursor',
    ...adminRead,
    query: {
      limit: z.number().int().min(1).max(100).optional().describe('1 to 100 (default 20)'),
      cursor: z.string().optional().describe('From the previous page'),
    },
    responses: { 200: SnapshotList },
    handler: async (c) => {
      const limit = Number(c.req.query('limit') ?? '20');
      if (!Number.isInteger(limit) || limit < 1 || limit > 100)
        throw new RegistryError(ErrorCode.UNPROCESSABLE, 'limit must be an integer from 1 to 100');
      return reply(c, await snapshotsPage(c.env.ARCHIVE, limit, c.req.query('cursor') || undefined));
    },
  },
  {
    method: 'POST',
    path: '/snapshots',
    summary: 'Take a snapshot into R2 now: every table as NDJSON parts (read in bounded pages) and a manifest',
    ...adminRead,
    responses: { 201: SnapshotSummary },
    handler: async (c) => reply(c, await createSnapshot(primary(c), c.env.ARCHIVE), 201),
  },
  {
    method: 'GET',
    path: '/snapshots/:name',
    summary: "A snapshot's manifest: rows and parts (with SHA-256) per table, format version, generation, time",
    ...adminRead,
    responses: { 200: SnapshotManifest },
    handler: async (c) => reply(c, await snapshotManifest(c.env.ARCHIVE, param(c, 'name'))),
  },
  {
    method: 'POST',
    path: '/snapshots/:name/restore',
    summary: 'Restore a snapshot from R2 into an empty registry in bounded steps: 202 while running (post again), 200 when done',
    ...admin,
    cost: 'write',
    body: { json: restoreRequest, optional: true },
    responses: { 200: RestoreProgress, 202: RestoreProgress },
    handler: async (c) => {
      const { maxSteps } = parseWith(restoreRequest, await readJson(c, { optional: true }));
      const name = param(c, 'name');
      const progress = committed(
        c,
        await c
          .get('registryWriter')()
          .restoreSnapshot({ name, ...(maxSteps ? { maxSteps } : {}), actor: c.get('actor') }),
      );
      if (progress.state === 'done') forgetGeneration();
      return c.body(JSON.stringify(progress), progress.state === 'done' ? 200 : 202, { 'content-type': responseType(c.req.header('accept')) });
    },
  },
  {
    method: 'GET',
    path: '/restore',
    summary: 'The snapshot restore in progress (writes are refused while one runs), or idle',
    ...adminRead,
    responses: { 200: RestoreStatus },
    handler: async (c) => reply(c, await restoreStatus(primary(c))),
  },
  {
    method: 'DELETE',
    path: '/restore',
    summary: 'Abandon the snapshot restore in progress: what it wrote is removed and writes are accepted again',
    ...admin,
    cost: 'write',
    responses: { 200: z.strictObject({ abandoned: z.string().nullable() }) },
    handler: async (c) => {
      const value = committed(
        c,
        await c
          .get('registryWriter')()
          .abandonRestore({ actor: c.get('actor') }),
      );
      forgetGeneration();
      return reply(c, value);
    },
  },
  {
    method: 'GET',
    path: '/snapshot',
    summary: 'A snapshot of the whole registry (every context)',
    ...adminRead,
    responses: { 200: Snapshot },
    handler: async (c) => reply(c, await snapshotNow(primary(c))),
  },
  {
    method: 'POST',
    path: '/snapshot',
    summary: 'Write a snapshot into R2 now',
    ...adminRead,
    responses: { 200: z.strictObject({ key: z.string(), rows: z.number().int() }) },
    handler: async (c) => reply(c, await archiveNow(primary(c), c.env.ARCHIVE)),
  },
  {
    method: 'POST',
    path: '/restore',
    summary: 'Restore a snapshot into an empty registry (all or nothing)',
    ...admin,
    cost: 'write',
    body: { content: { 'application/json': Snapshot } },
    responses: { 200: z.strictObject({ restored: Counts }) },
    handler: async (c) => {
      const snapshot = await readText(c, MAX_SNAPSHOT_BYTES);
      const restored = committed(
        c,
        await c
          .get('registryWriter')()
          .restore({ snapshot, actor: c.get('actor') }),
      );
      forgetGeneration(); // this isolate reads the new generation at once; others within GENERATION_TTL_MS
      return reply(c, { restored });
    },
  },
  {
    method: 'GET',
    path: '/generation',
    summary: 'The registry generation: the epoch in every cache key of an immutable read',
    ...adminRead,
    responses: { 200: Generation },
    handler: async (c) => reply(c, { generation: await generationNow(primary(c)) }),
  },
  {
    method: 'POST',
    path: '/generation',
    summary: 'Advance the registry generation (after D1 Time Travel): no cache answers from before',
    ...admin,
    cost: 'write',
    responses: { 200: Generation },
    handler: async (c) => {
      const value = committed(
        c,
        await c
          .get('registryWriter')()
          .advanceGeneration({ actor: c.get('actor') }),
      );
      forgetGeneration();
      return reply(c, value);
    },
  },
  {
    method: 'POST',
    path: '/keys',
    summary: 'Create an API key: the secret is in this answer only',
    ...admin,
    cost: 'write',
    body: { json: createKeyRequest },
    responses: { 201: ApiKeyWithSecret },
    handler: async (c) => {
      const body = parseWith(createKeyRequest, await readJson(c));
      const expiresAt = body.expiresAt === undefined ? null : Math.floor(Date.parse(body.expiresAt) / 1000);
      if (expiresAt !== null && expiresAt <= Date.now() / 1000) throw new RegistryError(ErrorCode.UNPROCESSABLE, 'expiresAt is in the past');
      return reply(
        c,
        committed(
          c,
          await c
            .get('registryWriter')()
            .createKey({ name: body.name, grants: body.grants, expiresAt, actor: c.get('actor') }),
        ),
        201,
      );
    },
  },
  {
    method: 'GET',
    path: '/keys',
    summary: 'API keys (never their secrets), oldest first; offset, limit',
    ...adminRead,
    query: { offset: z.number().int().min(0).optional(), limit: PAGE_LIMIT },
    responses: { 200: z.array(ApiKey) },
    handler: async (c) => {
      const { from, limit } = paging(c, 'offset');
      return reply(c, await keyList(primary(c), from, limit));
    },
  },
  {
    method: 'GET',
    path: '/keys/:key',
    summary: 'One API key (never its secret)',
    ...adminRead,
    responses: { 200: ApiKey },
    handler: async (c) => reply(c, await keyDetail(primary(c), keyParam(c))),
  },
  {
    method: 'DELETE',
    path: '/keys/:key',
    summary: 'Revoke an API key (every isolate stops accepting it within KEY_CACHE_SECONDS)',
    ...admin,
    cost: 'write',
    responses: { 200: ApiKey },
    handler: async (c) => {
      const key = keyParam(c);
      const value = committed(
        c,
        await c
          .get('registryWriter')()
          .revokeKey({ key, actor: c.get('actor') }),
      );
      forgetKey(key);
      return reply(c, value);
    },
  },
  {
    method: 'POST',
    path: '/keys/:key/rotate',
    summary: 'A new secret for a key; the old one keeps working for graceSeconds (default 0)',
    ...admin,
    cost: 'write',
    body: { json: rotateRequest, optional: true },
    responses: { 200: ApiKeyWithSecret },
    handler: async (c) => {
      const key = keyParam(c);
      const { graceSeconds = 0 } = parseWith(rotateRequest, await readJson(c, { optional: true }));
      const value = committed(
        c,
        await c
          .get('registryWriter')()
          .rotateKey({ key, graceSeconds, actor: c.get('actor') }),
      );
      forgetKey(key);
      return reply(c, value);
    },
  },
  {
    method: 'GET',
    path: '/audit',
    summary: 'The audit log, oldest first: rows after the cursor `after` (a row id); limit',
    ...adminRead,
    query: { after: z.number().int().min(0).optional().describe('A row id: rows after it'), limit: PAGE_LIMIT },
    responses: { 200: AuditPage },
    handler: async (c) => {
      const { from, limit } = paging(c, 'after');
      return reply(c, await auditRows(primary(c), from, limit));
    },
  },
  {
    method: 'GET',
    path: '/audit/verify',
    summary: 'Verify the hash chains of the audit log, a slice at a time: `next` says where the following slice starts',
    ...adminRead,
    query: {
      after: z.string().optional().describe('The `next` of the previous answer: verify on from there (none: from the start)'),
      limit: z.number().int().min(1).max(MAX_VERIFIED_ROWS).optional().describe(`At most this many rows, 1 to ${MAX_VERIFIED_ROWS} (the default)`),
    },
    responses: { 200: AuditVerification },
    handler: async (c) => {
      const limit = Number(c.req.query('limit') ?? MAX_VERIFIED_ROWS);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_VERIFIED_ROWS)
        throw new RegistryError(ErrorCode.UNPROCESSABLE, `limit must be an integer from 1 to ${MAX_VERIFIED_ROWS}`);
      return reply(c, await auditVerification(primary(c), c.req.query('after'), limit));
    },
  },
];

export const adminApi = resource('/v1/admin', routes);
