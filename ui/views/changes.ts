/**
 * Change events (GET /v1/events, docs/events.md): what changed, oldest first, a page at a time,
 * only what the signed-in credential may read (the registry filters them). The cursor is in the
 * URL (`?after=`), so a page can be bookmarked and reloaded.
 */
import { api, query } from '../api';
import { fill, h } from '../dom';
import { href } from '../router';

interface ChangeEvent {
  seq: number;
  at: string;
  type: string;
  context?: string;
  subject?: string;
  version?: number;
  id?: number;
  /** A DEK registry change: the KEK it names (and a DEK's algorithm). */
  kek?: string;
  algorithm?: string;
  actor: string;
}

const PAGE = 50;

/** The subject's name as the API takes it: bare in the default context, else `:.ctx:name`. */
const qualified = (context: string, subject: string): string => (context === '.' ? subject : `:${context}:${subject}`);

function where(e: ChangeEvent): HTMLElement | string {
  if (e.kek !== undefined) {
    if (e.context === undefined || e.subject === undefined) return h('code', {}, `KEK ${e.kek}`);
    return h('code', {}, `DEK ${qualified(e.context, e.subject)} (KEK ${e.kek}, ${e.algorithm ?? ''})`);
  }
  if (e.context === undefined) return 'the whole registry';
  if (e.subject === undefined) return e.context === '.' ? 'the default context' : `context ${e.context}`;
  const name = qualified(e.context, e.subject);
  // A permanently deleted subject has no page left to open.
  return e.type.endsWith('-permanent') ? h('code', {}, name) : h('a', { href: href(['subjects', name]) }, name);
}

export async function changesView(view: HTMLElement, params: URLSearchParams): Promise<void> {
  const after = Math.max(0, Number(params.get('after')) || 0);
  const page = await api<{ events: ChangeEvent[]; next: number | null }>(`/v1/events${query({ after, limit: PAGE })}`);
  fill(
    view,
    h('h1', {}, 'Changes'),
    h(
      'p',
      { class: 'muted' },
      'Every committed change you may read, oldest first: registrations, deletes, config and mode, restores, encryption keys. ',
      'A consumer catches up the same way: ',
      h('code', {}, 'GET /v1/events?after=<seq>'),
      '.',
    ),
    page.events.length === 0
      ? h('p', { class: 'muted', role: 'status' }, after ? `Nothing after change ${after} yet.` : 'No changes yet.')
      : h(
          'table',
          { 'aria-label': 'Change events' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['#', 'Time', 'Change', 'Where', 'Version', 'Schema id', 'By'].map((t) => h('th', { scope: 'col' }, t)),
            ),
          ),
          h(
            'tbody',
            {},
            page.events.map((e) =>
              h(
                'tr',
                {},
                h('td', {}, String(e.seq)),
                h('td', {}, e.at),
                h('td', {}, e.type),
                h('td', {}, where(e)),
                h('td', {}, e.version === undefined ? '' : String(e.version)),
                h('td', {}, e.id === undefined ? '' : String(e.id)),
                h('td', {}, e.actor),
              ),
            ),
          ),
        ),
    h(
      'p',
      { class: 'row' },
      after > 0 ? h('a', { href: href(['changes']) }, 'From the oldest') : null,
      page.next !== null ? h('a', { href: href(['changes'], { after: page.next }) }, 'Next changes') : null,
    ),
  );
}
