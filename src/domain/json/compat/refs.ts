/**
 * `$ref` resolution over one schema and the documents it references, for the diff.
 *
 * Confluent dereferences through everit's ReferenceSchema (SchemaDiff.normalizeSchema ->
 * getReferredSchema()); references resolve against the enclosing `$id` base (default
 * "mem://input", JsonSchema.DEFAULT_BASE_URI) and referenced schemas are registered under their
 * reference name resolved against the root `$id` (JsonSchema.loadPreviousDraft /
 * loadLatestDraft). Supported here: `#`, `#/json/pointer`, `#anchor` (`$anchor`, or draft-06/07
 * `$id: "#name"`), embedded `$id` resources, and `name` / `name#/pointer` for a name of the
 * `referenced` map (matched literally or after resolution against the base).
 */
import { SchemaParseError } from '../../errors';
import type { Draft } from '../types';

const DEFAULT_BASE = 'mem://input/';

type Json = unknown;

interface NodeInfo {
  /** Base URI in effect at this node (after its own `$id`). */
  base: string;
  /** The document (root) this node belongs to. */
  docRoot: Json;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function resolveUri(ref: string, base: string): string {
  try {
    return new URL(ref, base).href;
  } catch {
    return ref;
  }
}

function stripFragment(uri: string): [string, string | undefined] {
  const i = uri.indexOf('#');
  return i < 0 ? [uri, undefined] : [uri.slice(0, i), uri.slice(i + 1)];
}

function decodePointerToken(t: string): string {
  let s = t;
  try {
    s = decodeURIComponent(t);
  } catch {
    // keep as is: not percent-encoded
  }
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Every document of one side of the comparison, indexed for `$ref` lookups. */
export class DocumentSet {
  private readonly info = new Map<object, NodeInfo>();
  /** Absolute `$id` (without fragment) -> the resource node. */
  private readonly resources = new Map<string, Json>();
  /** Absolute base + '#' + anchor -> node. */
  private readonly anchors = new Map<string, Json>();
  /** Referenced documents with the URIs they answer to. */
  private readonly docs: Array<{ names: Set<string>; root: Json; base: string }> = [];
  private readonly rootBase: string;

  constructor(
    readonly root: Json,
    referenced: ReadonlyMap<string, unknown>,
    readonly draft: Draft,
  ) {
    const rootId = this.idOf(root);
    this.rootBase = rootId !== undefined ? resolveUri(stripFragment(rootId)[0], DEFAULT_BASE) : DEFAULT_BASE;
    this.index(root, DEFAULT_BASE, root);
    for (const [name, doc] of referenced) {
      const names = new Set<string>([name, name.replace(/^\.\//, ''), resolveUri(name, this.rootBase), resolveUri(name, DEFAULT_BASE)]);
      const own = this.idOf(doc);
      const base = own !== undefined ? resolveUri(stripFragment(own)[0], resolveUri(name, this.rootBase)) : resolveUri(name, this.rootBase);
      names.add(stripFragment(base)[0]);
      this.docs.push({ names, root: doc, base });
      this.index(doc, resolveUri(name, this.rootBase), doc);
    }
  }

  private idKeyword(): string {
    return this.draft === 'draft-04' ? 'id' : '$id';
  }

  private idOf(node: Json): string | undefined {
    if (!isObject(node)) return undefined;
    const id = node[this.idKeyword()];
    return typeof id === 'string' ? id : undefined;
  }

  /** Records base URI, document, `$id` resources and anchors of every object node (iterative). */
  private index(start: Json, startBase: string, docRoot: Json): void {
    const stack: Array<[Json, string]> = [[start, startBase]];
    for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
      const [node, parentBase] = top;
      if (Array.isArray(node)) {
        for (const v of node) if (v !== null && typeof v === 'object') stack.push([v, parentBase]);
        continue;
      }
      if (!isObject(node) || this.info.has(node)) continue;
      let base = parentBase;
      const id = this.idOf(node);
      if (id !== undefined) {
        const [uri, frag] = stripFragment(id);
        if (uri !== '') {
          base = resolveUri(uri, parentBase);
          if (!this.resources.has(base)) this.resources.set(base, node);
        }
        // draft-06/07 location-independent identifiers: `$id: "#name"`
        if (frag !== undefined && frag !== '' && !frag.startsWith('/')) this.anchors.set(`${base}#${frag}`, node);
      }
      const anchor = node.$anchor;
      if (typeof anchor === 'string') this.anchors.set(`${base}#${anchor}`, node);
      this.info.set(node, { base, docRoot });
      for (const [k, v] of Object.entries(node)) {
        // enum / const / default values are data, not schemas: never treat their objects as resources
        if (k === 'enum' || k === 'const' || k === 'default' || k === 'examples') continue;
        if (v !== null && typeof v === 'object') stack.push([v, base]);
      }
    }
  }

  /** The schema a `$ref` found in `from` points to. Throws SchemaParseError if it points nowhere. */
  resolve(ref: string, from: object): Json {
    const info = this.info.get(from) ?? { base: this.rootBase, docRoot: this.root };
    const [refUri, fragment] = stripFragment(ref);
    let resource: Json;
    let resourceBase = info.base;
    if (refUri === '') {
      resource = this.resources.get(stripFragment(info.base)[0]) ?? info.docRoot;
    } else {
      const abs = stripFragment(resolveUri(refUri, info.base))[0];
      resource = this.resources.get(abs);
      resourceBase = abs;
      if (resource === undefined) {
        const candidates = new Set([refUri, refUri.replace(/^\.\//, ''), abs, stripFragment(resolveUri(refUri, this.rootBase))[0]]);
        const doc = this.docs.find((d) => [...candidates].some((c) => d.names.has(c)));
        if (doc) {
          resource = doc.root;
          resourceBase = doc.base;
        }
      }
    }
    if (resource === undefined) throw new SchemaParseError(`Unresolvable $ref '${ref}' in JSON schema compatibility check`);
    if (fragment === undefined || fragment === '') return resource;
    if (fragment.startsWith('/')) return this.pointer(resource, fragment, ref);
    const anchored = this.anchors.get(`${stripFragment(resourceBase)[0]}#${fragment}`);
    if (anchored === undefined) throw new SchemaParseError(`Unresolvable $ref '${ref}' in JSON schema compatibility check`);
    return anchored;
  }

  private pointer(resource: Json, fragment: string, ref: string): Json {
    let cur: Json = resource;
    for (const raw of fragment.slice(1).split('/')) {
      const token = decodePointerToken(raw);
      if (Array.isArray(cur) && /^(0|[1-9][0-9]*)$/.test(token) && Number(token) < cur.length) {
        cur = cur[Number(token)];
      } else if (isObject(cur) && Object.prototype.hasOwnProperty.call(cur, token)) {
        cur = cur[token];
      } else {
        throw new SchemaParseError(`Unresolvable $ref '${ref}' in JSON schema compatibility check`);
      }
    }
    return cur;
  }
}
