import { checkInteger, checkKeys } from '../checks.js';
import { ConfigError } from '../errors.js';
import { RandomState } from '../random.js';
import { checkGenerated, type Sequences } from './sequences.js';

/**
 * Options of `parity`.
 * @category Data and time series
 */
export interface ParityOptions {
  /** Number of sequences, an integer in [1, 2^24]. */
  samples: number;
  /** Steps per sequence, an integer in [1, 2^16]. */
  length: number;
  /** The random source for the bits. */
  rng: RandomState;
}

/**
 * The running XOR of random bits: target[k] = x[1] ⊕ … ⊕ x[k], per step ([steps][samples][1]).
 * Every target depends on the whole prefix, so gradients must travel all the way back: a classic
 * hard case for vanishing gradients. Bits are numpy's `np.round(rng.rand(length))` per row, like countOnes.
 * @category Data and time series
 */
export function parity(options: ParityOptions): Sequences {
  checkKeys('options', options, ['samples', 'length', 'rng']);
  const { samples, length, rng } = options;
  checkInteger('samples', samples, 1, 2 ** 24);
  checkInteger('length', length, 1, 2 ** 16);
  checkGenerated(samples, [length]);
  if (!(rng instanceof RandomState)) throw new ConfigError('rng', rng, 'a RandomState');
  const x = new Float32Array(length * samples);
  const targets = new Float32Array(length * samples);
  for (let n = 0; n < samples; n++) {
    const row = rng.rand(length);
    let acc = 0;
    for (let k = 0; k < length; k++) {
      const bit = row[k]! > 0.5 ? 1 : 0;
      acc ^= bit;
      x[k * samples + n] = bit;
      targets[k * samples + n] = acc;
    }
  }
  return { samples, steps: length, inputSize: 1, outputSize: 1, x, targets, targetsPerStep: true };
}
