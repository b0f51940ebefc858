import type { BackendName } from '../backends/backend.js';
import { ConfigError, ShapeError } from '../errors.js';
import { ACTIVATIONS, ElmanRNN, OUTPUT_ACTIVATIONS } from '../models/elman.js';
import { isObject, kerasLayers, layerWeight, packWeights, readWeights, type KerasLayer, type TfjsArtifacts } from './tfjs-format.js';

/** What TF.js interop needs of a model: its saved JSON (format, config, weights flat row-major by name). */
export interface Exportable {
  toJSON(): { format: string; config: Record<string, unknown>; weights: Record<string, number[]> };
}

/** The models TF.js interop builds (a union as cells are added). */
export type InteropModel = ElmanRNN;

/** Options of `fromTfjs`: the backend of the model built (default: the model's default, 'wasm'). */
export interface FromTfjsOptions {
  backend?: BackendName;
}

/**
 * How one elman model maps onto a Keras recurrent layer + Dense. Adding a cell (GRU, LSTM) is one entry:
 * GRU kernel [I][3H], recurrent_kernel [H][3H], bias [3H] or [2][3H] with reset_after, gates z, r, h;
 * LSTM kernel [I][4H], recurrent_kernel [H][4H], bias [4H], gates i, f, c, o.
 */
interface RecurrentEntry {
  /** The `format` of the model's toJSON(). */
  readonly format: string;
  /** The Keras / TF.js class of the recurrent layer. */
  readonly className: string;
  /** [elman weight name, TF.js weight name, shape from the elman config], in TF.js's order. */
  weights(config: Record<string, unknown>): Array<[string, string, number[]]>;
  /** The elman config (without outputSize/outputActivation) from the layer's options; refuses what elman cannot honour. */
  config(layer: KerasLayer, inputSize: number): Record<string, unknown>;
  /** The layer's TF.js options from the elman config. */
  layerConfig(config: Record<string, unknown>): Record<string, unknown>;
  /** Build the model from its elman JSON. */
  revive(json: ReturnType<Exportable['toJSON']>, options: FromTfjsOptions): InteropModel;
}

const RECURRENT: readonly RecurrentEntry[] = [
  {
    format: 'elman.ElmanRNN',
    className: 'SimpleRNN',
    weights: (c) => {
      const [I, H] = [c.inputSize as number, c.hiddenSize as number];
      return [['kernel', 'kernel', [I, H]], ['recurrentKernel', 'recurrent_kernel', [H, H]], ['bias', 'bias', [H]]];
    },
    config: (layer, inputSize) => ({
      inputSize,
      hiddenSize: units(layer),
      activation: activation(layer, ACTIVATIONS),
      returnSequences: layer.config.return_sequences === true,
    }),
    layerConfig: (c) => ({ units: c.hiddenSize, activation: c.activation, use_bias: true, return_sequences: c.returnSequences, dropout: 0, recurrent_dropout: 0 }),
    revive: (json, options) => ElmanRNN.fromJSON(json as Parameters<typeof ElmanRNN.fromJSON>[0], options),
  },
];

const supported = () => `InputLayer, then one of ${RECURRENT.map((r) => r.className).join(', ')}, then Dense`;

/**
 * Build an elman model from a TF.js Layers model in memory (`tf.io.ModelArtifacts`): an optional
 * InputLayer, one recurrent layer and a Dense layer. Returns the model and the artifacts' userDefinedMetadata.
 */
export function fromTfjs(artifacts: TfjsArtifacts, options: FromTfjsOptions = {}): { model: InteropModel; metadata: Record<string, unknown> | undefined } {
  if (!isObject(artifacts)) throw new ConfigError('artifacts', artifacts, 'TF.js model artifacts { modelTopology, weightSpecs, weightData }');
  const layers = kerasLayers(artifacts.modelTopology).filter((l, i) => !(i === 0 && l.class_name === 'InputLayer'));
  const [rnn, dense, extra] = layers;
  const entry = RECURRENT.find((r) => r.className === rnn?.class_name);
  if (!rnn || !entry) throw unsupported(rnn, 'a recurrent layer');
  if (!dense || dense.class_name !== 'Dense') throw unsupported(dense ?? rnn, 'a Dense layer after the recurrent one');
  if (extra) throw unsupported(extra, 'nothing after the Dense layer');
  refuse(rnn, { return_state: false, go_backwards: false, stateful: false, time_major: false });
  const weights = readWeights(artifacts.weightSpecs, artifacts.weightData);
  const inputSize = layerWeight(weights, rnn.name, 'kernel').shape[0]!;
  const declared = inputShape(layers[0]!, kerasLayers(artifacts.modelTopology)[0]!);
  if (declared !== undefined && declared !== inputSize) throw new ShapeError(`${rnn.name}/kernel`, inputSize, `have ${declared} rows (the input's last dimension)`, `${inputSize}`);
  const outputSize = units(dense);
  const config: Record<string, unknown> = { ...entry.config(rnn, inputSize), outputSize, outputActivation: activation(dense, OUTPUT_ACTIVATIONS) };
  const named: Record<string, number[]> = {};
  const take = (layer: KerasLayer, tfName: string, elmanName: string, shape: number[]) => {
    const useBias = layer.config.use_bias !== false;
    if (tfName === 'bias' && !useBias) return void (named[elmanName] = new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(0));
    const w = layerWeight(weights, layer.name, tfName);
    if (w.shape.join() !== shape.join()) throw new ShapeError(`${layer.name}/${tfName}`, w.shape.join('×'), `have shape ${shape.join('×')} for ${layer.class_name} of ${String(config.hiddenSize)} units`, w.shape.join('×'));
    named[elmanName] = Array.from(w.values);
  };
  for (const [elmanName, tfName, shape] of entry.weights(config)) take(rnn, tfName, elmanName, shape);
  take(dense, 'kernel', 'outputKernel', [config.hiddenSize as number, outputSize]);
  take(dense, 'bias', 'outputBias', [outputSize]);
  const model = entry.revive({ format: entry.format, version: 1, config, weights: named } as ReturnType<Exportable['toJSON']>, options);
  return { model, metadata: isObject(artifacts.userDefinedMetadata) ? artifacts.userDefinedMetadata : undefined };
}

/** Options of `toTfjs`: JSON saved with the model as TF.js's userDefinedMetadata (e.g. a Scaler's toJSON()). */
export interface ToTfjsOptions {
  metadata?: Record<string, unknown>;
}

/**
 * The model as TF.js Layers artifacts (a Sequential: recurrent layer + Dense), what `tf.io.fromMemory`
 * or `tf.loadLayersModel` of the written files take; TF.js then predicts what the model predicts.
 */
export function toTfjs(model: Exportable, options: ToTfjsOptions = {}): TfjsArtifacts {
  if (typeof model?.toJSON !== 'function') throw new ConfigError('model', model, 'an elman model (with toJSON)');
  const json = model.toJSON();
  const entry = RECURRENT.find((r) => r.format === json.format);
  if (!entry) throw new ConfigError('model', json.format, `a model TF.js can load: one of ${RECURRENT.map((r) => r.format).join(', ')}`);
  if (options.metadata !== undefined && !isObject(options.metadata)) throw new ConfigError('metadata', options.metadata, 'a JSON object');
  const c = json.config;
  const rnnName = `${entry.className.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()}_1`;
  const specs = entry.weights(c).map(([elmanName, tfName, shape]) => ({ name: `${rnnName}/${tfName}`, shape, dtype: 'float32', values: json.weights[elmanName]! }));
  specs.push({ name: 'dense_1/kernel', shape: [c.hiddenSize as number, c.outputSize as number], dtype: 'float32', values: json.weights.outputKernel! });
  specs.push({ name: 'dense_1/bias', shape: [c.outputSize as number], dtype: 'float32', values: json.weights.outputBias! });
  const layers = [
    {
      class_name: entry.className,
      config: { name: rnnName, trainable: true, batch_input_shape: [null, null, c.inputSize], dtype: 'float32', ...entry.layerConfig(c), return_state: false, go_backwards: false, stateful: false, unroll: false },
    },
    { class_name: 'Dense', config: { name: 'dense_1', trainable: true, units: c.outputSize, activation: c.outputActivation, use_bias: true } },
  ];
  return {
    modelTopology: { class_name: 'Sequential', config: { name: 'elman', layers }, keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' },
    format: 'layers-model',
    generatedBy: 'elman',
    convertedBy: null,
    weightSpecs: specs.map(({ name, shape, dtype }) => ({ name, shape, dtype })),
    weightData: packWeights(specs),
    ...(options.metadata && { userDefinedMetadata: options.metadata }),
  };
}

function unsupported(layer: KerasLayer | undefined, wanted: string): ConfigError {
  const where = layer ? `layer ${layer.name}` : 'modelTopology';
  return new ConfigError(where, layer?.class_name ?? 'no such layer', `${wanted}: elman imports ${supported()}`);
}

/** Refuse a layer option elman cannot honour (anything but its default value). */
export function refuse(layer: KerasLayer, defaults: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(defaults)) {
    const v = layer.config[key];
    if (v !== undefined && v !== null && v !== value) throw new ConfigError(`layer ${layer.name} (${layer.class_name}).${key}`, v, `${String(value)}: elman does not support it`);
  }
}

/** A layer's `units`, checked. */
export function units(layer: KerasLayer): number {
  const u = layer.config.units;
  if (typeof u !== 'number' || !Number.isInteger(u) || u < 1 || u > 4096) throw new ConfigError(`layer ${layer.name} (${layer.class_name}).units`, u, 'an integer in [1, 4096]');
  return u;
}

function activation<T extends string>(layer: KerasLayer, choices: readonly T[]): T {
  const a = layer.config.activation ?? 'linear';
  if (!(choices as readonly unknown[]).includes(a)) throw new ConfigError(`layer ${layer.name} (${layer.class_name}).activation`, a, `one of ${choices.join(', ')}`);
  return a as T;
}

/** The input's last dimension as the topology declares it (batch_input_shape), if it does. */
function inputShape(first: KerasLayer, declared: KerasLayer): number | undefined {
  const { config } = declared.class_name === 'InputLayer' ? declared : first;
  // TF.js and Keras 2 write batch_input_shape; Keras 3 writes batch_shape.
  const shape = config.batch_input_shape ?? config.batch_shape;
  const last = Array.isArray(shape) ? shape.at(-1) : undefined;
  return typeof last === 'number' ? last : undefined;
}
