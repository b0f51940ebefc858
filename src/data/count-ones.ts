import { checkInteger, checkKeys } from '../checks.js';
import { RandomState } from '../random.js';
import { checkGenerated, timeMajor, type Sequences } from './sequences.js';
import { ConfigError } from '../errors.js';

/**
 * Options of the tutorial's task; `rng` is consumed in numpy's order (row by row).
 * @category Data and time series
 */
export interface CountOnesOptions {
  /** Number of sequences, an integer in [1, 2^26]. */
  samples: number;
  /** Steps per sequence, an integer in [1, 2^20]. */
  length: number;
  /** The random source for the bits. */
  rng: RandomState;
}

/**
 * The tutorial's data: `samples` binary sequences of `length` steps (x time-major, f32) and, as
 * targets, how many ones each holds. Row n is numpy's `np.round(rng.rand(length))`.
 * @example
 * ```ts
 * import { countOnes, RandomState } from 'elman-rnn';
 *
 * const data = countOnes({ samples: 20, length: 10, rng: new RandomState(1) });   // the tutorial's data
 * console.log(data.x.length, data.targets[0]);   // 200 (time-major [10][20]), the ones in sample 0: 2
 * ```
 * @category Data and time series
 */
export function countOnes(options: CountOnesOptions): Sequences {
  checkKeys('options', options, ['samples', 'length', 'rng']);
  const { samples, length, rng } = options;
  checkInteger('samples', samples, 1, 2 ** 26);
  checkInteger('length', length, 1, 2 ** 20);
  checkGenerated(samples, [length]);
  if (!(rng instanceof RandomState)) throw new ConfigError('rng', rng, 'a RandomState');
  const x = new Float32Array(samples * length);
  const targets = new Float32Array(samples);
  for (let n = 0; n < samples; n++) {
    const row = rng.rand(length);
    let ones = 0;
    for (let k = 0; k < length; k++) {
      // numpy rounds half to even: only exactly 0.5 is affected, and it goes to 0.
      const bit = row[k]! > 0.5 ? 1 : 0;
      x[k * samples + n] = bit;
      ones += bit;
    }
    targets[n] = ones;
  }
  return { samples, steps: length, inputSize: 1, outputSize: 1, x, targets };
}

/**
 * The counting task over sequences you supply (rows of 0/1): targets are their counts.
 * @category Data and time series
 */
export function countOnesFrom(rows: ArrayLike<ArrayLike<number>>): Sequences {
  const { x, samples, steps } = timeMajor(rows, 'sequences', true);
  const targets = new Float32Array(samples);
  for (let i = 0; i < x.length; i++) targets[i % samples]! += x[i]!;
  return { samples, steps, inputSize: 1, outputSize: 1, x, targets };
}
