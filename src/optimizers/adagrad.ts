import { RULE_ADAGRAD } from '../abi/codes.js';
import { fround as f, parseOptions, SlotOptimizer, type OptimizerSpec } from './optimizer.js';

/**
 * Options of Adagrad.
 * @category Training
 */
export interface AdagradOptions {
  /** Learning rate, > 0 (default 0.001, as Keras; min-char-rnn uses 0.1). */
  lr?: number;
  /** Starting value of every accumulator, >= 0 (default 0.1, as Keras and TF.js). */
  initialAccumulator?: number;
  /** Added under the square root, >= 0 (default 1e-7, as Keras and TF.js). */
  eps?: number;
}

/**
 * acc ← acc + g²;  p ← p − lr·g / √(acc + ε)   (Duchi et al.; Keras 3's and TF.js's form).
 * Each parameter's step shrinks as its squared gradients add up.
 */
class Adagrad extends SlotOptimizer {
  private readonly lr: number;
  private readonly eps: number;

  constructor(o: Required<AdagradOptions>) {
    super('adagrad', o, { accumulator: f(o.initialAccumulator) }, { rule: RULE_ADAGRAD, slots: ['accumulator'], hyper: [o.lr, o.eps], update: Adagrad.prototype.update });
    this.lr = f(o.lr);
    this.eps = f(o.eps);
  }

  protected update(p: Float32Array, g: Float32Array): void {
    const { lr, eps } = this;
    const acc = this.slot('accumulator');
    for (let i = 0; i < p.length; i++) {
      const gi = g[i]!;
      const a = f(acc[i]! + f(gi * gi));
      acc[i] = a;
      p[i] = f(p[i]! - f(f(lr * gi) / f(Math.sqrt(f(a + eps)))));
    }
  }
}

/** The registry entry of Adagrad. */
export const ADAGRAD: OptimizerSpec<AdagradOptions> = {
  name: 'adagrad',
  summary: 'Adagrad: each step divided by the root of its summed squared gradients',
  options: {
    lr: { doc: 'learning rate', default: 0.001, min: 0, minOpen: true },
    initialAccumulator: { doc: 'starting value of the accumulators (Keras initial_accumulator_value)', default: 0.1, min: 0 },
    eps: { doc: 'added under the square root', default: 1e-7, min: 0 },
  },
  tutorial: { lr: 0.1 },
  create: (o) => new Adagrad(parseOptions(ADAGRAD, o)),
};

/**
 * Adagrad, as Keras 3 and TF.js define it (accumulators start at `initialAccumulator`, ε under the root).
 * @example
 * ```ts
 * import { adagrad } from 'elman-rnn';
 *
 * const optimizer = adagrad({ lr: 0.1 });   // min-char-rnn's rate; pass as train(model, data, { optimizer, clipValue: 5 })
 * ```
 * @category Training
 */
export function adagrad(o?: AdagradOptions): SlotOptimizer {
  return ADAGRAD.create(o) as SlotOptimizer;
}
