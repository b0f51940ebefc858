import { checkBackend, type BackendName } from '../backends/backend.js';
import { JsElman } from '../backends/js/elman-bound.js';
import { JsStack } from '../backends/js/stack.js';
import { JsStackWork, JsStepper } from '../backends/js/stack-bound.js';
import { WasmElman } from '../backends/wasm/elman.js';
import { WasmStackWork, WasmStepper } from '../backends/wasm/stack-bound.js';
import { checkFinite32, checkInteger, checkSequences, checkValues, type Sequences } from '../data/sequences.js';
import { ConfigError, DisposedError, NumericError, ShapeError } from '../errors.js';
import { RandomState } from '../random.js';
import { byteSize, LOSS_AT_CAP } from '../sizes.js';
import { OUTPUT_ACTIVATIONS, type ElmanDims, type ElmanLossName, type OutputActivation } from '../types.js';
import { Holdings } from './bindings.js';
import { ELMAN_LOSSES, elmanLoss } from './elman-losses.js';
import { initialize, ORTHOGONAL_WORK } from './init.js';
import { checkNotTraining, holdPlacement, Placement, type BindOptions, type PlacedData, type Trainable } from './model.js';
import { checkKeys, loadOptions, strictKeys } from './options.js';
import { GATE_ACTIVATIONS, GATES, stackOffsets, type CellKind, type GateActivation, type LayerSpec, type StackDims } from '../stack-spec.js';
import { finite32, flatten, oneOf, plainObject } from './weights.js';
import { batchBinding, schedule, type BatchBinding } from './batches.js';
import { placeOnThreads, type ThreadOptions } from './threaded.js';
import { BATCH_AUTO_MIN_WORK } from '../backends/threads/support.js';

export { GATE_ACTIVATIONS, type CellKind, type GateActivation, type LayerSpec };

/**
 * Every recurrent cell a layer can be.
 * @category Models
 */
export const CELLS: readonly CellKind[] = ['simple', 'gru', 'lstm'];

/**
 * One recurrent layer of `new RNN`; unset options come from the model's `defaults`.
 * @category Models
 */
export interface LayerOptions {
  /** The recurrent cell: 'simple', 'gru' or 'lstm'. */
  cell: CellKind;
  /** Hidden units, the layer's output width. */
  units: number;
  /** Activation of the state / candidate (default 'tanh'). */
  activation?: GateActivation;
  /** Activation of the GRU/LSTM gates (TF.js default 'hardSigmoid', Keras 3 'sigmoid'). */
  recurrentActivation?: GateActivation;
  /** GRU: Keras's reset_after, bias [2][3H] (TF.js default false and unsupported by tf.layers.gru; Keras 3 true). */
  resetAfter?: boolean;
  /** LSTM: start the forget gate's bias at 1 (TF.js default false, Keras 3 true). */
  unitForgetBias?: boolean;
}

/**
 * Which library's defaults unset layer options take: TF.js's (tf.layers, loads there as is) or Keras 3's.
 * @category Models
 */
export type LayerDefaults = 'tfjs' | 'keras3';

const DEFAULTS: Record<LayerDefaults, { recurrentActivation: GateActivation; resetAfter: boolean; unitForgetBias: boolean }> = {
  tfjs: { recurrentActivation: 'hardSigmoid', resetAfter: false, unitForgetBias: false },
  keras3: { recurrentActivation: 'sigmoid', resetAfter: true, unitForgetBias: true },
};

/**
 * Options of `new RNN`: sizes and layers are required.
 * @category Models
 */
export interface RNNOptions {
  /** Inputs per step. */
  inputSize: number;
  /** The recurrent layers, bottom-up (any mix of 'simple', 'gru', 'lstm'). */
  layers: LayerOptions[];
  /** Outputs per step of the dense head. */
  outputSize: number;
  /** Output activation of the dense head (default 'linear'). */
  outputActivation?: OutputActivation;
  /** An output at every step instead of only at the last (default false). */
  returnSequences?: boolean;
  /** Defaults of unset layer options (default 'tfjs'). */
  defaults?: LayerDefaults;
  /** Seed of the RandomState the initial weights are drawn from (default 0). */
  seed?: number;
  /** Where the loops run: 'wasm' (default, needs `await init()`) or 'js'. */
  backend?: BackendName;
}

/**
 * One layer's weights in Keras's layout: kernel [in][g·units], recurrentKernel [units][g·units], bias [g·units] or [2][3·units].
 * @category Models
 */
export interface LayerWeights {
  /** Input weights `[in][g·units]`, g = 1 (simple), 3 (GRU) or 4 (LSTM) gate blocks. */
  kernel: Float32Array;
  /** Recurrent weights `[units][g·units]`. */
  recurrentKernel: Float32Array;
  /** Bias `[g·units]`, or `[2][3·units]` for a GRU with resetAfter. */
  bias: Float32Array;
}

/**
 * The weights by name: each layer's, then the dense head's kernel [units][outputSize] and bias [outputSize].
 * @category Models
 */
export interface RNNWeights {
  /** Each recurrent layer's weights, bottom-up. */
  layers: LayerWeights[];
  /** The head's weights `[units of the top layer][outputSize]`. */
  outputKernel: Float32Array;
  /** The head's bias `[outputSize]`. */
  outputBias: Float32Array;
}

/**
 * Weights to set: any layer's or the head's, flat or as rows.
 * @category Models
 */
export interface RNNWeightsInput {
  /** Weights of some layers, by position bottom-up; a missing layer or name is left as it is. */
  layers?: Array<Partial<Record<keyof LayerWeights, unknown>> | undefined>;
  /** The head's weights `[units of the top layer][outputSize]`, flat or as rows. */
  outputKernel?: unknown;
  /** The head's bias `[outputSize]`. */
  outputBias?: unknown;
}

/**
 * The saved form of an RNN: `toJSON()` output, read back exactly by `RNN.fromJSON`.
 * @category Models
 */
export interface RNNJSON {
  /** Identifies the object as a saved RNN. */
  format: 'elman.RNN';
  /** Layout version of this form. */
  version: 1;
  /** The model's shape: input width, every layer fully specified, the head. */
  config: { inputSize: number; layers: LayerSpec[]; outputSize: number; outputActivation: OutputActivation; returnSequences: boolean };
  /** Every weight as a flat row-major array, laid out as in RNNWeights. */
  weights: { layers: Array<Record<keyof LayerWeights, number[]>>; outputKernel: number[]; outputBias: number[] };
}

/**
 * Inputs without targets: a Sequences-like { x, samples, steps } (time-major) or nested [samples][steps][inputSize].
 * @category Models
 */
export type RNNInputs = Pick<Sequences, 'x' | 'samples' | 'steps'> | ArrayLike<ArrayLike<ArrayLike<number>>>;

/** Capability of a placement: workspaces of its own for a stack (threaded placements). */
type Placed = (WasmElman | JsElman) & { stackWork?(d: StackDims, maxBatch: number, P: number, argument: string): Work };
type Work = WasmStackWork | JsStackWork;
type Stepper = WasmStepper | JsStepper;

/** What each backend offers the stacks: data placed once, workspaces per binding, steppers. */
const BACKEND: Record<BackendName, { place(data: Sequences, d: ElmanDims): Placed; work(p: Placed, d: StackDims, B: number, P: number, argument: string): Work; stepper(d: StackDims, streams: number, P: number): Stepper }> = {
  wasm: { place: (data, d) => new WasmElman(data, d), work: (p, d, B, P, a) => new WasmStackWork(p as WasmElman, d, B, P, a), stepper: (d, s, P) => new WasmStepper(d, s, P) },
  js: { place: (data, d) => new JsElman(data, d), work: (p, d, B, P) => new JsStackWork(p as JsElman, d, B, P), stepper: (d, s) => new JsStepper(d, s) },
};

/** Parameters of one model at most (128 MiB of float32; the gradients take as much again). */
const MAX_PARAMS = 2 ** 25;

/** Scratch of one binding at most: half of WebAssembly's 4 GiB, so data and scratch can both fit. */
const MAX_SCRATCH_BYTES = 2 ** 31;

/**
 * A stacked recurrent network: simple (Keras SimpleRNN), GRU and LSTM layers in any mix, then a
 * dense head, with Keras/TF.js's weight layouts and gate orders. Parameters are one flat
 * Float32Array: per layer [kernel | recurrentKernel | bias], then [outputKernel | outputBias].
 * @example
 * ```ts
 * import { init, RNN } from 'elman-rnn';
 *
 * await init();
 * const model = new RNN({ inputSize: 1, outputSize: 1, layers: [{ cell: 'lstm', units: 8 }, { cell: 'gru', units: 4 }], seed: 1 });
 * const y = model.predict([[[0.1], [0.2], [0.3]]]);  // f32[1][1][1]: one sample, the last step's output
 * const ahead = model.forecast([0.1, 0.2, 0.3], 5);  // f32[5][1]: the context, then 5 steps fed back
 * const now = model.step([[0.5]]);                   // one stream, one step; the state carries to the next call
 * model.resetState();
 * ```
 * @category Models
 */
export class RNN implements Trainable<RNNWeights, ElmanLossName> {
  /** Inputs per step. */
  readonly inputSize: number;
  /** Outputs per step of the dense head. */
  readonly outputSize: number;
  /** The recurrent layers, bottom-up, with every option resolved. */
  readonly layers: readonly LayerSpec[];
  /** The head's activation. */
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
  private readonly dims: StackDims;
  private readonly holdings = new Holdings<{ dispose(): void }>('RNN');
  private stepper: Stepper | undefined;
  private stepInput = new Float32Array(0);

  constructor(options: RNNOptions) {
    if (!plainObject(options)) throw new ConfigError('options', options, 'an object { inputSize, layers, outputSize, ... }');
    checkKeys('options', options, ['inputSize', 'layers', 'outputSize', 'outputActivation', 'returnSequences', 'defaults', 'seed', 'backend']);
    const I = checkInteger('inputSize', options.inputSize, 1, 4096);
    const O = checkInteger('outputSize', options.outputSize, 1, 4096);
    const defaults = DEFAULTS[oneOf('defaults', options.defaults ?? 'tfjs', ['tfjs', 'keras3'] as const)];
    if (!Array.isArray(options.layers) || options.layers.length < 1 || options.layers.length > 64) throw new ConfigError('layers', options.layers, 'an array of 1 to 64 layers { cell, units, ... }');
    const forget: boolean[] = [];
    // Array.from visits the holes of a sparse array (map skips them), so a missing layer is refused.
    this.layers = Array.from(options.layers, (l: LayerOptions, i) => {
      const name = `layers[${i}]`;
      checkKeys(name, l, ['cell', 'units', 'activation', 'recurrentActivation', 'resetAfter', 'unitForgetBias']);
      for (const flag of ['resetAfter', 'unitForgetBias'] as const) if (l[flag] !== undefined && typeof l[flag] !== 'boolean') throw new ConfigError(`${name}.${flag}`, l[flag], 'a boolean');
      const cell = oneOf(`${name}.cell`, l.cell, CELLS);
      // A flag set for a cell that has no such thing is a mistake, not a no-op.
      if (l.resetAfter === true && cell !== 'gru') throw new ConfigError(`${name}.resetAfter`, true, `false: ${cell} has no resetAfter`);
      if (l.unitForgetBias === true && cell !== 'lstm') throw new ConfigError(`${name}.unitForgetBias`, true, `false: ${cell} has no unitForgetBias`);
      forget.push(cell === 'lstm' && (l.unitForgetBias ?? defaults.unitForgetBias));
      // The recurrent kernel is drawn orthogonal: units × (gates·units) costs gates·units³ multiply-adds, bounded.
      const most = Math.floor(Math.cbrt(ORTHOGONAL_WORK / GATES[cell]) + 1e-9);
      return {
        cell,
        units: checkInteger(`${name}.units`, l.units, 1, Math.min(4096, most)),
        activation: oneOf(`${name}.activation`, l.activation ?? 'tanh', GATE_ACTIVATIONS),
        recurrentActivation: oneOf(`${name}.recurrentActivation`, l.recurrentActivation ?? defaults.recurrentActivation, GATE_ACTIVATIONS),
        resetAfter: cell === 'gru' && (l.resetAfter ?? defaults.resetAfter),
      };
    });
    this.outputActivation = oneOf('outputActivation', options.outputActivation ?? 'linear', OUTPUT_ACTIVATIONS);
    if (options.returnSequences !== undefined && typeof options.returnSequences !== 'boolean') throw new ConfigError('returnSequences', options.returnSequences, 'a boolean');
    this.returnSequences = options.returnSequences ?? false;
    this.backend = checkBackend(options.backend);
    [this.inputSize, this.outputSize] = [I, O];
    this.dims = { I, layers: this.layers, O, outAct: this.outputActivation, seq: this.returnSequences };
    const o = stackOffsets(this.dims);
    // Counted in float64 before allocating: a claim beyond MAX_PARAMS is refused, not attempted.
    if (!(o.size <= MAX_PARAMS)) throw new ConfigError('layers', `${o.size} parameters`, `at most ${MAX_PARAMS} parameters in all (${MAX_PARAMS * 4 / 2 ** 20} MiB)`);
    this.params = new Float32Array(o.size);
    this.grads = new Float32Array(o.size);
    // Keras's initialisers, drawn in this order from one stream: per layer kernel (Glorot uniform)
    // and recurrentKernel (orthogonal over all gates), then the head's kernel; biases start at 0,
    // the LSTM forget gate's at 1 with unitForgetBias.
    const rng = new RandomState(options.seed ?? 0);
    this.layers.forEach((l, i) => {
      const lo = o.layers[i]!, G = GATES[l.cell] * l.units;
      this.params.set(initialize('glorotUniform', rng, lo.inputs, G), lo.kernel);
      this.params.set(initialize('orthogonal', rng, l.units, G), lo.recurrentKernel);
      if (forget[i]) this.params.fill(1, lo.bias + l.units, lo.bias + 2 * l.units);
    });
    this.params.set(initialize('glorotUniform', rng, this.top, O), o.head);
  }

  /** Units of the top layer (the head's input width). */
  private get top(): number {
    return this.layers[this.layers.length - 1]!.units;
  }

  /** The shapes of every weight, as Keras stores them. */
  get shapes(): { layers: Array<Record<keyof LayerWeights, number[]>>; outputKernel: number[]; outputBias: number[] } {
    const o = stackOffsets(this.dims);
    return {
      layers: this.layers.map((l, i) => ({ kernel: [o.layers[i]!.inputs, GATES[l.cell] * l.units], recurrentKernel: [l.units, GATES[l.cell] * l.units], bias: [...o.layers[i]!.biasShape] })),
      outputKernel: [this.top, this.outputSize],
      outputBias: [this.outputSize],
    };
  }

  /** Copies of the weights by name; later training does not change them. */
  get weights(): RNNWeights {
    return this.weightsOf(this.params);
  }

  /** The weights by name (copies) of a flat parameter array of this model's layout. */
  weightsOf(params: Float32Array): RNNWeights {
    const o = stackOffsets(this.dims);
    return {
      layers: o.layers.map((lo) => ({ kernel: params.slice(lo.kernel, lo.recurrentKernel), recurrentKernel: params.slice(lo.recurrentKernel, lo.bias), bias: params.slice(lo.bias, lo.end) })),
      outputKernel: params.slice(o.head, o.headBias),
      outputBias: params.slice(o.headBias, o.size),
    };
  }

  /** The gradients from the last `lossAndGrad`, by name, as copies. */
  get gradients(): RNNWeights {
    return this.weightsOf(this.grads);
  }

  /** Set any weights by name (flat or as rows, finite in float32); nothing changes unless every given weight is valid. */
  setWeights(w: RNNWeightsInput): void {
    checkNotTraining(this, 'setWeights');
    if (!plainObject(w)) throw new ConfigError('weights', w, 'an object { layers?, outputKernel?, outputBias? }');
    checkKeys('weights', w, ['layers', 'outputKernel', 'outputBias']);
    const o = stackOffsets(this.dims);
    const staged: Array<[number, Float32Array]> = [];
    const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
    const shapes = this.shapes;
    if (w.layers !== undefined) {
      if (!Array.isArray(w.layers) || w.layers.length > this.layers.length) throw new ConfigError('weights.layers', w.layers, `an array of at most ${this.layers.length} layers' weights`);
      w.layers.forEach((lw, i) => {
        if (lw === undefined) return;
        checkKeys(`weights.layers[${i}]`, lw, ['kernel', 'recurrentKernel', 'bias']);
        for (const key of ['kernel', 'recurrentKernel', 'bias'] as const) {
          if (lw[key] === undefined) continue;
          const shape = shapes.layers[i]![key];
          staged.push([o.layers[i]![key], flatten(`weights.layers[${i}].${key}`, lw[key], shape.length === 2 ? shape[0]! : 1, shape.length === 2 ? shape[1]! : size(shape))]);
        }
      });
    }
    if (w.outputKernel !== undefined) staged.push([o.head, flatten('weights.outputKernel', w.outputKernel, this.top, this.outputSize)]);
    if (w.outputBias !== undefined) staged.push([o.headBias, flatten('weights.outputBias', w.outputBias, 1, this.outputSize)]);
    for (const [at, flat] of staged) this.params.set(flat, at);
  }

  /** Outputs, time-major f32[Tout][samples][outputSize] (Tout = steps with returnSequences, else 1). */
  predict(input: RNNInputs | Sequences | PlacedData): Float32Array {
    this.holdings.check();
    const own = input instanceof Placement;
    const data = own ? undefined : this.inputs(input as RNNInputs);
    if (data) checkSequences(data, 'data', false);
    // The inputs are judged in float32 (1e39 is Infinity there); the targets are zeros standing in.
    if (data) checkFinite32('data.x', data.x);
    const { samples, steps } = own ? (input as PlacedData) : data!;
    // Batches bounded so the scratch stays near 64 MB whatever the steps and sizes.
    const perSample = 12 * (steps + 1) * this.layers.reduce((a, l) => a + l.units, 0) + steps * this.outputSize;
    const B = Math.max(1, Math.min(samples, 1024, Math.floor(2 ** 24 / perSample)));
    const placed = own ? this.owned(input as PlacedData) : this.placeChecked(data!);
    try {
      const work = this.workspace(placed, B, 'data.steps');
      let y: Float32Array;
      try {
        y = work.forward(this.params);
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
    const streams = flat.length / I;
    if (!this.stepper || this.stepper.streams !== streams) {
      if (this.stepper) this.release(this.stepper);
      this.stepper = undefined;
      const stepper = BACKEND[this.backend].stepper(this.dims, streams, this.params.length);
      this.holdings.add(stepper);
      this.stepper = stepper;
    }
    return this.stepper.step(flat, 0, this.params);
  }

  /** Zero the state `step` carries: of one stream, or of all. */
  resetState(stream?: number): void {
    this.holdings.check();
    // Judged alike before and after the first step: with no stream stepped yet, no index names one.
    if (stream !== undefined && !this.stepper) throw new ConfigError('stream', stream, 'undefined: no stream has stepped yet');
    if (!this.stepper) return;
    if (stream !== undefined) checkInteger('stream', stream, 0, this.stepper.streams - 1);
    this.stepper.resetState(stream);
  }

  /**
   * Feed `context` (f32[T][inputSize], flat or as rows) to a fresh state, then feed each output back
   * as the next input for `steps` steps: f32[steps][outputSize]. Needs inputSize = outputSize (a
   * single series, or several series forecast together); leaves `step`'s state alone.
   */
  forecast(context: ArrayLike<number> | ArrayLike<ArrayLike<number>>, steps: number): Float32Array {
    this.holdings.check();
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
  lossAndGrad(data: Sequences | PlacedData, loss: ElmanLossName = this.defaultLoss): { loss: number; grads: RNNWeights } {
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
    const { kind, scale } = elmanLoss(loss, this.outputActivation);
    const { samples: n, steps: T } = data;
    // The float64 reference runs the whole data set at once: its scratch is sized in 64 bits before it is allocated.
    byteSize('data', `${n} samples × ${T} steps`, [Math.min(JsStack.floats(this.dims, n, T), Number.MAX_SAFE_INTEGER), 8], { cap: 2 ** 31, capReason: LOSS_AT_CAP });
    const view = { x: data.x, x0: 0, xs: n * this.inputSize, t: data.targets, t0: 0, ts: n * this.outputSize, B: n, T };
    return new JsStack(this.dims, n, T).lossGrad(view, kind, scale(n, this.returnSequences ? T : 1, this.outputSize), 0, params, null);
  }

  /** Validate a data set and copy it into this model's backend once, for any number of `train` calls. */
  place(data: Sequences): PlacedData {
    this.holdings.check();
    this.checkData(data);
    return this.placeChecked(data);
  }

  /**
   * Validate a data set and copy it once into memory shared by `threads` threads, as
   * `ElmanRNN.placeThreaded` does: each mini-batch's samples in at most 8 blocks of whole fours fixed
   * by the batch size, every layer's forward and backward and the head's loss run per block into
   * the block's own gradient buffer, the blocks summed in block order in f64 and rounded once: every
   * thread count gives the same bits. 'auto' takes 2 threads from 2^21 multiply-adds per sweep
   * (samples × steps × Σ gates × units × (inputs + units)). Its `dispose`, or the model's, stops the workers.
   */
  async placeThreaded(data: Sequences, options: ThreadOptions = {}): Promise<PlacedData> {
    this.holdings.check();
    const offsets = stackOffsets(this.dims).layers;
    return placeOnThreads<WasmElman, PlacedData>({
      options,
      backend: this.backend,
      checkData: () => this.checkData(data),
      work: () => data.samples * data.steps * this.layers.reduce((sum, l, i) => sum + GATES[l.cell] * l.units * (offsets[i]!.inputs + l.units), 0),
      autoFrom: BATCH_AUTO_MIN_WORK,
      ordinary: () => this.placeChecked(data),
      start: async (threads) => (await import('../backends/threads/elman.js')).threadedElman(data, this.holderDims(), threads),
      data,
      owner: this,
      holdings: this.holdings,
    });
  }

  /** Bind placed data (or a data set, placed for the binding's lifetime) to a loss and a batch schedule. */
  bind(data: PlacedData | Sequences, options: BindOptions<ElmanLossName> = {}): BatchBinding {
    this.holdings.check();
    checkKeys('bind options', options, ['loss', 'batchSize', 'truncate']);
    const { kind, scale } = elmanLoss(options.loss ?? this.defaultLoss, this.outputActivation);
    const own = data instanceof Placement;
    if (!own) this.checkData(data as Sequences);
    const plan = schedule(options, data.samples, data.steps);
    const placed = own ? this.owned(data as PlacedData) : this.placeChecked(data as Sequences);
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

  /** The model as plain JSON (format version 1); `RNN.fromJSON` restores it exactly. */
  toJSON(): RNNJSON {
    const w = this.weights;
    return {
      format: 'elman.RNN',
      version: 1,
      config: { inputSize: this.inputSize, layers: this.layers.map((l) => ({ ...l })), outputSize: this.outputSize, outputActivation: this.outputActivation, returnSequences: this.returnSequences },
      weights: {
        layers: w.layers.map((l) => ({ kernel: Array.from(l.kernel), recurrentKernel: Array.from(l.recurrentKernel), bias: Array.from(l.bias) })),
        outputKernel: Array.from(w.outputKernel),
        outputBias: Array.from(w.outputBias),
      },
    };
  }

  /** Rebuild a model saved by `toJSON` (validated: format, version, config, every weight's shape and values). */
  static fromJSON(json: RNNJSON, options: { backend?: BackendName } = {}): RNN {
    // The file decides everything but the backend: no load option overrides it, no key is defaulted.
    loadOptions(options);
    if (!plainObject(json) || json.format !== 'elman.RNN') throw new ConfigError('json.format', plainObject(json) ? json.format : json, '"elman.RNN"');
    if (json.version !== 1) throw new ConfigError('json.version', json.version, '1');
    strictKeys('json', json, ['format', 'version', 'config', 'weights']);
    const config = json.config as unknown;
    if (!plainObject(config)) throw new ConfigError('json.config', config, 'an object');
    strictKeys('json.config', config, ['inputSize', 'layers', 'outputSize', 'outputActivation', 'returnSequences']);
    const weights = json.weights as unknown;
    if (!plainObject(weights)) throw new ConfigError('json.weights', weights, 'an object');
    strictKeys('json.weights', weights, ['layers', 'outputKernel', 'outputBias']);
    const layers = config.layers;
    if (!Array.isArray(layers)) throw new ConfigError('json.config.layers', layers, 'an array of layers');
    const specs = Array.from(layers, (l: unknown, i) => {
      strictKeys(`json.config.layers[${i}]`, l, ['cell', 'units', 'activation', 'recurrentActivation', 'resetAfter']);
      return { ...(l as LayerSpec), unitForgetBias: false };
    });
    const c = config as RNNJSON['config'];
    const model = new RNN({ inputSize: c.inputSize, layers: specs, outputSize: c.outputSize, outputActivation: c.outputActivation, returnSequences: c.returnSequences, backend: options.backend });
    try {
      const o = stackOffsets(model.dims);
      const arrays: Array<[string, unknown, number]> = [];
      const wl = weights.layers;
      if (!Array.isArray(wl) || wl.length !== model.layers.length) throw new ShapeError('json.weights.layers', wl, `be an array of ${model.layers.length} layers' weights`);
      wl.forEach((lw: unknown, i) => {
        if (!plainObject(lw)) throw new ConfigError(`json.weights.layers[${i}]`, lw, 'an object { kernel, recurrentKernel, bias }');
        const lo = o.layers[i]!;
        arrays.push([`layers[${i}].kernel`, lw.kernel, lo.recurrentKernel - lo.kernel], [`layers[${i}].recurrentKernel`, lw.recurrentKernel, lo.bias - lo.recurrentKernel], [`layers[${i}].bias`, lw.bias, lo.end - lo.bias]);
      });
      arrays.push(['outputKernel', weights.outputKernel, o.headBias - o.head], ['outputBias', weights.outputBias, o.size - o.headBias]);
      for (const [name, a, n] of arrays) {
        if (!Array.isArray(a)) throw new ConfigError(`json.weights.${name}`, a, `an array of ${n} numbers`);
        if (a.length !== n) throw new ShapeError(`json.weights.${name}`, a, `have ${n} numbers for the config`, `${a.length}`);
      }
      model.setWeights(weights as RNNWeightsInput);
    } catch (error) {
      model.dispose();
      throw error;
    }
    return model;
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

  private release(k: { dispose(): void }): void {
    k.dispose();
    this.holdings.forget(k);
  }

  /** Time-major Sequences (zero targets) from the accepted input forms. */
  private inputs(input: RNNInputs | Sequences): Sequences {
    const I = this.inputSize, O = this.outputSize;
    if (plainObject(input) && 'x' in input) {
      const s = input as Sequences;
      if (s.inputSize !== undefined && s.inputSize !== I) throw new ShapeError('data.inputSize', s.inputSize, `be ${I} (the model's inputSize)`);
      const samples = checkInteger('data.samples', s.samples, 1), steps = checkInteger('data.steps', s.steps, 1);
      // The inputs' length first, in 64 bits: a claim of 2^33 samples allocates nothing.
      const xLength = byteSize('data.samples', samples, [steps, samples, I, 4], { kind: 'shape' }) / 4;
      if (!(s.x instanceof Float32Array) || s.x.length !== xLength) throw new ShapeError('data.x', s.x, `be a Float32Array of length ${xLength} (steps ${steps} × samples ${samples} × inputSize ${I})`);
      const targets = new Float32Array((this.returnSequences ? steps : 1) * samples * O);
      return { samples, steps, inputSize: I, outputSize: O, x: s.x, targets, targetsPerStep: this.returnSequences };
    }
    const rows = input as ArrayLike<ArrayLike<ArrayLike<number>>>;
    if (rows === null || typeof rows !== 'object' || !(rows.length >= 1)) throw new ConfigError('data', input, 'a { x, samples, steps } object or nested [samples][steps][inputSize] arrays');
    const samples = rows.length, steps = rows[0]?.length ?? 0;
    if (!(steps >= 1)) throw new ShapeError('data[0]', rows[0], 'have at least one step');
    checkInteger('data.length', samples, 1);
    checkInteger('data[0].length', steps, 1);
    const x = new Float32Array(byteSize('data', input, [steps, samples, I, 4], { kind: 'shape' }) / 4);
    for (let n = 0; n < samples; n++) {
      const seq = rows[n]!;
      if (seq?.length !== steps) throw new ShapeError(`data[${n}]`, seq, `have ${steps} steps like data[0]`, `${seq?.length}`);
      for (let k = 0; k < steps; k++) {
        const v = seq[k]!;
        if (v?.length !== I) throw new ShapeError(`data[${n}][${k}]`, v, `have ${I} values (inputSize)`, `${v?.length}`);
        for (let i = 0; i < I; i++) x[(k * samples + n) * I + i] = finite32(`data[${n}][${k}]`, v[i], i);
      }
    }
    return { samples, steps, inputSize: I, outputSize: O, x, targets: new Float32Array((this.returnSequences ? steps : 1) * samples * O), targetsPerStep: this.returnSequences };
  }

  private checkData(data: Sequences): void {
    checkSequences(data, 'data');
    if (data.inputSize !== this.inputSize) throw new ShapeError('data.inputSize', data.inputSize, `be ${this.inputSize} (the model's inputSize)`);
    if (data.outputSize !== this.outputSize) throw new ShapeError('data.outputSize', data.outputSize, `be ${this.outputSize} (the model's outputSize)`);
    if (Boolean(data.targetsPerStep) !== this.returnSequences) {
      throw new ShapeError('data.targetsPerStep', data.targetsPerStep, this.returnSequences ? 'be true: returnSequences needs a target per step' : 'be false: the model outputs only at the last step');
    }
  }

  private owned(p: PlacedData): Placement<Placed> {
    if (p.owner !== this) throw new ConfigError('data', 'placed data', 'placed by this model (model.place(data))');
    if (!p.live) throw new DisposedError('placed data');
    return p as unknown as Placement<Placed>;
  }

  /** The placement holders know only the data's widths; H and act are not read by them. */
  private holderDims(): ElmanDims {
    return { I: this.inputSize, H: this.top, O: this.outputSize, act: 'tanh', outAct: this.outputActivation, seq: this.returnSequences };
  }

  private placeChecked(data: Sequences): Placement<Placed> {
    const backend = BACKEND[this.backend].place(data, this.holderDims());
    return holdPlacement<Placed>(this.holdings, this, backend, data);
  }

  /** Scratch for batches of up to B samples, its size checked (in float64) before anything is allocated. */
  private workspace(placed: Placement<Placed>, B: number, argument: string): Work {
    const T = placed.steps;
    let floats = T * B * this.outputSize + this.top * this.outputSize;
    stackOffsets(this.dims).layers.forEach((lo, i) => {
      const H = this.layers[i]!.units;
      floats += 14 * (T + 1) * B * H + 4 * B * H + 4 * H * (H + lo.inputs) + 64;
    });
    if (!(floats * 4 <= MAX_SCRATCH_BYTES)) {
      throw new ConfigError(argument, argument === 'batchSize' ? B : T, `small enough for the scratch (${Math.ceil((floats * 4) / 2 ** 20)} MiB for batch ${B} × ${T} steps) to fit in ${MAX_SCRATCH_BYTES / 2 ** 30} GiB`);
    }
    const backend = placed.backend!;
    if (backend.stackWork) return backend.stackWork(this.dims, B, this.params.length, argument);
    return BACKEND[this.backend].work(backend, this.dims, B, this.params.length, argument);
  }
}

