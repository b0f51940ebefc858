// ElmanRNN, the Elman face of the one recurrent model (./recurrent.ts): one 'simple' layer and the
// dense head, given by Keras SimpleRNN + Dense's options, its weights named kernel, recurrentKernel,
// bias, outputKernel, outputBias, saved as 'elman.ElmanRNN' JSON. Everything else (predict, step,
// forecast, training, threads) is the model's.
import { checkInteger, oneOf, plainObject, readOptions, strictKeys } from '../checks.js';
import { type BackendName } from '../backends/backend.js';
import { ConfigError, ShapeError } from '../errors.js';
import { RandomState } from '../random.js';
import type { ElmanLossName } from '../losses.js';
import { ACTIVATIONS, OUTPUT_ACTIVATIONS, type Activation, type OutputActivation } from '../types.js';
import { initialize, type Initializer } from './init.js';
import { checkNotTraining, type BindOptions } from './model.js';
import { ELMAN_OPTIONS, loadOptions, optionalFlags } from './options.js';
import type { BatchBinding } from './batches.js';
import { flatten } from './weights.js';
import { Recurrent } from './recurrent.js';
import { stackOffsets } from '../stack-spec.js';

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
  /** Carry the final state of a batch (or predict call) into the next, per stream (default false). */
  stateful?: boolean;
  /** Learn the initial state, the weight `initialState` [hiddenSize] (default false; not with stateful). */
  learnInitialState?: boolean;
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
  /** [hiddenSize], with learnInitialState: the learned initial state. */
  initialState?: Float32Array;
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
    /** Present (true) for a stateful model. */
    stateful?: true;
    /** Present (true) when the initial state is learned. */
    learnInitialState?: true;
  };
  /** Each weight by name, flat and row-major as in ElmanWeights (initialState exactly when learnInitialState). */
  weights: Record<(typeof ELMAN_WEIGHT_NAMES)[number], number[]> & { initialState?: number[] };
}


/**
 * The simple recurrent network (Elman net): `h[k] = act(x[k]·kernel + h[k-1]·recurrentKernel + bias)`,
 * `y = outAct(h·outputKernel + outputBias)` at every step or the last. A preset of the one recurrent
 * model: `RNN` with one `'simple'` layer and the dense head, so it has everything RNN has (`step`,
 * `forecast`, `resetState`, threads). Parameters are one flat Float32Array
 * `[kernel | recurrentKernel | bias | outputKernel | outputBias]`.
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
export class ElmanRNN extends Recurrent<ElmanWeights, Partial<Record<(typeof ELMAN_WEIGHT_NAMES)[number] | 'initialState', ArrayLike<number> | ArrayLike<ArrayLike<number>>>>, ElmanJSON> {
  /** Hidden units. */
  readonly hiddenSize: number;
  /** Hidden activation. */
  readonly activation: Activation;

  constructor(options: ElmanRNNOptions) {
    // Checks, messages and defaults from the options' table (./options.ts).
    const opt = readOptions('options', options, ELMAN_OPTIONS) as Required<ElmanRNNOptions>;
    const { inputSize: I, hiddenSize: H, outputSize: O, activation, outputActivation: outAct, backend, kernelInitializer: kInit, recurrentInitializer: rInit } = opt;
    super({
      name: 'ElmanRNN',
      // recurrentActivation is not read by a simple layer: Keras's SimpleRNN has none, 'sigmoid' stands in.
      dims: { I, layers: [{ cell: 'simple', units: H, activation, recurrentActivation: 'sigmoid', resetAfter: false }], O, outAct, seq: opt.returnSequences, learnS0: opt.learnInitialState },
      backend,
      stateful: opt.stateful,
      // Drawn in this order from one stream: kernel, recurrentKernel, outputKernel; biases start at 0
      // (with the default initialisers, the draws of RNN with one simple layer and the same seed).
      init: (params, o) => {
        const rng = new RandomState(opt.seed ?? 0);
        const l = o.layers[0]!;
        params.set(initialize(kInit, rng, I, H), l.kernel);
        params.set(initialize(rInit, rng, H, H), l.recurrentKernel);
        params.set(initialize(kInit, rng, H, O), o.head);
      },
    });
    this.hiddenSize = H;
    this.activation = activation;
  }

  /** The shape [rows, cols] of each named weight (vectors have rows = 1). */
  get shapes(): Record<(typeof ELMAN_WEIGHT_NAMES)[number], [number, number]> {
    const { inputSize: I, hiddenSize: H, outputSize: O } = this;
    return { kernel: [I, H], recurrentKernel: [H, H], bias: [1, H], outputKernel: [H, O], outputBias: [1, O] };
  }

  /** Copies of the weights by name (Keras layout); later training does not change them. */
  override get weights(): ElmanWeights {
    return this.weightsOf(this.params);
  }

  /** Set any of the weights by name; each must have its shape's length (flat or as rows) and finite values. */
  override set weights(w: Partial<Record<(typeof ELMAN_WEIGHT_NAMES)[number] | 'initialState', ArrayLike<number> | ArrayLike<ArrayLike<number>>>>) {
    this.setWeights(w);
  }

  /** The weights by name (copies) of a flat parameter array of this model's layout. */
  weightsOf(params: Float32Array): ElmanWeights {
    const o = this.offsets(), s = this.shapes;
    const cut = (name: (typeof ELMAN_WEIGHT_NAMES)[number]) => params.slice(o[name], o[name] + s[name][0] * s[name][1]);
    const w: ElmanWeights = { kernel: cut('kernel'), recurrentKernel: cut('recurrentKernel'), bias: cut('bias'), outputKernel: cut('outputKernel'), outputBias: cut('outputBias') };
    const at = this.initialAt();
    if (at !== undefined) w.initialState = params.slice(at, at + this.hiddenSize);
    return w;
  }

  /** Set any of the weights by name (see `weights`); nothing changes unless every given weight is valid. */
  setWeights(w: Partial<Record<(typeof ELMAN_WEIGHT_NAMES)[number] | 'initialState', ArrayLike<number> | ArrayLike<ArrayLike<number>>>>): void {
    checkNotTraining(this, 'setWeights');
    if (typeof w !== 'object' || w === null) throw new ConfigError('weights', w, `an object with some of ${ELMAN_WEIGHT_NAMES.join(', ')}`);
    const offsets = this.offsets();
    const staged: Array<[number, Float32Array]> = [];
    for (const name of Object.keys(w)) {
      if (name === 'initialState' && this.learnInitialState) {
        staged.push([this.initialAt()!, flatten('weights.initialState', w.initialState, 1, this.hiddenSize)]);
        continue;
      }
      if (!(ELMAN_WEIGHT_NAMES as readonly string[]).includes(name)) throw new ConfigError(`weights.${name}`, name, `one of ${ELMAN_WEIGHT_NAMES.join(', ')}`);
      const key = name as (typeof ELMAN_WEIGHT_NAMES)[number];
      const [rows, cols] = this.shapes[key];
      staged.push([offsets[key], flatten(`weights.${key}`, w[key]!, rows, cols)]);
    }
    for (const [at, flat] of staged) this.params.set(flat, at);
  }

  /** The model as plain JSON (format version 1); `ElmanRNN.fromJSON` restores it exactly. */
  toJSON(): ElmanJSON {
    const w = this.weights;
    const weights = {} as ElmanJSON['weights'];
    for (const name of ELMAN_WEIGHT_NAMES) weights[name] = Array.from(w[name]);
    if (w.initialState) weights.initialState = Array.from(w.initialState);
    const { inputSize, hiddenSize, outputSize, activation, outputActivation, returnSequences } = this;
    const flags = { ...(this.stateful && { stateful: true as const }), ...(this.learnInitialState && { learnInitialState: true as const }) };
    return { format: 'elman.ElmanRNN', version: 1, config: { inputSize, hiddenSize, outputSize, activation, outputActivation, returnSequences, ...flags }, weights };
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
    const flags = optionalFlags('json.config', config);
    strictKeys('json.config', config, ['inputSize', 'hiddenSize', 'outputSize', 'activation', 'outputActivation', 'returnSequences', ...Object.keys(flags)]);
    const weights = json.weights as Record<string, unknown>;
    if (!plainObject(weights)) throw new ConfigError('json.weights', weights, 'an object');
    strictKeys('json.weights', weights, [...ELMAN_WEIGHT_NAMES, ...(flags.learnInitialState ? ['initialState'] : [])]);
    const I = checkInteger('json.config.inputSize', config.inputSize, 1, 4096);
    const H = checkInteger('json.config.hiddenSize', config.hiddenSize, 1, 4096);
    const O = checkInteger('json.config.outputSize', config.outputSize, 1, 4096);
    const activation = oneOf('json.config.activation', config.activation, ACTIVATIONS);
    const outputActivation = oneOf('json.config.outputActivation', config.outputActivation, OUTPUT_ACTIVATIONS);
    if (typeof config.returnSequences !== 'boolean') throw new ConfigError('json.config.returnSequences', config.returnSequences, 'a boolean');
    // Check every array's length against the config before allocating anything for the model.
    const sizes: Record<string, number> = { kernel: I * H, recurrentKernel: H * H, bias: H, outputKernel: H * O, outputBias: O, initialState: H };
    for (const name of Object.keys(weights)) {
      const w = weights[name];
      if (!Array.isArray(w)) throw new ConfigError(`json.weights.${name}`, w, `an array of ${sizes[name]} numbers`);
      if (w.length !== sizes[name]) throw new ShapeError(`json.weights.${name}`, w, `have ${sizes[name]} numbers for the config`, `${w.length}`);
    }
    const model = new ElmanRNN({
      inputSize: I, hiddenSize: H, outputSize: O, activation, outputActivation, returnSequences: config.returnSequences,
      kernelInitializer: 'zeros', recurrentInitializer: 'zeros', ...flags, backend: options.backend,
    });
    model.setWeights(json.weights);
    return model;
  }

  /** Where the learned initial state sits in the params, when there is one. */
  private initialAt(): number | undefined {
    return stackOffsets(this.dims).initial[0]?.h;
  }

  private offsets(): Record<(typeof ELMAN_WEIGHT_NAMES)[number], number> {
    const l = this.layerOffsets();
    return { kernel: l.kernel, recurrentKernel: l.recurrentKernel, bias: l.bias, outputKernel: l.head, outputBias: l.headBias };
  }
}
