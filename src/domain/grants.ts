/**
 * Grants: what a credential may do. A grant is a role on a scope:
 *   {role}                                   the whole registry
 *   {role, context: ".orders"}               one context ("." is the default context)
 *   {role, context: ".orders", subjectPrefix: "payments-"}   subjects with a prefix in one context
 *   {role, subjectPrefix: "payments-"}       subjects with a prefix in every context
 * Roles nest: reader < writer < admin. A credential holds one or more grants; it may do what any
 * one of them allows. Pure: no env, no I/O. What grants allow is grant-rules.ts; decisions for
 * routes are made in http/authorize.ts.
 *
 * The compact text form (AUTH_TOKENS, OIDC string claims): `role`, `role@.ctx`,
 * `role@.ctx/prefix`, `role@*\/prefix` (prefix in every context).
 */
import * as z from 'zod';
import type { Grant, Role } from './grant-rules';

const ROLES = ['reader', 'writer', 'admin'] as const satisfies readonly Role[];

const CONTEXT_RE = /^\.([A-Za-z0-9_.-]{0,255})$/;

export const grantSchema = z
  .object({
    role: z.enum(ROLES),
    context: z.string().regex(CONTEXT_RE, 'a context is "." or ".name"').optional(),
    subjectPrefix: z.string().min(1).max(1024).optional(),
  })
  .strict()
  .meta({ id: 'Grant' });

/** At most this many grants per credential: each request checks them all, and storage seeks one range per subject prefix (services/usages.ts). */
export const MAX_GRANTS = 64;

/** Grants as an API takes them: objects or compact strings, 1 to MAX_GRANTS of them. */
export const grantListSchema = z
  .array(
    z.union([
      grantSchema,
      z.string().transform((text, ctx) => {
        const g = parseGrantText(text);
        if (!g) ctx.addIssue({ code: 'custom', message: 'a grant is role, role@.context or role@.context/subjectPrefix' });
        return g ?? z.NEVER;
      }),
    ]),
  )
  .min(1)
  .max(MAX_GRANTS);

/** `role[@context[/prefix]]` or `role@*\/prefix`; undefined when the text is not a grant. */
export function parseGrantText(text: string): Grant | undefined {
  const m = /^(reader|writer|admin)(?:@(\*|\.[A-Za-z0-9_.-]{0,255})(?:\/(.{1,1024}))?)?$/s.exec(text.trim());
  if (!m) return undefined;
  const [, role, context, subjectPrefix] = m;
  return {
    role: role as Role,
    ...(context && context !== '*' ? { context } : {}),
    ...(subjectPrefix ? { subjectPrefix } : {}),
  };
}

/**
 * Grants from a claim or a stored value: an array of grant objects or compact strings, or one of
 * either. Undefined when anything in it is not a grant (a credential with a malformed grant is
 * refused whole rather than half-understood).
 */
export function parseGrants(value: unknown): Grant[] | undefined {
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0 || items.length > MAX_GRANTS) return undefined;
  const out: Grant[] = [];
  for (const item of items) {
    const g = typeof item === 'string' ? parseGrantText(item) : grantSchema.safeParse(item).data;
    if (!g) return undefined;
    out.push(g);
  }
  return out;
}
