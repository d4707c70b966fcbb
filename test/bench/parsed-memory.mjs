/**
 * node test/bench/parsed-memory.mjs — how much heap a parsed schema holds per byte of its text,
 * per format and schema size (100 distinct schemas each, measured after a full gc): parsed as
 * stored, parsed as new, and its validator; and the time parsing takes per byte. The parse cache
 * (src/services/schemas.ts) and the validator cache (src/services/validators.ts) weigh their
 * entries by HEAP_PER_SCHEMA_CHAR (src/domain/parsed-heap.ts); the run says which measured
 * factors exceed it. Prints only.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { withBundled } from './bundled.mjs';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

await withBundled('parsed-memory', ({ measure, HEAP_PER_SCHEMA_CHAR }) => {
  const rows = measure(gc);
  console.log(`Parsed schema memory (node ${process.version})\n`);
  console.log(
    '| Format | Fields | Text | Heap per text byte: parsed as stored | parsed as new | its validator (as cached) | ns per byte to parse: as stored | as new |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.cells.join(' | ')} |`);
  // A stored parse weighs parsed[type]; a new one (it may carry a compiled validator) and a validator weigh compiled.
  const limits = (r) => [HEAP_PER_SCHEMA_CHAR.parsed[r.type], HEAP_PER_SCHEMA_CHAR.compiled, HEAP_PER_SCHEMA_CHAR.compiled];
  const over = rows.filter((r) => r.cells.slice(3, 6).some((f, i) => f !== '' && Number(f) > limits(r)[i]));
  const factors = `parsed ${Object.entries(HEAP_PER_SCHEMA_CHAR.parsed)
    .map(([type, n]) => `${type} ${n}`)
    .join(', ')}; compiled ${HEAP_PER_SCHEMA_CHAR.compiled}`;
  console.log(
    over.length === 0
      ? `\nEvery factor is at or under HEAP_PER_SCHEMA_CHAR (${factors}).`
      : `\nOver HEAP_PER_SCHEMA_CHAR (${factors}): ${over.map((r) => `${r.cells[0]} ${r.cells[1]} fields`).join(', ')}; raise it.`,
  );
});
