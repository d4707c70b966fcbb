/** A progress bar on stderr, drawn only on a terminal (never in CI logs, never on stdout). */
export interface Progress {
  tick(n?: number): void;
  done(): void;
}

const NONE: Progress = { tick: () => undefined, done: () => undefined };

export function progress(label: string, total: number, enabled: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!enabled || !stream.isTTY || total <= 0) return NONE;
  let n = 0;
  let last = 0;
  const draw = () => {
    const width = 30;
    const filled = Math.round((n / total) * width);
    stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${n}/${total}`);
  };
  draw();
  return {
    tick(k = 1) {
      n = Math.min(total, n + k);
      const now = Date.now();
      if (now - last > 100 || n === total) {
        last = now;
        draw();
      }
    },
    done() {
      draw();
      stream.write('\n');
    },
  };
}
