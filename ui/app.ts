/**
 * The web console: plain TypeScript and the DOM, bundled by scripts/build-ui.mjs (docs/ui.md).
 * One shell (header, nav, main); each hash route renders one view into main.
 */
import './styles.css';
import { credential, whenUnauthorized } from './api';
import { fill, h } from './dom';
import { current, go, href } from './router';
import { type Session, session, signIn, signOut } from './session';
import { adminView } from './views/admin';
import { changesView } from './views/changes';
import { checkView } from './views/check';
import { exportView } from './views/export';
import { signInView } from './views/signin';
import { subjectView } from './views/subject';
import { subjectsView } from './views/subjects';
import { validateView } from './views/validate';

function leave(): void {
  signOut();
  go('#/signin');
}

const NAV: { label: string; first: string; href: string; admin?: true }[] = [
  { label: 'Subjects', first: '', href: '#/' },
  { label: 'Check & register', first: 'check', href: '#/check' },
  { label: 'Validate', first: 'validate', href: '#/validate' },
  { label: 'Export', first: 'export', href: '#/export' },
  { label: 'Changes', first: 'changes', href: '#/changes' },
  { label: 'Admin', first: 'admin', href: '#/admin', admin: true },
];

function renderShell(s: Session | undefined, first: string): void {
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  if (!nav || !who) return;
  const section = first === 'subjects' ? '' : first;
  fill(
    nav,
    s
      ? h(
          'ul',
          {},
          NAV.filter((n) => !n.admin || s.admin).map((n) =>
            h('li', {}, h('a', { href: n.href, 'aria-current': n.first === section ? 'page' : undefined }, n.label)),
          ),
        )
      : null,
  );
  const c = credential();
  fill(
    who,
    s && !s.open && c
      ? [
          h('span', {}, `Signed in as ${c.scheme === 'basic' ? c.value.split(':')[0] : 'token'}${s.admin ? ' (admin)' : ''}`),
          h('button', { type: 'button', onclick: leave }, 'Sign out'),
        ]
      : s?.open
        ? h('span', {}, 'Authentication is off')
        : null,
  );
}

let rendering = 0;
/** A newer navigation started while this one awaited. */
const stale = (token: number): boolean => token !== rendering;

async function render(): Promise<void> {
  const token = ++rendering;
  const main = document.getElementById('main');
  if (!main) return;
  const route = current();
  let s = session();
  if (!s && route.parts[0] !== 'signin') {
    // Auth may be off: then the console opens without a key.
    try {
      await signIn('none', '');
      s = session();
    } catch {
      go(href(['signin'], { next: location.hash }), true);
      return;
    }
  }
  if (stale(token)) return;
  const first = route.parts[0] ?? '';
  renderShell(s, first);
  const view = document.createElement('div');
  fill(main, view);
  try {
    switch (first) {
      case 'signin':
        await signInView(view, route);
        break;
      case '':
      case 'subjects':
        if (route.parts.length > 1) await subjectView(view, route.parts[1], route.params);
        else await subjectsView(view, route.params);
        break;
      case 'check':
        await checkView(view, route.parts[1]);
        break;
      case 'validate':
        await validateView(view, route.parts[1], route.params);
        break;
      case 'export':
        await exportView(view, route.parts[1], route.params);
        break;
      case 'changes':
        await changesView(view, route.params);
        break;
      case 'admin':
        await adminView(view, route.params);
        break;
      default:
        fill(view, h('h1', {}, 'Not found'), h('p', {}, 'No such page. ', h('a', { href: '#/' }, 'Back to the subjects')));
    }
  } catch (e) {
    view.append(h('p', { class: 'error', role: 'alert' }, e instanceof Error ? e.message : String(e)));
  }
  const title = view.querySelector('h1');
  document.title = `${title?.textContent ?? 'Console'} · Schema Registry`;
}

whenUnauthorized(() => {
  signOut();
  if (current().parts[0] !== 'signin') go(href(['signin'], { next: location.hash }), true);
});

let focusOnRender = false;
window.addEventListener('hashchange', () => {
  focusOnRender = true;
  void render().then(() => {
    // After navigation, keyboard and screen-reader users start at the new page's heading.
    if (!focusOnRender) return;
    focusOnRender = false;
    const h1 = document.querySelector<HTMLElement>('main h1');
    if (h1 && !document.activeElement?.closest('main')) {
      h1.tabIndex = -1;
      h1.focus();
    }
  });
});

document.getElementById('skip')?.addEventListener('click', (e) => {
  // The hash is the router's: move focus without changing it.
  e.preventDefault();
  document.getElementById('main')?.focus();
});

void render();
