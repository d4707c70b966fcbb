/**
 * workerd's CPU from Linux /proc (elsewhere NaN): the total of this process's workerd children, and
 * per thread, to tell whether a run was bound by one thread. Miniflare's workerd runs the Worker,
 * its Durable Objects and the simulated D1, KV and Cache API in the same process; a run whose
 * busiest thread was busy all the time was bound by that thread's CPU, not by waiting.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** [pid, /proc/<pid>] of this process's workerd children. */
function workerdProcesses() {
  const found = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    const stat = readStat(`/proc/${pid}/stat`);
    if (stat && stat.comm.includes('workerd') && Number(stat.fields[1]) === process.pid) found.push(`/proc/${pid}`);
  }
  return found;
}

/** A /proc stat file's command name and the fields after it (fields[1] = ppid, [11] utime, [12] stime), or null. */
function readStat(path) {
  let stat;
  try {
    stat = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  return { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), fields: stat.slice(stat.lastIndexOf(')') + 2).split(' ') };
}

const ticksOf = (stat) => Number(stat.fields[11]) + Number(stat.fields[12]);

/** The pids of this process's workerd children (a Miniflare instance runs one): tell instances apart. */
export function workerdPids() {
  try {
    return workerdProcesses().map((dir) => dir.slice('/proc/'.length));
  } catch {
    return [];
  }
}

/** CPU seconds (user+system) used so far by one workerd process; NaN when it cannot be read. */
export function processCpuSeconds(pid) {
  const stat = readStat(`/proc/${pid}/stat`);
  return stat ? ticksOf(stat) / TICKS_PER_SECOND : NaN;
}

/** CPU seconds (user+system) used so far by this process's workerd children. */
export function workerdCpuSeconds() {
  try {
    let ticks = 0;
    for (const dir of workerdProcesses()) {
      const stat = readStat(`${dir}/stat`);
      if (stat) ticks += ticksOf(stat);
    }
    return ticks / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** CPU ticks so far per thread of this process's workerd children (`<pid>/<tid>` -> ticks); empty off Linux. */
export function workerdThreadTicks() {
  const ticks = new Map();
  try {
    for (const dir of workerdProcesses()) {
      for (const tid of readdirSync(`${dir}/task`)) {
        const stat = readStat(`${dir}/task/${tid}/stat`);
        if (stat) ticks.set(`${dir}/${tid}`, ticksOf(stat));
      }
    }
  } catch {
    // not Linux: no threads to compare
  }
  return ticks;
}

/** The busiest workerd thread's busy share (0..1) of `seconds` between two workerdThreadTicks() readings; NaN without them. */
export function busiestThread(before, after, seconds) {
  if (after.size === 0) return NaN;
  const used = [...after].map(([thread, ticks]) => (ticks - (before.get(thread) ?? 0)) / TICKS_PER_SECOND);
  return Math.max(...used) / seconds;
}
