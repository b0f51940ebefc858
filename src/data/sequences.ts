import { checkInteger } from '../checks.js';
import { ConfigError, DataError, ShapeError } from '../errors.js';
import { byteSize } from '../sizes.js';

/** Generated data sets are capped at 1 GiB of float32 inputs, checked in 64 bits before anything is drawn. */
export function checkGenerated(samples: number, factors: readonly number[]): void {
  byteSize('samples', samples, [samples, ...factors, 4], { cap: 2 ** 30, capReason: '1 GiB of float32 inputs (samples × steps × inputs)' });
}

/**
 * A batch of sequences in time-major layout: `x[(k * samples + n) * inputSize + i]` is input i of
 * sample n at step k, so one step's batch is contiguous. Targets are `[samples][outputSize]`
 * (one per sequence) or, with `targetsPerStep`, `[steps][samples][outputSize]`.
 * @category Data and time series
 */
export interface Sequences {
  /** Number of sequences in the batch. */
  readonly samples: number;
  /** Time steps per sequence. */
  readonly steps: number;
  /** Inputs per step. */
  readonly inputSize: number;
  /** Outputs per target. */
  readonly outputSize: number;
  /** Inputs, time-major: `[steps][samples][inputSize]`. */
  readonly x: Float32Array;
  /** Targets: `[samples][outputSize]`, or `[steps][samples][outputSize]` with `targetsPerStep`. */
  readonly targets: Float32Array;
  /** True when there is a target at every step rather than one per sequence. */
  readonly targetsPerStep?: boolean;
  /**
   * Sequences of different lengths, padded: sample n's steps 0..lengths[n]−1 count, the rest are
   * masked (an integer 1..steps per sample). Shorthand for a mask; give one or the other.
   */
  readonly lengths?: ArrayLike<number>;
  /**
   * A step mask `[samples][steps]` (sample-major, as Keras's): 1 where the step counts, 0 where it is
   * padding. At a masked step every layer keeps its previous state (h, and an LSTM's c), as Keras's
   * `Masking` does, and with `targetsPerStep` the step's loss is skipped; a mean loss averages over the unmasked steps.
   */
  readonly mask?: ArrayLike<number>;
  /** A weight per sample (finite, ≥ 0): each sample's loss counts that many times, as Keras's `sample_weight` (a mean loss still divides by the samples, not by the weights). */
  readonly sampleWeights?: ArrayLike<number>;
}

/**
 * Inputs without targets, as `predict` takes them: the fields of Sequences that describe x.
 * @category Data and time series
 */
export type Inputs = Pick<Sequences, 'samples' | 'steps' | 'inputSize' | 'x'> & Partial<Pick<Sequences, 'outputSize' | 'targets' | 'targetsPerStep'>>;

/** Validate inputs for a forward pass: sizes, x's length and finite values; targets, if any, are not looked at. */
export function checkInputs(data: Inputs, name = 'data'): Inputs {
  if (typeof data !== 'object' || data === null) throw new ConfigError(name, data, 'an object { samples, steps, inputSize, x }');
  checkInteger(`${name}.samples`, data.samples, 1);
  checkInteger(`${name}.steps`, data.steps, 1);
  checkInteger(`${name}.inputSize`, data.inputSize, 1);
  const xLength = data.steps * data.samples * data.inputSize;
  if (!(data.x instanceof Float32Array)) throw new ConfigError(`${name}.x`, data.x, 'a Float32Array');
  if (data.x.length !== xLength) {
    throw new ShapeError(`${name}.x`, data.x, `have length ${xLength} (steps ${data.steps} × samples ${data.samples} × inputSize ${data.inputSize})`, `length ${data.x.length}`);
  }
  checkFinite32(`${name}.x`, data.x);
  return data;
}


/** Throw DataError at the first non-finite value (or non-0/1 value when `binary`). */
export function checkValues(name: string, values: ArrayLike<number>, binary = false): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    // Judged in float32, where every value lands: 1e39 is Infinity there.
    if (binary ? v !== 0 && v !== 1 : typeof v !== 'number' || !Number.isFinite(Math.fround(v))) throw new DataError(name, v, i, binary ? '0 or 1' : Number.isFinite(v) ? 'a finite number in float32 (|v| < 3.4e38)' : 'a finite number');
  }
}

/**
 * Throw DataError at the first non-finite value of a Float32Array. One pass first: v·0 is ±0 for a
 * finite v and NaN otherwise, so four running sums of them (independent chains) are all zero iff
 * every value is finite. Only then a second pass finds the first such value for the message.
 */
export function checkFinite32(name: string, a: Float32Array): void {
  const n = a.length;
  const m = n - (n % 4);
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i < m; i += 4) {
    s0 += a[i]! * 0;
    s1 += a[i + 1]! * 0;
    s2 += a[i + 2]! * 0;
    s3 += a[i + 3]! * 0;
  }
  for (; i < n; i++) s0 += a[i]! * 0;
  if (s0 + s1 + s2 + s3 === 0) return;
  for (let j = 0; j < n; j++) {
    const v = a[j]!;
    if (v - v !== 0) throw new DataError(name, v, j, 'a finite number');
  }
}

// The one data set whose values the caller has just checked (see `valuesChecked`).
let checked: Sequences | undefined;

/**
 * Run `fn` with `data`'s values taken as checked: checkSequences skips its scan of that object
 * (sizes are still checked). For `train`, which checks a data set and then places it: the place
 * would scan every value a second time. Synchronous, so nothing can change the values in between.
 */
export function valuesChecked<T>(data: Sequences, fn: () => T): T {
  const before = checked;
  checked = data;
  try {
    return fn();
  } finally {
    checked = before;
  }
}

/** Validate a Sequences object's sizes and array lengths, and (unless `values` is false) that every value is finite, before any kernel sees it. */
export function checkSequences(data: Sequences, name = 'data', values = true): Sequences {
  if (typeof data !== 'object' || data === null) throw new ConfigError(name, data, 'a Sequences object');
  checkInteger(`${name}.samples`, data.samples, 1);
  checkInteger(`${name}.steps`, data.steps, 1);
  checkInteger(`${name}.inputSize`, data.inputSize, 1);
  checkInteger(`${name}.outputSize`, data.outputSize, 1);
  const xLength = data.steps * data.samples * data.inputSize;
  if (!(data.x instanceof Float32Array)) throw new ConfigError(`${name}.x`, data.x, 'a Float32Array');
  if (data.x.length !== xLength) {
    throw new ShapeError(`${name}.x`, data.x, `have length ${xLength} (steps ${data.steps} × samples ${data.samples} × inputSize ${data.inputSize})`, `length ${data.x.length}`);
  }
  const tLength = (data.targetsPerStep ? data.steps : 1) * data.samples * data.outputSize;
  if (!(data.targets instanceof Float32Array)) throw new ConfigError(`${name}.targets`, data.targets, 'a Float32Array');
  if (data.targets.length !== tLength) {
    throw new ShapeError(`${name}.targets`, data.targets, `have length ${tLength}`, `length ${data.targets.length}`);
  }
  if (values && data !== checked) {
    checkFinite32(`${name}.x`, data.x);
    checkFinite32(`${name}.targets`, data.targets);
  }
  checkWeighting(data, name);
  return data;
}

/** Validate the optional lengths, mask and sample weights against the sizes (already checked), naming the sample and step. */
export function checkWeighting(data: Pick<Sequences, 'samples' | 'steps' | 'lengths' | 'mask' | 'sampleWeights'>, name = 'data'): void {
  const { samples, steps } = data;
  const list = (key: 'lengths' | 'mask' | 'sampleWeights', n: number, what: string) => {
    const a = data[key];
    if (a === null || typeof a !== 'object' || typeof a.length !== 'number') throw new ConfigError(`${name}.${key}`, a, `an array of ${what}`);
    if (a.length !== n) throw new ShapeError(`${name}.${key}`, a, `have length ${n} (${what})`, `length ${a.length}`);
    return a;
  };
  if (data.lengths !== undefined && data.mask !== undefined) throw new ConfigError(`${name}.lengths`, data.lengths, `absent when ${name}.mask is given (one or the other)`);
  if (data.lengths !== undefined) {
    const a = list('lengths', samples, 'one length per sample');
    for (let n = 0; n < samples; n++) {
      const v = a[n];
      if (!Number.isInteger(v) || v! < 1 || v! > steps) throw new DataError(`${name}.lengths`, v, n, `an integer from 1 to ${steps} (steps)`);
    }
  }
  if (data.mask !== undefined) {
    const a = list('mask', samples * steps, `[samples ${samples}][steps ${steps}]`);
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v !== 0 && v !== 1) throw new DataError(`${name}.mask[${Math.floor(i / steps)}]`, v, i % steps, '0 or 1');
    }
  }
  if (data.sampleWeights !== undefined) {
    const a = list('sampleWeights', samples, 'one weight per sample');
    for (let n = 0; n < samples; n++) {
      const v = a[n];
      if (typeof v !== 'number' || !(Math.fround(v) >= 0) || !Number.isFinite(Math.fround(v))) throw new DataError(`${name}.sampleWeights`, v, n, 'a finite number >= 0 in float32');
    }
  }
}

/**
 * The core's form of a data set's checked lengths or mask and weights: the mask time-major f32
 * [steps][samples] (null without lengths or mask), the weights f32[samples] (null without).
 */
export function weightingOf(data: Sequences): { mask: Float32Array | null; sw: Float32Array | null } {
  const { samples: n, steps: T } = data;
  let mask: Float32Array | null = null;
  if (data.lengths !== undefined) {
    mask = new Float32Array(T * n);
    for (let s = 0; s < n; s++) for (let k = 0; k < data.lengths[s]!; k++) mask[k * n + s] = 1;
  } else if (data.mask !== undefined) {
    mask = new Float32Array(T * n);
    for (let s = 0; s < n; s++) for (let k = 0; k < T; k++) mask[k * n + s] = data.mask[s * T + k]!;
  }
  return { mask, sw: data.sampleWeights === undefined ? null : Float32Array.from(data.sampleWeights) };
}

/**
 * Turn rows of scalar sequences (`rows[n][k]`, all the same length) into time-major Float32Array x.
 * `binary` insists on 0/1 values, as the counting task does.
 * @category Data and time series
 */
export function timeMajor(
  rows: ArrayLike<ArrayLike<number>>,
  name = 'sequences',
  binary = false,
): {
  /** The values, time-major: `x[k * samples + n]` is `rows[n][k]`. */
  x: Float32Array;
  /** Number of rows. */
  samples: number;
  /** Length of every row. */
  steps: number;
} {
  if (rows === null || typeof rows !== 'object' || typeof rows.length !== 'number') throw new ConfigError(name, rows, 'an array of sequences');
  const samples = rows.length;
  if (samples < 1) throw new ShapeError(name, rows, 'hold at least one sequence', 'none');
  checkInteger(`${name}.length`, samples, 1);
  const steps = rows[0]?.length ?? 0;
  if (!Number.isInteger(steps) || steps < 1) throw new ShapeError(`${name}[0]`, rows[0], 'be a non-empty sequence');
  byteSize(name, rows, [samples, steps, 4], { kind: 'shape' });
  const x = new Float32Array(samples * steps);
  for (let n = 0; n < samples; n++) {
    const row = rows[n]!;
    if (row?.length !== steps) throw new ShapeError(`${name}[${n}]`, row, `have length ${steps} like ${name}[0]`, `length ${row?.length}`);
    checkValues(`${name}[${n}]`, row, binary);
    for (let k = 0; k < steps; k++) x[k * samples + n] = row[k]!;
  }
  return { x, samples, steps };
}
