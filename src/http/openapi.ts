/**
 * The OpenAPI 3.1 document of the API, generated from the route table (app.ts ROUTES): each
 * route's method, path, summary, role, query parameters, body and responses (route.ts), with the
 * zod schemas the handlers parse with and answer from (http/shapes.ts, http/requests.ts) turned
 * into JSON Schema 2020-12 (OpenAPI 3.1's dialect) by zod itself. Nothing here is written by hand
 * per route, so the document cannot describe a route that does not exist or miss one that does.
 */
import * as z from 'zod';
import type { RouteDef } from './route';
import { ErrorBody } from './shapes';

type Json = Record<string, unknown>;
type Documented = RouteDef & { fullPath: string };

/** The media types Confluent clients send and accept; ours are the same (respond.ts). */
const JSON_TYPES = ['application/vnd.schemaregistry.v1+json', 'application/json'];
const REF_PREFIX = '#/components/schemas/';
const STATUS_TEXT: Record<string, string> = { '201': 'Created', '202': 'Accepted', '207': 'Multi-Status', '503': 'Unavailable' };

const PATH_PARAMETERS: Record<string, string> = {
  subject: 'A subject name; `:.ctx:name` names it in context `.ctx` (URL-encoded)',
  version: 'A version number, or `latest` (also `-1`)',
  id: 'A schema id (per context)',
  guid: 'A schema guid (UUID)',
  key: 'An API key id (`lsr_...`)',
};

const TAGS = [
  { name: 'Confluent API', description: "Confluent Schema Registry's REST API: every Confluent client works against these." },
  { name: 'Registry API', description: 'Our own routes under /v1: health, validation, LLM provider exports.' },
  { name: 'Admin', description: 'Operator routes under /v1/admin: keys, audit log, snapshots (registry-wide admin).' },
  { name: 'MCP', description: 'Model Context Protocol over Streamable HTTP (docs/mcp.md).' },
  { name: 'Docs', description: 'This document and its interactive reference.' },
];

function tagOf(path: string): string {
  if (path.startsWith('/v1/admin')) return 'Admin';
  if (path === '/mcp') return 'MCP';
  if (path === '/openapi.json' || path.startsWith('/docs')) return 'Docs';
  if (path.startsWith('/v1/')) return 'Registry API';
  return 'Confluent API';
}

/** `GET /subjects/{subject}/versions` -> `getSubjectsSubjectVersions`: stable and unique per route. */
function operationId(method: string, path: string): string {
  const words = path
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1));
  return method.toLowerCase() + (words.join('') || 'Root');
}

/**
 * JSON Schema of a zod schema. Schemas named with `.meta({id})` go to components (once); the
 * references zod writes to its local `$defs` are pointed there, since inside an OpenAPI document
 * `#` is the document, not the schema.
 */
function converter(components: Json) {
  return (schema: z.ZodType, io: 'input' | 'output'): Json => {
    const {
      $defs,
      $schema: _dialect,
      ...root
    } = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
      reused: 'inline',
    }) as Json & { $defs?: Record<string, Json> };
    const relink = (x: unknown) => JSON.parse(JSON.stringify(x).replaceAll('"#/$defs/', `"${REF_PREFIX}`)) as Json;
    for (const [name, def] of Object.entries($defs ?? {})) {
      const key = io === 'input' && components[name] !== undefined && !sameJson(components[name], relink(def)) ? `${name}Request` : name;
      components[key] ??= relink(def);
    }
    return relink(root);
  };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function roleOf(def: RouteDef): string {
  if (def.role === 'public') return 'public';
  if (typeof def.role === 'function') return 'depends on the request (see the summary)';
  return def.role;
}

function operation(def: Documented, schema: (s: z.ZodType, io: 'input' | 'output') => Json): Json {
  const names = [...def.fullPath.matchAll(/\{([A-Za-z_]+)\}/g)].map((m) => m[1]);
  const parameters: Json[] = names.map((name) => ({
    name,
    in: 'path',
    required: true,
    description: PATH_PARAMETERS[name] ?? name,
    schema: { type: 'string' },
  }));
  for (const [name, q] of Object.entries(def.query ?? {})) {
    const { description, ...s } = schema(q, 'input');
    parameters.push({ name, in: 'query', required: !q.safeParse(undefined).success, ...(description ? { description } : {}), schema: s });
  }
  const op: Json = {
    operationId: operationId(def.method, def.fullPath),
    summary: def.summary,
    tags: [tagOf(def.fullPath)],
    'x-required-role': roleOf(def),
    ...(def.cost === 'write' ? { 'x-costs-write-token': true } : {}),
  };
  if (parameters.length) op.parameters = parameters;
  if (def.body) {
    const content: Json = {};
    if (def.body.json) for (const type of JSON_TYPES) content[type] = { schema: schema(def.body.json, 'input') };
    for (const [type, s] of Object.entries(def.body.content ?? {})) content[type] = { schema: schema(s, 'input') };
    op.requestBody = { required: !def.body.optional, content };
  }
  const responses: Json = {};
  for (const [status, s] of Object.entries(def.responses)) {
    if (s === null) {
      responses[status] = { description: 'No Content' };
      continue;
    }
    const types = def.produces ? [def.produces] : JSON_TYPES;
    responses[status] = {
      description: STATUS_TEXT[status] ?? 'OK',
      content: Object.fromEntries(types.map((t) => [t, { schema: schema(s, 'output') }])),
    };
  }
  if (def.path === '/mcp' || def.fullPath === '/mcp') responses['202'] = { description: 'Accepted (a notification or a response): no body' };
  // Every route answers errors in the one envelope (onError in app.ts), the status from its code.
  responses.default = { $ref: '#/components/responses/Error' };
  op.responses = responses;
  if (def.role === 'public') op.security = [];
  return op;
}

export function openApiDocument(routes: readonly Documented[], version: string): Json {
  const components: Json = {};
  const schema = converter(components);
  const paths: Record<string, Json> = {};
  for (const def of routes) (paths[def.fullPath] ??= {})[def.method.toLowerCase()] = operation(def, schema);
  const error = schema(ErrorBody, 'output');
  return {
    openapi: '3.1.0',
    info: {
      title: 'LLM Schema Registry',
      version,
      description: [
        'A Confluent-compatible schema registry on Cloudflare Workers, with validation and LLM provider exports.',
        '',
        '**Contexts.** A subject `:.ctx:name` lives in context `.ctx`. Every Confluent route is also served under',
        '`/contexts/{context}/...` (e.g. `/contexts/.ctx/subjects/name/versions`), rewritten to the qualified subject',
        'and authorized exactly like the rewritten path.',
        '',
        '**Authentication.** HTTP Basic with an API key id and secret (or a static token), or a Bearer token (OIDC).',
        "Each operation's `x-required-role` is the role needed on what it touches (docs/security.md).",
        '',
        "**Errors.** Every error is `{error_code, message}` with Confluent's numeric codes; a transient storage",
        'failure is 503 with `Retry-After`.',
      ].join('\n'),
    },
    servers: [{ url: '/' }],
    tags: TAGS,
    security: [{ basic: [] }, { bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        basic: { type: 'http', scheme: 'basic', description: 'API key id as user name, its secret as password' },
        bearer: { type: 'http', scheme: 'bearer', description: 'An OIDC access token (JWT) or a static token of AUTH_TOKENS' },
      },
      responses: {
        Error: {
          description: "An error: Confluent's envelope; the status follows from error_code",
          content: Object.fromEntries(JSON_TYPES.map((t) => [t, { schema: error }])),
        },
      },
      schemas: components,
    },
  };
}
