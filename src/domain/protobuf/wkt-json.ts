import { checkScalar } from './scalar-json';

/**
 * The special JSON forms of the well-known types (https://protobuf.dev/programming-guides/json/):
 * Timestamp and Duration as strings, wrappers as their bare value, Struct/Value/ListValue as any
 * JSON, FieldMask as a comma-separated string, Any as an object with "@type", Empty as {}.
 */

type Report = (instancePath: string, schemaPath: string, keyword: string, message: string) => void;
/** Validates `value` against message `fullName` if it is known; returns whether it was. */
type CheckNamed = (value: unknown, fullName: string, path: string) => boolean;

/** Maps, not object literals: looked up by message names, and "constructor" is a valid one. */
const WRAPPERS = new Map<string, string>([
  ['google.protobuf.DoubleValue', 'double'],
  ['google.protobuf.FloatValue', 'float'],
  ['google.protobuf.Int64Value', 'int64'],
  ['google.protobuf.UInt64Value', 'uint64'],
  ['google.protobuf.Int32Value', 'int32'],
  ['google.protobuf.UInt32Value', 'uint32'],
  ['google.protobuf.BoolValue', 'bool'],
  ['google.protobuf.StringValue', 'string'],
  ['google.protobuf.BytesValue', 'bytes'],
]);

export const WELL_KNOWN_JSON: ReadonlySet<string> = new Set([
  ...WRAPPERS.keys(),
  'google.protobuf.Timestamp',
  'google.protobuf.Duration',
  'google.protobuf.Struct',
  'google.protobuf.Value',
  'google.protobuf.ListValue',
  'google.protobuf.FieldMask',
  'google.protobuf.Any',
  'google.protobuf.Empty',
]);

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
const DURATION = /^(-)?(\d+)(\.\d{1,9})?s$/;
const MAX_DURATION_SECONDS = 315576000000;

export function checkWellKnown(fullName: string, v: unknown, path: string, sp: string, report: Report, checkNamed: CheckNamed): void {
  const scalar = WRAPPERS.get(fullName);
  if (scalar) {
    const err = v === null ? null : checkScalar(v, scalar);
    if (err) report(path, `${sp}/type`, 'type', `${err} (${fullName})`);
    return;
  }
  switch (fullName) {
    case 'google.protobuf.Timestamp': {
      const m = typeof v === 'string' ? TIMESTAMP.exec(v) : null;
      const ok =
        m !== null &&
        Number(m[1]) >= 1 &&
        Number(m[2]) >= 1 &&
        Number(m[2]) <= 12 &&
        Number(m[3]) >= 1 &&
        Number(m[3]) <= daysIn(Number(m[1]), Number(m[2])) &&
        Number(m[4]) <= 23 &&
        Number(m[5]) <= 59 &&
        Number(m[6]) <= 59;
      if (!ok)
        report(path, `${sp}/format`, 'format', 'must be an RFC 3339 timestamp string, e.g. "1972-01-01T10:00:20.021Z" (google.protobuf.Timestamp)');
      return;
    }
    case 'google.protobuf.Duration': {
      const m = typeof v === 'string' ? DURATION.exec(v) : null;
      if (!m || Number(m[2]) > MAX_DURATION_SECONDS) {
        report(path, `${sp}/format`, 'format', 'must be a duration string in seconds with an "s" suffix, e.g. "1.5s" (google.protobuf.Duration)');
      }
      return;
    }
    case 'google.protobuf.Struct':
      if (typeof v !== 'object' || v === null || Array.isArray(v)) report(path, `${sp}/type`, 'type', 'must be an object (google.protobuf.Struct)');
      return;
    case 'google.protobuf.ListValue':
      if (!Array.isArray(v)) report(path, `${sp}/type`, 'type', 'must be an array (google.protobuf.ListValue)');
      return;
    case 'google.protobuf.Value':
      return; // any JSON value
    case 'google.protobuf.FieldMask':
      if (typeof v !== 'string' || !/^([a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*(,[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*)*)?$/.test(v)) {
        report(path, `${sp}/format`, 'format', 'must be a comma-separated list of lowerCamelCase field paths (google.protobuf.FieldMask)');
      }
      return;
    case 'google.protobuf.Empty':
      if (typeof v !== 'object' || v === null || Array.isArray(v)) report(path, `${sp}/type`, 'type', 'must be an object (google.protobuf.Empty)');
      else
        for (const k of Object.keys(v))
          report(`${path}/${k}`, `${sp}/unknownField`, 'unknownField', `unknown field "${k}" in message google.protobuf.Empty`);
      return;
    case 'google.protobuf.Any': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        report(path, `${sp}/type`, 'type', 'must be an object (google.protobuf.Any)');
        return;
      }
      const o = v as Record<string, unknown>;
      const url = o['@type'];
      if (typeof url !== 'string' || !url.includes('/')) {
        if (Object.keys(o).length > 0) report(path, `${sp}/required`, 'required', 'google.protobuf.Any needs an "@type" type URL');
        return;
      }
      const name = url.slice(url.lastIndexOf('/') + 1);
      // fromEntries defines own keys: a plain `rest[k] = val` would turn a "__proto__" key of the
      // document into the prototype and hide it from the unknown-field check
      const rest: Record<string, unknown> = Object.fromEntries(Object.entries(o).filter(([k]) => k !== '@type'));
      // Special-JSON types carry their value under "value"; others inline their fields.
      const payload = WELL_KNOWN_JSON.has(name) ? rest.value : rest;
      checkNamed(payload, name, path); // unknown type URLs are accepted unchecked
      return;
    }
  }
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
