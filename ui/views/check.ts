/**
 * Check before you register: paste a schema, see whether the subject's compatibility level
 * accepts it (the history that level looks at, as register would check, with the verbose reasons),
 * then register it.
 */
import { api, ApiError, query, seg } from '../api';
import { errorBox, field, fill, h, message, status } from '../dom';
import { mayOnSubject } from '../permissions';
import { href } from '../router';

interface Verdict {
  is_compatible: boolean;
  messages?: string[];
}

export function checkView(view: HTMLElement, initial: string | undefined): Promise<void> {
  const subject = h('input', { name: 'subject', value: initial ?? '', required: true, spellcheck: 'false', autocomplete: 'off' });
  const type = h(
    'select',
    { name: 'schemaType' },
    ['AVRO', 'JSON', 'PROTOBUF'].map((t) => h('option', { value: t }, t)),
  );
  const schema = h('textarea', { name: 'schema', rows: 16, spellcheck: 'false', required: true });
  const out = status();
  const registerButton = h('button', { type: 'button', class: 'primary', disabled: true }, 'Register');
  const body = () => ({ schema: schema.value, schemaType: type.value });

  // A changed input must be checked again before it can be registered.
  for (const el of [subject, type, schema])
    el.addEventListener('input', () => {
      registerButton.disabled = true;
    });

  /** Registering needs the writer role on the subject: say so instead of offering a refused click. */
  const mayRegister = () => {
    if (mayOnSubject('writer', subject.value.trim())) return true;
    out.append(
      h(
        'p',
        { class: 'muted', id: 'register-denied' },
        'This credential may check schemas here but not register them (that needs the writer role on this subject).',
      ),
    );
    return false;
  };

  const check = async () => {
    registerButton.disabled = true;
    if (!subject.value.trim() || !schema.value.trim()) {
      fill(out, errorBox('Enter a subject and a schema.'));
      return;
    }
    fill(out, 'Checking…');
    try {
      const verdict = await api<Verdict>(`/compatibility/subjects/${seg(subject.value.trim())}/versions${query({ verbose: true })}`, {
        method: 'POST',
        body: body(),
      });
      fill(
        out,
        verdict.is_compatible
          ? h('p', { class: 'ok' }, 'Compatible: the subject’s compatibility level accepts this schema.')
          : h('p', { class: 'error' }, 'Incompatible: registering it would be refused.'),
        verdict.messages?.length
          ? h(
              'ul',
              { class: 'reasons', 'aria-label': 'Reasons' },
              verdict.messages.map((m) => h('li', {}, m)),
            )
          : null,
      );
      registerButton.disabled = !verdict.is_compatible || !mayRegister();
    } catch (e) {
      if (e instanceof ApiError && e.code === 40401) {
        fill(out, h('p', { class: 'ok' }, 'A new subject: there is nothing to be compatible with. It can be registered.'));
        registerButton.disabled = !mayRegister();
      } else fill(out, errorBox(message(e)));
    }
  };

  registerButton.addEventListener('click', () => {
    void (async () => {
      fill(out, 'Registering…');
      try {
        const name = subject.value.trim();
        const { id } = await api<{ id: number }>(`/subjects/${seg(name)}/versions`, { method: 'POST', body: body() });
        registerButton.disabled = true;
        fill(out, h('p', { class: 'ok' }, `Registered with schema id ${id}. `, h('a', { href: href(['subjects', name]) }, `Open ${name}`)));
      } catch (e) {
        fill(out, errorBox(message(e)));
      }
    })();
  });

  fill(
    view,
    h('h1', {}, 'Check & register'),
    h(
      'form',
      {
        onsubmit: (e) => {
          e.preventDefault();
          void check();
        },
      },
      h('div', { class: 'row' }, field('Subject', subject), field('Schema type', type)),
      field('Schema', schema, 'The schema text, as you would register it'),
      h('div', { class: 'row' }, h('button', { type: 'submit' }, 'Check compatibility'), registerButton),
    ),
    out,
  );
  return Promise.resolve();
}
