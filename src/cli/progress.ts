import { SingleBar, Presets } from 'cli-progress';

/** Below this many items the work is over before a bar would be worth reading. */
const LONG_WORK = 500;

export interface Progress {
  tick(): void;
  stop(): void;
}

/** A progress bar on stderr when a person is watching and the work is long; otherwise nothing. */
export function progress(label: string, total: number): Progress {
  if (!process.stderr.isTTY || total < LONG_WORK) return { tick() {}, stop() {} };
  const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total}`, stream: process.stderr, clearOnComplete: true, hideCursor: true }, Presets.shades_classic);
  bar.start(total, 0);
  return {
    tick: () => bar.increment(),
    stop: () => bar.stop(),
  };
}
