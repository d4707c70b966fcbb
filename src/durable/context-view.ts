/**
 * What the registrations of one group see (group-commit.ts): the context as the primary holds it
 * when the group starts, read in one batch, plus the effects of the group's earlier writes, which
 * are decided but not committed yet. A later write in the group therefore sees the earlier ones'
 * ids (the counter), versions (a subject's list grows), schemas (the same schema twice gets one
 * id) and new subjects (the per-context bound), exactly as it would after their commit.
 *
 * Only registrations are decided against a view; every other write runs alone (registry-writer.ts).
 * A view lives for one group: if its batch fails, the view is dropped and the writes are decided
 * again from the primary.
 */
import type { StoredVersion, VersionHead } from '../domain/entities';
import { configsQuery, type EffectiveConfig, type Mode, modesQuery } from '../services/settings';
import { type ChainHead, chainHeadQuery } from '../storage/audit';
import { decodeAll, type RegistryReader } from '../storage/registry-reader';

export interface SubjectState {
  config: EffectiveConfig;
  mode: Mode;
  /**
   * Every version, soft-deleted ones too, ascending; the group's pending ones included. Texts as a
   * history holds them: the latest live version's (and the group's pending ones').
   */
  all: VersionHead[];
}

/** A schema as the decision needs it: its id and guid (committed or pending). */
interface KnownSchema {
  id: number;
  guid: string;
  hash: string;
}

/** ContextView.reads: statements to run in some batch, and the view made from their results. */
export interface ViewReads {
  statements: D1PreparedStatement[];
  view: (results: D1Result[], reader: RegistryReader) => { view: ContextView; head: ChainHead };
}

export class ContextView {
  private readonly subjects = new Map<string, SubjectState>();
  private readonly pendingByHash = new Map<string, KnownSchema>();
  private readonly pendingById = new Map<number, KnownSchema>();
  /** Subjects the group creates (they had no version at all). */
  private readonly created = new Set<string>();
  private committedSubjects: number | undefined;
  /** Committed schemas by hash, looked up for the whole group at once (`prefetch`); null: not stored. */
  private readonly committedByHash = new Map<string, KnownSchema | null>();

  private constructor(
    readonly reader: RegistryReader,
    readonly context: string,
    /** The next id to hand out: the counter as committed, advanced by the group's new schemas. */
    public nextId: number,
  ) {}

  /**
   * What a group reads, in one batch (one round trip): the id counter, the audit chain head of
   * `stream`, the config, mode and versions of each subject (three statements for all of them), the
   * context's subject count if one of them holds no version yet (the group may create it), and
   * whether the schemas of these `hashes` are stored (guessed by the caller before it knows the
   * subjects' state: a guess that misses costs `prefetch` a round trip, never a wrong answer, since
   * only the hashes looked up are known). Subjects not named here are read when first asked for.
   * The group runs the batch itself, or the commit of the group before it carries the statements
   * (group-commit.ts `Ahead`). `view` makes the view of the batch's results (these statements'
   * results, in order) for a reader of its own, through which it reads what it was not given.
   */
  static reads(db: D1DatabaseSession, reader: RegistryReader, context: string, subjects: string[], stream: string, hashes: string[] = []): ViewReads {
    const looked = [...new Set(hashes)];
    const queries = [
      reader.nextIdQuery(context),
      chainHeadQuery(db, stream),
      reader.subjectCountIfNewQuery(context, subjects),
      reader.schemaIdsByHashQuery(context, looked),
      ...statesQueries(reader, context, subjects),
    ] as const;
    return {
      statements: queries.map((q) => q.statement),
      view: (results, readerOfView) => {
        const [nextId, head, count, found, ...states] = decodeAll(queries, results);
        const view = new ContextView(readerOfView, context, nextId);
        subjects.forEach((s, i) => view.subjects.set(s, stateOf(states, i)));
        if (count !== null) view.committedSubjects = count;
        for (const h of looked) view.committedByHash.set(h, found.get(h) ?? null);
        return { view, head };
      },
    };
  }

  async subject(subject: string): Promise<SubjectState> {
    let state = this.subjects.get(subject);
    if (!state) {
      state = stateOf(await this.reader.all(...statesQueries(this.reader, this.context, [subject])), 0);
      this.subjects.set(subject, state);
    }
    return state;
  }

  /**
   * The state of a subject read by `load`, as a write deciding now would see it, or undefined when
   * it was not read (no round trip).
   */
  loaded(subject: string): SubjectState | undefined {
    return this.subjects.get(subject);
  }

  /**
   * One round trip for what the group's writes would each look up on their own: these schema
   * hashes and, when the group creates a subject, the context's subject count. Nothing is written
   * to the context between this read and the group's commit (this writer is its only writer, and a
   * restore holds it), so what it finds stays true until then.
   */
  async prefetch(hashes: string[], countSubjects: boolean): Promise<void> {
    const unknown = [...new Set(hashes)].filter((h) => !this.committedByHash.has(h));
    const count = countSubjects && this.committedSubjects === undefined;
    if (unknown.length === 0 && !count) return;
    const byHash = this.reader.schemaIdsByHashQuery(this.context, unknown);
    const [found, subjects] = count
      ? await this.reader.all(byHash, this.reader.subjectCountQuery(this.context))
      : [await this.reader.query(byHash), undefined];
    for (const h of unknown) this.committedByHash.set(h, found.get(h) ?? null);
    if (subjects !== undefined) this.committedSubjects = subjects;
  }

  /** Subjects (live or soft-deleted) in the context, the group's new ones counted. */
  async subjectCount(): Promise<number> {
    this.committedSubjects ??= (await this.reader.all(this.reader.subjectCountQuery(this.context)))[0];
    return this.committedSubjects + this.created.size;
  }

  /** A schema of this identity, pending in the group or committed (ids outlive permanent deletes). */
  async schemaByHash(hash: string): Promise<KnownSchema | null> {
    const pending = this.pendingByHash.get(hash);
    if (pending) return pending;
    const committed = this.committedByHash.get(hash);
    return committed !== undefined ? committed : this.reader.schemaByHash(this.context, hash);
  }

  /** The schema holding an id (IMPORT), pending in the group or committed. */
  async schemaWithId(id: number): Promise<KnownSchema | null> {
    return this.pendingById.get(id) ?? (await this.reader.schemaIdTaken(this.context, id));
  }

  /** A decided registration: what the group's later writes must see. */
  registered(v: StoredVersion, o: { newSchema: boolean; buried: number[] }): void {
    const state = this.subjects.get(v.subject);
    if (!state) throw new Error(`registered: subject ${v.subject} was never read`);
    if (state.all.length === 0) this.created.add(v.subject);
    const all = state.all.filter((x) => !o.buried.includes(x.version));
    all.push(v);
    all.sort((a, b) => a.version - b.version);
    state.all = all;
    if (o.newSchema) {
      const known = { id: v.id, guid: v.guid, hash: v.hash };
      this.pendingByHash.set(v.hash, known);
      this.pendingById.set(v.id, known);
    }
    this.nextId = Math.max(this.nextId, v.id + 1);
  }
}

/** The config, mode and every version of each subject: three statements whatever their number. */
function statesQueries(reader: RegistryReader, context: string, subjects: string[]) {
  return [configsQuery(reader, context, subjects), modesQuery(reader, context, subjects), reader.historiesQuery(context, subjects)] as const;
}

function stateOf([configs, modes, versions]: readonly [EffectiveConfig[], Mode[], VersionHead[][]], i: number): SubjectState {
  return { config: configs[i], mode: modes[i], all: versions[i] };
}
