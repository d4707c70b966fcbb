/**
 * Tool names per provider (docs/provider-rules.md, "Names"). The name comes from `input.name` or
 * else the subject; characters outside the provider's set become "_", runs of "_" collapse, and
 * the result is cut to the maximum length. A subject is always rewritten silently (that mapping is
 * documented); leading/trailing "_", "." and "-" are trimmed; an explicit name that had to change gets a warning.
 */
import type { Finding } from './types';

export interface NameRule {
  /** Provider and field, for messages. */
  label: string;
  /** One allowed character. */
  char: RegExp;
  max: number;
  /** The documented pattern, quoted in messages. */
  pattern: string;
}

/** OpenAI function / response_format names: "a-z, A-Z, 0-9, or contain underscores and dashes, with a maximum length of 64". */
export const OPENAI_NAME: NameRule = { label: 'OpenAI', char: /[a-zA-Z0-9_-]/, max: 64, pattern: '^[a-zA-Z0-9_-]{1,64}$' };
/** Anthropic tool names: ^[a-zA-Z0-9_-]{1,128}$ (define-tools page; the API reference gives length 1..128). */
export const ANTHROPIC_NAME: NameRule = { label: 'Anthropic', char: /[a-zA-Z0-9_-]/, max: 128, pattern: '^[a-zA-Z0-9_-]{1,128}$' };
/** MCP tool names (2025-11-25): 1..128 of A-Z a-z 0-9 _ - . (SHOULD). */
export const MCP_NAME: NameRule = { label: 'MCP', char: /[A-Za-z0-9_.-]/, max: 128, pattern: '^[A-Za-z0-9_.-]{1,128}$' };

export function sanitizeName(raw: string, rule: NameRule): string {
  let out = '';
  for (const ch of raw) out += rule.char.test(ch) ? ch : '_';
  // Collapse "_" runs; no separator at either end (a context prefix ":.tenant:" leaves one).
  out = out.replace(/_+/g, '_').replace(/^[_.-]+|[_.-]+$/g, '');
  if (out.length > rule.max) out = out.slice(0, rule.max).replace(/[_.-]+$/, '');
  return out || 'schema';
}

export function toolName(input: { subject: string; name?: string }, rule: NameRule): { name: string; finding?: Finding } {
  const explicit = typeof input.name === 'string';
  const raw = explicit ? (input.name as string) : input.subject;
  const name = sanitizeName(raw, rule);
  if (!explicit || name === raw) return { name };
  return {
    name,
    finding: {
      severity: 'warning',
      path: '',
      rule: 'tool-name',
      message: `Name ${JSON.stringify(raw)} does not match ${rule.label}'s ${rule.pattern}; exported as ${JSON.stringify(name)}.`,
    },
  };
}
