/**
 * What the signed-in credential may do, decided by the registry's own rules
 * (src/domain/grant-rules.ts, bundled as is) over the grants GET /v1/whoami answered at sign-in.
 * The console only shows or hides controls with it; the registry still decides every request.
 */
import { allows, type Role } from '../src/domain/grant-rules';
import { parseSubject } from '../src/domain/naming';
import { session } from './session';

/** May the credential do what needs `role` on this subject (`name` or `:.ctx:name`)? */
export function mayOnSubject(role: Role, qualified: string): boolean {
  const grants = session()?.grants;
  // A session from before grants were kept: show the control and let the registry answer.
  if (!grants) return true;
  try {
    const { context, subject } = parseSubject(qualified);
    return allows(grants, role, { kind: 'subject', context, subject });
  } catch {
    return false;
  }
}
