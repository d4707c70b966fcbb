/**
 * Heap a parsed schema (and a validator built from one) holds per byte of its text, per format:
 * what the parse and validator caches weigh entries by (HEAP_PER_SCHEMA_CHAR, domain/parsed-heap.ts).
 * Run through parsed-memory.mjs, which exposes gc.
 */
import type { SchemaFormat, SchemaType } from '../../src/domain/format';
import { avroFormat } from '../../src/domain/avro/index';
import { jsonFormat } from '../../src/domain/json/index';
import type { JsonParsedSchema } from '../../src/domain/json/types';
import { compileValidator } from '../../src/domain/json/validator/index';
import { protobufFormat, protobufValidator } from '../../src/domain/protobuf/index';

export { HEAP_PER_SCHEMA_CHAR } from '../../src/domain/parsed-heap';

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
/** Avro with a custom property on every field (kept as parsed JSON: the costliest Avro to hold). */
const avroWithProps: Make = (name, k) =>
  JSON.stringify({
    type: 'record',
    name,
    fields: Array.from({ length: k }, (_, j) => ({ name: `f${j}`, type: 'string', 'x-meta': { pii: j % 2 === 0, tags: ['a', 'b'], owner: 'team' } })),
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

/** What services/validators.ts keeps for a schema (a ReadyValidator, less the stored text): its validator and, for JSON, the document. */
const jsonValidator = (parsed: JsonParsedSchema) => ({ validator: compileValidator(parsed), jsonSchema: parsed.root });
type Compile = ((text: string) => unknown) | null;
/** [format, a label for its rows, parse, make a schema, build its validator]. */
const FORMATS: [SchemaType, string, SchemaFormat, Make, Compile][] = [
  ['AVRO', 'AVRO', avroFormat, avro, null],
  ['AVRO', 'AVRO, custom props', avroFormat, avroWithProps, null],
  ['JSON', 'JSON', jsonFormat, json, (t) => jsonValidator(jsonFormat.parse(t, [], { isNew: false }))],
  ['PROTOBUF', 'PROTOBUF', protobufFormat, proto, (t) => protobufValidator(protobufFormat.parse(t, [], { isNew: false }))],
];

/** Heap held by what `make` builds from each of `texts`, and the time it took, per byte of text; all of it unreachable once it returns. */
function heldPerByte(gc: () => void, make: (text: string) => unknown, texts: string[]): { perByte: number; nsPerByte: number } {
  gc();
  gc(); // twice: the first can leave what the previous round freed to a later cycle
  const before = process.memoryUsage().heapUsed;
  const started = performance.now();
  const kept = texts.map(make);
  const ms = performance.now() - started;
  gc();
  gc();
  const held = process.memoryUsage().heapUsed - before;
  if (kept.length !== texts.length) throw new Error('lost a schema');
  const bytes = texts.reduce((a, t) => a + t.length, 0);
  return { perByte: held / bytes, nsPerByte: (ms * 1e6) / bytes };
}

/**
 * Rows of [label, fields per schema, average text, heap per text byte parsed as stored, parsed as
 * new, and for its validator; ns per byte to parse as stored, as new], with their format, for
 * `count` distinct schemas each.
 */
export function measure(gc: () => void, count = 100): { type: SchemaType; cells: string[] }[] {
  const rows: { type: SchemaType; cells: string[] }[] = [];
  let run = 0;
  for (const [type, label, format, make, compile] of FORMATS) {
    format.parse(make('Warm', 3), []); // module-level set-up is not the schemas' cost
    compile?.(make('Warm', 3));
    for (const fields of [10, 100, 1000]) {
      const texts = Array.from({ length: count }, () => make(`M${run++}`, fields));
      // distinct again for each round: nothing cached from an earlier one
      const again = (letter: string) => texts.map((t) => t.replace(/M(\d+)/, `${letter}$1`));
      const average = texts.reduce((a, t) => a + t.length, 0) / count;
      const stored = heldPerByte(gc, (t) => format.parse(t, [], { isNew: false }), texts);
      const fresh = heldPerByte(gc, (t) => format.parse(t, [], { isNew: true }), again('N'));
      const validator = compile ? heldPerByte(gc, compile, again('V')).perByte.toFixed(1) : '';
      rows.push({
        type,
        cells: [
          label,
          String(fields),
          `${(average / 1024).toFixed(1)} KB`,
          stored.perByte.toFixed(1),
          fresh.perByte.toFixed(1),
          validator,
          stored.nsPerByte.toFixed(0),
          fresh.nsPerByte.toFixed(0),
        ],
      });
    }
  }
  return rows;
}
