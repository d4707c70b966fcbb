/**
 * LLM helpers: a registered JSON Schema as the definition each provider's API takes. Every helper
 * is a call to the server's export route (GET /v1/subjects/{s}/versions/{v}/export?target=...,
 * src/routes/exports.ts), which inlines references, applies the provider's rules and names the
 * tool; the client only picks the target and, for the two shapes the server has no target of
 * (OpenAI Responses `text.format`, the Vercel AI SDK), re-wraps a server export unchanged.
 * Lint findings and `fix` rewrites: `client.exportSchema(...)`.
 */
import type { ExportTarget, VersionId } from './types.js';

/** What the helpers call: RegistryClient.exportSchema (a structural type, to keep the import one-way). */
interface Exporter {
  exportSchema(
    subject: string,
    target: ExportTarget,
    options?: { version?: VersionId; name?: string; description?: string; fix?: boolean },
  ): Promise<{ output: unknown }>;
}

export interface ExportOptions {
  version?: VersionId;
  /** Tool or format name (default: from the subject, made valid for the provider). */
  name?: string;
  /** Default: the schema's description or title. */
  description?: string;
  /** Rewrite the schema to the closest form the provider accepts (e.g. OpenAI strict mode). */
  fix?: boolean;
}

type JsonSchema = Record<string, unknown> | boolean;

export interface OpenAIChatTool {
  type: 'function';
  function: { name: string; description?: string; parameters: JsonSchema; strict: boolean };
}
export interface OpenAIResponsesTool {
  type: 'function';
  name: string;
  description?: string;
  parameters: JsonSchema;
  strict: boolean;
}
export interface OpenAIResponseFormat {
  type: 'json_schema';
  json_schema: { name: string; description?: string; schema: JsonSchema; strict: true };
}
/** Responses API `text: { format }`. */
export interface OpenAIResponsesTextFormat {
  type: 'json_schema';
  name: string;
  description?: string;
  schema: JsonSchema;
  strict: true;
}
export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: JsonSchema;
}
/** A `generationConfig` fragment for generateContent. */
export interface GeminiResponseSchema {
  responseMimeType: 'application/json';
  responseJsonSchema: JsonSchema;
}
export interface McpTool {
  name: string;
  description?: string;
  inputSchema: JsonSchema;
}

export class LlmHelpers {
  readonly #c: Exporter;
  constructor(client: Exporter) {
    this.#c = client;
  }

  async #output<T>(subject: string, target: ExportTarget, options: ExportOptions): Promise<T> {
    return (await this.#c.exportSchema(subject, target, options)).output as T;
  }

  /** Chat Completions `tools[]` entry. */
  openAIChatTool(subject: string, options: ExportOptions = {}): Promise<OpenAIChatTool> {
    return this.#output(subject, 'openai-chat-tool', options);
  }
  /** Responses API `tools[]` entry. */
  openAIResponsesTool(subject: string, options: ExportOptions = {}): Promise<OpenAIResponsesTool> {
    return this.#output(subject, 'openai-responses-tool', options);
  }
  /** Chat Completions `response_format`. */
  openAIResponseFormat(subject: string, options: ExportOptions = {}): Promise<OpenAIResponseFormat> {
    return this.#output(subject, 'openai-response-format', options);
  }
  /** Responses API `text.format`: the same definition as `response_format`, one level flatter. */
  async openAIResponsesTextFormat(subject: string, options: ExportOptions = {}): Promise<OpenAIResponsesTextFormat> {
    const f = await this.openAIResponseFormat(subject, options);
    return { type: 'json_schema', ...f.json_schema };
  }
  /** Messages API `tools[]` entry. */
  anthropicTool(subject: string, options: ExportOptions = {}): Promise<AnthropicTool> {
    return this.#output(subject, 'anthropic-tool', options);
  }
  /** generateContent `generationConfig` fields for structured output. */
  geminiResponseSchema(subject: string, options: ExportOptions = {}): Promise<GeminiResponseSchema> {
    return this.#output(subject, 'gemini-response-schema', options);
  }
  /** An MCP `tools/list` Tool. */
  mcpTool(subject: string, options: ExportOptions = {}): Promise<McpTool> {
    return this.#output(subject, 'mcp-tool', options);
  }

  /**
   * A Vercel AI SDK tool: `{ description, inputSchema }`, keyed by `name` in `tools`. Pass the AI
   * SDK's `jsonSchema` function to get its Schema object (this package depends on nothing):
   * `tools: { [t.name]: tool({ description: t.description, inputSchema: t.inputSchema }) }`.
   */
  async vercelAITool<S = JsonSchema>(
    subject: string,
    options: ExportOptions & { jsonSchema?: (schema: JsonSchema) => S } = {},
  ): Promise<{ name: string; description?: string; inputSchema: S }> {
    const { jsonSchema, ...rest } = options;
    const t = await this.mcpTool(subject, rest);
    const inputSchema = jsonSchema ? jsonSchema(t.inputSchema) : (t.inputSchema as S);
    return { name: t.name, ...(t.description !== undefined ? { description: t.description } : {}), inputSchema };
  }
}
