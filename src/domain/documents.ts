/**
 * Instances sent for validation: bounded before they are parsed. Depth is measured by a linear
 * scan (outside strings) so that hostile nesting never reaches JSON.parse or the validator.
 */
import { ErrorCode, RegistryError } from './errors';

export interface DocumentLimits {
  maxDepth: number;
}

const DEFAULT_DOCUMENT_LIMITS: DocumentLimits = { maxDepth: 128 };

/** Deepest nesting of objects/arrays in JSON text (strings skipped). */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/** JSON.stringify as it behaves: undefined for undefined, functions and symbols (the lib typing says string). */
export function jsonText(value: unknown): string | undefined {
  return JSON.stringify(value);
}

/** Parse one JSON document. `where` names it in messages (e.g. "line 3"). */
export function parseDocument(text: string, limits: DocumentLimits = DEFAULT_DOCUMENT_LIMITS, where = 'the request body'): unknown {
  if (nestingDepth(text) > limits.maxDepth) {
    throw new RegistryError(ErrorCode.DOCUMENT_TOO_DEEP, `The document in ${where} nests deeper than ${limits.maxDepth} levels`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new RegistryError(ErrorCode.INVALID_DOCUMENT, `The document in ${where} is not valid JSON: ${(e as Error).message}`);
  }
}
