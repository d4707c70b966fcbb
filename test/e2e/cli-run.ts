/** Runs the built lsr CLI (packages/client/bin/lsr.mjs → dist/cli.js) as a child process. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './registry-worker.mjs';

const LSR = join(ROOT, 'packages', 'client', 'bin', 'lsr.mjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  json: () => any;
}

export function lsr(args: string[], env: Record<string, string> = {}, cwd = ROOT): Promise<CliResult> & { kill: (signal: NodeJS.Signals) => void } {
  // Only PATH and HOME from this process: no LSR_* leaks in from the developer's shell.
  const child = spawn(process.execPath, [LSR, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) });
    });
  });
  return Object.assign(done, { kill: (signal: NodeJS.Signals) => child.kill(signal) });
}
