/**
 * node test/bench/parsed-memory.mjs — how much heap a parsed schema holds per byte of its text,
 * per format and schema size (100 distinct schemas each, measured after a full gc), parsed and
 * with the validator built from it. The parse cache (src/services/schemas.ts) and the validator
 * cache (src/services/validators.ts) weigh their entries by HEAP_PER_SCHEMA_CHAR
 * (src/services/bounded-cache.ts); the run says which measured factors exceed it. Prints only.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { withBundled } from './bundled.mjs';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

await withBundled('parsed-memory', ({ measure, HEAP_PER_SCHEMA_CHAR }) => {
  const rows = measure(gc);
  console.log(`Parsed schema memory (node ${process.version})\n`);
  console.log('| Format | Fields | Text | Heap per text byte, parsed | Its validator (as cached) |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.cells.join(' | ')} |`);
  const over = rows.filter((r) => r.cells.slice(3).some((f) => f !== '' && Number(f) > HEAP_PER_SCHEMA_CHAR[r.type]));
  const factors = Object.entries(HEAP_PER_SCHEMA_CHAR)
    .map(([type, n]) => `${type} ${n}`)
    .join(', ');
  console.log(
    over.length === 0
      ? `\nEvery factor is at or under HEAP_PER_SCHEMA_CHAR (${factors}).`
      : `\nOver HEAP_PER_SCHEMA_CHAR (${factors}): ${over.map((r) => `${r.cells[0]} ${r.cells[1]} fields`).join(', ')}; raise it.`,
  );
});
