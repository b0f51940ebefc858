// TF.js Layers interop for the stacked RNN: a Sequential of SimpleRNN / GRU / LSTM layers (any mix,
// all but the top returning sequences) and one Dense, both ways. Weights are Keras's layouts, which
// RNN keeps: kernel [in][g·units], recurrent_kernel [units][g·units], bias [g·units] ([2][3·units]
// for a GRU with reset_after). Activation names follow TF.js: 'hard_sigmoid' is TF.js's
// clip(0.2·x + 0.5, 0, 1) (Keras 3's hard_sigmoid, slope 1/6, is not the same function).

import type { BackendName } from '../backends/backend.js';
import { GATE_ACTIVATIONS, type CellKind, type GateActivation } from '../stack-spec.js';
import { ConfigError, ShapeError } from '../errors.js';
import { RNN, type LayerOptions } from '../models/rnn.js';
import { OUTPUT_ACTIVATIONS, type OutputActivation } from '../types.js';
import { isObject, kerasLayers, layerWeight, packWeights, readWeights, type KerasLayer, type TfjsArtifacts } from './tfjs-format.js';
import { fromTfjs, refuse, toTfjs, units, type Exportable, type FromTfjsOptions, type InteropModel, type ToTfjsOptions } from './tfjs.js';

/** Keras class of each cell. */
const CLASS: Record<CellKind, string> = { simple: 'SimpleRNN', gru: 'GRU', lstm: 'LSTM' };
const CELL_OF: Record<string, CellKind> = { SimpleRNN: 'simple', GRU: 'gru', LSTM: 'lstm' };
/** Serialised activation names (TF.js writes snake_case) and ours. */
const ACT_NAME: Record<GateActivation, string> = { linear: 'linear', tanh: 'tanh', relu: 'relu', sigmoid: 'sigmoid', hardSigmoid: 'hard_sigmoid' };

const supported = 'InputLayer, then SimpleRNN / GRU / LSTM layers (return_sequences on all but the last), then Dense';

/** Build an RNN from TF.js Layers artifacts (what `model.save` writes); returns it and the userDefinedMetadata. */
export function rnnFromTfjs(artifacts: TfjsArtifacts, options: { backend?: BackendName } = {}): { model: RNN; metadata: Record<string, unknown> | undefined } {
  if (!isObject(artifacts)) throw new ConfigError('artifacts', artifacts, 'TF.js model artifacts { modelTopology, weightSpecs, weightData }');
  const all = kerasLayers(artifacts.modelTopology);
  const chain = all.filter((l, i) => !(i === 0 && l.class_name === 'InputLayer'));
  const recurrent: KerasLayer[] = [];
  while (chain[recurrent.length] && CELL_OF[chain[recurrent.length]!.class_name]) recurrent.push(chain[recurrent.length]!);
  const dense = chain[recurrent.length], extra = chain[recurrent.length + 1];
  if (recurrent.length === 0) throw unsupported(chain[0], 'a recurrent layer first');
  if (!dense || dense.class_name !== 'Dense') throw unsupported(dense ?? recurrent.at(-1), 'a Dense layer after the recurrent ones');
  if (extra) throw unsupported(extra, 'nothing after the Dense layer');
  const weights = readWeights(artifacts.weightSpecs, artifacts.weightData);
  const inputSize = layerWeight(weights, recurrent[0]!.name, 'kernel').shape[0]!;
  const layers: LayerOptions[] = recurrent.map((l, i) => {
    refuse(l, { return_state: false, go_backwards: false, stateful: false, time_major: false });
    const top = i === recurrent.length - 1;
    if (!top && l.config.return_sequences !== true) throw new ConfigError(`layer ${l.name} (${l.class_name}).return_sequences`, l.config.return_sequences, 'true below the top recurrent layer: each layer feeds the next every step');
    const cell = CELL_OF[l.class_name]!;
    return {
      cell,
      units: units(l),
      activation: act(l, 'activation', 'tanh'),
      recurrentActivation: cell === 'simple' ? 'sigmoid' : act(l, 'recurrent_activation', 'hard_sigmoid'),
      resetAfter: cell === 'gru' && l.config.reset_after === true,
    };
  });
  const outputSize = units(dense);
  const outAct = (dense.config.activation ?? 'linear') as OutputActivation;
  if (!OUTPUT_ACTIVATIONS.includes(outAct)) throw new ConfigError(`layer ${dense.name} (Dense).activation`, outAct, `one of ${OUTPUT_ACTIVATIONS.join(', ')}`);
  const model = new RNN({ inputSize, layers, outputSize, outputActivation: outAct, returnSequences: recurrent.at(-1)!.config.return_sequences === true, ...options });
  try {
    const shapes = model.shapes;
    const take = (layer: KerasLayer, name: string, shape: number[]): Float32Array => {
      const size = shape.reduce((a, b) => a * b, 1);
      if (name === 'bias' && layer.config.use_bias === false) return new Float32Array(size);
      const w = layerWeight(weights, layer.name, name);
      if (w.shape.join() !== shape.join()) throw new ShapeError(`${layer.name}/${name}`, w.shape.join('×'), `have shape ${shape.join('×')}`, w.shape.join('×'));
      return w.values;
    };
    model.setWeights({
      layers: recurrent.map((l, i) => ({ kernel: take(l, 'kernel', shapes.layers[i]!.kernel), recurrentKernel: take(l, 'recurrent_kernel', shapes.layers[i]!.recurrentKernel), bias: take(l, 'bias', shapes.layers[i]!.bias) })),
      outputKernel: take(dense, 'kernel', shapes.outputKernel),
      outputBias: take(dense, 'bias', shapes.outputBias),
    });
  } catch (error) {
    model.dispose();
    throw error;
  }
  return { model, metadata: isObject(artifacts.userDefinedMetadata) ? artifacts.userDefinedMetadata : undefined };
}

/** The RNN as TF.js Layers artifacts: `tf.loadLayersModel(tf.io.fromMemory(...))` then predicts what it predicts. */
export function rnnToTfjs(model: RNN, options: { metadata?: Record<string, unknown> } = {}): TfjsArtifacts {
  if (!(model instanceof RNN)) throw new ConfigError('model', model, 'an RNN');
  if (options.metadata !== undefined && !isObject(options.metadata)) throw new ConfigError('metadata', options.metadata, 'a JSON object');
  model.layers.forEach((l, i) => {
    if (l.resetAfter) throw new ConfigError(`layers[${i}].resetAfter`, true, 'false for TF.js: tf.layers.gru (4.22) refuses reset_after (Keras loads it; TF.js does not)');
  });
  const w = model.weights, shapes = model.shapes;
  const specs: Array<{ name: string; shape: number[]; values: Float32Array }> = [];
  const layers = model.layers.map((l, i) => {
    const name = `${CLASS[l.cell].toLowerCase()}_${i + 1}`;
    specs.push(
      { name: `${name}/kernel`, shape: shapes.layers[i]!.kernel, values: w.layers[i]!.kernel },
      { name: `${name}/recurrent_kernel`, shape: shapes.layers[i]!.recurrentKernel, values: w.layers[i]!.recurrentKernel },
      { name: `${name}/bias`, shape: shapes.layers[i]!.bias, values: w.layers[i]!.bias },
    );
    const gates = l.cell === 'simple' ? {} : { recurrent_activation: ACT_NAME[l.recurrentActivation], recurrent_dropout: 0, implementation: null };
    return {
      class_name: CLASS[l.cell],
      config: {
        name, trainable: true, dtype: 'float32', ...(i === 0 && { batch_input_shape: [null, null, model.inputSize] }),
        units: l.units, activation: ACT_NAME[l.activation], use_bias: true, dropout: 0, ...gates, ...(l.cell === 'gru' && { reset_after: false }),
        return_sequences: i < model.layers.length - 1 || model.returnSequences, return_state: false, go_backwards: false, stateful: false, unroll: false,
      },
    };
  });
  specs.push({ name: 'dense_1/kernel', shape: shapes.outputKernel, values: w.outputKernel }, { name: 'dense_1/bias', shape: shapes.outputBias, values: w.outputBias });
  layers.push({ class_name: 'Dense', config: { name: 'dense_1', trainable: true, units: model.outputSize, activation: model.outputActivation, use_bias: true } as never });
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

function unsupported(layer: KerasLayer | undefined, wanted: string): ConfigError {
  return new ConfigError(layer ? `layer ${layer.name}` : 'modelTopology', layer?.class_name ?? 'no such layer', `${wanted}: elman imports ${supported}`);
}

function act(layer: KerasLayer, key: string, fallback: string): GateActivation {
  const raw = layer.config[key] ?? fallback;
  const name = raw === 'hard_sigmoid' ? 'hardSigmoid' : raw;
  if (!(GATE_ACTIVATIONS as readonly unknown[]).includes(name)) throw new ConfigError(`layer ${layer.name} (${layer.class_name}).${key}`, raw, `one of ${Object.values(ACT_NAME).join(', ')}`);
  return name as GateActivation;
}

/**
 * Any supported TF.js Layers model: one SimpleRNN + Dense becomes an ElmanRNN (fromTfjs), any other
 * chain of SimpleRNN / GRU / LSTM layers + Dense an RNN; anything else fromTfjs refuses by name.
 */
export function importTfjs(artifacts: TfjsArtifacts, options: FromTfjsOptions = {}): { model: InteropModel | RNN; metadata: Record<string, unknown> | undefined } {
  if (!isObject(artifacts)) return fromTfjs(artifacts, options);
  const chain = kerasLayers(artifacts.modelTopology).filter((l, i) => !(i === 0 && l.class_name === 'InputLayer'));
  let n = 0;
  while (chain[n] && CELL_OF[chain[n]!.class_name]) n++;
  const elman = n === 1 && chain[0]!.class_name === 'SimpleRNN';
  return n === 0 || elman ? fromTfjs(artifacts, options) : rnnFromTfjs(artifacts, options);
}

/** Any elman model as TF.js Layers artifacts: an RNN through rnnToTfjs, the others through toTfjs. */
export function exportTfjs(model: Exportable | RNN, options: ToTfjsOptions = {}): TfjsArtifacts {
  return model instanceof RNN ? rnnToTfjs(model, options) : toTfjs(model, options);
}
