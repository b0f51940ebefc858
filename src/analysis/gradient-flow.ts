import { linearStates } from '../backends/js/linear.js';
import { checkSequences, type Sequences } from '../data/sequences.js';
import { ConfigError, NumericError, ShapeError } from '../errors.js';
import { squaredLoss, type LossName } from '../losses.js';
import type { LinearWeights } from '../models/linear.js';

/**
 * How the error signal travels back through time in the counter: `grad[k]` = Σ_n ∂L/∂S_n[k] for
 * k = 0..T (float64), from the backward pass g[T] = dL/dy, g[k-1] = g[k]·wRec. It explodes for
 * |wRec| > 1, vanishes for |wRec| < 1 and alternates in sign for wRec < 0: the notes' figure.
 * @category Plots
 */
export function gradientFlow(data: Sequences, weights: LinearWeights, loss: LossName = 'sse'): Float64Array {
  checkSequences(data);
  if (data.inputSize !== 1 || data.outputSize !== 1 || data.targetsPerStep) throw new ShapeError('data', data, 'be counter data (inputSize 1, one target per sample)');
  if (typeof weights !== 'object' || weights === null) throw new ConfigError('weights', weights, 'an object { wx, wRec }');
  for (const name of ['wx', 'wRec'] as const) {
    if (typeof weights[name] !== 'number' || !Number.isFinite(weights[name])) throw new ConfigError(name, weights[name], 'a finite number');
  }
  const { c } = squaredLoss(loss, data.samples);
  const n = data.samples;
  const T = data.steps;
  const s = new Float64Array((T + 1) * n);
  linearStates(data.x, n, T, weights.wx, weights.wRec, s);
  // Per sample ∂L/∂S[T] = c·(y - t); every step back multiplies each sample's signal by wRec, so the sum follows.
  const grad = new Float64Array(T + 1);
  for (let i = 0; i < n; i++) grad[T]! += c * (s[T * n + i]! - data.targets[i]!);
  for (let k = T; k >= 1; k--) grad[k - 1] = grad[k]! * weights.wRec;
  const bad = grad.findIndex((g) => !Number.isFinite(g));
  if (bad >= 0) throw new NumericError(`the gradient overflowed float64 (dL/dS[${bad}] is ${grad[bad]}): the weights are too large for this data`, 'weights', weights);
  return grad;
}
