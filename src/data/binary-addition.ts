import { checkInteger, checkKeys } from '../checks.js';
import { ConfigError } from '../errors.js';
import { RandomState } from '../random.js';
import { checkGenerated, type Sequences } from './sequences.js';

/**
 * Options of `binaryAddition`: `bits` steps per sum (operands have bits − 1 bits, so the sum fits).
 * @category Data and time series
 */
export interface BinaryAdditionOptions {
  /** Number of sums, an integer in [1, 2^24]. */
  samples: number;
  /** Steps per sequence, an integer in [2, 31] (default 8). */
  bits?: number;
  /** The random source for the operands. */
  rng: RandomState;
}

/**
 * The reference notes' second task: two numbers fed bit by bit, least significant first (inputs
 * [steps][samples][2]), the sum's bit at every step as target ([steps][samples][1]). Operands are
 * uniform on [0, 2^(bits−1)), drawn a then b per sample; with bits = 7 these are the notes' 6-bit numbers.
 * @example
 * ```ts
 * import { binaryAddition, RandomState } from 'elman-rnn';
 *
 * const data = binaryAddition({ samples: 100, bits: 8, rng: new RandomState(2) });
 * console.log(data.steps, data.inputSize, data.targetsPerStep);   // 8 2 true: two bits in, a sum bit out, per step
 * ```
 * @category Data and time series
 */
export function binaryAddition(options: BinaryAdditionOptions): Sequences {
  checkKeys('options', options, ['samples', 'bits', 'rng']);
  const { samples, bits = 8, rng } = options;
  checkInteger('samples', samples, 1, 2 ** 24);
  checkInteger('bits', bits, 2, 31);
  checkGenerated(samples, [bits, 2]);
  if (!(rng instanceof RandomState)) throw new ConfigError('rng', rng, 'a RandomState');
  const x = new Float32Array(bits * samples * 2);
  const targets = new Float32Array(bits * samples);
  const top = 2 ** (bits - 1);
  for (let n = 0; n < samples; n++) {
    const a = Math.floor(rng.randomSample() * top);
    const b = Math.floor(rng.randomSample() * top);
    const sum = a + b;
    for (let k = 0; k < bits; k++) {
      x[(k * samples + n) * 2] = (a >>> k) & 1;
      x[(k * samples + n) * 2 + 1] = (b >>> k) & 1;
      targets[k * samples + n] = (sum >>> k) & 1;
    }
  }
  return { samples, steps: bits, inputSize: 2, outputSize: 1, x, targets, targetsPerStep: true };
}
