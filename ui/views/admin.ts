/** For admins: the API keys (never their secrets) and the audit log, a page at a time. */
import { api, query } from '../api';
import { errorBox, fill, h, message } from '../dom';
import { href } from '../router';

interface KeyInfo {
  key: string;
  name: string;
  grants: unknown[];
  createdAt: string;
  expiresAt?: string;
  revokedAt?: string;
}
interface AuditRow {
  id: number;
  stream: string;
  at: string;
  principal: string;
  action: string;
  target: string;
  result: string;
}

const PAGE = 50;

const grantText = (g: unknown): string => (typeof g === 'string' ? g : JSON.stringify(g));

export async function adminView(view: HTMLElement, params: URLSearchParams): Promise<void> {
  const keyOffset = Math.max(0, Number(params.get('keys')) || 0);
  const after = Math.max(0, Number(params.get('after')) || 0);
  const [keys, audit] = await Promise.all([
    api<KeyInfo[]>(`/v1/admin/keys${query({ offset: keyOffset, limit: PAGE })}`).catch((e: unknown) => e),
    api<{ rows: AuditRow[]; next?: number }>(`/v1/admin/audit${query({ after, limit: PAGE })}`).catch((e: unknown) => e),
  ]);
  fill(
    view,
    h('h1', {}, 'Admin'),
    h('h2', {}, 'API keys'),
    Array.isArray(keys)
      ? keys.length === 0
        ? h('p', { class: 'muted' }, 'No managed keys (the bootstrap admin key is a secret, not listed).')
        : [
            h(
              'table',
              { 'aria-label': 'API keys' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['Key id', 'Name', 'Grants', 'Created', 'Expires', 'Revoked'].map((t) => h('th', { scope: 'col' }, t)),
                ),
              ),
              h(
                'tbody',
                {},
                (keys as KeyInfo[]).map((k) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, h('code', {}, k.key)),
                    h('td', {}, k.name),
                    h('td', {}, k.grants.map(grantText).join(', ')),
                    h('td', {}, k.createdAt),
                    h('td', {}, k.expiresAt ?? ''),
                    h('td', {}, k.revokedAt ?? ''),
                  ),
                ),
              ),
            ),
            keys.length === PAGE ? h('a', { href: href(['admin'], { keys: keyOffset + PAGE, after }) }, 'More keys') : null,
          ]
      : errorBox(message(keys)),
    h('h2', {}, 'Audit log'),
    h('p', { class: 'muted' }, 'Oldest first; every change and every admin read, hash-chained (GET /v1/admin/audit/verify checks the chain).'),
    audit instanceof Error
      ? errorBox(message(audit))
      : [
          h(
            'table',
            { 'aria-label': 'Audit log' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['#', 'Time', 'Who', 'Action', 'Target', 'Result'].map((t) => h('th', { scope: 'col' }, t)),
              ),
            ),
            h(
              'tbody',
              {},
              (audit as { rows: AuditRow[] }).rows.map((r) =>
                h(
                  'tr',
                  {},
                  h('td', {}, String(r.id)),
                  h('td', {}, r.at),
                  h('td', {}, r.principal),
                  h('td', {}, r.action),
                  h('td', {}, h('code', {}, r.target)),
                  h('td', {}, r.result),
                ),
              ),
            ),
          ),
          (audit as { next?: number }).next !== undefined
            ? h('a', { href: href(['admin'], { keys: keyOffset, after: (audit as { next: number }).next }) }, 'Next entries')
            : null,
        ],
  );
}
