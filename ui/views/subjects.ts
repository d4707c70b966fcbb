/**
 * Contexts and subjects: search as you type (by prefix, debounced), one page at a time. The
 * registry filters and pages (subjectPrefix, offset, limit): the console never loads every subject.
 */
import { api, query } from '../api';
import { debounce, errorBox, field, fill, h, status } from '../dom';
import { go, href } from '../router';

const PAGE = 50;

export async function subjectsView(view: HTMLElement, params: URLSearchParams): Promise<void> {
  const ctx = params.get('ctx') ?? '.';
  const q = params.get('q') ?? '';
  const deleted = params.get('deleted') === '1';
  const offset = Math.max(0, Number(params.get('offset') ?? '0') || 0);

  const contexts = h('select', { name: 'context' }, h('option', { value: ctx }, ctx));
  const search = h('input', { type: 'search', name: 'q', value: q, autocomplete: 'off', spellcheck: 'false' });
  const showDeleted = h('input', { type: 'checkbox', name: 'deleted', checked: deleted });
  const out = status();
  const list = h('div', { id: 'subject-results' });

  const state = { ctx, q, deleted, offset };
  const update = (replace: boolean) => {
    go(
      href([], {
        ctx: state.ctx === '.' ? undefined : state.ctx,
        q: state.q,
        deleted: state.deleted ? 1 : undefined,
        offset: state.offset || undefined,
      }),
      replace,
    );
  };

  fill(
    view,
    h('h1', {}, 'Subjects'),
    h(
      'form',
      {
        role: 'search',
        class: 'row',
        onsubmit: (e) => {
          e.preventDefault();
        },
      },
      field('Context', contexts),
      field('Find subjects', search, 'Names starting with what you type'),
      h('label', { class: 'check' }, showDeleted, 'Include soft-deleted'),
    ),
    out,
    list,
  );

  // The results re-render in place; the URL follows (replaceState) so a reload keeps the search.
  let seq = 0;
  const load = async () => {
    const mine = ++seq;
    fill(out, 'Searching…');
    try {
      const names = await api<string[]>(
        `/subjects${query({ subjectPrefix: `:${state.ctx}:${state.q}`, deleted: state.deleted, offset: state.offset, limit: PAGE + 1 })}`,
      );
      if (mine !== seq) return;
      const more = names.length > PAGE;
      const shown = names.slice(0, PAGE);
      fill(
        out,
        shown.length === 0
          ? state.q
            ? `No subject starts with “${state.q}”.`
            : 'No subjects in this context yet.'
          : `Subjects ${state.offset + 1}–${state.offset + shown.length}${more ? '' : ` of ${state.offset + shown.length}`}`,
      );
      const pager = h(
        'div',
        { class: 'pager' },
        h(
          'button',
          {
            type: 'button',
            disabled: state.offset === 0,
            onclick: () => {
              state.offset = Math.max(0, state.offset - PAGE);
              update(true);
            },
          },
          'Previous page',
        ),
        h(
          'button',
          {
            type: 'button',
            disabled: !more,
            onclick: () => {
              state.offset += PAGE;
              update(true);
            },
          },
          'Next page',
        ),
      );
      fill(
        list,
        h(
          'ul',
          { class: 'subjects', 'aria-label': 'Subjects' },
          shown.map((name) => h('li', {}, h('a', { href: href(['subjects', name]) }, name))),
        ),
        shown.length > 0 || state.offset > 0 ? pager : null,
      );
    } catch (e) {
      if (mine === seq) fill(out, errorBox(e instanceof Error ? e.message : String(e)));
    }
  };

  const typed = debounce(() => {
    state.q = search.value;
    state.offset = 0;
    history.replaceState(null, '', href([], { ctx: state.ctx === '.' ? undefined : state.ctx, q: state.q, deleted: state.deleted ? 1 : undefined }));
    void load();
  }, 200);
  search.addEventListener('input', typed);
  contexts.addEventListener('change', () => {
    state.ctx = contexts.value;
    state.offset = 0;
    update(true);
  });
  showDeleted.addEventListener('change', () => {
    state.deleted = showDeleted.checked;
    state.offset = 0;
    update(true);
  });

  const loading = load();
  try {
    const names = await api<string[]>('/contexts?limit=1000');
    fill(
      contexts,
      names.map((n) => h('option', { value: n, selected: n === state.ctx }, n === '.' ? '. (default)' : n)),
    );
  } catch {
    // The reader may see no contexts listing; the default context still works.
  }
  await loading;
  if (q) search.focus();
}
