/**
 * Gemini `generationConfig.responseJsonSchema`: the documented keyword subset, the `$ref` rules
 * and the limit on cycles. Gemini ignores keywords outside the subset ("The model ignores
 * unsupported properties"), so those are warnings; the rest are errors. Sources:
 * docs/provider-rules.md, "Gemini".
 */
import { ErrorCode, RegistryError } from '../../errors';
import { isPlainObject, parsePointer, pointer, resolveTokens, setOwn } from '../pointer';
import { refFindings } from './openai';
import { at, mergeAllOf, moveToDescription, rewriteRefs, wrapRefSiblings } from './rewrite';
import { EXPORT_LIMITS, subschemas, typeList, walkSchema } from './schema-walk';
import type { Finding, JsonObject } from './types';

/** GenerationConfig.responseJsonSchema: "only the following properties are supported". */
const GEMINI_KEYWORDS = new Set([
  '$id',
  '$defs',
  '$ref',
  '$anchor',
  'type',
  'format',
  'title',
  'description',
  'enum',
  'items',
  'prefixItems',
  'minItems',
  'maxItems',
  'minimum',
  'maximum',
  'anyOf',
  'oneOf',
  'properties',
  'additionalProperties',
  'required',
  'propertyOrdering',
]);
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
const PROVIDER = 'Gemini responseJsonSchema';
const MAX_STEPS = EXPORT_LIMITS.maxCycleSearchSteps;

function finding(severity: Finding['severity'], path: string, rule: string, message: string): Finding {
  return { severity, path, rule, message };
}

export function lintGemini(schema: unknown): Finding[] {
  const out: Finding[] = [];
  walkSchema(schema, (node, path, via) => {
    if (via && !GEMINI_KEYWORDS.has(via.keyword)) return false; // reported on the parent as a whole
    if (!isPlainObject(node)) return false;
    for (const t of typeList(node)) {
      if (!TYPES.has(t)) out.push(finding('error', path, 'type', `Type ${JSON.stringify(t)} is not supported.`));
    }
    for (const k of Object.keys(node)) {
      if (!GEMINI_KEYWORDS.has(k)) {
        out.push(finding('warning', path, 'unsupported-keyword', `"${k}" is not in Gemini's supported subset and is ignored.`));
      }
    }
    if (Array.isArray(node.enum) && !node.enum.every((v) => typeof v === 'string' || typeof v === 'number')) {
      out.push(finding('warning', path, 'enum-values', 'enum is supported for strings and numbers only.'));
    }
    refFindings(schema, node, path, out, 'error');
  });
  out.push(...cyclicRequired(schema));
  return out;
}

/**
 * "Cyclic references are unrolled to a limited degree and, as such, may only be used within
 * non-required properties. (Nullable properties are not sufficient.)" A cycle is reported when a
 * `$ref` target can reach itself again through required positions only: required properties,
 * array items, and anyOf/oneOf branches (only a non-required property breaks the cycle).
 */
function cyclicRequired(schema: unknown, budget: { steps: number } = { steps: 0 }): Finding[] {
  // Every local ref target in the document (found by a plain walk, refs not followed).
  const targets = new Map<string, unknown>([['', schema]]);
  walkSchema(schema, (node) => {
    if (!isPlainObject(node) || typeof node.$ref !== 'string' || !node.$ref.startsWith('#')) return;
    const tokens = parsePointer(node.$ref);
    const target = tokens ? resolveTokens(schema, tokens) : undefined;
    if (tokens && target !== undefined) targets.set(pointer(tokens), target);
  });
  // Edges: ref target -> refs reachable from it through required positions only.
  const edges = new Map<string, Array<{ target: string; path: string }>>();
  for (const [key, node] of targets) {
    const list: Array<{ target: string; path: string }> = [];
    const visit = (n: unknown, path: string): void => {
      if (++budget.steps > MAX_STEPS) {
        throw new RegistryError(
          ErrorCode.SCHEMA_TOO_LARGE,
          `Schema has too many nested $ref targets to search for required-only cycles (more than ${MAX_STEPS} steps); export refused.`,
        );
      }
      if (!isPlainObject(n)) return;
      if (typeof n.$ref === 'string' && n.$ref.startsWith('#')) {
        const tokens = parsePointer(n.$ref);
        if (tokens && targets.has(pointer(tokens))) list.push({ target: pointer(tokens), path });
        return;
      }
      const req = new Set(Array.isArray(n.required) ? n.required : []);
      for (const s of subschemas(n, path)) {
        if (s.keyword === 'properties' && !req.has(s.name)) continue;
        if (['items', 'prefixItems', 'anyOf', 'oneOf', 'properties'].includes(s.keyword)) visit(s.node, s.path);
      }
    };
    visit(node, key);
    edges.set(key, list);
  }

  // Depth-first search for back edges; each closing $ref is reported once.
  const out: Finding[] = [];
  const state = new Map<string, 1 | 2>();
  const reported = new Set<string>();
  const dfs = (key: string): void => {
    state.set(key, 1);
    for (const e of edges.get(key) ?? []) {
      const s = state.get(e.target);
      if (s === 1 && !reported.has(e.path)) {
        reported.add(e.path);
        out.push(
          finding(
            'error',
            e.path,
            'cyclic-ref-required',
            `$ref "#${e.target}" closes a cycle through required properties only; Gemini allows cycles only through non-required properties.`,
          ),
        );
      } else if (s === undefined) dfs(e.target);
    }
    state.set(key, 2);
  };
  for (const key of edges.keys()) if (!state.has(key)) dfs(key);
  return out;
}

/** Rewrite toward the documented subset. Mutates `schema` (a private clone); returns the new root. */
export function fixGemini(schema: unknown, changes: string[]): unknown {
  if (isPlainObject(schema) && isPlainObject(schema.definitions) && !('$defs' in schema)) {
    const renamed: JsonObject = {};
    for (const k of Object.keys(schema)) setOwn(renamed, k === 'definitions' ? '$defs' : k, schema[k]);
    rewriteRefs(renamed, (t) => (t[0] === 'definitions' ? ['$defs', ...t.slice(1)] : null));
    changes.push('(root): renamed definitions to $defs and updated the references');
    schema = renamed;
  }
  const root = fixNode(schema, '', changes);
  breakRequiredCycles(root, changes);
  return root;
}

/**
 * Make the property that closes a required-only cycle optional (the documented way to recurse).
 * Each round removes at least one name from a `required`, so the loop ends; it is also capped.
 */
function breakRequiredCycles(root: unknown, changes: string[]): void {
  const budget = { steps: 0 }; // one budget for all rounds
  for (let round = 0; round < 64; round++) {
    const found = cyclicRequired(root, budget);
    if (!found.length) return;
    let progressed = false;
    for (const f of found) {
      const tokens = parsePointer(f.path) ?? [];
      const i = tokens.lastIndexOf('properties');
      if (i < 0 || i + 1 >= tokens.length) continue;
      const owner = resolveTokens(root, tokens.slice(0, i));
      const name = tokens[i + 1];
      if (!isPlainObject(owner) || !Array.isArray(owner.required) || !owner.required.includes(name)) continue;
      owner.required = owner.required.filter((r) => r !== name);
      changes.push(
        `${at(pointer(tokens.slice(0, i)))}: made ${JSON.stringify(name)} optional (Gemini recurses only through non-required properties)`,
      );
      progressed = true;
    }
    if (!progressed) return;
  }
}

function fixNode(input: unknown, path: string, changes: string[]): unknown {
  if (!isPlainObject(input)) return input;
  let node = input;
  if (Array.isArray(node.allOf) && mergeAllOf(node)) changes.push(`${at(path)}: merged allOf into the schema`);
  if ('const' in node && !('enum' in node)) {
    const c = node.const;
    node.enum = [c];
    delete node.const;
    // enum is documented for strings and numbers; say which.
    if (!typeList(node).length && (typeof c === 'string' || typeof c === 'number')) {
      node.type = typeof c === 'string' ? 'string' : Number.isInteger(c) ? 'integer' : 'number';
    }
    changes.push(`${at(path)}: replaced const with a one-value enum`);
  }
  if (typeof node.$ref === 'string' && Object.keys(node).some((k) => k !== '$ref' && !k.startsWith('$'))) {
    node = wrapRefSiblings(node);
    changes.push(`${at(path)}: moved the $ref into anyOf so its sibling keywords are kept`);
  }
  moveToDescription(
    node,
    Object.keys(node).filter((k) => !GEMINI_KEYWORDS.has(k)),
    path,
    PROVIDER,
    changes,
  );
  for (const s of subschemas(node, path)) {
    const fixed = fixNode(s.node, s.path, changes);
    if (fixed === s.node) continue;
    const holder = node[s.keyword];
    if (s.name !== undefined && isPlainObject(holder)) holder[s.name] = fixed;
    else if (Array.isArray(holder)) holder[Number(s.path.slice(s.path.lastIndexOf('/') + 1))] = fixed;
    else node[s.keyword] = fixed;
  }
  return node;
}
