/**
 * Avro names (spec "Names"; Java org.apache.avro.Schema.Name and validateName).
 * Java validates one UTF-16 unit at a time: the first must be Character.isLetter or '_', the rest
 * Character.isLetterOrDigit or '_' (so non-ASCII letters are accepted, as in Avro Java 1.11).
 * Only the last segment of a dotted name is validated; namespaces are not (Avro 1.11 behaviour).
 */
import type { AvroName } from './types';
import { AvroError } from './errors';

const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;

function isLetter(ch: string): boolean {
  return LETTER.test(ch);
}

export function validateName(name: string | null): string {
  if (name === null) throw new AvroError('Null name');
  if (name.length === 0) throw new AvroError('Empty name');
  const first = name[0];
  if (!(first === '_' || isLetter(first))) throw new AvroError(`Illegal initial character: ${name}`);
  for (let i = 1; i < name.length; i++) {
    const c = name[i];
    if (!(c === '_' || isLetter(c) || DIGIT.test(c))) throw new AvroError(`Illegal character in: ${name}`);
  }
  return name;
}

/** new Schema.Name(name, space): a dotted name carries its own namespace; "" means none. */
export function makeName(name: string, space: string | null): AvroName {
  const lastDot = name.lastIndexOf('.');
  let simple: string;
  if (lastDot < 0) {
    simple = validateName(name);
  } else {
    space = name.slice(0, lastDot);
    simple = validateName(name.slice(lastDot + 1));
  }
  if (space === '') space = null;
  return { name: simple, space, full: space === null ? simple : `${space}.${simple}` };
}

/**
 * The names of Schema.Type ("record", "int", ...). A named type whose simple name is one of these
 * must be written with its namespace, or re-parsing would read it as that type (AVRO-3374).
 */
const TYPE_NAMES = new Set([
  'record',
  'enum',
  'array',
  'map',
  'union',
  'fixed',
  'string',
  'bytes',
  'int',
  'long',
  'float',
  'double',
  'boolean',
  'null',
]);

/**
 * Name.getQualified(defaultSpace) as of Avro 1.11.1 (AVRO-3374, Name.shouldWriteFull): the simple
 * name when the type sits in the default namespace, unless that simple name is a type name; the
 * full name otherwise (which is the simple name when there is no namespace).
 */
export function qualified(n: AvroName, defaultSpace: string | null): string {
  if (n.space !== null && n.space === defaultSpace && !TYPE_NAMES.has(n.name)) return n.name;
  return n.full;
}
