/**
 * lsr: the registry from a shell or a CI job (docs/cli.md). Human output on stdout, `--json` for
 * one JSON document instead; diagnostics and progress bars on stderr (bars only on a terminal).
 * Exit codes: 0 ok, 1 incompatible or invalid, 2 usage, 3 server or network error.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { RegistryClient } from '../client.js';
import { RegistryError } from '../errors.js';
import { EXPORT_TARGETS, type ExportTarget, type SchemaInput, type ValidationResult } from '../types.js';
import { authFrom, intArg, parseCommand, type Parsed, refArg, schemaTypeArg, splitUrl, UsageError, versionArg } from './args.js';
import { lineDiff } from './diff.js';
import { migrate } from './migrate.js';
import { progress } from './progress.js';

export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, ERROR: 3 } as const;

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
}

const defaultIo: Io = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
  env: process.env,
};

/** Client-side extras of `export --target` (re-wrapped server exports, see llm.ts). */
const EXTRA_TARGETS = ['openai-responses-text-format', 'vercel-ai-tool'] as const;

/** The codes that mean "your schema or document is the problem" (exit 1), not the server (exit 3). */
const FAILED_CODES = new Set([409, 40901, 42201]);

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  let parsed: Parsed;
  try {
    const p = parseCommand(argv, io.env);
    if ('help' in p) {
      io.out(p.help);
      return EXIT.OK;
    }
    parsed = p;
  } catch (e) {
    io.err(e instanceof Error ? e.message : String(e));
    return EXIT.USAGE;
  }
  try {
    return await run(parsed, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(e.message);
      return EXIT.USAGE;
    }
    if (e instanceof RegistryError) {
      if (parsed.json) io.out(JSON.stringify({ error: { status: e.status, error_code: e.errorCode, message: e.message } }));
      io.err(`error ${e.errorCode}${e.status ? ` (HTTP ${e.status})` : ''}: ${e.message}`);
      return FAILED_CODES.has(e.errorCode) ? EXIT.FAILED : EXIT.ERROR;
    }
    const code = (e as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      io.err((e as Error).message);
      return EXIT.USAGE;
    }
    io.err(e instanceof Error ? (e.stack ?? e.message) : String(e));
    return EXIT.ERROR;
  }
}

function clientOf(p: Parsed): RegistryClient {
  return new RegistryClient({ url: p.url ?? '', ...(p.auth ? { auth: p.auth } : {}) });
}

const str = (p: Parsed, k: string) => (typeof p.values[k] === 'string' ? p.values[k] : undefined);

function schemaFile(p: Parsed): SchemaInput {
  const file = p.args.file;
  const refs = (p.values.ref as string[] | undefined) ?? [];
  return {
    schema: readFileSync(file, 'utf8'),
    schemaType: schemaTypeArg(str(p, 'type'), file),
    ...(refs.length ? { references: refs.map(refArg) } : {}),
  };
}

async function run(p: Parsed, io: Io): Promise<number> {
  const print = (json: unknown, human: string) => {
    io.out(p.json ? JSON.stringify(json, null, 2) : human);
  };
  switch (p.command) {
    case 'register': {
      const c = clientOf(p);
      const schema = schemaFile(p);
      const r = await c.register(p.args.subject, schema, { normalize: p.values.normalize === true });
      // The 7.x profile answers only the id: the version comes from a lookup.
      const version = r.version ?? (await c.lookup(p.args.subject, schema, { normalize: p.values.normalize === true })).version;
      print({ subject: p.args.subject, id: r.id, version }, `registered ${p.args.subject} version ${version} (id ${r.id})`);
      return EXIT.OK;
    }
    case 'check': {
      const c = clientOf(p);
      const version = str(p, 'version');
      const r = await c.checkCompatibility(p.args.subject, schemaFile(p), {
        verbose: true,
        normalize: p.values.normalize === true,
        ...(version !== undefined ? { version: versionArg(version) } : {}),
      });
      const against = version === undefined ? 'its history' : `version ${version}`;
      print(
        { subject: p.args.subject, compatible: r.is_compatible, messages: r.messages ?? [] },
        r.is_compatible
          ? `compatible with ${p.args.subject} (${against})`
          : [`INCOMPATIBLE with ${p.args.subject} (${against}):`, ...(r.messages ?? []).map((m) => `  - ${m}`)].join('\n'),
      );
      return r.is_compatible ? EXIT.OK : EXIT.FAILED;
    }
    case 'diff': {
      const c = clientOf(p);
      const [v1, v2] = [versionArg(p.args.v1, 'v1'), versionArg(p.args.v2, 'v2')];
      const [a, b] = await Promise.all([c.getVersion(p.args.subject, v1), c.getVersion(p.args.subject, v2)]);
      const check = await c.checkCompatibility(
        p.args.subject,
        { schema: b.schema, schemaType: b.schemaType ?? 'AVRO', ...(b.references ? { references: b.references } : {}) },
        { version: a.version, verbose: true },
      );
      const lines = lineDiff(a.schema, b.schema);
      const changed = lines.filter((l) => l.op !== ' ');
      print(
        {
          subject: p.args.subject,
          from: { version: a.version, id: a.id },
          to: { version: b.version, id: b.id },
          changes: changed,
          compatible: check.is_compatible,
          messages: check.messages ?? [],
        },
        [
          `--- ${p.args.subject} version ${a.version} (id ${a.id})`,
          `+++ ${p.args.subject} version ${b.version} (id ${b.id})`,
          ...(changed.length ? lines.map((l) => `${l.op} ${l.line}`) : ['(same schema)']),
          check.is_compatible
            ? `version ${b.version} is compatible with version ${a.version}`
            : [`version ${b.version} is NOT compatible with version ${a.version}:`, ...(check.messages ?? []).map((m) => `  - ${m}`)].join('\n'),
        ].join('\n'),
      );
      return check.is_compatible ? EXIT.OK : EXIT.FAILED;
    }
    case 'export':
      return exportCommand(p, io);
    case 'validate':
      return validateCommand(p, io);
    case 'snapshot': {
      const snap = await clientOf(p).admin.snapshot();
      const text = JSON.stringify(snap);
      const out = str(p, 'out');
      if (out === undefined) {
        io.out(text);
        return EXIT.OK;
      }
      writeFileSync(out, text);
      const rows = Object.values(snap.tables).reduce((n, t) => n + t.length, 0);
      print({ file: out, takenAt: snap.takenAt, rows }, `snapshot of ${rows} rows written to ${out}`);
      return EXIT.OK;
    }
    case 'restore': {
      const text = readFileSync(p.args.file, 'utf8');
      const r = await clientOf(p).admin.restore(text);
      print(r, `restored ${p.args.file}: ${JSON.stringify(r.restored)}`);
      return EXIT.OK;
    }
    case 'migrate':
      return migrateCommand(p, io);
  }
}

async function exportCommand(p: Parsed, io: Io): Promise<number> {
  const target = str(p, 'target');
  const all = [...EXPORT_TARGETS, ...EXTRA_TARGETS] as readonly string[];
  if (!target || !all.includes(target)) throw new UsageError(`--target is one of ${all.join(', ')}`);
  const c = clientOf(p);
  const version = str(p, 'version');
  const name = str(p, 'name');
  const description = str(p, 'description');
  const options = {
    ...(version !== undefined ? { version: versionArg(version) } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(description !== undefined ? { description } : {}),
    fix: p.values.fix === true,
  };
  const serverTarget: ExportTarget =
    target === 'vercel-ai-tool' ? 'mcp-tool' : target === 'openai-responses-text-format' ? 'openai-response-format' : (target as ExportTarget);
  const result = await c.exportSchema(p.args.subject, serverTarget, options);
  let output = result.output;
  if (target === 'vercel-ai-tool') output = await c.llm.vercelAITool(p.args.subject, options);
  if (target === 'openai-responses-text-format') output = await c.llm.openAIResponsesTextFormat(p.args.subject, options);
  const errors = result.findings.filter((f) => f.severity === 'error');
  if (p.json) io.out(JSON.stringify({ ...result, target, output }, null, 2));
  else {
    io.out(JSON.stringify(output, null, 2));
    for (const f of result.findings) io.err(`${f.severity}: ${f.path || '(root)'} ${f.rule}: ${f.message}`);
    for (const ch of result.changes ?? []) io.err(`fixed: ${ch}`);
  }
  return errors.length ? EXIT.FAILED : EXIT.OK;
}

/** The server takes at most 10 000 lines and 8 MiB per batch: lines go in batches under both. */
const BATCH_LINES = 10_000;
const BATCH_BYTES = 7 * 1024 * 1024;

async function validateCommand(p: Parsed, io: Io): Promise<number> {
  const c = clientOf(p);
  const version = versionArg(str(p, 'version'));
  const message = str(p, 'message');
  const maxShown = intArg(str(p, 'max-failures'), '--max-failures', 20, 1_000_000);
  const lines = readFileSync(p.args.file, 'utf8').split(/\r?\n/);
  type Failure = { line: number; errors: { instancePath?: string; keyword: string; message: string }[] };
  const failures: Failure[] = [];
  // Lines that are not JSON are reported here (the server refuses a whole batch for one of them).
  const docs: { line: number; text: string }[] = [];
  lines.forEach((text, i) => {
    if (text.trim() === '') return;
    try {
      JSON.parse(text);
      docs.push({ line: i + 1, text });
    } catch (e) {
      failures.push({ line: i + 1, errors: [{ keyword: 'json', message: `not JSON: ${e instanceof Error ? e.message : String(e)}` }] });
    }
  });
  const batches: (typeof docs)[] = [];
  let size = 0;
  for (const d of docs) {
    const last = batches.at(-1);
    if (!last || last.length >= BATCH_LINES || size + d.text.length > BATCH_BYTES) {
      batches.push([d]);
      size = d.text.length;
    } else {
      last.push(d);
      size += d.text.length + 1;
    }
  }
  const bar = progress('validate', docs.length, p.progress);
  for (const batch of batches) {
    const results: ValidationResult[] = await c.validateBatch(p.args.subject, batch.map((d) => d.text).join('\n'), {
      version,
      ...(message !== undefined ? { message } : {}),
    });
    results.forEach((r, i) => {
      if (!r.valid) failures.push({ line: batch[i].line, errors: r.errors });
    });
    bar.tick(batch.length);
  }
  bar.done();
  failures.sort((a, b) => a.line - b.line);
  const total = docs.length + failures.filter((f) => f.errors[0]?.keyword === 'json').length;
  const summary = { subject: p.args.subject, file: p.args.file, total, valid: total - failures.length, invalid: failures.length };
  if (p.json) io.out(JSON.stringify({ ...summary, failures }, null, 2));
  else {
    io.out(`${summary.valid} of ${total} documents valid, ${summary.invalid} invalid (${p.args.subject}, ${p.args.file})`);
    for (const f of failures.slice(0, maxShown)) {
      io.out(`line ${f.line}: ${f.errors.map((e) => `${e.instancePath ? `${e.instancePath} ` : ''}${e.message}`).join('; ')}`);
    }
    if (failures.length > maxShown) io.out(`... and ${failures.length - maxShown} more (--max-failures, or --json for all)`);
  }
  return failures.length ? EXIT.FAILED : EXIT.OK;
}

async function migrateCommand(p: Parsed, io: Io): Promise<number> {
  const side = (which: 'from' | 'to') => {
    const { url, auth: inUrl } = splitUrl(str(p, which) ?? '', `--${which}`);
    const envKey = which === 'from' ? io.env.LSR_FROM_KEY : io.env.LSR_TO_KEY;
    const auth = authFrom(str(p, `${which}-key`) ?? envKey, undefined, undefined) ?? inUrl;
    return new RegistryClient({ url, ...(auth ? { auth } : {}), retry: { attempts: 6 } });
  };
  const report = await migrate({
    from: side('from'),
    to: side('to'),
    statePath: str(p, 'state') ?? 'lsr-migrate-state.json',
    concurrency: intArg(str(p, 'concurrency'), '--concurrency', 8, 64),
    verify: p.values['skip-verify'] !== true,
    showProgress: p.progress,
    log: (l) => {
      io.err(l);
    },
  });
  const ok = report.failures.length === 0 && (report.verified?.mismatches.length ?? 0) === 0;
  if (p.json) io.out(JSON.stringify({ ok, ...report }, null, 2));
  else {
    io.out(
      `migrated ${report.versions} versions of ${report.subjects} subjects in ${report.contexts.length} contexts: ` +
        `${report.registered} registered, ${report.alreadyThere} already there, ${report.fromState} done before; ` +
        `${report.configs} configs, ${report.modes} modes`,
    );
    if (report.verified) io.out(`verified ${report.verified.reads} reads: ${report.verified.mismatches.length} mismatches`);
    for (const f of report.failures.slice(0, 50)) io.out(`FAILED ${f.subject} v${f.version} (id ${f.id}): ${f.error}`);
    for (const m of report.verified?.mismatches.slice(0, 50) ?? []) io.out(`MISMATCH ${m}`);
  }
  return ok ? EXIT.OK : EXIT.FAILED;
}
