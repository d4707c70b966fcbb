/** /mode: READWRITE, READONLY, READONLY_OVERRIDE, IMPORT per scope (Confluent ModeResource). */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { z } from 'zod';
import { errors } from '../domain/errors';
import { unwrap } from '../durable/outcome';
import type { AppEnv } from '../http/env';
import { settingsScope } from '../http/settings-scope';
import { flag, parseWith, readJson, reply } from '../http/respond';
import { effectiveMode, type Mode, MODES } from '../services/settings';

export const mode = new Hono<AppEnv>();

const modeRequest = z.object({ mode: z.string() });

async function get(c: Context<AppEnv>) {
  const s = settingsScope(c);
  const own = await c.var.reader.mode(s.context, s.subject);
  if (own && s.subject) return reply(c, { mode: own });
  if (s.subject && !flag(c, 'defaultToGlobal')) throw errors.subjectModeNotConfigured(s.qualified);
  return reply(c, { mode: await effectiveMode(c.var.reader, s.context, s.subject) });
}

async function put(c: Context<AppEnv>) {
  const s = settingsScope(c);
  const sent = parseWith(modeRequest, await readJson(c)).mode;
  const requested = sent.toUpperCase();
  if (!(MODES as readonly string[]).includes(requested)) throw errors.invalidMode();
  const out = unwrap(await c.var.writer(s.context).setMode({ ...s, mode: requested as Mode, force: flag(c, 'force') }));
  c.var.setBookmark(out.bookmark);
  // Confluent echoes the request as sent (`{"mode":"readonly"}` stays lower case).
  return reply(c, { mode: sent });
}

/** DELETE /mode/{s}: answers the mode it removed (40401 when the subject had none). */
async function remove(c: Context<AppEnv>) {
  const s = settingsScope(c);
  const out = unwrap(await c.var.writer(s.context).deleteMode(s));
  c.var.setBookmark(out.bookmark);
  return reply(c, { mode: out.value });
}

// No DELETE /mode: Confluent has none for the global mode (405); reset it with PUT.
mode.get('/', get);
mode.put('/', put);
mode.get('/:subject', get);
mode.put('/:subject', put);
mode.delete('/:subject', remove);
