/**
 * The domain work of a FULL_TRANSITIVE check of an Avro candidate against a long history, without
 * storage: parse each stored version (as stored: no default validation) and compare the candidate
 * with it both ways, newest first, as services/compatibility-check.ts walks. Two shapes of history,
 * each version adding a field: required strings with a default (test/bench/curves.mjs `versions`),
 * and optional fields (`["null","string"]` with a doc), the usual Avro evolution. Run through
 * avro-walk.mjs.
 */
import { avroFormat } from '../../src/domain/avro/index';

type Field = Record<string, unknown>;
const SHAPES: [string, (i: number) => Field][] = [
  ['required strings (the curves bench)', (i) => ({ name: `f${i}`, type: 'string', default: '' })],
  ['optional ["null","string"] with a doc', (i) => ({ name: `f${i}`, type: ['null', 'string'], default: null, doc: `field ${i}` })],
];

const version = (field: (i: number) => Field, k: number) =>
  JSON.stringify({ type: 'record', name: 'Grow', fields: [{ name: 'id', type: 'long' }, ...Array.from({ length: k }, (_, i) => field(i))] });

export interface WalkRow {
  shape: string;
  versions: number;
  megabytes: number;
  parseMs: number;
  compareMs: number;
}

/** The median of `rounds` walks per shape: parse time and compare time, summed over the history. */
export function measure(versions: number, rounds: number): WalkRow[] {
  return SHAPES.map(([shape, field]) => {
    const texts = Array.from({ length: versions }, (_, i) => version(field, i));
    const candidate = avroFormat.parse(version(field, versions), [], { isNew: true });
    const parse: number[] = [];
    const compare: number[] = [];
    for (let round = 0; round < rounds; round++) {
      let parseMs = 0;
      let compareMs = 0;
      for (let i = texts.length - 1; i >= 0; i--) {
        const t0 = performance.now();
        const previous = avroFormat.parse(texts[i], [], { isNew: false });
        const t1 = performance.now();
        const messages = avroFormat.compatibility(candidate, previous, 'FULL');
        compareMs += performance.now() - t1;
        parseMs += t1 - t0;
        if (messages.length > 0) throw new Error(`version ${i + 1} is not compatible: ${messages[0]}`);
      }
      parse.push(parseMs);
      compare.push(compareMs);
    }
    const megabytes = texts.reduce((n, t) => n + t.length, 0) / 1e6;
    return { shape, versions, megabytes, parseMs: median(parse), compareMs: median(compare) };
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}
