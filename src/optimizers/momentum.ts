import { RULE_MOMENTUM } from '../abi/codes.js';
import { fround as f, parseOptions, SlotOptimizer, type OptimizerSpec } from './optimizer.js';

/**
 * Options of momentum gradient descent.
 * @category Training
 */
export interface MomentumOptions {
  /** Learning rate, > 0 (default 0.01). */
  lr?: number;
  /** Momentum μ in [0, 1) (default 0.9). */
  momentum?: number;
  /** Use Nesterov's look-ahead form (default false). */
  nesterov?: boolean;
}

/**
 * Classic: v ← μ·v − lr·g, p ← p + v.
 * Nesterov (the gradient is taken at the look-ahead point): v ← μ·v − lr·g, p ← p + μ·v − lr·g.
 */
class Momentum extends SlotOptimizer {
  private readonly lr: number;
  private readonly mu: number;
  private readonly nesterov: boolean;

  constructor(o: Required<MomentumOptions>) {
    const hyper = [o.lr, o.momentum, o.nesterov ? 1 : 0];
    super('momentum', o, { velocity: 0 }, { rule: RULE_MOMENTUM, slots: ['velocity'], hyper, update: Momentum.prototype.update });
    this.lr = f(o.lr);
    this.mu = f(o.momentum);
    this.nesterov = o.nesterov;
  }

  protected update(p: Float32Array, g: Float32Array): void {
    const { lr, mu } = this;
    const v = this.slot('velocity');
    for (let i = 0; i < p.length; i++) {
      const step = f(lr * g[i]!);
      const vi = f(f(mu * v[i]!) - step);
      v[i] = vi;
      p[i] = f(p[i]! + (this.nesterov ? f(f(mu * vi) - step) : vi));
    }
  }
}

/** The registry entry of momentum. */
export const MOMENTUM: OptimizerSpec<MomentumOptions> = {
  name: 'momentum',
  summary: 'gradient descent with momentum: v ← μ·v − lr·g, p ← p + v (or Nesterov)',
  options: {
    lr: { doc: 'learning rate', default: 0.01, min: 0, minOpen: true },
    momentum: { doc: 'momentum μ', default: 0.9, min: 0, max: 1, maxOpen: true },
    nesterov: { doc: "Nesterov's look-ahead step", default: false },
  },
  tutorial: { lr: 1e-5 },
  create: (o) => new Momentum(parseOptions(MOMENTUM, o)),
};

/**
 * Gradient descent with momentum, classic or Nesterov.
 * @category Training
 */
export function momentum(o?: MomentumOptions): SlotOptimizer {
  return MOMENTUM.create(o) as SlotOptimizer;
}
