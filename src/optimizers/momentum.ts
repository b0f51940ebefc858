import { ConfigError } from '../errors.js';
import { fround as f, hyper, options, SlotOptimizer } from './optimizer.js';

/** Options of momentum gradient descent. */
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

  constructor(o: MomentumOptions) {
    const lr = hyper('lr', o.lr, 0.01, { min: 0, minOpen: true });
    const momentum = hyper('momentum', o.momentum, 0.9, { min: 0, max: 1, maxOpen: true });
    if (o.nesterov !== undefined && typeof o.nesterov !== 'boolean') throw new ConfigError('nesterov', o.nesterov, 'a boolean');
    const nesterov = o.nesterov ?? false;
    super('momentum', { lr, momentum, nesterov }, { velocity: 0 });
    this.lr = f(lr);
    this.mu = f(momentum);
    this.nesterov = nesterov;
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

/** Gradient descent with momentum, classic or Nesterov. */
export function momentum(o?: MomentumOptions): SlotOptimizer {
  return new Momentum(options(o, 'momentum options', ['lr', 'momentum', 'nesterov']));
}
