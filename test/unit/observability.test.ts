/**
 * docs/observability.md, the Grafana dashboard (ops/grafana) and the alert rules (ops/alerts) say
 * the same thing as the code: the doc's layout table is POINT_LAYOUT (src/services/metrics-layout.ts);
 * every panel query and every alert query is a query of the doc and every doc query is used; every
 * column a query names exists in the layout of the kind it filters on, on the dataset wrangler.toml
 * binds; every query weighs rows by _sample_interval (never count()); every alert points to a
 * heading of the runbook, whose **Fires:** line states the rule's threshold. A planted bad copy of
 * each fails.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ROOT } from './doc-commands';

/** Imported at run time: the layout file is typed for Workers, not Node (see runbooks.test.ts). */
const LAYOUT = '../../src/services/metrics-layout';
type Layout = Record<string, { index: string; blobs: readonly string[]; doubles: readonly string[] }>;
const { POINT_LAYOUT } = (await import(/* @vite-ignore */ LAYOUT)) as { POINT_LAYOUT: Layout };

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const DOC = read('docs/observability.md');
const RUNBOOK = read('docs/runbooks/dashboards-and-alerts.md');
const DASHBOARD = read('ops/grafana/registry-dashboard.json');
const ALERTS = read('ops/alerts/registry-alerts.yaml');
const DATASET = /\[\[analytics_engine_datasets\]\]\s*binding\s*=\s*"METRICS"\s*dataset\s*=\s*"([^"]+)"/.exec(read('wrangler.toml'))?.[1];

const norm = (sql: string) => sql.replace(/\s+/g, ' ').trim();

/** The doc's layout table rows, as `kind column field`. */
function docLayout(doc: string): string[] {
  return [...doc.matchAll(/^\| (request|write|validation|commit) \| (\w+) \| (\w+) \|$/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
}

function constLayout(layout: Layout): string[] {
  return Object.entries(layout).flatMap(([kind, { index, blobs, doubles }]) => [
    `${kind} index1 ${index}`,
    ...blobs.map((b, i) => `${kind} blob${i + 1} ${b}`),
    ...doubles.map((d, i) => `${kind} double${i + 1} ${d}`),
  ]);
}

/** The doc's SQL blocks, by the heading above each. */
function docQueries(doc: string): Map<string, string> {
  const out = new Map<string, string>();
  let heading = '';
  for (const m of doc.matchAll(/^### (.+)$|^```sql\n([\s\S]*?)^```/gm)) {
    const [whole, title, sql] = m as unknown as [string, string | undefined, string | undefined];
    if (whole.startsWith('###')) heading = String(title);
    else out.set(heading, norm(String(sql)));
  }
  return out;
}

interface Dashboard {
  panels: { title: string; targets: { query: string }[] }[];
}
function panelQueries(json: string): Map<string, string> {
  const d = JSON.parse(json) as Dashboard;
  return new Map(d.panels.flatMap((p) => p.targets.map((t) => [p.title, norm(t.query)] as const)));
}

interface Rule {
  title: string;
  for: string;
  annotations: { runbook_url: string };
  data: { datasourceUid: string; model: { query?: string; type?: string; conditions?: { evaluator: { type: string; params: number[] } }[] } }[];
}
const rulesOf = (yaml: string) => (parseYaml(yaml) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);

/** Every problem found: [] when the doc, the dashboard, the rules, the runbook and the layout agree. */
function problems(doc: string, dashboard: string, alerts: string, runbook: string, layout: Layout): string[] {
  const out: string[] = [];
  const want = constLayout(layout);
  const have = docLayout(doc);
  if (JSON.stringify(have) !== JSON.stringify(want)) out.push(`layout table ${JSON.stringify(have)} is not POINT_LAYOUT ${JSON.stringify(want)}`);

  const queries = docQueries(doc);
  const used = new Set<string>();
  for (const [title, q] of panelQueries(dashboard)) {
    if (queries.get(title) !== q) out.push(`panel "${title}": its query is not the doc's`);
    used.add(q);
  }
  const rules = rulesOf(alerts);
  const headings = new Set([...runbook.matchAll(/^## (.+)$/gm)].map((m) => slug(m[1])));
  for (const rule of rules) {
    const query = rule.data.find((d) => d.model.query !== undefined)?.model.query;
    if (query === undefined || queries.get(rule.title) !== norm(query)) out.push(`alert "${rule.title}": its query is not the doc's`);
    else used.add(norm(query));
    const [path = '', anchor = ''] = rule.annotations.runbook_url.split('#');
    if (!path.endsWith('docs/runbooks/dashboards-and-alerts.md') || !anchor || !headings.has(anchor))
      out.push(`alert "${rule.title}": runbook_url ${rule.annotations.runbook_url} is no heading of the runbook`);
    const evaluator = rule.data.find((d) => d.model.type === 'threshold')?.model.conditions?.[0]?.evaluator;
    const section = sectionOf(runbook, anchor);
    const fires = /\*\*Fires:\*\* `(\w+) ([<>]) ([\d.]+)` for (\w+)/.exec(section);
    const op = evaluator?.type === 'gt' ? '>' : evaluator?.type === 'lt' ? '<' : '?';
    const stated = fires ? `${fires[2]} ${fires[3]} for ${fires[4]}` : 'none';
    const actual = `${op} ${evaluator?.params[0]} for ${rule.for}`;
    if (stated !== actual) out.push(`alert "${rule.title}": the rule fires at ${actual}, the runbook says ${stated}`);
    if (fires && !norm(query ?? '').includes(` AS ${fires[1]}`)) out.push(`alert "${rule.title}": its query has no column ${fires[1]}`);
  }
  for (const [title, q] of queries) if (!used.has(q)) out.push(`doc query "${title}" is on no panel and in no rule`);

  for (const [title, q] of queries) {
    const kind = /blob1 = '(\w+)'/.exec(q)?.[1];
    const fields = kind === undefined ? undefined : layout[kind];
    if (!fields) {
      out.push(`query "${title}" filters on no point kind`);
      continue;
    }
    for (const [, col, n] of q.matchAll(/\b(blob|double|index)(\d+)\b/g)) {
      const count = col === 'blob' ? fields.blobs.length : col === 'double' ? fields.doubles.length : 1;
      if (Number(n) < 1 || Number(n) > count) out.push(`query "${title}": ${col}${n} is not in the ${kind} layout`);
    }
    const from = /\bFROM (\w+)/.exec(q)?.[1];
    if (from !== DATASET) out.push(`query "${title}": FROM ${from} is not the METRICS dataset ${DATASET}`);
    if (/count\(/i.test(q) || !q.includes('_sample_interval')) out.push(`query "${title}": does not weigh rows by _sample_interval`);
  }
  return out;
}

/** GitHub's heading anchor. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');
}

function sectionOf(runbook: string, anchor: string): string {
  const parts = runbook.split(/^## /m);
  return parts.find((p) => slug(p.split('\n')[0] ?? '') === anchor) ?? '';
}

describe('docs/observability.md, the dashboard and the alert rules', () => {
  it('agree with each other, the layout, wrangler.toml and the runbook', () => {
    expect(DATASET).toBe('llm_schema_registry');
    expect(docQueries(DOC).size).toBe(13);
    expect(panelQueries(DASHBOARD).size).toBe(8);
    expect(rulesOf(ALERTS).map((r) => r.annotations.runbook_url.split('#')[1])).toEqual([
      'high-5xx-rate',
      '503-surge',
      'latency-p99',
      'cache-hit-ratio-drop',
      'write-rejections-spike',
    ]);
    expect(problems(DOC, DASHBOARD, ALERTS, RUNBOOK, POINT_LAYOUT)).toEqual([]);
  });

  it('fail on a planted disagreement of each kind', () => {
    const cases: [string, () => string[]][] = [
      ['layout', () => problems(DOC.replace('| request | blob6 | layer |', '| request | blob6 | route |'), DASHBOARD, ALERTS, RUNBOOK, POINT_LAYOUT)],
      [
        'layout const',
        () => problems(DOC, DASHBOARD, ALERTS, RUNBOOK, { ...POINT_LAYOUT, write: { index: 'route', blobs: ['kind', 'route'], doubles: [] } }),
      ],
      ['layout index', () => problems(DOC, DASHBOARD, ALERTS, RUNBOOK, { ...POINT_LAYOUT, commit: { ...POINT_LAYOUT.commit, index: 'route' } })],
      ['panel query', () => problems(DOC, DASHBOARD.replace("INTERVAL '3' HOUR", "INTERVAL '6' HOUR"), ALERTS, RUNBOOK, POINT_LAYOUT)],
      ['doc query unused', () => problems(DOC.replace('p99_ms DESC', 'p50_ms DESC'), DASHBOARD, ALERTS, RUNBOOK, POINT_LAYOUT)],
      [
        'column',
        () =>
          problems(
            DOC.replaceAll('blob3 AS subject', 'blob12 AS subject'),
            DASHBOARD.replaceAll('blob3 AS subject', 'blob12 AS subject'),
            ALERTS,
            RUNBOOK,
            POINT_LAYOUT,
          ),
      ],
      [
        'dataset',
        () =>
          problems(
            DOC.replaceAll('FROM llm_schema_registry', 'FROM registry'),
            DASHBOARD.replaceAll('FROM llm_schema_registry', 'FROM registry'),
            ALERTS.replaceAll('FROM llm_schema_registry', 'FROM registry'),
            RUNBOOK,
            POINT_LAYOUT,
          ),
      ],
      [
        'count()',
        () =>
          problems(
            DOC.replace('sum(_sample_interval) AS answers', 'count() AS answers'),
            DASHBOARD.replace('sum(_sample_interval) AS answers', 'count() AS answers'),
            ALERTS,
            RUNBOOK,
            POINT_LAYOUT,
          ),
      ],
      ['anchor', () => problems(DOC, DASHBOARD, ALERTS.replace('#503-surge', '#503-spike'), RUNBOOK, POINT_LAYOUT)],
      ['threshold', () => problems(DOC, DASHBOARD, ALERTS, RUNBOOK.replace('`p99_ms > 1000`', '`p99_ms > 2000`'), POINT_LAYOUT)],
      ['duration', () => problems(DOC, DASHBOARD, ALERTS, RUNBOOK.replace('`hit_ratio < 0.9` for 15m', '`hit_ratio < 0.9` for 5m'), POINT_LAYOUT)],
    ];
    for (const [what, run] of cases) expect(run(), what).not.toEqual([]);
  });
});
