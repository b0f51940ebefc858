import { ConfigError } from '../errors.js';
import { fround as f, hyper, options, SlotOptimizer } from './optimizer.js';

/** Options of Rprop. */
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

  constructor(o: RpropOptions) {
    const initialStep = hyper('initialStep', o.initialStep, 0.001, { min: 0, minOpen: true });
    const etaPlus = hyper('etaPlus', o.etaPlus, 1.2, { min: 1, minOpen: true });
    const etaMinus = hyper('etaMinus', o.etaMinus, 0.5, { min: 0, max: 1, minOpen: true, maxOpen: true });
    const stepMin = hyper('stepMin', o.stepMin, 0, { min: 0 });
    const stepMax = hyper('stepMax', o.stepMax, Infinity, { min: 0, minOpen: true, allowInfinity: true });
    if (stepMax < stepMin) throw new ConfigError('stepMax', stepMax, `>= stepMin (${stepMin})`);
    super('rprop', { initialStep, etaPlus, etaMinus, stepMin, stepMax }, { step: f(initialStep), previousSign: 0 });
    this.etaPlus = f(etaPlus);
    this.etaMinus = f(etaMinus);
    this.stepMin = f(stepMin);
    this.stepMax = f(stepMax);
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

/** Rprop: sign-based steps that adapt per weight, immune to the loss surface's steep walls. */
export function rprop(o?: RpropOptions): SlotOptimizer {
  return new Rprop(options(o, 'rprop options', ['initialStep', 'etaPlus', 'etaMinus', 'stepMin', 'stepMax']));
}
