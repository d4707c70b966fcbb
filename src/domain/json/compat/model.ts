/**
 * The schema model the diff walks: one node kind per everit schema class Confluent's SchemaDiff
 * dispatches on (StringSchema, NumberSchema, ObjectSchema, ArraySchema, EnumSchema, ConstSchema,
 * CombinedSchema, NotSchema, ReferenceSchema, EmptySchema/TrueSchema, FalseSchema, ...).
 * Children stay raw JSON and are loaded lazily (through `Side.load`, cached by node identity), so
 * `$ref` cycles never recurse at load time. How a JSON object becomes a model is in loader.ts.
 */

export type Json = unknown;

/** What a model needs of its side (loader.ts `Side` implements it; this module imports nothing). */
export interface ModelSide {
  /** The model of a schema node (boolean or object), cached by identity. */
  load(node: Json): Model;
  /** `m` with its references followed. */
  deref(m: Model): Model;
}

export interface Meta {
  id?: string;
  title?: string;
  description?: string;
  /** everit hasDefaultValue(): a `default` keyword is present (even `null`). */
  hasDefault: boolean;
  /** Canonical JSON of the default, for DEFAULT_CHANGED. */
  defaultKey?: string;
  /** Kafka Connect's `connect.type` annotation (SchemaDiff ignores type changes between two "bytes"). */
  connectType?: string;
}

/** A string made when first asked (and then kept). */
export type Key = () => string;

interface Base {
  readonly side: ModelSide;
  readonly meta: Meta;
  /** Identity of the subschema for CombinedSchemaDiff's duplicate collapsing (everit JSON form), made when asked. */
  readonly dupKey: Key;
}

interface EmptyModel extends Base {
  kind: 'empty';
}
interface FalseModel extends Base {
  kind: 'false';
}
interface BooleanModel extends Base {
  kind: 'boolean';
}
interface NullModel extends Base {
  kind: 'null';
}
interface ConditionalModel extends Base {
  kind: 'conditional';
}

export interface StringModel extends Base {
  kind: 'string';
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

export interface NumberModel extends Base {
  kind: 'number';
  requiresInteger: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
}

export interface ObjectModel extends Base {
  kind: 'object';
  /** Property names in document order, with their schema nodes. */
  properties: Map<string, Json>;
  required: string[];
  patternProperties: Array<[string, Json]>;
  permitsAdditional: boolean;
  additionalSchema?: Json;
  propertyDependencies: Map<string, string[]>;
  schemaDependencies: Map<string, Json>;
  minProperties?: number;
  maxProperties?: number;
  /** 2019-09+: `unevaluatedProperties` (absent = undefined). */
  unevaluated?: Json;
}

export interface ArrayModel extends Base {
  kind: 'array';
  allItems?: Json;
  /** Tuple form: draft-04..07 / 2019-09 `items: [...]`, 2020-12 `prefixItems`. */
  itemSchemas?: Json[];
  permitsAdditional: boolean;
  additionalSchema?: Json;
  minItems?: number;
  maxItems?: number;
  uniqueItems: boolean;
  minContains?: number;
  maxContains?: number;
  unevaluated?: Json;
}

export interface EnumModel extends Base {
  kind: 'enum';
  /** Canonical JSON of each permitted value. */
  values: string[];
}

export interface ConstModel extends Base {
  kind: 'const';
  value: string;
}

export type Criterion = 'allOf' | 'anyOf' | 'oneOf';

export interface CombinedModel extends Base {
  kind: 'combined';
  criterion: Criterion;
  subs: Model[];
}

export interface NotModel extends Base {
  kind: 'not';
  mustNotMatch: Json;
}

interface RefModel extends Base {
  kind: 'ref';
  ref: string;
  /** The node holding the `$ref` (its document and base URI resolve it). */
  from: object;
}

export type Model =
  | EmptyModel
  | FalseModel
  | BooleanModel
  | NullModel
  | ConditionalModel
  | StringModel
  | NumberModel
  | ObjectModel
  | ArrayModel
  | EnumModel
  | ConstModel
  | CombinedModel
  | NotModel
  | RefModel;
