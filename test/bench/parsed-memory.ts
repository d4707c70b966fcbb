/**
 * Heap a parsed schema holds per byte of its text, per format: what services/schemas.ts weighs
 * its parse cache by (PARSED_BYTES_PER_KEY_CHAR). Run through parsed-memory.mjs, which exposes gc.
 */
import type { SchemaFormat } from '../../src/domain/format';
import { avroFormat } from '../../src/domain/avro/index';
import { jsonFormat } from '../../src/domain/json/index';
import { protobufFormat } from '../../src/domain/protobuf/index';

type Make = (name: string, fields: number) => string;

const avro: Make = (name, k) =>
  JSON.stringify({
    type: 'record',
    name,
    namespace: 'bench.memory',
    fields: Array.from({ length: k }, (_, j) => ({
      name: `f${j}`,
      type: j % 3 ? ['null', 'string'] : 'long',
      default: j % 3 ? null : 0,
      doc: 'a field',
    })),
  });
const json: Make = (name, k) =>
  JSON.stringify({
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: name,
    type: 'object',
    properties: Object.fromEntries(
      Array.from({ length: k }, (_, j) => [`f${j}`, j % 3 ? { type: 'string', maxLength: 64, description: 'a field' } : { type: 'integer' }]),
    ),
    required: ['f0'],
  });
const proto: Make = (name, k) =>
  `syntax = "proto3";\npackage bench.${name.toLowerCase()};\nmessage ${name} {\n${Array.from({ length: k }, (_, j) => `  ${j % 3 ? 'string' : 'int64'} f${j} = ${j + 1};`).join('\n')}\n}\n`;

const FORMATS: [string, SchemaFormat, Make][] = [
  ['AVRO', avroFormat, avro],
  ['JSON', jsonFormat, json],
  ['PROTOBUF', protobufFormat, proto],
];

/** Heap held by the parsed `texts`, per byte of text; what it parsed is unreachable once it returns. */
function heldPerByte(gc: () => void, format: SchemaFormat, texts: string[]): number {
  gc();
  gc(); // twice: the first can leave what the previous round freed to a later cycle
  const before = process.memoryUsage().heapUsed;
  const kept = texts.map((t) => format.parse(t, [], { isNew: false }));
  gc();
  gc();
  const held = process.memoryUsage().heapUsed - before;
  if (kept.length !== texts.length) throw new Error('parse lost a schema');
  return held / texts.reduce((a, t) => a + t.length, 0);
}

/** Rows of [format, fields per schema, average text, heap per text byte] for `count` distinct schemas each. */
export function measure(gc: () => void, count = 100): string[][] {
  const rows: string[][] = [];
  let run = 0;
  for (const [type, format, make] of FORMATS) {
    format.parse(make('Warm', 3), []); // module-level set-up is not the schemas' cost
    for (const fields of [10, 100, 1000]) {
      const texts = Array.from({ length: count }, () => make(`M${run++}`, fields));
      const average = texts.reduce((a, t) => a + t.length, 0) / count;
      rows.push([type, String(fields), `${(average / 1024).toFixed(1)} KB`, heldPerByte(gc, format, texts).toFixed(1)]);
    }
  }
  return rows;
}
