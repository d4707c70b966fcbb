/**
 * node test/bench/descriptor.mjs [--quick]: the FileDescriptorProto codec benchmark of ADR 0004
 * (test/bench/descriptor.ts, bundled with esbuild on the fly, as bench.mjs does for engine.ts):
 * the hand-written codec against @bufbuild/protobuf, per fixture, plus module start-up cost.
 * Prints only; writes no tracked file.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ROOT } from '../e2e/registry-worker.mjs';
import { withBundled } from './bundled.mjs';

const quick = process.argv.includes('--quick');
await withBundled('descriptor', async ({ runDescriptorBench }, dir) => {
  console.log(`descriptor codec bench (node ${process.version}), ops/s, median of ${quick ? 3 : 7} rounds`);
  for (const line of runDescriptorBench(quick ? { sliceMs: 40, rounds: 3 } : { sliceMs: 150, rounds: 7 })) console.log(line);

  // Start-up: in a fresh process, the time to load and evaluate a bundle holding only what the
  // Worker would import (descriptor.proto is booted when its module is evaluated), then the first
  // encode + decode (readers and writers are compiled on first use). `core`: bufbuild without the
  // descriptor.proto module, to isolate its boot. Ours: the codec's modules (which pull in the
  // .proto parser they share with the rest of the registry). Median of 15.
  const entries = {
    core: `import { create, toBinary, fromBinary } from '@bufbuild/protobuf';
export function first() {
  return [create, toBinary, fromBinary].length;
}
`,
    bufbuild: `import { create, toBinary, fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
export function first() {
  const bytes = toBinary(FileDescriptorProtoSchema, create(FileDescriptorProtoSchema, { name: 'a', messageType: [{ name: 'M', field: [{ name: 'x', number: 1 }] }] }));
  return fromBinary(FileDescriptorProtoSchema, bytes).messageType.length;
}
`,
    ours: `import { parseProtobuf } from '${join(ROOT, 'src/domain/protobuf/index.ts')}';
import { encodeFile } from '${join(ROOT, 'src/domain/protobuf/descriptor-encode.ts')}';
import { decodeFile } from '${join(ROOT, 'src/domain/protobuf/descriptor-decode.ts')}';
export function first() {
  return decodeFile(encodeFile(parseProtobuf('syntax = "proto3";\\nmessage M { int32 x = 1; }\\n', []), 'a')).types.length;
}
`,
  };
  const runner = join(dir, 'startup-run.mjs');
  writeFileSync(
    runner,
    `const t0 = performance.now();
const m = await import(process.argv[2]);
const t1 = performance.now();
m.first();
console.log(JSON.stringify({ loadMs: t1 - t0, firstUseMs: performance.now() - t1 }));
`,
  );
  const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const bundles = {};
  for (const [name, code] of Object.entries(entries)) {
    writeFileSync(join(dir, `${name}-entry.mjs`), code);
    bundles[name] = join(dir, `${name}.mjs`);
    await build({
      entryPoints: [join(dir, `${name}-entry.mjs`)],
      bundle: true,
      platform: 'neutral',
      conditions: ['workerd', 'worker', 'browser'],
      mainFields: ['module', 'main'],
      format: 'esm',
      outfile: bundles[name],
      nodePaths: [join(ROOT, 'node_modules')],
      logLevel: 'warning',
    });
  }
  const runs = { core: [], bufbuild: [], ours: [] };
  for (let i = 0; i < 15; i++) {
    for (const name of i % 2 ? ['ours', 'bufbuild', 'core'] : ['core', 'bufbuild', 'ours']) {
      runs[name].push(JSON.parse(execFileSync(process.execPath, [runner, pathToFileURL(bundles[name]).href], { encoding: 'utf8' })));
    }
  }
  for (const [name, r] of Object.entries(runs)) {
    const size = readFileSync(bundles[name]).length;
    console.log(
      `start-up ${name.padEnd(8)} bundle ${size.toLocaleString('en-US').padStart(8)} B: load + evaluate ${med(r.map((x) => x.loadMs)).toFixed(2)} ms, first encode+decode ${med(r.map((x) => x.firstUseMs)).toFixed(2)} ms (fresh process, median of 15)`,
    );
  }
});
