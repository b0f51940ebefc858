// The reference notes' second part as one recipe, shared by `elman plot unrolled --model elman` and the
// playground: 2,000 sums of 6-bit numbers (7 bits, least significant first), 2 inputs → 3 tanh units →
// 1 sigmoid output at every step, cross-entropy, RMSProp with Nesterov momentum, batches of 100.
import type { Sequences } from '../data/sequences.js';

/** The notes' settings for the binary-addition network. */
export interface AdditionExample {
  /** Sums in the training data. */
  readonly samples: number;
  /** Bits per sum (steps per sequence). */
  readonly bits: number;
  /** The ElmanRNN's options. */
  readonly model: {
    /** Two addends' bits per step. */
    readonly inputSize: number;
    /** Hidden units. */
    readonly hiddenSize: number;
    /** The sum's bit per step. */
    readonly outputSize: number;
    /** A probability per bit. */
    readonly outputActivation: 'sigmoid';
    /** An output at every step. */
    readonly returnSequences: boolean;
  };
  /** The RMSProp options. */
  readonly optimizer: {
    /** Learning rate. */
    readonly lr: number;
    /** Decay of the mean square. */
    readonly rho: number;
    /** Momentum. */
    readonly momentum: number;
    /** Nesterov momentum. */
    readonly nesterov: boolean;
    /** Added to the root mean square. */
    readonly eps: number;
  };
  /** Samples per update. */
  readonly batchSize: number;
  /** The loss. */
  readonly loss: 'bce';
}

/** The notes' settings for the binary-addition network. */
export const ADDITION_EXAMPLE: AdditionExample = {
  samples: 2000,
  bits: 7,
  model: { inputSize: 2, hiddenSize: 3, outputSize: 1, outputActivation: 'sigmoid', returnSequences: true },
  optimizer: { lr: 0.05, rho: 0.5, momentum: 0.8, nesterov: true, eps: 1e-6 },
  batchSize: 100,
  loss: 'bce',
};

/** Sample n of time-major data as rows per step: x[k] (inputSize values) and targets[k] (outputSize values). */
export function sampleRows(
  data: Sequences,
  n = 0,
): {
  /** The inputs, [steps][inputSize]. */
  x: number[][];
  /** The targets, [steps][outputSize]. */
  targets: number[][];
} {
  const { samples: N, steps: T, inputSize: I, outputSize: O } = data;
  const x = Array.from({ length: T }, (_, k) => Array.from(data.x.subarray((k * N + n) * I, (k * N + n + 1) * I)));
  const targets = Array.from({ length: T }, (_, k) => Array.from(data.targets.subarray((k * N + n) * O, (k * N + n + 1) * O)));
  return { x, targets };
}

/** The number a column of bits spells, least significant first; values are rounded at 0.5. */
export const bitsValue = (bits: readonly number[]): number => bits.reduce((v, b, k) => v + (b >= 0.5 ? 2 ** k : 0), 0);
