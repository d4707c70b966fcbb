/** @llm-schema-registry/client: a typed client for the LLM Schema Registry (README.md). */
export { RegistryClient, AdminApi, BOOKMARK_HEADER, authorizationHeader } from './client.js';
export type { Auth, ClientOptions, ListOptions, ParsedOutput } from './client.js';
export { RegistryError, ErrorCodes } from './errors.js';
export { LlmHelpers } from './llm.js';
export type {
  AnthropicTool,
  ExportOptions,
  GeminiResponseSchema,
  McpTool,
  OpenAIChatTool,
  OpenAIResponseFormat,
  OpenAIResponsesTextFormat,
  OpenAIResponsesTool,
} from './llm.js';
export { DEFAULT_RETRY, parseRetryAfter, retryDelay } from './retry.js';
export type { RetryOptions } from './retry.js';
export { EXPORT_TARGETS } from './types.js';
export type * from './types.js';
