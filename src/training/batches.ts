import type { Bound } from '../backends/backend.js';
import { sliceSamples } from '../data/split.js';
import { checkInteger, type Sequences } from '../data/sequences.js';
import { AbortError, ConfigError, DivergenceError } from '../errors.js';
import { RandomState } from '../random.js';
import { allFinite, checkLoopOptions } from './loop-options.js';
import type { History, Trainable, TrainOptions } from './train.js';

/** The mini-batch options of `train`; giving any of them selects the mini-batch loop. */
export interface BatchOptions {
  /** Samples per update (default: all, one update per epoch). */
  batchSize?: number;
  /** Reshuffle the training samples every epoch: `true` (seed 0) or a seed for a RandomState. */
  shuffle?: boolean | number;
  /** Fraction in [0, 1) of the samples, taken from the end before any shuffling, held out for validation. */
  validationSplit?: number;
  /** Stop after this many epochs without a lower (validation, else training) loss, and restore the best weights. */
  patience?: number;
  /** Scale each update's gradient down to this global L2 norm when it is longer. */
  clipNorm?: number;
  /** Truncated BPTT: the gradient flows back at most through windows of this many steps. */
  truncate?: number;
}

/** A binding that runs one mini-batch per call (ElmanRNN's `bind(data, loss, { batchSize, truncate })`). */
interface BatchBound extends Bound {
  readonly batches: number;
  batchLength(i: number): number;
  lossAndGrad(batch?: number): number;
  shuffle(order: Uint32Array | null): void;
}

interface BatchTrainable<W> extends Trainable<W> {
  bind(data: Sequences, loss?: string, options?: { batchSize?: number; truncate?: number }): Bound;
}

/** True when `options` asks for anything beyond the full-batch loop. */
export function usesBatches(o: BatchOptions): boolean {
  return typeof o === 'object' && o !== null && ['batchSize', 'shuffle', 'validationSplit', 'patience', 'clipNorm', 'truncate'].some((k) => (o as Record<string, unknown>)[k] !== undefined);
}

/**
 * The mini-batch training loop, one epoch (a pass over the training samples) per `step()`:
 * `history.loss[e]` is the mean of the epoch's batch losses weighted by batch size (their sum for
 * 'sse'), each computed before its batch's update; `history.valLoss[e]` the validation loss after the epoch.
 */
export class BatchSession<W> {
  readonly history: History<W> = { loss: [], weights: [] };
  readonly epochs: number;
  private readonly bound: BatchBound;
  private readonly val: BatchBound | undefined;
  private readonly lastGood: Float32Array;
  private readonly track: boolean;
  private readonly logEvery: number;
  private readonly rng: RandomState | undefined;
  private readonly order: Uint32Array;
  private readonly clip: number | undefined;
  private readonly patience: number | undefined;
  private best = Infinity;
  private bestParams: Float32Array | undefined;
  private wait = 0;
  private readonly n: number;
  epoch = 0;
  stopped = false;

  constructor(private readonly model: BatchTrainable<W>, data: Sequences, private readonly o: TrainOptions<W>) {
    ({ epochs: this.epochs, logEvery: this.logEvery, track: this.track } = checkLoopOptions(o, model.params.length));
    if (o.shuffle !== undefined && typeof o.shuffle !== 'boolean') checkInteger('shuffle', o.shuffle, 0);
    const split = o.validationSplit ?? 0;
    if (typeof split !== 'number' || !(split >= 0 && split < 1)) throw new ConfigError('validationSplit', split, 'a number in [0, 1)');
    if (o.clipNorm !== undefined && !(typeof o.clipNorm === 'number' && o.clipNorm > 0 && Number.isFinite(o.clipNorm))) throw new ConfigError('clipNorm', o.clipNorm, 'a finite number > 0');
    this.clip = o.clipNorm;
    this.patience = o.patience === undefined ? undefined : checkInteger('patience', o.patience, 1);
    const held = Math.floor(data.samples * split);
    if (held > 0 && held === data.samples) throw new ConfigError('validationSplit', split, 'small enough to leave training samples');
    const trainData = held > 0 ? sliceSamples(data, 0, data.samples - held) : data;
    this.n = trainData.samples;
    this.lastGood = model.params.slice();
    this.rng = o.shuffle === undefined || o.shuffle === false ? undefined : new RandomState(o.shuffle === true ? 0 : o.shuffle);
    this.order = new Uint32Array(this.n);
    const bindOptions = { ...(o.batchSize !== undefined && { batchSize: o.batchSize }), ...(o.truncate !== undefined && { truncate: o.truncate }) };
    const bound = model.bind(trainData, o.loss, bindOptions) as BatchBound;
    if (typeof bound.batches !== 'number' || typeof bound.shuffle !== 'function') {
      bound.dispose();
      throw new ConfigError('batchSize', o.batchSize, 'used with a model that supports mini-batches (ElmanRNN)');
    }
    this.bound = bound;
    if (held > 0) {
      try {
        this.val = model.bind(sliceSamples(data, data.samples - held, data.samples), o.loss) as BatchBound;
      } catch (error) {
        bound.dispose();
        throw error;
      }
      this.history.valLoss = [];
    }
    if (this.track) this.history.weights.push(model.weights);
  }

  /** One pass over the training samples, an update per mini-batch. */
  step(): void {
    const { model, o, bound } = this;
    if (this.rng) {
      // Fisher–Yates over the sample order with the session's own stream.
      for (let i = 0; i < this.n; i++) this.order[i] = i;
      for (let i = this.n - 1; i > 0; i--) {
        const j = Math.floor(this.rng.randomSample() * (i + 1));
        const t = this.order[i]!;
        this.order[i] = this.order[j]!;
        this.order[j] = t;
      }
      bound.shuffle(this.order);
    }
    const sum = o.loss === 'sse';
    let epochLoss = 0;
    for (let b = 0; b < bound.batches; b++) {
      if (o.signal?.aborted) this.fail(new AbortError(this.epoch));
      const loss = bound.lossAndGrad(b);
      if (!Number.isFinite(loss)) this.diverge('loss');
      if (!clipped(model.grads, this.clip)) this.diverge('gradient');
      this.lastGood.set(model.params);
      o.optimizer.step(model.params, model.grads);
      if (!allFinite(model.params)) this.diverge('weights');
      epochLoss += sum ? loss : loss * (bound.batchLength(b) / this.n); // exactly the loss for one batch
    }
    this.history.loss.push(epochLoss);
    let valLoss: number | undefined;
    if (this.val) {
      valLoss = this.val.lossAndGrad();
      this.history.valLoss!.push(valLoss);
    }
    const e = this.epoch++;
    if (this.patience !== undefined) {
      const monitored = valLoss ?? epochLoss;
      if (monitored < this.best) {
        this.best = monitored;
        this.bestParams = model.params.slice();
        this.wait = 0;
      } else if (++this.wait >= this.patience) {
        model.params.set(this.bestParams!);
        this.stopped = true;
      }
    }
    const weights = this.track || o.onEpoch ? model.weights : undefined;
    if (this.track) this.history.weights.push(weights!);
    if (o.onEpoch && (e % this.logEvery === 0 || this.epoch === this.epochs || this.stopped)) {
      if (o.onEpoch({ epoch: e, loss: epochLoss, weights: weights!, ...(valLoss !== undefined && { valLoss }) }) === false) this.stopped = true;
    }
  }

  get done(): boolean {
    return this.stopped || this.epoch >= this.epochs;
  }

  finish(): History<W> {
    this.dispose();
    return this.history;
  }

  private dispose(): void {
    this.bound.dispose();
    this.val?.dispose();
  }

  private diverge(what: 'loss' | 'gradient' | 'weights'): never {
    this.model.params.set(this.lastGood);
    this.fail(new DivergenceError(this.epoch, what, this.lastGood.slice()));
  }

  private fail(error: AbortError | DivergenceError): never {
    this.dispose();
    error.history = this.history;
    throw error;
  }
}

/** Scale g in place to global L2 norm ≤ max (norm summed in float64); false when g holds a non-finite value. */
export function clipped(g: Float32Array, max: number | undefined): boolean {
  let sq = 0;
  for (let i = 0; i < g.length; i++) sq += g[i]! * g[i]!;
  if (!Number.isFinite(sq)) return false;
  const norm = Math.sqrt(sq);
  if (max !== undefined && norm > max) {
    const s = max / norm;
    for (let i = 0; i < g.length; i++) g[i]! *= s;
  }
  return true;
}

