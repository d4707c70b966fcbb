/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/#traceparent-header): the trace a
 * request belongs to, read from its `traceparent` header or begun here, carried into the
 * structured log lines (app.ts) and answered in a `traceparent` header naming this Worker's span.
 */
import { BYTE_HEX } from '../domain/hex';

export interface TraceContext {
  /** 32 lowercase hex digits, not all zero. */
  traceId: string;
  /** This request's span: 16 lowercase hex digits, not all zero. */
  spanId: string;
  /** The caller's span, when the request carried a valid traceparent. */
  parentId?: string;
  /** 2 hex digits; bit 0 = sampled. */
  flags: string;
}

const VERSION_00 = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
// A later version may append fields after a '-'; its first four are read as version 00's (§3.2.4).
const LATER_VERSION = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/;
const ZERO = /^0+$/;

/** The caller's trace, or undefined when the header is absent or invalid (then a new trace begins). */
export function parseTraceparent(header: string | undefined): Omit<TraceContext, 'spanId'> | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  let traceId: string, parentId: string, flags: string;
  const v00 = VERSION_00.exec(value);
  if (v00) [, traceId, parentId, flags] = v00;
  else {
    const later = LATER_VERSION.exec(value);
    // Version ff is forbidden; version 00 must be exactly 55 characters (handled above).
    if (!later || later[1] === 'ff' || later[1] === '00') return undefined;
    [, , traceId, parentId, flags] = later;
  }
  if (ZERO.test(traceId) || ZERO.test(parentId)) return undefined;
  return { traceId, parentId, flags };
}

/** The request's trace: the caller's continued with a new span, or a new trace (sampled). */
export function traceOf(header: string | undefined): TraceContext {
  const parent = parseTraceparent(header);
  const spanId = randomHex(8);
  return parent ? { ...parent, spanId } : { traceId: randomHex(16), spanId, flags: '01' };
}

/** The header this Worker answers and passes on: its own span as the parent. */
export function formatTraceparent(t: TraceContext): string {
  return `00-${t.traceId}-${t.spanId}-${t.flags}`;
}

/**
 * Random bytes drawn 4 KiB at a time (filled on first use, inside a request): one native call per
 * ~170 requests instead of two per request. Each byte is used once.
 */
const POOL = new Uint8Array(4096);
let drawn = POOL.length;

function randomHex(bytes: number): string {
  for (;;) {
    if (drawn + bytes > POOL.length) {
      crypto.getRandomValues(POOL);
      drawn = 0;
    }
    let hex = '';
    let any = 0;
    for (let i = drawn; i < drawn + bytes; i++) {
      any |= POOL[i];
      hex += BYTE_HEX[POOL[i]];
    }
    drawn += bytes;
    // All zeros is invalid in either field (about one chance in 2^64): draw again.
    if (any !== 0) return hex;
  }
}

/** The fields every structured log line of a request carries (a trace set by http/metrics.ts). */
export function traceFields(t: TraceContext | undefined): { traceId?: string; spanId?: string } {
  return t ? { traceId: t.traceId, spanId: t.spanId } : {};
}
