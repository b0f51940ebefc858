import { RULE_RMSPROP } from '../abi/codes.js';
import { fround as f, parseOptions, SlotOptimizer, type OptimizerSpec } from './optimizer.js';

/**
 * Options of RMSProp.
 * @category Training
 */
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

  constructor(o: Required<RmspropOptions>) {
    const oneMinusRho = f(1 - f(o.rho));
    const hyper = [o.lr, o.rho, oneMinusRho, o.eps, o.momentum, o.nesterov ? 1 : 0];
    super('rmsprop', o, { meanSquare: 0, velocity: 0 }, { rule: RULE_RMSPROP, slots: ['meanSquare', 'velocity'], hyper, update: Rmsprop.prototype.update });
    this.lr = f(o.lr);
    this.rho = f(o.rho);
    this.oneMinusRho = oneMinusRho;
    this.eps = f(o.eps);
    this.mu = f(o.momentum);
    this.nesterov = o.nesterov;
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

/** The registry entry of RMSProp. */
export const RMSPROP: OptimizerSpec<RmspropOptions> = {
  name: 'rmsprop',
  summary: 'RMSProp: steps scaled by a running root mean square of the gradient',
  options: {
    lr: { doc: 'learning rate', default: 0.001, min: 0, minOpen: true },
    rho: { doc: 'decay ρ of the mean square', default: 0.9, min: 0, max: 1, maxOpen: true },
    eps: { doc: 'added under the square root', default: 1e-6, min: 0 },
    momentum: { doc: 'momentum μ (0: none)', default: 0, min: 0, max: 1, maxOpen: true },
    nesterov: { doc: "with momentum, Nesterov's look-ahead step", default: false },
  },
  tutorial: { lr: 1e-3 },
  create: (o) => new Rmsprop(parseOptions(RMSPROP, o)),
};

/**
 * RMSProp (Hinton's), optionally with classic or Nesterov momentum as in the reference notes' part 2.
 * @category Training
 */
export function rmsprop(o?: RmspropOptions): SlotOptimizer {
  return RMSPROP.create(o) as SlotOptimizer;
}
