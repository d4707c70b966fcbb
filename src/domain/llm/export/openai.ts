/**
 * OpenAI Structured Outputs / strict function calling: the documented JSON Schema subset
 * ("Supported schemas" in the Structured Outputs guide) as lint rules, and the rewrite that makes
 * a schema conform. Every rule and its source: docs/provider-rules.md, "OpenAI".
 */
import { jsonText } from '../../documents';
import { child, isPlainObject, own, parsePointer, resolveTokens, setOwn } from '../pointer';
import { at, makeNullable, mergeAllOf, moveToDescription, wrapRefSiblings, wrapRoot } from './rewrite';
import { isObjectSchema, subschemas, typeList, walkSchema } from './schema-walk';
import type { Finding, JsonObject } from './types';

/** "Some type-specific keywords are not yet supported" (composition) + patternProperties (keys not in `properties`). */
const UNSUPPORTED = new Set(['allOf', 'not', 'dependentRequired', 'dependentSchemas', 'if', 'then', 'else', 'patternProperties']);
const ANY_KEYWORDS = ['type', 'enum', 'const', 'anyOf', '$ref', '$defs', 'definitions', 'description', 'title'];
/** A Map: it is looked up with the schema's own `type` values ("constructor" is no type). */
const BY_TYPE = new Map<string, string[]>([
  ['object', ['properties', 'required', 'additionalProperties']],
  ['array', ['items', 'minItems', 'maxItems']],
  ['string', ['pattern', 'format']],
  ['number', ['multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum']],
  ['integer', ['multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum']],
  ['boolean', []],
  ['null', []],
]);
const TYPES = new Set(BY_TYPE.keys());
/** "format — Predefined formats for strings. Currently supported: ..." */
const OPENAI_FORMATS = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid']);

const OPENAI_LIMITS = {
  /** "A schema may have up to 5000 object properties total, with up to 10 levels of nesting." */
  properties: 5000,
  nesting: 10,
  /** "total string length of all property names, definition names, enum values, and const values cannot exceed 120,000 characters" */
  stringChars: 120_000,
  /** "A schema may have up to 1000 enum values across all enum properties." */
  enumValues: 1000,
  /** "...cannot exceed 15,000 characters when there are more than 250 enum values" (one string enum). */
  largeEnumValues: 250,
  largeEnumChars: 15_000,
};

const PROVIDER = 'OpenAI strict mode';

/** Types the keywords of a node apply to: declared, or inferred from the keywords present. */
function effectiveTypes(node: JsonObject): string[] {
  const declared = typeList(node);
  if (declared.length) return declared;
  const out: string[] = [];
  for (const [t, keys] of BY_TYPE) if (keys.some((k) => k in node)) out.push(t);
  return out;
}

function allowedKeywords(node: JsonObject): Set<string> {
  const allowed = new Set(ANY_KEYWORDS);
  for (const t of effectiveTypes(node)) for (const k of BY_TYPE.get(t) ?? []) allowed.add(k);
  return allowed;
}

function finding(severity: Finding['severity'], path: string, rule: string, message: string): Finding {
  return { severity, path, rule, message };
}

/** Characters of a value's JSON text (0 for undefined, which JSON cannot express). */
function jsonLength(value: unknown): number {
  return jsonText(value)?.length ?? 0;
}

export function lintOpenAiStrict(schema: unknown): Finding[] {
  const out: Finding[] = [];
  if (!isPlainObject(schema) || typeList(schema).join() !== 'object') {
    out.push(finding('error', '', 'root-object', 'The root schema must be an object with "type": "object".'));
  }
  if (isPlainObject(schema) && Array.isArray(schema.anyOf)) {
    out.push(finding('error', '', 'root-any-of', 'The root schema must not use anyOf.'));
  }

  let properties = 0;
  let chars = 0;
  let enumValues = 0;
  let deepest: { level: number; path: string } | undefined;

  walkSchema<number>(
    schema,
    (node, path, via, parentLevel) => {
      // Unsupported keywords are reported as a whole on their node; their insides are not linted.
      if (via && UNSUPPORTED.has(via.keyword)) return false;
      // Nesting level: object schemas on the path from the root, or from a definition.
      const base = via?.keyword === '$defs' || via?.keyword === 'definitions' ? 0 : parentLevel;
      const level = base + (isObjectSchema(node) ? 1 : 0);
      if (level > OPENAI_LIMITS.nesting && !deepest) deepest = { level, path };

      if (via?.keyword === 'properties' && via.name !== undefined) {
        properties++;
        chars += via.name.length;
      }
      if ((via?.keyword === '$defs' || via?.keyword === 'definitions') && via.name !== undefined) chars += via.name.length;

      if (typeof node === 'boolean') {
        // `additionalProperties: false` is the one boolean schema strict mode wants.
        if (node || via?.keyword !== 'additionalProperties') {
          out.push(finding('error', path, 'missing-type', `A \`${node}\` schema cannot be expressed in strict mode; give it a type.`));
        }
        return false;
      }
      if (!isPlainObject(node)) return false;
      lintNode(schema, node, path, out);

      if (Array.isArray(node.enum)) {
        enumValues += node.enum.length;
        let enumChars = 0;
        for (const v of node.enum) {
          const n = typeof v === 'string' ? v.length : jsonLength(v);
          chars += n;
          enumChars += n;
        }
        const allStrings = node.enum.every((v) => typeof v === 'string');
        if (allStrings && node.enum.length > OPENAI_LIMITS.largeEnumValues && enumChars > OPENAI_LIMITS.largeEnumChars) {
          out.push(
            finding(
              'error',
              path,
              'enum-size',
              `This enum has ${node.enum.length} string values totalling ${enumChars} characters; above ${OPENAI_LIMITS.largeEnumValues} values the limit is ${OPENAI_LIMITS.largeEnumChars}.`,
            ),
          );
        }
      }
      if ('const' in node) chars += typeof node.const === 'string' ? node.const.length : jsonLength(node.const);
      return level;
    },
    0,
  );

  if (deepest) {
    out.push(
      finding('error', deepest.path, 'nesting-depth', `Objects are nested ${deepest.level} levels deep here; the limit is ${OPENAI_LIMITS.nesting}.`),
    );
  }
  if (properties > OPENAI_LIMITS.properties) {
    out.push(finding('error', '', 'property-count', `The schema has ${properties} object properties; the limit is ${OPENAI_LIMITS.properties}.`));
  }
  if (chars > OPENAI_LIMITS.stringChars) {
    out.push(
      finding(
        'error',
        '',
        'string-size',
        `Property names, definition names, enum and const values total ${chars} characters; the limit is ${OPENAI_LIMITS.stringChars}.`,
      ),
    );
  }
  if (enumValues > OPENAI_LIMITS.enumValues) {
    out.push(finding('error', '', 'enum-count', `The schema has ${enumValues} enum values; the limit is ${OPENAI_LIMITS.enumValues}.`));
  }
  return out;
}

/** Per-node rules: types, keywords, formats, refs, objects. */
function lintNode(root: unknown, node: JsonObject, path: string, out: Finding[]): void {
  const types = typeList(node);
  for (const t of types) {
    if (!TYPES.has(t)) out.push(finding('error', path, 'type', `Type ${JSON.stringify(t)} is not a JSON Schema type supported by OpenAI.`));
  }
  // oneOf is reported below as undocumented (and rewritten to anyOf by fix), not as missing a type.
  if (!types.length && !['anyOf', 'oneOf', '$ref', 'enum', 'const'].some((k) => k in node)) {
    out.push(finding('error', path, 'missing-type', 'Every schema needs "type" (or anyOf, $ref, enum, const) in strict mode.'));
  }

  const allowed = allowedKeywords(node);
  for (const k of Object.keys(node)) {
    if (UNSUPPORTED.has(k)) {
      out.push(finding('error', path, 'unsupported-keyword', `"${k}" is not supported in strict mode.`));
    } else if (!allowed.has(k)) {
      out.push(finding('warning', path, 'undocumented-keyword', `"${k}" is not in OpenAI's documented strict-mode subset; the API may reject it.`));
    }
  }
  if (Array.isArray(node.items)) {
    out.push(finding('warning', path, 'undocumented-keyword', '"items" as an array (tuple form) is not in OpenAI\'s documented strict-mode subset.'));
  }
  if (typeof node.format === 'string' && !OPENAI_FORMATS.has(node.format)) {
    out.push(
      finding('error', path, 'format', `Format ${JSON.stringify(node.format)} is not supported (supported: ${[...OPENAI_FORMATS].join(', ')}).`),
    );
  }
  refFindings(root, node, path, out);

  if (isObjectSchema(node)) {
    if (node.additionalProperties !== false) {
      out.push(finding('error', path, 'additional-properties', 'Objects must set "additionalProperties": false.'));
    }
    const props = isPlainObject(node.properties) ? Object.keys(node.properties) : [];
    const req = new Set(Array.isArray(node.required) ? node.required : []);
    const missing = props.filter((p) => !req.has(p));
    if (missing.length) {
      out.push(
        finding(
          'error',
          path,
          'required-all',
          `Every property must be listed in "required"; missing: ${missing.map((m) => JSON.stringify(m)).join(', ')}.`,
        ),
      );
    }
  }
}

/** `$ref` rules shared by the strict lint: local, resolvable, and alone (SDKs inline ref siblings). */
export function refFindings(root: unknown, node: JsonObject, path: string, out: Finding[], siblings: 'warning' | 'error' = 'warning'): void {
  const ref = own(node, '$ref');
  if (typeof ref !== 'string') return;
  if (!ref.startsWith('#')) {
    out.push(
      finding(
        'error',
        path,
        'ref-external',
        `$ref ${JSON.stringify(ref)} points outside this schema; only local references ("#...") can be resolved.`,
      ),
    );
    return;
  }
  const tokens = parsePointer(ref);
  if (!tokens || resolveTokens(root, tokens) === undefined) {
    out.push(finding('error', path, 'ref-unresolved', `$ref ${JSON.stringify(ref)} does not resolve inside this schema.`));
  }
  const others = Object.keys(node).filter((k) => k !== '$ref' && !(siblings === 'error' && k.startsWith('$')));
  if (others.length) {
    out.push(finding(siblings, path, 'ref-siblings', `$ref has sibling keywords (${others.join(', ')}); they must be moved off the reference.`));
  }
}

/** Rewrite toward the strict subset; returns the new root. Mutates `schema` (a private clone). */
export function fixOpenAiStrict(schema: unknown, changes: string[]): unknown {
  let root = schema;
  if (root === true) {
    changes.push('(root): replaced the `true` schema with an empty object');
    root = { type: 'object', properties: {}, required: [], additionalProperties: false };
  } else if (isPlainObject(root) && (typeList(root).join() !== 'object' || Array.isArray(root.anyOf) || '$ref' in root)) {
    root = wrapRoot(root, changes, 'OpenAI requires an object root without anyOf');
  }
  return fixNode(root, '', changes);
}

function fixNode(input: unknown, path: string, changes: string[]): unknown {
  if (!isPlainObject(input)) return input;
  let node = input;

  if (Array.isArray(node.allOf) && mergeAllOf(node)) changes.push(`${at(path)}: merged allOf into the schema`);
  if (Array.isArray(node.oneOf) && !('anyOf' in node)) {
    node = renameKey(node, 'oneOf', 'anyOf');
    changes.push(`${at(path)}: replaced oneOf with anyOf`);
  }
  if (typeof node.$ref === 'string' && Object.keys(node).length > 1) {
    node = wrapRefSiblings(node);
    changes.push(`${at(path)}: moved the $ref into anyOf so its sibling keywords are kept`);
  }
  if (!typeList(node).length && isPlainObject(node.properties) && !('anyOf' in node) && !('$ref' in node)) {
    node.type = 'object';
    changes.push(`${at(path)}: added "type": "object"`);
  }

  const allowed = allowedKeywords(node);
  const drop = Object.keys(node).filter((k) => !allowed.has(k));
  if (Array.isArray(node.items)) drop.push('items');
  if (typeof node.format === 'string' && !OPENAI_FORMATS.has(node.format)) drop.push('format');
  moveToDescription(node, drop, path, PROVIDER, changes);

  if (isObjectSchema(node)) {
    if (!isPlainObject(node.properties)) node.properties = {};
    if (node.additionalProperties !== false) {
      const was = node.additionalProperties;
      node.additionalProperties = false;
      changes.push(
        was === undefined
          ? `${at(path)}: set "additionalProperties": false`
          : `${at(path)}: replaced "additionalProperties": ${JSON.stringify(was)} with false (extra keys are no longer allowed)`,
      );
    }
  }

  for (const s of subschemas(node, path)) {
    const fixed = fixNode(s.node, s.path, changes);
    if (fixed !== s.node) replaceChild(node, s, fixed);
  }

  if (isObjectSchema(node) && isPlainObject(node.properties)) {
    const props = node.properties;
    const req = Array.isArray(node.required) ? node.required.filter((r): r is string => typeof r === 'string') : [];
    const names = Object.keys(props);
    // Sets: `includes` per name is quadratic on schemas with thousands of properties
    const reqSet = new Set(req);
    const nameSet = new Set(names);
    const optional = names.filter((n) => !reqSet.has(n));
    for (const n of optional) {
      props[n] = makeNullable(props[n]);
      changes.push(`${child(child(path, 'properties'), n)}: optional property is now required and nullable`);
    }
    if (optional.length || !Array.isArray(node.required)) node.required = [...names, ...req.filter((r) => !nameSet.has(r))];
  }
  return node;
}

function renameKey(node: JsonObject, from: string, to: string): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(node)) setOwn(out, k === from ? to : k, node[k]);
  return out;
}

function replaceChild(parent: JsonObject, s: { keyword: string; name?: string; path: string }, value: unknown): void {
  const holder = parent[s.keyword];
  if (s.name !== undefined && isPlainObject(holder)) holder[s.name] = value;
  else if (Array.isArray(holder)) holder[Number(s.path.slice(s.path.lastIndexOf('/') + 1))] = value;
  else parent[s.keyword] = value;
}
