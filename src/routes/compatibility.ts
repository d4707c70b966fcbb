/** /compatibility: test a schema against one version or the subject's history (CompatibilityResource). */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { errors, RegistryError } from '../domain/errors';
import { parseSubject } from '../domain/naming';
import { parseVersionId } from '../domain/version-id';
import type { AppEnv } from '../http/env';
import { toSchemaInput } from '../http/requests';
import { flag, readJson, reply } from '../http/respond';
import { compatibilityMessages } from '../services/compatibility-check';
import { prepareSchema } from '../services/schemas';
import { configQuery } from '../services/settings';
import type { StoredVersion } from '../storage/records';

export const compatibility = new Hono<AppEnv>();

async function check(c: Context<AppEnv>, pick: (live: StoredVersion[]) => StoredVersion[]) {
  const raw = c.req.param('subject') ?? '';
  const { context, subject } = parseSubject(raw);
  const verbose = flag(c, 'verbose');
  const input = toSchemaInput(await readJson(c));
  const [live, config] = await c.var.reader.all(c.var.reader.versionsQuery(context, subject), configQuery(c.var.reader, context, subject));
  const against = pick(live);
  let messages: string[];
  try {
    const prepared = await prepareSchema(c.var.reader, context, input, flag(c, 'normalize') || config.normalize);
    messages = await compatibilityMessages(c.var.reader, prepared, against, config.compatibilityLevel, config.compatibilityPolicy);
  } catch (e) {
    // Confluent: with verbose, an invalid schema is reported as an incompatibility message.
    if (verbose && e instanceof RegistryError && e.code === 42201) messages = [e.message];
    else throw e;
  }
  const body = { is_compatible: messages.length === 0, ...(verbose ? { messages } : {}) };
  return reply(c, body);
}

compatibility.post('/subjects/:subject/versions/:version', async (c) => {
  const version = parseVersionId(c.req.param('version'));
  return check(c, (live) => {
    if (version === 'latest') return live.slice(-1);
    const found = live.find((v) => v.version === version);
    // Confluent 7.x checks only the version here: an unknown subject is 40402 too.
    if (!found) throw errors.versionNotFound(version);
    return [found];
  });
});

/** Against the history the subject's level looks at, exactly as register would. */
compatibility.post('/subjects/:subject/versions', (c) => check(c, (live) => live));
