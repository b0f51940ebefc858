import { RULE_RPROP } from '../abi/codes.js';
import { ConfigError } from '../errors.js';
import { fround as f, parseOptions, SlotOptimizer, type OptimizerSpec } from './optimizer.js';

/**
 * Options of Rprop.
 * @category Training
 */
export interface RpropOptions {
  /** Every weight's first step size, > 0 (default 0.001). */
  initialStep?: number;
  /** Growth when a gradient's sign repeats, > 1 (default 1.2). */
  etaPlus?: number;
  /** Shrink factor when it does not, in (0, 1) (default 0.5). */
  etaMinus?: number;
  /** Smallest step, >= 0 (default 0: unbounded, as in the reference notes). */
  stepMin?: number;
  /** Largest step (default Infinity: unbounded). */
  stepMax?: number;
}

/**
 * Resilient propagation, the reference notes' simple form: per weight,
 * step ← step·η+ if sign(g) = previous sign, else step·η−;  p ← p − sign(g)·step.
 * The previous sign starts at 0, so the first step is already shrunk.
 */
class Rprop extends SlotOptimizer {
  private readonly etaPlus: number;
  private readonly etaMinus: number;
  private readonly stepMin: number;
  private readonly stepMax: number;

  constructor(o: Required<RpropOptions>) {
    if (o.stepMax < o.stepMin) throw new ConfigError('stepMax', o.stepMax, `>= stepMin (${o.stepMin})`);
    const hyper = [o.etaPlus, o.etaMinus, o.stepMin, o.stepMax];
    super('rprop', o, { step: f(o.initialStep), previousSign: 0 }, { rule: RULE_RPROP, slots: ['step', 'previousSign'], hyper, update: Rprop.prototype.update });
    this.etaPlus = f(o.etaPlus);
    this.etaMinus = f(o.etaMinus);
    this.stepMin = f(o.stepMin);
    this.stepMax = f(o.stepMax);
  }

  protected update(p: Float32Array, g: Float32Array): void {
    const step = this.slot('step');
    const prev = this.slot('previousSign');
    for (let i = 0; i < p.length; i++) {
      const s = Math.sign(g[i]!);
      const grown = f(step[i]! * (s === prev[i] ? this.etaPlus : this.etaMinus));
      const d = Math.min(Math.max(grown, this.stepMin), this.stepMax);
      step[i] = d;
      prev[i] = s;
      p[i] = f(p[i]! - s * d);
    }
  }
}

/** The registry entry of Rprop. */
export const RPROP: OptimizerSpec<RpropOptions> = {
  name: 'rprop',
  summary: 'Rprop: sign-based steps that grow while the sign repeats and shrink when it flips',
  options: {
    initialStep: { doc: "every weight's first step size", default: 0.001, min: 0, minOpen: true },
    etaPlus: { doc: "growth when a gradient's sign repeats", default: 1.2, min: 1, minOpen: true },
    etaMinus: { doc: 'shrink factor when it flips', default: 0.5, min: 0, max: 1, minOpen: true, maxOpen: true },
    stepMin: { doc: 'smallest step', default: 0, min: 0 },
    stepMax: { doc: 'largest step', default: Infinity, min: 0, minOpen: true, allowInfinity: true },
  },
  tutorial: { initialStep: 1e-3 },
  create: (o) => new Rprop(parseOptions(RPROP, o)),
};

/**
 * Rprop: sign-based steps that adapt per weight, immune to the loss surface's steep walls.
 * @category Training
 */
export function rprop(o?: RpropOptions): SlotOptimizer {
  return RPROP.create(o) as SlotOptimizer;
}
