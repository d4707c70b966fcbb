/**
 * Schema resources of one compilation: every document (the root, its referenced documents, the
 * bundled meta-schemas) scanned once for identifiers ($id / draft-04 `id`), anchors ($anchor,
 * $dynamicAnchor, draft-06/07 "#name" ids) and references, so `$ref` resolves by lookup.
 * Identifier rules: JSON Schema 2020-12 Core section 8.2, 2019-09 section 8.2, draft-07 section 8.
 */
import { DRAFT_RANK, draftFromSchemaUri } from '../drafts';
import { META_DOCUMENTS } from '../meta/index';
import type { Draft } from '../types';
import { type Loc, type Resource, type Vocab, SchemaCompileError, ptr } from './types';
import { resolveUri, splitFragment } from './uri';

const VOCAB_VALIDATION = /\/vocab\/validation$/;
const VOCAB_FORMAT_ASSERTION = /\/vocab\/format-assertion$/;
const DEFAULT_VOCAB: Vocab = { noValidation: false, formatAssert: false };

/** Keywords whose value is one subschema; [keyword, first draft rank where it is a keyword]. */
const SINGLE: [string, number][] = [
  ['additionalItems', 4],
  ['additionalProperties', 4],
  ['not', 4],
  ['contains', 6],
  ['propertyNames', 6],
  ['if', 7],
  ['then', 7],
  ['else', 7],
  ['unevaluatedItems', 8],
  ['unevaluatedProperties', 8],
  ['contentSchema', 8],
];
const ARRAY: [string, number][] = [
  ['allOf', 4],
  ['anyOf', 4],
  ['oneOf', 4],
  ['prefixItems', 9],
];
const MAP: [string, number][] = [
  ['properties', 4],
  ['patternProperties', 4],
  ['definitions', 4],
  ['$defs', 8],
  ['dependentSchemas', 8],
];

export interface RefSite {
  keyword: '$ref' | '$dynamicRef' | '$recursiveRef';
  /** The reference as written. */
  ref: string;
  /** Resolved against the base URI in effect. */
  uri: string;
  path: string;
}

interface ScanState {
  base: string;
  draft: Draft;
  resource: Resource;
  path: string;
  vocab: Vocab;
}

export class Registry {
  readonly resources = new Map<string, Resource>();
  readonly anchors = new Map<string, unknown>();
  readonly locs = new WeakMap<object, Loc>();
  readonly refs: RefSite[] = [];
  /** Documents not scanned yet (scanned on first lookup, so unused meta-schemas cost nothing). */
  private readonly pending = new Map<string, { doc: unknown; draft: Draft }>();
  hasDynamic = false;
  nodes = 0;

  constructor(private readonly rootUri: string) {}

  /** Register a document under `uri` (no fragment); scanned lazily unless `now`. */
  add(uri: string, doc: unknown, fallbackDraft: Draft, now = false): void {
    const u = splitFragment(uri)[0];
    if (now) this.scanDocument(u, doc, fallbackDraft);
    else if (!this.resources.has(u)) this.pending.set(u, { doc, draft: fallbackDraft });
  }

  private resource(u: string): Resource | undefined {
    const r = this.resources.get(u);
    if (r) return r;
    const p = this.pending.get(u);
    if (p) {
      this.pending.delete(u);
      this.scanDocument(u, p.doc, p.draft);
      return this.resources.get(u);
    }
    const meta = META_DOCUMENTS.get(u);
    if (meta !== undefined) {
      this.scanDocument(u, meta, draftFromSchemaUri(u) ?? '2020-12');
      return this.resources.get(u);
    }
    // an identifier declared inside a pending document: scan everything pending, then retry
    if (this.pending.size > 0) {
      for (const [pu, pd] of [...this.pending]) {
        this.pending.delete(pu);
        this.scanDocument(pu, pd.doc, pd.draft);
      }
      return this.resources.get(u);
    }
    return undefined;
  }

  /** The draft and vocabulary a `$schema` value selects (custom meta-schemas are looked up). */
  private dialect(schemaUri: unknown, fallback: Draft): { draft: Draft; vocab: Vocab } {
    const known = draftFromSchemaUri(schemaUri);
    if (known) return { draft: known, vocab: DEFAULT_VOCAB };
    if (typeof schemaUri !== 'string') return { draft: fallback, vocab: DEFAULT_VOCAB };
    const u = splitFragment(schemaUri)[0];
    const meta = this.pending.get(u)?.doc ?? this.resources.get(u)?.root;
    if (meta === null || typeof meta !== 'object') return { draft: fallback, vocab: DEFAULT_VOCAB };
    const m = meta as Record<string, unknown>;
    const draft = draftFromSchemaUri(m.$schema) ?? fallback;
    const vocabs = m.$vocabulary;
    if (vocabs === null || typeof vocabs !== 'object') return { draft, vocab: DEFAULT_VOCAB };
    const keys = Object.keys(vocabs);
    return {
      draft,
      vocab: {
        noValidation: !keys.some((k) => VOCAB_VALIDATION.test(k)),
        formatAssert: keys.some((k) => VOCAB_FORMAT_ASSERTION.test(k)),
      },
    };
  }

  private scanDocument(u: string, doc: unknown, fallbackDraft: Draft): void {
    let draft = fallbackDraft;
    let vocab = DEFAULT_VOCAB;
    if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) {
      ({ draft, vocab } = this.dialect((doc as Record<string, unknown>).$schema, fallbackDraft));
    }
    const resource: Resource = { uri: u, root: doc, draft, dynamicAnchors: new Map() };
    if (!this.resources.has(u)) this.resources.set(u, resource);
    const path = u === this.rootUri ? '#' : u + '#';
    this.scan(doc, { base: u, draft, resource, path, vocab }, true);
  }

  private scan(node: unknown, st: ScanState, docRoot: boolean): void {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
    if (this.locs.has(node)) return;
    const o = node as Record<string, unknown>;
    let { base, draft, resource, vocab } = st;
    const rank = DRAFT_RANK[draft];
    const idKey = rank === 4 ? 'id' : '$id';
    const id = o[idKey];
    const refSibling = rank <= 7 && typeof o.$ref === 'string';
    if (typeof id === 'string' && !refSibling) {
      if (rank <= 7 && id.startsWith('#')) {
        this.anchors.set(base + id, o);
      } else {
        const [u, frag] = splitFragment(resolveUri(base, id));
        if (rank >= 8 && !docRoot && o.$schema !== undefined) ({ draft, vocab } = this.dialect(o.$schema, draft));
        const r: Resource = docRoot && resource.uri === base ? { ...resource, uri: u } : { uri: u, root: o, draft, dynamicAnchors: new Map() };
        if (docRoot) {
          // the document's registration URI and its $id name the same resource
          (r as { dynamicAnchors: Map<string, unknown> }).dynamicAnchors = resource.dynamicAnchors;
          this.resources.set(resource.uri, r);
        }
        if (!this.resources.has(u) || docRoot) this.resources.set(u, r);
        resource = r;
        base = u;
        if (frag !== '' && rank <= 7) this.anchors.set(u + '#' + frag, o);
      }
    }
    if (rank >= 8) {
      if (typeof o.$anchor === 'string') this.anchors.set(base + '#' + o.$anchor, o);
      if (rank >= 9 && typeof o.$dynamicAnchor === 'string') {
        this.anchors.set(base + '#' + o.$dynamicAnchor, o);
        if (!resource.dynamicAnchors.has(o.$dynamicAnchor)) resource.dynamicAnchors.set(o.$dynamicAnchor, o);
      }
    }
    const loc: Loc = { base, draft, resource, path: st.path, vocab };
    this.locs.set(o, loc);
    if (++this.nodes > 200_000) throw new SchemaCompileError('schema has too many subschemas', st.path);

    if (typeof o.$ref === 'string') this.refs.push({ keyword: '$ref', ref: o.$ref, uri: resolveUri(base, o.$ref), path: st.path + '/$ref' });
    if (rank === 9 && typeof o.$dynamicRef === 'string') {
      this.hasDynamic = true;
      this.refs.push({ keyword: '$dynamicRef', ref: o.$dynamicRef, uri: resolveUri(base, o.$dynamicRef), path: st.path + '/$dynamicRef' });
    }
    if (rank === 8 && typeof o.$recursiveRef === 'string') {
      this.hasDynamic = true;
      this.refs.push({ keyword: '$recursiveRef', ref: o.$recursiveRef, uri: resolveUri(base, o.$recursiveRef), path: st.path + '/$recursiveRef' });
    }

    const child = (v: unknown, p: string): void => {
      this.scan(v, { base, draft, resource, path: p, vocab }, false);
    };
    for (const [k, since] of SINGLE) if (rank >= since && k in o) child(o[k], st.path + ptr(k));
    if ('items' in o) {
      const it = o.items;
      if (Array.isArray(it)) {
        it.forEach((s, i) => {
          child(s, `${st.path}/items/${i}`);
        });
      } else child(it, st.path + '/items');
    }
    for (const [k, since] of ARRAY) {
      const a = o[k];
      if (rank >= since && Array.isArray(a)) {
        a.forEach((s, i) => {
          child(s, `${st.path}${ptr(k)}/${i}`);
        });
      }
    }
    for (const [k, since] of MAP) {
      const m = o[k];
      if (rank >= since && m !== null && typeof m === 'object' && !Array.isArray(m)) {
        for (const key of Object.keys(m)) child((m as Record<string, unknown>)[key], st.path + ptr(k) + ptr(key));
      }
    }
    const deps = o.dependencies;
    if (deps !== null && typeof deps === 'object' && !Array.isArray(deps)) {
      for (const key of Object.keys(deps)) {
        const v = (deps as Record<string, unknown>)[key];
        if (!Array.isArray(v)) child(v, st.path + '/dependencies' + ptr(key));
      }
    }
  }

  /** Where a scanned node lives; for a node reached only by a JSON pointer, derived from its parent. */
  locOf(node: unknown, fallback: Loc): Loc {
    if (node !== null && typeof node === 'object') return this.locs.get(node) ?? fallback;
    return fallback;
  }

  /** Resolve an absolute (or base-relative, already resolved) reference to a schema node. */
  resolve(uri: string): { node: unknown; loc: Loc } | undefined {
    const [u, frag] = splitFragment(uri);
    const res = this.resource(u);
    if (!res) {
      // a plain-name anchor in a document registered under another name
      return undefined;
    }
    const rootLoc = this.locs.get(res.root as object) ?? {
      base: u,
      draft: res.draft,
      resource: res,
      path: u === this.rootUri ? '#' : u + '#',
      vocab: DEFAULT_VOCAB,
    };
    if (frag === '') return { node: res.root, loc: rootLoc };
    if (frag.startsWith('/')) {
      let cur: unknown = res.root;
      let loc = rootLoc;
      let path = rootLoc.path;
      for (const raw of frag.slice(1).split('/')) {
        const tok = raw.replace(/~1/g, '/').replace(/~0/g, '~');
        if (Array.isArray(cur)) {
          if (!/^(0|[1-9][0-9]*)$/.test(tok)) return undefined;
          cur = cur[Number(tok)];
        } else if (cur !== null && typeof cur === 'object' && Object.prototype.hasOwnProperty.call(cur, tok)) {
          cur = (cur as Record<string, unknown>)[tok];
        } else return undefined;
        if (cur === undefined) return undefined;
        path += ptr(tok);
        const known = cur !== null && typeof cur === 'object' ? this.locs.get(cur) : undefined;
        loc = known ?? { ...loc, path };
      }
      return { node: cur, loc };
    }
    const a = this.anchors.get(u + '#' + frag);
    const aloc = a !== null && typeof a === 'object' ? this.locs.get(a) : undefined;
    // anchors are object nodes, each with the location it was scanned at
    return aloc === undefined ? undefined : { node: a, loc: aloc };
  }
}
