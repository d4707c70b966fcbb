/**
 * Logical types as Avro Java 1.11 resolves them (LogicalTypes.fromSchemaIgnoreInvalid): an
 * invalid or unknown logical type is ignored and the schema is its underlying type; the
 * "logicalType" attribute stays a plain property either way, so it is still printed.
 * Logical types never affect compatibility (SchemaCompatibility ignores them); they only matter
 * for Confluent's normalized form (AvroSchemaUtils.setLogicalProps).
 * "duration" is not registered by Avro Java 1.11's factory switch, so it stays a plain property.
 */
import { isNum, textValue, type JVal } from './json';
import type { LogicalType, Props } from './types';

/** LogicalType.INCOMPATIBLE_PROPS: a logical type cannot coexist with these Java-binding props. */
const INCOMPATIBLE_PROPS = ['avro.java.string', 'java-class', 'java-key-class', 'java-element-class'];

/** A Map: looked up with the schema's "logicalType" text ("constructor" must find nothing). */
const UNDERLYING = new Map<string, string>([
  ['uuid', 'string'],
  ['date', 'int'],
  ['time-millis', 'int'],
  ['time-micros', 'long'],
  ['timestamp-millis', 'long'],
  ['timestamp-micros', 'long'],
  ['local-timestamp-millis', 'long'],
  ['local-timestamp-micros', 'long'],
]);

function intProp(v: JVal | undefined): number | null {
  // Decimal.getInt: the prop must be an Integer (a JSON integral literal in int range)
  return isNum(v) && v.fitsInt() ? Number(v.raw) : null;
}

/** Returns the valid logical type of a schema with these props, or null. */
export function resolveLogicalType(type: string, props: Props, fixedSize?: number): LogicalType | null {
  const name = textValue(props.get('logicalType'));
  if (name === null) return null;
  if (INCOMPATIBLE_PROPS.some((p) => textValue(props.get(p)) !== null)) return null;
  if (name === 'decimal') {
    if (!props.has('precision')) return null;
    const precision = intProp(props.get('precision'));
    if (precision === null) return null;
    let scale = 0;
    if (props.has('scale')) {
      const s = intProp(props.get('scale'));
      if (s === null) return null;
      scale = s;
    }
    if (type !== 'fixed' && type !== 'bytes') return null;
    if (precision <= 0) return null;
    if (type === 'fixed') {
      const max = Math.round(Math.floor(Math.log10(2) * (8 * (fixedSize ?? 0) - 1)));
      if (precision > max) return null;
    }
    if (scale < 0 || scale > precision) return null;
    return { name, precision, scale };
  }
  const underlying = UNDERLYING.get(name);
  if (underlying === undefined || underlying !== type) return null;
  return { name };
}
