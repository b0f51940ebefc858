// The one recurrent model: a stack of recurrent layers (any cells of src/cells/) and a dense head,
// its parameters one flat Float32Array [per layer kernel | recurrentKernel | bias][outputKernel |
// outputBias]. Everything a model does with data lives here: predict, step, forecast, place, bind,
// lossAndGrad, threads. RNN (./rnn.ts) and ElmanRNN (./elman.ts) are its two faces: each names the
// weights its own way and saves its own JSON; neither computes anything.

import { checkInteger, checkKeys, finite32, plainObject } from '../checks.js';
import { type BackendName } from '../backends/backend.js';
import { JsPlaced } from '../backends/js/placed.js';
import { JsStack } from '../backends/js/stack.js';
import { JsStackWork, JsStepper } from '../backends/js/stack-bound.js';
import { WasmPlaced } from '../backends/wasm/placed.js';
import { WasmStackWork, WasmStepper } from '../backends/wasm/stack-bound.js';
import { CELL_SPECS } from '../cells/index.js';
import { checkFinite32, checkSequences, checkValues, weightingOf, type Sequences } from '../data/sequences.js';
import { fromTimeMajor, predictInputs, sequencesOf, toSequences, type ArrayData, type DataInput, type NestedInputs, type Shaped, type ShapedInput } from '../data/arrays.js';
import { checkIds } from '../data/tokens.js';
import { ConfigError, DisposedError, NumericError, ShapeError } from '../errors.js';
import { byteSize, LOSS_AT_CAP } from '../sizes.js';
import type { OutputActivation } from '../types.js';
import type { PlacedWidths } from '../backends/backend.js';
import { Holdings } from './bindings.js';
import { ELMAN_LOSSES, lossScale, lossSpec, targetWidth, type ElmanLossName, type LossSpec } from '../losses.js';
import { checkNotTraining, holdPlacement, Placement, type BindOptions, type PlacedData, type Trainable } from './model.js';
import { layerWidth, stackOffsets, type EmbeddingSpec, type LayerSpec, type StackDims, type StateRows } from '../stack-spec.js';
import { outputSteps, planFloats, stackPlan, wired } from '../stack-wiring.js';
import { GivenStarts, ModelState, readState, stateCopy, type LayerState, type LayerStateInput } from './state.js';
import { flatten } from './weights.js';
import { batchBinding, schedule, type BatchBinding } from './batches.js';
import { placeOnThreads, type ThreadOptions } from './threaded.js';
import { BATCH_AUTO_MIN_WORK } from '../backends/threads/support.js';

/**
 * Inputs without targets: a Sequences-like { x, samples, steps } (time-major) or nested [samples][steps][inputSize].
 * @category Models
 */
export type RNNInputs = Pick<Sequences, 'x' | 'samples' | 'steps' | 'lengths' | 'mask' | 'sampleWeights'> | NestedInputs;

/** Capability of a placement: workspaces of its own for a stack (threaded placements). */
type Placed = (WasmPlaced | JsPlaced) & { stackWork?(d: StackDims, maxBatch: number, P: number, argument: string): Work };
type Work = WasmStackWork | JsStackWork;
type Stepper = WasmStepper | JsStepper;

/** What each backend offers the stacks: data placed once, workspaces per binding, steppers. */
const BACKEND: Record<BackendName, { place(data: Sequences, d: PlacedWidths): Placed; work(p: Placed, d: StackDims, B: number, P: number, argument: string): Work; stepper(d: StackDims, streams: number, P: number): Stepper }> = {
  wasm: { place: (data, d) => new WasmPlaced(data, d), work: (p, d, B, P, a) => new WasmStackWork(p as WasmPlaced, d, B, P, a), stepper: (d, s, P) => new WasmStepper(d, s, P) },
  js: { place: (data, d) => new JsPlaced(data, d), work: (p, d, B, P) => new JsStackWork(p as JsPlaced, d, B, P), stepper: (d, s) => new JsStepper(d, s) },
};

/** Parameters of one model at most (128 MiB of float32; the gradients take as much again). */
const MAX_PARAMS = 2 ** 25;

/** Scratch of one binding at most: half of WebAssembly's 4 GiB, so data and scratch can both fit. */
const MAX_SCRATCH_BYTES = 2 ** 31;

/** What a face (RNN, ElmanRNN) gives the model: its resolved shape, backend and first weights. */
export interface RecurrentSetup {
  /** The network: input width, layers bottom-up with every option resolved, the head. */
  readonly dims: StackDims;
  readonly backend: BackendName;
  /** Writes the initial weights into the zeroed params, laid out by stackOffsets(dims). */
  init(params: Float32Array, offsets: ReturnType<typeof stackOffsets>): void;
  /** The model's name in DisposedError messages. */
  readonly name: string;
  /** Carry each layer's final state of a call or batch into the next (Keras's stateful). */
  readonly stateful?: boolean;
}

/**
 * Options of `predict`.
 * @category Models
 */
export interface PredictOptions {
  /** Each layer's state to start from, [samples][units] (and the cell state): replaces the carried (or zero, or learned) state for this call. */
  initialState?: LayerStateInput[];
}

/**
 * A stacked recurrent network (layers of any registered cell, then a dense head) with Keras/TF.js's
 * weight layouts; W is how the face names the weights, WIn what it takes to set them, J its saved JSON.
 */
export abstract class Recurrent<W, WIn, J> implements Trainable<W, ElmanLossName> {
  /** Inputs per step. */
  readonly inputSize: number;
  /** Outputs per step of the dense head. */
  readonly outputSize: number;
  /** The recurrent layers, bottom-up, with every option resolved. */
  readonly layers: readonly LayerSpec[];
  /** The embedding of token ids in front of the layers (inputSize 1: each step's input is one id), or undefined. */
  readonly embedding: EmbeddingSpec | undefined;
  /** The head's activation. */
  readonly outputActivation: OutputActivation;
  /** True when the model outputs at every step, false for the last step only. */
  readonly returnSequences: boolean;
  /** Where the loops run. */
  readonly backend: BackendName;
  /** Flat float32 parameters; optimizers update them in place. */
  readonly params: Float32Array;
  /** True when each layer's final state of a batch (or predict call) is the next one's initial state, per stream. */
  readonly stateful: boolean;
  /** True when each layer's initial state is learned (parameters after the head's, named `initialStates`). */
  readonly learnInitialState: boolean;
  /** ∂L/∂params from the last `lossAndGrad`, same layout as `params`. */
  readonly grads: Float32Array;
  /** The loss names this model understands. */
  readonly losses = ELMAN_LOSSES;
  /** The loss used when none is given: 'mse'. */
  readonly defaultLoss: ElmanLossName = 'mse';
  protected readonly dims: StackDims;
  protected readonly holdings: Holdings<{ dispose(): void }>;
  private stepper: Stepper | undefined;
  private stepInput = new Float32Array(0);
  /** The one state of the model (stateful calls and `step` share it). */
  private readonly memory: ModelState;
  /** True while the stepper's own copy of the state is the newer one. */
  private stepperOwns = false;

  protected constructor(setup: RecurrentSetup) {
    const d = setup.dims;
    this.holdings = new Holdings(setup.name);
    [this.inputSize, this.outputSize, this.layers, this.outputActivation, this.returnSequences] = [d.I, d.O, d.layers, d.outAct, d.seq];
    this.embedding = d.embedding;
    this.backend = setup.backend;
    this.dims = d;
    this.stateful = setup.stateful ?? false;
    this.learnInitialState = d.learnS0 ?? false;
    // Keras has no learned initial state; one carried across batches would leave it nothing to learn from.
    if (this.stateful && this.learnInitialState) throw new ConfigError('learnInitialState', true, 'false with stateful: a stateful stream starts from its last state, not a learned one');
    this.memory = new ModelState(d, setup.backend, this.stateful, () => this.pullStep());
    const o = stackOffsets(d);
    // Counted in float64 before allocating: a claim beyond MAX_PARAMS is refused, not attempted.
    if (!(o.size <= MAX_PARAMS)) throw new ConfigError('layers', `${o.size} parameters`, `at most ${MAX_PARAMS} parameters in all (${MAX_PARAMS * 4 / 2 ** 20} MiB)`);
    this.params = new Float32Array(o.size);
    this.grads = new Float32Array(o.size);
    setup.init(this.params, o);
  }

  /** Where the first layer's and the head's weights sit in the flat params. */
  protected layerOffsets(): { kernel: number; recurrentKernel: number; bias: number; head: number; headBias: number } {
    const o = stackOffsets(this.dims);
    return { ...o.layers[0]!, head: o.head, headBias: o.headBias };
  }

  /** Output width of the top layer (the head's input width). */
  protected get top(): number {
    return layerWidth(this.layers[this.layers.length - 1]!);
  }

  /** Output steps for T input steps: T (a decoder's n) with returnSequences, else 1. */
  outputSteps(T: number): number {
    return outputSteps(this.dims, T);
  }

  /** Refuse what needs one step at a time from a stack that needs whole sequences (repeatVector, bidirectional). */
  private stepwise(what: string): void {
    if (wired(this.dims)) throw new ConfigError(what, 'a model with repeatVector or bidirectional layers', 'a model without them: those layers need the whole sequence before their first output (use predict)');
  }

  /** The weights by name (copies) of a flat parameter array of this model's layout. */
  abstract weightsOf(params: Float32Array): W;

  /** Set any weights by name (flat or as rows, finite in float32); nothing changes unless every given weight is valid. */
  abstract setWeights(w: WIn): void;

  /** The model as plain JSON; the face's `fromJSON` restores it exactly. */
  abstract toJSON(): J;

  /** Copies of the weights by name; later training does not change them. */
  get weights(): W {
    return this.weightsOf(this.params);
  }

  /** The gradients from the last `lossAndGrad`, by name, as copies. */
  get gradients(): W {
    return this.weightsOf(this.grads);
  }

  /**
   * Outputs in the shape the inputs came in: nested `[samples][steps][inputs]` (bare or as `{ x }`) gives
   * nested `[samples][outputSize]` (`[samples][steps][outputSize]` with returnSequences); a typed
   * `{ data, shape }` (bare or as `{ x }`) gives `{ data, shape }` batch-major; time-major Sequences or
   * `{ x, samples, steps }` give time-major f32[Tout][samples][outputSize] (Tout = `outputSteps(steps)`: the steps, or a decoder's, with returnSequences; else 1).
   */
  predict(input: NestedInputs | (ArrayData & { readonly x: NestedInputs }), options?: PredictOptions): number[][] | number[][][];
  predict(input: ShapedInput | (ArrayData & { readonly x: ShapedInput }), options?: PredictOptions): Shaped;
  predict(input: Pick<Sequences, 'x' | 'samples' | 'steps'> | Sequences | PlacedData, options?: PredictOptions): Float32Array;
  predict(input: RNNInputs | Sequences | PlacedData | ArrayData | ShapedInput, options?: PredictOptions): Float32Array | number[][] | number[][][] | Shaped;
  predict(input: RNNInputs | Sequences | PlacedData | ArrayData | ShapedInput, options: PredictOptions = {}): Float32Array | number[][] | number[][][] | Shaped {
    this.holdings.check();
    checkKeys('predict options', options, ['initialState']);
    const arrays = predictInputs(input);
    if (!arrays) return this.predictTimeMajor(input as Sequences | PlacedData, options);
    const d = toSequences(arrays.data, { inputSize: this.inputSize, outputSize: this.outputSize, perStep: this.returnSequences }, arrays.names);
    return fromTimeMajor(this.predictTimeMajor(d, options), d.samples, outputSteps(this.dims, d.steps), this.outputSize, this.returnSequences, arrays.form);
  }

  private predictTimeMajor(input: Pick<Sequences, 'x' | 'samples' | 'steps'> | Sequences | PlacedData, options: PredictOptions): Float32Array {
    const own = input instanceof Placement;
    const data = own ? undefined : this.inputs(input as RNNInputs);
    if (data) checkSequences(data, 'data', false);
    // The inputs are judged in float32 (1e39 is Infinity there); the targets are zeros standing in.
    if (data) checkFinite32('data.x', data.x);
    if (data) (this.checkTokens(data), this.refuseWiredMask(data));
    const { samples, steps } = own ? (input as PlacedData) : data!;
    // Batches bounded so the scratch stays near 64 MB whatever the steps and sizes.
    const perSample = planFloats(stackPlan(this.dims, 1, steps)) + outputSteps(this.dims, steps) * this.outputSize + 2 * steps * (this.embedding?.dim ?? 0);
    if (options.initialState !== undefined && wired(this.dims)) throw new ConfigError('initialState', 'given', 'undefined: repeatVector and bidirectional layers take no initial state');
    const flow = this.memory.callFlow(samples, options.initialState, this.params);
    // Streams run as one batch: row j of the states is sample j.
    const B = flow ? samples : Math.max(1, Math.min(samples, 1024, Math.floor(2 ** 24 / perSample)));
    const placed = own ? this.owned(input as PlacedData) : this.placeChecked(data!);
    try {
      if (flow) this.memory.refuseThreads(placed.backend);
      const work = this.workspace(placed, B, 'data.steps');
      let y: Float32Array;
      try {
        y = work.forward(this.params, flow);
      } finally {
        work.dispose();
      }
      const bad = y.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw new NumericError(`the outputs are not finite in float32 (output ${bad} is ${y[bad]}): check the inputs and weights`, 'outputs', y[bad]);
      return y;
    } finally {
      if (!own) placed.dispose();
    }
  }

  /**
   * Feed one step to each of several independent streams and return their outputs f32[streams][O]
   * (a buffer this model reuses: copy what you keep). x is [streams][inputSize], flat or as rows; the
   * state carries over between calls until `resetState`, and a different number of streams starts afresh.
   * On the wasm backend a step from a flat array allocates nothing.
   */
  step(x: ArrayLike<number> | ArrayLike<ArrayLike<number>>): Float32Array {
    this.holdings.check();
    this.stepwise('step');
    const I = this.inputSize;
    let flat: ArrayLike<number>;
    // A typed array is flat: its x[0] is never read here, since that read boxes a double at a site that has seen rows.
    const typed = x instanceof Float32Array;
    if (!typed && x !== null && typeof x === 'object' && x.length > 0 && typeof x[0] === 'object') {
      const rows = x as ArrayLike<ArrayLike<number>>;
      if (this.stepInput.length !== rows.length * I) this.stepInput = new Float32Array(rows.length * I);
      for (let s = 0; s < rows.length; s++) {
        const row = rows[s]!;
        if (row?.length !== I) throw new ShapeError(`x[${s}]`, row, `have length ${I} (inputSize)`, `length ${row?.length}`);
        for (let i = 0; i < I; i++) this.stepInput[s * I + i] = row[i]!;
      }
      flat = this.stepInput;
    } else flat = x as ArrayLike<number>;
    if (flat === null || typeof flat !== 'object' || !(flat.length >= I) || flat.length % I !== 0) throw new ShapeError('x', x, `be [streams][${I}] values, flat or as rows`);
    // A Float32Array's own check reads it at one monomorphic site: no value is boxed, nothing allocated.
    if (flat instanceof Float32Array) checkFinite32('x', flat);
    else checkValues('x', flat);
    if (this.embedding) checkIds('x', flat, flat.length, 1, this.embedding.vocab);
    return this.stepperFor(flat.length / I).step(flat, 0, this.params);
  }

  /**
   * Start the model's state afresh (zeros, or the learned initial state): of one stream, or of all
   * (then any number of streams may start). The state is the one `step` and a stateful model's
   * `predict` and training carry.
   */
  resetState(stream?: number): void {
    this.holdings.check();
    this.pullStep();
    const m = this.memory;
    // Judged alike before and after the first step: with no stream carried yet, no index names one.
    if (stream !== undefined && !m.rows) throw new ConfigError('stream', stream, 'undefined: no stream has stepped yet');
    if (!m.rows) return;
    if (stream === undefined) m.rows = undefined;
    else {
      checkInteger('stream', stream, 0, m.streams - 1);
      const fresh = m.fresh(1, this.params);
      m.rows.h.forEach((h, i) => h.set(fresh.h[i]!, stream * this.layers[i]!.units));
      m.rows.c.forEach((c, i) => c?.set(fresh.c[i]!, stream * this.layers[i]!.units));
    }
  }

  /** Copies of the state each layer carries for every stream ([streams][units], and c for cells with a cell state), or undefined when none is carried. */
  get state(): LayerState[] | undefined {
    this.holdings.check();
    this.pullStep();
    return this.memory.rows && stateCopy(this.memory.rows);
  }

  /** Set the state every layer carries ([streams][units] per layer, and c for cells with a cell state), for `step` and a stateful model's next call. */
  setState(state: LayerStateInput[]): void {
    this.holdings.check();
    checkNotTraining(this, 'setState');
    const { rows, streams } = readState('state', state, this.dims, this.backend);
    this.stepperOwns = false;
    [this.memory.rows, this.memory.streams] = [rows, streams];
  }

  /**
   * Feed `context` (f32[T][inputSize], flat or as rows) to a fresh state, then feed each output back
   * as the next input for `steps` steps: f32[steps][outputSize]. Needs inputSize = outputSize (a
   * single series, or several series forecast together); leaves `step`'s state alone.
   */
  forecast(context: ArrayLike<number> | ArrayLike<ArrayLike<number>>, steps: number): Float32Array {
    this.holdings.check();
    this.stepwise('forecast');
    const I = this.inputSize, O = this.outputSize;
    if (I !== O) throw new ConfigError('forecast', `inputSize ${I}, outputSize ${O}`, 'a model whose outputs are its next inputs (inputSize = outputSize)');
    checkInteger('steps', steps, 1);
    // The forecast is one Float32Array: at most 1 GiB, checked before any step is run.
    byteSize('steps', steps, [steps, O, 4], { cap: 2 ** 30, capReason: '1 GiB of float32 forecasts' });
    const rows = context !== null && typeof context === 'object' && context.length > 0 && typeof context[0] === 'object';
    const flat = rows ? flatten('context', context, context.length, I) : flatten('context', context, Math.floor((context?.length ?? 0) / I), I);
    if (flat.length < I) throw new ShapeError('context', context, `have at least one step of ${I} values`);
    const stepper = BACKEND[this.backend].stepper(this.dims, 1, this.params.length);
    this.holdings.add(stepper);
    try {
      if (this.learnInitialState) stepper.state(this.memory.fresh(1, this.params), true);
      const out = new Float32Array(steps * O);
      let y = stepper.out;
      for (let k = 0; k < flat.length / I; k++) y = stepper.step(flat, k * I, this.params);
      for (let s = 0; s < steps; s++) {
        out.set(y, s * O);
        if (s + 1 < steps) y = stepper.step(out, s * O, this.params);
      }
      const bad = out.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw new NumericError(`the forecast is not finite in float32 (value ${bad} is ${out[bad]})`, 'forecast', out[bad]);
      return out;
    } finally {
      this.release(stepper);
    }
  }

  /** The loss and its named gradients for a data set, in one fused pass. */
  lossAndGrad(
    data: Sequences | PlacedData,
    loss: ElmanLossName = this.defaultLoss,
  ): {
    /** The loss at the current weights. */
    loss: number;
    /** ∂loss/∂weights by name (copies). */
    grads: W;
  } {
    const b = this.bind(data, { loss });
    let value: number;
    try {
      value = b.lossAndGrad(0);
    } finally {
      b.dispose();
    }
    if (!Number.isFinite(Math.fround(value)) || !this.grads.every(Number.isFinite)) {
      throw new NumericError('the loss or its gradient overflowed float32: the weights are too large for this data', 'loss', value);
    }
    return { loss: value, grads: this.gradients };
  }

  /** The loss in float64 at arbitrary parameters, without touching the model (for gradCheck). */
  lossAt(params: ArrayLike<number>, data: Sequences, loss: ElmanLossName = this.defaultLoss): number {
    this.holdings.check();
    this.checkData(data);
    checkValues('params', params);
    if (params.length !== this.params.length) throw new ShapeError('params', params, `have length ${this.params.length}`, `length ${params.length}`);
    const kind = this.lossFor(loss, data.outputSize);
    const { samples: n, steps: T } = data;
    // The float64 reference runs the whole data set at once: its scratch is sized in 64 bits before it is allocated.
    byteSize('data', `${n} samples × ${T} steps`, [Math.min(JsStack.floats(this.dims, n, T), Number.MAX_SAFE_INTEGER), 8], { cap: 2 ** 31, capReason: LOSS_AT_CAP });
    const { mask: m, sw } = weightingOf(data);
    const view = { x: data.x, x0: 0, xs: n * this.inputSize, t: data.targets, t0: 0, ts: n * data.outputSize, B: n, T, ...((m || sw) && { weights: { m, m0: 0, ms: n, sw, sw0: 0 } }) };
    return new JsStack(this.dims, n, T).lossGrad(view, kind, lossScale(kind, n, outputSteps(this.dims, T), this.outputSize), 0, params, null, this.memory.referenceFlow(n, params));
  }

  /** Validate a data set (Sequences, or nested / typed arrays `{ x, y }`) and copy it into this model's backend once, for any number of `train` calls. */
  place(data: DataInput): PlacedData {
    this.holdings.check();
    const seqs = sequencesOf(data) as Sequences;
    this.checkData(seqs);
    return this.placeChecked(seqs);
  }

  /**
   * Validate a data set and copy it once into memory shared by `threads` threads (where they run:
   * see ThreadOptions): each mini-batch's samples in at most 8 blocks of whole fours fixed
   * by the batch size, every layer's forward and backward and the head's loss run per block into
   * the block's own gradient buffer, the blocks summed in block order in f64 and rounded once: every
   * thread count gives the same bits. 'auto' takes 2 threads from 2^21 multiply-adds per sweep
   * (samples × steps × Σ gates × units × (inputs + units)). Its `dispose`, or the model's, stops the workers.
   */
  async placeThreaded(data: Sequences, options: ThreadOptions = {}): Promise<PlacedData> {
    this.holdings.check();
    if (this.embedding) throw new ConfigError('placeThreaded', 'a model with an embedding', 'a model without one: token inputs train on one thread (model.place) for now');
    const offsets = stackOffsets(this.dims).layers, whole = wired(this.dims);
    // RepeatVector and Bidirectional run on the calling thread: 'auto' picks one, a count is refused.
    if (whole && plainObject(options) && options.threads !== undefined && options.threads !== 'auto') {
      throw new ConfigError('threads', options.threads, "'auto' (one thread): repeatVector and bidirectional layers do not run on threads");
    }
    return placeOnThreads<WasmPlaced, PlacedData>({
      options,
      backend: this.backend,
      checkData: () => {
        this.checkData(data);
        refuseWeighting(data);
      },
      work: () => whole ? 0 : data.samples * data.steps * this.layers.reduce((sum, l, i) => sum + CELL_SPECS[l.cell].gates * l.units * (offsets[i]!.inputs + l.units), 0),
      autoFrom: BATCH_AUTO_MIN_WORK,
      ordinary: () => this.placeChecked(data),
      start: async (threads) => (await import('../backends/threads/placed.js')).threadedPlaced(data, { I: this.inputSize, O: data.outputSize }, threads),
      data,
      owner: this,
      holdings: this.holdings,
    });
  }

  /** Bind placed data (or a data set, placed for the binding's lifetime) to a loss and a batch schedule. */
  bind(data: PlacedData | Sequences, options: BindOptions<ElmanLossName> = {}): BatchBinding {
    this.holdings.check();
    checkKeys('bind options', options, ['loss', 'batchSize', 'truncate', 'initialState']);
    if (options.truncate !== undefined && wired(this.dims)) throw new ConfigError('truncate', options.truncate, 'unset: repeatVector and bidirectional layers need the whole sequence');
    const own = data instanceof Placement;
    const placement = own ? this.owned(data as PlacedData) : undefined;
    const kind = this.lossFor(options.loss ?? this.defaultLoss, placement ? placement.backend!.d.O : (data as Sequences)?.outputSize);
    if (!own) this.checkData(data as Sequences);
    const plan = schedule(options, data.samples, data.steps);
    if (own) this.memory.refuseThreads((data as Placement<Placed>).backend);
    this.memory.checkStreams(plan.B, data.samples);
    const { given, carried } = this.givenStarts(options.initialState, data, plan.B);
    const placed = placement ?? this.placeChecked(data as Sequences);
    const outSteps = outputSteps(this.dims, data.steps);
    const binding = batchBinding({
      placed,
      owns: !own,
      plan,
      work: () => this.workspace(placed, plan.B, 'batchSize'),
      kind,
      scale: (b) => Math.fround(lossScale(kind, b, outSteps, this.outputSize)),
      params: this.params,
      grads: this.grads,
      check: () => this.holdings.check(),
      holdings: this.holdings,
      states: given ? (b) => ({ flow: given.flow(b) }) : this.stateful || this.learnInitialState ? (b) => this.memory.batchFlow(b, this.params) : undefined,
      // A stateful model's batches continue its streams in order (Keras: shuffle=False).
      reorders: !this.stateful,
      // A learned initial state's gradient is summed in TypeScript after each batch; given rows follow `lossAndGrad`'s batch index.
      inCore: !this.learnInitialState && !given,
    });
    // Once bound: a binding that failed leaves the carried state as it was.
    if (carried) [this.memory.rows, this.memory.streams] = [carried, plan.B];
    return given ? given.follow(binding, plan.B) : binding;
  }

  /**
   * A binding's given initial state, checked before anything is placed: a stateful model's streams
   * start from it ([batchSize][units] per layer, replacing the carried state, as predict's does); a
   * stateless model's samples start from their own row ([samples][units]) or all from one ([1][units]).
   */
  private givenStarts(value: unknown, data: PlacedData | Sequences, B: number): { given?: GivenStarts; carried?: StateRows } {
    if (value === undefined) return {};
    if (wired(this.dims)) throw new ConfigError('initialState', 'given', 'undefined: repeatVector and bidirectional layers take no initial state');
    if (this.learnInitialState) throw new ConfigError('initialState', 'given', 'undefined: a model that learns its initial state (learnInitialState) trains from that one');
    if (data instanceof Placement && (data.backend as { threads?: number } | undefined)?.threads !== undefined) {
      throw new ConfigError('data', 'threaded placement', 'data placed with model.place(): training from a given initial state runs on one thread');
    }
    if (this.stateful) {
      this.pullStep();
      return { carried: readState('initialState', value, this.dims, this.backend, B).rows };
    }
    const { rows, streams } = readState('initialState', value, this.dims, this.backend);
    if (streams !== 1 && streams !== data.samples) throw new ShapeError('initialState[0].h', value, `have ${data.samples} rows (one per sample) or 1 (for every sample)`, `${streams} rows`);
    return { given: new GivenStarts(rows, streams > 1, this.dims, this.backend, B) };
  }


  /** Free every backend buffer this model holds; any further use throws DisposedError. */
  dispose(): void {
    this.stepper = undefined;
    this.holdings.disposeAll();
  }

  /** Same as `dispose`, for `using`. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** The stepper for `streams` streams, holding the model's state (a stateless model's other count starts afresh). */
  private stepperFor(streams: number): Stepper {
    const m = this.memory;
    if (this.stepper?.streams !== streams) {
      this.pullStep();
      if (this.stepper) this.release(this.stepper);
      this.stepper = undefined;
      if (!this.stateful && m.streams !== streams) m.rows = undefined;
      m.carry(streams, this.params, 'x');
      const stepper = BACKEND[this.backend].stepper(this.dims, streams, this.params.length);
      this.holdings.add(stepper);
      this.stepper = stepper;
    }
    if (!this.stepperOwns) {
      this.stepper.state(m.carry(streams, this.params, 'x'), true);
      this.stepperOwns = true;
    }
    return this.stepper;
  }

  /** Take the state back from the stepper when its copy is the newer one. */
  private pullStep(): void {
    if (!this.stepperOwns) return;
    this.stepperOwns = false;
    if (this.stepper && this.memory.rows) this.stepper.state(this.memory.rows, false);
  }

  private release(k: { dispose(): void }): void {
    k.dispose();
    this.holdings.forget(k);
  }

  /** Time-major Sequences (zero targets) from time-major inputs. */
  private inputs(input: RNNInputs | Sequences): Sequences {
    const I = this.inputSize;
    if (plainObject(input) && 'x' in input) {
      const s = input as Sequences;
      if (s.inputSize !== undefined && s.inputSize !== I) throw new ShapeError('data.inputSize', s.inputSize, `be ${I} (the model's inputSize)`);
      const samples = checkInteger('data.samples', s.samples, 1), steps = checkInteger('data.steps', s.steps, 1);
      // The inputs' length first, in 64 bits: a claim of 2^33 samples allocates nothing.
      const xLength = byteSize('data.samples', samples, [steps, samples, I, 4], { kind: 'shape' }) / 4;
      if (!(s.x instanceof Float32Array) || s.x.length !== xLength) throw new ShapeError('data.x', s.x, `be a Float32Array of length ${xLength} (steps ${steps} × samples ${samples} × inputSize ${I})`);
      // Lengths or a mask hold the states of padded steps when predicting too; weights are checked, then unused.
      const held = { ...(s.lengths !== undefined && { lengths: s.lengths }), ...(s.mask !== undefined && { mask: s.mask }), ...(s.sampleWeights !== undefined && { sampleWeights: s.sampleWeights }) };
      return { ...this.noTargets(samples, steps, s.x), ...held };
    }
    throw new ConfigError('data', input, 'nested [samples][steps][inputSize] arrays, { x, y } of nested or typed arrays, a { data, shape } typed array, or time-major { x, samples, steps }');
  }

  /** Sequences of inputs x with zero targets of the model's output shape standing in. */
  private noTargets(samples: number, steps: number, x: Float32Array): Sequences {
    const outSteps = outputSteps(this.dims, steps);
    const targets = new Float32Array(byteSize('data', `${samples} samples × ${outSteps} output steps`, [outSteps, samples, this.outputSize, 4], { kind: 'shape' }) / 4);
    return { samples, steps, inputSize: this.inputSize, outputSize: this.outputSize, x, targets, targetsPerStep: this.returnSequences, ...(outSteps !== steps && this.returnSequences && { outputSteps: outSteps }) };
  }

  private checkData(data: Sequences): void {
    checkSequences(data, 'data');
    if (data.inputSize !== this.inputSize) throw new ShapeError('data.inputSize', data.inputSize, `be ${this.inputSize} (the model's inputSize)`);
    if (data.outputSize !== this.outputSize && data.outputSize !== 1) throw new ShapeError('data.outputSize', data.outputSize, `be ${this.outputSize} (the model's outputSize), or 1 for class-id targets (sparseCce)`);
    if (Boolean(data.targetsPerStep) !== this.returnSequences) {
      throw new ShapeError('data.targetsPerStep', data.targetsPerStep, this.returnSequences ? 'be true: returnSequences needs a target per step' : 'be false: the model outputs only at the last step');
    }
    const outSteps = outputSteps(this.dims, data.steps);
    if (this.returnSequences && (data.outputSteps ?? data.steps) !== outSteps) {
      throw new ShapeError('data.outputSteps', data.outputSteps, `be ${outSteps === data.steps ? `${outSteps} or unset (the steps)` : `${outSteps} (the decoder's steps: targets [${outSteps}][samples][${this.outputSize}])`}`);
    }
    this.checkTokens(data);
    this.refuseWiredMask(data);
  }

  /** A step mask does not reach a RepeatVector's decoder steps, and Keras reverses a masked sequence per sample for Bidirectional: both refused. */
  private refuseWiredMask(data: Pick<Sequences, 'mask' | 'lengths'>): void {
    if (!wired(this.dims)) return;
    for (const name of ['mask', 'lengths'] as const) {
      if (data[name] !== undefined) throw new ConfigError(`data.${name}`, 'given', 'unset: a model with repeatVector or bidirectional layers takes no step mask (sampleWeights work)');
    }
  }

  /** Token ids in (with an embedding) and class-id targets (one a row, for a wider head) are integers in [0, vocab) and [0, outputSize). */
  private checkTokens(data: Pick<Sequences, 'x' | 'samples'> & Partial<Pick<Sequences, 'targets' | 'outputSize'>>): void {
    if (this.embedding) checkIds('data.x', data.x, data.samples, 1, this.embedding.vocab);
    if (data.targets && data.outputSize === 1 && this.outputSize > 1) checkIds('data.targets', data.targets, data.samples, 1, this.outputSize);
  }

  /** A loss by name, checked against the output activation and against targets `width` values wide (1: class ids). */
  private lossFor(loss: unknown, width: unknown): LossSpec {
    const kind = lossSpec(loss, this.outputActivation);
    if (typeof width === 'number' && width !== targetWidth(kind, this.outputSize)) {
      throw new ShapeError('data.outputSize', width, kind.sparse ? `be 1 for ${String(loss)}: one class id per target` : `be ${this.outputSize} for ${String(loss)} (the model's outputSize); class ids (outputSize 1) need sparseCce`);
    }
    return kind;
  }

  private owned(p: PlacedData): Placement<Placed> {
    if (p.owner !== this) throw new ConfigError('data', 'placed data', 'placed by this model (model.place(data))');
    if (!p.live) throw new DisposedError('placed data');
    return p as unknown as Placement<Placed>;
  }

  private placeChecked(data: Sequences): Placement<Placed> {
    // The placed targets' width is the data's: O values a row, or one class id (sparse losses).
    const backend = BACKEND[this.backend].place(data, { I: this.inputSize, O: data.outputSize });
    return holdPlacement<Placed>(this.holdings, this, backend, data);
  }

  /** Scratch for batches of up to B samples, its size checked (in float64) before anything is allocated. */
  private workspace(placed: Placement<Placed>, B: number, argument: string): Work {
    const T = placed.steps;
    // Every layer's states, scratch, dh and wiring (src/stack-wiring.ts), the embedding's vectors and gradients, then the head's outputs and Woᵀ.
    const floats = planFloats(stackPlan(this.dims, B, T)) + 64 * this.layers.length + outputSteps(this.dims, T) * B * this.outputSize + 2 * T * B * (this.embedding?.dim ?? 0) + this.top * this.outputSize + 64;
    if (!(floats * 4 <= MAX_SCRATCH_BYTES)) {
      throw new ConfigError(argument, argument === 'batchSize' ? B : T, `small enough for the scratch (${Math.ceil((floats * 4) / 2 ** 20)} MiB for batch ${B} × ${T} steps) to fit in ${MAX_SCRATCH_BYTES / 2 ** 30} GiB`);
    }
    const backend = placed.backend!;
    if (backend.stackWork) return backend.stackWork(this.dims, B, this.params.length, argument);
    return BACKEND[this.backend].work(backend, this.dims, B, this.params.length, argument);
  }
}

/** Threaded placements run unmasked, unweighted data only: their per-block loss kernels do not see a mask (a typed refusal, not other bits). */
function refuseWeighting(data: Sequences): void {
  for (const key of ['lengths', 'mask', 'sampleWeights'] as const) {
    if (data[key] !== undefined) throw new ConfigError(`data.${key}`, data[key], 'absent on a threaded placement (masks and sample weights run on one thread: use place)');
  }
}
