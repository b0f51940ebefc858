// Training many epochs per call into the WebAssembly core (assembly/in-core.ts), for the
// optimizers whose step is a closed form with an f32 twin in assembly/optimizers.ts. The
// optimizer's slots move into core memory at the start of each call and back at its end, so
// getState() stays exact, and the results equal the epoch-by-epoch loop's bit for bit.
import type { Bound, CoreJob } from '../backends/backend.js';
import type { Sequences } from '../data/sequences.js';
import { fround as f, SlotOptimizer, type Optimizer, type OptimizerName } from '../optimizers/optimizer.js';

/** Sample-steps of work per call: a few milliseconds, so `train` still yields about every 20 ms. */
const WORK_PER_CALL = 2 ** 22;
const MAX_EPOCHS_PER_CALL = 1 << 16;

/** Each optimizer's rule number in the core, its slots in core order, and its f32 hyper-parameters. */
const RULES: Record<OptimizerName, { rule: number; slots: readonly string[]; hyper(c: Readonly<Record<string, number | boolean>>): number[] }> = {
  sgd: { rule: 0, slots: [], hyper: (c) => [c.lr as number] },
  momentum: { rule: 1, slots: ['velocity'], hyper: (c) => [c.lr as number, c.momentum as number, c.nesterov ? 1 : 0] },
  rmsprop: {
    rule: 2,
    slots: ['meanSquare', 'velocity'],
    hyper: (c) => [c.lr as number, c.rho as number, f(1 - f(c.rho as number)), c.eps as number, c.momentum as number, c.nesterov ? 1 : 0],
  },
  rprop: { rule: 3, slots: ['step', 'previousSign'], hyper: (c) => [c.etaPlus as number, c.etaMinus as number, c.stepMin as number, c.stepMax as number] },
  adam: {
    rule: 4,
    slots: ['m', 'v'],
    hyper: (c) => [c.lr as number, c.beta1 as number, c.beta2 as number, c.eps as number, f(1 - f(c.beta1 as number)), f(1 - f(c.beta2 as number))],
  },
};

/** What one call produced: epochs completed, their losses (plus the failing epoch's, for 'weights'), and weights. */
export interface InCoreResult {
  epochs: number;
  failed?: 'loss' | 'gradient' | 'weights';
  losses: Float64Array;
  weights?: Float32Array;
}

/** Runs chunks of epochs inside the core for one bound data set and one optimizer. */
export class InCore {
  /** The most epochs one call may run. */
  readonly maxEpochs: number;
  private readonly losses: Float64Array;
  private readonly weights: Float32Array;
  private readonly hyper: Float32Array;
  private readonly slots: Float32Array;

  private constructor(
    private readonly bound: Bound & Required<Pick<Bound, 'trainInCore'>>,
    private readonly optimizer: SlotOptimizer,
    private readonly spec: (typeof RULES)[OptimizerName],
    private readonly P: number,
    work: number,
    epochs: number,
  ) {
    this.maxEpochs = Math.max(1, Math.min(MAX_EPOCHS_PER_CALL, Math.floor(WORK_PER_CALL / work), epochs));
    this.losses = new Float64Array(this.maxEpochs);
    this.weights = new Float32Array(this.maxEpochs * P);
    this.hyper = Float32Array.from(spec.hyper(optimizer.config));
    this.slots = new Float32Array(spec.slots.length * P);
  }

  /** An in-core runner for a run of `epochs` when the binding offers one and the optimizer is one of the five built in; else undefined. */
  static for(bound: Bound, optimizer: Optimizer, params: Float32Array, data: Sequences, epochs: number): InCore | undefined {
    if (!bound.trainInCore || !(optimizer instanceof SlotOptimizer) || !Object.hasOwn(RULES, optimizer.name)) return undefined;
    return new InCore(bound as Bound & Required<Pick<Bound, 'trainInCore'>>, optimizer, RULES[optimizer.name], params.length, data.samples * data.steps, epochs);
  }

  /**
   * Run `count` (<= maxEpochs) epochs from `params`, updating `params`, `lastGood` and the
   * optimizer in place, as that many calls of the epoch-by-epoch loop would.
   */
  run(params: Float32Array, lastGood: Float32Array, count: number, track: boolean): InCoreResult {
    const { P, slots, spec } = this;
    const live = this.optimizer.live(P);
    spec.slots.forEach((name, i) => slots.set(live.slots[name]!, i * P));
    const job: CoreJob = {
      rule: spec.rule,
      hyper: this.hyper,
      slots,
      step: live.step,
      params,
      lastGood,
      epochs: count,
      losses: this.losses,
      ...(track && { weights: this.weights }),
    };
    const { epochs, status } = this.bound.trainInCore(job);
    const steps = epochs + (status === 3 ? 1 : 0);
    spec.slots.forEach((name, i) => live.slots[name]!.set(slots.subarray(i * P, (i + 1) * P)));
    live.advance(steps);
    return {
      epochs,
      ...(status !== 0 && { failed: (['loss', 'gradient', 'weights'] as const)[status - 1] }),
      losses: this.losses.subarray(0, steps),
      ...(track && { weights: this.weights.subarray(0, epochs * P) }),
    };
  }
}
