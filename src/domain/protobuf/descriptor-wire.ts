import { SchemaParseError } from '../errors';

/**
 * The Protobuf binary wire format, as far as descriptor.proto needs it
 * (https://protobuf.dev/programming-guides/encoding/): varints, length-delimited fields, and
 * skipping of the other wire types. Hand-written because protobufjs/@bufbuild generate code or
 * are not Workers-safe dependencies of src/; plus base64 without Node's Buffer.
 */

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_START_GROUP = 3;
const WIRE_END_GROUP = 4;
const WIRE_FIXED32 = 5;

const utf8 = new TextEncoder();

/** Append-only encoder. Nested messages are encoded separately and written with `message`. */
export class WireWriter {
  // Small to start: most writers hold one field or option (tens of bytes); ensure() doubles.
  private buf = new Uint8Array(32);
  private len = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private rawVarint(value: number): void {
    this.ensure(10);
    if (value < 0) {
      // int32/enum negatives are sign-extended to 64 bits: ten bytes (encoding spec, "int32").
      let lo = value >>> 0;
      for (let i = 0; i < 4; i++) {
        this.buf[this.len++] = (lo & 0x7f) | 0x80;
        lo >>>= 7;
      }
      // Bits 28..31 of the low word, then 32 set high bits.
      this.buf[this.len++] = (lo & 0x0f) | 0x70 | 0x80;
      for (let i = 0; i < 4; i++) this.buf[this.len++] = 0xff;
      this.buf[this.len++] = 0x01;
      return;
    }
    let v = value;
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }

  private tag(field: number, wire: number): void {
    this.rawVarint(field * 8 + wire);
  }

  /** int32, enum, bool (as 0/1) fields. */
  int(field: number, value: number): this {
    this.tag(field, WIRE_VARINT);
    this.rawVarint(value);
    return this;
  }

  bool(field: number, value: boolean): this {
    return this.int(field, value ? 1 : 0);
  }

  bytes(field: number, data: Uint8Array): this {
    this.tag(field, WIRE_LEN);
    this.rawVarint(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
    return this;
  }

  string(field: number, value: string): this {
    const n = value.length;
    for (let i = 0; i < n; i++) {
      if (value.charCodeAt(i) > 0x7f) return this.bytes(field, utf8.encode(value));
    }
    // ASCII (names, type names, most option values): the code units are the UTF-8 bytes.
    this.tag(field, WIRE_LEN);
    this.rawVarint(n);
    this.ensure(n);
    for (let i = 0; i < n; i++) this.buf[this.len++] = value.charCodeAt(i);
    return this;
  }

  /** A nested message, copied straight from its writer's buffer (no intermediate copy). */
  message(field: number, w: WireWriter): this {
    return this.bytes(field, w.buf.subarray(0, w.len));
  }

  get length(): number {
    return this.len;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** One decoded field: varints as int32 (low 32 bits, like protobuf-java's readInt32), LEN as bytes. */
export type WireValue = { wire: 'varint'; value: number; nonZero: boolean } | { wire: 'len'; bytes: Uint8Array };

export type WireFields = Map<number, WireValue[]>;

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes one message into its fields by number (repeated fields keep their order). Fixed-width
 * fields and groups are skipped: descriptor.proto has none we read. Truncated or malformed input
 * throws SchemaParseError.
 */
function readFields(data: Uint8Array, what: string): WireFields {
  const out: WireFields = new Map();
  let pos = 0;
  const fail = (why: string): never => {
    throw new SchemaParseError(`Invalid FileDescriptorProto: ${why} in ${what} at byte ${pos}`);
  };
  const varint = (): { value: number; nonZero: boolean; big: number } => {
    let lo = 0;
    let big = 0;
    let nonZero = false;
    for (let i = 0; i < 10; i++) {
      if (pos >= data.length) fail('truncated varint');
      const b = data[pos++];
      if (b & 0x7f) nonZero = true;
      if (i < 5) lo |= (b & 0x7f) << (7 * i);
      if (i < 8) big += (b & 0x7f) * 2 ** (7 * i);
      if (!(b & 0x80)) return { value: lo | 0, nonZero, big };
    }
    return fail('varint longer than 10 bytes');
  };
  const skip = (n: number): void => {
    if (n > data.length - pos) fail('truncated field');
    pos += n;
  };
  let groupDepth = 0;
  while (pos < data.length) {
    const key = varint().big;
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) fail('field number 0');
    switch (wire) {
      case WIRE_VARINT: {
        const v = varint();
        if (groupDepth === 0) push(out, field, { wire: 'varint', value: v.value, nonZero: v.nonZero });
        break;
      }
      case WIRE_FIXED64:
        skip(8);
        break;
      case WIRE_FIXED32:
        skip(4);
        break;
      case WIRE_LEN: {
        const n = varint().big;
        const start = pos;
        skip(n);
        if (groupDepth === 0) push(out, field, { wire: 'len', bytes: data.subarray(start, pos) });
        break;
      }
      case WIRE_START_GROUP:
        if (++groupDepth > 64) fail('groups nested too deeply');
        break;
      case WIRE_END_GROUP:
        if (--groupDepth < 0) fail('unexpected end-group tag');
        break;
      default:
        fail(`invalid wire type ${wire}`);
    }
  }
  if (groupDepth !== 0) fail('unterminated group');
  return out;
}

function push(out: WireFields, field: number, v: WireValue): void {
  const list = out.get(field);
  if (list) list.push(v);
  else out.set(field, [v]);
}

/** Typed access to decoded fields; a wrong wire type for a known field is an error. */
export class WireMessage {
  readonly fields: WireFields;

  constructor(
    data: Uint8Array,
    readonly what: string,
  ) {
    this.fields = readFields(data, what);
  }

  private all(field: number, wire: WireValue['wire']): WireValue[] {
    const list = this.fields.get(field) ?? [];
    for (const v of list) {
      if (v.wire !== wire) throw new SchemaParseError(`Invalid FileDescriptorProto: field ${field} of ${this.what} has the wrong wire type`);
    }
    return list;
  }

  has(field: number): boolean {
    return this.fields.has(field);
  }

  /** Last value wins for singular fields (protobuf merge semantics). */
  int(field: number): number | null {
    const v = this.all(field, 'varint').at(-1);
    return v?.wire === 'varint' ? v.value : null;
  }

  /** Packed or unpacked repeated int32 (public_dependency). */
  ints(field: number): number[] {
    const out: number[] = [];
    for (const v of this.fields.get(field) ?? []) {
      if (v.wire === 'varint') out.push(v.value);
      else for (const f of readPacked(v.bytes, this.what)) out.push(f);
    }
    return out;
  }

  bool(field: number): boolean | null {
    const v = this.all(field, 'varint').at(-1);
    return v?.wire === 'varint' ? v.nonZero : null;
  }

  string(field: number): string | null {
    const list = this.strings(field);
    return list.length > 0 ? list[list.length - 1] : null;
  }

  strings(field: number): string[] {
    return this.all(field, 'len').map((v) => {
      try {
        return utf8Decoder.decode((v as { bytes: Uint8Array }).bytes);
      } catch {
        throw new SchemaParseError(`Invalid FileDescriptorProto: field ${field} of ${this.what} is not valid UTF-8`);
      }
    });
  }

  messages(field: number, what: string): WireMessage[] {
    return this.all(field, 'len').map((v) => new WireMessage((v as { bytes: Uint8Array }).bytes, what));
  }

  /** A singular message field; repeated occurrences are merged by concatenation (protobuf rule). */
  message(field: number, what: string): WireMessage | null {
    const list = this.all(field, 'len') as { bytes: Uint8Array }[];
    if (list.length === 0) return null;
    if (list.length === 1) return new WireMessage(list[0].bytes, what);
    const total = list.reduce((n, v) => n + v.bytes.length, 0);
    const joined = new Uint8Array(total);
    let at = 0;
    for (const v of list) {
      joined.set(v.bytes, at);
      at += v.bytes.length;
    }
    return new WireMessage(joined, what);
  }
}

function readPacked(data: Uint8Array, what: string): number[] {
  const out: number[] = [];
  let pos = 0;
  while (pos < data.length) {
    let lo = 0;
    let i = 0;
    for (; ; i++) {
      if (i >= 10 || pos >= data.length) throw new SchemaParseError(`Invalid FileDescriptorProto: malformed packed varint in ${what}`);
      const b = data[pos++];
      if (i < 5) lo |= (b & 0x7f) << (7 * i);
      if (!(b & 0x80)) break;
    }
    out.push(lo | 0);
  }
  return out;
}

// ---- base64 (RFC 4648 §4, the alphabet of java.util.Base64.getEncoder / getDecoder).

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

export function toBase64(data: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  let i = 0;
  for (; i + 2 < data.length; i += 3) {
    const n = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    chunk += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  const rest = data.length - i;
  if (rest === 1) {
    const n = data[i] << 16;
    chunk += `${ALPHABET[n >> 18]}${ALPHABET[(n >> 12) & 63]}==`;
  } else if (rest === 2) {
    const n = (data[i] << 16) | (data[i + 1] << 8);
    chunk += `${ALPHABET[n >> 18]}${ALPHABET[(n >> 12) & 63]}${ALPHABET[(n >> 6) & 63]}=`;
  }
  parts.push(chunk);
  return parts.join('');
}

/** Whether `text` is made only of base64 characters (the precondition for trying a descriptor). */
export function looksLikeBase64(text: string): boolean {
  return text.length > 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(text);
}

/**
 * Strict decoding as java.util.Base64.getDecoder(): standard alphabet, no whitespace, padding
 * optional but only at the end, a final unit of one character is an error. Returns null if invalid.
 */
export function fromBase64(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*(={0,2})$/.test(text)) return null;
  const body = text.replace(/=+$/, '');
  const pad = text.length - body.length;
  if (pad > 0 && text.length % 4 !== 0) return null;
  if (body.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((body.length * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < body.length; i++) {
    acc = (acc << 6) | DECODE[body.charCodeAt(i)];
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}
