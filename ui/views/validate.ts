/**
 * Validation playground: a JSON document or raw model output against a subject version
 * (POST /v1/validate/...). Errors are listed by instance path; for model output, the value the
 * registry extracted and the repair instruction it would send back to the model.
 */
import { api, seg, type ValidationAnswer } from '../api';
import { errorBox, field, fill, h, message, status } from '../dom';
import { codeBlock } from '../highlight';

export function validateView(view: HTMLElement, initial: string | undefined, params: URLSearchParams): Promise<void> {
  const subject = h('input', { name: 'subject', value: initial ?? '', required: true, spellcheck: 'false', autocomplete: 'off' });
  const version = h('input', { name: 'version', value: params.get('v') ?? 'latest', size: 8, spellcheck: 'false' });
  const kind = h(
    'select',
    { name: 'kind' },
    h('option', { value: 'text/plain' }, 'Raw model output (the JSON is extracted)'),
    h('option', { value: 'application/json' }, 'A JSON document'),
  );
  const input = h('textarea', { name: 'document', rows: 12, spellcheck: 'false', required: true });
  const out = h('div', { id: 'validation-result' }, status());

  const run = async () => {
    if (!subject.value.trim()) {
      fill(out, errorBox('Enter a subject.'));
      return;
    }
    fill(out, status());
    try {
      const r = await api<ValidationAnswer>(`/v1/validate/subjects/${seg(subject.value.trim())}/versions/${seg(version.value.trim() || 'latest')}`, {
        method: 'POST',
        text: { type: kind.value, value: input.value },
      });
      fill(
        out,
        h(
          'p',
          { role: 'status', class: r.valid ? 'ok' : 'error' },
          r.valid ? 'Valid.' : `Invalid: ${r.errors.length || 'no'} error${r.errors.length === 1 ? '' : 's'}.`,
        ),
        r.errors.length
          ? h(
              'table',
              { 'aria-label': 'Validation errors' },
              h(
                'thead',
                {},
                h('tr', {}, h('th', { scope: 'col' }, 'Instance path'), h('th', { scope: 'col' }, 'Error'), h('th', { scope: 'col' }, 'Schema path')),
              ),
              h(
                'tbody',
                {},
                r.errors.map((e) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, h('code', {}, e.instancePath || '(root)')),
                    h('td', {}, e.message),
                    h('td', {}, h('code', {}, e.schemaPath)),
                  ),
                ),
              ),
            )
          : null,
        r.value !== undefined ? [h('h2', {}, 'Extracted value'), codeBlock(JSON.stringify(r.value, null, 2), 'json', 'The extracted value')] : null,
        r.repair ? [h('h2', {}, 'Repair hint'), h('p', { class: 'repair' }, r.repair)] : null,
      );
    } catch (e) {
      fill(out, errorBox(message(e)));
    }
  };

  fill(
    view,
    h('h1', {}, 'Validate'),
    h(
      'form',
      {
        onsubmit: (e) => {
          e.preventDefault();
          void run();
        },
      },
      h('div', { class: 'row' }, field('Subject', subject), field('Version', version), field('Input', kind)),
      field('Document or model output', input),
      h('button', { type: 'submit', class: 'primary' }, 'Validate'),
    ),
    out,
  );
  return Promise.resolve();
}
