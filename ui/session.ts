/** Who the tab is signed in as: the credential (api.ts) and what it may do. */
import { allows, type Grant } from '../src/domain/grant-rules';
import { api, credential, setCredential } from './api';

export interface Session {
  /** The caller may use the admin API (keys, audit): admin on the whole registry. */
  admin: boolean;
  /** The credential's own grants (GET /v1/whoami): permissions.ts shows only what they allow. */
  grants?: Grant[];
  /** Authentication is off: no sign-in, no sign-out. */
  open: boolean;
}

const SESSION = 'lsr.session';

export function session(): Session | undefined {
  if (!credential()) return undefined;
  try {
    return JSON.parse(sessionStorage.getItem(SESSION) ?? 'null') as Session | undefined;
  } catch {
    return undefined;
  }
}

/** Who the credential is and what it may do, in one call that also proves it works. */
export async function signIn(scheme: 'basic' | 'bearer' | 'none', value: string): Promise<void> {
  const as = { scheme, value };
  const me = await api<{ principal: string; grants: Grant[] }>('/v1/whoami', { as });
  const admin = allows(me.grants, 'admin', { kind: 'registry' });
  setCredential(as);
  sessionStorage.setItem(SESSION, JSON.stringify({ admin, grants: me.grants, open: scheme === 'none' } satisfies Session));
}

export function signOut(): void {
  setCredential(undefined);
  sessionStorage.removeItem(SESSION);
}
