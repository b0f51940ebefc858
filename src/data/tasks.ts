import type { ElmanLossName } from '../losses.js';
import type { OutputActivation } from '../types.js';
import type { RandomState } from '../random.js';
import { binaryAddition } from './binary-addition.js';
import { countOnes } from './count-ones.js';
import { noisySignal } from './noisy-signal.js';
import { parity } from './parity.js';
import { checkSequences, targetSteps, type Sequences } from './sequences.js';
import { ConfigError, ShapeError } from '../errors.js';
import { sineWave } from './sine-wave.js';
import { windows } from './windows.js';

/**
 * The tasks shipped with elman, by name.
 * @category Data and time series
 */
export type TaskName = 'countOnes' | 'binaryAddition' | 'sineWave' | 'parity' | 'forecast';

/**
 * How a task's outputs are scored: rounded to the nearest integer, thresholded at 0.5, or not at all.
 * @category Data and time series
 */
export type Scoring = 'round' | 'threshold' | 'none';

/**
 * A task: its generator (`length` = steps) and the model shape, output, loss and scoring that suit it.
 * @category Data and time series
 */
export interface Task {
  /** Generate `samples` sequences of `length` steps from `rng`. */
  readonly make: (samples: number, length: number, rng: RandomState) => Sequences;
  /** Inputs per step of the data `make` returns. */
  readonly inputSize: number;
  /** Outputs per target of that data. */
  readonly outputSize: number;
  /** True when the task has a target at every step. */
  readonly returnSequences: boolean;
  /** The output activation that suits the targets. */
  readonly outputActivation: OutputActivation;
  /** The loss that suits the targets. */
  readonly loss: ElmanLossName;
  /** How `accuracy` scores outputs for this task. */
  readonly scoring: Scoring;
}

/**
 * The one registry of tasks (what the CLI's --task refers to).
 * @category Data and time series
 */
export const TASKS: Readonly<Record<TaskName, Task>> = {
  countOnes: { make: (samples, length, rng) => countOnes({ samples, length, rng }), inputSize: 1, outputSize: 1, returnSequences: false, outputActivation: 'linear', loss: 'mse', scoring: 'round' },
  binaryAddition: { make: (samples, bits, rng) => binaryAddition({ samples, bits, rng }), inputSize: 2, outputSize: 1, returnSequences: true, outputActivation: 'sigmoid', loss: 'bce', scoring: 'threshold' },
  sineWave: { make: (samples, length, rng) => sineWave({ samples, length, rng }), inputSize: 1, outputSize: 1, returnSequences: true, outputActivation: 'linear', loss: 'mse', scoring: 'none' },
  parity: { make: (samples, length, rng) => parity({ samples, length, rng }), inputSize: 1, outputSize: 1, returnSequences: true, outputActivation: 'sigmoid', loss: 'bce', scoring: 'threshold' },
  // `samples` windows of `length` steps (stride 1) over one noisy multi-frequency series; target: the next value.
  forecast: { make: (samples, length, rng) => windows(noisySignal({ length: samples + length, rng }), { lookback: length }), inputSize: 1, outputSize: 1, returnSequences: false, outputActivation: 'linear', loss: 'mse', scoring: 'none' },
};

/**
 * Accuracy of outputs y (time-major like the targets): per output value, and per sequence (every value
 * right). `y` must have the targets' length and `scoring` be 'round' or 'threshold'; an output that is
 * not finite counts as wrong.
 * @category Data and time series
 */
export function accuracy(
  y: Float32Array,
  data: Sequences,
  scoring: Exclude<Scoring, 'none'>,
): {
  /** Fraction of output values scored right, in [0, 1]. */
  perValue: number;
  /** Fraction of sequences whose every value is right, in [0, 1]. */
  perSequence: number;
} {
  checkSequences(data);
  if (scoring !== 'round' && scoring !== 'threshold') throw new ConfigError('scoring', scoring, "'round' or 'threshold' (a task scored 'none' has no accuracy)");
  const { samples: n, outputSize: O } = data;
  const steps = targetSteps(data);
  if (!(y instanceof Float32Array)) throw new ConfigError('y', y, 'a Float32Array of outputs (as predict returns)');
  if (y.length !== data.targets.length) {
    throw new ShapeError('y', y, `have the targets' length ${data.targets.length} (${steps} steps × ${n} samples × ${O} outputs)`, `length ${y.length}`);
  }
  const wrong = new Uint8Array(n);
  let right = 0;
  for (let k = 0; k < steps; k++) {
    for (let s = 0; s < n; s++) {
      for (let o = 0; o < O; o++) {
        const i = (k * n + s) * O + o;
        const guess = scoring === 'round' ? Math.round(y[i]!) : y[i]! >= 0.5 ? 1 : 0;
        if (guess === data.targets[i]) right++;
        else wrong[s] = 1;
      }
    }
  }
  return { perValue: right / (steps * n * O), perSequence: 1 - wrong.reduce((a, b) => a + b, 0) / n };
}
