/**
 * exportSchema: a registered JSON Schema as a provider's tool / response-format definition, linted
 * against that provider's documented rules, optionally rewritten to conform (`fix: true`).
 * Shapes, rules and sources: docs/llm-gateway.md ("Exports") and docs/provider-rules.md.
 */
import { ErrorCode, RegistryError } from '../../errors';
import { isPlainObject } from '../pointer';
import { fixGemini, lintGemini } from './gemini';
import { ANTHROPIC_NAME, MCP_NAME, OPENAI_NAME, toolName, type NameRule } from './names';
import { fixObjectRoot, lintObjectRoot } from './object-root';
import { fixOpenAiStrict, lintOpenAiStrict } from './openai';
import { checkBounds, cloneJson } from './schema-walk';
import { EXPORT_TARGETS, type ExportInput, type ExportResult, type ExportTarget, type Finding, type JsonObject } from './types';

export { EXPORT_TARGETS } from './types';
export type { ExportInput, ExportResult, ExportTarget, Finding } from './types';

function isExportTarget(value: string): value is ExportTarget {
  return (EXPORT_TARGETS as readonly string[]).includes(value);
}

export function exportSchema(target: string, input: ExportInput): ExportResult {
  if (!isExportTarget(target)) {
    throw new RegistryError(ErrorCode.UNSUPPORTED_TARGET, `Unknown export target '${target}'. Valid targets: ${EXPORT_TARGETS.join(', ')}.`);
  }
  if (!isPlainObject(input.schema) && typeof input.schema !== 'boolean') {
    throw new RegistryError(ErrorCode.INVALID_SCHEMA, 'The schema to export must be a JSON Schema object or boolean.');
  }
  checkBounds(input.schema);
  const p = PROFILES[target];
  const changes: string[] = [];
  let schema: unknown = cloneJson(input.schema);
  if (input.fix) schema = p.fix(schema, changes);
  const findings = p.lint(schema);

  const named = p.name ? toolName(input, p.name) : undefined;
  if (named?.finding) findings.unshift(named.finding);
  const description = descriptionOf(input);
  if (p.tool && description === undefined) {
    findings.push({
      severity: 'warning',
      path: '',
      rule: 'description',
      message: 'No description: set the schema\'s "description" (or "title") or pass one; the model uses it to decide when to call the tool.',
    });
  }
  const output = p.build({ name: named?.name ?? '', description, schema, strict: !findings.some((f) => f.severity === 'error') });
  const result: ExportResult = { target, output, findings };
  if (input.fix) result.changes = changes;
  return result;
}

/** Explicit description, else the schema's description, else its title. */
function descriptionOf(input: ExportInput): string | undefined {
  if (typeof input.description === 'string') return input.description;
  if (isPlainObject(input.schema)) {
    if (typeof input.schema.description === 'string') return input.schema.description;
    if (typeof input.schema.title === 'string') return input.schema.title;
  }
  return undefined;
}

interface BuildArgs {
  name: string;
  description: string | undefined;
  schema: unknown;
  /** No error findings: the schema is accepted with strict: true. */
  strict: boolean;
}

interface Profile {
  name?: NameRule;
  tool: boolean;
  lint(schema: unknown): Finding[];
  fix(schema: unknown, changes: string[]): unknown;
  build(a: BuildArgs): unknown;
}

function withDescription(base: JsonObject, description: string | undefined, rest: JsonObject): JsonObject {
  return description === undefined ? { ...base, ...rest } : { ...base, description, ...rest };
}

const openAiStrict = { lint: lintOpenAiStrict, fix: fixOpenAiStrict };

const PROFILES: Record<ExportTarget, Profile> = {
  // Chat Completions `tools[]`: {type: "function", function: {name, description?, parameters, strict?}}.
  'openai-chat-tool': {
    name: OPENAI_NAME,
    tool: true,
    ...openAiStrict,
    build: (a) => ({
      type: 'function',
      function: withDescription({ name: a.name }, a.description, { parameters: a.schema, strict: a.strict }),
    }),
  },
  // Responses API `tools[]`: {type: "function", name, description?, parameters, strict} (strict defaults to true there).
  'openai-responses-tool': {
    name: OPENAI_NAME,
    tool: true,
    ...openAiStrict,
    build: (a) => withDescription({ type: 'function', name: a.name }, a.description, { parameters: a.schema, strict: a.strict }),
  },
  // Chat Completions `response_format`: {type: "json_schema", json_schema: {name, description?, schema, strict: true}}.
  'openai-response-format': {
    name: OPENAI_NAME,
    tool: false,
    ...openAiStrict,
    build: (a) => ({
      type: 'json_schema',
      json_schema: withDescription({ name: a.name }, a.description, { schema: a.schema, strict: true }),
    }),
  },
  // Messages API `tools[]`: {name, description?, input_schema}.
  'anthropic-tool': {
    name: ANTHROPIC_NAME,
    tool: true,
    lint: (s) => lintObjectRoot(s, 'input_schema'),
    fix: (s, c) => fixObjectRoot(s, c, 'Anthropic'),
    build: (a) => withDescription({ name: a.name }, a.description, { input_schema: a.schema }),
  },
  // generateContent `generationConfig` fragment.
  'gemini-response-schema': {
    tool: false,
    lint: lintGemini,
    fix: fixGemini,
    build: (a) => ({ responseMimeType: 'application/json', responseJsonSchema: a.schema }),
  },
  // MCP `tools/list` Tool: {name, description?, inputSchema}.
  'mcp-tool': {
    name: MCP_NAME,
    tool: true,
    lint: (s) => lintObjectRoot(s, 'inputSchema'),
    fix: (s, c) => fixObjectRoot(s, c, 'MCP'),
    build: (a) => withDescription({ name: a.name }, a.description, { inputSchema: a.schema }),
  },
};
