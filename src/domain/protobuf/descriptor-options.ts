/**
 * The standard (non-custom) options of google/protobuf/descriptor.proto that descriptors carry,
 * by options message: name, field number and value type. The lists are the options Confluent's
 * ProtobufSchema reads and writes (toProtoFile / toDynamicSchema), plus a few protoc ones that are
 * plain scalars. Listed in Confluent's order, which is the order decoded options are printed in.
 * Custom options `(ext.name)` are not encoded (see docs/protobuf.md, "Serialized descriptors").
 */

type OptionType = 'bool' | 'string' | { enum: readonly string[] };

export interface KnownOption {
  name: string;
  number: number;
  type: OptionType;
}

/** Enum names by number (index), as in descriptor.proto. */
const OPTIMIZE_MODE = ['', 'SPEED', 'CODE_SIZE', 'LITE_RUNTIME'] as const;
const CTYPE = ['STRING', 'CORD', 'STRING_PIECE'] as const;
const JSTYPE = ['JS_NORMAL', 'JS_STRING', 'JS_NUMBER'] as const;
const IDEMPOTENCY = ['IDEMPOTENCY_UNKNOWN', 'NO_SIDE_EFFECTS', 'IDEMPOTENT'] as const;

const o = (name: string, number: number, type: OptionType): KnownOption => ({ name, number, type });

export const FILE_OPTIONS: readonly KnownOption[] = [
  o('java_package', 1, 'string'),
  o('java_outer_classname', 8, 'string'),
  o('java_multiple_files', 10, 'bool'),
  o('java_generate_equals_and_hash', 20, 'bool'),
  o('java_string_check_utf8', 27, 'bool'),
  o('optimize_for', 9, { enum: OPTIMIZE_MODE }),
  o('go_package', 11, 'string'),
  o('cc_generic_services', 16, 'bool'),
  o('java_generic_services', 17, 'bool'),
  o('py_generic_services', 18, 'bool'),
  o('php_generic_services', 42, 'bool'),
  o('deprecated', 23, 'bool'),
  o('cc_enable_arenas', 31, 'bool'),
  o('objc_class_prefix', 36, 'string'),
  o('csharp_namespace', 37, 'string'),
  o('swift_prefix', 39, 'string'),
  o('php_class_prefix', 40, 'string'),
  o('php_namespace', 41, 'string'),
  o('php_metadata_namespace', 44, 'string'),
  o('ruby_package', 45, 'string'),
];

export const MESSAGE_OPTIONS: readonly KnownOption[] = [
  o('message_set_wire_format', 1, 'bool'),
  o('no_standard_descriptor_accessor', 2, 'bool'),
  o('deprecated', 3, 'bool'),
  o('map_entry', 7, 'bool'),
];

export const FIELD_OPTIONS: readonly KnownOption[] = [
  o('ctype', 1, { enum: CTYPE }),
  o('packed', 2, 'bool'),
  o('jstype', 6, { enum: JSTYPE }),
  o('lazy', 5, 'bool'),
  o('unverified_lazy', 15, 'bool'),
  o('deprecated', 3, 'bool'),
  o('weak', 10, 'bool'),
  o('debug_redact', 16, 'bool'),
];

export const ENUM_OPTIONS: readonly KnownOption[] = [o('allow_alias', 2, 'bool'), o('deprecated', 3, 'bool')];

export const ENUM_VALUE_OPTIONS: readonly KnownOption[] = [o('deprecated', 1, 'bool'), o('debug_redact', 3, 'bool')];

export const SERVICE_OPTIONS: readonly KnownOption[] = [o('deprecated', 33, 'bool')];

export const METHOD_OPTIONS: readonly KnownOption[] = [o('deprecated', 33, 'bool'), o('idempotency_level', 34, { enum: IDEMPOTENCY })];
