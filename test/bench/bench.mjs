/**
 * npm run bench: the engine benchmark (Workers engine vs ajv, same Node process) and the edge
 * benchmark (the built Worker under Miniflare: service binding vs HTTP vs a parse-only baseline,
 * cold vs warm, storage check). Prints the tables; with --write it also puts them into
 * docs/performance.md between the bench markers (nothing tracked is written otherwise). Figures that matter are RATIOS within this run; absolute numbers depend on the
 * machine and on whatever else it runs.
 *
 *   node test/bench/bench.mjs [--engine-only | --edge-only] [--quick] [--use-dist] [--write]
 *
 * --use-dist takes dist/index.js as built; by default the Worker is bundled with the same
 * `wrangler deploy --dry-run` as `npm run build`, into a temporary directory.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { withBundled } from './bundled.mjs';
import { buildWorker, ROOT } from './miniflare.mjs';
import { runEdgeBench } from './edge.mjs';
import { table, replaceSection } from './report.mjs';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const doEngine = !args.has('--edge-only');
const doEdge = !args.has('--engine-only');
const log = (...m) => console.error(...m);

const f0 = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
const f3 = (x) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');

function machine() {
  const c = cpus();
  return {
    cores: c.length,
    cpu: c[0]?.model ?? 'unknown',
    memGiB: (totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    load: loadavg()
      .map((x) => x.toFixed(2))
      .join(' '),
  };
}

function engine() {
  return withBundled('engine', ({ runEngineBench }) => {
    const opts = quick ? { rounds: 3, sliceMs: 40, compileReps: 15 } : { rounds: 5, sliceMs: 100, compileReps: 40 };
    log(`engine: ${opts.rounds} rounds x ${opts.sliceMs} ms per schema, kind and engine; ${opts.compileReps} compiles per schema and engine`);
    return runEngineBench(opts);
  });
}

function engineReport(r) {
  const rows = r.rows.map((x) => [
    x.name,
    x.draft,
    `${x.instances.valid}/${x.instances.invalid}`,
    f0(x.valid.workers),
    f0(x.valid.ajv),
    f3(x.valid.ratio),
    f0(x.invalid.workers),
    f0(x.invalid.ajv),
    f3(x.invalid.ratio),
    f3(x.all.ratio),
    f0(x.compileUs.workers),
    f0(x.compileUs.ajvFull),
    f0(x.compileUs.ajvCompileOnly),
    f3(x.compileUs.ratioCompileOnly),
  ]);
  rows.push([
    '**overall**',
    '',
    '',
    '',
    '',
    `**${f3(r.overall.valid)}**`,
    '',
    '',
    `**${f3(r.overall.invalid)}**`,
    `**${f3(r.overall.all)}**`,
    '',
    '',
    '',
    `**${f3(r.overall.compileOnly)}**`,
  ]);
  const head = [
    'schema',
    'draft',
    'valid/invalid',
    'valid: workers/s',
    'valid: ajv/s',
    'ratio',
    'invalid: workers/s',
    'invalid: ajv/s',
    'ratio',
    'all: ratio',
    'compile workers µs',
    'ajv new+compile µs',
    'ajv compile µs',
    'compile ratio',
  ];
  const disagree = r.rows.flatMap((x) => x.disagreements.map((d) => `${x.name}: ${d}`));
  return [
    table(head, rows),
    '',
    `Corpus total (every instance once): workers ${f0(r.totals.workers)}/s, ajv ${f0(r.totals.ajv)}/s, ratio **${f3(r.totals.ratio)}**. ` +
      `Overall rows are geometric means of the per-schema ratios (workers/ajv; above 1 = the Workers engine is faster; ` +
      `for compile time below 1 = the Workers engine compiles faster). "ajv new+compile" is src/node/ajv-validator.ts ` +
      `(new Ajv instance + ajv-formats + compile), "ajv compile" is compile() alone on a prepared instance. ` +
      `Formats: ${r.options.formats}. ${r.options.rounds} measured rounds of ${r.options.sliceMs} ms per schema, kind and engine (median); ` +
      `${r.options.compileReps} compiles per schema and engine (median). Took ${f1(r.elapsedMs / 1000)} s.`,
    disagree.length ? `\n**Engines disagree:** ${disagree.join('; ')}` : 'Both engines agree with the corpus on every instance.',
  ].join('\n');
}

function edgeReport(e) {
  const t = e.throughput;
  const row = (label, x, ratio, cpuRatio) => [
    label,
    f0(x.rps),
    ratio,
    f0(x.cpuUs),
    cpuRatio,
    f2(x.p50),
    f2(x.p99),
    x.non2xx,
    x.errors,
    `${Math.round(x.clientCpuShare * 100)}%`,
  ];
  const rows = [
    row('(c) baseline: parse body, answer {valid:true}', t.summary.baseline, '1', '1'),
    row('(b) HTTP POST /v1/validate/subjects/{s}/versions/latest', t.summary.http, `**${f3(t.ratios.http)}**`, f2(t.cpuRatios.http)),
    row(
      '(a) gateway Worker -> service binding RegistryService.validate()',
      t.summary.gateway,
      `**${f3(t.ratios.gateway)}**`,
      f2(t.cpuRatios.gateway),
    ),
    row(
      '(d) for comparison: gateway Worker -> service binding fetch() to (b)',
      t.summary.gatewayFetch,
      f3(t.ratios.gatewayFetch),
      f2(t.cpuRatios.gatewayFetch),
    ),
  ];
  const tp = table(
    [
      'target',
      'validations/s',
      'ratio to (c)',
      'workerd CPU µs/req',
      'CPU ratio to (c)',
      'p50 ms',
      'p99 ms',
      'non-2xx',
      'errors',
      'load generator CPU',
    ],
    rows,
  );
  const perRound = `Per-round ratios: (b)/(c) ${t.perRound.http.map(f3).join(', ')}; (a)/(c) ${t.perRound.gateway.map(f3).join(', ')}; (d)/(c) ${t.perRound.gatewayFetch.map(f3).join(', ')}.`;
  const coldRows = e.cold.http.rows.map((h, i) => {
    const g = e.cold.gateway.rows[i];
    return [h.schema, f1(h.coldMs), f2(h.warmMs), f1(g.coldMs), f2(g.warmMs), f2((h.baselineMs + g.baselineMs) / 2)];
  });
  const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const s = e.cold.storage;
  return [
    tp,
    '',
    `${e.instances} corpus instances (valid and invalid, all 10 schemas) in rotation; ${e.options.rounds} interleaved rounds of ${e.options.amount} requests per target ` +
      `over ${e.options.connections} connections, after ${e.options.warmup} warm-up requests each; medians. ${perRound} ` +
      `"workerd CPU" is user+system CPU of the workerd process (every Worker in it) per request, from /proc; "load generator CPU" is ` +
      `autocannon's share of one core (near 100% means the client, not the Worker, set the pace); autocannon reports latency in whole milliseconds. ` +
      `Registry error log lines during the runs: ${t.registryErrorLogs}.`,
    '',
    '**Cold vs warm** (fresh workerd on the same persisted state; one sequential request at a time, valid instance; ms as seen by the client):',
    '',
    table(['schema', 'HTTP cold', 'HTTP warm (median)', 'gateway cold', 'gateway warm (median)', 'baseline (median)'], coldRows),
    '',
    `Median cold/warm: HTTP ${f1(med(e.cold.http.rows.map((r) => r.coldMs / r.warmMs)))}x, gateway ${f1(med(e.cold.gateway.rows.map((r) => r.coldMs / r.warmMs)))}x. ` +
      `Restart of workerd: ${f0(e.cold.http.restartMs)} ms; first request to the fresh registry isolate: ${f1(e.cold.http.firstRequestMs)} ms. ` +
      `The first schema's cold figure also pays the first D1 query of the process.`,
    '',
    `**Storage check** (warm validators, storage taken away): D1 tables \`versions\`, \`schemas\`, \`refs\` renamed, ${s.kvDeleted} KV keys and ` +
      `${s.cacheDeleted} Cache API entries deleted; a D1 query of \`versions\` then ${s.controlD1Fails ? 'fails' : '**still answers**'}, ` +
      `a warm GET /schemas/ids/{id} answers ${s.warmIdReadStatus} (from isolate memory). ` +
      `Within the next 4 s: POST /v1/validate/ids/{id} answered ${s.warmById.ok}/${s.warmById.total}, by subject \`latest\` (HTTP and gateway) ` +
      `${s.warmBySubject.ok}/${s.warmBySubject.total}. After the 5 s \`latest\` TTL: the next validation by subject answered ` +
      `${s.afterTtl.subjectsStale}/${s.afterTtl.of} (the stale resolution, refreshed in the background), the one after it failed for ` +
      `${s.afterTtl.subjectsFailing}/${s.afterTtl.of} (\`latest\` re-read from D1, gone), ${s.afterTtl.idsAnswering}/${s.afterTtl.of} ids still answer ` +
      `(the registry logged ${s.errorLogLines} errors meanwhile: the failing refreshes and re-reads). ` +
      (s.warmById.ok === s.warmById.total && s.warmBySubject.ok === s.warmBySubject.total
        ? 'So a warm validation reads no storage; by subject+latest costs one D1 read per subject per 5 s per isolate, in the background.'
        : '**Some warm validations failed without storage: they read storage.**'),
    '',
    `Edge benchmark took ${f1(e.elapsedMs / 1000)} s.`,
  ].join('\n');
}

const started = performance.now();
const m = machine();
log(`machine: ${m.cores} cores (${m.cpu}), ${m.memGiB} GiB, node ${m.node}, load average ${m.load}`);
const sections = [];
const command = `npm run bench${args.size ? ' -- ' + [...args].join(' ') : ''}`;
sections.push(
  `Command: \`${command}\` (${new Date().toISOString().slice(0, 10)}, commit ${gitHead()}). Machine: ${m.cores} cores (${m.cpu}), ${m.memGiB} GiB RAM, ` +
    `Node ${m.node}, load average at start ${m.load}.`,
);

if (doEngine) {
  const r = await engine();
  const text = engineReport(r);
  console.log('\n## Engine: Workers engine (compileSchema) vs ajv, same Node process\n\n' + text);
  sections.push('### Engine: Workers engine (compileSchema) vs ajv, same Node process\n\n' + text);
}
if (doEdge) {
  const worker = buildWorker({ useDist: args.has('--use-dist'), log });
  try {
    const e = await runEdgeBench(
      quick ? { script: worker.script, amount: 3000, warmup: 300, rounds: 2, warmReps: 5, log } : { script: worker.script, log },
    );
    const text = edgeReport(e);
    console.log('\n## Edge: the built Worker under Miniflare (127.0.0.1)\n\n' + text);
    sections.push('### Edge: the built Worker under Miniflare (127.0.0.1)\n\n' + text);
  } finally {
    worker.cleanup();
  }
}
const total = (performance.now() - started) / 1000;
sections.push(`Whole run: ${f1(total)} s.`);
log(`\nbench finished in ${f1(total)} s`);

if (args.has('--write')) {
  const path = join(ROOT, 'docs', 'performance.md');
  writeFileSync(path, replaceSection(readFileSync(path, 'utf8'), 'bench', sections.join('\n\n')));
  log(`wrote the results into docs/performance.md`);
}

function gitHead() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}
