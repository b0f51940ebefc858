import { checkInteger, checkKeys } from '../checks.js';
import { ConfigError, ShapeError } from '../errors.js';
import { checkValues, type Sequences } from './sequences.js';

/**
 * One series (`number[]`, a Float32Array) or several of the same length (`series[s][t]`): the values a
 * forecaster reads. Several series are the input features of one step, in the order given.
 * @category Data and time series
 */
export type Series = ArrayLike<number> | ArrayLike<ArrayLike<number>>;

/**
 * Options of `windows`: how far back a sample reads, how far ahead it predicts, and where samples start.
 * @category Data and time series
 */
export interface WindowOptions {
  /** Steps of input per sample (the sequence length), an integer >= 1. */
  lookback: number;
  /** Values predicted per target series: steps t+1 … t+horizon after the window (default 1). */
  horizon?: number;
  /** Steps between the starts of consecutive samples (default 1). */
  stride?: number;
  /**
   * Which series are predicted, by index (default: all of them), many-to-one; or `'sequence'`:
   * many-to-many, a target at every step of the window (the next `horizon` values of every series).
   */
  targets?: readonly number[] | 'sequence';
}

// A Float32Array of more than 2^28 values (1 GiB) is refused before it is allocated: it could not be
// copied into the 4 GiB WebAssembly memory beside its model's buffers.
const MAX_FLOATS = 2 ** 28;

/** The series as rows `rows[s][t]`, checked: same length everywhere, finite values. */
export function seriesRows(series: Series, name = 'series'): ArrayLike<number>[] {
  if (series === null || typeof series !== 'object' || typeof series.length !== 'number') throw new ConfigError(name, series, 'an array of numbers or an array of series');
  if (series.length === 0) throw new ShapeError(name, series, 'hold at least one value', 'none');
  const several = typeof series[0] === 'object' && series[0] !== null;
  const rows = several ? Array.from(series as ArrayLike<ArrayLike<number>>) : [series as ArrayLike<number>];
  const length = rows[0]!.length;
  // An array-like without a numeric length ({} among the rows) would make every later loop unbounded.
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 1) throw new ShapeError(several ? `${name}[0]` : name, rows[0], 'be a non-empty array of numbers');
  rows.forEach((row, s) => {
    const at = several ? `${name}[${s}]` : name;
    if (row === null || typeof row !== 'object' || row.length !== length) throw new ShapeError(at, row, `have length ${length} like ${several ? `${name}[0]` : 'the others'}`, `length ${row?.length}`);
    checkValues(at, row);
  });
  return rows;
}

/**
 * The number of samples `windows` makes from `length` steps (0 when the series is too short).
 * @category Data and time series
 */
export function windowCount(length: number, lookback: number, horizon = 1, stride = 1): number {
  checkInteger('length', length, 0);
  checkInteger('lookback', lookback, 1);
  checkInteger('horizon', horizon, 1);
  checkInteger('stride', stride, 1);
  return length < lookback + horizon ? 0 : Math.floor((length - lookback - horizon) / stride) + 1;
}

/**
 * Cut series into many-to-one samples for forecasting: sample n reads steps [n·stride, n·stride + lookback)
 * of every series (time-major x, inputSize = number of series) and its targets are the next `horizon`
 * values of each target series, `targets[n][h·targets + j]` = series targets[j] at step n·stride + lookback + h.
 * With `targets: 'sequence'` the samples are many-to-many (`targetsPerStep`, for `returnSequences`
 * models): at step k of sample n the targets are the next `horizon` values of every series,
 * `targets[k][n][h·series + j]` = series j at step n·stride + k + 1 + h.
 * @example
 * ```ts
 * import { windows } from 'elman-rnn';
 *
 * const data = windows([1, 2, 3, 4, 5, 6], { lookback: 3, horizon: 1 });
 * console.log(data.samples, Array.from(data.targets));   // 3 [4, 5, 6]: each window's next value
 * ```
 * @category Data and time series
 */
export function windows(series: Series, options: WindowOptions): Sequences {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', options, 'an object { lookback, horizon, stride, targets }');
  checkKeys('options', options, ['lookback', 'horizon', 'stride', 'targets']);
  const rows = seriesRows(series);
  const S = rows.length;
  const length = rows[0]!.length;
  const lookback = checkInteger('lookback', options.lookback, 1);
  const horizon = checkInteger('horizon', options.horizon ?? 1, 1);
  const stride = checkInteger('stride', options.stride ?? 1, 1);
  const perStep = options.targets === 'sequence';
  const targets = perStep || options.targets === undefined ? rows.map((_, s) => s) : options.targets;
  if (!Array.isArray(targets) || targets.length === 0) throw new ConfigError('targets', targets, `'sequence' or a non-empty array of series indices in [0, ${S - 1}]`);
  targets.forEach((t, j) => checkInteger(`targets[${j}]`, t, 0, S - 1));
  const samples = windowCount(length, lookback, horizon, stride);
  if (samples === 0) throw new ShapeError('series', series, `have at least lookback + horizon = ${lookback + horizon} steps`, `${length}`);
  const O = horizon * targets.length;
  // Sizes in doubles (exact to 2^53) before anything is allocated.
  if (samples * lookback * S > MAX_FLOATS) throw new ConfigError('samples × lookback × series', samples * lookback * S, `at most 2^28 values (1 GiB of float32); raise stride or shorten lookback`);
  const tSteps = perStep ? lookback : 1;
  if (samples * tSteps * O > MAX_FLOATS) throw new ConfigError('samples × horizon × targets', samples * tSteps * O, 'at most 2^28 values (1 GiB of float32)');
  const x = new Float32Array(samples * lookback * S);
  const y = new Float32Array(samples * tSteps * O);
  for (let n = 0; n < samples; n++) {
    const start = n * stride;
    for (let k = 0; k < lookback; k++) for (let s = 0; s < S; s++) x[(k * samples + n) * S + s] = rows[s]![start + k]!;
    // Many-to-one: the horizon after the window; many-to-many: after each of its steps.
    for (let k = perStep ? 0 : lookback - 1; k < lookback; k++) {
      const at = (perStep ? k * samples + n : n) * O;
      for (let h = 0; h < horizon; h++) for (let j = 0; j < targets.length; j++) y[at + h * targets.length + j] = rows[targets[j]!]![start + k + 1 + h]!;
    }
  }
  return { samples, steps: lookback, inputSize: S, outputSize: O, x, targets: y, ...(perStep && { targetsPerStep: true }) };
}

/**
 * Split series by time with no leakage: `train` holds steps [0, at) and `test` steps [at − lookback, end),
 * so the first test sample's first target is step `at` and no test target was ever seen in training.
 * `at` is a step index, or a fraction in (0, 1) of the length.
 * @example
 * ```ts
 * import { splitByTime } from 'elman-rnn';
 *
 * const { train, test, at } = splitByTime([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.7, 2);
 * console.log(train, test, at);   // [[1…7]] [[6…10]] 7: the test part's first target is step 7
 * ```
 * @category Data and time series
 */
export function splitByTime(
  series: Series,
  at: number,
  lookback: number,
): {
  /** Steps [0, at) of every series, as rows `[series][t]`. */
  train: number[][];
  /** Steps [at − lookback, end) of every series, as rows `[series][t]`. */
  test: number[][];
  /** The split step (a fraction turned into a step index). */
  at: number;
} {
  const rows = seriesRows(series);
  const length = rows[0]!.length;
  checkInteger('lookback', lookback, 1);
  const cut = typeof at === 'number' && at > 0 && at < 1 ? Math.round(at * length) : at;
  checkInteger('at', cut, lookback + 1, length - 1);
  return {
    train: rows.map((r) => Array.from(r).slice(0, cut)),
    test: rows.map((r) => Array.from(r).slice(cut - lookback)),
    at: cut,
  };
}
