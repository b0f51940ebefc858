// The reference notes' second part as one recipe, shared by `elman plot unrolled --model elman` and the
// playground: 2,000 sums of 6-bit numbers (7 bits, least significant first), 2 inputs → 3 tanh units →
// 1 sigmoid output at every step, cross-entropy, RMSProp with Nesterov momentum, batches of 100.
import type { Sequences } from '../data/sequences.js';

/** The notes' settings for the binary-addition network. */
export const ADDITION_EXAMPLE = {
  samples: 2000,
  bits: 7,
  model: { inputSize: 2, hiddenSize: 3, outputSize: 1, outputActivation: 'sigmoid', returnSequences: true },
  optimizer: { lr: 0.05, rho: 0.5, momentum: 0.8, nesterov: true, eps: 1e-6 },
  batchSize: 100,
  loss: 'bce',
} as const;

/** Sample n of time-major data as rows per step: x[k] (inputSize values) and targets[k] (outputSize values). */
export function sampleRows(data: Sequences, n = 0): { x: number[][]; targets: number[][] } {
  const { samples: N, steps: T, inputSize: I, outputSize: O } = data;
  const x = Array.from({ length: T }, (_, k) => Array.from(data.x.subarray((k * N + n) * I, (k * N + n + 1) * I)));
  const targets = Array.from({ length: T }, (_, k) => Array.from(data.targets.subarray((k * N + n) * O, (k * N + n + 1) * O)));
  return { x, targets };
}

/** The number a column of bits spells, least significant first; values are rounded at 0.5. */
export const bitsValue = (bits: readonly number[]): number => bits.reduce((v, b, k) => v + (b >= 0.5 ? 2 ** k : 0), 0);
