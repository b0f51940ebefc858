import { ConfigError } from '../errors.js';
import { fround as f, hyper, options, SlotOptimizer } from './optimizer.js';

/** Options of RMSProp. */
export interface RmspropOptions {
  /** Learning rate, > 0 (default 0.001). */
  lr?: number;
  /** Decay ρ of the mean square, in [0, 1) (default 0.9). */
  rho?: number;
  /** Added under the square root, >= 0 (default 1e-6). */
  eps?: number;
  /** Momentum μ in [0, 1) (default 0: none). */
  momentum?: number;
  /** With momentum, take Nesterov's look-ahead step (default false). */
  nesterov?: boolean;
}

/**
 * ms ← ρ·ms + (1−ρ)·g²;  d ← lr·g / √(ms + ε);  v ← μ·v + d;
 * p ← p − v (classic) or p ← p − (μ·v + d) (Nesterov). With μ = 0 this is plain RMSProp.
 */
class Rmsprop extends SlotOptimizer {
  private readonly lr: number;
  private readonly rho: number;
  private readonly oneMinusRho: number;
  private readonly eps: number;
  private readonly mu: number;
  private readonly nesterov: boolean;

  constructor(o: RmspropOptions) {
    const lr = hyper('lr', o.lr, 0.001, { min: 0, minOpen: true });
    const rho = hyper('rho', o.rho, 0.9, { min: 0, max: 1, maxOpen: true });
    const eps = hyper('eps', o.eps, 1e-6, { min: 0 });
    const momentum = hyper('momentum', o.momentum, 0, { min: 0, max: 1, maxOpen: true });
    if (o.nesterov !== undefined && typeof o.nesterov !== 'boolean') throw new ConfigError('nesterov', o.nesterov, 'a boolean');
    const nesterov = o.nesterov ?? false;
    super('rmsprop', { lr, rho, eps, momentum, nesterov }, { meanSquare: 0, velocity: 0 });
    this.lr = f(lr);
    this.rho = f(rho);
    this.oneMinusRho = f(1 - this.rho);
    this.eps = f(eps);
    this.mu = f(momentum);
    this.nesterov = nesterov;
  }

  protected update(p: Float32Array, g: Float32Array): void {
    const { lr, rho, oneMinusRho, eps, mu } = this;
    const ms = this.slot('meanSquare');
    const v = this.slot('velocity');
    for (let i = 0; i < p.length; i++) {
      const gi = g[i]!;
      const m = f(f(rho * ms[i]!) + f(oneMinusRho * f(gi * gi)));
      ms[i] = m;
      const d = f(f(lr * gi) / f(Math.sqrt(f(m + eps))));
      const vi = f(f(mu * v[i]!) + d);
      v[i] = vi;
      p[i] = f(p[i]! - (this.nesterov ? f(f(mu * vi) + d) : vi));
    }
  }
}

/** RMSProp (Hinton's), optionally with classic or Nesterov momentum as in the reference notes' part 2. */
export function rmsprop(o?: RmspropOptions): SlotOptimizer {
  return new Rmsprop(options(o, 'rmsprop options', ['lr', 'rho', 'eps', 'momentum', 'nesterov']));
}
