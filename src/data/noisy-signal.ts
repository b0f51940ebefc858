import { checkInteger, checkKeys } from '../checks.js';
import { ConfigError } from '../errors.js';
import { RandomState } from '../random.js';
import { checkValues } from './sequences.js';

/**
 * Options of `noisySignal`; amplitudes pair with frequencies (rad per step), noise is a uniform half-width.
 * @category Data and time series
 */
export interface NoisySignalOptions {
  /** Number of values, an integer in [1, 2^28]. */
  length: number;
  /** The random source for the phases and the noise. */
  rng: RandomState;
  /** Angular frequencies in radians per step (default [0.07, 0.19, 0.43]: periods of about 90, 33 and 15 steps). */
  frequencies?: readonly number[];
  /** One amplitude per frequency (default [1, 0.6, 0.3]). */
  amplitudes?: readonly number[];
  /** Half-width of the uniform noise added to every value (default 0.1). */
  noise?: number;
}

/**
 * One noisy multi-frequency series: v[t] = Σ_j a_j·sin(ω_j·t + φ_j) + U(−noise, noise), the phases φ_j
 * uniform in [0, 2π). Draw order: every φ_j, then one noise value per step.
 * @example
 * ```ts
 * import { noisySignal, RandomState } from 'elman-rnn';
 *
 * const signal = noisySignal({ length: 1000, rng: new RandomState(7) });   // Σ a·sin(ωt + φ) + noise
 * console.log(signal.length);   // 1000
 * ```
 * @category Data and time series
 */
export function noisySignal(options: NoisySignalOptions): Float32Array {
  checkKeys('options', options, ['length', 'rng', 'frequencies', 'amplitudes', 'noise']);
  const { length, rng, frequencies = [0.07, 0.19, 0.43], amplitudes = [1, 0.6, 0.3], noise = 0.1 } = options;
  checkInteger('length', length, 1, 2 ** 28);
  if (!(rng instanceof RandomState)) throw new ConfigError('rng', rng, 'a RandomState');
  if (!Array.isArray(frequencies) || frequencies.length === 0) throw new ConfigError('frequencies', frequencies, 'a non-empty array of numbers');
  checkValues('frequencies', frequencies);
  // ω·t must stay finite for every step (sin of ±Infinity is NaN).
  frequencies.forEach((w, j) => {
    if (!Number.isFinite(Math.abs(w) * length)) throw new ConfigError(`frequencies[${j}]`, w, `a frequency with |ω|·length finite (length ${length})`);
  });
  if (!Array.isArray(amplitudes) || amplitudes.length !== frequencies.length) throw new ConfigError('amplitudes', amplitudes, `an array of ${frequencies.length} numbers, one per frequency`);
  checkValues('amplitudes', amplitudes);
  if (typeof noise !== 'number' || !(noise >= 0) || !Number.isFinite(noise)) throw new ConfigError('noise', noise, 'a finite number >= 0');
  // The largest |v[t]| is at most Σ|a_j| + noise: it must stay finite in float32, where the series is stored.
  const peak = amplitudes.reduce((sum, a) => sum + Math.abs(a), noise);
  if (!Number.isFinite(Math.fround(peak))) throw new ConfigError('amplitudes', amplitudes, `amplitudes and noise whose sum ${peak} stays finite in float32 (< 3.4e38)`);
  const phases = frequencies.map(() => rng.uniform(0, 2 * Math.PI));
  const out = new Float32Array(length);
  for (let t = 0; t < length; t++) {
    let v = 0;
    for (let j = 0; j < frequencies.length; j++) v += amplitudes[j]! * Math.sin(frequencies[j]! * t + phases[j]!);
    out[t] = v + (noise > 0 ? rng.uniform(-noise, noise) : 0);
  }
  return out;
}
