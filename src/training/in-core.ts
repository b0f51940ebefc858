// Training many epochs per call into the WebAssembly core (assembly/in-core.ts), for a binding
// that offers it (`trainEpochs`) and an optimizer whose rule the core can run (`coreRule`). The
// optimizer's slots move into core memory at the start of each call and back at its end, so
// getState() stays exact, and the results equal the epoch-by-epoch loop's bit for bit.
// A runner is made once per binding and rule and reused by later calls on the same placed data.
import { adamStep } from '../optimizers/adam.js';
import { STATUS_BAD_GRADIENT, STATUS_BAD_LOSS, STATUS_BAD_WEIGHTS, STATUS_OK } from '../abi/codes.js';
import type { BatchJob, CoreJob, CoreOutcome } from '../backends/backend.js';
import type { Binding } from '../models/model.js';
import type { CoreRule, Optimizer } from '../optimizers/optimizer.js';

/** Sample-steps of work per call: a few milliseconds, so `train` still yields about every 20 ms. */
const WORK_PER_CALL = 2 ** 22;
const MAX_EPOCHS_PER_CALL = 1 << 16;
/** The core counts steps in i32. */
const MAX_STEP = 2 ** 31 - 1;

/** What failed, by status code. */
export const FAILED: Record<number, 'loss' | 'gradient' | 'weights'> = { [STATUS_BAD_LOSS]: 'loss', [STATUS_BAD_GRADIENT]: 'gradient', [STATUS_BAD_WEIGHTS]: 'weights' };

const runners = new WeakMap<Binding, InCore>();

// Every runner's results go to these two buffers: a run's results are read by its caller before any
// other run can start (runs are synchronous), and data passed to each `train` call makes a binding,
// so a runner, per call: shared buffers keep such calls from allocating per call.
const results = { losses: new Float64Array(2), weights: new Float32Array(2) };

/**
 * An optimizer's rule as a core job carries it (its code, hyper-parameters, live slot arrays and step
 * count), for both runners below: the slot arrays are looked up by name only when the optimizer has
 * replaced its slots (reset, setState); the backend copies them into the core and back.
 */
class RuleInJob {
  private slotsOf: object | undefined; // the optimizer's slot record the job's slot arrays were read from

  constructor(
    private rule: CoreRule,
    private readonly job: { rule: number; hyper: Float32Array; slots: readonly Float32Array[]; step: number },
  ) {}

  /** Run this optimizer's rule from now on (same binding, buffers kept). */
  use(rule: CoreRule): void {
    if (rule === this.rule) return;
    this.rule = rule;
    this.slotsOf = undefined;
    this.job.rule = rule.rule;
    this.job.hyper = rule.hyper;
  }

  /** The live slots of P parameters into the job, and the count the core's 32-bit counter starts from (Adam's bias correction is exact 1 past 2^31: see adamStep). */
  attach(P: number): ReturnType<CoreRule['attach']> {
    const live = this.rule.attach(P);
    if (live.slots !== this.slotsOf) {
      this.slotsOf = live.slots;
      this.job.slots = this.rule.slots.map((name) => live.slots[name]!);
    }
    this.job.step = adamStep(live.step);
    return live;
  }
}

/** Runs chunks of epochs inside the core for one binding and one optimizer rule. */
export class InCore {
  /** The most epochs one call may run. */
  readonly maxEpochs: number;
  /** The loss of each epoch of the last run (plus the failing epoch's when an update failed). */
  losses: Float64Array;
  /** The weights after each completed epoch of the last run, f32[epochs][P], when tracked. */
  weights: Float32Array;
  /** Epochs the last run completed, and STATUS_OK or the check that failed at the next one. */
  epochs = 0;
  status = STATUS_OK;
  /** What the last run's `report` threw, which ended the run after that epoch; undefined when nothing did. */
  thrown: { error: unknown } | undefined;
  private readonly job: CoreJob;
  private readonly rule: RuleInJob;

  private constructor(
    private readonly trainEpochs: NonNullable<Binding['trainEpochs']>,
    rule: CoreRule,
    private readonly P: number,
    work: number,
  ) {
    this.maxEpochs = Math.max(1, Math.min(MAX_EPOCHS_PER_CALL, Math.floor(WORK_PER_CALL / work)));
    this.losses = results.losses;
    this.weights = results.weights;
    this.job = { rule: rule.rule, hyper: rule.hyper, slots: [], step: 0, clipValue: 0, params: this.weights, lastGood: this.weights, epochs: 0, losses: this.losses, weights: undefined };
    this.rule = new RuleInJob(rule, this.job);
  }

  /** A runner when the binding can train in the core, has one batch, and the optimizer's rule has a core twin; else undefined. */
  static for(binding: Binding, optimizer: Optimizer, P: number, work: number, epochs: number): InCore | undefined {
    const rule = optimizer.coreRule;
    if (!binding.trainEpochs || binding.batches !== 1 || !rule || optimizer.iterations + epochs > MAX_STEP) return undefined;
    let runner = runners.get(binding);
    if (!runner) runners.set(binding, (runner = new InCore(binding.trainEpochs, rule, P, work)));
    runner.rule.use(rule);
    return runner;
  }

  /** Room for `count` epochs of results in the shared buffers, grown by doubling (runs of one epoch per call stay small). */
  private reserve(count: number): void {
    const need = count * this.P;
    if (results.losses.length <= count) results.losses = new Float64Array(Math.min(MAX_EPOCHS_PER_CALL, Math.max(count, 2 * results.losses.length)) + 1);
    if (results.weights.length < need) results.weights = new Float32Array(Math.max(need, 2 * results.weights.length));
    this.job.losses = this.losses = results.losses;
    this.weights = results.weights;
  }

  /**
   * Run `count` (<= maxEpochs) epochs from `params`, updating `params`, `lastGood` and the
   * optimizer in place, as that many calls of the epoch-by-epoch loop would (each gradient element
   * clipped to [−clipValue, clipValue] when it is > 0, the float32 value train.ts clips with); `epochs`, `status`,
   * `losses` and `weights` hold the outcome. `report(e, loss)`, when given, hears of epoch `at` of the
   * run and every `every` after it from inside the run, with `params` and the optimizer (slots and
   * step count) as they are after it; true from it ends the run there, and so does an optimizer
   * state the handler replaced (setState, reset), which the next run then starts from.
   */
  run(params: Float32Array, lastGood: Float32Array, count: number, track: boolean, clipValue = 0, report?: (epoch: number, loss: number) => boolean, at = 0, every = 1): void {
    this.reserve(count);
    const { job, P } = this;
    const live = this.rule.attach(P);
    job.params = params;
    job.lastGood = lastGood;
    job.epochs = count;
    job.clipValue = clipValue;
    job.weights = track ? this.weights : undefined;
    let advanced = 0;
    job.report = report && ((e, loss) => {
      live.advance(e + 1 - advanced);
      advanced = e + 1;
      if (report(e, loss)) return true;
      // A handler that changed the optimizer (setState, reset, a step of its own) ends the run; the next starts from its state.
      if (live.held()) return false;
      job.slotsTaken = true;
      return true;
    });
    job.reportAt = at;
    job.reportEvery = every;
    job.slotsTaken = false;
    let outcome: CoreOutcome;
    if (!report) outcome = this.trainEpochs(job);
    else {
      live.hold(() => job.syncSlots?.()); // the optimizer's step and getState read the slots the core holds
      try {
        outcome = this.trainEpochs(job);
      } finally {
        live.hold(undefined);
      }
    }
    const { epochs, status, thrown } = outcome;
    // The updates not yet counted; advance(0) says "none at all" (a fresh optimizer stays fresh), so only before any report.
    const rest = epochs + (status === STATUS_BAD_WEIGHTS ? 1 : 0) - advanced;
    if (rest > 0 || advanced === 0) live.advance(rest);
    this.epochs = epochs;
    this.status = status;
    this.thrown = thrown;
  }
}

const batchRunners = new WeakMap<Binding, InCoreBatches>();

/**
 * Runs batches inside the core for one binding and one optimizer rule: each batch's forward and
 * backward pass, train.ts's checks, clip and update, with the params and the optimizer's slots kept
 * in core memory for the call (the binding's `trainBatches`). The same bits as the batch-by-batch loop.
 */
export class InCoreBatches {
  /** The loss of each batch of the last run (plus the failing batch's when its update failed). */
  losses = new Float64Array(16);
  /** Batches the last run completed, and STATUS_OK or the check that failed at the next one. */
  batches = 0;
  status = STATUS_OK;
  private readonly job: BatchJob;
  private readonly rule: RuleInJob;

  private constructor(private readonly trainBatches: NonNullable<Binding['trainBatches']>, rule: CoreRule) {
    const none = new Float32Array(0);
    this.job = { rule: rule.rule, hyper: rule.hyper, slots: [], step: 0, clipValue: 0, params: none, lastGood: none, grads: none, first: 0, count: 0, deadline: Infinity, losses: this.losses };
    this.rule = new RuleInJob(rule, this.job);
  }

  /** A runner when the binding can train batches in the core and the optimizer's rule has a core twin; else undefined. */
  static for(binding: Binding, optimizer: Optimizer, updates: number): InCoreBatches | undefined {
    const rule = optimizer.coreRule;
    if (!binding.trainBatches || !rule || optimizer.iterations + updates > MAX_STEP) return undefined;
    let runner = batchRunners.get(binding);
    if (!runner) batchRunners.set(binding, (runner = new InCoreBatches(binding.trainBatches, rule)));
    runner.rule.use(rule);
    return runner;
  }

  /**
   * Run batches [first, first + count) from `params`, ending early past `deadline`; `params`,
   * `lastGood`, `grads` and the optimizer are updated in place, as that many `step`s of train.ts
   * would; `batches`, `status` and `losses` hold the outcome.
   */
  run(model: { params: Float32Array; grads: Float32Array }, lastGood: Float32Array, first: number, count: number, deadline: number, clipValue = 0): void {
    if (this.losses.length < count + 1) this.losses = new Float64Array(Math.max(count + 1, 2 * this.losses.length));
    const { job } = this;
    const live = this.rule.attach(model.params.length);
    job.params = model.params;
    job.grads = model.grads;
    job.lastGood = lastGood;
    job.first = first;
    job.count = count;
    job.deadline = deadline;
    job.clipValue = clipValue;
    job.losses = this.losses;
    const { batches, status } = this.trainBatches(job);
    live.advance(batches + (status === STATUS_BAD_WEIGHTS ? 1 : 0));
    this.batches = batches;
    this.status = status;
  }
}
