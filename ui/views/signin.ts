/** Sign in with an API key (key id + secret, sent as HTTP Basic) or a bearer token, for this tab. */
import { ApiError } from '../api';
import { signIn } from '../session';
import { errorBox, field, fill, h, status } from '../dom';
import { go, type Route } from '../router';

export function signInView(view: HTMLElement, route: Route): Promise<void> {
  const key = h('input', { name: 'key', autocomplete: 'username', spellcheck: 'false' });
  const secret = h('input', { name: 'secret', type: 'password', autocomplete: 'current-password' });
  const token = h('input', { name: 'token', type: 'password', autocomplete: 'off' });
  const out = status();
  const submit = async (e: Event) => {
    e.preventDefault();
    const bearer = token.value.trim();
    if (!bearer && !key.value.trim()) {
      fill(out, errorBox('Enter a key id and secret, or a token.'));
      return;
    }
    fill(out, 'Signing in…');
    try {
      if (bearer) await signIn('bearer', bearer);
      else await signIn('basic', `${key.value.trim()}:${secret.value}`);
      const next = route.params.get('next');
      go(next && next.startsWith('#/') && !next.startsWith('#/signin') ? next : '#/');
    } catch (err) {
      fill(
        out,
        errorBox(
          err instanceof ApiError && err.status === 401
            ? 'Those credentials were refused.'
            : `Could not sign in: ${err instanceof Error ? err.message : String(err)}`,
        ),
      );
    }
  };
  fill(
    view,
    h('h1', {}, 'Sign in'),
    h(
      'form',
      { class: 'card', onsubmit: (e) => void submit(e), 'aria-labelledby': 'signin-legend' },
      h('p', { id: 'signin-legend' }, 'Use an API key of this registry. It is kept for this browser tab only (sessionStorage).'),
      field('Key id', key),
      field('Secret', secret),
      field('Or a bearer token', token, 'An OIDC token or a static token; leave empty to use the key above.'),
      h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
      out,
    ),
  );
  key.focus();
  return Promise.resolve();
}
