import { RULE_SGD } from '../abi/codes.js';
import { fround as f, parseOptions, SlotOptimizer, type OptimizerSpec } from './optimizer.js';

/**
 * Options of plain gradient descent.
 * @category Training
 */
export interface SgdOptions {
  /** Learning rate, > 0 (default 0.01). */
  lr?: number;
}

/** Gradient descent: p ← p − lr·g. */
class Sgd extends SlotOptimizer {
  private readonly lr: number;

  constructor(o: Required<SgdOptions>) {
    super('sgd', o, {}, { rule: RULE_SGD, slots: [], hyper: [o.lr], update: Sgd.prototype.update });
    this.lr = f(o.lr);
  }

  protected update(p: Float32Array, g: Float32Array): void {
    const lr = this.lr;
    for (let i = 0; i < p.length; i++) p[i] = f(p[i]! - f(lr * g[i]!));
  }
}

/** The registry entry of gradient descent. */
export const SGD: OptimizerSpec<SgdOptions> = {
  name: 'sgd',
  summary: 'gradient descent: p ← p − lr·g',
  options: { lr: { doc: 'learning rate', default: 0.01, min: 0, minOpen: true } },
  tutorial: { lr: 5e-5 }, // the tutorial's own 1e-5 is still at (1.06, 0.99) after 2,001 epochs
  create: (o) => new Sgd(parseOptions(SGD, o)),
};

/**
 * Plain gradient descent, as the tutorial first trained the counter.
 * @category Training
 */
export function sgd(o?: SgdOptions): SlotOptimizer {
  return SGD.create(o) as SlotOptimizer;
}
