/**
 * lsr's command line (pure, unit-tested): node:util parseArgs per command, the environment
 * (LSR_URL, LSR_KEY, LSR_SECRET, LSR_TOKEN), and usage errors (exit code 2).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Auth } from '../client.js';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Options every command takes. */
const GLOBAL: Options = {
  url: { type: 'string' },
  key: { type: 'string' },
  secret: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean', default: false },
  'no-progress': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};

const SCHEMA_OPTS: Options = {
  type: { type: 'string' },
  ref: { type: 'string', multiple: true },
  normalize: { type: 'boolean', default: false },
};

/** Each command: its positionals and its own options. */
const COMMANDS = {
  register: { positionals: ['subject', 'file'], options: SCHEMA_OPTS, summary: 'Register a schema file under a subject' },
  check: {
    positionals: ['subject', 'file'],
    options: { ...SCHEMA_OPTS, version: { type: 'string' } },
    summary: 'Is a schema file compatible with the subject? (exit 1 when not, with the reasons)',
  },
  diff: { positionals: ['subject', 'v1', 'v2'], options: {}, summary: 'What changed between two versions, and is v2 compatible with v1' },
  export: {
    positionals: ['subject'],
    options: {
      target: { type: 'string' },
      version: { type: 'string' },
      name: { type: 'string' },
      description: { type: 'string' },
      fix: { type: 'boolean', default: false },
    },
    summary: 'A subject as a provider tool or response-format definition',
  },
  validate: {
    positionals: ['subject', 'file'],
    options: { version: { type: 'string' }, message: { type: 'string' }, 'max-failures': { type: 'string' } },
    summary: 'Validate an NDJSON file against a subject (exit 1 when a line is invalid)',
  },
  migrate: {
    positionals: [],
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      'from-key': { type: 'string' },
      'to-key': { type: 'string' },
      state: { type: 'string' },
      concurrency: { type: 'string' },
      'skip-verify': { type: 'boolean', default: false },
    },
    summary: 'Copy every context, subject, version, id, reference, config and mode to another registry (IMPORT mode)',
  },
  snapshot: { positionals: [], options: { out: { type: 'string', short: 'o' } }, summary: 'Download a snapshot of the whole registry (admin)' },
  restore: { positionals: ['file'], options: {}, summary: 'Restore a snapshot into an empty registry (admin)' },
} satisfies Record<string, { positionals: string[]; options: Options; summary: string }>;

type CommandName = keyof typeof COMMANDS;

export interface Parsed {
  command: CommandName;
  args: Record<string, string>;
  values: Record<string, string | boolean | string[] | undefined>;
  json: boolean;
  progress: boolean;
  /** The registry to talk to (absent for migrate, which names two). */
  url?: string;
  auth?: Auth;
}

const isCommand = (c: string | undefined): c is CommandName => c !== undefined && Object.hasOwn(COMMANDS, c);

/** Credentials from flags, else the environment: a bearer token, else an API key (`key:secret`, or LSR_KEY + LSR_SECRET). */
export function authFrom(key: string | undefined, secret: string | undefined, token: string | undefined): Auth | undefined {
  if (token) return { bearer: token };
  if (!key) return undefined;
  if (secret !== undefined) return { apiKey: key, secret };
  if (!key.includes(':')) throw new UsageError('An API key needs its secret: LSR_KEY=key:secret, or LSR_SECRET (or --secret)');
  return { apiKey: key };
}

/** A URL, possibly with credentials in it (`https://key:secret@host`): the URL without them, and the auth. */
export function splitUrl(raw: string, what: string): { url: string; auth?: Auth } {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UsageError(`${what} is not a URL: ${raw}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`${what} must be an http(s) URL: ${raw}`);
  const auth = u.username ? { apiKey: `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}` } : undefined;
  u.username = '';
  u.password = '';
  return { url: u.toString().replace(/\/+$/, ''), ...(auth ? { auth } : {}) };
}

export function parseCommand(argv: string[], env: Record<string, string | undefined>): Parsed | { help: string } {
  const [name = 'help', ...rest] = argv;
  if (name === 'help' || name === '--help' || name === '-h') return { help: usage() };
  if (name === '--version') return { help: '0.1.0' };
  if (!isCommand(name)) throw new UsageError(`Unknown command '${name}'. ${usage()}`);
  const spec = COMMANDS[name];
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...GLOBAL, ...spec.options }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${e instanceof Error ? e.message : String(e)}\n${usage(name)}`);
  }
  const values = parsed.values as Parsed['values'];
  if (values.help) return { help: usage(name) };
  const expected = spec.positionals as readonly string[];
  if (parsed.positionals.length !== expected.length) {
    throw new UsageError(`lsr ${name} takes ${expected.length ? expected.map((p) => `<${p}>`).join(' ') : 'no arguments'}\n${usage(name)}`);
  }
  const args = Object.fromEntries(expected.map((p, i) => [p, parsed.positionals[i]]));
  const str = (k: string) => (typeof values[k] === 'string' ? values[k] : undefined);
  const base = { command: name, args, values, json: values.json === true, progress: values['no-progress'] !== true };
  if (name === 'migrate') {
    if (!str('from') || !str('to')) throw new UsageError(`lsr migrate needs --from <url> and --to <url>\n${usage(name)}`);
    return base;
  }
  const rawUrl = str('url') ?? env.LSR_URL;
  if (!rawUrl) throw new UsageError('No registry URL: set LSR_URL or pass --url');
  const { url, auth: inUrl } = splitUrl(rawUrl, 'The registry URL');
  const auth = authFrom(str('key') ?? env.LSR_KEY, str('secret') ?? env.LSR_SECRET, str('token') ?? env.LSR_TOKEN) ?? inUrl;
  return { ...base, url, ...(auth ? { auth } : {}) };
}

/** A version argument: a positive integer or `latest`. */
export function versionArg(raw: string | undefined, what = 'version'): number | 'latest' {
  if (raw === undefined || raw === 'latest' || raw === '-1') return 'latest';
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw new UsageError(`${what} must be a positive integer or latest, not '${raw}'`);
  return Number(raw);
}

/** `--ref name=subject:version` (the version defaults to the subject's latest is not allowed: references pin a version). */
export function refArg(raw: string): { name: string; subject: string; version: number } {
  const m = /^([^=]+)=(.+):(\d+)$/.exec(raw);
  if (!m) throw new UsageError(`--ref takes name=subject:version, not '${raw}'`);
  return { name: m[1], subject: m[2], version: Number(m[3]) };
}

/** The schema type of a file: --type, else from its extension. */
export function schemaTypeArg(type: string | undefined, file: string): 'AVRO' | 'JSON' | 'PROTOBUF' {
  const t = type?.toUpperCase();
  if (t === 'AVRO' || t === 'JSON' || t === 'PROTOBUF') return t;
  if (t !== undefined) throw new UsageError(`--type is AVRO, JSON or PROTOBUF, not '${type}'`);
  if (/\.(avsc|avro)$/i.test(file)) return 'AVRO';
  if (/\.proto$/i.test(file)) return 'PROTOBUF';
  if (/\.json$/i.test(file)) return 'JSON';
  throw new UsageError(`Cannot tell the schema type of ${file}: pass --type AVRO|JSON|PROTOBUF`);
}

/** A positive integer option. */
export function intArg(raw: string | undefined, what: string, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) throw new UsageError(`${what} must be an integer from 1 to ${max}`);
  return Number(raw);
}

function usage(command?: CommandName): string {
  const line = (n: CommandName) => {
    const s = COMMANDS[n];
    const pos = (s.positionals as readonly string[]).map((p) => `<${p}>`).join(' ');
    const opts = Object.keys(s.options)
      .map((o) => `[--${o}]`)
      .join(' ');
    return `  lsr ${n}${pos ? ` ${pos}` : ''}${opts ? ` ${opts}` : ''}\n      ${s.summary}`;
  };
  const commands = command ? [command] : (Object.keys(COMMANDS) as CommandName[]);
  return [
    `Usage:`,
    ...commands.map(line),
    '',
    'Every command: --url (or LSR_URL), --key key:secret (or LSR_KEY, with LSR_SECRET for a bare key), --token (or LSR_TOKEN, Bearer), --json, --no-progress.',
    'Exit codes: 0 ok, 1 incompatible or invalid, 2 usage, 3 server or network error. Reference: docs/cli.md',
  ].join('\n');
}
