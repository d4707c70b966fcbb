/** Request bodies of the Confluent API, validated once at the edge (types inferred from zod). */
import * as z from 'zod';
import { ErrorCode, RegistryError } from '../domain/errors';
import { schemaTypeOf } from '../domain/formats';
import type { SchemaInput } from '../services/schemas';
import { parseWith } from './respond';

const reference = z.object({
  name: z.string().min(1),
  subject: z.string().min(1),
  version: z.number().int(),
});

/** RegisterSchemaRequest; unknown fields are ignored as Jackson does (ignoreUnknown). */
export const schemaRequest = z
  .object({
    schema: z.string().nullish(),
    schemaType: z.string().nullish(),
    references: z.array(reference).nullish(),
    metadata: z.unknown().optional(),
    ruleSet: z.unknown().optional(),
    id: z.number().int().nullish(),
    version: z.number().int().nullish(),
  })
  .meta({ id: 'RegisterSchemaRequest' });

/**
 * `allowEmpty` (register only): an empty schema re-registers the subject's latest schema, as
 * Confluent 7.4+ does (maybePopulateFromPrevious); the writer decides, since only it knows the latest.
 */
export function toSchemaInput(body: unknown, { allowEmpty = false } = {}): SchemaInput & { id?: number; version?: number } {
  const r = parseWith(schemaRequest, body);
  const empty = !r.schema || !r.schema.trim();
  if (empty && !allowEmpty) throw new RegistryError(ErrorCode.INVALID_SCHEMA, 'Empty schema');
  return {
    schema: empty ? '' : (r.schema as string),
    schemaType: schemaTypeOf(r.schemaType),
    references: r.references ?? [],
    ...(r.metadata !== undefined && r.metadata !== null ? { metadata: r.metadata } : {}),
    ...(r.ruleSet !== undefined && r.ruleSet !== null ? { ruleSet: r.ruleSet } : {}),
    ...(r.id !== undefined && r.id !== null && r.id >= 0 ? { id: r.id } : {}),
    ...(r.version !== undefined && r.version !== null && r.version > 0 ? { version: r.version } : {}),
  };
}
