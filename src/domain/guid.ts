/**
 * Confluent's schema guid (8.x): the MD5 of a schema's content, written as a UUID. The bytes are
 * fed exactly as `Schema.updateHash` does (client/.../rest/entities/Schema.java, SchemaReference,
 * Metadata, RuleSet, Rule; v8.1.x): the schema text; each reference's name, subject and version
 * (a big-endian int32); then, when present, a 1 byte and the metadata (tags, properties,
 * sensitive); then, when present, a 1 byte and the rule set (migration, domain and encoding
 * rules, enableAt). Maps and sets are walked in Java's sorted order (TreeMap/TreeSet compare
 * UTF-16 code units, as JavaScript's default sort does). `schemaType` is not part of it.
 *
 * The same content therefore has the same guid here and on Confluent, in every context: a message
 * serialized with a guid header by Confluent's serializers resolves here after `lsr migrate`.
 */
import { toHex } from './hex';
import type { SchemaReference } from './format';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const sortedKeys = (v: unknown): string[] => (isObject(v) ? Object.keys(v).sort() : []);
/** Java's TreeSet: sorted, duplicates once. */
const sortedSet = (v: unknown): string[] => [...new Set(strings(v))].sort();

class Bytes {
  private readonly parts: Uint8Array[] = [];
  private readonly encoder = new TextEncoder();
  text(s: unknown): void {
    if (typeof s === 'string') this.parts.push(this.encoder.encode(s));
  }
  byte(b: number): void {
    this.parts.push(Uint8Array.of(b));
  }
  int32(n: number): void {
    const out = new Uint8Array(4);
    new DataView(out.buffer).setInt32(0, n, false);
    this.parts.push(out);
  }
  concat(): Uint8Array {
    const out = new Uint8Array(this.parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

function metadata(b: Bytes, m: unknown): void {
  if (!isObject(m)) return;
  for (const key of sortedKeys(m.tags)) {
    b.text(key);
    for (const tag of sortedSet((m.tags as Json)[key])) b.text(tag);
  }
  for (const key of sortedKeys(m.properties)) {
    b.text(key);
    b.text((m.properties as Json)[key]);
  }
  for (const s of sortedSet(m.sensitive)) b.text(s);
}

function rule(b: Bytes, r: unknown): void {
  if (!isObject(r)) return;
  b.text(r.name);
  b.text(r.doc);
  // Rule's constructor defaults an absent kind to TRANSFORM and an absent mode to WRITEREAD.
  b.text(typeof r.kind === 'string' ? r.kind : 'TRANSFORM');
  b.text(typeof r.mode === 'string' ? r.mode : 'WRITEREAD');
  b.text(r.type);
  for (const tag of sortedSet(r.tags)) b.text(tag);
  for (const key of sortedKeys(r.params)) {
    b.text(key);
    b.text((r.params as Json)[key]);
  }
  b.text(r.expr);
  b.text(r.onSuccess);
  b.text(r.onFailure);
  if (r.disabled === true) b.byte(1);
}

function ruleSet(b: Bytes, rs: unknown): void {
  if (!isObject(rs)) return;
  for (const list of [rs.migrationRules, rs.domainRules, rs.encodingRules]) {
    if (Array.isArray(list)) for (const r of list) rule(b, r);
  }
  b.text(rs.enableAt);
}

/** The bytes Confluent's `Schema.updateHash` digests for this content. */
export function guidInput(schema: string, references: readonly SchemaReference[], meta?: unknown, rules?: unknown): Uint8Array {
  const b = new Bytes();
  b.text(schema);
  for (const r of references) {
    b.text(r.name);
    b.text(r.subject);
    b.int32(r.version);
  }
  if (meta !== undefined && meta !== null) {
    b.byte(1); // "to distinguish from null"
    metadata(b, meta);
  }
  if (rules !== undefined && rules !== null) {
    b.byte(1);
    ruleSet(b, rules);
  }
  return b.concat();
}

/** Java's `new UUID(high, low).toString()` of a 16-byte digest: its hex, grouped 8-4-4-4-12. */
export function uuidOf(digest: Uint8Array): string {
  const hex = toHex(digest);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
