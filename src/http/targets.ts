/** The targets routes declare, computed from the decoded path parameters the handlers read. */
import type { Context } from 'hono';
import type { Target } from '../domain/grant-rules';
import { parseSubject } from '../domain/naming';
import type { AppEnv } from './env';
import { param } from './route';

type Ctx = Context<AppEnv>;

/** The `{subject}` parameter (`:.ctx:name` names a context). */
export function subjectTarget(c: Ctx): Target {
  const { context, subject } = parseSubject(param(c, 'subject'));
  return { kind: 'subject', context, subject };
}

/**
 * /config and /mode: no `{subject}` is the registry-wide setting, `:.ctx:` a context's, anything
 * else one subject's.
 */
export function settingsTarget(c: Ctx): Target {
  const raw = c.req.param('subject');
  if (raw === undefined) return { kind: 'registry' };
  const { context, subject } = parseSubject(raw);
  return subject ? { kind: 'subject', context, subject } : { kind: 'context', context };
}

export const registryTarget = (): Target => ({ kind: 'registry' });
