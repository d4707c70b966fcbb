/**
 * Exports: a JSON Schema version in the shape each LLM provider's API takes
 * (GET /v1/subjects/{s}/versions/{v}/export?target=...): the lint findings of the schema as
 * registered, the version the registry rewrites to fit (fix=true) with its changes, and a copy button.
 */
import { api, type ExportAnswer, type Finding, query, seg } from '../api';
import { copyText, errorBox, field, fill, h, message, status } from '../dom';
import { codeBlock } from '../highlight';
import { go, href } from '../router';

/** The targets of src/domain/llm/export/types.ts, with what people call them. */
const TARGETS: [string, string][] = [
  ['openai-chat-tool', 'OpenAI Chat Completions tool'],
  ['openai-responses-tool', 'OpenAI Responses tool'],
  ['openai-response-format', 'OpenAI structured output (response_format)'],
  ['anthropic-tool', 'Anthropic tool'],
  ['gemini-response-schema', 'Gemini responseSchema'],
  ['mcp-tool', 'MCP tool'],
];

export async function exportView(view: HTMLElement, initial: string | undefined, params: URLSearchParams): Promise<void> {
  const subject = h('input', { name: 'subject', value: initial ?? '', required: true, spellcheck: 'false', autocomplete: 'off' });
  const version = h('input', { name: 'version', value: params.get('v') ?? 'latest', size: 8, spellcheck: 'false' });
  const out = h('div', { id: 'exports' });
  fill(
    view,
    h('h1', {}, 'Export for an LLM provider'),
    h(
      'form',
      {
        class: 'row',
        onsubmit: (e) => {
          e.preventDefault();
          go(href(['export', subject.value.trim()], { v: version.value.trim() || 'latest' }));
        },
      },
      field('Subject', subject, 'A JSON Schema subject'),
      field('Version', version),
      h('button', { type: 'submit', class: 'primary' }, 'Export'),
    ),
    out,
  );
  if (!initial) return;
  const base = `/v1/subjects/${seg(initial)}/versions/${seg(params.get('v') ?? 'latest')}/export`;
  fill(out, status());
  try {
    const answers = await Promise.all(
      TARGETS.map(([target]) =>
        Promise.all([api<ExportAnswer>(`${base}${query({ target })}`), api<ExportAnswer>(`${base}${query({ target, fix: true })}`)]),
      ),
    );
    fill(
      out,
      answers.map(([asIs, fixed], i) => targetSection(TARGETS[i][0], TARGETS[i][1], asIs, fixed)),
    );
  } catch (e) {
    fill(out, errorBox(message(e)));
  }
}

function findingList(findings: Finding[], label: string): HTMLElement {
  if (findings.length === 0) return h('p', { class: 'ok' }, 'No findings: the provider takes it as is.');
  return h(
    'ul',
    { 'aria-label': label },
    findings.map((f) =>
      h(
        'li',
        {},
        h('span', { class: `badge ${f.severity === 'error' ? 'error' : 'warn'}` }, f.severity),
        ' ',
        h('code', {}, f.path || '(root)'),
        ' ',
        f.message,
        ' ',
        h('span', { class: 'muted' }, `(${f.rule})`),
      ),
    ),
  );
}

function targetSection(target: string, title: string, asIs: ExportAnswer, fixed: ExportAnswer): HTMLElement {
  const id = `export-${target}`;
  const text = JSON.stringify(fixed.output, null, 2);
  const copied = status();
  const copy = h('button', { type: 'button', 'aria-describedby': `${id}-h` }, 'Copy');
  copy.addEventListener('click', () => {
    void copyText(text).then((ok) => {
      fill(copied, ok ? 'Copied to the clipboard.' : 'The browser refused the clipboard: select the text and copy it.');
    });
  });
  return h(
    'section',
    { 'aria-labelledby': `${id}-h`, class: 'export', 'data-target': target },
    h('h2', { id: `${id}-h` }, title, ' ', h('code', { class: 'muted' }, target)),
    h('h3', {}, 'Lint of the schema as registered'),
    findingList(asIs.findings, `Findings for ${target}`),
    h('h3', {}, fixed.changes?.length ? 'Fixed version' : 'Definition'),
    fixed.changes?.length
      ? h(
          'ul',
          { 'aria-label': `Changes made for ${target}` },
          fixed.changes.map((c) => h('li', {}, c)),
        )
      : null,
    fixed.findings.length ? findingList(fixed.findings, `Findings left after fixing for ${target}`) : null,
    h('div', { class: 'row' }, copy, copied),
    codeBlock(text, 'json', `${title} definition`),
  );
}
