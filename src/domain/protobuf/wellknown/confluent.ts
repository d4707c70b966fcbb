/**
 * Confluent's own bundled schemas, resolvable without registration like in Confluent's registry
 * (ProtobufSchema KNOWN_DEPENDENCIES: confluent/meta.proto, confluent/type/decimal.proto).
 * Source: https://github.com/confluentinc/schema-registry/tree/master/protobuf-types/src/main/proto/confluent
 * Copyright Confluent Inc., Confluent Community License / Apache License 2.0 (schema files).
 */

/** confluent/meta.proto: the `(confluent.field_meta)` etc. custom options (doc, params, tags). */
export const CONFLUENT_META_PROTO = `syntax = "proto3";
package confluent;
import "google/protobuf/descriptor.proto";
option go_package = "../confluent";
option java_package = "io.confluent.protobuf";
option java_outer_classname = "MetaProto";
message Meta {
  string doc = 1;
  map<string, string> params = 2;
  repeated string tags = 3;
}
extend google.protobuf.FileOptions {
  Meta file_meta = 1088;
}
extend google.protobuf.MessageOptions {
  Meta message_meta = 1088;
}
extend google.protobuf.FieldOptions {
  Meta field_meta = 1088;
}
extend google.protobuf.EnumOptions {
  Meta enum_meta = 1088;
}
extend google.protobuf.EnumValueOptions {
  Meta enum_value_meta = 1088;
}
`;

/** confluent/type/decimal.proto: arbitrary-precision decimal (Connect's Decimal logical type). */
export const CONFLUENT_DECIMAL_PROTO = `syntax = "proto3";
package confluent.type;
option go_package = "../type";
option java_package = "io.confluent.protobuf.type";
option java_multiple_files = true;
option java_outer_classname = "DecimalProto";
message Decimal {
  bytes value = 1;
  uint32 precision = 2;
  int32 scale = 3;
}
`;
