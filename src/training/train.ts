// The one training loop. Full batch is one batch of a schedule; every update goes through the
// same checks (one divergence predicate, judged in float32, the core's precision); a run that
// ends in any way — return, throw from a callback, abort, divergence — releases what it bound.

import { checkInteger } from '../checks.js';
import { STATUS_BAD_WEIGHTS, STATUS_OK } from '../abi/codes.js';
import { checkSequences, valuesChecked, type Sequences } from '../data/sequences.js';
import { sequencesOf, type DataInput } from '../data/arrays.js';
import { sliceSamples } from '../data/split.js';
import { AbortError, BusyError, ConfigError, DivergenceError } from '../errors.js';
import { LOSS_SPECS, type LossSpec } from '../losses.js';
import { isPlaced, Placement, training, type BindOptions, type Binding, type PlacedData, type Trainable } from '../models/model.js';
import type { OptimizerState } from '../optimizers/optimizer.js';
import { RandomState } from '../random.js';
import { Recorder, type History } from './history.js';
import { FAILED, InCore, InCoreBatches } from './in-core.js';
import { checkOptions, type EpochInfo, type TrainOptions } from './options.js';
import { withProgress } from './progress.js';

export type { EpochInfo, History, TrainOptions, Trainable };

/** Slices of at most this long between yields to the event loop. */
const SLICE_MS = 20;

// Models in a training call: a second call on the same model is refused, not interleaved. A Set,
// not a WeakSet: every exit deletes its model, and a WeakSet's add/delete per call costs microseconds of GC.

// Placed data keeps its last binding, so a later call with the same loss and schedule binds nothing
// anew; the binding's memory goes with the placement (its dispose, or the model's).
const bindings = new WeakMap<PlacedData, { key: string; binding: Binding }>();

function bindPlaced<L extends string>(model: Trainable<unknown, L>, placed: PlacedData, options: { loss: L; batchSize?: number | undefined; truncate?: number | undefined }, role: string): Binding {
  const key = `${role}|${options.loss}|${options.batchSize}|${options.truncate}`;
  const cached = bindings.get(placed);
  if (cached?.key === key && placed.live) return cached.binding;
  cached?.binding.dispose();
  const binding = model.bind(placed, options);
  bindings.set(placed, { key, binding });
  if (placed instanceof Placement) placed.attach(binding); // released with the placement, whatever the model (held once if its bind attached it)
  return binding;
}

/**
 * A binding for a call with a given initial state: made for it, never cached with placed data; data
 * not yet placed is bound whole, so the model checks the state before placing it.
 */
function bindGiven<L extends string>(model: Trainable<unknown, L>, data: Sequences | PlacedData, options: BindOptions<L>, once: <T>(d: Sequences, fn: () => T) => T): Binding {
  return isPlaced(data) ? model.bind(data, options) : once(data, () => model.bind(data, options));
}

// Scratch copies of the parameters, one pair per model, reused by its runs (a model trains one run at a time).
const scratch = new WeakMap<object, { lastGood: Float32Array; before: Float32Array }>();

/** Resources a run took, released in reverse order whatever happens. */
class Taken {
  private readonly items: Array<{ dispose(): void }> = [];
  add<T extends { dispose(): void }>(item: T): T {
    this.items.push(item);
    return item;
  }
  releaseAll(): void {
    for (const item of this.items.splice(0).reverse()) item.dispose();
  }
}

/** One training run: `advance` until `done`, then `finish`; any throw has already released everything. */
class Session<W, L extends string> {
  readonly epochs: number;
  private readonly plan: ReturnType<typeof checkOptions<W, L>>;
  /** The loss sums over samples (the epoch's loss is the batches' sum), else it averages (their weighted mean). */
  private readonly summed: boolean;
  private readonly taken = new Taken();
  private readonly binding: Binding;
  private readonly val: Binding | undefined;
  private readonly recorder: Recorder<W>;
  private readonly lastGood: Float32Array;
  private readonly before: Float32Array; // the weights at the start of the epoch
  private readonly inCore: InCore | undefined;
  private readonly inBatches: InCoreBatches | undefined;
  private readonly rng: RandomState | undefined;
  private readonly order: Uint32Array | undefined;
  private readonly n: number;
  private optimizerAtEpochStart: OptimizerState | undefined;
  private best = Infinity;
  private bestParams: Float32Array | undefined;
  private wait = 0;
  private epochLoss = 0;
  private logAt = 0; // the next epoch whose end `onEpoch` hears of in the core path: 0, logEvery, 2·logEvery, …
  epoch = 0;
  private batch = 0;
  private stopped = false;

  constructor(
    private readonly model: Trainable<W, L>,
    given: DataInput | PlacedData,
    private readonly o: TrainOptions<W, L>,
  ) {
    this.plan = checkOptions(model, o);
    // Users' arrays ({ x, y } nested or typed) made time-major once, here, before anything is bound.
    const data = sequencesOf(given);
    this.summed = (LOSS_SPECS as Record<string, LossSpec>)[this.plan.loss]?.mean === 'none';
    this.epochs = this.plan.epochs;
    if (training.has(model)) throw new BusyError('model', 'train: one training call per model at a time (await the first)');
    training.add(model);
    try {
      const { split, loss } = this.plan;
      const { batchSize, truncate } = o;
      let trainData = data;
      let valData = sequencesOf(o.validationData, 'validationData.');
      // Values unchecked until placed: a data set placed whole is checked by the model's place (a
      // backend may check as it copies, with no scan first); one to be split is checked here, whole.
      let unchecked: Sequences | undefined;
      if (!isPlaced(data)) {
        // The count first: a BigInt or a string must be refused by name before any arithmetic.
        const held = Math.floor(checkInteger('data.samples', data.samples, 1) * split);
        checkSequences(data, 'data', held > 0);
        if (held === 0) unchecked = data;
        if (held > 0 && held === data.samples) throw new ConfigError('validationSplit', split, 'small enough to leave training samples');
        if (held > 0) {
          trainData = valuesChecked(data, () => sliceSamples(data, 0, data.samples - held));
          valData = valuesChecked(data, () => sliceSamples(data, data.samples - held, data.samples));
        }
      } else if (split > 0) {
        throw new ConfigError('validationSplit', split, '0 with placed data: place the held-out part separately and pass it as validationData');
      }
      // A stateful model's held-out batches would continue, and move, the streams it trains (a capability, not a name).
      if (valData !== undefined && (model as { stateful?: unknown }).stateful === true) {
        throw new ConfigError(split > 0 ? 'validationSplit' : 'validationData', split > 0 ? split : 'a data set', "absent for a stateful model: held-out batches would continue and move its training streams (predict them after resetState)");
      }
      if (valData !== undefined && !isPlaced(valData)) checkSequences(valData, 'validationData');
      // Every other data set's values were checked above (a slice's with the whole): placing it does not scan them again.
      const once = <T>(d: Sequences, fn: () => T) => (d === unchecked ? fn() : valuesChecked(d, fn));
      const place = (d: Sequences) => this.taken.add(once(d, () => model.place(d)));
      this.binding = o.initialState === undefined ? (isPlaced(trainData) ? bindPlaced(model, trainData, { loss, batchSize, truncate }, 'train') : this.taken.add(model.bind(place(trainData), { loss, batchSize, truncate }))) : this.taken.add(bindGiven(model, trainData, { loss, batchSize, truncate, initialState: o.initialState }, once));
      if (valData !== undefined) this.val = isPlaced(valData) ? bindPlaced(model, valData, { loss }, 'validation') : this.taken.add(model.bind(place(valData), { loss }));
      this.n = this.binding.samples;
      const P = model.params.length;
      let copies = scratch.get(model);
      if (copies?.lastGood.length !== P) scratch.set(model, (copies = { lastGood: new Float32Array(P), before: new Float32Array(P) }));
      this.lastGood = copies.lastGood;
      this.lastGood.set(model.params);
      this.before = copies.before;
      this.recorder = new Recorder(P, this.plan.track, this.plan.limit, this.val !== undefined, (p) => model.weightsOf(p), this.binding.threads);
      const plain = this.plan.clip === undefined && this.plan.patience === undefined && this.val === undefined;
      this.inCore = plain ? InCore.for(this.binding, o.optimizer, P, this.binding.samples * this.binding.steps, this.epochs) : undefined;
      // Otherwise batches in the core where the binding and the rule allow (a norm clip stays in TypeScript: its float64 norm).
      this.inBatches = !this.inCore && this.plan.clip === undefined ? InCoreBatches.for(this.binding, o.optimizer, this.epochs * this.binding.batches) : undefined;
      const shuffles = this.plan.seed !== undefined && this.binding.batches > 1;
      if (shuffles && !this.binding.shuffle) throw new ConfigError('shuffle', o.shuffle, 'false: this model cannot reorder its samples');
      this.rng = shuffles ? new RandomState(this.plan.seed!) : undefined;
      this.order = shuffles ? new Uint32Array(this.n) : undefined;
    } catch (error) {
      this.release();
      throw error;
    }
  }

  get done(): boolean {
    return this.stopped || this.epoch >= this.epochs;
  }

  get history(): History<W> {
    return this.recorder.history;
  }

  /** Train until done or, between batches, past `deadline` (performance.now() milliseconds). */
  advance(deadline: number): void {
    try {
      while (!this.done) {
        if (this.inCore) this.chunk(this.inCore);
        else if (this.inBatches) this.batches(this.inBatches, deadline);
        else this.step();
        if (deadline !== Infinity && performance.now() > deadline) return;
      }
    } catch (error) {
      this.release();
      throw error;
    }
  }

  /** The history, after releasing everything the run bound. */
  finish(): History<W> {
    this.recorder.end(this.model.params);
    this.release();
    return this.history;
  }

  /** One batch, the same checks for every model, backend and schedule. */
  private step(): void {
    const { model, o, binding } = this;
    if (this.batch === 0) this.startEpoch();
    if (o.signal?.aborted) this.abort();
    const loss = binding.lossAndGrad(this.batch);
    if (!Number.isFinite(Math.fround(loss))) this.diverge('loss');
    if (!clipped(model.grads, this.plan.clip, this.plan.clipValue)) this.diverge('gradient');
    // The epoch's loss: the sum of batch losses for a summed loss, else their mean weighted by batch size.
    this.epochLoss += this.summed ? loss : binding.batches === 1 ? loss : loss * (binding.batchLength(this.batch) / this.n);
    this.lastGood.set(model.params);
    o.optimizer.step(model.params, model.grads);
    if (!allFinite(model.params)) {
      // A full-batch epoch whose update failed had a finite loss: it is recorded, as inside the core.
      if (binding.batches === 1 && this.recorder.due(this.epoch)) this.recorder.record(this.epochLoss, this.before);
      this.diverge('weights');
    }
    if (++this.batch === binding.batches) this.endEpoch();
  }

  /** The rest of the epoch's batches in one call into the core (ending early past `deadline`): the same checks and records as `step`. */
  private batches(runner: InCoreBatches, deadline: number): void {
    const { model, binding } = this;
    if (this.batch === 0) this.startEpoch();
    if (this.o.signal?.aborted) this.abort();
    const first = this.batch;
    runner.run(model, this.lastGood, first, binding.batches - first, deadline, this.plan.clipValue);
    const { losses, batches, status } = runner;
    // As `step` adds them: a batch whose update failed counts, one whose loss or gradient failed does not.
    const counted = batches + (status === STATUS_BAD_WEIGHTS ? 1 : 0);
    for (let k = 0; k < counted; k++) {
      const loss = losses[k]!;
      this.epochLoss += this.summed ? loss : binding.batches === 1 ? loss : loss * (binding.batchLength(first + k) / this.n);
    }
    this.batch += batches;
    if (status !== STATUS_OK) {
      if (status === STATUS_BAD_WEIGHTS && binding.batches === 1 && this.recorder.due(this.epoch)) this.recorder.record(this.epochLoss, this.before);
      this.diverge(FAILED[status]!);
    }
    if (this.batch === binding.batches) this.endEpoch();
  }

  private startEpoch(): void {
    const { binding, model } = this;
    this.before.set(model.params);
    this.epochLoss = 0;
    // For an abort mid-epoch, which only a signal makes: a copy of every slot per epoch otherwise (2.6 % of a hidden-8 epoch).
    if (binding.batches > 1 && this.o.signal) this.optimizerAtEpochStart = this.o.optimizer.getState();
    if (this.rng) {
      // Fisher–Yates over the sample order with the run's own stream.
      const order = this.order!;
      for (let i = 0; i < this.n; i++) order[i] = i;
      for (let i = this.n - 1; i > 0; i--) {
        const j = Math.floor(this.rng.randomSample() * (i + 1));
        const t = order[i]!;
        order[i] = order[j]!;
        order[j] = t;
      }
      binding.shuffle!(order);
    }
  }

  private endEpoch(): void {
    const { model, o } = this;
    this.batch = 0;
    let valLoss: number | undefined;
    if (this.val) {
      const grads = model.grads.slice(); // the validation pass writes grads; keep the last update's
      valLoss = this.val.lossAndGrad(0);
      model.grads.set(grads);
      // Judged in float32 on every backend: js's float64 6e58 is what wasm records, Infinity.
      if (!Number.isFinite(Math.fround(valLoss))) valLoss = Math.fround(valLoss);
      // Early stopping judges a non-finite validation loss as no better; without it, it is divergence.
      if (!Number.isFinite(Math.fround(valLoss)) && this.plan.patience === undefined) this.diverge('validation loss', true);
    }
    const e = this.epoch++;
    if (this.recorder.due(e)) this.recorder.record(this.epochLoss, this.before, valLoss);
    if (this.plan.patience !== undefined) {
      const monitored = valLoss ?? this.epochLoss;
      this.bestParams ??= this.before.slice(); // the starting weights, until an epoch does better
      if (Number.isFinite(Math.fround(monitored)) && monitored < this.best) {
        this.best = monitored;
        this.bestParams = model.params.slice();
        this.wait = 0;
      } else if (++this.wait >= this.plan.patience) {
        model.params.set(this.bestParams!);
        this.stopped = true;
      }
    }
    if (o.onEpoch && (e % this.plan.logEvery === 0 || this.epoch === this.epochs || this.stopped)) {
      const info: EpochInfo<W> = { epoch: e, loss: this.epochLoss, weights: model.weights, ...(valLoss !== undefined && { valLoss }) };
      if (o.onEpoch(info) === false) this.stopped = true;
    }
  }

  /**
   * Epochs in one call into the core, `onEpoch` heard from inside it at each logged epoch (logAt: the
   * next multiple of logEvery, kept as a count, not a remainder): the same records, checks and calls as `step`.
   */
  private chunk(inCore: InCore): void {
    const { model, o, plan, recorder } = this;
    if (o.signal?.aborted) this.abort();
    const count = Math.min(this.epochs - this.epoch, inCore.maxEpochs);
    const { before } = this;
    // The chunk's starting weights, for the history's first entry (the core path uses them for nothing else).
    if (plan.track) for (let i = 0; i < before.length; i++) before[i] = model.params[i]!; // a loop beats set() for two floats
    const first = this.epoch; // unchanged until the run returns: `heard` counts its epochs from it
    inCore.run(model.params, this.lastGood, count, plan.track, plan.clipValue, o.onEpoch && this.heard, this.logAt - first, plan.logEvery);
    const { losses, weights, epochs, status, thrown } = inCore;
    // Epoch i was computed at the weights before it: the chunk's start, or those after epoch i − 1.
    recorder.recordRun(first, losses, epochs + (status === STATUS_BAD_WEIGHTS ? 1 : 0), before, weights);
    this.epoch += epochs;
    if (thrown) throw thrown.error;
    if (status !== STATUS_OK) this.diverge(FAILED[status]!);
    if (!o.onEpoch) return;
    // The last epoch is heard of whatever logEvery says; the run reported it if it was a logged one.
    const last = this.epoch - 1;
    if (this.epoch === this.epochs && this.logAt - plan.logEvery !== last && !this.stopped && o.onEpoch({ epoch: last, loss: losses[epochs - 1]!, weights: model.weights }) === false) this.stopped = true;
  }

  /** `onEpoch` for epoch `e` of the core's run (a logged one: logAt moves past it): true stops the run there (onEpoch said false, or the signal aborted). */
  private readonly heard = (e: number, loss: number): boolean => {
    this.logAt += this.plan.logEvery;
    if (this.o.onEpoch!({ epoch: this.epoch + e, loss, weights: this.model.weights }) === false) this.stopped = true;
    return this.stopped || this.o.signal?.aborted === true;
  };

  private diverge(what: 'loss' | 'gradient' | 'weights' | 'validation loss', afterUpdate = false): never {
    // Back to the weights of the last finite loss (for a bad validation loss: the update before it).
    const { model } = this;
    if (!afterUpdate) model.params.set(this.lastGood);
    else model.params.set(this.before);
    const hadFinite = !(what === 'loss' && this.epoch === 0 && this.batch === 0);
    // The history ends at the weights the model is left with; a failed full-batch update already recorded them with its loss.
    if (!(what === 'weights' && this.binding.batches === 1)) this.recorder.end(model.params);
    const error = new DivergenceError(this.epoch, what, model.params.slice(), hadFinite);
    error.history = this.history;
    throw error;
  }

  private abort(): never {
    // Mid-epoch: back to the start of the epoch, so params, history and optimizer state agree.
    if (this.batch > 0 && this.optimizerAtEpochStart) {
      this.model.params.set(this.before);
      this.o.optimizer.setState(this.optimizerAtEpochStart);
      this.batch = 0;
    }
    this.recorder.end(this.model.params);
    const error = new AbortError(this.epoch);
    error.history = this.history;
    throw error;
  }

  private release(): void {
    this.taken.releaseAll();
    training.delete(this.model);
  }
}

/**
 * Train a model for `epochs` passes over `data` (nested or typed arrays `{ x, y }` as ArrayData
 * describes them, time-major Sequences, or data placed once with `model.place(data)`) and return the loss and weight history. Yields to the event loop between
 * batches about every 20 ms, so timers, messages and AbortSignal.timeout fire. Throws
 * DivergenceError (model reset to its last weights with a finite loss), AbortError or BusyError.
 * @example
 * ```ts
 * import { init, RandomState, countOnes, LinearRNN, adam, train } from 'elman-rnn';
 *
 * await init();
 * const data = countOnes({ samples: 20, length: 10, rng: new RandomState(1) });
 * const model = new LinearRNN({ wx: 0.1, wRec: 0.1 });
 * const history = await train(model, data, { optimizer: adam({ lr: 0.01 }), loss: 'mse', epochs: 1000 });
 * console.log(history.loss.at(-1), model.weights);   // a small loss; weights near { wx: 1, wRec: 1 }
 * ```
 * @category Training
 */
export async function train<W, L extends string>(model: Trainable<W, L>, data: DataInput | PlacedData, options: TrainOptions<W, L>): Promise<History<W>> {
  const progress = withProgress(options);
  try {
    const session = new Session(model, data, progress.options);
    while (!session.done) {
      session.advance(performance.now() + SLICE_MS);
      if (!session.done) await yieldToEventLoop();
    }
    return session.finish();
  } finally {
    progress.end();
  }
}

/**
 * `train` without yielding: for scripts and benchmarks; the signal is checked every batch.
 * @example
 * ```ts
 * import { initSync, RandomState, countOnes, LinearRNN, rprop, trainSync } from 'elman-rnn';
 *
 * initSync();
 * const data = countOnes({ samples: 20, length: 10, rng: new RandomState(1) });
 * const model = new LinearRNN({ wx: -1.5, wRec: 2 });
 * const history = trainSync(model, data, { optimizer: rprop({ initialStep: 1e-3 }), loss: 'mse', epochs: 500 });
 * console.log(history.loss.at(-1));
 * ```
 * @category Training
 */
export function trainSync<W, L extends string>(model: Trainable<W, L>, data: DataInput | PlacedData, options: TrainOptions<W, L>): History<W> {
  const progress = withProgress(options);
  try {
    const session = new Session(model, data, progress.options);
    session.advance(Infinity);
    return session.finish();
  } finally {
    progress.end();
  }
}

/** Let timers and messages run: setImmediate where there is one (Node, Bun), a message elsewhere (no 4 ms clamp of nested timers). */
function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(0);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Scale g in place to global L2 norm ≤ max (norm summed in float64), or clamp each element to
 * [−value, value] when value > 0 (a float32, as assembly/in-core.ts clamps); false when g holds a non-finite value.
 */
export function clipped(g: Float32Array, max: number | undefined, value = 0): boolean {
  let sq = 0;
  for (let i = 0; i < g.length; i++) sq += g[i]! * g[i]!;
  if (!Number.isFinite(sq)) return false;
  if (max !== undefined) {
    const norm = Math.sqrt(sq);
    if (norm > max) {
      const s = max / norm;
      for (let i = 0; i < g.length; i++) g[i]! *= s;
    }
  }
  if (value > 0) for (let i = 0; i < g.length; i++) g[i] = Math.min(Math.max(g[i]!, -value), value);
  return true;
}

/** True when every entry is finite. */
export function allFinite(a: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}
