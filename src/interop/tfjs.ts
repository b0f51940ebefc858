import type { BackendName } from '../backends/backend.js';
import { ConfigError, ShapeError } from '../errors.js';
import { ACTIVATIONS, ElmanRNN, OUTPUT_ACTIVATIONS, type ElmanJSON } from '../models/elman.js';
import { checkInteger, checkKeys } from '../checks.js';
import { RNN } from '../models/rnn.js';
import { CELL_SPECS, CELLS } from '../cells/index.js';
import { GATE_ACTIVATIONS, GATES, stackOffsets, type CellKind, type EmbeddingSpec, type GateActivation, type LayerSpec } from '../stack-spec.js';
import type { OutputActivation } from '../types.js';
import { isObject, kerasLayers, layerWeight, packWeights, readWeights, type KerasLayer, type TfjsArtifacts } from './tfjs-format.js';

/** What TF.js interop needs of a model: its saved JSON (format, config, weights flat row-major by name). */
export interface Exportable {
  toJSON(): { format: string; config: Record<string, unknown>; weights: Record<string, unknown> };
}

/**
 * The models TF.js interop builds: an ElmanRNN for one SimpleRNN layer elman's Elman net can run, an RNN otherwise.
 * @category Interop and serving
 */
export type InteropModel = ElmanRNN | RNN;

/**
 * Options of `fromTfjs`: the backend of the model built (default: the model's default, 'wasm').
 * @category Interop and serving
 */
export interface FromTfjsOptions {
  /** Where the model's loops run: 'wasm' (default, needs `await init()`) or 'js'. */
  backend?: BackendName;
}

/**
 * The cell of each Keras / TF.js class, from the cell registry (src/cells/). Shapes follow from
 * stackOffsets: kernel [in][g·H], recurrent_kernel [H][g·H], bias [g·H] or [2][g·H] (reset_after).
 */
// A Map, not an object: a class_name of "constructor" or "__proto__" names no cell.
const CELL_OF: ReadonlyMap<string, CellKind> = new Map(CELLS.flatMap((cell) => (CELL_SPECS[cell].keras ? [[CELL_SPECS[cell].keras!.className, cell] as const] : [])));
const cellOf = (cls: string): CellKind | undefined => CELL_OF.get(cls);

const supported = () => `InputLayer, then one or more of ${[...CELL_OF.keys()].join(', ')} (all but the last with return_sequences), then Dense (an Embedding of token ids may come first)`;

/** A model in interop's terms: layers bottom-up with their weights, then the Dense head. */
interface Chain {
  inputSize: number;
  /** An Embedding layer in front (token ids in), with its table [vocab][dim] flat. */
  embedding?: EmbeddingSpec | undefined;
  embeddings?: number[] | undefined;
  layers: LayerSpec[];
  weights: Array<Record<'kernel' | 'recurrentKernel' | 'bias', number[]>>;
  outputSize: number;
  outputActivation: OutputActivation;
  returnSequences: boolean;
  outputKernel: number[];
  outputBias: number[];
  /** Keras's stateful, the same on every recurrent layer. */
  stateful: boolean;
}

/**
 * Build an elman model from a TF.js Layers model in memory (`tf.io.ModelArtifacts`): an optional
 * InputLayer, a chain of SimpleRNN / GRU / LSTM layers and a Dense layer. Returns the model and the
 * artifacts' userDefinedMetadata.
 * @example
 * ```ts
 * import { init, RNN, toTfjs, fromTfjs } from 'elman-rnn';
 *
 * await init();
 * const model = new RNN({ inputSize: 2, outputSize: 1, layers: [{ cell: 'gru', units: 4 }], seed: 1 });
 * const artifacts = toTfjs(model);              // what tf.loadLayersModel reads: modelTopology, weightSpecs, weightData
 * const { model: again } = fromTfjs(artifacts); // an RNN again, same weights
 * ```
 * @category Interop and serving
 */
export function fromTfjs(artifacts: TfjsArtifacts, options: FromTfjsOptions = {}): { model: InteropModel; metadata: Record<string, unknown> | undefined } {
  if (!isObject(artifacts)) throw new ConfigError('artifacts', artifacts, 'TF.js model artifacts { modelTopology, weightSpecs, weightData }');
  checkKeys('options', options, ['backend']);
  const all = kerasLayers(artifacts.modelTopology);
  const version = artifacts.modelTopology.keras_version;
  if (version !== undefined && version !== null && typeof version !== 'string') throw new ConfigError('modelTopology.keras_version', version, 'a string like "3.5.0" or "tfjs-layers 4.22.0"');
  // Keras 3 changed hard_sigmoid's slope (1/6, not TF.js's 0.2) and the gated layers' defaults.
  const keras3 = /^3\./.test(version ?? '');
  const layers = all.filter((l, i) => !(i === 0 && l.class_name === 'InputLayer'));
  const weights = readWeights(artifacts.weightSpecs, artifacts.weightData);
  const emb = layers[0]?.class_name === 'Embedding' ? embeddingOf(layers.shift()!, weights) : undefined;
  let top = 0;
  while (layers[top] && cellOf(layers[top]!.class_name) !== undefined) top++;
  const rnns = layers.slice(0, top);
  const dense = layers[top];
  if (rnns.length === 0) throw unsupported(layers[0], 'a recurrent layer');
  if (!dense || dense.class_name !== 'Dense') throw unsupported(dense ?? rnns.at(-1), 'a recurrent or Dense layer after the recurrent one');
  if (layers[top + 1]) throw unsupported(layers[top + 1], 'nothing after the Dense layer');
  const specs = rnns.map((l, k) => layerSpec(l, keras3, k < rnns.length - 1));
  const stateful = statefulOf(rnns);
  const inputSize = emb ? 1 : layerWeight(weights, rnns[0]!.name, 'kernel').shape[0]!;
  // An Embedding's declared input is [batch, steps] of ids: its last dimension is not a width.
  const declared = emb ? undefined : inputShape(layers[0]!, all[0]!);
  if (declared !== undefined && declared !== inputSize) throw new ShapeError(`${rnns[0]!.name}/kernel`, inputSize, `have ${declared} rows (the input's last dimension)`, `${inputSize}`);
  const take = (layer: KerasLayer, tfName: string, shape: readonly number[]): number[] => {
    if (tfName === 'bias' && layer.config.use_bias === false) return new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(0);
    const w = layerWeight(weights, layer.name, tfName);
    if (w.shape.join() !== shape.join()) throw new ShapeError(`${layer.name}/${tfName}`, w.shape.join('×'), `have shape ${shape.join('×')} for ${layer.class_name} of ${String(layer.config.units)} units`, w.shape.join('×'));
    return Array.from(w.values);
  };
  const outputSize = units(dense);
  const o = stackOffsets({ I: inputSize, embedding: emb?.spec, layers: specs, O: outputSize, outAct: 'linear', seq: false });
  const chain: Chain = {
    inputSize,
    embedding: emb?.spec,
    embeddings: emb?.values,
    layers: specs,
    weights: rnns.map((l, k) => {
      const { inputs, biasShape } = o.layers[k]!, G = GATES[specs[k]!.cell] * specs[k]!.units;
      return { kernel: take(l, 'kernel', [inputs, G]), recurrentKernel: take(l, 'recurrent_kernel', [specs[k]!.units, G]), bias: take(l, 'bias', biasShape) };
    }),
    outputSize,
    outputActivation: activation(dense, OUTPUT_ACTIVATIONS, 'linear'),
    returnSequences: rnns.at(-1)!.config.return_sequences === true,
    outputKernel: take(dense, 'kernel', [specs.at(-1)!.units, outputSize]),
    outputBias: take(dense, 'bias', [outputSize]),
    stateful,
  };
  return { model: revive(chain, options), metadata: isObject(artifacts.userDefinedMetadata) ? artifacts.userDefinedMetadata : undefined };
}

/** One recurrent layer's elman spec from its Keras config; refuses what elman cannot honour. */
function layerSpec(layer: KerasLayer, keras3: boolean, below: boolean): LayerSpec {
  refuse(layer, { return_state: false, go_backwards: false, time_major: false });
  const cls = layer.class_name;
  if (below && layer.config.return_sequences !== true) throw new ConfigError(`layer ${layer.name} (${cls}).return_sequences`, layer.config.return_sequences, 'true: the recurrent layer above it reads every step');
  const cell = cellOf(cls)!;
  const { gated, options } = CELL_SPECS[cell];
  return {
    cell,
    units: units(layer),
    activation: gateActivation(layer, 'activation', 'tanh', keras3),
    recurrentActivation: gated ? gateActivation(layer, 'recurrent_activation', keras3 ? 'sigmoid' : 'hardSigmoid', keras3) : 'sigmoid',
    resetAfter: (options as readonly string[]).includes('resetAfter') && (layer.config.reset_after ?? keras3) === true,
  };
}

/** An ElmanRNN where elman's Elman net runs the model as it is (one SimpleRNN of its activations), else an RNN. */
function revive(c: Chain, options: FromTfjsOptions): InteropModel {
  const [only] = c.layers;
  const head = { outputSize: c.outputSize, outputActivation: c.outputActivation, returnSequences: c.returnSequences, ...(c.stateful && { stateful: true as const }) };
  if (!c.embedding && c.layers.length === 1 && only!.cell === 'simple' && (ACTIVATIONS as readonly string[]).includes(only!.activation)) {
    const config = { inputSize: c.inputSize, hiddenSize: only!.units, activation: only!.activation as ElmanJSON['config']['activation'], ...head };
    return ElmanRNN.fromJSON({ format: 'elman.ElmanRNN', version: 1, config, weights: { ...c.weights[0]!, outputKernel: c.outputKernel, outputBias: c.outputBias } }, options);
  }
  const config = { inputSize: c.inputSize, ...(c.embedding && { embedding: c.embedding }), layers: c.layers, ...head };
  const weights = { ...(c.embeddings && { embeddings: c.embeddings }), layers: c.weights, outputKernel: c.outputKernel, outputBias: c.outputBias };
  return RNN.fromJSON({ format: 'elman.RNN', version: 1, config, weights }, options);
}

/** An elman model's JSON in interop's terms (ElmanRNN: one simple layer). */
function chainOf(json: ReturnType<Exportable['toJSON']>): Chain {
  const c = json.config as Record<string, any>, w = json.weights as Record<string, any>;
  // TF.js has no learned initial state: exporting one would silently start TF.js's streams from zeros.
  if (c.learnInitialState === true) throw new ConfigError('model.learnInitialState', true, 'false to export: TF.js layers have no learned initial state');
  const head = { inputSize: c.inputSize, outputSize: c.outputSize, outputActivation: c.outputActivation, returnSequences: c.returnSequences, outputKernel: w.outputKernel, outputBias: w.outputBias, stateful: c.stateful === true };
  if (json.format === 'elman.ElmanRNN') {
    const layer: LayerSpec = { cell: 'simple', units: c.hiddenSize, activation: c.activation, recurrentActivation: 'sigmoid', resetAfter: false };
    return { ...head, layers: [layer], weights: [{ kernel: w.kernel, recurrentKernel: w.recurrentKernel, bias: w.bias }] };
  }
  if (json.format === 'elman.RNN') return { ...head, embedding: c.embedding, embeddings: w.embeddings, layers: c.layers, weights: w.layers };
  throw new ConfigError('model', json.format, 'a model TF.js can load: one of elman.ElmanRNN, elman.RNN');
}

/**
 * Options of `toTfjs`: JSON saved with the model as TF.js's userDefinedMetadata (e.g. a Scaler's toJSON()).
 * @category Interop and serving
 */
export interface ToTfjsOptions {
  /** JSON saved as the artifacts' userDefinedMetadata (a plain object). */
  metadata?: Record<string, unknown>;
  /** A stateful model's streams: TF.js's stateful layers need a fixed batch size (batch_input_shape[0]); required then, refused otherwise. */
  batchSize?: number;
}

/**
 * The model as TF.js Layers artifacts (a Sequential: the recurrent layers + Dense), what `tf.io.fromMemory`
 * or `tf.loadLayersModel` of the written files take; TF.js then predicts what the model predicts.
 * A GRU with resetAfter is refused: tf.layers.gru does not support reset_after.
 * @example
 * ```ts
 * import { init, RNN, toTfjs, fromTfjs } from 'elman-rnn';
 *
 * await init();
 * const model = new RNN({ inputSize: 2, outputSize: 1, layers: [{ cell: 'gru', units: 4 }], seed: 1 });
 * const artifacts = toTfjs(model);              // what tf.loadLayersModel reads: modelTopology, weightSpecs, weightData
 * const { model: again } = fromTfjs(artifacts); // an RNN again, same weights
 * ```
 * @category Interop and serving
 */
export function toTfjs(model: Exportable, options: ToTfjsOptions = {}): TfjsArtifacts {
  if (typeof model?.toJSON !== 'function') throw new ConfigError('model', model, 'an elman model (with toJSON)');
  checkKeys('options', options, ['metadata', 'batchSize']);
  if (options.metadata !== undefined) checkMetadata(options.metadata);
  const c = chainOf(model.toJSON());
  const batch = exportBatch(c.stateful, options.batchSize);
  c.layers.forEach((l, k) => {
    if (!CELL_SPECS[l.cell].keras) throw new ConfigError(`model.layers[${k}].cell`, l.cell, `a cell TF.js has a layer for: ${[...CELL_OF.keys()].join(', ')}`);
    if (l.resetAfter) throw new ConfigError(`model.layers[${k}].resetAfter`, true, "false to export: TF.js's GRU layer does not support reset_after");
  });
  const specs: Array<{ name: string; shape: number[]; values: number[] }> = [];
  const o = stackOffsets({ I: c.inputSize, embedding: c.embedding, layers: c.layers, O: c.outputSize, outAct: 'linear', seq: false });
  const layers: Array<Record<string, unknown>> = c.embedding ? [embeddingLayer(c.embedding, c.embeddings!, specs, batch)] : [];
  layers.push(...c.layers.map((l, k) => {
    const keras = CELL_SPECS[l.cell].keras!;
    const cls = keras.className;
    const name = `${cls.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()}_${k + 1}`;
    const G = GATES[l.cell] * l.units;
    specs.push({ name: `${name}/kernel`, shape: [o.layers[k]!.inputs, G], values: c.weights[k]!.kernel });
    specs.push({ name: `${name}/recurrent_kernel`, shape: [l.units, G], values: c.weights[k]!.recurrentKernel });
    specs.push({ name: `${name}/bias`, shape: [G], values: c.weights[k]!.bias });
    const gates = keras.config(l);
    const config = {
      name,
      trainable: true,
      ...(k === 0 && !c.embedding && { batch_input_shape: [batch, null, c.inputSize] }),
      dtype: 'float32',
      units: l.units,
      activation: l.activation,
      ...gates,
      use_bias: true,
      return_sequences: k < c.layers.length - 1 || c.returnSequences,
      dropout: 0,
      recurrent_dropout: 0,
      return_state: false,
      go_backwards: false,
      stateful: c.stateful,
      unroll: false,
    };
    return { class_name: cls, config };
  }));
  const H = c.layers.at(-1)!.units;
  specs.push({ name: 'dense_1/kernel', shape: [H, c.outputSize], values: c.outputKernel });
  specs.push({ name: 'dense_1/bias', shape: [c.outputSize], values: c.outputBias });
  layers.push({ class_name: 'Dense', config: { name: 'dense_1', trainable: true, units: c.outputSize, activation: c.outputActivation, use_bias: true } });
  return {
    modelTopology: { class_name: 'Sequential', config: { name: 'elman', layers }, keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' },
    format: 'layers-model',
    generatedBy: 'elman',
    convertedBy: null,
    weightSpecs: specs.map(({ name, shape }) => ({ name, shape, dtype: 'float32' })),
    weightData: packWeights(specs),
    ...(options.metadata && { userDefinedMetadata: options.metadata }),
  };
}

/** An Embedding layer's spec and table [input_dim][output_dim]; a mask (mask_zero) is refused. */
function embeddingOf(layer: KerasLayer, weights: ReturnType<typeof readWeights>): { spec: EmbeddingSpec; values: number[] } {
  refuse(layer, { mask_zero: false });
  const vocab = layer.config.input_dim, dim = layer.config.output_dim;
  if (typeof vocab !== 'number' || !Number.isInteger(vocab) || vocab < 1 || vocab > 2 ** 24) throw new ConfigError(`layer ${layer.name} (Embedding).input_dim`, vocab, 'an integer in [1, 2^24]');
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1 || dim > 4096) throw new ConfigError(`layer ${layer.name} (Embedding).output_dim`, dim, 'an integer in [1, 4096]');
  const w = layerWeight(weights, layer.name, 'embeddings');
  if (w.shape.join() !== `${vocab},${dim}`) throw new ShapeError(`${layer.name}/embeddings`, w.shape.join('×'), `have shape ${vocab}×${dim} (input_dim × output_dim)`, w.shape.join('×'));
  return { spec: { vocab, dim }, values: Array.from(w.values) };
}

/** TF.js's Embedding layer for a table [vocab][dim] (batch: a stateful model's streams, else null), its weight spec pushed onto `specs`. */
function embeddingLayer(e: EmbeddingSpec, values: number[], specs: Array<{ name: string; shape: number[]; values: number[] }>, batch: number | null): Record<string, unknown> {
  specs.push({ name: 'embedding_1/embeddings', shape: [e.vocab, e.dim], values });
  return { class_name: 'Embedding', config: { name: 'embedding_1', trainable: true, batch_input_shape: [batch, null], dtype: 'float32', input_dim: e.vocab, output_dim: e.dim, mask_zero: false, input_length: null } };
}

/** Keras's stateful from the recurrent layers: all of them or none (elman's state flows through the whole stack). */
function statefulOf(rnns: readonly KerasLayer[]): boolean {
  const first = rnns[0]!.config.stateful === true;
  for (const l of rnns) {
    const v = l.config.stateful ?? false;
    if (typeof v !== 'boolean') throw new ConfigError(`layer ${l.name} (${l.class_name}).stateful`, v, 'a boolean');
    if (v !== first) throw new ConfigError(`layer ${l.name} (${l.class_name}).stateful`, v, `${first}: elman carries the state of every layer or of none, like ${rnns[0]!.name}`);
  }
  return first;
}

/** batch_input_shape[0] of an export: the streams of a stateful model (required), null otherwise. */
function exportBatch(stateful: boolean, batchSize: unknown): number | null {
  if (!stateful) {
    if (batchSize !== undefined) throw new ConfigError('options.batchSize', batchSize, 'absent: only a stateful model has a fixed batch size');
    return null;
  }
  if (batchSize === undefined) throw new ConfigError('options.batchSize', undefined, "the stateful model's number of streams: TF.js's stateful layers need a fixed batch size");
  return checkInteger('options.batchSize', batchSize, 1, 2 ** 24);
}

/** Metadata must survive JSON.stringify as given: a plain object with no BigInt, cycle or function. */
function checkMetadata(metadata: unknown): void {
  if (!isObject(metadata)) throw new ConfigError('metadata', metadata, 'a JSON object');
  let text: string | undefined;
  try {
    text = JSON.stringify(metadata);
  } catch (error) {
    throw new ConfigError('metadata', metadata, `JSON: no BigInt and no cycle (${(error as Error).message.split('\n')[0]})`);
  }
  if (text === undefined) throw new ConfigError('metadata', metadata, 'a JSON object');
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

function activation<T extends string>(layer: KerasLayer, choices: readonly T[], fallback: T): T {
  const a = layer.config.activation ?? fallback;
  if (!(choices as readonly unknown[]).includes(a)) throw new ConfigError(`layer ${layer.name} (${layer.class_name}).activation`, a, `one of ${choices.join(', ')}`);
  return a as T;
}

/** A recurrent layer's activation or recurrent_activation; Keras 2's "hard_sigmoid" is TF.js's hardSigmoid, Keras 3's is not. */
function gateActivation(layer: KerasLayer, key: string, fallback: GateActivation, keras3: boolean): GateActivation {
  const a = layer.config[key] ?? fallback;
  const name = a === 'hard_sigmoid' && !keras3 ? 'hardSigmoid' : a;
  if (!(GATE_ACTIVATIONS as readonly unknown[]).includes(name)) {
    const note = a === 'hard_sigmoid' ? " (Keras 3's hard_sigmoid has slope 1/6; elman's hardSigmoid is TF.js's 0.2)" : '';
    throw new ConfigError(`layer ${layer.name} (${layer.class_name}).${key}`, a, `one of ${GATE_ACTIVATIONS.join(', ')}${note}`);
  }
  return name as GateActivation;
}

/** The input's last dimension as the topology declares it (batch_input_shape), if it does. */
function inputShape(first: KerasLayer, declared: KerasLayer): number | undefined {
  const { config } = declared.class_name === 'InputLayer' ? declared : first;
  // TF.js and Keras 2 write batch_input_shape; Keras 3 writes batch_shape.
  const shape = config.batch_input_shape ?? config.batch_shape;
  const last = Array.isArray(shape) ? shape.at(-1) : undefined;
  return typeof last === 'number' ? last : undefined;
}
