/**
 * FileDescriptorProto codec benchmark (docs/decisions/0004-protobuf-descriptor-codec.md): the
 * hand-written codec (src/domain/protobuf/descriptor-encode.ts, descriptor-decode.ts on
 * descriptor-wire.ts) against the same mapping on @bufbuild/protobuf (create/toBinary and
 * fromBinary: test/bench/descriptor-bufbuild/). Bundled by esbuild from test/bench/descriptor.mjs.
 * Prints only.
 *
 * Fixtures: the protobuf schemas of the unit, integration and end-to-end tests, plus one generated
 * large schema. Encode: parsed schema -> bytes. Decode: bytes -> our AST (printing excluded; it is
 * the same code either way). For each fixture the two codecs take turns (alternating order per
 * round) for `sliceMs`; after a warm-up round, the median ops/s of `rounds` rounds is kept.
 */
import { decodeFile } from '../../src/domain/protobuf/descriptor-decode';
import { encodeFile } from '../../src/domain/protobuf/descriptor-encode';
import { parseProtobuf } from '../../src/domain/protobuf/index';
import type { ResolvedReference } from '../../src/domain/format';
import { decodeFileBufbuild } from './descriptor-bufbuild/decode';
import { encodeFileBufbuild } from './descriptor-bufbuild/encode';

export interface DescriptorBenchOptions {
  rounds: number;
  sliceMs: number;
}

const P3 = 'syntax = "proto3";\n';
const ref = (name: string, schema: string): ResolvedReference => ({ name, subject: name, version: 1, schema, references: [] });
const CUSTOMER = `${P3}package other;\nmessage Customer {\n  string id = 1;\n  string name = 2;\n}\n`;

/** A schema of `messages` messages with `fields` fields each (scalars, maps, enums, oneofs, nesting). */
function generated(messages: number, fields: number): string {
  let s = `${P3}package big.gen;\nimport "google/protobuf/timestamp.proto";\noption java_package = "com.example.big";\n`;
  s += 'enum Status {\n  STATUS_UNSPECIFIED = 0;\n  ACTIVE = 1;\n  INACTIVE = 2;\n}\n';
  const scalars = ['string', 'int32', 'int64', 'bool', 'double', 'bytes', 'uint32', 'sint64', 'fixed32'];
  for (let m = 0; m < messages; m++) {
    s += `message M${m} {\n`;
    for (let f = 1; f <= fields; f++) {
      if (f % 7 === 0) s += `  map<string, M${(m + 1) % messages}> map_${f} = ${f};\n`;
      else if (f % 5 === 0) s += `  repeated Status status_${f} = ${f} [deprecated = true];\n`;
      else if (f % 11 === 0) s += `  google.protobuf.Timestamp at_${f} = ${f};\n`;
      else s += `  ${scalars[f % scalars.length]} field_name_${f} = ${f};\n`;
    }
    s += `  oneof choice {\n    string a_${m} = ${fields + 1};\n    Inner b_${m} = ${fields + 2};\n  }\n`;
    s += `  optional int64 maybe = ${fields + 3};\n  message Inner {\n    int32 x = 1;\n    repeated string ys = 2;\n  }\n  reserved 1000 to 1010;\n}\n`;
  }
  return s + 'service Svc {\n  rpc Get (M0) returns (M1);\n  rpc Stream (stream M1) returns (stream M0);\n}\n';
}

export const FIXTURES: { name: string; text: string; refs: ResolvedReference[] }[] = [
  { name: 'customer (e2e)', text: CUSTOMER, refs: [] },
  {
    name: 'order + refs (integration)',
    text: `${P3}package shop;\nimport "other.proto";\nimport "google/protobuf/timestamp.proto";\nmessage Order {\n  other.Customer customer = 1;\n  google.protobuf.Timestamp placed_at = 2;\n  repeated Line lines = 3;\n  message Line {\n    string sku = 1;\n    int32 quantity = 2;\n  }\n}\n`,
    refs: [ref('other.proto', CUSTOMER)],
  },
  {
    name: 'proto3 kitchen sink (unit)',
    text: `${P3}package a.b;\nimport "google/protobuf/timestamp.proto";\nmessage M {\n  map<string, N> m = 1;\n  optional int32 x = 2;\n  oneof o {\n    string s = 3;\n    N n = 4;\n  }\n  google.protobuf.Timestamp t = 5;\n  repeated E es = 6;\n  message N { E e = 1; }\n  enum E { A = 0; B = 1; }\n  reserved 10 to 12, 15;\n  reserved "foo";\n}\nservice S { rpc Get (M) returns (stream M.N); }\n`,
    refs: [],
  },
  {
    name: 'proto2 options, groups, extensions (unit)',
    text: 'syntax = "proto2";\npackage q;\noption java_package = "com.q";\noption optimize_for = SPEED;\nmessage M {\n  required int32 a = 1 [default = 3];\n  repeated int32 p = 2 [packed = true];\n  optional bytes b = 3 [default = "\\001z"];\n  optional group G = 4 {\n    optional int32 x = 1;\n  }\n  extensions 100 to 200;\n}\nextend M {\n  optional string e = 100;\n}\nenum E {\n  A = 1;\n  B = 2;\n}\n',
    refs: [],
  },
  {
    name: 'confluent.Meta options (unit)',
    text: `${P3}package m;\nimport "confluent/meta.proto";\noption (confluent.file_meta).doc = "d";\nmessage M {\n  option (confluent.message_meta).doc = "hello";\n  string s = 1 [(confluent.field_meta).tags = "PII", (confluent.field_meta).tags = "GDPR", (confluent.field_meta).doc = "x"];\n  bytes d = 2 [(confluent.field_meta) = { params: [{ key: "precision", value: "5" }, { key: "k", value: "v" }] }];\n}\n`,
    refs: [],
  },
  { name: 'generated 40 messages x 30 fields', text: generated(40, 30), refs: [] },
];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

let sink = 0;

/** Calls per second of `fn`, looping for at least `ms`. */
function rate(fn: () => number, ms: number): number {
  let done = 0;
  const start = performance.now();
  let now = start;
  do {
    for (let b = 0; b < 16; b++) sink += fn();
    done += 16;
    now = performance.now();
  } while (now - start < ms);
  return (done * 1000) / (now - start);
}

function race(a: () => number, b: () => number, o: DescriptorBenchOptions): { ours: number; bufbuild: number } {
  const ra: number[] = [];
  const rb: number[] = [];
  for (let round = 0; round <= o.rounds; round++) {
    let x: number;
    let y: number;
    if (round % 2 === 0) {
      x = rate(a, o.sliceMs);
      y = rate(b, o.sliceMs);
    } else {
      y = rate(b, o.sliceMs);
      x = rate(a, o.sliceMs);
    }
    if (round === 0) continue; // warm-up
    ra.push(x);
    rb.push(y);
  }
  return { ours: median(ra), bufbuild: median(rb) };
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

export function runDescriptorBench(o: DescriptorBenchOptions): string[] {
  const lines: string[] = [];
  const fmt = (x: number): string => Math.round(x).toLocaleString('en-US').padStart(9);
  lines.push(
    `${'fixture'.padEnd(44)}${'bytes'.padStart(7)} | ${'encode/s ours'.padStart(13)} ${'bufbuild'.padStart(9)} ${'ratio'.padStart(6)} | ${'decode/s ours'.padStart(13)} ${'bufbuild'.padStart(9)} ${'ratio'.padStart(6)} | same bytes`,
  );
  const encRatios: number[] = [];
  const decRatios: number[] = [];
  for (const f of FIXTURES) {
    const parsed = parseProtobuf(f.text, f.refs);
    const ours = encodeFile(parsed, 'default');
    const theirs = encodeFileBufbuild(parsed, 'default');
    const enc = race(
      () => encodeFile(parsed, 'default').length,
      () => encodeFileBufbuild(parsed, 'default').length,
      o,
    );
    const dec = race(
      () => decodeFile(ours).types.length,
      () => decodeFileBufbuild(ours).types.length,
      o,
    );
    encRatios.push(enc.bufbuild / enc.ours);
    decRatios.push(dec.bufbuild / dec.ours);
    lines.push(
      `${f.name.padEnd(44)}${String(ours.length).padStart(7)} | ${fmt(enc.ours).padStart(13)} ${fmt(enc.bufbuild)} ${(enc.bufbuild / enc.ours).toFixed(2).padStart(6)} | ${fmt(dec.ours).padStart(13)} ${fmt(dec.bufbuild)} ${(dec.bufbuild / dec.ours).toFixed(2).padStart(6)} | ${sameBytes(ours, theirs) ? 'yes' : 'no (option order)'}`,
    );
  }
  const geo = (xs: number[]): number => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
  lines.push(`geometric mean of bufbuild/ours: encode ${geo(encRatios).toFixed(2)}, decode ${geo(decRatios).toFixed(2)} (above 1 = bufbuild faster)`);
  if (sink === 42) lines.push('');
  return lines;
}
