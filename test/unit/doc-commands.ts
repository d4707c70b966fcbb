/**
 * The commands the documentation tells an operator to run, read from the fenced shell blocks of a
 * Markdown file, and the check that each one exists in this project: `npm run X` names a script,
 * `wrangler ...` is a command and flags of the installed wrangler naming only what wrangler.toml
 * defines, `lsr ...` is accepted by the CLI's own parser, `curl .../path` hits a route of the
 * route table with its method. Used by test/unit/runbooks.test.ts (docs) and
 * test/unit/workflows.test.ts (the deploy workflow's wrangler commands).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { parseCommand } from '../../packages/client/src/cli/args';

export const ROOT = join(import.meta.dirname, '..', '..');

export interface Command {
  file: string;
  /** 1-based line of the command in the file. */
  line: number;
  /** The words, quotes removed, `$(...)` kept as one word (its commands are listed separately). */
  argv: string[];
}

/** Fenced blocks tagged sh, bash or shell: their text and the line each starts on. */
function shellBlocks(markdown: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let open: { fence: string; shell: boolean; line: number; body: string[] } | undefined;
  markdown.split('\n').forEach((l, i) => {
    const m = /^\s*(`{3,}|~{3,})\s*([\w-]*)/.exec(l);
    if (!open) {
      if (m) open = { fence: m[1], shell: ['sh', 'bash', 'shell', 'zsh'].includes(m[2].toLowerCase()), line: i + 2, body: [] };
    } else if (m && m[1].startsWith(open.fence) && m[2] === '') {
      if (open.shell) out.push({ line: open.line, text: open.body.join('\n') });
      open = undefined;
    } else open.body.push(l);
  });
  return out;
}

type Token = { word: string } | { op: string };

/**
 * Split shell text into commands: quotes, backslash-newline, comments, `&&`, `||`, `|`, `;`,
 * redirections and `$(...)` (whose inside is parsed as commands too). `<placeholder words>` are
 * one word, not a redirection: the docs write `--timestamp <ISO time>`.
 */
function commandsOf(text: string, file: string, firstLine: number): Command[] {
  const out: Command[] = [];
  let i = 0;
  let line = firstLine;
  let tokens: Token[] = [];
  let startLine = line;
  const flushWords = () => {
    const words: string[] = [];
    let skip = false;
    for (const t of tokens) {
      if ('op' in t) {
        skip = !/&\d$/.test(t.op);
        continue;
      }
      if (skip) {
        skip = false;
        continue;
      }
      words.push(t.word);
    }
    if (words.length) out.push({ file, line: startLine, argv: words });
    tokens = [];
    startLine = line;
  };
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\' && text[i + 1] === '\n') {
      i += 2;
      line++;
      continue;
    }
    if (ch === '\n') {
      flushWords();
      line++;
      startLine = line;
      i++;
      continue;
    }
    if (ch === ' ' || ch === '\t') {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '&&' || two === '||') {
      flushWords();
      i += 2;
      continue;
    }
    if (ch === '|' || ch === ';' || ch === '&') {
      flushWords();
      i++;
      continue;
    }
    const redirect = /^(\d?>>?(&\d)?|<(?![A-Za-z][^<>\n]*>))/.exec(text.slice(i));
    if (redirect) {
      tokens.push({ op: redirect[0] });
      i += redirect[0].length;
      continue;
    }
    // A word: quotes, escapes, $(...) and <placeholder words>.
    let word = '';
    while (i < text.length && !/[\s;&|]/.test(text[i])) {
      const c = text[i];
      if (c === "'") {
        const end = text.indexOf("'", i + 1);
        word += text.slice(i + 1, end);
        i = end + 1;
      } else if (c === '"') {
        let j = i + 1;
        while (text[j] !== '"') {
          if (text[j] === '\\') j++;
          else if (text.startsWith('$(', j)) {
            const end = matching(text, j + 1);
            out.push(...commandsOf(text.slice(j + 2, end), file, line));
            j = end;
          }
          j++;
        }
        word += text.slice(i + 1, j).replace(/\\(.)/g, '$1');
        i = j + 1;
      } else if (c === '\\') {
        word += text[i + 1];
        i += 2;
      } else if (text.startsWith('$(', i)) {
        const end = matching(text, i + 1);
        out.push(...commandsOf(text.slice(i + 2, end), file, line));
        word += text.slice(i, end + 1);
        i = end + 1;
      } else if (c === '<') {
        const end = text.indexOf('>', i);
        word += text.slice(i, end + 1);
        i = end + 1;
      } else if (c === '>') {
        break;
      } else {
        word += c;
        i++;
      }
    }
    tokens.push({ word });
  }
  flushWords();
  return out;
}

/** The index of the `)` closing the `(` at `open`. */
function matching(text: string, open: number): number {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    if (text[j] === '(') depth++;
    else if (text[j] === ')' && --depth === 0) return j;
  }
  throw new Error(`unbalanced $( in: ${text.slice(open, open + 80)}`);
}

/** Every command of every shell block of a Markdown file (path relative to the repository). */
export function commandsIn(file: string, markdown = readFileSync(join(ROOT, file), 'utf8')): Command[] {
  return shellBlocks(markdown).flatMap((b) => commandsOf(b.text, file, b.line));
}

// ---------------------------------------------------------------------------------------------
// What exists in this project.

export interface Project {
  scripts: Record<string, Record<string, string>>;
  /** `METHOD /path/{param}` of every route. */
  routes: { method: string; path: string }[];
  worker: string;
  d1: Set<string>;
  buckets: Set<string>;
  kv: Set<string>;
  /** Secrets the Worker reads (src/http/env.ts `Secrets`). */
  secrets: Set<string>;
}

export function project(routes: { method: string; fullPath: string }[]): Project {
  const toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8');
  const values = (key: string) => [...toml.matchAll(new RegExp(`^${key}\\s*=\\s*"([^"]+)"`, 'gm'))].map((m) => m[1]);
  const section = (name: string) => [...toml.matchAll(new RegExp(`^\\[\\[${name}\\]\\]\\n((?:[^\\[].*\\n?)*)`, 'gm'))].map((m) => m[1]);
  const inSection = (name: string, key: string) =>
    section(name).flatMap((s) => [...s.matchAll(new RegExp(`^${key}\\s*=\\s*"([^"]+)"`, 'gm'))].map((m) => m[1]));
  const pkg = (p: string) => JSON.parse(readFileSync(join(ROOT, p), 'utf8')) as { name: string; scripts?: Record<string, string> };
  const root = pkg('package.json');
  const client = pkg('packages/client/package.json');
  const env = readFileSync(join(ROOT, 'src/http/env.ts'), 'utf8');
  const secretsBlock = /interface Secrets \{([\s\S]*?)\n\}/.exec(env)?.[1] ?? '';
  return {
    scripts: { '': root.scripts ?? {}, [client.name]: client.scripts ?? {}, 'packages/client': client.scripts ?? {} },
    routes: routes.map((r) => ({ method: r.method, path: r.fullPath })),
    worker: values('name')[0],
    d1: new Set([...inSection('d1_databases', 'binding'), ...inSection('d1_databases', 'database_name')]),
    buckets: new Set(inSection('r2_buckets', 'bucket_name')),
    kv: new Set(inSection('kv_namespaces', 'binding')),
    secrets: new Set([...secretsBlock.matchAll(/^\s*([A-Z][A-Z0-9_]*)\??:/gm)].map((m) => m[1])),
  };
}

// ---------------------------------------------------------------------------------------------
// wrangler: the command tree of the installed version (its own registry, as `wrangler complete` reads it).

interface ArgDef {
  type?: string;
  alias?: string | string[];
  demandOption?: boolean;
}
interface CommandNode {
  definition?: { type: string; args?: Record<string, ArgDef>; positionalArgs?: string[]; aliasOf?: string };
  subtree: Map<string, CommandNode>;
}

/** What a wrangler command takes: its words, positionals, and every flag (long and short) with whether it takes a value. */
interface WranglerCommand {
  path: string[];
  positionals: { name: string; required: boolean }[];
  flags: Map<string, boolean>;
}

export interface Wrangler {
  /** The command the leading words name, or why they name none. */
  find: (words: string[]) => WranglerCommand | string;
}

export function wrangler(): Wrangler {
  const require = createRequire(import.meta.url);
  const api = require('wrangler') as { experimental_getWranglerCommands: () => { registry: CommandNode; globalFlags: Record<string, ArgDef> } };
  const { registry, globalFlags } = api.experimental_getWranglerCommands();
  const flagsOf = (args: Record<string, ArgDef>, into: Map<string, boolean>) => {
    for (const [name, def] of Object.entries(args)) {
      const value = def.type !== 'boolean';
      const aliases = def.alias === undefined ? [] : Array.isArray(def.alias) ? def.alias : [def.alias];
      for (const n of [name, ...aliases]) into.set(n.length === 1 ? `-${n}` : `--${n}`, value);
      if (!value) into.set(`--no-${name}`, false);
    }
  };
  const globals = new Map<string, boolean>([
    ['--help', false],
    ['-h', false],
  ]);
  flagsOf(globalFlags, globals);
  const resolve = (words: string[]): { node: CommandNode; path: string[] } => {
    let node = registry;
    const path: string[] = [];
    for (const w of words) {
      const next = node.subtree.get(w);
      if (!next) break;
      node = next;
      path.push(w);
      if (node.definition?.type === 'alias' && node.definition.aliasOf) {
        const target = resolve(node.definition.aliasOf.split(' ').slice(1));
        node = target.node;
      }
    }
    return { node, path };
  };
  return {
    find(words) {
      const { node, path } = resolve(words);
      const def = node.definition;
      if (!def || def.type !== 'command')
        return `wrangler ${words.join(' ')}: not a wrangler command (${path.length ? `wrangler ${path.join(' ')} is a group` : 'unknown'})`;
      const args = def.args ?? {};
      const flags = new Map(globals);
      flagsOf(args, flags);
      const positionals = (def.positionalArgs ?? []).map((name) => ({
        name,
        required: Object.hasOwn(args, name) && args[name].demandOption === true,
      }));
      return { path, positionals, flags };
    },
  };
}

/** The leading words of a wrangler command (before its first flag). */
function wranglerWords(argv: string[]): string[] {
  const words: string[] = [];
  for (const w of argv) {
    if (w.startsWith('-')) break;
    words.push(w);
  }
  return words;
}

// ---------------------------------------------------------------------------------------------
// The check: an empty list when the command exists as written.

/** Tools a runbook may use besides npm, npx, wrangler, lsr and curl. */
const TOOLS = new Set([
  'export',
  'echo',
  'printf',
  'jq',
  'openssl',
  'sleep',
  'date',
  'grep',
  'git',
  'cat',
  'head',
  'tail',
  'wc',
  'sort',
  'test',
  'true',
  'exit',
  'uniq',
  ':',
  '[',
  'break',
  'tee',
]);
/** Packages the docs run with npx that are not this project's (README: lint the OpenAPI document). */
const NPX_OTHERS = new Set(['@redocly/cli']);
/** Shell keywords that start a segment of a loop or condition: the command follows them. */
const KEYWORDS = new Set(['until', 'while', 'do', 'then', 'if', 'elif', 'else', '!', 'time']);
const ENDS = new Set(['done', 'fi']);

/** The command proper: loop keywords, `VAR=value` prefixes, `sudo` and `npx` taken away; `node .../lsr.mjs` is `lsr`. */
export function normalize(argv: string[]): string[] {
  let a = [...argv];
  while (a.length && KEYWORDS.has(a[0])) a = a.slice(1);
  while (a.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(a[0])) a = a.slice(1);
  if (a[0] === 'sudo') a = a.slice(1);
  if (a[0] === 'npx' && ['wrangler', 'lsr'].includes(a[1])) a = a.slice(1);
  if (a[0] === 'node' && a[1] === 'packages/client/bin/lsr.mjs') a = ['lsr', ...a.slice(2)];
  return a;
}

export function problems(cmd: Command, p: Project, w: Wrangler): string[] {
  const argv = normalize(cmd.argv);
  if (argv.length === 0 || ENDS.has(argv[0]) || argv[0] === 'for') return [];
  if (argv[0] === 'npx') return NPX_OTHERS.has(argv[1]) ? [] : [`npx ${argv[1]}: not a tool of this project (wrangler or lsr)`];
  switch (argv[0]) {
    case 'npm':
      return npmProblems(argv.slice(1), p);
    case 'wrangler':
      return wranglerProblems(argv.slice(1), p, w);
    case 'lsr':
      return lsrProblems(argv.slice(1));
    case 'curl':
      return curlProblems(argv.slice(1), p);
    case 'bash':
    case 'node':
      return existsSync(join(ROOT, argv[1] ?? '')) ? [] : [`${argv[0]} ${argv[1]}: no such file in the repository`];
    default:
      return TOOLS.has(argv[0]) ? [] : [`${argv[0]}: not a command this project documents (npm, npx wrangler, lsr, curl, ${[...TOOLS].join(', ')})`];
  }
}

function npmProblems(args: string[], p: Project): string[] {
  const [sub, ...rest] = args;
  if (['ci', 'install', 'i'].includes(sub)) return [];
  const ws = rest.findIndex((a) => a === '-w' || a === '--workspace');
  const scripts = p.scripts[ws >= 0 ? rest[ws + 1] : ''] ?? {};
  if (sub === 'test' || sub === 'start') return sub in scripts ? [] : [`npm ${sub}: package.json has no "${sub}" script`];
  if (sub === 'run' || sub === 'run-script') {
    const name = rest.find((a, i) => !a.startsWith('-') && !(ws >= 0 && i === ws + 1));
    if (!name) return ['npm run: which script?'];
    return Object.hasOwn(scripts, name) ? [] : [`npm run ${name}: package.json has no such script`];
  }
  return [`npm ${sub}: not a documented npm command`];
}

function wranglerProblems(args: string[], p: Project, w: Wrangler): string[] {
  const words = wranglerWords(args);
  const help = w.find(words);
  if (typeof help === 'string') return [help];
  const out: string[] = [];
  const name = `wrangler ${help.path.join(' ')}`;
  // Walk the rest: flags (with their values) and positionals.
  const positionals: string[] = [];
  const flagValues = new Map<string, string>();
  const rest = args.slice(help.path.length);
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--') break;
    if (!a.startsWith('-')) {
      positionals.push(a);
      continue;
    }
    const [flag, inline] = splitFlag(a);
    if (!help.flags.has(flag)) {
      out.push(`${name}: no flag ${flag}`);
      continue;
    }
    if (help.flags.get(flag) && inline === undefined) flagValues.set(flag, rest[++i] ?? '');
    else if (inline !== undefined) flagValues.set(flag, inline);
  }
  const required = help.positionals.filter((x) => x.required).length;
  if (positionals.length < required || positionals.length > help.positionals.length)
    out.push(
      `${name}: takes ${help.positionals.map((x) => (x.required ? `<${x.name}>` : `[${x.name}]`)).join(' ') || 'no arguments'}, got ${positionals.join(' ') || 'none'}`,
    );
  // Names: what the command acts on must be what wrangler.toml defines.
  const creates = help.path.at(-1) === 'create';
  help.positionals.forEach((pos, i) => {
    const v = positionals[i];
    if (i >= positionals.length || creates) return;
    if ((pos.name === 'database' || pos.name === 'name') && help.path[0] === 'd1' && !p.d1.has(v))
      out.push(`${name}: ${v} is not a D1 binding or database_name of wrangler.toml`);
    if (pos.name === 'objectPath' && !p.buckets.has(v.split('/')[0])) out.push(`${name}: ${v.split('/')[0]} is not a bucket_name of wrangler.toml`);
    if (pos.name === 'key' && help.path[0] === 'secret' && !p.secrets.has(v)) out.push(`${name}: the Worker reads no secret ${v} (src/http/env.ts)`);
    if (pos.name === 'worker' && v !== p.worker) out.push(`${name}: ${v} is not this Worker (${p.worker})`);
  });
  const binding = flagValues.get('--binding');
  if (binding !== undefined && help.path[0] === 'kv' && !p.kv.has(binding))
    out.push(`${name}: --binding ${binding} is not a KV binding of wrangler.toml`);
  if (binding !== undefined && help.path[0] === 'd1' && !p.d1.has(binding)) out.push(`${name}: --binding ${binding} is not a D1 binding`);
  const worker = flagValues.get('--name');
  if (
    worker !== undefined &&
    !creates &&
    ['secret', 'rollback', 'versions', 'deployments', 'deploy', 'tail'].includes(help.path[0]) &&
    worker !== p.worker
  )
    out.push(`${name}: --name ${worker} is not this Worker (${p.worker})`);
  return out;
}

/** A flag's value that is one shell variable holds what the flag needs at run time. */
const LSR_VARIABLE_VALUES: Record<string, string> = {
  '--key': 'lsr_0:secret',
  '--from-key': 'lsr_0:secret',
  '--to-key': 'lsr_0:secret',
  '--url': 'https://registry.invalid',
  '--from': 'https://registry.invalid',
  '--to': 'https://registry.invalid',
};

function lsrProblems(raw: string[]): string[] {
  const args = raw.map((a, i) => (/^\$\{?\w+\}?$/.test(a) && i > 0 && raw[i - 1] in LSR_VARIABLE_VALUES ? LSR_VARIABLE_VALUES[raw[i - 1]] : a));
  try {
    parseCommand(args, { LSR_URL: 'https://registry.invalid' });
    return [];
  } catch (e) {
    return [`lsr ${args.join(' ')}: ${(e as Error).message.split('\n')[0]}`];
  }
}

/** curl options that take a value, and what a data option implies for the method. */
const CURL_VALUE = new Set([
  '-X', '--request', '-H', '--header', '-d', '--data', '--data-raw', '--data-binary', '--data-urlencode', '--json', '-u', '--user', '-o',
  '--output', '-w', '--write-out', '-T', '--upload-file', '-m', '--max-time', '--retry', '--connect-timeout', '-A', '--user-agent', '-F',
  '--form', '-e', '--referer', '-b', '--cookie', '--url', '--retry-delay', '--retry-max-time', '--oauth2-bearer',
]); // prettier-ignore
const CURL_FLAGS = new Set([
  '-s', '-S', '-f', '-i', '-I', '-L', '-v', '-k', '-g', '--silent', '--show-error', '--fail', '--fail-with-body', '--include', '--head',
  '--location', '--verbose', '--compressed', '--globoff', '--retry-all-errors', '--no-progress-meter', '-N', '--no-buffer',
]); // prettier-ignore
const CURL_DATA = new Set(['-d', '--data', '--data-raw', '--data-binary', '--data-urlencode', '--json', '-F', '--form']);

function curlProblems(args: string[], p: Project): string[] {
  const seen: { method?: string; data: boolean; url?: string } = { data: false };
  const out: string[] = [];
  const take = (flag: string, value: string) => {
    if (flag === '-X' || flag === '--request') seen.method = value.toUpperCase();
    if (flag === '--url') seen.url = value;
    if (CURL_DATA.has(flag)) seen.data = true;
    if (flag === '-T' || flag === '--upload-file') seen.method ??= 'PUT';
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-') || a === '-') {
      seen.url ??= a;
      continue;
    }
    if (a.startsWith('--')) {
      const [flag, inline] = splitFlag(a);
      if (CURL_VALUE.has(flag)) take(flag, inline ?? args.at(++i) ?? '');
      else if (!CURL_FLAGS.has(flag)) out.push(`curl: unknown option ${flag}`);
      if (flag === '--head') seen.method ??= 'HEAD';
      continue;
    }
    // Short options, possibly combined (-sS, -fsS) or with an attached value (-XPOST).
    for (let j = 1; j < a.length; j++) {
      const f = `-${a[j]}`;
      if (CURL_VALUE.has(f)) {
        take(f, a.length > j + 1 ? a.slice(j + 1) : (args[++i] ?? ''));
        break;
      }
      if (!CURL_FLAGS.has(f)) out.push(`curl: unknown option ${f}`);
      if (f === '-I') seen.method ??= 'HEAD';
    }
  }
  if (!seen.url) return [...out, 'curl: no URL'];
  const method = seen.method ?? (seen.data ? 'POST' : 'GET');
  const path = /^(?:https?:\/\/)?[^/]*(\/[^?#]*)?/.exec(seen.url)?.[1] ?? '/';
  if (!routeExists(p, method === 'HEAD' ? 'GET' : method, path)) out.push(`curl: no route ${method} ${path}`);
  return out;
}

/** `--flag=value` as its flag and value; `--flag` with no value. */
function splitFlag(a: string): [string, string | undefined] {
  const eq = a.indexOf('=');
  return eq < 0 ? [a, undefined] : [a.slice(0, eq), a.slice(eq + 1)];
}

/** A path (with `$VAR` or `<placeholder>` segments) against the route table; `/contexts/{ctx}/...` is the same API inside a context. */
function routeExists(p: Project, method: string, path: string): boolean {
  const segments = (s: string) => s.split('/').filter(Boolean);
  const match = (candidate: string[]) =>
    p.routes.some((r) => {
      if (r.method !== method) return false;
      const want = segments(r.path);
      return want.length === candidate.length && want.every((w, i) => (/^\{.+\}$/.test(w) ? candidate[i] !== '' : w === candidate[i]));
    });
  const got = segments(path);
  if (match(got)) return true;
  return got[0] === 'contexts' && got.length > 2 && match(got.slice(2));
}
