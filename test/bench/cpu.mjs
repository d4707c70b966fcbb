/** CPU seconds (user+system) used so far by this process's workerd children (Linux /proc; else NaN). */
import { readdirSync, readFileSync } from 'node:fs';

export function workerdCpuSeconds() {
  try {
    let ticks = 0;
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      let stat;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue;
      }
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields[1] = ppid, fields[11] = utime, fields[12] = stime (clock ticks, 100 per second)
      if (comm.includes('workerd') && Number(fields[1]) === process.pid) ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks / 100;
  } catch {
    return NaN;
  }
}
