import { checkInteger, checkKeys } from '../checks.js';
import { ConfigError } from '../errors.js';
import { RandomState } from '../random.js';
import { checkGenerated, type Sequences } from './sequences.js';

/**
 * Options of `sineWave`: `noise` is the half-width of the uniform noise added to every value (default 0.1).
 * @category Data and time series
 */
export interface SineWaveOptions {
  /** Number of sequences, an integer in [1, 2^24]. */
  samples: number;
  /** Steps per sequence, an integer in [1, 2^16]. */
  length: number;
  /** The random source for frequencies, phases and noise. */
  rng: RandomState;
  /** Half-width of the uniform noise added to every value, in [0, 1e38] (default 0.1). */
  noise?: number;
}

/**
 * Predict the next value of a noisy sine: v[k] = sin(ω·k + φ) + U(−noise, noise), ω uniform in
 * [0.1, 0.5] rad per step and φ in [0, 2π) per sample; input v[k], target v[k+1] at every step.
 * Draw order per sample: ω, φ, then the length + 1 noise values.
 * @category Data and time series
 */
export function sineWave(options: SineWaveOptions): Sequences {
  checkKeys('options', options, ['samples', 'length', 'rng', 'noise']);
  const { samples, length, rng, noise = 0.1 } = options;
  checkInteger('samples', samples, 1, 2 ** 24);
  checkInteger('length', length, 1, 2 ** 16);
  checkGenerated(samples, [length]);
  if (!(rng instanceof RandomState)) throw new ConfigError('rng', rng, 'a RandomState');
  // sin + noise must stay finite in float32, where the data is stored.
  if (typeof noise !== 'number' || !(noise >= 0) || !(noise <= 1e38)) throw new ConfigError('noise', noise, 'a number in [0, 1e38] (values stay finite in float32)');
  const x = new Float32Array(length * samples);
  const targets = new Float32Array(length * samples);
  for (let n = 0; n < samples; n++) {
    const omega = rng.uniform(0.1, 0.5);
    const phi = rng.uniform(0, 2 * Math.PI);
    for (let k = 0; k <= length; k++) {
      const next = Math.sin(omega * k + phi) + (noise > 0 ? rng.uniform(-noise, noise) : 0);
      if (k > 0) targets[(k - 1) * samples + n] = next;
      if (k < length) x[k * samples + n] = next;
    }
  }
  return { samples, steps: length, inputSize: 1, outputSize: 1, x, targets, targetsPerStep: true };
}
