/**
 * Every answer of the end-to-end suite, checked against the OpenAPI document (docs/openapi.md):
 * registry-worker.mjs puts a recorder in front of the built Worker when `globalThis.__openapiRecorder`
 * is set (setup-openapi.ts sets it for every e2e file), and each sample is checked here. A success
 * must be a documented status of a documented operation, in a documented media type, with a body
 * its schema accepts; an error must be the one envelope.
 */
import Ajv2020 from 'ajv/dist/2020.js';
import { rewriteContextPath } from '../../src/http/context-paths';

export interface Sample {
  method: string;
  url: string;
  status: number;
  type: string | null;
  body: string;
}

type Json = Record<string, unknown>;
interface Operation {
  responses: Record<string, { content?: Partial<Record<string, { schema: Json }>> }>;
}
export interface Document {
  paths: Record<string, Record<string, Operation>>;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
const ERROR_REF = 'openapi#/components/responses/Error/content/application~1json/schema';

/** A checker for one document: which template a path matches, and what is wrong with an answer. */
export function checker(document: Document) {
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });
  ajv.addSchema(document, 'openapi');
  const templates = Object.keys(document.paths).map((template) => {
    const parts = template.split('/').slice(1);
    return { template, parts, literals: parts.filter((p) => !p.startsWith('{')).length };
  });

  /** The documented path a request path matches (most literal segments first), or undefined. */
  function templateOf(pathname: string): string | undefined {
    const segments = (pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname).split('/').slice(1);
    const matches = templates.filter((t) => t.parts.length === segments.length && t.parts.every((p, i) => p.startsWith('{') || p === segments[i]));
    return matches.sort((a, b) => b.literals - a.literals)[0]?.template;
  }

  function validate(ref: string, body: string): string | undefined {
    const check = ajv.getSchema(ref);
    if (!check) return `no schema at ${ref}`;
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return 'body is not JSON';
    }
    if (check(value)) return undefined;
    const e = check.errors?.[0];
    return `${e?.instancePath || '/'} ${e?.message ?? 'invalid'} ${e?.params ? JSON.stringify(e.params) : ''}`;
  }

  /** What is wrong with an answer, by the document ([] when nothing). */
  function violations(s: Sample): string[] {
    if (s.method === 'OPTIONS' || s.method === 'HEAD') return [];
    const url = new URL(s.url);
    let pathname: string;
    try {
      pathname = rewriteContextPath(url, s.method).pathname;
    } catch {
      pathname = url.pathname; // a malformed URL: the Worker answered 400, checked as an error below
    }
    const where = `${s.method} ${url.pathname}${url.search} -> ${s.status}`;
    const template = templateOf(pathname);
    const op = template ? document.paths[template][s.method.toLowerCase()] : undefined;
    const declared = op?.responses[String(s.status)];
    if (s.status >= 400 && !declared) {
      const wrong = validate(ERROR_REF, s.body);
      return wrong ? [`${where}: not the error envelope: ${wrong}: ${s.body.slice(0, 200)}`] : [];
    }
    if (!template || !op) return [`${where}: no documented operation`];
    if (!declared) return [`${where}: status not documented for ${template}`];
    if (!declared.content) return s.body ? [`${where}: documented without a body, answered one`] : [];
    const type = (s.type ?? '').split(';')[0].trim();
    const media = declared.content[type];
    if (!media) return [`${where}: media type '${type}' not documented`];
    const schema = media.schema;
    if (Object.keys(schema).length === 0 || !type.includes('json')) return [];
    const ref = `openapi#/${pointer('paths', template, s.method.toLowerCase(), 'responses', String(s.status), 'content', type, 'schema')}`;
    const wrong = validate(ref, s.body);
    return wrong ? [`${where}: ${wrong}: ${s.body.slice(0, 300)}`] : [];
  }

  return { templateOf, violations };
}
