/**
 * Associations for the snapshot and restore tests (docs/associations.md): one resource with a WEAK
 * key association in the default context and a STRONG value association in a named one. The
 * subjects `user` and `:.tenant:orders` must exist first.
 */
import { post } from './client';

export async function seedAssociations(): Promise<void> {
  const r = await post('/associations', {
    resourceName: 'orders',
    resourceNamespace: 'tenant',
    resourceId: 'lkc:orders',
    associations: [
      { subject: 'user', associationType: 'key' },
      { associationType: 'value', lifecycle: 'STRONG', subject: ':.tenant:orders' },
    ],
  });
  if (r.status !== 200) throw new Error(JSON.stringify(r.body));
}
