/**
 * Provider export contract: one registered JSON Schema in, one provider-shaped definition out,
 * plus lint findings against that provider's documented rules (docs/provider-rules.md).
 */

export const EXPORT_TARGETS = [
  'openai-chat-tool',
  'openai-responses-tool',
  'openai-response-format',
  'anthropic-tool',
  'gemini-response-schema',
  'mcp-tool',
] as const;

export type ExportTarget = (typeof EXPORT_TARGETS)[number];

type Severity = 'error' | 'warning';

export interface Finding {
  /** error: the provider rejects the definition (or strict mode cannot be used); warning: accepted, but something is lost or ignored. */
  severity: Severity;
  /** JSON Pointer into the exported schema ("" = its root). */
  path: string;
  /** Stable rule id, listed with its source in docs/provider-rules.md. */
  rule: string;
  message: string;
}

export interface ExportInput {
  /** Registry subject; the tool name is derived from it unless `name` is given. */
  subject: string;
  /** The JSON Schema document (object or boolean). Never mutated. */
  schema: unknown;
  name?: string;
  description?: string;
  /** Rewrite the schema to the closest form the provider accepts, and list each change. */
  fix?: boolean;
}

export interface ExportResult {
  target: ExportTarget;
  output: unknown;
  /** Lint of the schema as exported (after the rewrite when `fix` is set). */
  findings: Finding[];
  /** Present when `fix` was requested: one line per change made, in schema order. */
  changes?: string[];
}

export type JsonObject = Record<string, unknown>;
