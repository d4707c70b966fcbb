/**
 * One subject: its versions (soft-deleted ones on request), the selected version's schema
 * highlighted, references and referenced-by as links, a side-by-side diff of any two versions, and
 * its compatibility level and mode (editable when the credential's grants allow it: permissions.ts;
 * the registry still decides every PUT).
 */
import { api, ApiError, query, seg, type SubjectVersion } from '../api';
import { sideBySide } from '../diff';
import { errorBox, field, fill, h, message, status } from '../dom';
import { codeBlock, highlight, languageOf, pretty } from '../highlight';
import { mayOnSubject } from '../permissions';
import { go, href } from '../router';

const LEVELS = ['BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE', 'NONE'];
const MODES = ['READWRITE', 'READONLY', 'READONLY_OVERRIDE', 'IMPORT'];
/** Referenced-by lists are shown up to this many schemas (each is one more request). */
const MAX_REFERRERS = 25;

export async function subjectView(view: HTMLElement, subject: string, params: URLSearchParams): Promise<void> {
  const deleted = params.get('deleted') === '1';
  const base = `/subjects/${seg(subject)}/versions`;
  const [live, all] = await Promise.all([
    api<number[]>(base).catch((e: unknown) => {
      if (e instanceof ApiError && e.status === 404 && deleted) return [];
      throw e;
    }),
    deleted ? api<number[]>(`${base}${query({ deleted: true })}`) : Promise.resolve(undefined),
  ]);
  const versions = all ?? live;
  const liveSet = new Set(live);
  const latest = versions.at(-1);
  const wanted = Number(params.get('v'));
  const selected = versions.includes(wanted) ? wanted : latest;
  const nav = (p: Record<string, string | number | undefined>) =>
    href(['subjects', subject], { v: selected, deleted: deleted ? 1 : undefined, ...p });

  const showDeleted = h('input', { type: 'checkbox', checked: deleted });
  showDeleted.addEventListener('change', () => {
    go(nav({ deleted: showDeleted.checked ? 1 : undefined }), true);
  });

  fill(
    view,
    h('p', { class: 'muted' }, h('a', { href: '#/' }, 'Subjects'), ' / '),
    h('h1', {}, subject),
    h(
      'div',
      { class: 'row' },
      h('label', { class: 'check' }, showDeleted, 'Show soft-deleted versions'),
      h('a', { href: href(['check', subject]) }, 'Check & register a new version'),
    ),
    h('h2', { id: 'versions-h' }, 'Versions'),
    versions.length === 0
      ? h('p', {}, 'No versions.')
      : h(
          'ul',
          { class: 'versions', 'aria-labelledby': 'versions-h' },
          versions.map((v) =>
            h(
              'li',
              { class: liveSet.has(v) ? undefined : 'deleted' },
              h('a', { href: nav({ v }), 'aria-current': v === selected ? 'true' : undefined }, `v${v}`, liveSet.has(v) ? '' : ' (deleted)'),
            ),
          ),
        ),
  );
  if (selected === undefined) return;

  const version = await api<SubjectVersion>(`${base}/${seg(selected)}${query({ deleted: true })}`);
  const type = version.schemaType ?? 'AVRO';
  const lang = languageOf(type);
  const text = pretty(version.schema, type);

  const schemaSection = h(
    'section',
    { 'aria-labelledby': 'schema-h' },
    h('h2', { id: 'schema-h' }, `Version ${version.version}`),
    h(
      'dl',
      { class: 'meta' },
      h('dt', {}, 'Schema id'),
      h('dd', {}, String(version.id)),
      h('dt', {}, 'Type'),
      h('dd', {}, type),
      h('dt', {}, 'State'),
      h('dd', {}, liveSet.has(version.version) ? 'live' : 'soft-deleted'),
      h('dt', {}, 'Use it'),
      h(
        'dd',
        {},
        h('a', { href: href(['validate', subject], { v: version.version }) }, 'Validate a document'),
        type === 'JSON' ? [' · ', h('a', { href: href(['export', subject], { v: version.version }) }, 'Export for an LLM provider')] : null,
      ),
    ),
    codeBlock(text, lang, `Schema of ${subject} version ${version.version}`),
  );
  view.append(schemaSection);

  // References (what this version uses) and referenced-by (schemas that use it).
  const refs = version.references ?? [];
  const referrers = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  view.append(
    h(
      'section',
      { 'aria-labelledby': 'refs-h' },
      h('h2', { id: 'refs-h' }, 'References'),
      refs.length === 0
        ? h('p', { class: 'muted' }, 'This version references no other schema.')
        : h(
            'ul',
            {},
            refs.map((r) =>
              h(
                'li',
                {},
                h('code', {}, r.name),
                ' → ',
                h('a', { href: href(['subjects', r.subject], { v: r.version }) }, `${r.subject} v${r.version}`),
              ),
            ),
          ),
      h('h3', {}, 'Referenced by'),
      referrers,
    ),
  );
  void loadReferrers(referrers, `${base}/${seg(selected)}/referencedby`);

  if (versions.length > 1) view.append(diffSection(subject, versions, selected, type));
  view.append(await settingsSection(subject));
}

async function loadReferrers(into: HTMLElement, path: string): Promise<void> {
  try {
    const ids = await api<number[]>(path);
    if (ids.length === 0) {
      fill(into, h('p', { class: 'muted' }, 'No schema references this version.'));
      return;
    }
    const shown = ids.slice(0, MAX_REFERRERS);
    const uses = await Promise.all(
      shown.map((id) => api<{ subject: string; version: number }[]>(`/schemas/ids/${seg(id)}/versions`).catch(() => [])),
    );
    fill(
      into,
      h(
        'ul',
        {},
        uses.flat().map((u) => h('li', {}, h('a', { href: href(['subjects', u.subject], { v: u.version }) }, `${u.subject} v${u.version}`))),
      ),
      ids.length > shown.length ? h('p', { class: 'muted' }, `and ${ids.length - shown.length} more schemas`) : null,
    );
  } catch (e) {
    fill(into, errorBox(message(e)));
  }
}

function diffSection(subject: string, versions: number[], selected: number, type: string): HTMLElement {
  const left = h(
    'select',
    { name: 'left' },
    versions.map((v) => h('option', { value: v, selected: v === previous(versions, selected) }, `v${v}`)),
  );
  const right = h(
    'select',
    { name: 'right' },
    versions.map((v) => h('option', { value: v, selected: v === selected }, `v${v}`)),
  );
  const out = h('div', { id: 'diff-out' });
  const compare = async () => {
    fill(out, status());
    try {
      const [a, b] = await Promise.all(
        [left.value, right.value].map((v) => api<SubjectVersion>(`/subjects/${seg(subject)}/versions/${seg(v)}${query({ deleted: true })}`)),
      );
      fill(out, diffTable(pretty(a.schema, type), pretty(b.schema, type), `v${left.value}`, `v${right.value}`, languageOf(type)));
    } catch (e) {
      fill(out, errorBox(message(e)));
    }
  };
  return h(
    'section',
    { 'aria-labelledby': 'diff-h' },
    h('h2', { id: 'diff-h' }, 'Compare versions'),
    h(
      'form',
      {
        class: 'row',
        onsubmit: (e) => {
          e.preventDefault();
          void compare();
        },
      },
      field('From', left),
      field('To', right),
      h('button', { type: 'submit' }, 'Compare'),
    ),
    out,
  );
}

function previous(versions: number[], v: number): number {
  const i = versions.indexOf(v);
  return i > 0 ? versions[i - 1] : v;
}

function diffTable(a: string, b: string, aName: string, bName: string, lang: 'json' | 'protobuf'): HTMLElement {
  const rows = sideBySide(a, b);
  const changed = rows.filter((r) => r.kind === 'change').length;
  const cell = (cls: string, text: string | undefined) => h('td', { class: cls }, text === undefined ? '' : highlight(text, lang));
  return h(
    'div',
    {},
    h('p', { role: 'status' }, changed === 0 ? `${aName} and ${bName} are identical.` : `${changed} changed lines between ${aName} and ${bName}.`),
    h(
      'table',
      { class: 'diff', 'aria-label': `Differences between ${aName} and ${bName}` },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { class: 'n', scope: 'col' }, '#'),
          h('th', { scope: 'col' }, aName),
          h('th', { class: 'n', scope: 'col' }, '#'),
          h('th', { scope: 'col' }, bName),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((r) =>
          h(
            'tr',
            {},
            h('td', { class: 'n' }, r.l === undefined ? '' : String(r.l)),
            cell(r.kind === 'change' && r.left !== undefined ? 'del' : '', r.left),
            h('td', { class: 'n' }, r.r === undefined ? '' : String(r.r)),
            cell(r.kind === 'change' && r.right !== undefined ? 'add' : '', r.right),
          ),
        ),
      ),
    ),
  );
}

async function settingsSection(subject: string): Promise<HTMLElement> {
  const [config, mode] = await Promise.all([
    api<{ compatibilityLevel?: string }>(`/config/${seg(subject)}${query({ defaultToGlobal: true })}`).catch(() => ({
      compatibilityLevel: undefined,
    })),
    api<{ mode?: string }>(`/mode/${seg(subject)}${query({ defaultToGlobal: true })}`).catch(() => ({ mode: undefined })),
  ]);
  const level = h(
    'select',
    { name: 'compatibility' },
    LEVELS.map((l) => h('option', { value: l, selected: l === config.compatibilityLevel }, l)),
  );
  const modeSel = h(
    'select',
    { name: 'mode' },
    MODES.map((m) => h('option', { value: m, selected: m === mode.mode }, m)),
  );
  const out = status();
  const save = async (what: 'config' | 'mode') => {
    fill(out, 'Saving…');
    try {
      if (what === 'config') await api(`/config/${seg(subject)}`, { method: 'PUT', body: { compatibility: level.value } });
      else await api(`/mode/${seg(subject)}`, { method: 'PUT', body: { mode: modeSel.value } });
      fill(out, h('span', { class: 'ok' }, what === 'config' ? `Compatibility set to ${level.value}.` : `Mode set to ${modeSel.value}.`));
    } catch (e) {
      fill(out, errorBox(e instanceof ApiError && e.status === 403 ? `Your key may not change this subject's ${what}.` : message(e)));
    }
  };
  const form = (control: HTMLElement, label: string, what: 'config' | 'mode') =>
    h(
      'form',
      {
        class: 'row',
        onsubmit: (e) => {
          e.preventDefault();
          void save(what);
        },
      },
      field(label, control),
      h('button', { type: 'submit' }, `Save ${what === 'config' ? 'compatibility' : 'mode'}`),
    );
  const intro = 'The effective values (the subject’s own, else its context’s or the global ones).';
  if (!mayOnSubject('admin', subject)) {
    // Read-only: the values as text; no control the registry would refuse.
    return h(
      'section',
      { 'aria-labelledby': 'settings-h' },
      h('h2', { id: 'settings-h' }, 'Compatibility and mode'),
      h('p', { class: 'muted' }, `${intro} Changing them needs the admin role on this subject, which this credential does not have.`),
      h(
        'dl',
        { class: 'settings' },
        h('dt', {}, 'Compatibility level'),
        h('dd', {}, config.compatibilityLevel ?? 'unknown'),
        h('dt', {}, 'Mode'),
        h('dd', {}, mode.mode ?? 'unknown'),
      ),
    );
  }
  return h(
    'section',
    { 'aria-labelledby': 'settings-h' },
    h('h2', { id: 'settings-h' }, 'Compatibility and mode'),
    h('p', { class: 'muted' }, `${intro} Changing them needs the admin role on the subject.`),
    form(level, 'Compatibility level', 'config'),
    form(modeSel, 'Mode', 'mode'),
    out,
  );
}
