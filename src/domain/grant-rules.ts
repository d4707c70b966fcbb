/**
 * What grants allow: the decision itself, free of zod and of everything else, so the web console
 * (ui/) bundles the very same rules to show only the controls a credential may use. The grant
 * shapes and their parsing are in grants.ts; decisions for routes are made in http/authorize.ts.
 */

export type Role = 'reader' | 'writer' | 'admin';

/** A role on a scope (grants.ts documents the scopes and validates them). */
export interface Grant {
  role: Role;
  context?: string;
  subjectPrefix?: string;
}

const RANK: Record<Role, number> = { reader: 1, writer: 2, admin: 3 };

function atLeast(held: Role, needed: Role): boolean {
  return RANK[held] >= RANK[needed];
}

/** What a request touches, as the route that handles it declares it. */
export type Target =
  /** One subject (bare name) in one context. */
  | { kind: 'subject'; context: string; subject: string }
  /** A whole context: its config and mode, or anything else that spans its subjects. */
  | { kind: 'context'; context: string }
  /** The registry as a whole: global config and mode, keys, audit, snapshots. */
  | { kind: 'registry' }
  /** Something readable by anyone holding the role somewhere (listings filter their rows). */
  | { kind: 'any' };

function covers(g: Grant, t: Target): boolean {
  switch (t.kind) {
    case 'registry':
      return g.context === undefined && g.subjectPrefix === undefined;
    case 'context':
      return (g.context === undefined || g.context === t.context) && g.subjectPrefix === undefined;
    case 'subject':
      return (g.context === undefined || g.context === t.context) && (g.subjectPrefix === undefined || t.subject.startsWith(g.subjectPrefix));
    case 'any':
      return true;
  }
}

/** May a holder of `grants` do what needs `role` on `target`? */
export function allows(grants: readonly Grant[], role: Role, target: Target): boolean {
  return grants.some((g) => atLeast(g.role, role) && covers(g, target));
}

/** May the holder read anything at all in `context` (listings of contexts, ids resolved there)? */
export function readsInContext(grants: readonly Grant[], context: string): boolean {
  return grants.some((g) => g.context === undefined || g.context === context);
}

/** True when the grants read everything: listings and id reads need no per-row filtering. */
export function readsEverything(grants: readonly Grant[]): boolean {
  return allows(grants, 'reader', { kind: 'registry' });
}
