/** Who the tab is signed in as: the credential (api.ts) and what it may do. */
import { api, credential, setCredential } from './api';

export interface Session {
  /** The caller may use the admin API (keys, audit). */
  admin: boolean;
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

/** A reader probe, then an admin probe (a 403 there only hides the admin pages). */
export async function signIn(scheme: 'basic' | 'bearer' | 'none', value: string): Promise<void> {
  const as = { scheme, value };
  await api('/contexts?limit=1', { as });
  let admin = false;
  try {
    await api('/v1/admin/keys?limit=1', { as });
    admin = true;
  } catch {
    admin = false;
  }
  setCredential(as);
  sessionStorage.setItem(SESSION, JSON.stringify({ admin, open: scheme === 'none' } satisfies Session));
}

export function signOut(): void {
  setCredential(undefined);
  sessionStorage.removeItem(SESSION);
}
