/**
 * Google's well-known types (google/protobuf/*.proto), bundled so that schemas can import them
 * without registering them (Confluent resolves them the same way: ProtobufSchema KNOWN_DEPENDENCIES).
 * Source: https://github.com/protocolbuffers/protobuf/tree/main/src/google/protobuf
 * (text as shipped in google-gax build/protos; comments removed, declarations unchanged).
 *
 * Copyright 2008 Google Inc.  All rights reserved.
 * Licensed under the BSD 3-Clause licence:
 * Redistribution and use in source and binary forms, with or without modification, are permitted
 * provided that the following conditions are met: redistributions of source code must retain the
 * above copyright notice, this list of conditions and the following disclaimer; redistributions in
 * binary form must reproduce the above copyright notice, this list of conditions and the following
 * disclaimer in the documentation and/or other materials provided with the distribution; neither
 * the name of Google Inc. nor the names of its contributors may be used to endorse or promote
 * products derived from this software without specific prior written permission.
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY EXPRESS OR
 * IMPLIED WARRANTIES ARE DISCLAIMED.
 */

/** google/protobuf/any.proto */
export const ANY_PROTO =
  'syntax = "proto3";\npackage google.protobuf;\noption go_package = "google.golang.org/protobuf/types/known/anypb";\noption java_package = "com.google.protobuf";\noption java_outer_classname = "AnyProto";\noption java_multiple_files = true;\noption objc_class_prefix = "GPB";\noption csharp_namespace = "Google.Protobuf.WellKnownTypes";\nmessage Any {\n  string type_url = 1;\n  bytes value = 2;\n}\n';

/** google/protobuf/api.proto */
export const API_PROTO =
  'syntax = "proto3";\npackage google.protobuf;\nimport "google/protobuf/source_context.proto";\nimport "google/protobuf/type.proto";\noption java_package = "com.google.protobuf";\noption java_outer_classname = "ApiProto";\noption java_multiple_files = true;\noption objc_class_prefix = "GPB";\noption csharp_namespace = "Google.Protobuf.WellKnownTypes";\noption go_package = "google.golang.org/protobuf/types/known/apipb";\nmessage Api {\n  string name = 1;\n  repeated Method methods = 2;\n  repeated Option options = 3;\n  string version = 4;\n  SourceContext source_context = 5;\n  repeated Mixin mixins = 6;\n  Syntax syntax = 7;\n  string edition = 8;\n}\nmessage Method {\n  string name = 1;\n  string request_type_url = 2;\n  bool request_streaming = 3;\n  string response_type_url = 4;\n  bool response_streaming = 5;\n  repeated Option options = 6;\n  Syntax syntax = 7 [deprecated = true];\n  string edition = 8 [deprecated = true];\n}\nmessage Mixin {\n  string name = 1;\n  string root = 2;\n}\n';

/** google/protobuf/duration.proto */
export const DURATION_PROTO =
  'syntax = "proto3";\npackage google.protobuf;\noption cc_enable_arenas = true;\noption go_package = "google.golang.org/protobuf/types/known/durationpb";\noption java_package = "com.google.protobuf";\noption java_outer_classname = "DurationProto";\noption java_multiple_files = true;\noption objc_class_prefix = "GPB";\noption csharp_namespace = "Google.Protobuf.WellKnownTypes";\nmessage Duration {\n  int64 seconds = 1;\n  int32 nanos = 2;\n}\n';

/** google/protobuf/empty.proto */
export const EMPTY_PROTO =
  'syntax = "proto3";\npackage google.protobuf;\noption go_package = "google.golang.org/protobuf/types/known/emptypb";\noption java_package = "com.google.protobuf";\noption java_outer_classname = "EmptyProto";\noption java_multiple_files = true;\noption objc_class_prefix = "GPB";\noption csharp_namespace = "Google.Protobuf.WellKnownTypes";\noption cc_enable_arenas = true;\nmessage Empty {}\n';

/** google/protobuf/field_mask.proto */
export const FIELD_MASK_PROTO =
  'syntax = "proto3";\npackage google.protobuf;\noption java_package = "com.google.protobuf";\noption java_outer_classname = "FieldMaskProto";\noption java_multiple_files = true;\noption objc_class_prefix = "GPB";\noption csharp_namespace = "Google.Protobuf.WellKnownTypes";\noption go_package = "google.golang.org/protobuf/types/known/fieldmaskpb";\noption cc_enable_arenas = true;\nmessage FieldMask {\n  repeated string paths = 1;\n}\n';

/** google/protobuf/source_context.proto */
export const SOURCE_CONTEXT_PROTO =
  'syntax = "proto3";\npackage google.protobuf;\noption java_package = "com.google.protobuf";\noption java_outer_classname = "SourceContextProto";\noption java_multiple_files = true;\noption objc_class_prefix = "GPB";\noption csharp_namespace = "Google.Protobuf.WellKnownTypes";\noption go_package = "google.golang.org/protobuf/types/known/sourcecontextpb";\nmessage SourceContext {\n  string file_name = 1;\n}\n';

/** google/protobuf/struct.proto */
export const STRUCT_PROTO =
  'syntax = "proto3";\npackage google.protobuf;\noption cc_enable_arenas = true;\noption go_package = "google.golang.org/protobuf/types/known/structpb";\noption java_package = "com.google.protobuf";\noption java_outer_classname = "StructProto";\noption java_multiple_files = true;\noption objc_class_prefix = "GPB";\noption csharp_namespace = "Google.Protobuf.WellKnownTypes";\nmessage Struct {\n  map<string, Value> fields = 1;\n}\nmessage Value {\n  oneof kind {\n    NullValue null_value = 1;\n    double number_value = 2;\n    string string_value = 3;\n    bool bool_value = 4;\n    Struct struct_value = 5;\n    ListValue list_value = 6;\n  }\n}\nenum NullValue {\n  NULL_VALUE = 0;\n}\nmessage ListValue {\n  repeated Value values = 1;\n}\n';

/** google/protobuf/timestamp.proto */
export const TIMESTAMP_PROTO =
  'syntax = "proto3";\npackage google.protobuf;\noption cc_enable_arenas = true;\noption go_package = "google.golang.org/protobuf/types/known/timestamppb";\noption java_package = "com.google.protobuf";\noption java_outer_classname = "TimestampProto";\noption java_multiple_files = true;\noption objc_class_prefix = "GPB";\noption csharp_namespace = "Google.Protobuf.WellKnownTypes";\nmessage Timestamp {\n  int64 seconds = 1;\n  int32 nanos = 2;\n}\n';

/** google/protobuf/type.proto */
export const TYPE_PROTO =
  'syntax = "proto3";\npackage google.protobuf;\nimport "google/protobuf/any.proto";\nimport "google/protobuf/source_context.proto";\noption cc_enable_arenas = true;\noption java_package = "com.google.protobuf";\noption java_outer_classname = "TypeProto";\noption java_multiple_files = true;\noption objc_class_prefix = "GPB";\noption csharp_namespace = "Google.Protobuf.WellKnownTypes";\noption go_package = "google.golang.org/protobuf/types/known/typepb";\nmessage Type {\n  string name = 1;\n  repeated Field fields = 2;\n  repeated string oneofs = 3;\n  repeated Option options = 4;\n  SourceContext source_context = 5;\n  Syntax syntax = 6;\n  string edition = 7;\n}\nmessage Field {\n  enum Kind {\n    TYPE_UNKNOWN = 0;\n    TYPE_DOUBLE = 1;\n    TYPE_FLOAT = 2;\n    TYPE_INT64 = 3;\n    TYPE_UINT64 = 4;\n    TYPE_INT32 = 5;\n    TYPE_FIXED64 = 6;\n    TYPE_FIXED32 = 7;\n    TYPE_BOOL = 8;\n    TYPE_STRING = 9;\n    TYPE_GROUP = 10;\n    TYPE_MESSAGE = 11;\n    TYPE_BYTES = 12;\n    TYPE_UINT32 = 13;\n    TYPE_ENUM = 14;\n    TYPE_SFIXED32 = 15;\n    TYPE_SFIXED64 = 16;\n    TYPE_SINT32 = 17;\n    TYPE_SINT64 = 18;\n  }\n  enum Cardinality {\n    CARDINALITY_UNKNOWN = 0;\n    CARDINALITY_OPTIONAL = 1;\n    CARDINALITY_REQUIRED = 2;\n    CARDINALITY_REPEATED = 3;\n  }\n  Kind kind = 1;\n  Cardinality cardinality = 2;\n  int32 number = 3;\n  string name = 4;\n  string type_url = 6;\n  int32 oneof_index = 7;\n  bool packed = 8;\n  repeated Option options = 9;\n  string json_name = 10;\n  string default_value = 11;\n}\nmessage Enum {\n  string name = 1;\n  repeated EnumValue enumvalue = 2;\n  repeated Option options = 3;\n  SourceContext source_context = 4;\n  Syntax syntax = 5;\n  string edition = 6;\n}\nmessage EnumValue {\n  string name = 1;\n  int32 number = 2;\n  repeated Option options = 3;\n}\nmessage Option {\n  string name = 1;\n  Any value = 2;\n}\nenum Syntax {\n  SYNTAX_PROTO2 = 0;\n  SYNTAX_PROTO3 = 1;\n  SYNTAX_EDITIONS = 2;\n}\n';

/** google/protobuf/wrappers.proto */
export const WRAPPERS_PROTO =
  'syntax = "proto3";\npackage google.protobuf;\noption cc_enable_arenas = true;\noption go_package = "google.golang.org/protobuf/types/known/wrapperspb";\noption java_package = "com.google.protobuf";\noption java_outer_classname = "WrappersProto";\noption java_multiple_files = true;\noption objc_class_prefix = "GPB";\noption csharp_namespace = "Google.Protobuf.WellKnownTypes";\nmessage DoubleValue {\n  double value = 1;\n}\nmessage FloatValue {\n  float value = 1;\n}\nmessage Int64Value {\n  int64 value = 1;\n}\nmessage UInt64Value {\n  uint64 value = 1;\n}\nmessage Int32Value {\n  int32 value = 1;\n}\nmessage UInt32Value {\n  uint32 value = 1;\n}\nmessage BoolValue {\n  bool value = 1;\n}\nmessage StringValue {\n  string value = 1;\n}\nmessage BytesValue {\n  bytes value = 1;\n}\n';
