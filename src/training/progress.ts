// train's `verbose` option: a line per logged epoch through console.log (Node, Deno, Bun and
// browsers' consoles all have it), or a live bar redrawn in place on a terminal. It rides on
// onEpoch, so it reports exactly the epochs `onEpoch` hears of (every `logEvery`, and the last).

import { checkInteger } from '../checks.js';
import type { EpochInfo, TrainOptions } from './options.js';

/** What a progress report writes to: console.log for lines; a terminal's stream for the bar. */
interface Sink {
  line(text: string): void;
  /** Redraw the current line in place (a TTY), or undefined where only whole lines can be written. */
  redraw?: ((text: string) => void) | undefined;
}

/** A terminal's stdout where there is one (Node, Bun, Deno's Node compatibility), else undefined. */
function terminal(): ((text: string) => void) | undefined {
  const out = (globalThis as { process?: { stdout?: { isTTY?: boolean; write?: (s: string) => unknown } } }).process?.stdout;
  return out?.isTTY && typeof out.write === 'function' ? (text) => void out.write!(text) : undefined;
}

const BAR = 30;

/** Microseconds, milliseconds or seconds, two or three digits. */
function duration(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(ms < 0.01 ? 1 : 0)}µs`;
  return ms < 1000 ? `${ms < 10 ? ms.toFixed(2) : ms.toFixed(0)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

/** A loss for a report: 6 significant digits, as Keras prints 4 decimals but losses here span decades. */
function loss(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(6) : String(v);
}

/** One report: epoch (1-based, of the total), loss, validation loss, time per epoch since the last report, ETA. */
export function progressLine(info: EpochInfo<unknown>, epochs: number, msPerEpoch: number, etaMs: number): string {
  const e = info.epoch + 1;
  const val = info.valLoss === undefined ? '' : ` - val_loss: ${loss(info.valLoss)}`;
  return `Epoch ${e}/${epochs} - loss: ${loss(info.loss)}${val} - ${duration(msPerEpoch)}/epoch - ETA ${duration(etaMs)}`;
}

/**
 * The options `train` runs with when `verbose` is 1 or 2: onEpoch reports, then calls the user's;
 * `end` finishes a bar's line. Verbose 0 (the default) returns the options as they are.
 */
export function withProgress<W, L extends string>(o: TrainOptions<W, L>, sink: Sink = { line: (t) => console.log(t), redraw: terminal() }): { options: TrainOptions<W, L>; end(): void } {
  const level = o === null || typeof o !== 'object' || o.verbose === undefined ? 0 : checkInteger('verbose', o.verbose, 0, 2);
  if (level === 0) return { options: o, end() {} };
  const epochs = typeof o.epochs === 'number' ? o.epochs : NaN;
  const user = o.onEpoch;
  const redraw = level === 2 ? sink.redraw : undefined;
  let last = performance.now();
  let lastEpoch = -1;
  let first: { at: number; epoch: number } | undefined; // the first report: the ETA averages from there, past the setup the first epoch pays
  let drawn = false;
  const onEpoch = (info: EpochInfo<W>) => {
    const now = performance.now();
    const per = (now - last) / (info.epoch - lastEpoch);
    [last, lastEpoch] = [now, info.epoch];
    const mean = first && info.epoch > first.epoch ? (now - first.at) / (info.epoch - first.epoch) : per;
    first ??= { at: now, epoch: info.epoch };
    const text = progressLine(info as EpochInfo<unknown>, epochs, per, mean * (epochs - info.epoch - 1));
    if (redraw) {
      const done = Math.round((BAR * (info.epoch + 1)) / epochs);
      redraw(`\r[${'='.repeat(done)}${' '.repeat(BAR - done)}] ${text}\x1b[K`);
      drawn = true;
    } else sink.line(text);
    return typeof user === 'function' ? user(info) : undefined;
  };
  return {
    options: { ...o, onEpoch },
    end() {
      if (drawn) redraw!('\n');
    },
  };
}
