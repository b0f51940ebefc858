import { ConfigError, NumericError, ShapeError } from '../errors.js';
import { checkValues } from './sequences.js';
import { seriesRows, type Series } from './windows.js';

/**
 * The saved form of a Scaler (plain JSON, stored beside a model).
 * @category Data and time series
 */
export interface ScalerJSON {
  /** Identifies the object as a saved Scaler. */
  format: 'elman.Scaler';
  /** Layout version of this form. */
  version: 1;
  /** Mean of each series. */
  mean: number[];
  /** Standard deviation of each series (> 0). */
  std: number[];
}

/**
 * Standardisation per series, `z = (v − mean) / std`, fitted on the training part only so that no
 * statistic of the held-out part leaks into the model. Mean and variance are summed in float64.
 * @example
 * ```ts
 * import { Scaler } from 'elman-rnn';
 *
 * const scaler = Scaler.fit([10, 12, 14]);           // fit on the training part only
 * console.log(scaler.transform([10, 12, 14]));       // [[-1.22…, 0, 1.22…]]
 * console.log(scaler.inverse(Float32Array.of(0)));   // Float32Array [12]: back in the data's units
 * ```
 * @category Data and time series
 */
export class Scaler {
  /** Mean of each series, as fitted. */
  readonly mean: readonly number[];
  /** Standard deviation of each series (> 0; 1 for a constant series). */
  readonly std: readonly number[];

  constructor(mean: readonly number[], std: readonly number[]) {
    if (!Array.isArray(mean) || mean.length === 0) throw new ConfigError('mean', mean, 'a non-empty array of numbers, one per series');
    if (!Array.isArray(std) || std.length !== mean.length) throw new ShapeError('std', std, `be an array of ${mean.length} numbers like mean`);
    checkValues('mean', mean);
    std.forEach((s, i) => {
      if (typeof s !== 'number' || !(Math.fround(s) > 0) || !Number.isFinite(Math.fround(s))) throw new ConfigError(`std[${i}]`, s, Number.isFinite(s) && s > 0 ? 'a finite number > 0 in float32' : 'a finite number > 0');
    });
    this.mean = mean.slice();
    this.std = std.slice();
  }

  /** Fit mean and standard deviation per series on steps [0, until) (default: all); a constant series gets std 1. */
  static fit(series: Series, until?: number): Scaler {
    const rows = seriesRows(series);
    const end = until ?? rows[0]!.length;
    if (typeof end !== 'number' || !Number.isInteger(end) || end < 1 || end > rows[0]!.length) throw new ConfigError('until', until, `an integer in [1, ${rows[0]!.length}]`);
    const mean: number[] = [];
    const std: number[] = [];
    for (const row of rows) {
      let sum = 0;
      for (let t = 0; t < end; t++) sum += row[t]!;
      const m = sum / end;
      let ss = 0;
      for (let t = 0; t < end; t++) ss += (row[t]! - m) ** 2;
      const sd = Math.sqrt(ss / end);
      mean.push(m);
      std.push(sd > 0 ? sd : 1);
    }
    return new Scaler(mean, std);
  }

  /** The series standardised (same shape as rows `[series][t]`). */
  transform(series: Series): number[][] {
    return this.rows(series).map((row, s) =>
      Array.from(row, (v, t) => {
        const z = (v - this.mean[s]!) / this.std[s]!;
        // Standardised values feed float32 models: one beyond float32's range is refused, not turned to Infinity.
        if (!Number.isFinite(Math.fround(z))) throw new NumericError(`series[${s}][${t}] = ${v} standardises to ${z}, beyond float32's range (std ${this.std[s]})`, `series[${s}][${t}]`, v);
        return z;
      }),
    );
  }

  /** Undo `transform` on values of series `s` (e.g. a model's predictions of that series), in place. */
  inverse<T extends Float32Array | number[]>(values: T, s = 0): T {
    if (!Number.isInteger(s) || s < 0 || s >= this.mean.length) throw new ConfigError('s', s, `a series index in [0, ${this.mean.length - 1}]`);
    // Checked before any value is written: a result beyond float32's range (or a NaN given) leaves `values` as they were.
    for (let i = 0; i < values.length; i++) {
      const v = values[i]! * this.std[s]! + this.mean[s]!;
      if (!Number.isFinite(Math.fround(v))) throw new NumericError(`values[${i}] = ${values[i]} maps back to ${v}, not finite in float32`, `values[${i}]`, values[i]);
    }
    for (let i = 0; i < values.length; i++) values[i] = values[i]! * this.std[s]! + this.mean[s]!;
    return values;
  }

  /** The scaler as plain JSON, for `Scaler.fromJSON`. */
  toJSON(): ScalerJSON {
    return { format: 'elman.Scaler', version: 1, mean: this.mean.slice(), std: this.std.slice() };
  }

  /** Rebuild a Scaler saved by `toJSON` (validated). */
  static fromJSON(json: ScalerJSON): Scaler {
    if (typeof json !== 'object' || json === null || json.format !== 'elman.Scaler') throw new ConfigError('json.format', (json as { format?: unknown } | null)?.format, '"elman.Scaler"');
    if (json.version !== 1) throw new ConfigError('json.version', json.version, '1');
    return new Scaler(json.mean, json.std);
  }

  private rows(series: Series): ArrayLike<number>[] {
    const rows = seriesRows(series);
    if (rows.length !== this.mean.length) throw new ShapeError('series', series, `hold ${this.mean.length} series (as fitted)`, `${rows.length}`);
    return rows;
  }
}
