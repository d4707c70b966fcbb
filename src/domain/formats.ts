/**
 * The format registry: schemaType -> SchemaFormat. The only place that knows which formats exist.
 */
import { ErrorCode, RegistryError } from './errors';
import type { SchemaFormat, SchemaType } from './format';
import { SCHEMA_TYPES } from './format';
import { avroFormat } from './avro/index';
import { jsonFormat } from './json/index';
import { protobufFormat } from './protobuf/index';

const formats: Partial<Record<SchemaType, SchemaFormat>> = {
  AVRO: avroFormat,
  JSON: jsonFormat,
  PROTOBUF: protobufFormat,
};

/** Confluent: absent schemaType means AVRO; unknown types are 42201 "Invalid schema type". */
export function schemaTypeOf(raw: string | undefined | null): SchemaType {
  const t = (raw ?? 'AVRO').toUpperCase();
  if (!(SCHEMA_TYPES as readonly string[]).includes(t)) {
    throw new RegistryError(ErrorCode.INVALID_SCHEMA, `Invalid schema type ${raw}`);
  }
  return t as SchemaType;
}

export function formatFor(type: SchemaType): SchemaFormat {
  const f = formats[type];
  if (!f) throw new RegistryError(ErrorCode.INVALID_SCHEMA, `Schema type ${type} is not supported by this registry yet`);
  return f;
}

/** GET /schemas/types: the types this registry can parse. */
export function supportedTypes(): SchemaType[] {
  return SCHEMA_TYPES.filter((t) => formats[t]);
}
