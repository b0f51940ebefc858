import { fround as f, hyper, options, SlotOptimizer } from './optimizer.js';

/** Options of plain gradient descent. */
export interface SgdOptions {
  /** Learning rate, > 0 (default 0.01). */
  lr?: number;
}

/** Gradient descent: p ← p − lr·g. */
class Sgd extends SlotOptimizer {
  private readonly lr: number;

  constructor(o: SgdOptions) {
    const lr = hyper('lr', o.lr, 0.01, { min: 0, minOpen: true });
    super('sgd', { lr }, {});
    this.lr = f(lr);
  }

  protected update(p: Float32Array, g: Float32Array): void {
    const lr = this.lr;
    for (let i = 0; i < p.length; i++) p[i] = f(p[i]! - f(lr * g[i]!));
  }
}

/** Plain gradient descent, as the tutorial first trained the counter. */
export function sgd(o?: SgdOptions): SlotOptimizer {
  return new Sgd(options(o, 'sgd options', ['lr']));
}
