/** /config: global, context and subject compatibility settings (Confluent ConfigResource). */
import type { Context } from 'hono';
import * as z from 'zod';
import { errors } from '../domain/errors';
import { isCompatibilityLevel } from '../domain/compatibility';
import type { AppEnv } from '../http/env';
import { settingsScope } from '../http/settings-scope';
import { committed, flag, parseWith, readJson, reply } from '../http/respond';
import { resource } from '../http/route';
import { Config, Q } from '../http/shapes';
import { settingsTarget } from '../http/targets';
import { assertContextWritable, boundsOf } from '../services/bounds';
import { invalidating, scopes } from '../services/fresh-cache';
import { freshConfigAnswer } from '../services/fresh-reads';
import { effectiveConfig } from '../services/settings';

/** ConfigUpdateRequest. `compatibility` is the level; the rest are stored and echoed as given. */
const configRequest = z.object({
  compatibility: z.string().nullish(),
  compatibilityLevel: z.string().nullish(),
  normalize: z.boolean().nullish(),
  compatibilityPolicy: z.enum(['STRICT', 'LENIENT']).nullish(),
  compatibilityGroup: z.string().nullish(),
  validateFields: z.boolean().nullish(),
  alias: z.string().nullish(),
  defaultMetadata: z.unknown().optional(),
  overrideMetadata: z.unknown().optional(),
  defaultRuleSet: z.unknown().optional(),
  overrideRuleSet: z.unknown().optional(),
});

/** Stored form (compatibilityLevel, as GET answers it) of a PUT body; rejects unknown levels with 42203. */
function toStored(body: unknown): Record<string, unknown> {
  const { compatibility, compatibilityLevel, ...rest } = parseWith(configRequest, body);
  const level = (compatibility ?? compatibilityLevel)?.toUpperCase();
  const stored: Record<string, unknown> = {};
  // Confluent: a missing level is 42203 too (CompatibilityLevel.forName(null) is null) unless other fields are set.
  if (level !== undefined || Object.values(rest).every((v) => v === undefined || v === null)) {
    if (!isCompatibilityLevel(level)) throw errors.invalidCompatibility();
    stored.compatibilityLevel = level;
  }
  for (const [k, v] of Object.entries(rest)) if (v !== undefined && v !== null) stored[k] = v;
  return stored;
}

/** PUT echoes the request's fields with the level under `compatibility`, as Confluent does. */
function echo(stored: Record<string, unknown>): Record<string, unknown> {
  const { compatibilityLevel, ...rest } = stored;
  return { ...(compatibilityLevel ? { compatibility: compatibilityLevel } : {}), ...rest };
}

async function get(c: Context<AppEnv>) {
  const s = settingsScope(c);
  const answer = await freshConfigAnswer(c.get('cache'), c.get('reader'), s.context, s.subject, flag(c, 'defaultToGlobal'));
  if (!answer) throw errors.subjectCompatibilityNotConfigured(s.qualified);
  return reply(c, answer);
}

async function put(c: Context<AppEnv>) {
  const s = settingsScope(c);
  const stored = toStored(await readJson(c));
  await assertContextWritable(c.get('cache'), c.get('reader'), s.context, boundsOf(c.env), true, s.qualified);
  committed(
    c,
    await invalidating([scopes.settings], () =>
      c
        .get('writer')(s.context)
        .setConfig({ ...s, body: stored, actor: c.get('actor') }),
    ),
  );
  return reply(c, echo(stored));
}

async function remove(c: Context<AppEnv>) {
  const s = settingsScope(c);
  await assertContextWritable(c.get('cache'), c.get('reader'), s.context, boundsOf(c.env), false, s.qualified);
  const before = await effectiveConfig(c.get('reader'), s.context, s.subject);
  const outcome = await invalidating([scopes.settings], () =>
    c
      .get('writer')(s.context)
      .deleteConfig({ ...s, actor: c.get('actor') }),
  );
  return reply(c, committed(c, outcome) ?? before.body);
}

const write = { role: 'admin', target: settingsTarget, cost: 'write', body: { json: configRequest }, responses: { 200: Config } } as const;
const remover = { role: 'admin', target: settingsTarget, cost: 'write', responses: { 200: Config } } as const;
const read = { role: 'reader', responses: { 200: Config } } as const;

export const config = resource('/config', [
  { method: 'GET', path: '/', summary: 'The global compatibility config', ...read, handler: get },
  { method: 'PUT', path: '/', summary: 'Set the global compatibility config', ...write, handler: put },
  { method: 'DELETE', path: '/', summary: 'Reset the global compatibility config', ...remover, handler: remove },
  {
    method: 'GET',
    path: '/:subject',
    summary: "A subject's (or `:.ctx:` context's) config; defaultToGlobal",
    ...read,
    target: settingsTarget,
    query: { defaultToGlobal: Q.defaultToGlobal },
    handler: get,
  },
  { method: 'PUT', path: '/:subject', summary: "Set a subject's (or context's) config", ...write, handler: put },
  { method: 'DELETE', path: '/:subject', summary: "Delete a subject's (or context's) config", ...remover, handler: remove },
]);
