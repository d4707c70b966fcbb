/**
 * Payload validation against registered schemas (/v1/validate and the service binding).
 *
 * Validators are compiled once and kept in module scope by (context, schema id): a warm
 * validation does no storage read. Subject versions resolve to ids through a small cache too:
 * numbered versions for minutes (a version's schema never changes; it may only be deleted),
 * `latest` for a few seconds, so a gateway sees a new latest version within LATEST_TTL_MS plus
 * one request (an expired entry answers once more while it is refreshed in the background).
 * Keys carry the registry generation: nothing compiled before a restore answers after it.
 */
import { ErrorCode, errors, RegistryError } from '../domain/errors';
import type { WorkBudget } from '../domain/json/budget';
import { validatorOf } from '../domain/json/parse';
import { HEAP_PER_SCHEMA_CHAR } from '../domain/parsed-heap';
import type { JsonParsedSchema } from '../domain/json/types';
import { protobufValidator, type ProtobufParsedSchema } from '../domain/protobuf/index';
import type { ValidationResult } from '../domain/validation';
import type { VersionId } from '../domain/version-id';
import type { StoredSchema } from '../storage/records';
import type { RegistryReader } from '../storage/registry-reader';
import { type CacheDeps, schemaById } from './schema-cache';
import { BoundedCache } from './bounded-cache';
import { currentGeneration } from './generation';
import { subjectVersion } from './lookup';
import { parseStored } from './schemas';

/**
 * A validator that spends from the request's work budget (JSON Schema: steps and regex work shared
 * by every document of the request). Protobuf validators take no budget: their work is linear in
 * the document.
 */
interface BudgetedValidator {
  validate(instance: unknown, budget: WorkBudget): ValidationResult;
}

export interface ReadyValidator {
  validator: BudgetedValidator;
  schema: StoredSchema;
  /** The JSON Schema document (for repair instructions); undefined for Protobuf. */
  jsonSchema?: unknown;
}

const VERSION_TTL_MS = 5 * 60_000;
const LATEST_TTL_MS = 5_000;

/**
 * Compiled validators weigh HEAP_PER_SCHEMA_CHAR.compiled times their text (they were weighed by
 * the text alone, which let 4 MB of text hold over 100 MB): 24 MB, beside the parse cache's 24 MB
 * (schemas.ts). A stored schema's validator lives here only (compileValidator does not tie it to
 * the parsed schema). Versions are tiny.
 */
const validators = new BoundedCache<ReadyValidator>(500, 24 * 1024 * 1024);
const versions = new BoundedCache<{ id: number; expires: number }>(5000, 5000);

/** Forget every compiled validator and version resolution (tests wipe storage between cases, so ids repeat). */
export function clearValidatorCaches(): void {
  validators.clear();
  versions.clear();
}

function remember(key: string, ready: ReadyValidator): ReadyValidator {
  return validators.set(key, ready, ready.schema.schema.length * HEAP_PER_SCHEMA_CHAR.compiled);
}

async function build(reader: RegistryReader, schema: StoredSchema, message?: string): Promise<ReadyValidator> {
  const parsed = await parseStored(reader, schema);
  switch (schema.schemaType) {
    case 'JSON': {
      const json = parsed as JsonParsedSchema;
      return { validator: validatorOf(json), schema, jsonSchema: json.root };
    }
    case 'PROTOBUF':
      return { validator: protobufValidator(parsed as ProtobufParsedSchema, message), schema };
    default:
      throw new RegistryError(
        ErrorCode.UNPROCESSABLE,
        `Validation is supported for JSON and PROTOBUF schemas; schema ${schema.id} is ${schema.schemaType}`,
      );
  }
}

export interface ValidatorDeps {
  reader: RegistryReader;
  cache: CacheDeps;
}

export async function validatorById(deps: ValidatorDeps, context: string, id: number, message?: string): Promise<ReadyValidator> {
  const key = `${await currentGeneration(deps.reader)}\u0000${context}\u0000${id}\u0000${message ?? ''}`;
  const hit = validators.get(key);
  if (hit) {
    deps.cache.trace?.note('isolate');
    return hit;
  }
  const schema = await schemaById(deps.cache, deps.reader, context, id);
  if (!schema) throw errors.schemaNotFound(id);
  return remember(key, await build(deps.reader, schema, message));
}

export async function validatorBySubject(
  deps: ValidatorDeps,
  context: string,
  subject: string,
  qualified: string,
  version: VersionId,
  message?: string,
): Promise<ReadyValidator> {
  const gen = await currentGeneration(deps.reader);
  const key = `${gen}\u0000${context}\u0000${subject}\u0000${version}`;
  const now = Date.now();
  const known = versions.get(key);
  const resolve = async () => {
    const v = await subjectVersion(deps.reader, context, subject, qualified, version, false);
    versions.set(key, { id: v.id, expires: Date.now() + (version === 'latest' ? LATEST_TTL_MS : VERSION_TTL_MS) });
    return v;
  };
  if (known) {
    // Stale-while-revalidate: an expired resolution still answers this request while a refresh
    // runs in the background, so no validation waits on D1 once the subject has been seen.
    if (known.expires <= now) {
      known.expires = now + LATEST_TTL_MS; // one refresh at a time
      deps.cache.waitUntil(
        resolve().catch(() => {
          versions.delete(key);
        }),
      );
    }
    return validatorById(deps, context, known.id, message);
  }
  const v = await resolve();
  deps.cache.trace?.note('d1');
  const vkey = `${gen}\u0000${context}\u0000${v.id}\u0000${message ?? ''}`;
  return validators.get(vkey) ?? remember(vkey, await build(deps.reader, v, message));
}
