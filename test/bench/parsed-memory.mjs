/**
 * node test/bench/parsed-memory.mjs — how much heap a parsed schema holds per byte of its text,
 * per format and schema size (100 distinct schemas each, measured after a full gc). The parse
 * cache (src/services/schemas.ts) and a transitive check's reading in slices
 * (src/services/compatibility-check.ts) are sized from it. Prints only.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { withBundled } from './bundled.mjs';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

await withBundled('parsed-memory', ({ measure }) => {
  const rows = measure(gc);
  console.log(`Parsed schema memory (node ${process.version})\n`);
  console.log('| Format | Fields | Text | Heap per text byte |');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
});
