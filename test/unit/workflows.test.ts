/**
 * The GitHub workflows do what docs/deploy.md says: CI runs the README's test command on pushes
 * and pull requests; the deploy workflow runs wrangler's action, D1 migrations before the deploy,
 * with credentials from repository secrets only, and its wrangler commands exist and name what
 * wrangler.toml defines (the same check as the runbooks').
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { problems, project, ROOT, wrangler } from './doc-commands';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Partial<Record<string, string>>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { steps: Step[]; if?: string; container?: string }>;
}

/**
 * The route table, imported at run time: a literal import would pull the Worker's sources (typed
 * for Workers, not Node) into the type-check of tsconfig.node.json, which this file belongs to.
 */
const APP = '../../src/app';
const { ROUTES } = (await import(/* @vite-ignore */ APP)) as { ROUTES: { method: string; fullPath: string }[] };
const read = (name: string) => readFileSync(join(ROOT, '.github', 'workflows', name), 'utf8');
const load = (text: string) => parse(text) as Workflow;
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);
const SECRET = /^\$\{\{\s*secrets\.([A-Z][A-Z0-9_]*)\s*\}\}$/;

/** The README's test command, from its "Two commands" block. */
function readmeTestCommand(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const m = /^(npm test)\s+#/m.exec(readme);
  if (!m) throw new Error('README.md has no test command line');
  return m[1];
}

/** What a `run:` step executes, with `bash .ci/run` read through to the script. */
function runs(step: Step): string {
  if (!step.run) return '';
  return step.run.includes('.ci/run') ? `${step.run}\n${readFileSync(join(ROOT, '.ci', 'run'), 'utf8')}` : step.run;
}

function wranglerCommands(w: Workflow): string[] {
  return steps(w)
    .filter((s) => s.uses?.startsWith('cloudflare/wrangler-action@'))
    .map((s) => s.with?.command ?? 'deploy');
}

/** Problems of a deploy workflow: an empty list when it deploys as docs/deploy.md says. */
function deployProblems(w: Workflow): string[] {
  const out: string[] = [];
  const all = steps(w);
  const actions = all.filter((s) => s.uses?.startsWith('cloudflare/wrangler-action@'));
  if (actions.length === 0) out.push('no cloudflare/wrangler-action step');
  for (const s of actions) {
    if (!/@v3(\.|$)/.test(s.uses!)) out.push(`${s.uses}: not wrangler-action v3`);
    for (const key of ['apiToken', 'accountId']) if (!SECRET.test(s.with?.[key] ?? '')) out.push(`${s.name}: ${key} is not a secrets.* expression`);
  }
  // No literal credential anywhere: every value of a key naming one is a secrets expression.
  for (const s of all)
    for (const [k, v] of Object.entries(s.with ?? {}))
      if (/token|secret|key|password|account/i.test(k) && !SECRET.test(v ?? '')) out.push(`${s.name ?? s.uses}: with.${k} is a literal`);
  const commands = wranglerCommands(w);
  const migrate = commands.findIndex((c) => /^d1 migrations apply \S+ --remote\b/.test(c));
  const deploy = commands.findIndex((c) => /^deploy\b/.test(c));
  if (migrate < 0) out.push('no `d1 migrations apply <DB> --remote` step');
  if (deploy < 0) out.push('no `deploy` step');
  if (migrate >= 0 && deploy >= 0 && migrate > deploy) out.push('the deploy runs before the migrations');
  if (!all.some((s) => /\bnpm ci\b/.test(s.run ?? ''))) out.push('no `npm ci` before wrangler (the project pins wrangler)');
  return out;
}

describe('.github/workflows/ci.yml', () => {
  const ci = load(read('ci.yml'));

  it('runs on pushes and pull requests', () => {
    expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
  });

  it("runs the README's test command (through .ci/run, which installs chromium)", () => {
    const test = readmeTestCommand();
    const commands = steps(ci).map(runs).join('\n');
    expect(commands).toMatch(new RegExp(`(^|\\n|&& )${test}\\b`));
    expect(commands).toMatch(/apt-get install[^\n]*chromium/);
    expect(steps(ci).map((s) => s.uses)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^actions\/checkout@/), expect.stringMatching(/^actions\/setup-node@/)]),
    );
  });
});

describe('.github/workflows/deploy.yml', () => {
  const text = read('deploy.yml');
  const deploy = load(text);

  it('runs by hand, on tags, and after CI on main', () => {
    expect(Object.keys(deploy.on)).toEqual(expect.arrayContaining(['workflow_dispatch', 'push', 'workflow_run']));
    expect(Object.values(deploy.jobs)[0].if).toContain("workflow_run.conclusion == 'success'");
  });

  it('uses wrangler-action, migrations before deploy, credentials from secrets only', () => {
    expect(deployProblems(deploy)).toEqual([]);
  });

  it('names only secrets docs/deploy.md tells to create', () => {
    const docs = readFileSync(join(ROOT, 'docs', 'deploy.md'), 'utf8');
    const names = [...text.matchAll(/secrets\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(0);
    for (const n of new Set(names)) expect(docs, n).toContain(`\`${n}\``);
  });

  it('runs wrangler commands that exist and name what wrangler.toml defines', () => {
    const p = project(ROUTES);
    const w = wrangler();
    for (const command of wranglerCommands(deploy)) {
      const argv = ['wrangler', ...command.replace(/"[^"]*"/g, 'x').split(/\s+/)];
      expect(problems({ file: 'deploy.yml', line: 0, argv }, p, w), command).toEqual([]);
    }
  }, 60_000); // loading wrangler's command tree takes seconds on a busy machine

  it('fails a planted bad workflow: deploy first, a literal token, no wrangler-action', () => {
    const bad = (edit: (w: Workflow) => void) => {
      const w = load(text);
      edit(w);
      return deployProblems(w);
    };
    const job = (w: Workflow) => Object.values(w.jobs)[0];
    expect(
      bad((w) => {
        const s = job(w).steps;
        const i = s.findIndex((x) => x.with?.command?.startsWith('d1 migrations'));
        s.push(s.splice(i, 1)[0]);
      }),
    ).toContain('the deploy runs before the migrations');
    expect(
      bad((w) => {
        job(w).steps.find((x) => x.uses?.startsWith('cloudflare/'))!.with!.apiToken = 'abc123';
      }).join('\n'),
    ).toMatch(/apiToken is not a secrets\.\* expression/);
    expect(
      bad((w) => {
        job(w).steps = job(w).steps.filter((x) => !x.uses?.startsWith('cloudflare/'));
      }),
    ).toContain('no cloudflare/wrangler-action step');
  });
});
