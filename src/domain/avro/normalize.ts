/**
 * Confluent's Avro normalization (AvroSchemaUtils.toNormalizedString, "adapted from
 * SchemaNormalization.java in Avro"). It prints a Parsing-Canonical-Form-like JSON that keeps
 * what Confluent keeps: full names, field order/doc/aliases/defaults, named-type doc (when not
 * empty), sorted aliases, enum default, logical-type attributes, and every other property with
 * keys sorted (recursively, via a TreeMap-backed ObjectNode). Referenced types print as their
 * quoted full name. AvroSchema.normalize() then re-parses that text and Confluent stores its
 * canonical string, which the caller does (see index.ts).
 *
 * Defaults go through Avro's JacksonUtils.toObject(default, fieldSchema) first, which coerces or
 * drops values: a union uses its first branch; an integral literal for a float/double field
 * becomes 1.0; a float field's value is rounded to a Java float; a value the schema type does
 * not expect (e.g. an integer beyond long) is dropped (the default disappears).
 */
import { JNum, compareJavaStrings, isArr, isNum, isObj, quote, writeJson, type JObj, type JVal } from './json';
import type { AvroSchema, Field, LogicalType, NamedSchema, Props } from './types';

export function toNormalizedString(s: AvroSchema, referenced: readonly AvroSchema[]): string {
  const env = new Map<string, string>();
  for (const r of referenced) {
    const full = r.type === 'record' || r.type === 'enum' || r.type === 'fixed' ? r.full : r.type;
    env.set(full, '"' + full + '"');
  }
  return build(env, s);
}

function build(env: Map<string, string>, s: AvroSchema): string {
  switch (s.type) {
    case 'union':
      return '[' + s.types.map((t) => build(env, t)).join(',') + ']';
    case 'array':
      return '{"type":"array","items":' + build(env, s.items) + simpleProps(s.props) + '}';
    case 'map':
      return '{"type":"map","values":' + build(env, s.values) + simpleProps(s.props) + '}';
    case 'record':
    case 'enum':
    case 'fixed': {
      const seen = env.get(s.full);
      if (seen !== undefined) return seen;
      const qname = '"' + s.full + '"';
      env.set(s.full, qname);
      let o = '{"name":' + qname + ',"type":"' + s.type + '"';
      if (s.type === 'enum') {
        o += ',"symbols":[' + s.symbols.map((x) => '"' + x + '"').join(',') + ']';
      } else if (s.type === 'fixed') {
        o += ',"size":' + String(s.size);
        if (s.logicalType) o += logicalProps(s.logicalType);
      } else {
        o +=
          ',"fields":[' + (s.fields ?? []).map((f) => '{"name":"' + f.name + '","type":' + build(env, f.type) + fieldProps(f) + '}').join(',') + ']';
      }
      return o + complexProps(s) + simpleProps(s.props) + '}';
    }
    default:
      if (s.logicalType) return '{"type":"' + s.type + '"' + logicalProps(s.logicalType) + simpleProps(s.props) + '}';
      if (s.props.size > 0) return '{"type":"' + s.type + '"' + simpleProps(s.props) + '}';
      return '"' + s.type + '"';
  }
}

function logicalProps(lt: LogicalType): string {
  let o = ',"logicalType":"' + lt.name + '"';
  if (lt.name === 'decimal') {
    o += ',"precision":' + String(lt.precision);
    if (lt.scale !== 0) o += ',"scale":' + String(lt.scale);
  }
  return o;
}

function simpleProps(p: Props): string {
  const keys = [...p.keys()].sort(compareJavaStrings);
  return keys.map((k) => ',"' + k + '":' + writeJson(p.get(k) as JVal, true)).join('');
}

const sortedStrings = (xs: readonly string[]): string[] => [...new Set(xs)].sort(compareJavaStrings);

function complexProps(s: NamedSchema): string {
  let o = '';
  if (s.doc !== null && s.doc !== '') o += ',"doc":' + quote(s.doc);
  if (s.aliases.length > 0)
    o +=
      ',"aliases":[' +
      sortedStrings(s.aliases.map((a) => a.full))
        .map(quote)
        .join(',') +
      ']';
  if (s.type === 'enum' && s.default !== null) o += ',"default":' + quote(s.default);
  return o;
}

function fieldProps(f: Field): string {
  let o = ',"order":"' + f.order.toUpperCase() + '"';
  if (f.doc !== null) o += ',"doc":' + quote(f.doc);
  if (f.aliases.length > 0) o += ',"aliases":[' + sortedStrings(f.aliases).map(quote).join(',') + ']';
  if (f.default !== undefined) {
    const v = toObject(f.default, f.type);
    if (v !== undefined) o += ',"default":' + writeJson(v, true);
  }
  return o + simpleProps(f.props);
}

/** Avro JacksonUtils.toObject(JsonNode, Schema) followed by toJsonNode; undefined = Java null. */
function toObject(v: JVal, schema: AvroSchema | null): JVal | undefined {
  if (schema !== null && schema.type === 'union') return toObject(v, schema.types[0]);
  const t = schema?.type ?? null;
  if (v === null || typeof v === 'boolean') return v;
  if (isNum(v)) {
    if (v.kind === 'int') {
      if (!v.fitsLong()) return undefined; // BigIntegerNode: no branch matches
      if (t === null || t === 'int' || t === 'long') return v;
      if (t === 'float') return new JNum(String(Math.fround(v.value)), 'float');
      if (t === 'double') return new JNum(String(v.value), 'double');
      return undefined;
    }
    if (t === null || t === 'double') return new JNum(v.raw, v.kind === 'float' ? 'float' : 'double');
    if (t === 'float') return new JNum(String(Math.fround(v.value)), 'float');
    return undefined;
  }
  if (typeof v === 'string') {
    if (t === null || t === 'string' || t === 'enum') return v;
    // String.getBytes(ISO_8859_1) then new String(bytes, ISO_8859_1): unmappable chars become '?'
    if (t === 'bytes' || t === 'fixed') return v.replace(/[^\u0000-\u00ff]/g, '?');
    return undefined;
  }
  if (isArr(v)) {
    const item = schema !== null && schema.type === 'array' ? schema.items : null;
    return v.map((e) => toObject(e, item) ?? null);
  }
  if (isObj(v)) {
    const out: JObj = new Map();
    for (const [k, val] of v) {
      let s: AvroSchema | null = null;
      if (schema !== null && schema.type === 'map') s = schema.values;
      else if (schema !== null && schema.type === 'record') s = schema.fields?.find((f) => f.name === k)?.type ?? null;
      out.set(k, toObject(val, s) ?? null);
    }
    return out;
  }
  return undefined;
}
