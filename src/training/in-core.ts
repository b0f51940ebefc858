// Training many epochs per call into the WebAssembly core (assembly/in-core.ts), for a binding
// that offers it (`trainEpochs`) and an optimizer whose rule the core can run (`coreRule`). The
// optimizer's slots move into core memory at the start of each call and back at its end, so
// getState() stays exact, and the results equal the epoch-by-epoch loop's bit for bit.
import { STATUS_BAD_GRADIENT, STATUS_BAD_LOSS, STATUS_BAD_WEIGHTS, STATUS_OK } from '../abi/codes.js';
import type { CoreJob } from '../backends/backend.js';
import type { Binding } from '../models/model.js';
import type { CoreRule, Optimizer } from '../optimizers/optimizer.js';

/** Sample-steps of work per call: a few milliseconds, so `train` still yields about every 20 ms. */
const WORK_PER_CALL = 2 ** 22;
const MAX_EPOCHS_PER_CALL = 1 << 16;
/** The core counts steps in i32. */
const MAX_STEP = 2 ** 31 - 1;

const FAILED: Record<number, 'loss' | 'gradient' | 'weights'> = { [STATUS_BAD_LOSS]: 'loss', [STATUS_BAD_GRADIENT]: 'gradient', [STATUS_BAD_WEIGHTS]: 'weights' };

/** What one call produced: epochs completed, their losses (plus the failing epoch's, for 'weights'), and weights. */
export interface InCoreResult {
  epochs: number;
  failed?: 'loss' | 'gradient' | 'weights';
  losses: Float64Array;
  weights?: Float32Array;
}

/** Runs chunks of epochs inside the core for one binding and one optimizer. */
export class InCore {
  /** The most epochs one call may run. */
  readonly maxEpochs: number;
  private readonly losses: Float64Array;
  private readonly weights: Float32Array;
  private readonly slots: Float32Array;

  private constructor(
    private readonly trainEpochs: NonNullable<Binding['trainEpochs']>,
    private readonly rule: CoreRule,
    private readonly P: number,
    work: number,
    epochs: number,
    track: boolean,
  ) {
    this.maxEpochs = Math.max(1, Math.min(MAX_EPOCHS_PER_CALL, Math.floor(WORK_PER_CALL / work), epochs));
    this.losses = new Float64Array(this.maxEpochs + 1);
    this.weights = new Float32Array(track ? this.maxEpochs * P : 0);
    this.slots = new Float32Array(rule.slots.length * P);
  }

  /** A runner when the binding can train in the core, has one batch, and the optimizer's rule has a core twin; else undefined. */
  static for(binding: Binding, optimizer: Optimizer, P: number, work: number, epochs: number, track: boolean): InCore | undefined {
    const rule = optimizer.coreRule;
    if (!binding.trainEpochs || binding.batches !== 1 || !rule || optimizer.iterations + epochs > MAX_STEP) return undefined;
    return new InCore(binding.trainEpochs, rule, P, work, epochs, track);
  }

  /**
   * Run `count` (<= maxEpochs) epochs from `params`, updating `params`, `lastGood` and the
   * optimizer in place, as that many calls of the epoch-by-epoch loop would.
   */
  run(params: Float32Array, lastGood: Float32Array, count: number, track: boolean): InCoreResult {
    const { P, slots, rule } = this;
    const live = rule.attach(P);
    rule.slots.forEach((name, i) => slots.set(live.slots[name]!, i * P));
    const job: CoreJob = {
      rule: rule.rule,
      hyper: rule.hyper,
      slots,
      step: live.step,
      params,
      lastGood,
      epochs: count,
      losses: this.losses,
      weights: track ? this.weights : undefined,
    };
    const { epochs, status } = this.trainEpochs(job);
    const steps = epochs + (status === STATUS_BAD_WEIGHTS ? 1 : 0);
    rule.slots.forEach((name, i) => live.slots[name]!.set(slots.subarray(i * P, (i + 1) * P)));
    live.advance(steps);
    return {
      epochs,
      ...(status !== STATUS_OK && { failed: FAILED[status]! }),
      losses: this.losses.subarray(0, steps),
      ...(track && { weights: this.weights.subarray(0, epochs * P) }),
    };
  }
}
