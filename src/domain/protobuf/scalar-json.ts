/**
 * Scalar values in the Protobuf JSON mapping: integers as JSON numbers or strings (64-bit ones
 * range-checked with BigInt), floats incl. "NaN"/"Infinity", bools, strings, base64 bytes.
 */

const I32: [bigint, bigint] = [-(2n ** 31n), 2n ** 31n - 1n];
const U32: [bigint, bigint] = [0n, 2n ** 32n - 1n];
const I64: [bigint, bigint] = [-(2n ** 63n), 2n ** 63n - 1n];
const U64: [bigint, bigint] = [0n, 2n ** 64n - 1n];

/** A Map: looked up with a field's type name, which may be a message named "constructor". */
const INT_RANGES = new Map<string, [bigint, bigint]>([
  ['int32', I32],
  ['sint32', I32],
  ['sfixed32', I32],
  ['uint32', U32],
  ['fixed32', U32],
  ['int64', I64],
  ['sint64', I64],
  ['sfixed64', I64],
  ['uint64', U64],
  ['fixed64', U64],
]);

/** An integral value from a JSON number or numeric string; null if not integral. */
function integral(v: unknown): bigint | null {
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || !Number.isInteger(v)) return null;
    return BigInt(v);
  }
  if (typeof v === 'string') {
    if (/^-?(0|[1-9][0-9]*)$/.test(v)) return BigInt(v);
    if (/^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/.test(v) && v.length <= 400) {
      const n = Number(v);
      return Number.isInteger(n) ? BigInt(n) : null;
    }
  }
  return null;
}

export function checkScalar(v: unknown, type: string): string | null {
  const range = INT_RANGES.get(type);
  if (range) {
    const n = integral(v);
    if (n === null) return `must be an integer (${type})${typeof v === 'string' ? '' : ', as a JSON number or string'}`;
    if (n < range[0] || n > range[1]) return `${String(v)} is out of range for ${type}`;
    return null;
  }
  switch (type) {
    case 'double':
    case 'float': {
      let n: number;
      if (typeof v === 'number') n = v;
      else if (typeof v === 'string' && (v === 'NaN' || v === 'Infinity' || v === '-Infinity')) return null;
      else if (typeof v === 'string' && /^-?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?$|^-?[0-9]+\.$/.test(v)) n = Number(v);
      else return `must be a number (${type})`;
      if (!Number.isFinite(n)) return `${String(v)} is out of range for ${type}`;
      if (type === 'float' && Math.abs(n) > 3.4028234663852886e38) return `${String(v)} is out of range for float`;
      return null;
    }
    case 'bool':
      return typeof v === 'boolean' || v === 'true' || v === 'false' ? null : 'must be a boolean';
    case 'string':
      return typeof v === 'string' ? null : 'must be a string';
    case 'bytes':
      return typeof v === 'string' && isBase64(v) ? null : 'must be a base64 string (bytes)';
    default:
      return `unsupported type ${type}`;
  }
}

function isBase64(s: string): boolean {
  if (s.length === 0) return true;
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(s)) return false;
  const body = s.replace(/=+$/, '');
  if (body.length % 4 === 1) return false;
  if (s.includes('=') && s.length % 4 !== 0) return false;
  return true;
}
