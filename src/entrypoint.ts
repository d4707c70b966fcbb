/**
 * RegistryService: the registry as a Workers RPC entrypoint. A gateway Worker bound to it
 * (`services = [{ binding = "REGISTRY", service = "llm-schema-registry", entrypoint = "RegistryService" }]`)
 * validates tool calls and structured outputs with no HTTP hop:
 *
 *   const r = await env.REGISTRY.validate({ subject: 'get_weather', version: 'latest', text: modelOutput });
 *
 * Validators are cached in module scope exactly as for /v1/validate (a warm call reads no storage).
 * Failures come back as `{ error: { error_code, message } }`: RPC would strip a thrown error's code.
 */
import { WorkerEntrypoint } from 'cloudflare:workers';
import * as z from 'zod';
import { parseDocument } from './domain/documents';
import { errors, RegistryError } from './domain/errors';
import { workBudget } from './domain/json/budget';
import { DEFAULT_CONTEXT, parseSubject } from './domain/naming';
import type { ValidationResult } from './domain/validation';
import type { VersionId } from './domain/version-id';
import { parseVersionId } from './domain/version-id';
import { schemaEntity, schemaString } from './http/render';
import { parseWith } from './http/respond';
import { modelOutput, type ModelOutputResult, VALIDATE_LIMITS } from './services/model-output';
import { subjectVersion } from './services/lookup';
import { type ReadyValidator, validatorById, validatorBySubject } from './services/validators';
import { RegistryReader } from './storage/registry-reader';
import { schemaById } from './services/schema-cache';

/** RPC input, checked like an HTTP body: a caller's mistake is a 422 answer, never a crash. */
const validateRequest = z
  .object({
    /** Address by subject (+ version, default "latest"), or by schema id. `:.ctx:` prefixes select a context. */
    subject: z.string().optional(),
    version: z.union([z.number().int(), z.literal('latest')]).optional(),
    id: z.number().int().optional(),
    /** Protobuf message type (default: the file's first message). */
    message: z.string().optional(),
    /** One of: a parsed document, JSON text, or raw model output to extract JSON from. */
    document: z.unknown().optional(),
    json: z.string().optional(),
    text: z.string().optional(),
  })
  .refine((r) => r.subject !== undefined || r.id !== undefined, 'give a subject or an id');

type ValidateRequest = z.infer<typeof validateRequest>;

interface RpcError {
  error: { error_code: number; message: string };
}

async function guard<T>(op: () => Promise<T>): Promise<T | RpcError> {
  try {
    return await op();
  } catch (e) {
    if (e instanceof RegistryError) return { error: { error_code: e.code, message: e.message } };
    throw e;
  }
}

export class RegistryService extends WorkerEntrypoint<Env> {
  private deps() {
    return {
      reader: new RegistryReader(this.env.DB.withSession('first-unconstrained')),
      cache: {
        kv: this.env.SCHEMA_KV,
        waitUntil: (p: Promise<unknown>) => {
          this.ctx.waitUntil(p);
        },
      },
    };
  }

  private profile(): 7 | 8 {
    return this.env.RESPONSE_PROFILE === '8' ? 8 : 7;
  }

  private async validatorFor(req: ValidateRequest): Promise<ReadyValidator> {
    const deps = this.deps();
    if (req.id !== undefined) {
      const context = req.subject ? parseSubject(req.subject).context : DEFAULT_CONTEXT;
      return validatorById(deps, context, req.id, req.message);
    }
    const raw = req.subject ?? '';
    const { context, subject } = parseSubject(raw);
    const version: VersionId = typeof req.version === 'number' ? parseVersionId(String(req.version)) : 'latest';
    return validatorBySubject(deps, context, subject, raw, version, req.message);
  }

  /** Validate a document, JSON text or raw model output; answers like POST /v1/validate (one work budget per call). */
  validate(input: ValidateRequest): Promise<ValidationResult | ModelOutputResult | RpcError> {
    return guard(async () => {
      const req = parseWith(validateRequest, input);
      const ready = await this.validatorFor(req);
      const budget = workBudget();
      if (req.text !== undefined) return modelOutput(ready, req.text, budget);
      const doc = req.json !== undefined ? parseDocument(req.json, { maxDepth: VALIDATE_LIMITS.maxDepth }) : req.document;
      return ready.validator.validate(doc, budget);
    });
  }

  /** The schema with this id (GET /schemas/ids/{id}). */
  getSchema(id: number, subject?: string) {
    return guard(async () => {
      parseWith(z.tuple([z.number().int(), z.string().optional()]), [id, subject]);
      const context = subject ? parseSubject(subject).context : DEFAULT_CONTEXT;
      const deps = this.deps();
      const found = await schemaById(deps.cache, deps.reader, context, id);
      if (!found) throw errors.schemaNotFound(id);
      return schemaString(found, this.profile());
    });
  }

  /** A subject version, `latest` included (GET /subjects/{s}/versions/{v}). */
  resolve(subject: string, version: number | 'latest' = 'latest') {
    return guard(async () => {
      parseWith(z.tuple([z.string(), z.union([z.number().int(), z.literal('latest')])]), [subject, version]);
      const q = parseSubject(subject);
      const v = await subjectVersion(this.deps().reader, q.context, q.subject, subject, parseVersionId(String(version)), false);
      return schemaEntity(v, subject, this.profile());
    });
  }
}
