import type { OptionElement, OptionMapValue } from './ast';
import { ENUM_OPTIONS, ENUM_VALUE_OPTIONS, FIELD_OPTIONS, FILE_OPTIONS, MESSAGE_OPTIONS, type KnownOption } from './descriptor-options';
import { type WireMessage, WireWriter } from './descriptor-wire';

/**
 * Confluent's own custom options (confluent/meta.proto): `(confluent.file_meta)`,
 * `(confluent.message_meta)`, `(confluent.field_meta)`, `(confluent.enum_meta)`,
 * `(confluent.enum_value_meta)`, all extension 1088 of type `confluent.Meta { string doc = 1;
 * map<string, string> params = 2; repeated string tags = 3; }`. They carry data-contract tags and
 * docs that Confluent's serializers read from descriptors, so unlike other custom options they
 * are encoded and decoded, the way ProtobufSchema does (findMeta / toOption).
 */

export const META_EXTENSION = 1088;

export type MetaName =
  'confluent.file_meta' | 'confluent.message_meta' | 'confluent.field_meta' | 'confluent.enum_meta' | 'confluent.enum_value_meta';

/** Which Meta option each options message carries. */
export function metaNameOf(known: readonly KnownOption[]): MetaName | null {
  if (known === FILE_OPTIONS) return 'confluent.file_meta';
  if (known === MESSAGE_OPTIONS) return 'confluent.message_meta';
  if (known === FIELD_OPTIONS) return 'confluent.field_meta';
  if (known === ENUM_OPTIONS) return 'confluent.enum_meta';
  if (known === ENUM_VALUE_OPTIONS) return 'confluent.enum_value_meta';
  return null;
}

interface Meta {
  doc: string | null;
  params: [string, string][];
  tags: string[];
}

const prim = (v: OptionMapValue | undefined): string | null => (v && v.type === 'prim' ? v.value : null);
const items = (v: OptionMapValue): OptionMapValue[] => (v.type === 'list' ? v.items : [v]);

/** Merges every `(name)` / `(name).field` option into one Meta (Confluent's mergeOptions). */
export function collectMeta(options: OptionElement[], name: MetaName): Meta | null {
  const meta: Meta = { doc: null, params: [], tags: [] };
  let found = false;
  const put = (key: string, v: OptionMapValue): void => {
    if (key === 'doc') meta.doc = prim(v) ?? meta.doc;
    else if (key === 'tags') for (const t of items(v)) meta.tags.push(prim(t) ?? '');
    else if (key === 'params') {
      for (const p of items(v)) {
        if (p.type !== 'map') continue;
        const get = (k: string): string => prim(p.entries.find(([x]) => x === k)?.[1]) ?? '';
        meta.params.push([get('key'), get('value')]);
      }
    }
  };
  for (const o of options) {
    if (!o.parenthesized || o.name.replace(/^\./, '') !== name) continue;
    found = true;
    if (o.kind === 'MAP' && typeof o.value === 'object' && 'type' in o.value && o.value.type === 'map') {
      for (const [k, v] of o.value.entries) put(k, v);
    } else if (o.kind === 'OPTION' && typeof o.value === 'object' && 'name' in o.value) {
      const sub = o.value;
      if (typeof sub.value === 'string') put(sub.name, { type: 'prim', kind: sub.kind === 'STRING' ? 'STRING' : 'ENUM', value: sub.value });
      else if (!('name' in sub.value)) put(sub.name, sub.value);
    }
  }
  return found ? meta : null;
}

/** Writes the Meta option (field 1088) into an options message, if the element has one. */
export function encodeMeta(w: WireWriter, options: OptionElement[], name: MetaName | null): void {
  if (name === null) return;
  const meta = collectMeta(options, name);
  if (!meta) return;
  const m = new WireWriter();
  if (meta.doc !== null) m.string(1, meta.doc);
  for (const [k, v] of meta.params) m.message(2, new WireWriter().string(1, k).string(2, v));
  for (const t of meta.tags) m.string(3, t);
  w.message(META_EXTENSION, m);
}

/** Confluent's toOption(name, Meta): a MAP option with doc, params ([{key, value}]) and tags. */
export function decodeMeta(options: WireMessage, name: MetaName | null): OptionElement | null {
  if (name === null || !options.has(META_EXTENSION)) return null;
  const m = options.message(META_EXTENSION, 'confluent.Meta');
  if (!m) return null;
  const str = (value: string): OptionMapValue => ({ type: 'prim', kind: 'STRING', value });
  const entries: [string, OptionMapValue][] = [];
  const doc = m.string(1);
  if (doc) entries.push(['doc', str(doc)]);
  // A map field: the last entry for a key wins; Confluent emits value first for precision/scale.
  const params = new Map<string, string>();
  for (const e of m.messages(2, 'confluent.Meta.ParamsEntry')) params.set(e.string(1) ?? '', e.string(2) ?? '');
  if (params.size > 0) {
    const list = [...params].map(([k, v]): OptionMapValue => ({
      type: 'map',
      entries:
        k === 'precision' || k === 'scale'
          ? [
              ['value', str(v)],
              ['key', str(k)],
            ]
          : [
              ['key', str(k)],
              ['value', str(v)],
            ],
    }));
    entries.push(['params', { type: 'list', items: list }]);
  }
  const tags = m.strings(3);
  if (tags.length > 0) entries.push(['tags', { type: 'list', items: tags.map(str) }]);
  return entries.length > 0 ? { name, kind: 'MAP', value: { type: 'map', entries }, parenthesized: true } : null;
}
