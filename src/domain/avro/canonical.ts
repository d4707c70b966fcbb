/**
 * Schema.toString() of Avro Java 1.11 (Schema.toJson with a Names table), which is what Confluent
 * stores and returns as the schema text (AvroSchema.canonicalString()).
 * Key orders: record  type,name,namespace,doc,fields,<props>,aliases
 *             enum    type,name,namespace,doc,symbols,default,<props>,aliases
 *             fixed   type,name,namespace,doc,size,<props>,aliases
 *             field   name,type,doc,default,order,aliases,<props>
 *             array   type,items,<props>;  map type,values,<props>
 * A primitive without props prints as its bare name. A named type seen before (or known from a
 * reference) prints as its name, qualified only when outside the current default namespace.
 * "namespace" is written only when it differs from the enclosing one ("" when leaving one).
 */
import { quote, writeJson } from './json';
import { qualified } from './names';
import type { AvroSchema, NamedSchema, Props } from './types';

interface Ctx {
  /** Names already written (or known from references): full name -> node. */
  known: Map<string, AvroSchema>;
  /** Names.space(): the current default namespace. */
  space: string | null;
}

/**
 * Schema.toString(referencedSchemas, false): `known` are the schemas printed by name only.
 * Confluent passes the top-level schema of every resolved reference (AvroSchema.canonicalString).
 */
export function schemaToString(s: AvroSchema, known: readonly AvroSchema[] = []): string {
  const ctx: Ctx = { known: new Map(), space: null };
  for (const k of known) if (k.type === 'record' || k.type === 'enum' || k.type === 'fixed') ctx.known.set(k.full, k);
  return write(s, ctx);
}

function props(p: Props): string {
  let out = '';
  for (const [k, v] of p) out += ',' + quote(k) + ':' + writeJson(v);
  return out;
}

function nameRef(s: NamedSchema, ctx: Ctx): string | null {
  if (ctx.known.get(s.full) === s) return quote(qualified(s, ctx.space));
  ctx.known.set(s.full, s);
  return null;
}

/** Name.writeName: "name", then "namespace" if it differs from the default one. */
function nameAndSpace(s: NamedSchema, ctx: Ctx): string {
  let out = ',"name":' + quote(s.name);
  if (s.space !== null) {
    if (s.space !== ctx.space) out += ',"namespace":' + quote(s.space);
  } else if (ctx.space !== null) {
    out += ',"namespace":""';
  }
  return out;
}

function aliases(s: NamedSchema): string {
  if (s.aliases.length === 0) return '';
  return ',"aliases":[' + s.aliases.map((a) => quote(qualified(a, s.space))).join(',') + ']';
}

function write(s: AvroSchema, ctx: Ctx): string {
  switch (s.type) {
    case 'union':
      return '[' + s.types.map((t) => write(t, ctx)).join(',') + ']';
    case 'array':
      return '{"type":"array","items":' + write(s.items, ctx) + props(s.props) + '}';
    case 'map':
      return '{"type":"map","values":' + write(s.values, ctx) + props(s.props) + '}';
    case 'record': {
      const ref = nameRef(s, ctx);
      if (ref !== null) return ref;
      const saved = ctx.space;
      let out = '{"type":' + (s.isError ? '"error"' : '"record"') + nameAndSpace(s, ctx);
      ctx.space = s.space;
      if (s.doc !== null) out += ',"doc":' + quote(s.doc);
      if (s.fields !== null) {
        out += ',"fields":[';
        out += s.fields
          .map((f) => {
            let fo = '{"name":' + quote(f.name) + ',"type":' + write(f.type, ctx);
            if (f.doc !== null) fo += ',"doc":' + quote(f.doc);
            if (f.default !== undefined) fo += ',"default":' + writeJson(f.default);
            if (f.order !== 'ascending') fo += ',"order":' + quote(f.order);
            if (f.aliases.length > 0) fo += ',"aliases":[' + f.aliases.map(quote).join(',') + ']';
            return fo + props(f.props) + '}';
          })
          .join(',');
        out += ']';
      }
      out += props(s.props) + aliases(s) + '}';
      ctx.space = saved;
      return out;
    }
    case 'enum': {
      const ref = nameRef(s, ctx);
      if (ref !== null) return ref;
      let out = '{"type":"enum"' + nameAndSpace(s, ctx);
      if (s.doc !== null) out += ',"doc":' + quote(s.doc);
      out += ',"symbols":[' + s.symbols.map(quote).join(',') + ']';
      if (s.default !== null) out += ',"default":' + quote(s.default);
      return out + props(s.props) + aliases(s) + '}';
    }
    case 'fixed': {
      const ref = nameRef(s, ctx);
      if (ref !== null) return ref;
      let out = '{"type":"fixed"' + nameAndSpace(s, ctx);
      if (s.doc !== null) out += ',"doc":' + quote(s.doc);
      out += ',"size":' + String(s.size);
      return out + props(s.props) + aliases(s) + '}';
    }
    default:
      if (s.props.size === 0) return quote(s.type);
      return '{"type":' + quote(s.type) + props(s.props) + '}';
  }
}
