/**
 * The repair instruction sent back to a model whose JSON failed validation: what is wrong, where
 * (the instance pointer), and what the schema expects there (read from the schema node at the
 * error's schemaPath). Short by design: at most `maxProblems` problems, then "and N more".
 * Format and examples: docs/llm-gateway.md, "Repair instruction".
 */
import type { ValidationError } from '../validation';
import { describeExpected, describeValue, literal } from './describe';
import { isPlainObject, own, parsePointer, resolvePointer } from './pointer';

export interface RepairOptions {
  /** The rejected JSON value; lets the text say what was found ("got string \"three\""). */
  instance?: unknown;
  /** Most problems listed (default 5); the rest are counted. */
  maxProblems?: number;
}

export const REPAIR_HEADER = 'The JSON does not match the required schema. Fix these problems and answer with only the corrected JSON:';

const DEFAULT_MAX_PROBLEMS = 5;
const MAX_LINE_CHARS = 300;
/** Longest schemaPath walked (segments); deeper paths fall back to the validator's message. */
const MAX_PATH_SEGMENTS = 256;
/** Most $ref hops followed while walking one schemaPath. */
const MAX_REF_HOPS = 32;

export function repairInstruction(errors: ValidationError[], schema: unknown, options: RepairOptions = {}): string {
  const max = Math.max(1, options.maxProblems ?? DEFAULT_MAX_PROBLEMS);
  const hasInstance = Object.prototype.hasOwnProperty.call(options, 'instance');
  const seen = new Set<string>();
  const lines: string[] = [];
  let total = 0;
  for (const err of errors) {
    const text = problemText(err, schema, hasInstance, options.instance);
    const key = `${err.instancePath}\u0000${text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    total++;
    if (lines.length < max) {
      const where = err.instancePath ? `At ${err.instancePath}` : 'At the root';
      lines.push(clip(`${lines.length + 1}. ${where}: ${text}.`));
    }
  }
  if (!lines.length) return `${REPAIR_HEADER} the value is not valid against the schema.`;
  const more = total - lines.length;
  const tail = more > 0 ? ` (${more} more problem${more === 1 ? '' : 's'} not shown.)` : '';
  return `${REPAIR_HEADER} ${lines.join(' ')}${tail}`;
}

/** When no JSON could be extracted at all (extract.ts gave a reason). */
export function noJsonRepair(reason: string): string {
  return `No JSON value was found in your answer (${clip(reason)}). Answer with only the JSON value, with no other text.`;
}

function clip(s: string): string {
  return s.length > MAX_LINE_CHARS ? s.slice(0, MAX_LINE_CHARS - 2) + '….' : s;
}

function problemText(err: ValidationError, schema: unknown, hasInstance: boolean, instance: unknown): string {
  const node = schemaNodeOf(schema, err.schemaPath);
  const here = hasInstance ? resolvePointer(instance, err.instancePath) : undefined;
  const got = hasInstance && here !== undefined ? `, got ${describeValue(here)}` : '';
  const fallback = cleanMessage(err.message);

  switch (err.keyword) {
    case 'required': {
      const names = missingNames(err, node, here);
      if (!names.length) return fallback;
      const props = isPlainObject(node) ? own(node, 'properties') : undefined;
      return names
        .map((n) => {
          const sub = isPlainObject(props) ? describeExpected(own(props, n)) : '';
          return `required property ${literal(n)} is missing${sub ? `; expected ${sub}` : ''}`;
        })
        .join('; ');
    }
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const extra = extraNames(err, node, here);
      const props = isPlainObject(node) ? own(node, 'properties') : undefined;
      const allowed = isPlainObject(props) ? Object.keys(props) : [];
      const what = extra.length
        ? `${extra.length === 1 ? 'property' : 'properties'} ${extra.map(literal).join(', ')} ${extra.length === 1 ? 'is' : 'are'} not allowed`
        : 'unexpected properties are not allowed';
      const allowedText = allowed.length ? `; allowed properties: ${allowed.map(literal).join(', ')}` : '';
      return what + allowedText;
    }
    case 'uniqueItems':
      return 'array items must be unique';
    case 'not':
      return `the value must not match the excluded schema${got}`;
    case 'false schema':
      return 'no value is allowed here; remove it';
    default: {
      const expected = describeExpected(node);
      if (!expected) return fallback ? `${fallback}${got}` : `the value is not valid${got}`;
      return `expected ${expected}${got}`;
    }
  }
}

/** Validators phrase this differently (ajv: "must be integer"); keep it one clean clause. */
function cleanMessage(message: string): string {
  return message.replace(/\s+/g, ' ').trim().replace(/\.$/, '');
}

/** The property named in a validator's message: 'property "unit"', "property 'unit'". */
function quotedName(message: string): string | undefined {
  const m = /propert(?:y|ies)\s+["'`]([^"'`]+)["'`]/.exec(message) ?? /["'`]([^"'`]+)["'`]/.exec(message);
  return m?.[1];
}

function missingNames(err: ValidationError, node: unknown, here: unknown): string[] {
  const named = quotedName(err.message);
  if (named) return [named];
  const req = isPlainObject(node) ? own(node, 'required') : undefined;
  if (!Array.isArray(req) || !isPlainObject(here)) return [];
  return req.filter((r): r is string => typeof r === 'string' && !Object.prototype.hasOwnProperty.call(here, r));
}

function extraNames(err: ValidationError, node: unknown, here: unknown): string[] {
  const named = quotedName(err.message);
  if (named) return [named];
  if (isPlainObject(here) && isPlainObject(node)) {
    const props = own(node, 'properties');
    const known = isPlainObject(props) ? props : {};
    return Object.keys(here)
      .filter((k) => !Object.prototype.hasOwnProperty.call(known, k))
      .slice(0, 5);
  }
  // Some validators point the error at the property itself.
  const tokens = parsePointer(err.instancePath);
  return tokens && tokens.length ? [tokens[tokens.length - 1]] : [];
}

/**
 * The schema node that holds the failing keyword: walk schemaPath ("#/properties/a/type") minus
 * its last segment. A "$ref" segment (validators that report the dynamic path) is followed to
 * its local target. Undefined when the path does not resolve.
 */
export function schemaNodeOf(schema: unknown, schemaPath: string): unknown {
  const hash = schemaPath.indexOf('#');
  const tokens = parsePointer(hash >= 0 ? schemaPath.slice(hash) : schemaPath);
  if (!tokens || !tokens.length || tokens.length > MAX_PATH_SEGMENTS) return undefined;
  let cur: unknown = schema;
  let hops = 0;
  for (const t of tokens.slice(0, -1)) {
    if (isPlainObject(cur) && t === '$ref' && typeof own(cur, '$ref') === 'string') {
      if (++hops > MAX_REF_HOPS) return undefined;
      const target = parsePointer(own(cur, '$ref') as string);
      if (!target) return undefined;
      cur = walk(schema, target);
      continue;
    }
    cur = walk(cur, [t]);
    if (cur === undefined) return undefined;
  }
  return cur;
}

function walk(doc: unknown, tokens: string[]): unknown {
  let cur = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) cur = /^\d+$/.test(t) ? cur[Number(t)] : undefined;
    else if (isPlainObject(cur)) cur = own(cur, t);
    else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}
