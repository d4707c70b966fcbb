/**
 * Plain-English phrases for "what a JSON Schema node expects" and "what a value is", used by the
 * repair instruction (repair.ts). Short on purpose: the text goes back to the model as a prompt.
 */
import { jsonText } from '../documents';
import { isPlainObject, own } from './pointer';

const MAX_ENUM_SHOWN = 10;
const MAX_VALUE_CHARS = 40;

/** JSON text of a value, shortened to a prompt-friendly length. */
export function literal(value: unknown): string {
  let s: string;
  try {
    s = jsonText(value) ?? String(value);
  } catch {
    s = String(value);
  }
  return s.length > MAX_VALUE_CHARS ? s.slice(0, MAX_VALUE_CHARS - 1) + '…' : s;
}

/** "string \"three\"", "number 5", "null", "an array of 3 items", "an object". */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  switch (typeof value) {
    case 'string':
      return `string ${literal(value)}`;
    case 'number':
      return `number ${literal(value)}`;
    case 'boolean':
      return `boolean ${value}`;
    case 'object':
      return 'an object';
    default:
      return 'nothing';
  }
}

function list(values: readonly unknown[]): string {
  const shown = values.slice(0, MAX_ENUM_SHOWN).map(literal).join(', ');
  const more = values.length - MAX_ENUM_SHOWN;
  return more > 0 ? `${shown} (and ${more} more)` : shown;
}

function num(node: Record<string, unknown>, key: string): number | undefined {
  const v = own(node, key);
  return typeof v === 'number' ? v : undefined;
}

/** `unit` is singular ("item"); it gets an "s" unless the count that ends the phrase is 1. */
function range(lo: number | undefined, hi: number | undefined, unit: string): string {
  const u = (n: number) => (n === 1 ? unit : unit + 's');
  if (lo !== undefined && hi !== undefined) return lo === hi ? `exactly ${lo} ${u(lo)}` : `${lo} to ${hi} ${u(hi)}`;
  if (lo !== undefined) return `at least ${lo} ${u(lo)}`;
  if (hi !== undefined) return `at most ${hi} ${u(hi)}`;
  return '';
}

function typesOf(node: Record<string, unknown>): string[] {
  const t = own(node, 'type');
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  return [];
}

/**
 * What the node expects, e.g. `one of "celsius", "fahrenheit"`, `integer between 1 and 10`,
 * `string matching the pattern ^[A-Z]{3}$`, `array of at least 1 item`. '' when nothing useful.
 * `depth` bounds recursion into anyOf/oneOf branches (a phrase, not a full rendering).
 */
export function describeExpected(node: unknown, depth = 0): string {
  if (node === false) return 'no value at all';
  if (!isPlainObject(node)) return '';
  const e = own(node, 'enum');
  if (Array.isArray(e)) return `one of ${list(e)}`;
  if (Object.prototype.hasOwnProperty.call(node, 'const')) return `exactly ${literal(own(node, 'const'))}`;

  const types = typesOf(node);
  const nonNull = types.filter((t) => t !== 'null');
  const parts: string[] = [];
  const lone = nonNull.length === 1 ? nonNull[0] : undefined;

  if (lone === 'string' || (!lone && (own(node, 'pattern') !== undefined || own(node, 'format') !== undefined))) {
    let s = 'string';
    const fmt = own(node, 'format');
    if (typeof fmt === 'string') s = `string in ${fmt} format`;
    const len = range(num(node, 'minLength'), num(node, 'maxLength'), 'character');
    if (len) s += ` of ${len}`;
    const pat = own(node, 'pattern');
    if (typeof pat === 'string') s += ` matching the pattern ${literal(pat).slice(1, -1)}`;
    parts.push(s);
  } else if (lone === 'number' || lone === 'integer') {
    parts.push(lone + numberBounds(node));
  } else if (lone === 'array') {
    const n = range(num(node, 'minItems'), num(node, 'maxItems'), 'item');
    let s = n ? `array of ${n}` : 'array';
    const items = own(node, 'items');
    const inner = depth < 1 && isPlainObject(items) ? describeExpected(items, depth + 1) : '';
    if (inner) s += ` (each item ${inner})`;
    if (own(node, 'uniqueItems') === true) s += ' with unique items';
    parts.push(s);
  } else if (lone === 'object' || (!lone && isPlainObject(own(node, 'properties')))) {
    const req = own(node, 'required');
    const names = Array.isArray(req) ? req.filter((r): r is string => typeof r === 'string') : [];
    parts.push(names.length ? `object with the properties ${list(names)}` : 'object');
  } else if (lone) {
    parts.push(lone);
  } else if (nonNull.length > 1) {
    parts.push(nonNull.join(' or '));
  }

  if (!parts.length && depth < 1) {
    const branches = own(node, 'anyOf') ?? own(node, 'oneOf');
    if (Array.isArray(branches)) {
      const phrases = branches.slice(0, 5).map((b) => describeExpected(b, depth + 1) || 'another shape');
      return `one of: ${phrases.join(' | ')}${branches.length > 5 ? ' | …' : ''}`;
    }
  }
  if (!parts.length) return '';
  return types.includes('null') ? `${parts[0]} or null` : parts[0];
}

function numberBounds(node: Record<string, unknown>): string {
  const min = num(node, 'minimum');
  const max = num(node, 'maximum');
  const xmin = num(node, 'exclusiveMinimum');
  const xmax = num(node, 'exclusiveMaximum');
  const out: string[] = [];
  if (min !== undefined && max !== undefined) out.push(` between ${min} and ${max}`);
  else if (min !== undefined) out.push(` >= ${min}`);
  else if (max !== undefined) out.push(` <= ${max}`);
  if (xmin !== undefined) out.push(` > ${xmin}`);
  if (xmax !== undefined) out.push(` < ${xmax}`);
  const mult = num(node, 'multipleOf');
  if (mult !== undefined) out.push(` that is a multiple of ${mult}`);
  return out.join(' and').replace(/^ and/, '');
}
