// A progress line for long runs: on a terminal only, so pipes and logs get exactly the program's output.

/** What a progress line shows: the epoch reached and its loss; `clear` wipes the line before other output. */
export interface Progress {
  tick(epoch: number, loss: number): void;
  clear(): void;
}

/** A run shorter than this shows no progress line: a progress line that flashes for an instant is noise. */
const QUIET_MS = 1000;
/** Redraws at most this often: a terminal redrawn every epoch would slow a fast loop. */
const EVERY_MS = 200;

/**
 * A progress line on stderr for a run of `epochs` epochs, drawn once the run has taken about a second;
 * undefined when stderr is not a terminal (piped, redirected, a test's capture).
 */
export function progress(epochs: number, stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): Progress | undefined {
  if (!stream.isTTY) return undefined;
  const start = now();
  let last = -Infinity;
  let shown = false;
  return {
    tick(epoch, loss) {
      const t = now();
      if (t - start < QUIET_MS || t - last < EVERY_MS) return;
      last = t;
      shown = true;
      const pct = Math.floor((100 * epoch) / epochs);
      stream.write(`\r\x1b[2Kepoch ${epoch}/${epochs} (${pct}%), loss ${loss.toPrecision(4)}, ${((t - start) / 1000).toFixed(1)} s`);
    },
    clear() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
