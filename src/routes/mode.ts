/** /mode: READWRITE, READONLY, READONLY_OVERRIDE, IMPORT per scope (Confluent ModeResource). */
import type { Context } from 'hono';
import * as z from 'zod';
import { errors } from '../domain/errors';
import type { AppEnv } from '../http/env';
import { settingsScope } from '../http/settings-scope';
import { committed, flag, parseWith, readJson, reply } from '../http/respond';
import { resource } from '../http/route';
import { Mode as ModeBody, Q } from '../http/shapes';
import { settingsTarget } from '../http/targets';
import { assertContextWritable, boundsOf } from '../services/bounds';
import { invalidating, scopes } from '../services/fresh-cache';
import { freshModeAnswer } from '../services/fresh-reads';
import { type Mode, MODES } from '../services/settings';

const modeRequest = z.object({ mode: z.string() });

async function get(c: Context<AppEnv>) {
  const s = settingsScope(c);
  const mode = await freshModeAnswer(c.get('cache'), c.get('reader'), s.context, s.subject, flag(c, 'defaultToGlobal'));
  if (mode === null) throw errors.subjectModeNotConfigured(s.qualified);
  return reply(c, { mode });
}

async function put(c: Context<AppEnv>) {
  const s = settingsScope(c);
  const sent = parseWith(modeRequest, await readJson(c)).mode;
  const requested = sent.toUpperCase();
  if (!(MODES as readonly string[]).includes(requested)) throw errors.invalidMode();
  await assertContextWritable(c.get('cache'), c.get('reader'), s.context, boundsOf(c.env), true, s.qualified);
  committed(
    c,
    await invalidating([scopes.settings], () =>
      c
        .get('writer')(s.context)
        .setMode({ ...s, mode: requested as Mode, force: flag(c, 'force'), actor: c.get('actor') }),
    ),
  );
  // Confluent echoes the request as sent (`{"mode":"readonly"}` stays lower case).
  return reply(c, { mode: sent });
}

/** DELETE /mode/{s}: answers the mode it removed (40401 when the subject had none). */
async function remove(c: Context<AppEnv>) {
  const s = settingsScope(c);
  await assertContextWritable(c.get('cache'), c.get('reader'), s.context, boundsOf(c.env), false, s.qualified);
  return reply(c, {
    mode: committed(
      c,
      await invalidating([scopes.settings], () =>
        c
          .get('writer')(s.context)
          .deleteMode({ ...s, actor: c.get('actor') }),
      ),
    ),
  });
}

const write = { role: 'admin', target: settingsTarget, cost: 'write', responses: { 200: ModeBody } } as const;
const setter = { ...write, body: { json: modeRequest }, query: { force: Q.force } } as const;
const read = { role: 'reader', responses: { 200: ModeBody } } as const;

// No DELETE /mode: Confluent has none for the global mode (405); reset it with PUT.
export const mode = resource('/mode', [
  { method: 'GET', path: '/', summary: 'The global mode', ...read, handler: get },
  { method: 'PUT', path: '/', summary: 'Set the global mode (force: enter IMPORT with subjects present)', ...setter, handler: put },
  {
    method: 'GET',
    path: '/:subject',
    summary: "A subject's (or `:.ctx:` context's) mode; defaultToGlobal",
    ...read,
    target: settingsTarget,
    query: { defaultToGlobal: Q.defaultToGlobal },
    handler: get,
  },
  { method: 'PUT', path: '/:subject', summary: "Set a subject's (or context's) mode", ...setter, handler: put },
  { method: 'DELETE', path: '/:subject', summary: "Delete a subject's (or context's) mode", ...write, handler: remove },
]);
