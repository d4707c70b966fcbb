/**
 * The domain work of a FULL_TRANSITIVE check against a long history, without storage: parse each
 * stored version (as stored) and compare the candidate with it both ways, newest first, as
 * services/compatibility-check.ts walks. Each history adds one field per version: Avro with
 * required strings (test/bench/curves.mjs `versions`) and with optional `["null","string"]` fields
 * (the usual Avro evolution), and Protobuf strings; JSON Schema versions keep the same 100
 * properties and change their description, 100 versions at most (a check spends a shared budget
 * of 50,000 subschema pairs, docs/json-schema.md#limits). Run through transitive-walk.mjs.
 */
import type { SchemaFormat } from '../../src/domain/format';
import { avroFormat } from '../../src/domain/avro/index';
import { type JsonCompatibilityOptions, jsonFormat, workBudget } from '../../src/domain/json/index';
import { protobufFormat } from '../../src/domain/protobuf/index';

const avro = (field: (i: number) => unknown) => (k: number) =>
  JSON.stringify({ type: 'record', name: 'Grow', fields: [{ name: 'id', type: 'long' }, ...Array.from({ length: k }, (_, i) => field(i))] });
const proto = (k: number) =>
  `syntax = "proto3";\npackage bench;\nmessage Grow {\n  int64 id = 1;\n${Array.from({ length: k }, (_, i) => `  string f${i} = ${i + 2};`).join('\n')}\n}\n`;
/** JSON Schema: every version the same 100 properties, `k` in its description (adding a property to an open model is not FULL compatible). */
const json = (k: number) =>
  JSON.stringify({
    type: 'object',
    description: `version ${k}`,
    properties: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${i}`, { type: 'string' }])),
  });

/** [history, format, the version with k added fields, how many versions (at most `versions`)]. */
const HISTORIES: [string, SchemaFormat, (k: number) => string, number][] = [
  ['Avro, required strings (the curves bench)', avroFormat, avro((i) => ({ name: `f${i}`, type: 'string', default: '' })), Infinity],
  [
    'Avro, optional ["null","string"] with a doc',
    avroFormat,
    avro((i) => ({ name: `f${i}`, type: ['null', 'string'], default: null, doc: `field ${i}` })),
    Infinity,
  ],
  ['Protobuf, strings', protobufFormat, proto, Infinity],
  ['JSON Schema, 100 string properties, description changed', jsonFormat, json, 100],
];

export interface WalkRow {
  history: string;
  versions: number;
  megabytes: number;
  parseMs: number;
  compareMs: number;
}

/** The median of `rounds` walks per history: parse time and compare time, summed over the history. */
export function measure(versions: number, rounds: number): WalkRow[] {
  return HISTORIES.map(([history, format, version, most]) => {
    const n = Math.min(versions, most);
    const texts = Array.from({ length: n }, (_, i) => version(i));
    const candidate = format.parse(version(n), [], { isNew: true });
    const parse: number[] = [];
    const compare: number[] = [];
    for (let round = 0; round < rounds; round++) {
      // one budget per check, as services/compatibility-check.ts gives it (JSON Schema spends it)
      const options: JsonCompatibilityOptions = { policy: 'STRICT', budget: workBudget() };
      let parseMs = 0;
      let compareMs = 0;
      for (let i = texts.length - 1; i >= 0; i--) {
        const t0 = performance.now();
        const previous = format.parse(texts[i], [], { isNew: false });
        const t1 = performance.now();
        const messages = format.compatibility(candidate, previous, 'FULL', options);
        compareMs += performance.now() - t1;
        parseMs += t1 - t0;
        if (messages.length > 0) throw new Error(`${history}: version ${i + 1} is not compatible: ${messages[0]}`);
      }
      parse.push(parseMs);
      compare.push(compareMs);
    }
    const megabytes = texts.reduce((sum, t) => sum + t.length, 0) / 1e6;
    return { history, versions: n, megabytes, parseMs: median(parse), compareMs: median(compare) };
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}
