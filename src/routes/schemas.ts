/** /schemas: by id and guid (the immutable read path), listings, types (Confluent SchemasResource). */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { ErrorCode, errors, RegistryError } from '../domain/errors';
import { supportedTypes } from '../domain/formats';
import { ALL_CONTEXTS, DEFAULT_CONTEXT, parseSubject, qualify } from '../domain/naming';
import type { AppEnv } from '../http/env';
import { schemaEntity, schemaString } from '../http/render';
import { flag, page, reply, replyRaw } from '../http/respond';
import { renderedText } from '../services/schemas';
import type { StoredSchema } from '../storage/records';
import { schemaByGuid, schemaById } from '../storage/schema-cache';

export const schemas = new Hono<AppEnv>();

/** Path ids that are not integers are not routes at all in Confluent (JAX-RS answers 404). */
function idParam(c: Context<AppEnv>): number {
  const raw = c.req.param('id') ?? '';
  // Confluent's @PathParam Integer: anything that is not an int32 is no route at all.
  const id = /^-?\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!(id >= -(2 ** 31) && id < 2 ** 31)) throw new RegistryError(ErrorCode.NOT_FOUND, 'HTTP 404 Not Found');
  return id;
}

/** `?subject=` selects the context of an id (`:.ctx:subject`); without it, the default context. */
function contextOf(c: Context<AppEnv>): string {
  const s = c.req.query('subject');
  return s ? parseSubject(s).context : DEFAULT_CONTEXT;
}

/** `namedInError`: Confluent names the id in 40403 for the schema itself, not for its subjects/versions. */
async function byId(c: Context<AppEnv>, namedInError = true) {
  const id = idParam(c);
  const found = await schemaById(c.var.cache, c.var.reader, contextOf(c), id);
  if (!found) throw errors.schemaNotFound(namedInError ? id : undefined);
  return found;
}

/** Apply `?format=` (Avro `resolved`, Protobuf `serialized`) to a schema about to be answered. */
async function withFormat(c: Context<AppEnv>, s: StoredSchema): Promise<StoredSchema> {
  const format = c.req.query('format');
  return format ? { ...s, schema: await renderedText(c.var.reader, s, format) } : s;
}

schemas.get('/', async (c) => {
  // Default: the default context (Confluent 7.x); `:*:` lists every context, `:.ctx:` one context.
  const prefix = c.req.query('subjectPrefix') ?? '';
  let scope = prefix === ALL_CONTEXTS ? undefined : parseSubject(prefix);
  // A tenant credential sees its own context only, whatever the prefix asks for.
  if (c.var.scope && scope?.context !== c.var.scope) scope = { context: c.var.scope, subject: '' };
  const rows = await c.var.reader.allVersions(scope?.context, { deleted: flag(c, 'deleted') });
  let matching = rows.filter((r) => !scope || r.subject.startsWith(scope.subject));
  if (flag(c, 'latestOnly')) {
    // Rows come ordered by (context, subject, version): keep the last row of each subject.
    matching = matching.filter((r, i) => matching[i + 1]?.subject !== r.subject || matching[i + 1]?.context !== r.context);
  }
  const entities = matching.map((v) => schemaEntity(v, qualify(v.context, v.subject), c.var.profile));
  // By qualified subject name, then version (stable sort keeps the version order).
  entities.sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
  return reply(c, page(c, entities));
});

schemas.get('/types', (c) => reply(c, supportedTypes()));

schemas.get('/ids/:id', async (c) => {
  const found = await withFormat(c, await byId(c));
  const maxId = flag(c, 'fetchMaxId') ? await c.var.reader.maxId(found.context) : undefined;
  return reply(c, schemaString(found, c.var.profile, maxId));
});

schemas.get('/ids/:id/schema', async (c) => {
  const found = await withFormat(c, await byId(c));
  return replyRaw(c, found.schema);
});

schemas.get('/ids/:id/subjects', async (c) => {
  const found = await byId(c, false);
  const usages = await c.var.reader.usagesOf(found.context, found.id, { deleted: flag(c, 'deleted') });
  const names = [...new Set(usages.map((u) => qualify(found.context, u.subject)))];
  return reply(c, page(c, names));
});

schemas.get('/ids/:id/versions', async (c) => {
  const found = await byId(c, false);
  const usages = await c.var.reader.usagesOf(found.context, found.id, { deleted: flag(c, 'deleted') });
  return reply(c, page(c, usages.map((u) => ({ subject: qualify(found.context, u.subject), version: u.version }))));
});

schemas.get('/guids/:guid', async (c) => {
  const guid = c.req.param('guid');
  // Guids are UUIDs; anything else cannot exist (and must not reach KV, whose keys are bounded).
  if (!/^[0-9a-fA-F-]{1,64}$/.test(guid)) throw errors.schemaNotFound(guid.slice(0, 64));
  const found = await schemaByGuid(c.var.cache, c.var.reader, guid);
  // Guids are global; a tenant credential only finds its own context's.
  if (!found || (c.var.scope && found.context !== c.var.scope)) throw errors.schemaNotFound(guid);
  return reply(c, schemaString(await withFormat(c, found), c.var.profile));
});
