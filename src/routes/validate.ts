/**
 * /v1/validate: check payloads against registered schemas (native API, not Confluent's).
 *
 * The body's content type says what it is:
 * - application/json (or any JSON type): one document -> {valid, errors}
 * - application/x-ndjson: one document per line -> {results: [{valid, errors}, ...]}
 * - text/plain: raw model output -> the JSON is extracted, then {valid, value?, errors, repair?}
 * `?message=` names the Protobuf message type (default: the first message of the file).
 */
import type { Context } from 'hono';
import { parseDocument } from '../domain/documents';
import { ErrorCode, RegistryError } from '../domain/errors';
import { workBudget } from '../domain/json/budget';
import { DEFAULT_CONTEXT, parseSubject, qualify } from '../domain/naming';
import { parseVersionId } from '../domain/version-id';
import type { AppEnv } from '../http/env';
import { readText, reply } from '../http/respond';
import { param, resource } from '../http/route';
import { subjectTarget } from '../http/targets';
import { Q, Validation } from '../http/shapes';
import * as z from 'zod';
import { assertSchemaVisible } from '../http/visibility';
import { modelOutput, VALIDATE_LIMITS } from '../services/model-output';
import { type ReadyValidator, type ValidatorDeps, validatorById, validatorBySubject } from '../services/validators';

function kindOf(c: Context<AppEnv>): 'json' | 'ndjson' | 'text' {
  const type = (c.req.header('content-type') ?? 'application/json').split(';')[0].trim().toLowerCase();
  if (type === 'application/x-ndjson' || type === 'application/ndjson') return 'ndjson';
  if (type === 'text/plain') return 'text';
  if (type === 'application/json' || type.endsWith('+json') || type === 'application/octet-stream') return 'json';
  throw new RegistryError(
    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    `Unsupported Media Type: ${type} (use application/json, application/x-ndjson or text/plain)`,
  );
}

/**
 * One work budget per request: the documents of a batch and the candidates of a model output share
 * it. `subject` (qualified; '' for a schema id) attributes the outcome in the metrics: only a
 * subject the caller may read and that holds the version, so no client-made name is recorded.
 */
async function answer(c: Context<AppEnv>, ready: ReadyValidator, subject: string) {
  const kind = kindOf(c);
  const limits = { maxDepth: VALIDATE_LIMITS.maxDepth };
  const budget = workBudget();
  const noted = (documents: number, invalid: number) => {
    c.get('metrics').noteValidation({ subject, body: kind, documents, invalid });
  };
  if (kind === 'json') {
    const doc = parseDocument(await readText(c, VALIDATE_LIMITS.documentBytes), limits);
    const result = ready.validator.validate(doc, budget);
    noted(1, result.valid ? 0 : 1);
    return reply(c, result);
  }
  if (kind === 'ndjson') {
    const lines = (await readText(c, VALIDATE_LIMITS.batchBytes)).split('\n');
    if (lines.at(-1)?.trim() === '') lines.pop();
    if (lines.length > VALIDATE_LIMITS.batchLines) {
      throw new RegistryError(ErrorCode.PAYLOAD_TOO_LARGE, `A batch holds at most ${VALIDATE_LIMITS.batchLines} documents`);
    }
    const results = lines.map((line, i) => ready.validator.validate(parseDocument(line, limits, `line ${i + 1}`), budget));
    noted(results.length, results.filter((r) => !r.valid).length);
    return reply(c, { results });
  }
  const result = modelOutput(ready, await readText(c, VALIDATE_LIMITS.textBytes), budget);
  noted(1, result.valid ? 0 : 1);
  return reply(c, result);
}

/** What a validator is looked up with (named: `c.var` would copy every context variable). */
function validatorDeps(c: Context<AppEnv>): ValidatorDeps {
  return { reader: c.get('reader'), cache: c.get('cache') };
}

/** What both routes read: the body's content type says what it holds (see the top of this file). */
const validation = {
  role: 'reader',
  body: {
    content: {
      'application/json': z.unknown().describe('One JSON document'),
      'application/x-ndjson': z.string().describe('One JSON document per line'),
      'text/plain': z.string().describe('Raw model output: the JSON is extracted from it'),
    },
  },
  responses: { 200: Validation },
} as const;

export const validate = resource('/v1/validate', [
  {
    method: 'POST',
    path: '/subjects/:subject/versions/:version',
    summary: 'Validate a document, an NDJSON batch or raw model output against a subject version',
    ...validation,
    target: subjectTarget,
    query: { message: Q.message },
    handler: async (c) => {
      const raw = param(c, 'subject');
      const { context, subject } = parseSubject(raw);
      const version = parseVersionId(param(c, 'version'));
      return answer(c, await validatorBySubject(validatorDeps(c), context, subject, raw, version, c.req.query('message')), qualify(context, subject));
    },
  },
  {
    method: 'POST',
    path: '/ids/:id',
    summary: 'Validate a document, an NDJSON batch or raw model output against a schema id',
    ...validation,
    query: { subject: Q.subject, message: Q.message },
    handler: async (c) => {
      const raw = param(c, 'id');
      if (!/^\d{1,10}$/.test(raw)) throw new RegistryError(ErrorCode.NOT_FOUND, 'HTTP 404 Not Found');
      const subject = c.req.query('subject');
      const context = subject ? parseSubject(subject).context : DEFAULT_CONTEXT;
      await assertSchemaVisible(c, context, Number(raw));
      return answer(c, await validatorById(validatorDeps(c), context, Number(raw), c.req.query('message')), '');
    },
  },
]);
