/**
 * GET /v1/subjects/{s}/versions/{v}/export?target=T: a registered JSON Schema in the exact shape
 * an LLM provider's API takes, linted against that provider's rules (docs/provider-rules.md).
 * Referenced schemas are inlined under $defs first: providers resolve no external $ref.
 */
import { ErrorCode, RegistryError } from '../domain/errors';
import { bundleReferences } from '../domain/json/bundle';
import type { JsonParsedSchema } from '../domain/json/types';
import { EXPORT_TARGETS, exportSchema } from '../domain/llm/export/index';
import { parseSubject } from '../domain/naming';
import { parseVersionId } from '../domain/version-id';
import type { Context } from 'hono';
import type { AppEnv } from '../http/env';
import { flag, reply } from '../http/respond';
import { param, resource } from '../http/route';
import { subjectTarget } from '../http/targets';
import { ExportResult } from '../http/shapes';
import * as z from 'zod';
import { subjectVersion } from '../services/lookup';
import { parseStored } from '../services/schemas';

async function exportVersion(c: Context<AppEnv>) {
  const raw = param(c, 'subject');
  const { context, subject } = parseSubject(raw);
  const target = c.req.query('target');
  if (!target) throw new RegistryError(ErrorCode.UNSUPPORTED_TARGET, 'Query parameter target is required');
  const version = await subjectVersion(c.get('reader'), context, subject, raw, parseVersionId(param(c, 'version')), false);
  if (version.schemaType !== 'JSON') {
    throw new RegistryError(ErrorCode.UNPROCESSABLE, `Exports take JSON Schema subjects; ${raw} version ${version.version} is ${version.schemaType}`);
  }
  const parsed = (await parseStored(c.get('reader'), version)) as JsonParsedSchema;
  const result = exportSchema(target, {
    subject,
    schema: bundleReferences(parsed.root, parsed.referenced),
    name: c.req.query('name'),
    description: c.req.query('description'),
    fix: flag(c, 'fix'),
  });
  return reply(c, result);
}

export const exportsApi = resource('/v1/subjects', [
  {
    method: 'GET',
    path: '/:subject/versions/:version/export',
    summary: 'A JSON Schema version in the shape an LLM provider takes (target=...), linted; fix=true rewrites',
    role: 'reader',
    target: subjectTarget,
    query: {
      target: z.enum(EXPORT_TARGETS).describe('The provider shape'),
      name: z.string().optional().describe('Tool name (default: derived from the subject)'),
      description: z.string().optional().describe('Tool description'),
      fix: z.boolean().optional().describe('Rewrite the schema to the closest form the provider accepts'),
    },
    responses: { 200: ExportResult },
    handler: exportVersion,
  },
]);
