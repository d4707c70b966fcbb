/**
 * node test/bench/transitive-walk.mjs [--versions N] [--rounds R]: what a FULL_TRANSITIVE check
 * over N versions (default 1,000) costs in the domain, per format, split into parsing the stored
 * versions and comparing the candidate with each (transitive-walk.ts), median of R rounds
 * (default 3). The compare column is also given per parse, a ratio within the run. Prints only.
 */
import { withBundled } from './bundled.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : dflt);

await withBundled('transitive-walk', ({ measure }) => {
  const rows = measure(opt('--versions', 1_000), opt('--rounds', 3));
  console.log(`Transitive walk, domain only (node ${process.version})\n`);
  console.log('| History | Versions | Text | Parse | Compare (both ways) | Compare / parse |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.history} | ${r.versions.toLocaleString('en-US')} | ${r.megabytes.toFixed(1)} MB | ${r.parseMs.toFixed(0)} ms | ${r.compareMs.toFixed(0)} ms | ${(r.compareMs / r.parseMs).toFixed(2)} |`,
    );
  }
});
