/**
 * The Protobuf schema format: parser (proto2/proto3 text), Confluent's canonical and normalized
 * text, Confluent's compatibility diff, and a validator for Protobuf JSON documents.
 * See docs/protobuf.md.
 */
export { protobufFormat, parseProtobuf, protobufCompatibility, type ProtobufParsedSchema } from './schema';
export { fromFileDescriptorProto, textFromBase64Descriptor, toFileDescriptorProto, toSerialized } from './descriptor';
export { protobufValidator } from './json-validator';
export { COMPATIBLE_CHANGES, DIFFERENCE_TYPES } from './diff';
export { BUNDLED_PROTOS } from './wellknown';
