import { checkKeys } from '../checks.js';
import type { Sequences } from '../data/sequences.js';
import { ConfigError } from '../errors.js';
import type { Trainable } from '../models/model.js';

/** A model whose loss can be evaluated in float64 at arbitrary parameters. */
export interface Checkable<W, L extends string = string> extends Trainable<W, L> {
  /** The loss at `params` (flat, in the model's parameter order), computed in float64. */
  lossAt(params: ArrayLike<number>, data: Sequences, loss?: L): number;
}

/**
 * The result of `gradCheck`: both gradients and their worst relative disagreement.
 * @category Training
 */
export interface GradCheckResult {
  /** The backend's BPTT gradient, flat like the parameters. */
  analytic: Float32Array;
  /** Central-difference gradient of the float64 loss, flat like the parameters. */
  numerical: Float64Array;
  /** The worst |a − n| / max(|a|, |n|, floor) over all parameters. */
  maxRelativeError: number;
  /** True when `maxRelativeError` is within the tolerance. */
  ok: boolean;
}

/**
 * Compare the backend's BPTT gradient with central differences of the float64 loss:
 * (L(p + ε·e_i) − L(p − ε·e_i)) / 2ε, ε = 1e-7 as in the reference notes.
 * Relative error is |a − n| / max(|a|, |n|, floor); `ok` when every one is within `tolerance`.
 * @example
 * ```ts
 * import { init, RandomState, sineWave, RNN, gradCheck } from 'elman-rnn';
 *
 * await init();
 * const data = sineWave({ samples: 4, length: 6, rng: new RandomState(3) });
 * const model = new RNN({ inputSize: 1, outputSize: 1, returnSequences: true, layers: [{ cell: 'gru', units: 3 }], seed: 3, backend: 'js' });
 * console.log(gradCheck(model, data, { loss: 'mse' }).ok);   // BPTT's gradient agrees with central differences
 * ```
 * @category Training
 */
export function gradCheck<W, L extends string>(
  model: Checkable<W, L>,
  data: Sequences,
  options: { loss?: L; eps?: number; tolerance?: number; floor?: number } = {},
): GradCheckResult {
  checkKeys('options', options, ['loss', 'eps', 'tolerance', 'floor']);
  const { loss, eps = 1e-7, tolerance = 1e-4, floor = 1e-6 } = options;
  // Above 1 the step leaves any neighbourhood where a difference quotient means anything (and 2·eps can overflow).
  if (!(typeof eps === 'number' && eps > 0 && eps <= 1)) throw new ConfigError('eps', eps, 'a number in (0, 1]');
  if (!(tolerance > 0)) throw new ConfigError('tolerance', tolerance, 'a number > 0');
  const bound = model.bind(data, { loss });
  try {
    bound.lossAndGrad(0);
  } finally {
    bound.dispose();
  }
  const analytic = model.grads.slice();
  const p = Float64Array.from(model.params);
  const numerical = new Float64Array(p.length);
  let worst = 0;
  for (let i = 0; i < p.length; i++) {
    const keep = p[i]!;
    p[i] = keep + eps;
    const up = model.lossAt(p, data, loss);
    p[i] = keep - eps;
    const down = model.lossAt(p, data, loss);
    p[i] = keep;
    const n = (up - down) / (2 * eps);
    numerical[i] = n;
    const a = analytic[i]!;
    worst = Math.max(worst, Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n), floor));
  }
  return { analytic, numerical, maxRelativeError: worst, ok: worst <= tolerance };
}
