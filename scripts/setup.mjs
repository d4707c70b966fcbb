#!/usr/bin/env node
// `npm run setup [-- --dry-run]`: first-time set-up of a Cloudflare account for this Worker
// (docs/deploy.md). With a logged-in wrangler (`wrangler login`, or CLOUDFLARE_API_TOKEN and
// CLOUDFLARE_ACCOUNT_ID), it finds or creates every resource ./wrangler.toml declares: the D1
// databases, KV namespaces, R2 buckets and queues (producers, consumers and dead-letter queues);
// writes the D1 and KV ids into wrangler.toml (only the id values change: comments, order and
// formatting are kept); applies the D1 migrations remotely; and prints how to set the secrets.
// Run it again at any time: what exists is found (by the id in wrangler.toml, else by name) and
// never created twice. --dry-run asks wrangler only read-only questions (who am I, what exists)
// and prints what it would create, the wrangler.toml lines it would change and the commands
// it would run.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const unknown = args.filter((a) => a !== '--dry-run');
if (unknown.length) {
  console.error(`setup: unknown argument ${unknown.join(' ')}\nUsage: npm run setup [-- --dry-run]   (in the directory of wrangler.toml)`);
  process.exit(2);
}

const dir = process.cwd();
const configPath = join(dir, 'wrangler.toml');
if (!existsSync(configPath)) fail(`no wrangler.toml in ${dir}: run \`npm run setup\` from the project's root.`);

function fail(message) {
  console.error(`\nsetup failed: ${message}`);
  process.exit(1);
}

// Stripped of colours, in case wrangler's output is a terminal's.
const plain = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');

/** Runs wrangler (the project's, from node_modules/.bin under npm run) and returns its stdout; exits on failure. */
function wrangler(argv, { mutating = false, show = false } = {}) {
  const shown = `wrangler ${argv.join(' ')}`;
  if (mutating && dryRun) {
    console.log(`  [dry run] would run: ${shown}`);
    return null;
  }
  if (mutating || show) console.log(`  $ ${shown}`);
  const r = spawnSync('wrangler', argv, {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  if (r.error) fail(`could not run wrangler (${r.error.message}). Run this through \`npm run setup\`, which finds the project's wrangler.`);
  if (show && r.stdout) process.stdout.write(r.stdout.replace(/^/gm, '    '));
  if (r.status !== 0) fail(`\`${shown}\` exited with ${r.status}:\n${plain(`${r.stderr}\n${r.stdout}`).trim()}`);
  return plain(r.stdout);
}

function json(text, what) {
  // Banners or warnings may precede the JSON document: parse from its first bracket.
  const start = text.search(/^[[{]/m);
  try {
    return JSON.parse(start < 0 ? text : text.slice(start));
  } catch {
    return fail(`could not read the output of \`${what}\` as JSON:\n${text}`);
  }
}

// ---------------------------------------------------------------------------------------------
// wrangler.toml, read and edited as text: a TOML library would rewrite the file and lose comments.

let lines = readFileSync(configPath, 'utf8').split('\n');
const original = lines.slice();

/** Blocks of an array of tables (`[[header]]`): their line range and `key = "string"` entries. */
function blocks(header) {
  const found = [];
  let current = null;
  lines.forEach((line, i) => {
    const table = /^\s*\[\[?\s*([^\]\s]+)\s*\]\]?/.exec(line);
    if (table) {
      current = table[1] === header && /^\s*\[\[/.test(line) ? { start: i, end: i + 1, keys: new Map() } : null;
      if (current) found.push(current);
      return;
    }
    if (!current) return;
    const entry = /^\s*([A-Za-z0-9_-]+)\s*=\s*"([^"]*)"/.exec(line);
    if (entry) current.keys.set(entry[1], { line: i, value: entry[2] });
    if (line.trim() && !line.trim().startsWith('#')) current.end = i + 1;
  });
  return found;
}

/** Sets `key = "value"` in a block: replaces only the quoted value, or adds the line after `after`. */
function setKey(block, key, value, after) {
  const entry = block.keys.get(key);
  if (entry) {
    lines[entry.line] = lines[entry.line].replace(/=(\s*)"[^"]*"/, `=$1"${value}"`);
    return;
  }
  const at = (block.keys.get(after)?.line ?? block.end - 1) + 1;
  lines.splice(at, 0, `${key} = "${value}"`);
}

const topLevel = (key) => {
  for (const line of lines) {
    if (/^\s*\[/.test(line)) return undefined;
    const m = new RegExp(`^\\s*${key}\\s*=\\s*"([^"]*)"`).exec(line);
    if (m) return m[1];
  }
  return undefined;
};

const workerName = topLevel('name');
const varsBlock = (() => {
  const start = lines.findIndex((l) => /^\s*\[vars\]/.test(l));
  if (start < 0) return new Set();
  const names = new Set();
  for (const line of lines.slice(start + 1)) {
    if (/^\s*\[/.test(line)) break;
    const m = /^\s*([A-Za-z0-9_]+)\s*=/.exec(line);
    if (m) names.add(m[1]);
  }
  return names;
})();

/** A value of the [vars] block, or undefined. */
const varValue = (name) => {
  const start = lines.findIndex((l) => /^\s*\[vars\]/.test(l));
  if (start < 0) return undefined;
  for (const line of lines.slice(start + 1)) {
    if (/^\s*\[/.test(line)) break;
    const m = new RegExp(`^\\s*${name}\\s*=\\s*"([^"]*)"`).exec(line);
    if (m) return m[1];
  }
  return undefined;
};

// The writers' location hint (docs/performance.md, "On Cloudflare's network"): the D1 database is
// created in the same region, when D1 takes that hint (it takes fewer regions than Durable Objects).
const D1_LOCATIONS = ['wnam', 'enam', 'weur', 'eeur', 'apac', 'oc'];
const location = varValue('WRITER_LOCATION_HINT');
const d1Location = location && D1_LOCATIONS.includes(location) ? ['--location', location] : [];

// ---------------------------------------------------------------------------------------------

console.log(`Setting up ${workerName ?? 'the Worker'} from ${configPath}${dryRun ? ' (dry run: nothing is created or written)' : ''}\n`);

console.log('Cloudflare account:');
const who = spawnSync('wrangler', ['whoami', '--json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } });
if (who.error) fail(`could not run wrangler (${who.error.message}). Run this through \`npm run setup\`, which finds the project's wrangler.`);
let user = null;
try {
  user = JSON.parse(plain(who.stdout).slice(Math.max(0, plain(who.stdout).indexOf('{'))));
} catch {
  user = null;
}
if (who.status !== 0 || !user?.loggedIn) {
  fail(
    'wrangler is not logged in to Cloudflare.\n' +
      '  Run `npx wrangler login` (a browser opens), or set CLOUDFLARE_API_TOKEN (an API token with the\n' +
      '  Workers, D1, KV, R2 and Queues edit permissions) and CLOUDFLARE_ACCOUNT_ID, then run `npm run setup` again.',
  );
}
const accounts = Array.isArray(user.accounts) ? user.accounts : [];
if (accounts.length > 1 && !process.env.CLOUDFLARE_ACCOUNT_ID && !topLevel('account_id')) {
  fail(
    `this login reaches ${accounts.length} accounts; say which one with CLOUDFLARE_ACCOUNT_ID=<id> npm run setup:\n` +
      accounts.map((a) => `  ${a.id}  ${a.name}`).join('\n'),
  );
}
console.log(
  `  logged in${user.email ? ` as ${user.email}` : ''}${accounts.length === 1 ? `, account ${accounts[0].name} (${accounts[0].id})` : ''}\n`,
);

const created = [];

// D1: the database of each [[d1_databases]] block, found by its database_id, else by its name.
const d1Blocks = blocks('d1_databases');
if (d1Blocks.length) {
  console.log('D1 databases:');
  const databases = json(wrangler(['d1', 'list', '--json']), 'wrangler d1 list --json');
  // Blocks are re-read each turn: adding a missing id line moves the lines below it.
  for (let i = 0; i < d1Blocks.length; i++) {
    const block = blocks('d1_databases')[i];
    const name = block.keys.get('database_name')?.value;
    if (!name) fail(`a [[d1_databases]] block (line ${block.start + 1}) has no database_name`);
    const id = block.keys.get('database_id')?.value;
    let db = databases.find((d) => d.uuid === id) ?? databases.find((d) => d.name === name);
    if (db) console.log(`  ${name}: exists (${db.uuid})`);
    else {
      const out = wrangler(['d1', 'create', name, ...d1Location], { mutating: true });
      created.push(`D1 database ${name}`);
      if (out !== null) {
        const uuid = /database_id"?\s*[=:]\s*"([0-9a-f-]{36})"/.exec(out)?.[1];
        db = uuid ? { uuid, name } : json(wrangler(['d1', 'list', '--json']), 'wrangler d1 list --json').find((d) => d.name === name);
        if (!db) fail(`created D1 database ${name}, but could not find its id:\n${out}`);
        console.log(`  ${name}: created (${db.uuid})`);
      } else db = { uuid: `<id of the new database ${name}>` };
    }
    if (db.uuid !== id) setKey(block, 'database_id', db.uuid, 'database_name');
  }
  console.log('');
}

// KV: each [[kv_namespaces]] block, found by its id, else by the title wrangler gives it (the binding).
const kvBlocks = blocks('kv_namespaces');
if (kvBlocks.length) {
  console.log('KV namespaces:');
  const namespaces = json(wrangler(['kv', 'namespace', 'list']), 'wrangler kv namespace list');
  for (let i = 0; i < kvBlocks.length; i++) {
    const block = blocks('kv_namespaces')[i];
    const binding = block.keys.get('binding')?.value;
    if (!binding) fail(`a [[kv_namespaces]] block (line ${block.start + 1}) has no binding`);
    const id = block.keys.get('id')?.value;
    let ns = namespaces.find((n) => n.id === id) ?? namespaces.find((n) => n.title === binding);
    if (ns) console.log(`  ${binding}: exists (${ns.id}, "${ns.title}")`);
    else {
      const out = wrangler(['kv', 'namespace', 'create', binding], { mutating: true });
      created.push(`KV namespace ${binding}`);
      if (out !== null) {
        const newId = /\bid"?\s*[=:]\s*"([0-9a-f]{32})"/.exec(out)?.[1];
        ns = newId
          ? { id: newId, title: binding }
          : json(wrangler(['kv', 'namespace', 'list']), 'wrangler kv namespace list').find((n) => n.title === binding);
        if (!ns) fail(`created KV namespace ${binding}, but could not find its id:\n${out}`);
        console.log(`  ${binding}: created (${ns.id})`);
      } else ns = { id: `<id of the new namespace ${binding}>` };
    }
    if (ns.id !== id) setKey(block, 'id', ns.id, 'binding');
  }
  console.log('');
}

// R2: every bucket_name (and preview_bucket_name) of the [[r2_buckets]] blocks.
const buckets = [
  ...new Set(blocks('r2_buckets').flatMap((b) => ['bucket_name', 'preview_bucket_name'].map((k) => b.keys.get(k)?.value).filter(Boolean))),
];
if (buckets.length) {
  console.log('R2 buckets:');
  const listed = new Set([...wrangler(['r2', 'bucket', 'list']).matchAll(/^\s*name:\s*(\S+)/gm)].map((m) => m[1]));
  for (const bucket of buckets) {
    if (listed.has(bucket)) console.log(`  ${bucket}: exists`);
    else {
      if (wrangler(['r2', 'bucket', 'create', bucket], { mutating: true }) !== null) console.log(`  ${bucket}: created`);
      created.push(`R2 bucket ${bucket}`);
    }
  }
  console.log('');
}

// Queues: every queue a producer sends to or a consumer reads, and every dead-letter queue.
const queues = [
  ...new Set(
    [...blocks('queues.producers'), ...blocks('queues.consumers')].flatMap((b) =>
      ['queue', 'dead_letter_queue'].map((k) => b.keys.get(k)?.value).filter(Boolean),
    ),
  ),
];
if (queues.length) {
  console.log('Queues:');
  // `wrangler queues list` prints a table: the cells of its "name" column.
  const rows = wrangler(['queues', 'list'])
    .split('\n')
    .filter((l) => l.includes('│'))
    .map((l) => l.split('│').map((c) => c.trim()));
  const column = rows[0]?.indexOf('name') ?? -1;
  const listed = new Set(column < 0 ? [] : rows.slice(1).map((r) => r[column]));
  for (const queue of queues) {
    if (listed.has(queue)) console.log(`  ${queue}: exists`);
    else {
      if (wrangler(['queues', 'create', queue], { mutating: true }) !== null) console.log(`  ${queue}: created`);
      created.push(`queue ${queue}`);
    }
  }
  console.log('');
}

// The ids, into wrangler.toml.
const changed = lines.map((l, i) => [l, original[i]]).some(([a, b]) => a !== b) || lines.length !== original.length;
if (changed) {
  console.log(dryRun ? 'wrangler.toml: would write' : 'wrangler.toml: wrote');
  const before = new Set(original);
  for (const line of lines) if (!before.has(line)) console.log(`  + ${line.trim()}`);
  if (!dryRun) writeFileSync(configPath, lines.join('\n'));
} else console.log('wrangler.toml: the ids in it are current');
console.log('');

// Migrations: every D1 database, by binding (forward-only; applying them again is a no-op).
if (d1Blocks.length) {
  console.log('D1 migrations (remote):');
  for (const block of blocks('d1_databases')) {
    const binding = block.keys.get('binding')?.value ?? block.keys.get('database_name')?.value;
    wrangler(['d1', 'migrations', 'apply', binding, '--remote'], { mutating: true, show: true });
  }
  console.log('');
}

// Secrets: the names .dev.vars.example documents that are not [vars] (those are configuration).
const example = join(dir, '.dev.vars.example');
const secrets = existsSync(example)
  ? [...new Set([...readFileSync(example, 'utf8').matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]).filter((n) => !varsBlock.has(n)))]
  : ['REGISTRY_ADMIN_KEY', 'REGISTRY_ADMIN_SECRET'];
console.log(created.length ? `${dryRun ? 'Would create' : 'Created'}: ${created.join(', ')}.` : 'Nothing to create: every resource exists.');
console.log(`
Secrets (never in wrangler.toml [vars]; set each once, from a terminal, and wrangler prompts for the value):
${secrets.map((s) => `  npx wrangler secret put ${s}`).join('\n')}
The bootstrap admin is REGISTRY_ADMIN_KEY + REGISTRY_ADMIN_SECRET (use a long random secret, e.g.
\`openssl rand -base64 32\`); AUTH_TOKENS is optional. Or configure OIDC in [vars] (docs/oidc.md).
Without any credential the deployed registry answers 503 to all but GET / and GET /v1/health.

Then deploy: npm run deploy   (docs/deploy.md)`);
