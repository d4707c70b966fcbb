/**
 * The field names a schema declares, for search ("which subjects have a `customer_id`?"): JSON
 * Schema `properties` keys, Avro record `fields[].name`, Protobuf message fields (nested messages,
 * oneofs and groups included). Names only, no paths: a search matches a name wherever it is.
 * Stored text only reaches this (it parsed when registered); text that does not parse has none.
 */
import { parseDocument } from './documents';
import type { SchemaType } from './format';
import type { MessageElement, TypeElement } from './protobuf/ast';
import { parseProto } from './protobuf/parser';

/** At most this many names per schema: a search needs a few, not a schema's every corner. */
const MAX_NAMES = 2_000;
/** JSON/Avro text nests at most this deep here (registration allows deeper only for JSON Schema). */
const MAX_DEPTH = 256;

export function fieldNames(schemaType: SchemaType, text: string): string[] {
  const names = new Set<string>();
  try {
    if (schemaType === 'PROTOBUF') protoNames(parseProto(text).types, names);
    else jsonNames(parseDocument(text, { maxDepth: MAX_DEPTH }), names);
  } catch {
    return [];
  }
  return [...names].slice(0, MAX_NAMES);
}

/** JSON Schema and Avro walked alike: an explicit stack, so depth costs no recursion. */
function jsonNames(root: unknown, names: Set<string>): void {
  const stack: unknown[] = [root];
  while (stack.length > 0 && names.size < MAX_NAMES) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      stack.push(...(node as unknown[]));
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    const obj = node as Record<string, unknown>;
    const properties = obj.properties;
    if (isObject(properties)) for (const key of Object.keys(properties)) names.add(key);
    if ((obj.type === 'record' || obj.type === 'error') && Array.isArray(obj.fields)) {
      for (const f of obj.fields as unknown[]) if (isObject(f) && typeof f.name === 'string') names.add(f.name);
    }
    for (const [key, value] of Object.entries(obj)) {
      // A map of schemas is not itself a schema: its keys are names (`properties`) or labels, and
      // a property named `properties` must not be read as the keyword.
      if (SCHEMA_MAPS.has(key) && isObject(value)) stack.push(...Object.values(value));
      else stack.push(value);
    }
  }
}

/** JSON Schema keywords whose value maps names to schemas (draft 4 to 2020-12). */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas', 'dependencies']);

function protoNames(types: readonly TypeElement[], names: Set<string>): void {
  const stack: TypeElement[] = [...types];
  while (stack.length > 0 && names.size < MAX_NAMES) {
    const t = stack.pop();
    if (t?.kind !== 'message') continue;
    for (const f of messageFields(t)) names.add(f);
    stack.push(...t.nestedTypes);
  }
}

function messageFields(m: MessageElement): string[] {
  return [
    ...m.fields.map((f) => f.name),
    ...m.oneOfs.flatMap((o) => [...o.fields.map((f) => f.name), ...o.groups.map((g) => g.name.toLowerCase())]),
    ...m.groups.map((g) => g.name.toLowerCase()),
  ];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
