import { ConfigError } from '../errors.js';
import type { LinearWeights } from '../models/linear.js';

/**
 * The counter unrolled over one sequence, in float64, straight from the recurrence (shares no code
 * with the training kernels): the forward states, the output and loss, then the backward pass.
 * @category Plots
 */
export interface Unrolled {
  /** The inputs x_1..x_T (`x[k-1]` is x_k). */
  readonly x: readonly number[];
  /** The weights the sequence was unrolled at. */
  readonly weights: LinearWeights;
  /** s_0..s_T: s_0 = 0, s_k = x_k·w_x + s_{k-1}·w_rec. */
  readonly states: readonly number[];
  /** y = s_T, the output (its weight is fixed at 1). */
  readonly y: number;
  /** t, the target: the number of ones unless given. */
  readonly target: number;
  /** L = (y - t)², the sse of this one sequence. */
  readonly loss: number;
  /** dL/ds_k for k = 0..T: dL/ds_T = 2(y - t), dL/ds_{k-1} = dL/ds_k · w_rec. */
  readonly grads: readonly number[];
  /** dL/dw_x = Σ_k dL/ds_k · x_k and dL/dw_rec = Σ_k dL/ds_k · s_{k-1}: what BPTT accumulates. */
  readonly gradWx: number;
  /** dL/dw_rec = Σ_k dL/ds_k · s_{k-1}. */
  readonly gradWRec: number;
}

/**
 * Unroll the counter over `sequence` (0s and 1s, at most 64 steps) at `weights`; the target defaults to the count of ones.
 * @category Plots
 */
export function unrollCounter(sequence: ArrayLike<number>, weights: LinearWeights, target?: number): Unrolled {
  if (typeof sequence?.length !== 'number' || sequence.length < 1 || sequence.length > 64) throw new ConfigError('sequence', sequence, 'an array of 1 to 64 inputs');
  const x = Array.from(sequence);
  x.forEach((v, k) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ConfigError(`sequence[${k}]`, v, 'a finite number');
  });
  if (typeof weights !== 'object' || weights === null) throw new ConfigError('weights', weights, 'an object { wx, wRec }');
  const { wx, wRec } = weights;
  for (const [name, v] of [['wx', wx], ['wRec', wRec]] as const) if (typeof v !== 'number' || !Number.isFinite(v)) throw new ConfigError(name, v, 'a finite number');
  const t = target ?? x.reduce((a, b) => a + b, 0);
  if (typeof t !== 'number' || !Number.isFinite(t)) throw new ConfigError('target', t, 'a finite number');
  const T = x.length;
  const states = [0];
  for (let k = 1; k <= T; k++) states.push(x[k - 1]! * wx + states[k - 1]! * wRec);
  const y = states[T]!;
  const grads = new Array<number>(T + 1);
  grads[T] = 2 * (y - t);
  for (let k = T; k >= 1; k--) grads[k - 1] = grads[k]! * wRec;
  let gradWx = 0;
  let gradWRec = 0;
  for (let k = 1; k <= T; k++) {
    gradWx += grads[k]! * x[k - 1]!;
    gradWRec += grads[k]! * states[k - 1]!;
  }
  return { x, weights: { wx, wRec }, states, y, target: t, loss: (y - t) ** 2, grads, gradWx, gradWRec };
}
