/**
 * Find the JSON in a model's answer: the whole text, ```json fences, or a balanced {...} / [...]
 * inside prose. Returns every candidate that parses, in order, so the caller can pick the first
 * one that validates against the schema (docs/llm-gateway.md, "Extraction").
 *
 * Bounded on hostile input: the size is checked before any work, nesting deeper than
 * `maxDepth` is refused while scanning (before JSON.parse ever sees it), the number of start
 * positions tried and the total characters scanned are capped, so the work is linear in the
 * input with a small constant and never quadratic.
 */
import { ErrorCode, RegistryError } from '../errors';
import { utf8Length } from '../utf8-length';

export interface ExtractLimits {
  /** Largest accepted output, in UTF-8 bytes. Larger -> PAYLOAD_TOO_LARGE (41301). */
  maxBytes: number;
  /** Deepest accepted nesting of objects/arrays. Deeper -> DOCUMENT_TOO_DEEP (42222). */
  maxDepth: number;
  /** Most start positions ('{' or '[') tried when scanning prose. Default 64. */
  maxStarts?: number;
  /** Most candidates returned. Default 16. */
  maxCandidates?: number;
}

const DEFAULT_MAX_STARTS = 64;
const DEFAULT_MAX_CANDIDATES = 16;

type ExtractSource = 'whole' | 'fence' | 'embedded';

interface JsonCandidate {
  value: unknown;
  source: ExtractSource;
  /** Character offsets of the candidate's text in the output. */
  start: number;
  end: number;
}

export type ExtractResult = { found: true; value: unknown; candidates: number; source: ExtractSource } | { found: false; reason: string };

/** Every parsed candidate, in preference order: whole text, then fences, then prose. */
export function extractJsonCandidates(text: string, limits: ExtractLimits): unknown[] {
  return findJsonCandidates(text, limits).candidates.map((c) => c.value);
}

/** The first candidate (the caller validates it) and how many there were. */
export function extractJson(text: string, limits: ExtractLimits): ExtractResult {
  const scan = findJsonCandidates(text, limits);
  const first = scan.candidates.at(0);
  if (first) return { found: true, value: first.value, candidates: scan.candidates.length, source: first.source };
  return { found: false, reason: scan.reason };
}

export interface CandidateScan {
  candidates: JsonCandidate[];
  /** Why nothing was found; meaningful only when `candidates` is empty. */
  reason: string;
}

export function findJsonCandidates(text: string, limits: ExtractLimits): CandidateScan {
  const bytes = utf8Length(text, limits.maxBytes);
  if (bytes > limits.maxBytes) {
    throw new RegistryError(ErrorCode.PAYLOAD_TOO_LARGE, `Model output is larger than ${limits.maxBytes} bytes; JSON extraction refused.`);
  }
  const ctx: ScanContext = {
    text,
    maxDepth: limits.maxDepth,
    startsLeft: limits.maxStarts ?? DEFAULT_MAX_STARTS,
    maxCandidates: limits.maxCandidates ?? DEFAULT_MAX_CANDIDATES,
    // Total characters the scanner and JSON.parse may touch: a few passes over the input.
    budget: 4 * text.length + 4096,
    candidates: [],
    spans: 0,
    firstError: '',
    exhausted: false,
  };

  const trimmedStart = skipSpace(text, 0, text.length);
  const trimmedEnd = skipSpaceBack(text, trimmedStart, text.length);
  if (trimmedStart === trimmedEnd) return { candidates: [], reason: 'the output is empty' };

  // 1. The whole output is one JSON value (the common case for JSON-mode answers).
  const whole = tryWhole(ctx, trimmedStart, trimmedEnd);
  if (whole !== NO_VALUE) {
    return { candidates: [{ value: whole, source: 'whole', start: trimmedStart, end: trimmedEnd }], reason: '' };
  }

  // 2. Markdown code fences, in order: an explicit signal of where the answer is.
  const fences = findFences(text);
  for (const f of fences) {
    if (full(ctx)) break;
    const s = skipSpace(text, f.contentStart, f.contentEnd);
    const e = skipSpaceBack(text, s, f.contentEnd);
    if (s === e) continue;
    const value = tryWhole(ctx, s, e);
    if (value !== NO_VALUE) ctx.candidates.push({ value, source: 'fence', start: s, end: e });
    else scanEmbedded(ctx, s, e, 'fence');
  }

  // 3. Balanced {...} / [...] in the prose outside the fences.
  let from = 0;
  for (const f of fences) {
    scanEmbedded(ctx, from, f.fenceStart, 'embedded');
    from = f.fenceEnd;
  }
  scanEmbedded(ctx, from, text.length, 'embedded');

  return { candidates: ctx.candidates, reason: ctx.candidates.length ? '' : reasonFor(ctx) };
}

interface ScanContext {
  text: string;
  maxDepth: number;
  startsLeft: number;
  maxCandidates: number;
  budget: number;
  candidates: JsonCandidate[];
  /** Balanced spans that looked like JSON but did not parse. */
  spans: number;
  firstError: string;
  exhausted: boolean;
}

const NO_VALUE = Symbol('no value');

function full(ctx: ScanContext): boolean {
  return ctx.candidates.length >= ctx.maxCandidates;
}

function reasonFor(ctx: ScanContext): string {
  if (ctx.spans > 0) {
    const plural = ctx.spans === 1 ? 'span' : 'spans';
    return `found ${ctx.spans} JSON-like ${plural} but none is valid JSON (${ctx.firstError})`;
  }
  if (ctx.exhausted) return 'no valid JSON found before the scan limit was reached';
  return 'no JSON object or array found in the output';
}

/** Parse text[s, e) as one complete JSON value, refusing too-deep nesting first. */
function tryWhole(ctx: ScanContext, s: number, e: number): unknown {
  const c = ctx.text.charCodeAt(s);
  if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
    // One balanced span covering exactly [s, e)? (This also enforces maxDepth.)
    if (scanBalanced(ctx, s, e) !== e) return NO_VALUE;
    return parse(ctx, s, e, false);
  }
  // Scalars: a string, number, true, false, null (depth 0, one linear parse).
  if (c === 0x22 || c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e) {
    return parse(ctx, s, e, false);
  }
  return NO_VALUE;
}

/**
 * JSON.parse of text[s, e). `count`: a failure counts as a "JSON-like span" for the reason text
 * (whole-text attempts do not count: the prose scan retries the same spans and counts them).
 */
function parse(ctx: ScanContext, s: number, e: number, count = true): unknown {
  ctx.budget -= e - s;
  try {
    return JSON.parse(ctx.text.slice(s, e));
  } catch (err) {
    if (!count) return NO_VALUE;
    ctx.spans++;
    if (!ctx.firstError) ctx.firstError = truncate(err instanceof Error ? err.message : String(err), 120);
    return NO_VALUE;
  }
}

/** Try each '{' / '[' in text[from, to) as the start of a JSON value. */
function scanEmbedded(ctx: ScanContext, from: number, to: number, source: ExtractSource): void {
  const text = ctx.text;
  let i = from;
  while (i < to && !full(ctx)) {
    const c = text.charCodeAt(i);
    if (c !== 0x7b && c !== 0x5b) {
      i++;
      continue;
    }
    if (ctx.startsLeft <= 0 || ctx.budget <= 0) {
      ctx.exhausted = true;
      return;
    }
    ctx.startsLeft--;
    const end = scanBalanced(ctx, i, to);
    if (end < 0) {
      i++;
      continue;
    }
    const value = parse(ctx, i, end);
    if (value === NO_VALUE) {
      i++;
      continue;
    }
    ctx.candidates.push({ value, source, start: i, end });
    i = end; // never rescan inside an accepted candidate
  }
}

/**
 * From an opening bracket at `start`, find the index just past its matching closer within
 * [start, limit), respecting JSON strings and escapes. -1 when the brackets do not match,
 * a string runs over a line break (not JSON), or the limit is reached first.
 * Throws DOCUMENT_TOO_DEEP when nesting exceeds maxDepth.
 */
function scanBalanced(ctx: ScanContext, start: number, limit: number): number {
  const text = ctx.text;
  const closers: number[] = [];
  let inString = false;
  let i = start;
  for (; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22) inString = false;
      else if (c === 0x0a || c === 0x0d) break; // raw line breaks are not allowed in JSON strings
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      closers.push(c === 0x7b ? 0x7d : 0x5d);
      if (closers.length > ctx.maxDepth) {
        throw new RegistryError(ErrorCode.DOCUMENT_TOO_DEEP, `JSON in the model output is nested deeper than ${ctx.maxDepth} levels.`);
      }
    } else if (c === 0x7d || c === 0x5d) {
      if (closers.pop() !== c) break;
      if (closers.length === 0) {
        ctx.budget -= i + 1 - start;
        return i + 1;
      }
    }
  }
  ctx.budget -= i - start;
  return -1;
}

interface Fence {
  fenceStart: number;
  fenceEnd: number;
  contentStart: number;
  contentEnd: number;
}

/**
 * Markdown backtick fences (CommonMark 4.5): an opening ``` with an info string ("json", "",
 * anything without backticks) on its own line, content up to the next ```. An unterminated last
 * fence runs to the end (models get cut off). One forward pass with indexOf: linear.
 */
function findFences(text: string): Fence[] {
  const out: Fence[] = [];
  let pos = 0;
  for (;;) {
    const open = text.indexOf('```', pos);
    if (open < 0) break;
    const nl = text.indexOf('\n', open + 3);
    if (nl < 0) break;
    if (text.slice(open + 3, nl).includes('`')) {
      pos = open + 3;
      continue;
    }
    const close = text.indexOf('```', nl + 1);
    if (close < 0) {
      out.push({ fenceStart: open, fenceEnd: text.length, contentStart: nl + 1, contentEnd: text.length });
      break;
    }
    out.push({ fenceStart: open, fenceEnd: close + 3, contentStart: nl + 1, contentEnd: close });
    pos = close + 3;
  }
  return out;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xfeff || c === 0xa0;
}

function skipSpace(text: string, s: number, e: number): number {
  while (s < e && isSpace(text.charCodeAt(s))) s++;
  return s;
}

function skipSpaceBack(text: string, s: number, e: number): number {
  while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
  return e;
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}
