/**
 * The MCP tools (docs/mcp.md). Each tool is a call of the REST API made as the caller: it goes
 * through this Worker's own router with the caller's credentials (`c.get('subrequest')`), so every
 * tool is authorized, limited, audited and answered exactly as the route it calls. A tool holds
 * no access rule of its own; `writes` only hides `register_schema` from callers who cannot write.
 */
import * as z from 'zod';
import { fieldNames } from '../domain/field-names';
import { schemaTypeOf } from '../domain/formats';
import { EXPORT_TARGETS } from '../domain/llm/export/index';
import type { Subrequest } from '../http/env';

/** What a tool answers (MCP CallToolResult): the API's JSON as text and as structured content. */
interface ToolResult {
  content: { type: 'text'; text: string }[];
  structuredContent: Record<string, unknown>;
  isError?: true;
}

export interface Tool<S extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: S;
  /** MCP tool annotations: hints for the client, never trusted for access. */
  annotations: { readOnlyHint: boolean; idempotentHint?: boolean; openWorldHint: false };
  /** Changes the registry: listed only for callers who hold a writer grant somewhere. */
  writes?: true;
  call: (args: z.infer<S>, api: Subrequest) => Promise<ToolResult>;
}

/** Latest schemas scanned per search_subjects call (`offset` continues): bounds one call's work. */
const SEARCH_SCAN = 500;

const subject = z.string().min(1).max(1024).describe('Subject name; `:.ctx:name` names a subject in a context');
const version = z
  .union([z.literal('latest'), z.number().int().positive()])
  .default('latest')
  .describe('A version number, or "latest"');
const schemaText = z.string().min(1).describe('The schema text (JSON for Avro and JSON Schema, .proto text for Protobuf)');
const schemaType = z.enum(['AVRO', 'JSON', 'PROTOBUF']).default('AVRO').describe('The schema format (Confluent default: AVRO)');
const references = z
  .array(z.object({ name: z.string().min(1), subject: z.string().min(1), version: z.number().int() }))
  .default([])
  .describe('Schemas this one imports, by name as used in the schema, with their subject and version');
const offset = z.number().int().min(0).default(0);

const enc = encodeURIComponent;
const versionPath = (s: string, v: string | number) => `/subjects/${enc(s)}/versions/${enc(String(v))}`;

function tool<S extends z.ZodObject>(t: Tool<S>): Tool {
  return t;
}

export const TOOLS: readonly Tool[] = [
  tool({
    name: 'list_subjects',
    title: 'List subjects',
    description: 'Subjects the caller may read, optionally those starting with a prefix (`:.ctx:` lists one context, `:*:` every context).',
    input: z.object({
      prefix: z.string().max(1024).optional().describe('subjectPrefix; default: every context'),
      deleted: z.boolean().default(false).describe('Include soft-deleted subjects'),
      offset,
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    call: async (a, api) => {
      const query = new URLSearchParams({
        subjectPrefix: a.prefix ?? ':*:',
        deleted: String(a.deleted),
        offset: String(a.offset),
        limit: String(a.limit),
      });
      return answer(await api('GET', `/subjects?${query.toString()}`), (subjects) => ({ subjects }));
    },
  }),
  tool({
    name: 'search_subjects',
    title: 'Search subjects by name and field names',
    description:
      `Subjects whose name or latest schema's field names contain the query (case-insensitive). Scans at most ${SEARCH_SCAN} ` +
      'latest schemas per call; when `nextOffset` is in the answer, call again with it to scan further.',
    input: z.object({
      query: z.string().min(1).max(256),
      prefix: z.string().max(1024).optional().describe('subjectPrefix to search within; default: every context'),
      offset,
    }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    call: async (a, api) => {
      const query = new URLSearchParams({
        subjectPrefix: a.prefix ?? ':*:',
        latestOnly: 'true',
        offset: String(a.offset),
        limit: String(SEARCH_SCAN),
      });
      const res = await api('GET', `/schemas?${query.toString()}`);
      return answer(res, (body) => {
        const needle = a.query.toLowerCase();
        const latest = body as { subject: string; version: number; id: number; schemaType?: string; schema: string }[];
        const matches = latest.flatMap((s) => {
          const fields = fieldNames(schemaTypeOf(s.schemaType), s.schema).filter((f) => f.toLowerCase().includes(needle));
          const byName = s.subject.toLowerCase().includes(needle);
          return byName || fields.length > 0 ? [{ subject: s.subject, version: s.version, id: s.id, nameMatches: byName, fields }] : [];
        });
        return { matches, scanned: latest.length, ...(latest.length === SEARCH_SCAN ? { nextOffset: a.offset + SEARCH_SCAN } : {}) };
      });
    },
  }),
  tool({
    name: 'get_schema',
    title: 'Get a schema',
    description: 'A version of a subject (default the latest): its schema text, type, id, version and references.',
    input: z.object({ subject, version }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    call: async (a, api) => answer(await api('GET', versionPath(a.subject, a.version))),
  }),
  tool({
    name: 'get_schema_by_id',
    title: 'Get a schema by id',
    description: 'The schema a (Kafka message) schema id names. In a context other than the default, name a subject of that context.',
    input: z.object({
      id: z.number().int().positive(),
      subject: z.string().max(1024).optional().describe('A subject of the context the id belongs to (e.g. `:.ctx:`)'),
    }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    call: async (a, api) => answer(await api('GET', `/schemas/ids/${String(a.id)}${a.subject ? `?subject=${enc(a.subject)}` : ''}`)),
  }),
  tool({
    name: 'validate',
    title: 'Validate a document or model output',
    description:
      'Validate a JSON document (`document`) or raw model output (`output`: the JSON is extracted from the text first) ' +
      'against a subject version. Answers valid, errors with instance paths, and for model output the extracted value and a repair hint.',
    input: z
      .object({
        subject,
        version,
        document: z.unknown().optional().describe('A JSON value to validate'),
        output: z
          .string()
          .max(256 * 1024)
          .optional()
          .describe('Raw model output (text) to extract JSON from and validate'),
        message: z.string().max(512).optional().describe('Protobuf only: the message type (default: the first message)'),
      })
      .refine((a) => (a.document === undefined) !== (a.output === undefined), 'Give exactly one of document or output'),
    annotations: { readOnlyHint: true, openWorldHint: false },
    call: async (a, api) => {
      const path = `/v1/validate${versionPath(a.subject, a.version)}${a.message ? `?message=${enc(a.message)}` : ''}`;
      const body = a.output !== undefined ? { type: 'text/plain', text: a.output } : { type: 'application/json', text: JSON.stringify(a.document) };
      return answer(await api('POST', path, body));
    },
  }),
  tool({
    name: 'export_tool_definition',
    title: 'Export as an LLM provider definition',
    description:
      'A JSON Schema subject version in the shape an LLM provider takes (tool, response format), with lint findings against ' +
      "that provider's rules; fix=true rewrites what the provider would reject.",
    input: z.object({
      subject,
      version,
      target: z.enum(EXPORT_TARGETS),
      fix: z.boolean().default(false),
      name: z.string().max(128).optional().describe('The tool or format name (default: from the subject)'),
      description: z.string().max(4096).optional(),
    }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    call: async (a, api) => {
      const query = new URLSearchParams({ target: a.target, fix: String(a.fix) });
      if (a.name !== undefined) query.set('name', a.name);
      if (a.description !== undefined) query.set('description', a.description);
      return answer(await api('GET', `/v1${versionPath(a.subject, a.version)}/export?${query.toString()}`));
    },
  }),
  tool({
    name: 'check_compatibility',
    title: 'Check compatibility',
    description:
      "Would this schema be accepted as the subject's next version? Checked against the history the subject's compatibility " +
      'level looks at, or against one version; answers is_compatible and the reasons.',
    input: z.object({
      subject,
      schema: schemaText,
      schemaType,
      references,
      version: z
        .union([z.literal('latest'), z.number().int().positive()])
        .optional()
        .describe('Check against this version only'),
    }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    call: async (a, api) => {
      const path = `/compatibility/subjects/${enc(a.subject)}/versions${a.version === undefined ? '' : `/${enc(String(a.version))}`}?verbose=true`;
      return answer(await api('POST', path, schemaBody(a)));
    },
  }),
  tool({
    name: 'register_schema',
    title: 'Register a schema',
    description: 'Register a schema as the next version of a subject (checked for compatibility). Registering the same schema again returns its id.',
    input: z.object({ subject, schema: schemaText, schemaType, references }),
    annotations: { readOnlyHint: false, idempotentHint: true, openWorldHint: false },
    writes: true,
    call: async (a, api) => answer(await api('POST', `/subjects/${enc(a.subject)}/versions`, schemaBody(a))),
  }),
];

function schemaBody(a: { schema: string; schemaType: string; references: unknown[] }) {
  return { type: 'application/json', text: JSON.stringify({ schema: a.schema, schemaType: a.schemaType, references: a.references }) };
}

/**
 * The API's answer as a tool result. An error answer (Confluent's envelope) is a tool error the
 * model can read and act on, as MCP asks of execution errors, not a protocol error.
 */
async function answer(res: Response, shape: (body: unknown) => unknown = (b) => b): Promise<ToolResult> {
  const body: unknown = await res.json();
  if (!res.ok) {
    const e = body as { error_code?: number; message?: string };
    const structured = { error_code: e.error_code ?? res.status, message: e.message ?? res.statusText, status: res.status };
    return { isError: true, content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
  }
  const value = shape(body);
  const structured = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: structured };
}
