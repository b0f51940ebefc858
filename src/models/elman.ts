import { checkBackend, type BackendName } from '../backends/backend.js';
import { JsElman, type JsElmanWork } from '../backends/js/elman-bound.js';
import { elmanLossGrad, elmanScratch, paramOffsets } from '../backends/js/elman.js';
import { byteSize, LOSS_AT_CAP } from '../sizes.js';
import { WasmElman, type WasmElmanWork } from '../backends/wasm/elman.js';
import { checkInputs, checkInteger, checkSequences, checkValues, type Inputs, type Sequences } from '../data/sequences.js';
import { ConfigError, DisposedError, NumericError, ShapeError } from '../errors.js';
import { RandomState } from '../random.js';
import { ACTIVATIONS, OUTPUT_ACTIVATIONS, type Activation, type ElmanDims, type ElmanLossName, type OutputActivation } from '../types.js';
import { Holdings } from './bindings.js';
import { ELMAN_LOSSES, elmanLoss } from './elman-losses.js';
import { initialize, INITIALIZERS, type Initializer } from './init.js';
import { checkNotTraining, holdPlacement, Placement, type BindOptions, type PlacedData, type Trainable } from './model.js';
import { checkKeys, loadOptions, strictKeys } from './options.js';
import { batchBinding, schedule, type BatchBinding } from './batches.js';
import { flatten, oneOf, plainObject } from './weights.js';
import { placeOnThreads, type ThreadOptions } from './threaded.js';
import { BATCH_AUTO_MIN_WORK } from '../backends/threads/support.js';

export { ACTIVATIONS, OUTPUT_ACTIVATIONS };

/**
 * Options of `new ElmanRNN`; sizes are required, the rest default as Keras' SimpleRNN + Dense do.
 * @category Models
 */
export interface ElmanRNNOptions {
  /** Inputs per step, an integer in [1, 4096]. */
  inputSize: number;
  /** Hidden units, an integer in [1, 4096]. */
  hiddenSize: number;
  /** Outputs per step, an integer in [1, 4096]. */
  outputSize: number;
  /** Hidden activation (default 'tanh'). */
  activation?: Activation;
  /** Output activation (default 'linear'). */
  outputActivation?: OutputActivation;
  /** An output at every step (many-to-many) instead of only at the last (default false). */
  returnSequences?: boolean;
  /** Seed of the RandomState the initial weights are drawn from (default 0). */
  seed?: number;
  /** Initialiser of `kernel` and `outputKernel` (default 'glorotUniform'). */
  kernelInitializer?: Initializer;
  /** Initialiser of `recurrentKernel` (default 'orthogonal'). */
  recurrentInitializer?: Initializer;
  /** Where the loops run: 'wasm' (default, needs `await init()`) or 'js'. */
  backend?: BackendName;
}

/**
 * The weights by name, in the layout of Keras/TF.js SimpleRNN + Dense, row-major float32 copies.
 * @category Models
 */
export interface ElmanWeights {
  /** [inputSize][hiddenSize] */
  kernel: Float32Array;
  /** [hiddenSize][hiddenSize] */
  recurrentKernel: Float32Array;
  /** [hiddenSize] */
  bias: Float32Array;
  /** [hiddenSize][outputSize] */
  outputKernel: Float32Array;
  /** [outputSize] */
  outputBias: Float32Array;
}

/**
 * The names of the weights, in the order they sit in `params`.
 * @category Models
 */
export const ELMAN_WEIGHT_NAMES = ['kernel', 'recurrentKernel', 'bias', 'outputKernel', 'outputBias'] as const;

/** Options of `bind`: the loss, mini-batch size (default: all samples) and a truncated-BPTT window in steps (default: none). */
export type ElmanBindOptions = BindOptions<ElmanLossName>;

/** Data bound to an ElmanRNN: `lossAndGrad(i)` runs mini-batch i (of `batches`) in one call into the backend. */
export type ElmanBound = BatchBinding;

/** What each backend offers the Elman network: data placed once, workspaces per binding. */
interface ElmanBackend {
  /** Capability: threads each batch runs on, when more than the calling one may. */
  readonly threads?: number;
  shuffle(order: Uint32Array | null): void;
  workspace(maxBatch: number, P: number, argument: string): Workspace;
  dispose(): void;
}
type Workspace = WasmElmanWork | JsElmanWork;

const BACKEND: Record<BackendName, (data: Sequences, d: ElmanDims) => ElmanBackend> = {
  wasm: (data, d) => new WasmElman(data, d),
  js: (data, d) => new JsElman(data, d),
};

/**
 * The saved form of an ElmanRNN: `toJSON()` output, read back exactly by `ElmanRNN.fromJSON`.
 * @category Models
 */
export interface ElmanJSON {
  /** Identifies the object as a saved ElmanRNN. */
  format: 'elman.ElmanRNN';
  /** Layout version of this form. */
  version: 1;
  /** The model's shape, as its options give it. */
  config: {
    /** Inputs per step. */
    inputSize: number;
    /** Hidden units. */
    hiddenSize: number;
    /** Outputs per step. */
    outputSize: number;
    /** Hidden activation. */
    activation: Activation;
    /** Output activation. */
    outputActivation: OutputActivation;
    /** Output at every step, or at the last only. */
    returnSequences: boolean;
  };
  /** Each weight by name, flat and row-major as in ElmanWeights. */
  weights: Record<(typeof ELMAN_WEIGHT_NAMES)[number], number[]>;
}

/**
 * The simple recurrent network (Elman net): `h[k] = act(x[k]·kernel + h[k-1]·recurrentKernel + bias)`,
 * `y = outAct(h·outputKernel + outputBias)` at every step or the last. Parameters are one flat
 * Float32Array `[kernel | recurrentKernel | bias | outputKernel | outputBias]`.
 * @example
 * ```ts
 * import { init, ElmanRNN, RandomState, binaryAddition, rmsprop, train, accuracy } from 'elman-rnn';
 *
 * await init();
 * const data = binaryAddition({ samples: 500, bits: 8, rng: new RandomState(2) });   // a sum bit per step
 * const model = new ElmanRNN({ inputSize: 2, hiddenSize: 8, outputSize: 1, outputActivation: 'sigmoid', returnSequences: true, seed: 2 });
 * await train(model, data, { optimizer: rmsprop({ lr: 0.05 }), loss: 'bce', epochs: 20, batchSize: 50 });
 * console.log(accuracy(model.predict(data), data, 'threshold'));                      // { perValue, perSequence }
 * model.dispose();
 * ```
 * @category Models
 */
export class ElmanRNN implements Trainable<ElmanWeights, ElmanLossName> {
  /** Inputs per step. */
  readonly inputSize: number;
  /** Hidden units. */
  readonly hiddenSize: number;
  /** Outputs per step. */
  readonly outputSize: number;
  /** Hidden activation. */
  readonly activation: Activation;
  /** Output activation. */
  readonly outputActivation: OutputActivation;
  /** True when the model outputs at every step, false for the last step only. */
  readonly returnSequences: boolean;
  /** Where the loops run. */
  readonly backend: BackendName;
  /** Flat float32 parameters; optimizers update them in place. */
  readonly params: Float32Array;
  /** ∂L/∂params from the last `lossAndGrad`, same layout as `params`. */
  readonly grads: Float32Array;
  readonly losses = ELMAN_LOSSES;
  /** The loss used when none is given: 'mse'. */
  readonly defaultLoss: ElmanLossName = 'mse';
  private readonly dims: ElmanDims;
  private readonly holdings = new Holdings<Placement<ElmanBackend>>('ElmanRNN');

  constructor(options: ElmanRNNOptions) {
    if (typeof options !== 'object' || options === null) throw new ConfigError('options', options, 'an object { inputSize, hiddenSize, outputSize, ... }');
    checkKeys('options', options, ['inputSize', 'hiddenSize', 'outputSize', 'activation', 'outputActivation', 'returnSequences', 'seed', 'kernelInitializer', 'recurrentInitializer', 'backend']);
    const I = checkInteger('inputSize', options.inputSize, 1, 4096);
    const H = checkInteger('hiddenSize', options.hiddenSize, 1, 4096);
    const O = checkInteger('outputSize', options.outputSize, 1, 4096);
    this.activation = oneOf('activation', options.activation ?? 'tanh', ACTIVATIONS);
    this.outputActivation = oneOf('outputActivation', options.outputActivation ?? 'linear', OUTPUT_ACTIVATIONS);
    if (options.returnSequences !== undefined && typeof options.returnSequences !== 'boolean') throw new ConfigError('returnSequences', options.returnSequences, 'a boolean');
    this.returnSequences = options.returnSequences ?? false;
    this.backend = checkBackend(options.backend);
    [this.inputSize, this.hiddenSize, this.outputSize] = [I, H, O];
    this.dims = { I, H, O, act: this.activation, outAct: this.outputActivation, seq: this.returnSequences };
    const size = paramOffsets(I, H, O).size;
    this.params = new Float32Array(size);
    this.grads = new Float32Array(size);
    const kInit = oneOf('kernelInitializer', options.kernelInitializer ?? 'glorotUniform', INITIALIZERS);
    const rInit = oneOf('recurrentInitializer', options.recurrentInitializer ?? 'orthogonal', INITIALIZERS);
    const rng = new RandomState(options.seed ?? 0);
    // Drawn in this order from one stream: kernel, recurrentKernel, outputKernel; biases start at 0.
    const o = paramOffsets(I, H, O);
    this.params.set(initialize(kInit, rng, I, H), o.K);
    this.params.set(initialize(rInit, rng, H, H), o.R);
    this.params.set(initialize(kInit, rng, H, O), o.Wo);
  }

  /** The shape [rows, cols] of each named weight (vectors have rows = 1). */
  get shapes(): Record<(typeof ELMAN_WEIGHT_NAMES)[number], [number, number]> {
    const { inputSize: I, hiddenSize: H, outputSize: O } = this;
    return { kernel: [I, H], recurrentKernel: [H, H], bias: [1, H], outputKernel: [H, O], outputBias: [1, O] };
  }

  /** Copies of the weights by name (Keras layout); later training does not change them. */
  get weights(): ElmanWeights {
    return this.named(this.params);
  }

  /** The weights by name (copies) of a flat parameter array of this model's layout. */
  weightsOf(params: Float32Array): ElmanWeights {
    return this.named(params);
  }

  /** Set any of the weights by name; each must have its shape's length (flat or as rows) and finite values. */
  set weights(w: Partial<Record<(typeof ELMAN_WEIGHT_NAMES)[number], ArrayLike<number> | ArrayLike<ArrayLike<number>>>>) {
    this.setWeights(w);
  }

  /** Set any of the weights by name (see `weights`); nothing changes unless every given weight is valid. */
  setWeights(w: Partial<Record<(typeof ELMAN_WEIGHT_NAMES)[number], ArrayLike<number> | ArrayLike<ArrayLike<number>>>>): void {
    checkNotTraining(this, 'setWeights');
    if (typeof w !== 'object' || w === null) throw new ConfigError('weights', w, `an object with some of ${ELMAN_WEIGHT_NAMES.join(', ')}`);
    const offsets = this.offsets();
    const staged: Array<[number, Float32Array]> = [];
    for (const name of Object.keys(w)) {
      if (!(ELMAN_WEIGHT_NAMES as readonly string[]).includes(name)) throw new ConfigError(`weights.${name}`, name, `one of ${ELMAN_WEIGHT_NAMES.join(', ')}`);
      const key = name as (typeof ELMAN_WEIGHT_NAMES)[number];
      const [rows, cols] = this.shapes[key];
      const flat = flatten(`weights.${key}`, w[key]!, rows, cols);
      staged.push([offsets[key], flat]);
    }
    for (const [at, flat] of staged) this.params.set(flat, at);
  }

  /** The gradients from the last `lossAndGrad`, by name, as copies. */
  get gradients(): ElmanWeights {
    return this.named(this.grads);
  }

  /** Outputs, time-major f32[Tout][samples][outputSize] (Tout = steps with returnSequences, else 1). */
  predict(data: Inputs | PlacedData): Float32Array {
    this.holdings.check();
    const own = data instanceof Placement;
    if (!own) {
      const { inputSize } = checkInputs(data as Inputs);
      if (inputSize !== this.inputSize) throw new ShapeError('data.inputSize', inputSize, `be ${this.inputSize} (the model's inputSize)`);
    }
    const { samples, steps } = data;
    // Batches of samples bounded so the scratch stays near 64 MB whatever the steps and sizes.
    const perSample = (2 * steps + 1) * this.hiddenSize + steps * this.outputSize;
    const B = Math.max(1, Math.min(samples, 1024, Math.floor(2 ** 24 / perSample)));
    // Targets play no part in a forward pass: place the inputs with none.
    const placed = own ? this.owned(data) : this.placeChecked({ ...(data as Inputs), outputSize: this.outputSize, targets: NO_TARGETS, targetsPerStep: this.returnSequences });
    try {
      const work = this.workspace(placed, B, 'data.steps');
      let y: Float32Array;
      try {
        y = work.forward(this.params);
      } finally {
        work.dispose();
      }
      const bad = y.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw new NumericError(`the outputs overflowed float32 (output ${bad} is ${y[bad]}): the weights are too large for this data`, 'outputs', y[bad]);
      return y;
    } finally {
      if (!own) placed.dispose();
    }
  }

  /** The loss and its named gradients for a data set, in one fused pass. */
  lossAndGrad(
    data: Sequences | PlacedData,
    loss: ElmanLossName = 'mse',
  ): {
    /** The loss at the current weights. */
    loss: number;
    /** ∂loss/∂weights by name (copies). */
    grads: ElmanWeights;
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
  lossAt(params: ArrayLike<number>, data: Sequences, loss: ElmanLossName = 'mse'): number {
    this.holdings.check();
    this.checkData(data);
    checkValues('params', params);
    if (params.length !== this.params.length) throw new ShapeError('params', params, `have length ${this.params.length}`, `length ${params.length}`);
    const { kind, scale } = elmanLoss(loss, this.outputActivation);
    const { samples: n, steps: T } = data;
    const { I, H, O } = this.dims;
    // The float64 reference's scratch for every sample at once, sized in 64 bits before it is allocated.
    byteSize('data', `${n} samples × ${T} steps`, [Math.min((2 * T + 2) * n * H + T * n * O, Number.MAX_SAFE_INTEGER), 8], { cap: 2 ** 31, capReason: LOSS_AT_CAP });
    const view = { x: data.x, x0: 0, xs: n * I, t: data.targets, t0: 0, ts: n * O, B: n, T };
    return elmanLossGrad(view, this.dims, kind, scale(n, this.returnSequences ? T : 1, O), 0, params, null, elmanScratch(n, T, H, O));
  }

  /** Validate a data set and copy it into this model's backend once, for any number of `train` calls. */
  place(data: Sequences): PlacedData {
    this.holdings.check();
    this.checkData(data);
    return this.placeChecked(data);
  }

  /**
   * Validate a data set and copy it once into memory shared by `threads` threads (where they run:
   * see ThreadOptions). Each mini-batch's samples are cut into blocks fixed by the batch size alone
   * (at most 8, of whole fours), the threads share the blocks, each
   * block's loss (f64) and gradient (f32) go to a buffer of its own, and the core adds them in block
   * order in f64, rounding the gradient once to f32: every thread count gives the same bits. Against
   * `place` the per-sample work is the same but the gradient's f32 sums run in another order: the
   * loss agrees to about 1e-6 relative, each gradient to float32 rounding of its sums. 'auto' takes
   * 2 threads from 2^21 multiply-adds per step's sweep (samples × steps × hidden × (inputs + hidden
   * + outputs)). Its `dispose`, or the model's, stops the workers.
   */
  async placeThreaded(data: Sequences, options: ThreadOptions = {}): Promise<PlacedData> {
    this.holdings.check();
    const { I, H, O } = this.dims;
    return placeOnThreads<ElmanBackend, PlacedData>({
      options,
      backend: this.backend,
      checkData: () => this.checkData(data),
      work: () => data.samples * data.steps * H * (I + H + O),
      autoFrom: BATCH_AUTO_MIN_WORK,
      ordinary: () => this.placeChecked(data),
      start: async (threads) => (await import('../backends/threads/elman.js')).threadedElman(data, this.dims, threads),
      data,
      owner: this,
      holdings: this.holdings,
    });
  }

  /**
   * Bind placed data (or a data set, placed for the binding's lifetime) to a loss and a batch
   * schedule, for repeated `lossAndGrad(batch)` calls at the current params; buffers allocated once.
   */
  bind(data: PlacedData | Sequences, options: ElmanBindOptions = {}): ElmanBound {
    this.holdings.check();
    checkKeys('bind options', options, ['loss', 'batchSize', 'truncate']);
    const { kind, scale } = elmanLoss(options.loss ?? this.defaultLoss, this.outputActivation);
    const own = data instanceof Placement;
    if (!own) this.checkData(data as Sequences);
    const plan = schedule(options, data.samples, data.steps);
    const placed = own ? this.owned(data as Placement<{ dispose(): void }>) : this.placeChecked(data as Sequences);
    const outSteps = this.returnSequences ? data.steps : 1;
    return batchBinding({
      placed,
      owns: !own,
      plan,
      work: () => this.workspace(placed, plan.B, 'batchSize'),
      kind,
      scale: (b) => Math.fround(scale(b, outSteps, this.outputSize)),
      params: this.params,
      grads: this.grads,
      check: () => this.holdings.check(),
      holdings: this.holdings,
    });
  }

  /** The model as plain JSON (format version 1); `ElmanRNN.fromJSON` restores it exactly. */
  toJSON(): ElmanJSON {
    const w = this.weights;
    const weights = {} as ElmanJSON['weights'];
    for (const name of ELMAN_WEIGHT_NAMES) weights[name] = Array.from(w[name]);
    const { inputSize, hiddenSize, outputSize, activation, outputActivation, returnSequences } = this;
    return { format: 'elman.ElmanRNN', version: 1, config: { inputSize, hiddenSize, outputSize, activation, outputActivation, returnSequences }, weights };
  }

  /**
   * Rebuild a model saved by `toJSON`. The file is strict: every config key and every weight is
   * required (a missing one is an error, never a default), unknown keys are refused, and only the
   * documented load option `backend` can be chosen at load; nothing else overrides the saved config.
   */
  static fromJSON(json: ElmanJSON, options: { backend?: BackendName } = {}): ElmanRNN {
    loadOptions(options);
    if (!plainObject(json) || json.format !== 'elman.ElmanRNN') throw new ConfigError('json.format', plainObject(json) ? json.format : json, '"elman.ElmanRNN"');
    if (json.version !== 1) throw new ConfigError('json.version', json.version, '1');
    strictKeys('json', json, ['format', 'version', 'config', 'weights']);
    const config = json.config as Record<string, unknown>;
    if (!plainObject(config)) throw new ConfigError('json.config', config, 'an object');
    // Own keys only, from a closed list and all present: a file cannot smuggle in options or rely on defaults.
    strictKeys('json.config', config, ['inputSize', 'hiddenSize', 'outputSize', 'activation', 'outputActivation', 'returnSequences']);
    const weights = json.weights as Record<string, unknown>;
    if (!plainObject(weights)) throw new ConfigError('json.weights', weights, 'an object');
    strictKeys('json.weights', weights, ELMAN_WEIGHT_NAMES);
    const I = checkInteger('json.config.inputSize', config.inputSize, 1, 4096);
    const H = checkInteger('json.config.hiddenSize', config.hiddenSize, 1, 4096);
    const O = checkInteger('json.config.outputSize', config.outputSize, 1, 4096);
    const activation = oneOf('json.config.activation', config.activation, ACTIVATIONS);
    const outputActivation = oneOf('json.config.outputActivation', config.outputActivation, OUTPUT_ACTIVATIONS);
    if (typeof config.returnSequences !== 'boolean') throw new ConfigError('json.config.returnSequences', config.returnSequences, 'a boolean');
    // Check every array's length against the config before allocating anything for the model.
    const sizes: Record<string, number> = { kernel: I * H, recurrentKernel: H * H, bias: H, outputKernel: H * O, outputBias: O };
    for (const name of ELMAN_WEIGHT_NAMES) {
      const w = weights[name];
      if (!Array.isArray(w)) throw new ConfigError(`json.weights.${name}`, w, `an array of ${sizes[name]} numbers`);
      if (w.length !== sizes[name]) throw new ShapeError(`json.weights.${name}`, w, `have ${sizes[name]} numbers for the config`, `${w.length}`);
    }
    const model = new ElmanRNN({
      inputSize: I, hiddenSize: H, outputSize: O, activation, outputActivation, returnSequences: config.returnSequences,
      kernelInitializer: 'zeros', recurrentInitializer: 'zeros', backend: options.backend,
    });
    model.setWeights(json.weights);
    return model;
  }

  /** Free every backend buffer this model holds; any further use throws DisposedError. */
  dispose(): void {
    this.holdings.disposeAll();
  }

  /** Same as `dispose`, for `using`. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  private named(a: Float32Array): ElmanWeights {
    const o = this.offsets();
    const s = this.shapes;
    const cut = (name: (typeof ELMAN_WEIGHT_NAMES)[number]) => a.slice(o[name], o[name] + s[name][0] * s[name][1]);
    return { kernel: cut('kernel'), recurrentKernel: cut('recurrentKernel'), bias: cut('bias'), outputKernel: cut('outputKernel'), outputBias: cut('outputBias') };
  }

  private offsets(): Record<(typeof ELMAN_WEIGHT_NAMES)[number], number> {
    const o = paramOffsets(this.inputSize, this.hiddenSize, this.outputSize);
    return { kernel: o.K, recurrentKernel: o.R, bias: o.b, outputKernel: o.Wo, outputBias: o.bo };
  }

  private checkData(data: Sequences, withValues = true): void {
    checkSequences(data, 'data', withValues);
    if (data.inputSize !== this.inputSize) throw new ShapeError('data.inputSize', data.inputSize, `be ${this.inputSize} (the model's inputSize)`);
    if (data.outputSize !== this.outputSize) throw new ShapeError('data.outputSize', data.outputSize, `be ${this.outputSize} (the model's outputSize)`);
    if (Boolean(data.targetsPerStep) !== this.returnSequences) {
      throw new ShapeError('data.targetsPerStep', data.targetsPerStep, this.returnSequences ? 'be true: returnSequences needs a target per step' : 'be false: the model outputs only at the last step');
    }
  }

  /** Placed data of this model, alive. */
  private owned(p: Placement<{ dispose(): void }>): Placement<ElmanBackend> {
    if (p.owner !== this) throw new ConfigError('data', 'placed data', 'placed by this model (model.place(data))');
    if (!p.live) throw new DisposedError('placed data');
    return p as unknown as Placement<ElmanBackend>;
  }

  private placeChecked(data: Sequences): Placement<ElmanBackend> {
    const backend = BACKEND[this.backend](data, this.dims);
    return holdPlacement(this.holdings, this, backend, data);
  }

  /** Scratch for batches of up to B samples, its size checked before anything is allocated. */
  private workspace(placed: Placement<ElmanBackend>, B: number, argument: string): Workspace {
    const { steps: T } = placed;
    const { H, O } = this.dims;
    // The larger of the two backends' scratch, in floats, computed in float64: exact far beyond 2^32.
    const floats = (T + 1) * B * H + T * B * H + T * B * O + B * H + H * H + O * H + 16;
    if (!(floats * 4 <= MAX_SCRATCH_BYTES)) {
      throw new ConfigError(argument, argument === 'batchSize' ? B : T, `small enough for the scratch (${Math.ceil((floats * 4) / 2 ** 20)} MiB for batch ${B} × ${T} steps × ${H} hidden) to fit in ${MAX_SCRATCH_BYTES / 2 ** 30} GiB`);
    }
    const backend = placed.backend!;
    return backend.workspace(B, this.params.length, argument);
  }
}

const NO_TARGETS = new Float32Array(0);

/** Scratch of one binding at most: half of WebAssembly's 4 GiB, so data and scratch can both fit. */
const MAX_SCRATCH_BYTES = 2 ** 31;






