// RNN, the stacked face of the one recurrent model (./recurrent.ts): layers of any registered cell
// given as options, the weights named per layer as Keras stores them, saved as 'elman.RNN' JSON.
import { checkBoolean, checkInteger, oneOf, plainObject, readOptions, strictKeys, checkKeys } from '../checks.js';
import { type BackendName } from '../backends/backend.js';
import { CELL_SPECS, CELLS } from '../cells/index.js';
import { ConfigError, ShapeError } from '../errors.js';
import { RandomState } from '../random.js';
import { type OutputActivation } from '../types.js';
import { initialize, ORTHOGONAL_WORK } from './init.js';
import { LAYER_OPTIONS, loadOptions, optionalFlags, RNN_OPTIONS } from './options.js';
import { GATE_ACTIVATIONS, layerWidth, MERGE_MODES, stackOffsets, type CellKind, type EmbeddingSpec, type GateActivation, type InitialOffsets, type LayerSpec, type MergeMode, type StackDims } from '../stack-spec.js';
import { readWiring, wiringEntries, type BidirectionalOptions, type RepeatVectorOptions } from './wiring.js';
import { flatten } from './weights.js';
import { Recurrent, type RNNInputs } from './recurrent.js';
import { checkNotTraining } from './model.js';

export { CELLS, GATE_ACTIVATIONS, type BidirectionalOptions, type CellKind, type EmbeddingSpec, type GateActivation, type LayerSpec, type MergeMode, type RepeatVectorOptions, type RNNInputs };

/**
 * One recurrent layer of `new RNN`; unset options come from the model's `defaults`.
 * @category Models
 */
export interface LayerOptions {
  /** The recurrent cell: one of CELLS ('simple', 'gru', 'lstm'). */
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
  /** False: hand up the last output only, to a `{ repeatVector }` entry above (default: every step below the top, the model's returnSequences at the top). */
  returnSequences?: boolean;
}

/**
 * One entry of `new RNN`'s layers: a recurrent layer, a `{ repeatVector: n }` between two of them
 * (an encoder–decoder), or a `{ bidirectional: layer, merge }` wrapper.
 * @category Models
 */
export type LayerEntry = LayerOptions | RepeatVectorOptions | BidirectionalOptions<LayerOptions>;

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
  /** The layers, bottom-up: recurrent layers (any mix of cells), `{ repeatVector: n }` between two of them, `{ bidirectional: layer, merge }` wrappers. */
  layers: LayerEntry[];
  /** Outputs per step of the dense head. */
  outputSize: number;
  /** Output activation of the dense head (default 'linear'). */
  outputActivation?: OutputActivation;
  /** An output at every step instead of only at the last (default false). */
  returnSequences?: boolean;
  /** Defaults of unset layer options (default 'tfjs'). */
  defaults?: LayerDefaults;
  /** Token ids in: a table [vocab][dim] (Keras's Embedding) looked up before the first layer; needs inputSize 1 (one id per step). */
  embedding?: EmbeddingSpec;
  /** Carry each layer's final state of a batch (or predict call) into the next, per stream (default false). */
  stateful?: boolean;
  /** Learn each layer's initial state, weights `initialStates` (default false; not with stateful). */
  learnInitialState?: boolean;
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
  /** A bidirectional layer's backward copy's input weights, shaped as `kernel` (absent otherwise). */
  backwardKernel?: Float32Array;
  /** The backward copy's recurrent weights, shaped as `recurrentKernel` (absent otherwise). */
  backwardRecurrentKernel?: Float32Array;
  /** The backward copy's bias, shaped as `bias` (absent otherwise). */
  backwardBias?: Float32Array;
}

/** The weight names of a layer: its backward copy's too when it is bidirectional. */
const weightNames = (l: LayerSpec): Array<keyof LayerWeights> => (l.merge ? [...FORWARD, ...BACKWARD] : [...FORWARD]);
const FORWARD = ['kernel', 'recurrentKernel', 'bias'] as const;
const BACKWARD = ['backwardKernel', 'backwardRecurrentKernel', 'backwardBias'] as const;

/**
 * The weights by name: each layer's, then the dense head's kernel [units][outputSize] and bias [outputSize].
 * @category Models
 */
export interface RNNWeights {
  /** The embedding's table `[vocab][dim]`, with an `embedding` only. */
  embeddings?: Float32Array;
  /** Each recurrent layer's weights, bottom-up. */
  layers: LayerWeights[];
  /** The head's weights `[units of the top layer][outputSize]`. */
  outputKernel: Float32Array;
  /** The head's bias `[outputSize]`. */
  outputBias: Float32Array;
  /** With learnInitialState: each layer's learned initial state, h `[units]` (and c `[units]` for a cell state). */
  initialStates?: Array<{
    /** h0 `[units]`. */
    h: Float32Array;
    /** c0 `[units]`, for a cell with a cell state. */
    c?: Float32Array;
  }>;
}

/**
 * Weights to set: any layer's or the head's, flat or as rows.
 * @category Models
 */
export interface RNNWeightsInput {
  /** The embedding's table `[vocab][dim]`, flat or as rows. */
  embeddings?: unknown;
  /** Weights of some layers, by position bottom-up; a missing layer or name is left as it is. */
  layers?: Array<Partial<Record<keyof LayerWeights, unknown>> | undefined>;
  /** The head's weights `[units of the top layer][outputSize]`, flat or as rows. */
  outputKernel?: unknown;
  /** The head's bias `[outputSize]`. */
  outputBias?: unknown;
  /** With learnInitialState: some layers' initial states `{ h, c? }`, each `[units]`. */
  initialStates?: Array<{
    /** h0 `[units]`. */
    h?: unknown;
    /** c0 `[units]`, for a cell with a cell state. */
    c?: unknown;
  } | undefined>;
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
  config: {
    inputSize: number;
    /** An embedding input layer, when the inputs are tokens. */
    embedding?: EmbeddingSpec;
    layers: LayerSpec[]; outputSize: number; outputActivation: OutputActivation; returnSequences: boolean;
    /** Present (true) for a stateful model. */
    stateful?: true;
    /** Present (true) when the initial states are learned. */
    learnInitialState?: true;
  };
  /** Every weight as a flat row-major array, laid out as in RNNWeights. */
  weights: {
    /** The embedding table, with an embedding input layer. */
    embeddings?: number[];
    /** Each layer's kernel, recurrentKernel and bias (and a bidirectional layer's backward ones). */
    layers: Array<Partial<Record<keyof LayerWeights, number[]>>>; outputKernel: number[]; outputBias: number[];
    /** With learnInitialState: each layer's h0 (and c0) `[units]`. */
    initialStates?: Array<{
      /** h0 `[units]`. */
      h: number[];
      /** c0 `[units]`, for a cell with a cell state. */
      c?: number[];
    }>;
  };
}

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
export class RNN extends Recurrent<RNNWeights, RNNWeightsInput, RNNJSON> {
  constructor(options: RNNOptions) {
    // Checks, messages and defaults from the options' tables (./options.ts).
    const opt = readOptions('options', options, RNN_OPTIONS) as Required<RNNOptions>;
    const { inputSize: I, outputSize: O } = opt;
    const defaults = DEFAULTS[opt.defaults];
    if (!Array.isArray(options.layers) || options.layers.length < 1 || options.layers.length > 64) throw new ConfigError('layers', options.layers, 'an array of 1 to 64 layers { cell, units, ... }');
    const forget: boolean[] = [];
    // RepeatVector and Bidirectional entries read into the recurrent layers' wiring (./wiring.ts).
    const wiring = readWiring<LayerOptions>(options.layers, options.returnSequences === undefined ? undefined : opt.returnSequences);
    const layers = wiring.layers.map(({ layer: l, name, repeat, merge }): LayerSpec => {
      // The model's defaults fill what the layer leaves unset, then the table checks every option.
      const given = plainObject(l) ? { ...l, recurrentActivation: l.recurrentActivation ?? defaults.recurrentActivation, resetAfter: l.resetAfter ?? defaults.resetAfter, unitForgetBias: l.unitForgetBias ?? defaults.unitForgetBias } : l;
      const lo = readOptions(name, given, LAYER_OPTIONS, `${name}.`) as Required<LayerOptions>;
      for (const flag of ['resetAfter', 'unitForgetBias'] as const) checkBoolean(`${name}.${flag}`, lo[flag]);
      oneOf(`${name}.recurrentActivation`, lo.recurrentActivation, GATE_ACTIVATIONS);
      const reads = CELL_SPECS[lo.cell].options as readonly string[];
      // A flag the user set for a cell that has no such thing is a mistake, not a no-op.
      for (const flag of ['resetAfter', 'unitForgetBias'] as const) {
        if (plainObject(l) && l[flag] === true && !reads.includes(flag)) throw new ConfigError(`${name}.${flag}`, true, `false: ${lo.cell} has no ${flag}`);
      }
      // The recurrent kernel is drawn orthogonal: units × (gates·units) costs gates·units³ multiply-adds, bounded.
      const most = Math.floor(Math.cbrt(ORTHOGONAL_WORK / CELL_SPECS[lo.cell].gates) + 1e-9);
      if (lo.units > most) throw new ConfigError(`${name}.units`, lo.units, `an integer in [1, ${most}]`);
      forget.push(reads.includes('unitForgetBias') && lo.unitForgetBias);
      const spec: LayerSpec = { cell: lo.cell, units: lo.units, activation: lo.activation, recurrentActivation: lo.recurrentActivation, resetAfter: reads.includes('resetAfter') && lo.resetAfter };
      return { ...spec, ...(repeat !== undefined && { repeat }), ...(merge && { merge }) };
    });
    const embedding = embeddingOption(options.embedding, I);
    const dims: StackDims = { I, embedding, layers, O, outAct: opt.outputActivation, seq: wiring.seq, learnS0: opt.learnInitialState };
    // A state flows through one copy per layer over the input's steps: wired stacks have none to carry.
    for (const flag of ['stateful', 'learnInitialState'] as const) {
      if (opt[flag] === true && layers.some((l) => l.repeat !== undefined || l.merge)) throw new ConfigError(flag, true, 'false: repeatVector and bidirectional layers carry no state from call to call');
    }
    super({
      name: 'RNN',
      dims,
      stateful: opt.stateful,
      backend: opt.backend,
      // Keras's initialisers, drawn in this order from one stream: per layer kernel (Glorot uniform)
      // and recurrentKernel (orthogonal over all gates), then the head's kernel; biases start at 0,
      // the forget gate's at 1 with unitForgetBias.
      init: (params, o) => {
        const rng = new RandomState(options.seed ?? 0);
        // Keras's Embedding starts uniform in ±0.05, drawn first as its layer comes first.
        if (embedding) for (let i = 0; i < embedding.vocab * embedding.dim; i++) params[o.embedding + i] = rng.uniform(-0.05, 0.05);
        layers.forEach((l, i) => {
          const lo = o.layers[i]!, spec = CELL_SPECS[l.cell], G = spec.gates * l.units;
          // A bidirectional layer's backward copy is drawn after its forward one, laid out alike.
          for (const shift of lo.backward === undefined ? [0] : [0, lo.backward - lo.kernel]) {
            params.set(initialize('glorotUniform', rng, lo.inputs, G), lo.kernel + shift);
            params.set(initialize('orthogonal', rng, l.units, G), lo.recurrentKernel + shift);
            if (forget[i]) params.fill(1, lo.bias + shift + spec.forgetGate! * l.units, lo.bias + shift + (spec.forgetGate! + 1) * l.units);
          }
        });
        params.set(initialize('glorotUniform', rng, layerWidth(layers[layers.length - 1]!), O), o.head);
      },
    });
  }

  /** The shapes of every weight, as Keras stores them. */
  get shapes(): { embeddings?: number[]; layers: Array<Partial<Record<keyof LayerWeights, number[]>>>; outputKernel: number[]; outputBias: number[] } {
    const o = stackOffsets(this.dims);
    return {
      ...(this.embedding && { embeddings: [this.embedding.vocab, this.embedding.dim] }),
      layers: this.layers.map((l, i) => {
        const one = { kernel: [o.layers[i]!.inputs, CELL_SPECS[l.cell].gates * l.units], recurrentKernel: [l.units, CELL_SPECS[l.cell].gates * l.units], bias: [...o.layers[i]!.biasShape] };
        return l.merge ? { ...one, backwardKernel: one.kernel, backwardRecurrentKernel: one.recurrentKernel, backwardBias: one.bias } : one;
      }),
      outputKernel: [this.top, this.outputSize],
      outputBias: [this.outputSize],
    };
  }

  /** The weights by name (copies) of a flat parameter array of this model's layout. */
  weightsOf(params: Float32Array): RNNWeights {
    const o = stackOffsets(this.dims);
    return {
      ...(this.embedding && { embeddings: params.slice(o.embedding, o.layers[0]!.kernel) }),
      layers: o.layers.map((lo) => {
        const one = (at: number) => ({ kernel: params.slice(at, at + lo.recurrentKernel - lo.kernel), recurrentKernel: params.slice(at + lo.recurrentKernel - lo.kernel, at + lo.bias - lo.kernel), bias: params.slice(at + lo.bias - lo.kernel, at + (lo.backward ?? lo.end) - lo.kernel) });
        const b = lo.backward === undefined ? undefined : one(lo.backward);
        return { ...one(lo.kernel), ...(b && { backwardKernel: b.kernel, backwardRecurrentKernel: b.recurrentKernel, backwardBias: b.bias }) };
      }),
      outputKernel: params.slice(o.head, o.headBias),
      outputBias: params.slice(o.headBias, o.headEnd),
      ...(this.learnInitialState && { initialStates: initialStatesOf(params, o.initial, this.layers) }),
    };
  }

  /** Set any weights by name (flat or as rows, finite in float32); nothing changes unless every given weight is valid. */
  setWeights(w: RNNWeightsInput): void {
    checkNotTraining(this, 'setWeights');
    if (!plainObject(w)) throw new ConfigError('weights', w, 'an object { embeddings?, layers?, outputKernel?, outputBias?, initialStates? }');
    checkKeys('weights', w, [...(this.embedding ? ['embeddings'] : []), 'layers', 'outputKernel', 'outputBias', 'initialStates']);
    const o = stackOffsets(this.dims);
    const staged: Array<[number, Float32Array]> = [];
    if (w.embeddings !== undefined) staged.push([o.embedding, flatten('weights.embeddings', w.embeddings, this.embedding!.vocab, this.embedding!.dim)]);
    const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
    const shapes = this.shapes;
    if (w.layers !== undefined) {
      if (!Array.isArray(w.layers) || w.layers.length > this.layers.length) throw new ConfigError('weights.layers', w.layers, `an array of at most ${this.layers.length} layers' weights`);
      w.layers.forEach((lw, i) => {
        if (lw === undefined) return;
        const names = weightNames(this.layers[i]!);
        checkKeys(`weights.layers[${i}]`, lw, names);
        const lo = o.layers[i]!, shift = (lo.backward ?? lo.kernel) - lo.kernel;
        for (const key of names) {
          if (lw[key] === undefined) continue;
          const shape = shapes.layers[i]![key]!, at = key.startsWith('backward') ? lo[FORWARD[BACKWARD.indexOf(key as typeof BACKWARD[number])]!] + shift : lo[key as typeof FORWARD[number]];
          staged.push([at, flatten(`weights.layers[${i}].${key}`, lw[key], shape.length === 2 ? shape[0]! : 1, shape.length === 2 ? shape[1]! : size(shape))]);
        }
      });
    }
    if (w.outputKernel !== undefined) staged.push([o.head, flatten('weights.outputKernel', w.outputKernel, this.top, this.outputSize)]);
    if (w.outputBias !== undefined) staged.push([o.headBias, flatten('weights.outputBias', w.outputBias, 1, this.outputSize)]);
    if (w.initialStates !== undefined) staged.push(...stageInitialStates(w.initialStates, o.initial, this.layers, this.learnInitialState));
    for (const [at, flat] of staged) this.params.set(flat, at);
  }

  /** The model as plain JSON (format version 1); `RNN.fromJSON` restores it exactly. */
  toJSON(): RNNJSON {
    const w = this.weights;
    return {
      format: 'elman.RNN',
      version: 1,
      config: {
        inputSize: this.inputSize, ...(this.embedding && { embedding: { ...this.embedding } }), layers: this.layers.map((l) => ({ ...l })), outputSize: this.outputSize, outputActivation: this.outputActivation, returnSequences: this.returnSequences,
        ...(this.stateful && { stateful: true as const }), ...(this.learnInitialState && { learnInitialState: true as const }),
      },
      weights: {
        ...(w.embeddings && { embeddings: Array.from(w.embeddings) }),
        layers: w.layers.map((l) => Object.fromEntries(Object.entries(l).map(([k, v]) => [k, Array.from(v as Float32Array)]))),
        outputKernel: Array.from(w.outputKernel),
        outputBias: Array.from(w.outputBias),
        ...(w.initialStates && { initialStates: w.initialStates.map((l) => (l.c ? { h: Array.from(l.h), c: Array.from(l.c) } : { h: Array.from(l.h) })) }),
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
    const flags = optionalFlags('json.config', config);
    strictKeys('json.config', config, ['inputSize', ...('embedding' in config ? ['embedding'] : []), 'layers', 'outputSize', 'outputActivation', 'returnSequences', ...Object.keys(flags)]);
    const weights = json.weights as unknown;
    if (!plainObject(weights)) throw new ConfigError('json.weights', weights, 'an object');
    // The learned initial states are saved exactly when the config learns them.
    strictKeys('json.weights', weights, [...('embedding' in config ? ['embeddings'] : []), 'layers', 'outputKernel', 'outputBias', ...(flags.learnInitialState ? ['initialStates'] : [])]);
    const layers = config.layers;
    if (!Array.isArray(layers)) throw new ConfigError('json.config.layers', layers, 'an array of layers');
    const specs = Array.from(layers, (l: unknown, i) => {
      // The wiring keys are written only when set: files without them are the layouts of before.
      const { repeat, merge, ...rest } = plainObject(l) ? l : { repeat: undefined, merge: undefined };
      strictKeys(`json.config.layers[${i}]`, plainObject(l) ? rest : l, ['cell', 'units', 'activation', 'recurrentActivation', 'resetAfter']);
      if (repeat !== undefined) checkInteger(`json.config.layers[${i}].repeat`, repeat, 1);
      if (merge !== undefined) oneOf(`json.config.layers[${i}].merge`, merge, MERGE_MODES);
      return { ...(rest as unknown as LayerSpec), ...(repeat !== undefined && { repeat }), ...(merge !== undefined && { merge }) } as LayerSpec;
    });
    const c = config as RNNJSON['config'];
    const entries = wiringEntries(specs, ({ repeat: _r, merge: _m, ...l }): LayerOptions => ({ ...l, unitForgetBias: false }));
    const model = new RNN({ inputSize: c.inputSize, ...('embedding' in c && { embedding: c.embedding }), layers: entries, outputSize: c.outputSize, outputActivation: c.outputActivation, returnSequences: c.returnSequences, ...flags, backend: options.backend });
    try {
      const o = stackOffsets(model.dims);
      const arrays: Array<[string, unknown, number]> = [];
      const wl = weights.layers;
      if (!Array.isArray(wl) || wl.length !== model.layers.length) throw new ShapeError('json.weights.layers', wl, `be an array of ${model.layers.length} layers' weights`);
      wl.forEach((lw: unknown, i) => {
        const names = weightNames(model.layers[i]!);
        if (!plainObject(lw)) throw new ConfigError(`json.weights.layers[${i}]`, lw, `an object { ${names.join(', ')} }`);
        const lo = o.layers[i]!, one = (lo.backward ?? lo.end) - lo.kernel;
        const length = { kernel: lo.recurrentKernel - lo.kernel, recurrentKernel: lo.bias - lo.recurrentKernel, bias: one - (lo.bias - lo.kernel) };
        for (const key of names) arrays.push([`layers[${i}].${key}`, lw[key], length[key.startsWith('backward') ? FORWARD[BACKWARD.indexOf(key as typeof BACKWARD[number])]! : key as typeof FORWARD[number]]]);
      });
      if (model.embedding) arrays.push(['embeddings', weights.embeddings, o.layers[0]!.kernel - o.embedding]);
      arrays.push(['outputKernel', weights.outputKernel, o.headBias - o.head], ['outputBias', weights.outputBias, o.headEnd - o.headBias]);
      if (flags.learnInitialState) {
        const wi = weights.initialStates;
        if (!Array.isArray(wi) || wi.length !== model.layers.length) throw new ShapeError('json.weights.initialStates', wi, `be an array of ${model.layers.length} layers' { h, c? }`);
        wi.forEach((s: unknown, i) => {
          strictKeys(`json.weights.initialStates[${i}]`, s, o.initial[i]!.c >= 0 ? ['h', 'c'] : ['h']);
          for (const k of o.initial[i]!.c >= 0 ? (['h', 'c'] as const) : (['h'] as const)) arrays.push([`initialStates[${i}].${k}`, (s as Record<string, unknown>)[k], model.layers[i]!.units]);
        });
      }
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

}

/** The `embedding` option checked: { vocab, dim } with inputSize 1 (each step's input is one id), or undefined. */
function embeddingOption(e: unknown, inputSize: number): EmbeddingSpec | undefined {
  if (e === undefined) return undefined;
  if (!plainObject(e)) throw new ConfigError('embedding', e, 'an object { vocab, dim }');
  strictKeys('embedding', e, ['vocab', 'dim']);
  // float32 holds every integer id below 2^24 exactly: the ids travel in the Float32Array inputs.
  const vocab = checkInteger('embedding.vocab', e.vocab, 1, 2 ** 24), dim = checkInteger('embedding.dim', e.dim, 1, 4096);
  if (inputSize !== 1) throw new ConfigError('inputSize', inputSize, '1 with an embedding: each step\'s input is one token id');
  return { vocab, dim };
}

/** Each layer's learned initial state (copies) from flat params. */
function initialStatesOf(params: Float32Array, at: readonly InitialOffsets[], layers: readonly LayerSpec[]): Array<{ h: Float32Array; c?: Float32Array }> {
  return at.map((o, i) => {
    const H = layers[i]!.units, h = params.slice(o.h, o.h + H);
    return o.c >= 0 ? { h, c: params.slice(o.c, o.c + H) } : { h };
  });
}

/** The learned initial states a user sets, checked, as [offset, values] pairs. */
function stageInitialStates(given: unknown, at: readonly InitialOffsets[], layers: readonly LayerSpec[], learns: boolean): Array<[number, Float32Array]> {
  if (!learns) throw new ConfigError('weights.initialStates', given, 'absent: the model does not learn its initial state (learnInitialState: false)');
  if (!Array.isArray(given) || given.length > layers.length) throw new ConfigError('weights.initialStates', given, `an array of at most ${layers.length} layers' { h, c? }`);
  const staged: Array<[number, Float32Array]> = [];
  given.forEach((s: unknown, i) => {
    if (s === undefined) return;
    const o = at[i]!, keys = o.c >= 0 ? ['h', 'c'] : ['h'];
    checkKeys(`weights.initialStates[${i}]`, s, keys);
    const v = s as Record<string, unknown>;
    if (v.h !== undefined) staged.push([o.h, flatten(`weights.initialStates[${i}].h`, v.h, 1, layers[i]!.units)]);
    if (o.c >= 0 && v.c !== undefined) staged.push([o.c, flatten(`weights.initialStates[${i}].c`, v.c, 1, layers[i]!.units)]);
  });
  return staged;
}
