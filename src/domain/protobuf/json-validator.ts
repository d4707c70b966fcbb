import { ErrorCode, RegistryError } from '../errors';
import type { ValidationError, ValidationResult, Validator } from '../validation';
import { mapTypes, type EnumElement, type FieldElement, type MessageElement } from './ast';
import type { ProtobufParsedSchema } from './schema';
import { PROTOBUF_LIMITS } from './limits';
import { allFields, allGroups, type TypeInfo } from './symbols';
import { checkScalar } from './scalar-json';
import { checkWellKnown, WELL_KNOWN_JSON } from './wkt-json';

/**
 * Validates a JSON document against a message type using the canonical Protobuf JSON mapping
 * (https://protobuf.dev/programming-guides/json/), as protobuf-java's JsonFormat.parser() would
 * accept it (which is what Confluent's JSON -> Protobuf conversion uses): field keys by json_name
 * (lowerCamelCase) or original name, 64-bit integers as numbers or strings, enums by name or
 * number, bytes as base64, the special forms of the well-known types, at most one member per
 * oneof, null meaning "not set", unknown keys rejected. No code generation: a plain tree walk.
 *
 * schemaPath is `#/<message full name>/<field name>/<keyword>`.
 */

const MAX_DEPTH = PROTOBUF_LIMITS.maxDocumentDepth;
const MAX_ERRORS = PROTOBUF_LIMITS.maxValidationErrors;

interface FieldInfo {
  field: FieldElement;
  name: string;
  jsonName: string;
  repeated: boolean;
  required: boolean;
  oneof: string | null;
  /** Scalar type name, or null when `target` is set. */
  scalar: string | null;
  target: TypeInfo | null;
  map: { key: string; valueScalar: string | null; value: TypeInfo | null } | null;
}

interface MessageInfo {
  fullName: string;
  byKey: Map<string, FieldInfo>;
  fields: FieldInfo[];
  proto3: boolean;
}

/** protoc's ToJsonName: drop underscores, upper-case the letter after each. */
function toJsonName(name: string): string {
  let out = '';
  let upper = false;
  for (const c of name) {
    if (c === '_') upper = true;
    else if (upper) {
      out += c.toUpperCase();
      upper = false;
    } else out += c;
  }
  return out;
}

const ptr = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

export function protobufValidator(parsed: ProtobufParsedSchema, messageName?: string): Validator {
  const target = findMessage(parsed, messageName);
  const cache = new Map<string, MessageInfo>();

  const describeMessage = (info: TypeInfo): MessageInfo => {
    const hit = cache.get(info.fullName);
    if (hit) return hit;
    const m = info.element as MessageElement;
    const proto3 = info.loaded.file.syntax === 'proto3' || info.loaded.file.edition !== null;
    const fields: FieldInfo[] = [];
    for (const { field, oneof } of allFields(m)) {
      const mt = mapTypes(field.type);
      let map: FieldInfo['map'] = null;
      let target: TypeInfo | null = parsed.resolved.get(field) ?? null;
      let scalar: string | null = null;
      if (mt) {
        map = { key: mt.key, valueScalar: target ? null : mt.value, value: target };
        target = null;
      } else if (target && target.isMapEntry && field.label === 'repeated') {
        const entry = target.element as MessageElement;
        const k = entry.fields.find((f) => f.name === 'key');
        const v = entry.fields.find((f) => f.name === 'value');
        const vt = v ? (parsed.resolved.get(v) ?? null) : null;
        map = { key: k?.type ?? 'string', valueScalar: vt ? null : (v?.type ?? 'string'), value: vt };
        target = null;
      } else if (!target) {
        scalar = field.type;
      }
      fields.push({
        field,
        name: field.name,
        jsonName: field.jsonName ?? toJsonName(field.name),
        repeated: field.label === 'repeated' && map === null,
        required: field.label === 'required',
        oneof: oneof,
        scalar,
        target,
        map,
      });
    }
    for (const g of allGroups(m)) {
      const gi = parsed.symbols.types.get(`${info.fullName}.${g.name}`) ?? null;
      const name = g.name.toLowerCase();
      const pseudo: FieldElement = { loc: g.loc, label: g.label, type: g.name, name, tag: g.tag, defaultValue: null, jsonName: null, options: [] };
      const oneof = m.oneOfs.find((o) => o.groups.includes(g))?.name ?? null;
      fields.push({
        field: pseudo,
        name,
        jsonName: toJsonName(name),
        repeated: g.label === 'repeated',
        required: g.label === 'required',
        oneof,
        scalar: null,
        target: gi,
        map: null,
      });
    }
    const byKey = new Map<string, FieldInfo>();
    for (const f of fields) {
      byKey.set(f.jsonName, f);
      byKey.set(f.name, f);
    }
    const out: MessageInfo = { fullName: info.fullName, byKey, fields, proto3 };
    cache.set(info.fullName, out);
    return out;
  };

  return {
    validate(instance: unknown): ValidationResult {
      const errors: ValidationError[] = [];
      const report = (instancePath: string, schemaPath: string, keyword: string, message: string): void => {
        if (errors.length < MAX_ERRORS) errors.push({ instancePath, schemaPath, keyword, message });
      };

      const checkMessage = (value: unknown, info: TypeInfo, path: string, depth: number): void => {
        const sp = `#/${ptr(info.fullName)}`;
        if (depth > MAX_DEPTH) {
          report(path, sp, 'maxDepth', `document nested deeper than ${MAX_DEPTH} levels`);
          return;
        }
        if (WELL_KNOWN_JSON.has(info.fullName)) {
          checkWellKnown(info.fullName, value, path, sp, report, (v, name, p) => {
            const t = parsed.symbols.types.get(name);
            if (t && t.element.kind === 'message') checkMessage(v, t, p, depth + 1);
            return t !== undefined;
          });
          return;
        }
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          report(path, `${sp}/type`, 'type', `must be an object (message ${info.fullName})`);
          return;
        }
        const m = describeMessage(info);
        const seen = new Map<FieldInfo, string>();
        const oneofSet = new Map<string, string>();
        for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
          const p = `${path}/${ptr(key)}`;
          if (key.startsWith('[') && key.endsWith(']')) continue; // extension: not checked
          const f = m.byKey.get(key);
          if (!f) {
            report(p, `${sp}/unknownField`, 'unknownField', `unknown field "${key}" in message ${info.fullName}`);
            continue;
          }
          const fsp = `${sp}/${ptr(f.name)}`;
          const prev = seen.get(f);
          if (prev !== undefined) {
            report(p, `${fsp}/duplicateField`, 'duplicateField', `field "${f.name}" is set twice ("${prev}" and "${key}")`);
            continue;
          }
          seen.set(f, key);
          // null = not set, except for google.protobuf.Value (JSON null) and NullValue.
          const nullable = f.target && (f.target.fullName === 'google.protobuf.Value' || f.target.fullName === 'google.protobuf.NullValue');
          if (v === null && !nullable) continue;
          if (f.oneof !== null) {
            const other = oneofSet.get(f.oneof);
            if (other !== undefined) {
              report(p, `${sp}/${ptr(f.oneof)}/oneof`, 'oneof', `oneof "${f.oneof}" has more than one field set ("${other}" and "${f.name}")`);
            } else oneofSet.set(f.oneof, f.name);
          }
          checkField(v, f, p, fsp, depth);
        }
        for (const f of m.fields) {
          if (f.required && !seen.has(f)) {
            report(path, `${sp}/${ptr(f.name)}/required`, 'required', `missing required field "${f.name}"`);
          }
        }
      };

      const checkField = (v: unknown, f: FieldInfo, p: string, fsp: string, depth: number): void => {
        if (f.map) {
          if (typeof v !== 'object' || v === null || Array.isArray(v)) {
            report(p, `${fsp}/type`, 'type', 'must be an object (map field)');
            return;
          }
          for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
            const ip = `${p}/${ptr(k)}`;
            const keyErr = checkMapKey(k, f.map.key);
            if (keyErr) report(ip, `${fsp}/mapKey`, 'mapKey', keyErr);
            if (item === null && !(f.map.value?.fullName === 'google.protobuf.Value')) {
              report(ip, `${fsp}/type`, 'type', 'map values cannot be null');
              continue;
            }
            checkSingle(item, f.map.valueScalar, f.map.value, ip, fsp, depth);
          }
          return;
        }
        if (f.repeated) {
          if (!Array.isArray(v)) {
            report(p, `${fsp}/type`, 'type', 'must be an array (repeated field)');
            return;
          }
          v.forEach((item, i) => {
            if (item === null && f.target?.fullName !== 'google.protobuf.Value') {
              report(`${p}/${i}`, `${fsp}/type`, 'type', 'repeated values cannot be null');
              return;
            }
            checkSingle(item, f.scalar, f.target, `${p}/${i}`, fsp, depth);
          });
          return;
        }
        checkSingle(v, f.scalar, f.target, p, fsp, depth);
      };

      const checkSingle = (v: unknown, scalar: string | null, target: TypeInfo | null, p: string, fsp: string, depth: number): void => {
        if (target) {
          if (target.element.kind === 'enum') {
            const e = target.element;
            if (target.fullName === 'google.protobuf.NullValue' && v === null) return;
            if (typeof v === 'string') {
              if (!constantsOf(e).names.has(v)) report(p, `${fsp}/enum`, 'enum', `"${v}" is not a value of enum ${target.fullName}`);
            } else if (typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) {
              const open = target.loaded.file.syntax === 'proto3' || target.loaded.file.edition !== null;
              if (!open && !constantsOf(e).tags.has(v)) {
                report(p, `${fsp}/enum`, 'enum', `${v} is not a value of closed enum ${target.fullName}`);
              }
            } else {
              report(p, `${fsp}/type`, 'type', `must be an enum value name or an int32 number (enum ${target.fullName})`);
            }
            return;
          }
          checkMessage(v, target, p, depth + 1);
          return;
        }
        const err = checkScalar(v, scalar ?? 'string');
        if (err) report(p, `${fsp}/type`, 'type', err);
      };

      if (target.element.kind !== 'message') {
        report('', '#', 'type', `${target.fullName} is not a message type`);
      } else {
        checkMessage(instance, target, '', 0);
      }
      return { valid: errors.length === 0, errors };
    },
  };
}

const enumIndex = new WeakMap<EnumElement, { names: Set<string>; tags: Set<number> }>();

/** An enum's names and numbers as Sets: a scan per document value is quadratic on large enums. */
function constantsOf(e: EnumElement): { names: Set<string>; tags: Set<number> } {
  let x = enumIndex.get(e);
  if (!x) enumIndex.set(e, (x = { names: new Set(e.constants.map((c) => c.name)), tags: new Set(e.constants.map((c) => c.tag)) }));
  return x;
}

function findMessage(parsed: ProtobufParsedSchema, messageName?: string): TypeInfo {
  const pkg = parsed.file.packageName ?? '';
  let name = messageName ?? parsed.messageNames.at(0);
  if (name === undefined) throw new RegistryError(ErrorCode.UNSUPPORTED_TARGET, 'The Protobuf schema defines no message type');
  if (name.startsWith('.')) name = name.slice(1);
  const t = parsed.symbols.types.get(name) ?? (pkg ? parsed.symbols.types.get(`${pkg}.${name}`) : undefined);
  if (!t || t.element.kind !== 'message') {
    throw new RegistryError(ErrorCode.UNSUPPORTED_TARGET, `Message type "${name}" is not defined in the Protobuf schema`);
  }
  return t;
}

function checkMapKey(k: string, type: string): string | null {
  if (type === 'string') return null;
  if (type === 'bool') return k === 'true' || k === 'false' ? null : `map key "${k}" must be "true" or "false"`;
  if (!/^-?(0|[1-9][0-9]*)$/.test(k)) return `map key "${k}" must be an integer (${type})`;
  const err = checkScalar(k, type);
  return err ? `map key ${err}` : null;
}
