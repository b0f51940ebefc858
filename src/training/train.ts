import type { Bound } from '../backends/backend.js';
import type { Sequences } from '../data/sequences.js';
import { AbortError, DivergenceError } from '../errors.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { InCore } from './in-core.js';
import { allFinite, checkLoopOptions } from './loop-options.js';
import { BatchSession, usesBatches, type BatchOptions } from './batches.js';

/** What `train` needs of a model: flat params and grads, named weights, and a way to bind data. */
export interface Trainable<W> {
  readonly params: Float32Array;
  readonly grads: Float32Array;
  readonly weights: W;
  bind(data: Sequences, loss?: string): Bound;
}

/** What `onEpoch` receives: the epoch, the loss before its update, and the weights after it. */
export interface EpochInfo<W> {
  epoch: number;
  loss: number;
  weights: W;
  /** The validation loss after the epoch (mini-batch loop with validationSplit). */
  valLoss?: number;
}

/** Options of `train`. */
export interface TrainOptions<W> extends BatchOptions {
  /** An optimizer made like `rmsprop({ lr: 1e-3 })`; its state carries over between calls. */
  optimizer: Optimizer;
  /** Full-batch updates to make, an integer >= 1. */
  epochs: number;
  /** Loss name understood by the model (the counter: 'sse' (default) or 'mse'). */
  loss?: string;
  /** Called every `logEvery` epochs and after the last; returning `false` stops training early. */
  onEpoch?: (info: EpochInfo<W>) => void | boolean;
  /** How often `onEpoch` runs, in epochs (default 1). */
  logEvery?: number;
  /** Aborting it stops training with an AbortError; the model keeps the weights it reached. */
  signal?: AbortSignal;
  /** Record the weights after every epoch (default: when the model has at most 64 parameters). */
  trackWeights?: boolean;
}

/** `loss[e]` is the loss before epoch e's update; `weights[e]` the weights it was computed at, plus the final ones. */
export interface History<W> {
  loss: number[];
  weights: W[];
  /** Validation loss after each epoch, when `validationSplit` was given. */
  valLoss?: number[];
}

/** The training loop, one epoch at a time; `train` and `trainSync` drive it. */
class Session<W> {
  readonly history: History<W> = { loss: [], weights: [] };
  private readonly bound: Bound;
  private readonly lastGood: Float32Array;
  private readonly track: boolean;
  readonly epochs: number;
  private readonly logEvery: number;
  private readonly inCore: InCore | undefined;
  epoch = 0;
  stopped = false;

  constructor(
    private readonly model: Trainable<W>,
    data: Sequences,
    private readonly o: TrainOptions<W>,
  ) {
    ({ epochs: this.epochs, logEvery: this.logEvery, track: this.track } = checkLoopOptions(o, model.params.length));
    this.lastGood = model.params.slice();
    this.bound = model.bind(data, o.loss);
    this.inCore = InCore.for(this.bound, o.optimizer, model.params, data, this.epochs);
    if (this.track) this.history.weights.push(model.weights);
  }

  /** Run one epoch: loss and gradient at the current weights, then one optimizer step. */
  step(): void {
    const { model, o } = this;
    if (o.signal?.aborted) this.fail(new AbortError(this.epoch));
    if (this.inCore) return this.chunk(this.inCore);
    const loss = this.bound.lossAndGrad();
    // Judged in float32, the core's precision, so both backends diverge at the same point.
    if (!Number.isFinite(Math.fround(loss))) this.diverge('loss');
    if (!allFinite(model.grads)) this.diverge('gradient');
    this.lastGood.set(model.params);
    this.history.loss.push(loss);
    o.optimizer.step(model.params, model.grads);
    if (!allFinite(model.params)) this.diverge('weights');
    const weights = this.track || o.onEpoch ? model.weights : undefined;
    if (this.track) this.history.weights.push(weights!);
    const e = this.epoch++;
    if (o.onEpoch && (e % this.logEvery === 0 || this.epoch === this.epochs)) {
      if (o.onEpoch({ epoch: e, loss, weights: weights! }) === false) this.stopped = true;
    }
  }

  /** Epochs up to the next `onEpoch` call in one call into the core: the same records and checks as `step`. */
  private chunk(inCore: InCore): void {
    const { model, o, history } = this;
    const untilLog = o.onEpoch ? ((this.logEvery - (this.epoch % this.logEvery)) % this.logEvery) + 1 : Infinity;
    const r = inCore.run(model.params, this.lastGood, Math.min(this.epochs - this.epoch, untilLog, inCore.maxEpochs), this.track);
    for (let i = 0; i < r.losses.length; i++) history.loss.push(r.losses[i]!);
    if (r.weights) {
      const end = model.params.slice();
      for (let i = 0; i < r.weights.length; i += end.length) {
        model.params.set(r.weights.subarray(i, i + end.length));
        history.weights.push(model.weights);
      }
      model.params.set(end);
    }
    this.epoch += r.epochs;
    if (r.failed) this.diverge(r.failed);
    const e = this.epoch - 1;
    if (o.onEpoch && (e % this.logEvery === 0 || this.epoch === this.epochs)) {
      if (o.onEpoch({ epoch: e, loss: history.loss[e]!, weights: model.weights }) === false) this.stopped = true;
    }
  }

  get done(): boolean {
    return this.stopped || this.epoch >= this.epochs;
  }

  finish(): History<W> {
    this.bound.dispose();
    return this.history;
  }

  private diverge(what: 'loss' | 'gradient' | 'weights'): never {
    this.model.params.set(this.lastGood);
    this.fail(new DivergenceError(this.epoch, what, this.lastGood.slice()));
  }

  private fail(error: AbortError | DivergenceError): never {
    this.bound.dispose();
    error.history = this.history;
    throw error;
  }
}

/**
 * Train a model full-batch for `epochs` updates and return the loss and weight history.
 * Yields to the event loop about every 20 ms, so timers, messages and AbortSignal.timeout fire.
 * Throws DivergenceError (model reset to its last weights with a finite loss) or AbortError.
 */
export async function train<W>(model: Trainable<W>, data: Sequences, options: TrainOptions<W>): Promise<History<W>> {
  const session = usesBatches(options) ? new BatchSession(model, data, options) : new Session(model, data, options);
  let slice = performance.now();
  while (!session.done) {
    session.step();
    if (performance.now() - slice > 20) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      slice = performance.now();
    }
  }
  return session.finish();
}

/** `train` without yielding: for scripts and benchmarks; the signal is checked every epoch. */
export function trainSync<W>(model: Trainable<W>, data: Sequences, options: TrainOptions<W>): History<W> {
  const session = usesBatches(options) ? new BatchSession(model, data, options) : new Session(model, data, options);
  while (!session.done) session.step();
  return session.finish();
}

