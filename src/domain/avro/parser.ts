/**
 * Avro schema parser following Avro Java 1.11 Schema.parse(JsonNode, Names) step by step, so that
 * what is accepted, what is rejected and the rejection messages match what Confluent Schema
 * Registry (which runs Avro Java) answers. Messages are Avro's exception messages.
 * See https://avro.apache.org/docs/1.11.1/specification/ and lang/java/avro/.../Schema.java.
 *
 * Bounded work: JSON nesting depth and the number of schema nodes are capped; recursion in the
 * parser follows JSON nesting, so it cannot exceed the depth cap.
 */
import { schemaToString } from './canonical';
import { isValidDefault } from './defaults';
import { AvroError } from './errors';
import { AVRO_LIMITS } from './limits';
import { JNum, isArr, isObj, parseJson, textValue, writeJson, JsonSyntaxError, type JObj, type JVal } from './json';
import { parseJavaDouble } from './java-number';
import { resolveLogicalType } from './logical';
import { makeName, validateName } from './names';
import {
  PRIMITIVES,
  javaTypeName,
  fullNameOf,
  type AvroName,
  type AvroSchema,
  type EnumSchema,
  type Field,
  type FieldOrder,
  type FixedSchema,
  type NamedSchema,
  type PrimitiveName,
  type PrimitiveSchema,
  type Props,
  type RecordSchema,
} from './types';

export interface ParseLimits {
  /** Max JSON nesting depth of one schema text. */
  maxDepth: number;
  /** Max schema nodes created across the main schema and its references. */
  maxNodes: number;
}

export const DEFAULT_LIMITS: ParseLimits = { maxDepth: AVRO_LIMITS.maxDepth, maxNodes: AVRO_LIMITS.maxNodes };

const SCHEMA_RESERVED = new Set(['doc', 'fields', 'items', 'name', 'namespace', 'size', 'symbols', 'values', 'type', 'aliases']);
const ENUM_RESERVED = new Set([...SCHEMA_RESERVED, 'default']);
const FIELD_RESERVED = new Set(['default', 'doc', 'name', 'order', 'type', 'aliases']);
/** A Map: looked up with the schema's "order" text. */
const ORDERS = new Map<string, FieldOrder>([
  ['ASCENDING', 'ascending'],
  ['DESCENDING', 'descending'],
  ['IGNORE', 'ignore'],
]);

/** The props of a node that has none, shared: props are read-only once parsed (Props is a ReadonlyMap). */
const NO_PROPS: Props = new Map();

/** Parser state shared by the referenced schemas and the main one (Schema.Parser's Names). */
export class ParseContext {
  readonly names = new Map<string, NamedSchema>();
  /** Names.space(): the default namespace while parsing. */
  space: string | null = null;
  nodes = 0;
  constructor(
    readonly validateDefaults: boolean,
    readonly limits: ParseLimits = DEFAULT_LIMITS,
  ) {}

  count(): void {
    if (++this.nodes > this.limits.maxNodes) {
      throw new AvroError(`Schema is too large: more than ${this.limits.maxNodes} types`);
    }
  }

  /** Names.get(String): primitives are fresh nodes; else try the default namespace, then none. */
  lookup(o: string): AvroSchema | null {
    if (PRIMITIVES.has(o)) return this.primitive(o as PrimitiveName);
    let n = makeName(o, this.space);
    if (!this.names.has(n.full)) n = makeName(o, '');
    return this.names.get(n.full) ?? null;
  }

  /** Whether lookup(o) finds a type, without creating (and counting) the node it would return. */
  defines(o: string): boolean {
    return PRIMITIVES.has(o) || this.names.has(makeName(o, this.space).full) || this.names.has(makeName(o, '').full);
  }

  primitive(type: PrimitiveName): PrimitiveSchema {
    this.count();
    return { type, props: NO_PROPS, logicalType: null };
  }

  /** Names.add / Names.put (Avro 1.11): a name can be defined once per parser. */
  define(s: NamedSchema): void {
    if (this.names.has(s.full)) throw new AvroError(`Can't redefine: ${s.full}`);
    this.names.set(s.full, s);
  }
}

/** Schema.Parser.parse(String) against a shared context. */
export function parseSchemaText(text: string, ctx: ParseContext): AvroSchema {
  let parsed: { value: JVal | undefined; trailing: string };
  try {
    parsed = parseJson(text, { maxDepth: ctx.limits.maxDepth });
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      throw new AvroError(`com.fasterxml.jackson.core.JsonParseException: ${e.message}`);
    }
    throw e;
  }
  if (parsed.value === undefined) throw new AvroError('Cannot parse <null> schema');
  // Avro 1.12 rejects trailing content; 1.11 silently ignored it. Rejecting is the safer choice.
  if (parsed.trailing !== '') {
    throw new AvroError(`dangling content after end of schema: ${parsed.trailing.slice(0, 200)}`);
  }
  ctx.space = null;
  return parseNode(parsed.value, ctx);
}

const get = (node: JVal, key: string): JVal | undefined => (isObj(node) ? node.get(key) : undefined);
const optionalText = (node: JVal, key: string): string | null => textValue(get(node, key));

function requiredText(node: JVal, key: string, error: string): string {
  const out = optionalText(node, key);
  if (out === null) throw new AvroError(`${error}: ${writeJson(node)}`);
  return out;
}

function parseAliases(node: JVal): string[] | null {
  const aliasesNode = get(node, 'aliases');
  if (aliasesNode === undefined) return null;
  if (!isArr(aliasesNode)) throw new AvroError(`aliases not an array: ${writeJson(node)}`);
  const out: string[] = [];
  for (const a of aliasesNode) {
    if (typeof a !== 'string') throw new AvroError(`alias not a string: ${writeJson(a)}`);
    if (!out.includes(a)) out.push(a); // LinkedHashSet
  }
  return out;
}

function props(node: JObj, reserved: ReadonlySet<string>): Props {
  let p: Map<string, JVal> | undefined;
  for (const [k, v] of node) if (!reserved.has(k)) (p ??= new Map()).set(k, v);
  return p ?? NO_PROPS;
}

function checkNotPrimitiveName(name: AvroName): void {
  // NamedSchema constructor
  if (PRIMITIVES.has(name.full)) throw new AvroError(`Schemas may not be named after primitives: ${name.full}`);
}

function parseNode(node: JVal, ctx: ParseContext): AvroSchema {
  if (typeof node === 'string') {
    const result = ctx.lookup(node);
    if (result === null) throw new AvroError(`Undefined name: ${writeJson(node)}`);
    return result;
  }
  if (isArr(node)) return parseUnion(node, ctx);
  if (!isObj(node)) throw new AvroError(`Schema not yet supported: ${writeJson(node)}`);

  const type = requiredText(node, 'type', 'No type');
  const savedSpace = ctx.space;
  let name: AvroName | null = null;
  let doc: string | null = null;
  const isNamedType = type === 'record' || type === 'error' || type === 'enum' || type === 'fixed';
  if (isNamedType) {
    const space = optionalText(node, 'namespace') ?? ctx.space;
    doc = optionalText(node, 'doc');
    name = makeName(requiredText(node, 'name', 'No name in schema'), space);
    ctx.space = name.space;
  }

  let result: AvroSchema;
  if (PRIMITIVES.has(type)) {
    result = ctx.primitive(type as PrimitiveName);
    result.props = props(node, SCHEMA_RESERVED);
  } else if (type === 'record' || type === 'error') {
    result = parseRecord(node, name as AvroName, doc, type === 'error', ctx);
  } else if (type === 'enum') {
    result = parseEnum(node, name as AvroName, doc, ctx);
  } else if (type === 'array') {
    const items = node.get('items');
    if (items === undefined) throw new AvroError(`Array has no items type: ${writeJson(node)}`);
    ctx.count();
    result = { type: 'array', items: parseNode(items, ctx), props: props(node, SCHEMA_RESERVED), logicalType: null };
  } else if (type === 'map') {
    const values = node.get('values');
    if (values === undefined) throw new AvroError(`Map has no values type: ${writeJson(node)}`);
    ctx.count();
    result = { type: 'map', values: parseNode(values, ctx), props: props(node, SCHEMA_RESERVED), logicalType: null };
  } else if (type === 'fixed') {
    result = parseFixed(node, name as AvroName, doc, ctx);
  } else {
    // {"type": "SomeName"}: a reference to a named type in the current namespace only
    const n = makeName(type, ctx.space);
    const found = ctx.names.get(n.full);
    if (found !== undefined) return found;
    throw new AvroError(`Type not supported: ${type}`);
  }

  result.logicalType = resolveLogicalType(result.type, result.props, result.type === 'fixed' ? result.size : undefined);
  ctx.space = savedSpace;
  if (result.type === 'record' || result.type === 'enum' || result.type === 'fixed') {
    const aliases = parseAliases(node);
    if (aliases !== null) {
      for (const a of aliases) {
        const n = makeName(a, result.space);
        if (!result.aliases.some((x) => x.full === n.full)) result.aliases.push(n);
      }
    }
  }
  return result;
}

function namedBase(name: AvroName, doc: string | null) {
  return { name: name.name, space: name.space, full: name.full, doc, aliases: [] as AvroName[], props: NO_PROPS, logicalType: null };
}

function parseRecord(node: JObj, name: AvroName, doc: string | null, isError: boolean, ctx: ParseContext): RecordSchema {
  checkNotPrimitiveName(name);
  ctx.count();
  const result: RecordSchema = { type: 'record', ...namedBase(name, doc), isError, fields: null };
  ctx.define(result);
  const fieldsNode = node.get('fields');
  if (!isArr(fieldsNode)) throw new AvroError(`Record has no fields: ${writeJson(node)}`);
  const fields: Field[] = [];
  for (const field of fieldsNode) fields.push(parseField(field, ctx));
  // Schema.setFields: positions and duplicate names
  const seen = new Map<string, Field>();
  fields.forEach((f, i) => {
    f.pos = i;
    const existing = seen.get(f.name);
    if (existing !== undefined) {
      throw new AvroError(`Duplicate field ${f.name} in record ${name.full}: ${fieldToString(f)} and ${fieldToString(existing)}.`);
    }
    seen.set(f.name, f);
  });
  result.fields = fields;
  result.props = props(node, SCHEMA_RESERVED);
  return result;
}

/** Schema.Field.toString(). */
function fieldToString(f: Field): string {
  return `${f.name} type:${javaTypeName(f.type)} pos:${f.pos}`;
}

function parseField(field: JVal, ctx: ParseContext): Field {
  const fieldName = requiredText(field, 'name', 'No field name');
  const fieldDoc = optionalText(field, 'doc');
  const typeNode = get(field, 'type');
  if (typeNode === undefined) throw new AvroError(`No field type: ${writeJson(field)}`);
  if (typeof typeNode === 'string' && !ctx.defines(typeNode)) {
    throw new AvroError(
      `${writeJson(typeNode)} is not a defined name. The type of the "${fieldName}" field must be a defined name or a {"type": ...} expression.`,
    );
  }
  const fieldSchema = parseNode(typeNode, ctx);

  let order: FieldOrder = 'ascending';
  const orderNode = get(field, 'order');
  if (orderNode !== undefined) {
    const text = textValue(orderNode);
    // Java: Field.Order.valueOf(orderNode.textValue().toUpperCase()) -> NPE / IllegalArgumentException
    if (text === null) throw new AvroError(`Field order is not a string: ${writeJson(orderNode)}`);
    const o = ORDERS.get(text.toUpperCase());
    if (o === undefined) throw new AvroError(`No enum constant org.apache.avro.Schema.Field.Order.${text.toUpperCase()}`);
    order = o;
  }

  let defaultValue = get(field, 'default');
  if (defaultValue !== undefined && (fieldSchema.type === 'float' || fieldSchema.type === 'double') && typeof defaultValue === 'string') {
    let v: number;
    try {
      v = parseJavaDouble(defaultValue);
    } catch (e) {
      throw new AvroError((e as Error).message);
    }
    defaultValue = new JNum(String(v), 'double');
  }

  // Field constructor: name validation, then default validation
  validateName(fieldName);
  if (ctx.validateDefaults && defaultValue !== undefined && !isValidDefault(fieldSchema, defaultValue)) {
    throw new AvroError(`Invalid default for field ${fieldName}: ${writeJson(defaultValue)} not a ${schemaToString(fieldSchema)}`);
  }
  const f: Field = {
    name: fieldName,
    type: fieldSchema,
    doc: fieldDoc,
    default: defaultValue,
    order,
    aliases: [],
    props: isObj(field) ? props(field, FIELD_RESERVED) : new Map<string, JVal>(),
    pos: -1,
  };
  f.aliases = parseAliases(field) ?? [];
  return f;
}

function parseEnum(node: JObj, name: AvroName, doc: string | null, ctx: ParseContext): EnumSchema {
  const symbolsNode = node.get('symbols');
  if (!isArr(symbolsNode)) throw new AvroError(`Enum has no symbols: ${writeJson(node)}`);
  const symbols = symbolsNode.map((n) => textValue(n));
  const def = textValue(node.get('default'));
  checkNotPrimitiveName(name);
  const seen = new Set<string>();
  for (const s of symbols) {
    validateName(s);
    if (seen.has(s as string)) throw new AvroError(`Duplicate enum symbol: ${s}`);
    seen.add(s as string);
  }
  const valid = symbols as string[];
  if (def !== null && !seen.has(def)) {
    throw new AvroError(`The Enum Default: ${def} is not in the enum symbol set: [${valid.join(', ')}]`);
  }
  ctx.count();
  const result: EnumSchema = { type: 'enum', ...namedBase(name, doc), symbols: valid, default: def };
  ctx.define(result);
  result.props = props(node, ENUM_RESERVED);
  return result;
}

function parseFixed(node: JObj, name: AvroName, doc: string | null, ctx: ParseContext): FixedSchema {
  const sizeNode = node.get('size');
  if (!(sizeNode instanceof JNum) || !sizeNode.fitsInt()) throw new AvroError(`Invalid or no size: ${writeJson(node)}`);
  const size = Number(sizeNode.raw);
  checkNotPrimitiveName(name);
  if (size < 0) throw new AvroError(`Invalid fixed size: ${size}`);
  ctx.count();
  const result: FixedSchema = { type: 'fixed', ...namedBase(name, doc), size };
  ctx.define(result);
  result.props = props(node, SCHEMA_RESERVED);
  return result;
}

function parseUnion(node: JVal[], ctx: ParseContext): AvroSchema {
  const types = node.map((t) => parseNode(t, ctx));
  ctx.count();
  const union: AvroSchema = { type: 'union', types };
  // UnionSchema constructor
  const seen = new Set<string>();
  for (const t of types) {
    if (t.type === 'union') throw new AvroError(`Nested union: ${schemaToString(union)}`);
    const n = fullNameOf(t);
    if (seen.has(n)) throw new AvroError(`Duplicate in union:${n}`);
    seen.add(n);
  }
  return union;
}
