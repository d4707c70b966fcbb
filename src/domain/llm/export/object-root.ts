/**
 * Anthropic `input_schema` and MCP `inputSchema`: any JSON Schema, as long as the root is an
 * object schema (`"type": "object"`). Sources: docs/provider-rules.md, "Anthropic" and "MCP".
 */
import { isPlainObject, setOwn } from '../pointer';
import { wrapRoot } from './rewrite';
import { typeList, walkSchema } from './schema-walk';
import type { Finding, JsonObject } from './types';

export function lintObjectRoot(schema: unknown, field: string): Finding[] {
  const out: Finding[] = [];
  if (!isPlainObject(schema) || typeList(schema).join() !== 'object') {
    out.push({ severity: 'error', path: '', rule: 'root-object', message: `${field} must be an object schema with "type": "object".` });
  }
  // Not a provider rule: the provider receives this document alone and cannot fetch references.
  walkSchema(schema, (node, path) => {
    if (isPlainObject(node) && typeof node.$ref === 'string' && !node.$ref.startsWith('#')) {
      out.push({
        severity: 'warning',
        path,
        rule: 'ref-external',
        message: `$ref ${JSON.stringify(node.$ref)} points outside this schema; the provider cannot resolve it.`,
      });
    }
  });
  return out;
}

export function fixObjectRoot(schema: unknown, changes: string[], provider: string): unknown {
  if (schema === true) {
    changes.push('(root): replaced the `true` schema with {"type": "object"}');
    return { type: 'object' };
  }
  if (!isPlainObject(schema) || typeList(schema).join() === 'object') return schema;
  // No type, but every instance the schema accepts is an object anyway (object keywords, or every
  // anyOf/oneOf/allOf branch an object schema): adding "type": "object" changes nothing else.
  if (!typeList(schema).length && !('$ref' in schema) && objectsOnly(schema)) {
    changes.push('(root): added "type": "object"');
    return withType(schema);
  }
  return wrapRoot(schema, changes, `${provider} requires an object root`);
}

function objectsOnly(node: JsonObject): boolean {
  const branches = ['anyOf', 'oneOf', 'allOf'].flatMap((k) => (Array.isArray(node[k]) ? (node[k] as unknown[]) : []));
  if (branches.length) return branches.every((b) => isPlainObject(b) && typeList(b).join() === 'object');
  return isPlainObject(node.properties) || Array.isArray(node.required);
}

/** The node with "type": "object" placed after its leading $-keywords ($schema, $id). */
function withType(node: JsonObject): JsonObject {
  const out: JsonObject = {};
  const keys = Object.keys(node);
  let i = 0;
  for (; i < keys.length && keys[i].startsWith('$') && keys[i] !== '$defs' && keys[i] !== '$ref'; i++) out[keys[i]] = node[keys[i]];
  out.type = 'object';
  for (; i < keys.length; i++) setOwn(out, keys[i], node[keys[i]]);
  return out;
}
