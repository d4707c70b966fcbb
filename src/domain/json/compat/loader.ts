/**
 * JSON -> diff model, the way Confluent's two loaders shape it.
 *
 * draft-04/06/07 (everit SchemaLoader.loadSchemaObject): `$ref` wins and its siblings are ignored;
 * otherwise extractors run in order (enum, allOf/anyOf/oneOf, not, const [not draft-04], type,
 * then keyword "sniffing" on the keys nobody consumed: array, object, number, string keywords and
 * draft-07 if/then/else); no result = EmptySchema, one = itself, several = a synthetic allOf.
 * `type: [..]` is an anyOf of one schema per type.
 *
 * 2019-09/2020-12 (json-sKema + Confluent's SchemaTranslator): every keyword becomes a piece;
 * pieces of one kind merge (all string keywords into one StringSchema, ...), keywords of a type
 * listed in a `type` array merge into that branch, anything else joins a generated allOf. `$ref`
 * is an ordinary keyword there (siblings count). Keywords that produce nothing (`format`,
 * annotations, empty `properties`) leave an EmptySchema. `prefixItems` is the tuple, `items` then
 * the additional items; `dependentRequired` / `dependentSchemas` are the dependencies.
 */
import type { Draft } from '../types';
import { canonicalJson } from './canonical';
import type { ArrayModel, CombinedModel, Criterion, Json, Key, Meta, Model, ModelSide, NumberModel, ObjectModel, StringModel } from './model';
import { DocumentSet } from './refs';
import { SchemaParseError } from '../../errors';

/**
 * A model's duplicate key, made when first asked: only a combined schema's subschemas are compared
 * by it (diff-combined.ts), and the canonical JSON of every node, each made again at every level
 * above it, was a third of a JSON Schema check's time.
 */
function once(make: () => string): Key {
  let key: string | undefined;
  return () => (key ??= make());
}

const NUMBER_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'];
const STRING_KEYWORDS_7 = ['minLength', 'maxLength', 'pattern', 'format'];
const OBJECT_KEYWORDS_4 = ['properties', 'required', 'minProperties', 'maxProperties', 'dependencies', 'patternProperties', 'additionalProperties'];
const OBJECT_KEYWORDS_6 = [...OBJECT_KEYWORDS_4, 'propertyNames'];
const ARRAY_KEYWORDS_4 = ['items', 'additionalItems', 'minItems', 'maxItems', 'uniqueItems'];
const ARRAY_KEYWORDS_6 = [...ARRAY_KEYWORDS_4, 'contains'];
const COMBINERS: Criterion[] = ['allOf', 'anyOf', 'oneOf'];

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
function int(v: unknown): number | undefined {
  const n = num(v);
  return n === undefined ? undefined : Math.trunc(n);
}
function has(o: Obj, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

/** One side (original or update) of a comparison: its documents, draft and model cache. */
export class Side implements ModelSide {
  readonly docs: DocumentSet;
  private readonly cache = new Map<object, Model>();
  private readonly derefCache = new Map<Model, Model>();
  private readonly trueModel: Model;
  private readonly falseModel: Model;
  readonly modern: boolean;

  constructor(
    root: Json,
    referenced: ReadonlyMap<string, unknown>,
    readonly draft: Draft,
  ) {
    this.docs = new DocumentSet(root, referenced, draft);
    this.modern = draft === '2019-09' || draft === '2020-12';
    this.trueModel = { kind: 'empty', side: this, meta: { hasDefault: false }, dupKey: () => 'true' };
    this.falseModel = { kind: 'false', side: this, meta: { hasDefault: false }, dupKey: () => 'false' };
  }

  /** The model of a schema node (boolean or object), cached by identity. */
  load(node: Json): Model {
    if (node === true || node === undefined) return this.trueModel;
    if (node === false) return this.falseModel;
    if (!isObject(node)) return this.trueModel;
    let m = this.cache.get(node);
    if (!m) {
      m = this.modern ? this.loadModern(node) : this.loadClassic(node);
      this.cache.set(node, m);
    }
    return m;
  }

  /** Follows `$ref`s to the referred schema (SchemaDiff.normalizeSchema), through chains. */
  deref(m: Model): Model {
    if (m.kind !== 'ref') return m;
    const hit = this.derefCache.get(m);
    if (hit) return hit;
    const seen = new Set<Model>();
    let cur: Model = m;
    while (cur.kind === 'ref') {
      if (seen.has(cur) || seen.size > 1000) {
        throw new SchemaParseError(`Circular $ref '${m.ref}' with no schema in between`);
      }
      seen.add(cur);
      cur = this.load(this.docs.resolve(cur.ref, cur.from));
    }
    this.derefCache.set(m, cur);
    return cur;
  }

  private meta(o: Obj): Meta {
    const m: Meta = { hasDefault: has(o, 'default') };
    // everit's id keyword: `id` in draft-04, `$id` in draft-06/07. 2019-09/2020-12 schemas reach
    // SchemaDiff through json-sKema and Confluent's SchemaTranslator, which carries no identifier
    // over, so a changed `$id` is never an ID_CHANGED there (Confluent's
    // diff-schema-examples-2020-12.json, "Detect changes to id": no changes).
    if (this.draft !== '2019-09' && this.draft !== '2020-12') {
      const idKey = this.draft === 'draft-04' ? 'id' : '$id';
      if (typeof o[idKey] === 'string') m.id = o[idKey];
    }
    if (typeof o.title === 'string') m.title = o.title;
    if (typeof o.description === 'string') m.description = o.description;
    if (m.hasDefault) m.defaultKey = canonicalJson(o.default);
    if (typeof o['connect.type'] === 'string') m.connectType = o['connect.type'];
    return m;
  }

  private base(o: Obj, dupKey: Key, meta?: Meta) {
    return { side: this, meta: meta ?? { hasDefault: false }, dupKey };
  }

  private combined(criterion: Criterion, subs: Model[], dupKey: Key, meta?: Meta): CombinedModel {
    return { kind: 'combined', criterion, subs, ...this.base({}, dupKey, meta) };
  }

  // ---- draft-04 / 06 / 07: everit -------------------------------------------------------------

  private loadClassic(o: Obj): Model {
    const meta = this.meta(o);
    const dupKey = once(() => canonicalJson(o));
    if (typeof o.$ref === 'string') {
      return { kind: 'ref', ref: o.$ref, from: o, ...this.base(o, dupKey, meta) };
    }
    const v4 = this.draft === 'draft-04';
    const objectKeywords = v4 ? OBJECT_KEYWORDS_4 : OBJECT_KEYWORDS_6;
    const arrayKeywords = v4 ? ARRAY_KEYWORDS_4 : ARRAY_KEYWORDS_6;
    const consumed = new Set<string>();
    const pieces: Model[] = [];
    const pieceKey = (k: string): Key => once(() => `${dupKey()}#${k}`);

    if (Array.isArray(o.enum)) {
      consumed.add('enum');
      pieces.push({ kind: 'enum', values: o.enum.map(canonicalJson), ...this.base(o, pieceKey('enum')) });
    }
    for (const c of COMBINERS) {
      if (Array.isArray(o[c])) {
        consumed.add(c);
        pieces.push(
          this.combined(
            c,
            (o[c] as Json[]).map((s) => this.load(s)),
            pieceKey(c),
          ),
        );
      }
    }
    if (has(o, 'not')) {
      consumed.add('not');
      pieces.push({ kind: 'not', mustNotMatch: o.not, ...this.base(o, pieceKey('not')) });
    }
    if (!v4 && has(o, 'const')) {
      consumed.add('const');
      pieces.push({ kind: 'const', value: canonicalJson(o.const), ...this.base(o, pieceKey('const')) });
    }
    const typed = (t: unknown, key: Key): Model => {
      switch (t) {
        case 'string':
          STRING_KEYWORDS_7.forEach((k) => consumed.add(k));
          return this.stringModel(o, key);
        case 'integer':
        case 'number':
          NUMBER_KEYWORDS.forEach((k) => consumed.add(k));
          return this.numberModel(o, t === 'integer', key);
        case 'boolean':
          return { kind: 'boolean', ...this.base(o, key) };
        case 'null':
          return { kind: 'null', ...this.base(o, key) };
        case 'array':
          arrayKeywords.forEach((k) => consumed.add(k));
          return this.classicArray(o, key);
        case 'object':
          objectKeywords.forEach((k) => consumed.add(k));
          return this.classicObject(o, key);
        default:
          return { kind: 'empty', ...this.base(o, key) };
      }
    };
    if (typeof o.type === 'string') {
      consumed.add('type');
      pieces.push(typed(o.type, pieceKey(`type:${o.type}`)));
    } else if (Array.isArray(o.type)) {
      consumed.add('type');
      const subs = o.type.map((t) => typed(t, pieceKey(`type:${String(t)}`)));
      pieces.push(this.combined('anyOf', subs, pieceKey('type')));
    }
    const present = (keys: string[]) => keys.some((k) => has(o, k) && !consumed.has(k));
    if (present(arrayKeywords)) {
      arrayKeywords.forEach((k) => consumed.add(k));
      pieces.push(this.classicArray(o, pieceKey('array')));
    }
    if (present(objectKeywords)) {
      objectKeywords.forEach((k) => consumed.add(k));
      pieces.push(this.classicObject(o, pieceKey('object')));
    }
    if (present(NUMBER_KEYWORDS)) {
      NUMBER_KEYWORDS.forEach((k) => consumed.add(k));
      pieces.push(this.numberModel(o, false, pieceKey('number')));
    }
    if (present(STRING_KEYWORDS_7)) {
      STRING_KEYWORDS_7.forEach((k) => consumed.add(k));
      pieces.push(this.stringModel(o, pieceKey('string')));
    }
    if (this.draft === 'draft-07' && (has(o, 'if') || has(o, 'then') || has(o, 'else'))) {
      pieces.push({ kind: 'conditional', ...this.base(o, pieceKey('if')) });
    }
    return this.assemble(pieces, meta, dupKey, o);
  }

  private assemble(pieces: Model[], meta: Meta, dupKey: Key, o: Obj): Model {
    if (pieces.length === 0) return { kind: 'empty', ...this.base(o, dupKey, meta) };
    if (pieces.length === 1) {
      const only = pieces[0];
      // unprocessed keywords (minContains/maxContains before 2019-09) land on the single schema
      if (only.kind === 'array' && !this.modern) {
        only.minContains = int(o.minContains);
        only.maxContains = int(o.maxContains);
      }
      return { ...only, meta, dupKey };
    }
    return this.combined('allOf', pieces, dupKey, meta);
  }

  private stringModel(o: Obj, dupKey: Key): StringModel {
    return {
      kind: 'string',
      minLength: int(o.minLength),
      maxLength: int(o.maxLength),
      pattern: typeof o.pattern === 'string' ? o.pattern : undefined,
      ...this.base(o, dupKey),
    };
  }

  private numberModel(o: Obj, requiresInteger: boolean, dupKey: Key): NumberModel {
    // draft-04's boolean exclusiveMinimum/Maximum only flag the limit as exclusive; everit keeps
    // no exclusive limit value for them, so NumberSchemaDiff never sees them.
    return {
      kind: 'number',
      requiresInteger,
      minimum: num(o.minimum),
      maximum: num(o.maximum),
      exclusiveMinimum: num(o.exclusiveMinimum),
      exclusiveMaximum: num(o.exclusiveMaximum),
      multipleOf: num(o.multipleOf),
      ...this.base(o, dupKey),
    };
  }

  private emptyObject(dupKey: Key): ObjectModel {
    return {
      kind: 'object',
      properties: new Map(),
      required: [],
      patternProperties: [],
      permitsAdditional: true,
      propertyDependencies: new Map(),
      schemaDependencies: new Map(),
      ...this.base({}, dupKey),
    };
  }

  private emptyArray(dupKey: Key): ArrayModel {
    return { kind: 'array', permitsAdditional: true, uniqueItems: false, ...this.base({}, dupKey) };
  }

  private classicObject(o: Obj, dupKey: Key): ObjectModel {
    const m = this.emptyObject(dupKey);
    if (isObject(o.properties)) for (const [k, v] of Object.entries(o.properties)) m.properties.set(k, v);
    if (Array.isArray(o.required)) m.required = o.required.filter((r): r is string => typeof r === 'string');
    if (isObject(o.patternProperties)) m.patternProperties = Object.entries(o.patternProperties);
    if (o.additionalProperties === false) m.permitsAdditional = false;
    else if (isObject(o.additionalProperties)) m.additionalSchema = o.additionalProperties;
    if (isObject(o.dependencies)) {
      for (const [k, v] of Object.entries(o.dependencies)) {
        if (Array.isArray(v))
          m.propertyDependencies.set(
            k,
            v.filter((x): x is string => typeof x === 'string'),
          );
        else m.schemaDependencies.set(k, v);
      }
    }
    m.minProperties = int(o.minProperties);
    m.maxProperties = int(o.maxProperties);
    return m;
  }

  private classicArray(o: Obj, dupKey: Key): ArrayModel {
    const m = this.emptyArray(dupKey);
    m.minItems = int(o.minItems);
    m.maxItems = int(o.maxItems);
    m.uniqueItems = o.uniqueItems === true;
    if (o.additionalItems === false) m.permitsAdditional = false;
    else if (isObject(o.additionalItems)) m.additionalSchema = o.additionalItems;
    if (Array.isArray(o.items)) m.itemSchemas = o.items;
    else if (has(o, 'items')) m.allItems = o.items;
    return m;
  }

  // ---- 2019-09 / 2020-12: json-sKema + SchemaTranslator ---------------------------------------

  private loadModern(o: Obj): Model {
    const meta = this.meta(o);
    const dupKey = once(() => canonicalJson(o));
    const pieceKey = (k: string): Key => once(() => `${dupKey()}#${k}`);
    const others: Model[] = [];
    let str: StringModel | undefined;
    let numb: NumberModel | undefined;
    let obj: ObjectModel | undefined;
    let arr: ArrayModel | undefined;
    const S = () => (str ??= this.stringModel({}, pieceKey('string')));
    const N = () => (numb ??= this.numberModel({}, false, pieceKey('number')));
    const O = () => (obj ??= this.emptyObject(pieceKey('object')));
    const A = () => (arr ??= this.emptyArray(pieceKey('array')));

    if (typeof o.$ref === 'string') others.push({ kind: 'ref', ref: o.$ref, from: o, ...this.base(o, pieceKey('$ref')) });
    if (Array.isArray(o.enum)) others.push({ kind: 'enum', values: o.enum.map(canonicalJson), ...this.base(o, pieceKey('enum')) });
    if (has(o, 'const')) others.push({ kind: 'const', value: canonicalJson(o.const), ...this.base(o, pieceKey('const')) });
    if (has(o, 'not')) others.push({ kind: 'not', mustNotMatch: o.not, ...this.base(o, pieceKey('not')) });
    for (const c of COMBINERS) {
      if (Array.isArray(o[c]))
        others.push(
          this.combined(
            c,
            (o[c] as Json[]).map((s) => this.load(s)),
            pieceKey(c),
          ),
        );
    }
    if (has(o, 'if')) others.push({ kind: 'conditional', ...this.base(o, pieceKey('if')) });

    // string keywords (format is ignored by the translator)
    if (num(o.minLength) !== undefined) S().minLength = int(o.minLength);
    if (num(o.maxLength) !== undefined) S().maxLength = int(o.maxLength);
    if (typeof o.pattern === 'string') S().pattern = o.pattern;
    // number keywords
    for (const k of NUMBER_KEYWORDS) {
      const v = num(o[k]);
      if (v !== undefined) (N() as unknown as Record<string, number>)[k] = v;
    }
    // object keywords
    if (isObject(o.properties) && Object.keys(o.properties).length > 0) {
      for (const [k, v] of Object.entries(o.properties)) O().properties.set(k, v);
    }
    if (isObject(o.patternProperties) && Object.keys(o.patternProperties).length > 0) {
      O().patternProperties = Object.entries(o.patternProperties);
    }
    if (has(o, 'additionalProperties')) {
      const ap = o.additionalProperties;
      if (ap === false) O().permitsAdditional = false;
      else if (ap !== true) O().additionalSchema = ap;
      else O();
    }
    if (Array.isArray(o.required)) O().required = o.required.filter((r): r is string => typeof r === 'string');
    if (num(o.minProperties) !== undefined) O().minProperties = int(o.minProperties);
    if (num(o.maxProperties) !== undefined) O().maxProperties = int(o.maxProperties);
    if (isObject(o.dependentRequired)) {
      for (const [k, v] of Object.entries(o.dependentRequired)) {
        if (Array.isArray(v))
          O().propertyDependencies.set(
            k,
            v.filter((x): x is string => typeof x === 'string'),
          );
      }
      O();
    }
    if (isObject(o.dependentSchemas)) {
      for (const [k, v] of Object.entries(o.dependentSchemas)) O().schemaDependencies.set(k, v);
      O();
    }
    if (has(o, 'propertyNames')) O();
    if (has(o, 'unevaluatedProperties')) O().unevaluated = o.unevaluatedProperties;
    // array keywords
    const tuple = this.draft === '2020-12' ? o.prefixItems : o.items;
    if (Array.isArray(tuple)) A().itemSchemas = tuple;
    const rest = this.draft === '2020-12' ? o.items : Array.isArray(o.items) ? o.additionalItems : o.items;
    const restIsAdditional = this.draft === '2020-12' ? Array.isArray(o.prefixItems) : Array.isArray(o.items);
    if (rest !== undefined && !Array.isArray(rest)) {
      if (rest === false) A().permitsAdditional = false;
      else if (rest !== true) {
        if (restIsAdditional) A().additionalSchema = rest;
        else A().allItems = rest;
      } else A();
    }
    if (has(o, 'contains')) {
      A().minContains = int(o.minContains) ?? 1;
      A().maxContains = int(o.maxContains);
    }
    if (num(o.minItems) !== undefined) A().minItems = int(o.minItems);
    if (num(o.maxItems) !== undefined) A().maxItems = int(o.maxItems);
    if (typeof o.uniqueItems === 'boolean') A().uniqueItems = o.uniqueItems;
    if (has(o, 'unevaluatedItems')) A().unevaluated = o.unevaluatedItems;

    // `type`: the typed schema absorbs the keyword pieces of its kind
    const kindPieces = new Map<string, Model | undefined>([
      ['string', str],
      ['number', numb],
      ['object', obj],
      ['array', arr],
    ]);
    const typedBase = (t: unknown, key: Key): Model => {
      switch (t) {
        case 'string':
          return str ?? this.stringModel({}, key);
        case 'integer':
        case 'number': {
          const n = numb ? { ...numb } : this.numberModel({}, false, key);
          n.requiresInteger = t === 'integer';
          return n;
        }
        case 'boolean':
          return { kind: 'boolean', ...this.base(o, key) };
        case 'null':
          return { kind: 'null', ...this.base(o, key) };
        case 'array':
          return arr ?? this.emptyArray(key);
        case 'object':
          return obj ?? this.emptyObject(key);
        default:
          return { kind: 'empty', ...this.base(o, key) };
      }
    };
    const kindOfType = (t: unknown) => (t === 'integer' ? 'number' : String(t));
    const pieces: Model[] = [];
    if (typeof o.type === 'string') {
      pieces.push(typedBase(o.type, pieceKey(`type:${o.type}`)));
      kindPieces.delete(kindOfType(o.type));
    } else if (Array.isArray(o.type)) {
      const absorbed = new Set<string>();
      const subs = o.type.map((t) => {
        const k = kindOfType(t);
        const key = pieceKey(`type:${String(t)}`);
        if (absorbed.has(k)) {
          // only the first branch of a kind absorbs that kind's keywords (SchemaTranslator.accumulate)
          if (k === 'number') return this.numberModel({}, t === 'integer', key);
          if (k === 'string') return this.stringModel({}, key);
          if (k === 'object') return this.emptyObject(key);
          if (k === 'array') return this.emptyArray(key);
        }
        absorbed.add(k);
        return typedBase(t, key);
      });
      for (const k of absorbed) kindPieces.delete(k);
      pieces.push(this.combined('anyOf', subs, pieceKey('type')));
    }
    for (const p of kindPieces.values()) if (p) pieces.push(p);
    pieces.push(...others);
    return this.assemble(pieces, meta, dupKey, o);
  }
}
