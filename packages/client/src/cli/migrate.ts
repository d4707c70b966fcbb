/**
 * lsr migrate: copy a registry into another through the Confluent API, preserving ids.
 *
 * 1. Discover on the source: contexts, every live version of every subject (GET /schemas in pages,
 *    then per subject for any it did not list), global, context and subject configs and modes.
 * 2. Put the target in IMPORT mode (global, forced; and every scope the source has a mode at).
 * 3. Register every version with its id and version number, references first (waves by depth of
 *    the reference graph, ids ascending within a wave). Progress is saved to a state file; a re-run
 *    skips what the file lists, and a version found already on the target with the same id (an
 *    interrupted run wrote it before saving) counts as done: re-runs are idempotent.
 * 4. Copy configs, then modes (subjects, contexts, the global mode last: it ends IMPORT).
 * 5. Verify every read on the target: each version (id, type, references, schema text), each id,
 *    each config and mode.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { RegistryClient } from '../client.js';
import { RegistryError } from '../errors.js';
import type { Config, ConfigUpdate, Mode, SchemaReference, SubjectVersion } from '../types.js';
import { UsageError } from './args.js';
import { progress } from './progress.js';

interface MigrateOptions {
  from: RegistryClient;
  to: RegistryClient;
  statePath: string;
  concurrency: number;
  verify: boolean;
  showProgress: boolean;
  log: (line: string) => void;
}

interface State {
  from: string;
  to: string;
  done: string[];
  phase: 'schemas' | 'settings' | 'verified';
}

interface MigrateReport {
  contexts: string[];
  subjects: number;
  versions: number;
  registered: number;
  alreadyThere: number;
  fromState: number;
  configs: number;
  modes: number;
  failures: { subject: string; version: number; id: number; error: string }[];
  verified?: { reads: number; mismatches: string[] };
}

const DEFAULT_CONTEXT = '.';

/** `:.ctx:name` → ['.ctx', 'name']; a bare name is in the default context. */
export function splitSubject(qualified: string): [string, string] {
  const m = /^:(\.[^:]*):(.*)$/s.exec(qualified);
  return m ? [m[1] === '.' ? DEFAULT_CONTEXT : m[1], m[2]] : [DEFAULT_CONTEXT, qualified];
}

export function qualify(context: string, subject: string): string {
  return context === DEFAULT_CONTEXT ? subject : `:${context}:${subject}`;
}

const keyOf = (subject: string, version: number) => `${subject}@${version}`;

/** A reference's subject, qualified in the referencing schema's context unless it names its own. */
function refKey(context: string, ref: SchemaReference): string {
  const [c, s] = ref.subject.startsWith(':') ? splitSubject(ref.subject) : [context, ref.subject];
  return keyOf(qualify(c, s), ref.version);
}

/**
 * Waves: every version after the versions it references (depth in the reference graph), ids
 * ascending within a wave. A reference to a version outside the set (deleted on the source) adds
 * no edge: its registration fails and is reported. Cycles cannot be registered anywhere; they are
 * cut at the first visit.
 */
export function waves(versions: SubjectVersion[]): SubjectVersion[][] {
  const byKey = new Map(versions.map((v) => [keyOf(v.subject, v.version), v]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (key: string): number => {
    const known = depth.get(key);
    if (known !== undefined) return known;
    const v = byKey.get(key);
    if (!v || visiting.has(key)) return -1;
    visiting.add(key);
    const [context] = splitSubject(v.subject);
    let d = 0;
    for (const ref of v.references ?? []) d = Math.max(d, depthOf(refKey(context, ref)) + 1);
    visiting.delete(key);
    depth.set(key, d);
    return d;
  };
  const out: SubjectVersion[][] = [];
  for (const v of versions) (out[depthOf(keyOf(v.subject, v.version))] ??= []).push(v);
  return out.filter(Boolean).map((w) => w.sort((a, b) => a.id - b.id || (a.subject < b.subject ? -1 : 1) || a.version - b.version));
}

/** Run `fn` over `items`, at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** undefined when the scope has no setting of its own (404: 40401/40408/40409). */
async function ownSetting<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof RegistryError && e.status === 404) return undefined;
    throw e;
  }
}

function loadState(path: string, from: string, to: string): State {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { from, to, done: [], phase: 'schemas' };
  }
  const s = JSON.parse(text) as State;
  if (s.from !== from || s.to !== to) {
    throw new UsageError(`The state file ${path} is of a migration from ${s.from} to ${s.to}: pass another --state`);
  }
  return s;
}

function saveState(path: string, state: State): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, path); // atomic: an interruption leaves the old file or the new one
}

const same = (a: string, b: string) => {
  if (a === b) return true;
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
};
const refsText = (r: SchemaReference[] | undefined) => JSON.stringify((r ?? []).map((x) => [x.name, x.subject, x.version]));

/** Every live version a registry lists (GET /schemas?subjectPrefix=:*: in pages of 1000), by subject@version. */
async function listAll(registry: RegistryClient): Promise<Map<string, SubjectVersion>> {
  const found = new Map<string, SubjectVersion>();
  const PAGE = 1000;
  for (let offset = 0; ; offset += PAGE) {
    const page = await registry.listSchemas({ subjectPrefix: ':*:', offset, limit: PAGE });
    for (const v of page) found.set(keyOf(v.subject, v.version), v);
    if (page.length < PAGE) break;
  }
  return found;
}

/**
 * Every subject the source lists (GET /subjects?subjectPrefix=:*: in pages of 10,000: this registry
 * answers at most 100,000 at once). A registry that ignores offset and limit answers them all on
 * every page: the walk stops at the first page that adds no name.
 */
export async function listAllSubjects(registry: Pick<RegistryClient, 'listSubjects'>): Promise<string[]> {
  const PAGE = 10_000;
  const all = new Set<string>();
  for (let offset = 0; ; offset += PAGE) {
    const page = await registry.listSubjects({ subjectPrefix: ':*:', offset, limit: PAGE });
    const before = all.size;
    for (const s of page) all.add(s);
    if (page.length < PAGE || all.size === before) return [...all];
  }
}

/** Every live version on the source: GET /schemas in pages, then per subject for any it missed. */
async function discover(from: RegistryClient, concurrency: number): Promise<SubjectVersion[]> {
  let found = new Map<string, SubjectVersion>();
  try {
    found = await listAll(from);
  } catch (e) {
    if (!(e instanceof RegistryError) || e.status === 0 || e.status >= 500) throw e;
    // a registry without the listing: per subject below
  }
  const subjects = await listAllSubjects(from);
  const listed = new Set([...found.values()].map((v) => v.subject));
  await pool(
    subjects.filter((s) => !listed.has(s)),
    concurrency,
    async (subject) => {
      for (const version of await from.listVersions(subject)) {
        const v = await from.getVersion(subject, version);
        found.set(keyOf(subject, version), { ...v, subject });
      }
    },
  );
  return [...found.values()];
}

interface Settings {
  scope: string | undefined; // undefined: global; ':.ctx:': a context; else a subject
  config?: Config;
  mode?: Mode;
}

async function readSettings(from: RegistryClient, contexts: string[], subjects: string[], concurrency: number): Promise<Settings[]> {
  const global: Settings = { scope: undefined, config: await from.getConfig(), mode: (await from.getMode()).mode };
  const out: Settings[] = [global];
  const scopes = [...contexts.filter((c) => c !== DEFAULT_CONTEXT).map((c) => `:${c}:`), ...subjects];
  const read: Settings[] = [];
  await pool(scopes, concurrency, async (scope) => {
    const config = await ownSetting(() => from.getConfig(scope));
    const mode = (await ownSetting(() => from.getMode(scope)))?.mode;
    const isContext = /^:\.[^:]*:$/.test(scope);
    // A registry may answer a context's effective setting: equal to the global one, it is not the context's own.
    const s: Settings = {
      scope,
      ...(config && !(isContext && JSON.stringify(config) === JSON.stringify(global.config)) ? { config } : {}),
      ...(mode && !(isContext && mode === global.mode) ? { mode } : {}),
    };
    if (s.config || s.mode) read.push(s);
  });
  // Subjects before contexts: modes are applied in this order, the global one last.
  read.sort((a, b) => Number(a.scope?.endsWith(':')) - Number(b.scope?.endsWith(':')) || ((a.scope ?? '') < (b.scope ?? '') ? -1 : 1));
  return [...read, ...out];
}

function toUpdate(c: Config): ConfigUpdate {
  const { compatibilityLevel, ...rest } = c;
  return { ...(compatibilityLevel ? { compatibility: compatibilityLevel } : {}), ...rest };
}

export async function migrate(o: MigrateOptions): Promise<MigrateReport> {
  const { from, to, log } = o;
  const state = loadState(o.statePath, from.url, to.url);
  const done = new Set(state.done);
  log(`Reading ${from.url} ...`);
  let contexts: string[];
  try {
    contexts = await from.listContexts();
  } catch (e) {
    if (!(e instanceof RegistryError) || e.status !== 404) throw e;
    contexts = [DEFAULT_CONTEXT]; // a registry without contexts
  }
  const versions = await discover(from, o.concurrency);
  const subjects = [...new Set(versions.map((v) => v.subject))].sort();
  for (const s of subjects) {
    const [c] = splitSubject(s);
    if (!contexts.includes(c)) contexts.push(c);
  }
  const settings = await readSettings(from, contexts, subjects, o.concurrency);
  log(`${contexts.length} contexts, ${subjects.length} subjects, ${versions.length} versions, ${settings.length} scopes with settings`);

  const report: MigrateReport = {
    contexts: contexts.sort(),
    subjects: subjects.length,
    versions: versions.length,
    registered: 0,
    alreadyThere: 0,
    fromState: 0,
    configs: 0,
    modes: 0,
    failures: [],
  };

  // IMPORT on the target: globally, and at every scope the source sets a mode at (a re-run finds those set).
  await to.setMode(undefined, 'IMPORT', { force: true });
  for (const s of settings) if (s.mode && s.scope !== undefined) await to.setMode(s.scope, 'IMPORT', { force: true });

  let lastSave = Date.now();
  const save = (force = false) => {
    if (!force && Date.now() - lastSave < 500) return;
    state.done = [...done];
    saveState(o.statePath, state);
    lastSave = Date.now();
  };
  save(true);
  const bar = progress('register', versions.length, o.showProgress);
  // No barrier between waves: a version starts as soon as the versions it references are copied
  // (each waits on its references' promises), so the writers of every context stay busy. The
  // order (waves, ids ascending) means a version's references were always picked before it.
  const copied = new Map<string, Promise<void>>();
  const ordered = waves(versions).flat();
  const settle = new Map<string, () => void>();
  for (const v of ordered) {
    const key = keyOf(v.subject, v.version);
    copied.set(key, new Promise<void>((resolve) => settle.set(key, resolve)));
  }
  await pool(ordered, o.concurrency, async (v) => {
    const key = keyOf(v.subject, v.version);
    try {
      const [context] = splitSubject(v.subject);
      const waits: Promise<void>[] = [];
      for (const ref of v.references ?? []) {
        const w = copied.get(refKey(context, ref)); // none for a reference outside the set: it fails and is reported
        if (w) waits.push(w);
      }
      await Promise.all(waits);
      await copy(v, key);
    } finally {
      settle.get(key)?.();
    }
  });
  async function copy(v: SubjectVersion, key: string): Promise<void> {
    if (done.has(key)) {
      report.fromState++;
      bar.tick();
      return;
    }
    try {
      await to.register(v.subject, {
        schema: v.schema,
        schemaType: v.schemaType ?? 'AVRO',
        ...(v.references?.length ? { references: v.references } : {}),
        ...(v.metadata !== undefined ? { metadata: v.metadata } : {}),
        ...(v.ruleSet !== undefined ? { ruleSet: v.ruleSet } : {}),
        id: v.id,
        version: v.version,
      });
      report.registered++;
      done.add(key);
    } catch (e) {
      // Written by an interrupted run (or a retry whose first attempt landed): the same id there is done.
      const there = e instanceof RegistryError && e.status === 422 ? await ownSetting(() => to.getVersion(v.subject, v.version)) : undefined;
      if (there?.id === v.id) {
        report.alreadyThere++;
        done.add(key);
      } else {
        report.failures.push({ subject: v.subject, version: v.version, id: v.id, error: e instanceof Error ? e.message : String(e) });
      }
    }
    bar.tick();
    save();
  }
  save(true);
  bar.done();

  state.phase = 'settings';
  save(true);
  for (const s of settings) {
    if (s.config) {
      await to.setConfig(s.scope, toUpdate(s.config));
      report.configs++;
    }
  }
  for (const s of settings) {
    if (s.mode) {
      await to.setMode(s.scope, s.mode, { force: true });
      report.modes++;
    }
  }
  // Scopes the source has no mode at but the target got IMPORT at by this tool: none (only source scopes are set).

  if (o.verify) report.verified = await verify(o, versions, settings);
  if (report.failures.length === 0 && (report.verified?.mismatches.length ?? 0) === 0) state.phase = 'verified';
  save(true);
  return report;
}

async function verify(o: MigrateOptions, versions: SubjectVersion[], settings: Settings[]): Promise<{ reads: number; mismatches: string[] }> {
  const { to } = o;
  const mismatches: string[] = [];
  let reads = 0;
  const ids = new Map<string, SubjectVersion>();
  for (const v of versions) ids.set(`${splitSubject(v.subject)[0]}\u0000${v.id}`, v);
  const bar = progress('verify', versions.length + ids.size + settings.length, o.showProgress);
  const note = (what: string) => {
    if (mismatches.length < 1000) mismatches.push(what);
  };
  const failed = (what: string, e: unknown) => {
    note(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  };
  const check = (v: SubjectVersion, t: SubjectVersion) => {
    reads++;
    if (t.id !== v.id) note(`${v.subject} v${v.version}: id ${t.id}, expected ${v.id}`);
    if ((t.schemaType ?? 'AVRO') !== (v.schemaType ?? 'AVRO')) note(`${v.subject} v${v.version}: type ${t.schemaType}, expected ${v.schemaType}`);
    if (refsText(t.references) !== refsText(v.references)) note(`${v.subject} v${v.version}: references differ`);
    if (!same(t.schema, v.schema)) note(`${v.subject} v${v.version}: schema text differs`);
    bar.tick();
  };
  // The versions in pages of the target's listing (a thousand a request), then one by one any
  // version the listing did not answer (a registry without it, or a version it left out).
  const listed = await listAll(to).catch((e: unknown) => {
    if (e instanceof RegistryError && e.status !== 0 && e.status < 500) return new Map<string, SubjectVersion>();
    throw e;
  });
  const unlisted: SubjectVersion[] = [];
  for (const v of versions) {
    const t = listed.get(keyOf(v.subject, v.version));
    if (t) check(v, t);
    else unlisted.push(v);
  }
  await pool(unlisted, o.concurrency, async (v) => {
    try {
      check(v, await to.getVersion(v.subject, v.version));
    } catch (e) {
      failed(`${v.subject} v${v.version}`, e);
      bar.tick();
    }
  });
  await pool([...ids.values()], o.concurrency, async (v) => {
    const [context] = splitSubject(v.subject);
    try {
      const t = await to.getSchemaById(v.id, context === DEFAULT_CONTEXT ? {} : { subject: `:${context}:` });
      reads++;
      if (!same(t.schema, v.schema)) note(`id ${v.id} in ${context}: schema text differs`);
    } catch (e) {
      failed(`id ${v.id} in ${context}`, e);
    }
    bar.tick();
  });
  for (const s of settings) {
    const scope = s.scope ?? '(global)';
    try {
      if (s.config) {
        const t = await to.getConfig(s.scope);
        reads++;
        if (t.compatibilityLevel !== s.config.compatibilityLevel)
          note(`config ${scope}: ${t.compatibilityLevel}, expected ${s.config.compatibilityLevel}`);
      }
      if (s.mode) {
        const t = await to.getMode(s.scope);
        reads++;
        if (t.mode.toUpperCase() !== s.mode.toUpperCase()) note(`mode ${scope}: ${t.mode}, expected ${s.mode}`);
      }
    } catch (e) {
      failed(`settings ${scope}`, e);
    }
    bar.tick();
  }
  bar.done();
  return { reads, mismatches };
}
