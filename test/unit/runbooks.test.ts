/**
 * Every command of the runbooks (docs/runbooks/) and of the operating docs exists as written:
 * `npm run X` names a script, `wrangler ...` is a command of the installed wrangler with flags it
 * has, acting only on the database, bucket, namespace, secret and Worker that wrangler.toml and
 * the code define, `lsr ...` parses with the CLI's own parser, and `curl .../path` reaches a route
 * of the route table (ROUTES) with its method. A planted bad command of each kind fails.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Command, commandsIn, normalize, problems, project, ROOT, wrangler } from './doc-commands';

const RUNBOOKS = readdirSync(join(ROOT, 'docs', 'runbooks'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => `docs/runbooks/${f}`);
const FILES = [...RUNBOOKS, 'docs/operations.md', 'docs/deploy.md', 'docs/security.md', 'docs/cli.md', 'README.md'];
/**
 * The route table, imported at run time: a literal import would pull the Worker's sources (typed
 * for Workers, not Node) into the type-check of tsconfig.node.json, which this file belongs to.
 */
const APP = '../../src/app';
const { ROUTES } = (await import(/* @vite-ignore */ APP)) as { ROUTES: { method: string; fullPath: string }[] };
const P = project(ROUTES);
const commands = FILES.flatMap((f) => commandsIn(f));

/** Commands no project should document: one of each kind, each must be refused. */
const PLANTED = `
\`\`\`sh
npm run deploy:prod
npx wrangler d1 time-travel restore REGISTRY_DB --timestamp 2026-12-01T00:00:00Z
npx wrangler rollbak
npx wrangler rollback --reason "bad deploy"
npx wrangler r2 object delete other-bucket/snapshots/x/manifest.json
npx wrangler secret put REGISTRY_ADMIN_PASSWORD
npx wrangler kv key list --binding SCHEMAS
lsr purge orders-value
lsr register orders-value orders.avsc --force
curl -s -XPOST "$REGISTRY/v1/admin/generations" -u "$ADMIN"
curl -s -XDELETE "$REGISTRY/v1/admin/generation" -u "$ADMIN"
kubectl rollout restart deploy/registry
\`\`\`
`;
const plantedCommands = commandsIn('planted.md', PLANTED);

const GOOD = `
\`\`\`sh
export REGISTRY=https://registry.example.com ADMIN="$REGISTRY_ADMIN_KEY:$REGISTRY_ADMIN_SECRET"
npm run deploy && npx wrangler rollback --message "bad deploy"     # a comment
npx wrangler d1 time-travel info DB --timestamp <ISO time>
KEY=$(curl -s -XPOST "$REGISTRY/v1/admin/keys" -u "$ADMIN" -H 'content-type: application/json' \\
  -d '{"name":"ci","grants":["writer@.orders"]}' | jq -r .key)
until curl -sf -XPOST "$REGISTRY/v1/admin/snapshots/<name>/restore" -u "$ADMIN" | jq -e '.state == "done"'; do sleep 1; done
curl -s "$REGISTRY/contexts/.orders/subjects/payments-value/versions" -u "$ADMIN" 2>&1 > out.json
lsr migrate --from "$OLD" --to "$REGISTRY" --to-key "$ADMIN"
lsr check orders-value orders.avsc --version 2 --json
\`\`\`
`;
const goodCommands = commandsIn('good.md', GOOD);

const W = wrangler();
const check = (c: Command) => problems(c, P, W);

describe('runbooks', () => {
  it('exist, each with commands, and the index links every one', () => {
    const index = readFileSync(join(ROOT, 'docs', 'runbooks', 'README.md'), 'utf8');
    expect(RUNBOOKS.length).toBeGreaterThan(5);
    for (const file of RUNBOOKS.filter((f) => !f.endsWith('README.md'))) {
      expect(index, file).toContain(`(${file.split('/').pop()})`);
      expect(commandsIn(file).length, `${file} has no shell block`).toBeGreaterThan(0);
    }
  });

  it('link only to files that exist', () => {
    for (const file of RUNBOOKS) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        if (/^https?:/.test(target)) continue;
        expect(() => readFileSync(join(ROOT, 'docs', 'runbooks', target)), `${file} links to ${target}`).not.toThrow();
      }
    }
  });

  it('use every kind of command (the check is not vacuous)', () => {
    const kinds = new Set(commands.filter((c) => c.file.startsWith('docs/runbooks/')).map((c) => normalize(c.argv)[0]));
    for (const k of ['npm', 'wrangler', 'lsr', 'curl']) expect(kinds, k).toContain(k);
  });
});

describe('every documented command exists', () => {
  it.each(commands.map((c) => [`${c.file}:${c.line}`, c.argv.join(' '), c]))('%s: %s', (_where, _text, c) => {
    expect(check(c)).toEqual([]);
  });
});

describe('the check', () => {
  it('refuses a planted bad command of each kind', () => {
    expect(plantedCommands).toHaveLength(12);
    for (const c of plantedCommands) expect(check(c), c.argv.join(' ')).not.toEqual([]);
  });

  it('accepts what the runbooks write: loops, substitutions, placeholders, contexts, redirections', () => {
    expect(goodCommands.map((c) => normalize(c.argv)[0])).toEqual([
      'export',
      'npm',
      'wrangler',
      'wrangler',
      'curl',
      'jq',
      undefined, // KEY=$(...): an assignment, its commands listed before it
      'curl',
      'jq',
      'sleep',
      'done',
      'curl',
      'lsr',
      'lsr',
    ]);
    for (const c of goodCommands) expect(check(c), c.argv.join(' ')).toEqual([]);
  });
});
