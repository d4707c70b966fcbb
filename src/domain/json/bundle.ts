/**
 * Inline a JSON Schema's referenced documents (Confluent `references`) under `$defs`, rewriting
 * every `$ref` so the result is one self-contained document: what LLM provider APIs need, since
 * they resolve no external references. Pure; the input is not mutated.
 * Work: one copy of each document (refs are rewritten, never followed), so it is linear in the
 * documents, which the parser already bounds (JSON_LIMITS: size, depth, number of documents).
 */
import { isPlainObject, setOwn } from './own-keys';

const DEFS = '$defs';

function keyFor(name: string, taken: Set<string>): string {
  const base = name.replace(/\.json$/i, '').replace(/[^A-Za-z0-9_.-]+/g, '_') || 'ref';
  let key = base;
  for (let i = 2; taken.has(key); i++) key = `${base}_${i}`;
  taken.add(key);
  return key;
}

/** Rewrite refs in `doc`: local ones move under `prefix`, external ones to their inlined copy. */
function rewrite(doc: unknown, prefix: string, keys: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(doc)) return doc.map((d) => rewrite(d, prefix, keys));
  if (!isPlainObject(doc)) return doc;
  // keys are the client's (property and definition names): setOwn keeps "__proto__" an own key
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k === '$ref' && typeof v === 'string') {
      const hash = v.indexOf('#');
      const base = hash < 0 ? v : v.slice(0, hash);
      const fragment = hash < 0 ? '' : v.slice(hash + 1);
      const target = keys.get(base);
      if (target !== undefined) out[k] = `#/${DEFS}/${target}${fragment}`;
      else if (base === '' && fragment.startsWith('/')) out[k] = `#${prefix}${fragment}`;
      else out[k] = v;
    } else {
      setOwn(out, k, rewrite(v, prefix, keys));
    }
  }
  return out;
}

export function bundleReferences(root: unknown, referenced: ReadonlyMap<string, unknown>): unknown {
  if (referenced.size === 0 || !isPlainObject(root)) return root;
  const taken = new Set(Object.keys(isPlainObject(root[DEFS]) ? root[DEFS] : {}));
  const inlined = [...referenced].map(([name, doc]) => ({ name, doc, key: keyFor(name, taken) }));
  const keys = new Map(inlined.map(({ name, key }) => [name, key] as const));
  const bundled = rewrite(root, '', keys) as Record<string, unknown>;
  const defs: Record<string, unknown> = { ...(isPlainObject(bundled[DEFS]) ? bundled[DEFS] : {}) };
  for (const { doc, key } of inlined) {
    const copy = rewrite(doc, `/${DEFS}/${key}`, keys);
    // a reference named "__proto__.json" gets the key "__proto__"
    setOwn(defs, key, isPlainObject(copy) ? (({ $schema: _s, $id: _i, ...rest }) => rest)(copy) : copy);
  }
  return { ...bundled, [DEFS]: defs };
}
