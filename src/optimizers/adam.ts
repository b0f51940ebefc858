import { RULE_ADAM } from '../abi/codes.js';
import { fround as f, parseOptions, SlotOptimizer, type OptimizerSpec } from './optimizer.js';

/**
 * Options of Adam.
 * @category Training
 */
export interface AdamOptions {
  /** Learning rate, > 0 (default 0.001). */
  lr?: number;
  /** Decay of the first moment, in [0, 1) (default 0.9). */
  beta1?: number;
  /** Decay of the second moment, in [0, 1) (default 0.999). */
  beta2?: number;
  /** Added to √v, >= 0 (default 1e-7, as Keras and TF.js). */
  eps?: number;
}

/**
 * m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  lr_t = lr·√(1−β2^t)/(1−β1^t);  p ← p − lr_t·m/(√v + ε).
 * β^t is computed in float64 from the step count by binary exponentiation (`powi`), which the
 * core's twin repeats exactly (Math.pow is not specified to the last bit), so a restored state continues exactly.
 */
class Adam extends SlotOptimizer {
  private readonly lr: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;

  constructor(o: Required<AdamOptions>) {
    const hyper = [o.lr, o.beta1, o.beta2, o.eps, f(1 - f(o.beta1)), f(1 - f(o.beta2))];
    super('adam', o, { m: 0, v: 0 }, { rule: RULE_ADAM, slots: ['m', 'v'], hyper, update: Adam.prototype.update });
    this.lr = f(o.lr);
    this.beta1 = f(o.beta1);
    this.beta2 = f(o.beta2);
    this.eps = f(o.eps);
  }

  protected update(p: Float32Array, g: Float32Array): void {
    const { beta1, beta2, eps } = this;
    const m = this.slot('m');
    const v = this.slot('v');
    const t = adamStep(this.t);
    const lrT = f((this.lr * Math.sqrt(1 - powi(beta2, t))) / (1 - powi(beta1, t)));
    const c1 = f(1 - beta1);
    const c2 = f(1 - beta2);
    for (let i = 0; i < p.length; i++) {
      const gi = g[i]!;
      const mi = f(f(beta1 * m[i]!) + f(c1 * gi));
      const vi = f(f(beta2 * v[i]!) + f(f(c2 * gi) * gi));
      m[i] = mi;
      v[i] = vi;
      p[i] = f(p[i]! - f(f(lrT * mi) / f(f(Math.sqrt(vi)) + eps)));
    }
  }
}

/**
 * The step count Adam's bias correction uses: the count itself up to 2^31, then 2^31. For any float32
 * β < 1, β^(2^31) ≤ (1 − 2^-24)^(2^31) ≈ e^-128, so 1 − β^t is exactly 1 in float64 from there on,
 * as a float64 count would give; the core's 32-bit counter never wraps (4,294,967,303 is not step 7).
 */
export function adamStep(t: number): number {
  return Math.min(t, 2 ** 31);
}

/** b^t for an integer t >= 0 by binary exponentiation in float64, the same multiplications as assembly/optimizers.ts. */
export function powi(b: number, t: number): number {
  let r = 1;
  let base = b;
  while (t > 0) {
    if (t & 1) r *= base;
    base *= base;
    t >>>= 1;
  }
  return r;
}

/** The registry entry of Adam. */
export const ADAM: OptimizerSpec<AdamOptions> = {
  name: 'adam',
  summary: 'Adam: bias-corrected moments of the gradient and its square',
  options: {
    lr: { doc: 'learning rate', default: 0.001, min: 0, minOpen: true },
    beta1: { doc: 'decay of the first moment', default: 0.9, min: 0, max: 1, maxOpen: true },
    beta2: { doc: 'decay of the second moment', default: 0.999, min: 0, max: 1, maxOpen: true },
    eps: { doc: 'added to √v (Keras and TF.js place it there)', default: 1e-7, min: 0 },
  },
  tutorial: { lr: 1e-2 },
  create: (o) => new Adam(parseOptions(ADAM, o)),
};

/**
 * Adam (Kingma & Ba), with Keras' and TF.js's placement of epsilon.
 * @example
 * ```ts
 * import { adam } from 'elman-rnn';
 *
 * const optimizer = adam({ lr: 1e-3, beta1: 0.9, beta2: 0.999 });  // pass as train(model, data, { optimizer })
 * const saved = optimizer.getState();                              // the moments and step count, to resume later
 * optimizer.setState(saved);
 * ```
 * @category Training
 */
export function adam(o?: AdamOptions): SlotOptimizer {
  return ADAM.create(o) as SlotOptimizer;
}
