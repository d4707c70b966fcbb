/**
 * /compatibility: test a schema against one version or the subject's history (CompatibilityResource).
 * The subject's history and config come through the fresh cache (services/fresh-reads.ts), as a
 * lookup's do: a CI pipeline checks its schema on every build, and a warm check then reads no D1,
 * while a check never sees less than this isolate's own writes or the client's bookmark.
 */
import type { Context } from 'hono';
import { errors, RegistryError } from '../domain/errors';
import { parseSubject } from '../domain/naming';
import { parseVersionId } from '../domain/version-id';
import type { AppEnv } from '../http/env';
import { schemaRequest, toSchemaInput } from '../http/requests';
import { flag, readJson, reply } from '../http/respond';
import { param, resource } from '../http/route';
import { subjectTarget } from '../http/targets';
import { Compatibility, Q } from '../http/shapes';
import { compatibilityMessages } from '../services/compatibility-check';
import { prepareSchema } from '../services/schemas';
import { freshSubjectState } from '../services/fresh-reads';
import type { VersionHead } from '../domain/entities';

async function check(c: Context<AppEnv>, pick: (live: VersionHead[]) => VersionHead[]) {
  const raw = param(c, 'subject');
  const { context, subject } = parseSubject(raw);
  const verbose = flag(c, 'verbose');
  const input = toSchemaInput(await readJson(c));
  const { config, all } = await freshSubjectState(c.get('cache'), c.get('reader'), context, subject);
  const against = pick(all.filter((v) => !v.deleted));
  let messages: string[];
  try {
    const prepared = await prepareSchema(c.get('reader'), context, input, flag(c, 'normalize') || config.normalize);
    // Confluent's compatibility endpoints check the schema as sent: no metadata or rule-set merge.
    messages = await compatibilityMessages(
      c.get('reader'),
      prepared,
      against,
      config.compatibilityLevel,
      config.compatibilityPolicy,
      config.contract.compatibilityGroup,
    );
  } catch (e) {
    // Confluent: with verbose, an invalid schema is reported as an incompatibility message.
    if (verbose && e instanceof RegistryError && e.code === 42201) messages = [e.message];
    else throw e;
  }
  const body = { is_compatible: messages.length === 0, ...(verbose ? { messages } : {}) };
  return reply(c, body);
}

const checkRoute = {
  role: 'reader',
  target: subjectTarget,
  query: { verbose: Q.verbose, normalize: Q.normalize },
  body: { json: schemaRequest },
  responses: { 200: Compatibility },
} as const;

export const compatibility = resource('/compatibility', [
  {
    method: 'POST',
    path: '/subjects/:subject/versions/:version',
    summary: 'Is this schema compatible with one version of the subject?',
    ...checkRoute,
    handler: (c) => {
      const version = parseVersionId(param(c, 'version'));
      return check(c, (live) => {
        if (version === 'latest') return live.slice(-1);
        const found = live.find((v) => v.version === version);
        // Confluent 7.x checks only the version here: an unknown subject is 40402 too.
        if (!found) throw errors.versionNotFound(version);
        return [found];
      });
    },
  },
  {
    method: 'POST',
    path: '/subjects/:subject/versions',
    summary: "Is this schema compatible with the history the subject's level looks at (as register would check)?",
    ...checkRoute,
    handler: (c) => check(c, (live) => live),
  },
]);
