import { SchemaParseError } from '../errors';
import { decodeFile } from './descriptor-decode';
import { encodeFile, type EncodeInput } from './descriptor-encode';
import { fromBase64, looksLikeBase64, toBase64 } from './descriptor-wire';
import { MAX_SCHEMA_LENGTH } from './parser';
import { printCanonical } from './printer';

/**
 * Serialized descriptors: Confluent's `?format=serialized` (ProtobufSchema.formattedString
 * SERIALIZED = base64 of the schema's FileDescriptorProto) and the base64 FileDescriptorProto
 * schemas its serializers register (ProtobufSchema.toProtoFile: "Attempt to parse binary
 * FileDescriptorProto" when the text does not parse). See docs/protobuf.md.
 */

/** Confluent's ProtobufSchema.DEFAULT_NAME: the file name its DynamicSchema gives the schema. */
const DEFAULT_DESCRIPTOR_NAME = 'default';

/** The schema as binary google.protobuf.FileDescriptorProto. `fileName` is its `name` field. */
export function toFileDescriptorProto(parsed: EncodeInput, fileName: string = DEFAULT_DESCRIPTOR_NAME): Uint8Array {
  return encodeFile(parsed, fileName);
}

/** base64 (standard alphabet, padded, like java.util.Base64.getEncoder) of toFileDescriptorProto. */
export function toSerialized(parsed: EncodeInput, fileName: string = DEFAULT_DESCRIPTOR_NAME): string {
  return toBase64(encodeFile(parsed, fileName));
}

/**
 * Decodes a binary FileDescriptorProto and prints it as the .proto text Confluent stores for it
 * (its canonical form: ProtobufSchemaUtils.toString(toProtoFile(descriptor))). Throws
 * SchemaParseError for truncated or malformed bytes and for names that are not identifiers.
 */
export function fromFileDescriptorProto(bytes: Uint8Array): string {
  return printCanonical(decodeFile(bytes));
}

/**
 * The fallback of Confluent's ProtobufSchema.toProtoFile(String): when `text` failed to parse as
 * .proto (`textError`), try it as a base64 FileDescriptorProto. Returns null when `text` is not
 * base64 at all (the caller rethrows `textError`, as Confluent reports the text parse error);
 * throws a SchemaParseError naming both failures when it is base64 but not a valid descriptor.
 */
export function textFromBase64Descriptor(text: string, textError: SchemaParseError): string | null {
  if (text.length > MAX_SCHEMA_LENGTH || !looksLikeBase64(text)) return null;
  const bytes = fromBase64(text);
  const fail = (why: string): never => {
    throw new SchemaParseError(`${textError.message} (not a base64 FileDescriptorProto either: ${why})`);
  };
  if (bytes === null) return fail('invalid base64');
  try {
    return fromFileDescriptorProto(bytes);
  } catch (e) {
    if (e instanceof SchemaParseError) return fail(e.message);
    throw e;
  }
}
