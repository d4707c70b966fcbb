/** /subjects: list, lookup, register, versions, delete (Confluent SubjectsResource + SubjectVersionsResource). */
import { Hono } from 'hono';
import { errors } from '../domain/errors';
import { ALL_CONTEXTS, checkSubjectName, parseSubject, qualify } from '../domain/naming';
import { parseVersionId } from '../domain/version-id';
import { unwrap } from '../durable/outcome';
import type { AppEnv } from '../http/env';
import { schemaEntity } from '../http/render';
import { toSchemaInput } from '../http/requests';
import { flag, page, readJson, reply, replyRaw } from '../http/respond';
import { subjectVersion } from '../services/lookup';
import { prepareSchema, renderedText } from '../services/schemas';
import { configQuery } from '../services/settings';

export const subjects = new Hono<AppEnv>();

/** Subjects matching a Confluent subjectPrefix (default `:*:` = every context). */
subjects.get('/', async (c) => {
  const prefix = c.req.query('subjectPrefix') ?? ALL_CONTEXTS;
  const opts = { deleted: flag(c, 'deleted'), deletedOnly: flag(c, 'deletedOnly') };
  const all = prefix === ALL_CONTEXTS || prefix === '';
  let scope = all ? undefined : parseSubject(prefix);
  // A tenant credential sees its own context only, whatever the prefix asks for.
  if (c.var.scope && scope?.context !== c.var.scope) scope = { context: c.var.scope, subject: '' };
  const rows = await c.var.reader.subjects(scope?.context, opts);
  const names = rows
    .filter((r) => !scope || r.subject.startsWith(scope.subject))
    .map((r) => qualify(r.context, r.subject))
    .sort(); // lexically by qualified name, as Confluent sorts (':'-prefixed names first)
  return reply(c, page(c, names));
});

/** Lookup: is this schema registered under the subject? */
subjects.post('/:subject', async (c) => {
  const raw = c.req.param('subject');
  const { context, subject } = parseSubject(raw);
  const deleted = flag(c, 'deleted');
  const input = toSchemaInput(await readJson(c));
  // Confluent parses before it looks (lookUpSchemaUnderSubject): an invalid schema is 42201 even for an unknown subject.
  const [config, versions] = await c.var.reader.all(configQuery(c.var.reader, context, subject), c.var.reader.versionsQuery(context, subject, { deleted }));
  const prepared = await prepareSchema(c.var.reader, context, input, flag(c, 'normalize') || config.normalize);
  if (versions.length === 0) throw errors.subjectNotFound(raw);
  // Newest first: a schema registered twice (after a soft delete) answers its latest version.
  const match = [...versions].reverse().find((v) => v.hash === prepared.hash);
  if (!match) throw errors.schemaNotFound();
  return reply(c, schemaEntity(match, raw, c.var.profile));
});

subjects.delete('/:subject', async (c) => {
  const raw = c.req.param('subject');
  const { context, subject } = checkSubjectName(raw);
  const out = unwrap(await c.var.writer(context).deleteSubject({ context, subject, qualified: raw, permanent: flag(c, 'permanent') }));
  c.var.setBookmark(out.bookmark);
  return reply(c, out.value);
});

subjects.get('/:subject/versions', async (c) => {
  const raw = c.req.param('subject');
  const { context, subject } = parseSubject(raw);
  const versions = await c.var.reader.versions(context, subject, { deleted: flag(c, 'deleted'), deletedOnly: flag(c, 'deletedOnly') });
  if (versions.length === 0) throw errors.subjectNotFound(raw);
  return reply(c, page(c, versions.map((v) => v.version)));
});

subjects.post('/:subject/versions', async (c) => {
  const raw = c.req.param('subject');
  const { context, subject } = checkSubjectName(raw);
  const { id, version, ...schema } = toSchemaInput(await readJson(c), { allowEmpty: true });
  const out = unwrap(
    await c.var.writer(context).register({ context, subject, qualified: raw, schema, normalize: flag(c, 'normalize'), id, version }),
  );
  c.var.setBookmark(out.bookmark);
  const r = out.value;
  if (c.var.profile === 7) return reply(c, { id: r.id });
  return reply(c, {
    id: r.id,
    version: r.version,
    guid: r.guid,
    schemaType: r.schemaType,
    ...(r.references.length ? { references: r.references } : {}),
    schema: r.schema,
  });
});

subjects.get('/:subject/versions/:version', async (c) => {
  const raw = c.req.param('subject');
  const { context, subject } = parseSubject(raw);
  const v = await subjectVersion(c.var.reader, context, subject, raw, parseVersionId(c.req.param('version')), flag(c, 'deleted'));
  const schema = await renderedText(c.var.reader, v, c.req.query('format'));
  return reply(c, schemaEntity({ ...v, schema }, raw, c.var.profile));
});

/** The raw schema text, as Confluent answers it (the schema itself, not a JSON string of it). */
subjects.get('/:subject/versions/:version/schema', async (c) => {
  const raw = c.req.param('subject');
  const { context, subject } = parseSubject(raw);
  const v = await subjectVersion(c.var.reader, context, subject, raw, parseVersionId(c.req.param('version')), flag(c, 'deleted'));
  return replyRaw(c, await renderedText(c.var.reader, v, c.req.query('format')));
});

subjects.get('/:subject/versions/:version/referencedby', async (c) => {
  const raw = c.req.param('subject');
  const { context, subject } = parseSubject(raw);
  const v = await subjectVersion(c.var.reader, context, subject, raw, parseVersionId(c.req.param('version')), flag(c, 'deleted'));
  return reply(c, page(c, await c.var.reader.referencedBy(context, subject, v.version)));
});

subjects.delete('/:subject/versions/:version', async (c) => {
  const raw = c.req.param('subject');
  const { context, subject } = checkSubjectName(raw);
  const version = parseVersionId(c.req.param('version'));
  const out = unwrap(await c.var.writer(context).deleteVersion({ context, subject, qualified: raw, version, permanent: flag(c, 'permanent') }));
  c.var.setBookmark(out.bookmark);
  return reply(c, out.value);
});
