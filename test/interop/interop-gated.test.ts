import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/backends/wasm/core.js';
import { ConfigError } from '../../src/errors.js';
import { ElmanRNN } from '../../src/models/elman.js';
import { RNN } from '../../src/models/rnn.js';
import { fromTfjs, toTfjs } from '../../src/interop/tfjs.js';
import type { TfjsArtifacts } from '../../src/interop/tfjs-format.js';
import { randomElmanData } from '../helpers/elman-data.js';
import { artifactsOf, tfPredict } from '../helpers/tfjs-models.js';

// GRU, LSTM and stacks of any recurrent layers, TF.js ↔ elman. TF.js 4.22 is the truth: it builds,
// initialises and runs the models; elman must read them and predict the same within 1e-5, and write
// models tf.loadLayersModel reads back with the same weights bit for bit and the same predictions.
beforeAll(async () => {
  await init();
  await tf.setBackend('cpu');
});
afterAll(() => tf.disposeVariables());

type Cell = 'simple' | 'gru' | 'lstm';
interface TfLayer {
  cell: Cell;
  units: number;
  activation?: string;
  recurrentActivation?: string;
}

/** A chain of tf.layers recurrent layers + Dense, TF.js's initialisers plus non-zero biases. */
function tfChain(I: number, layers: TfLayer[], O: number, outAct: string, seq: boolean, seed = 3): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.inputLayer({ inputShape: [null, I] }));
  layers.forEach((l, k) => {
    const args = {
      units: l.units,
      returnSequences: k < layers.length - 1 || seq,
      biasInitializer: tf.initializers.randomUniform({ minval: -0.4, maxval: 0.4, seed: seed + k }),
      ...(l.activation && { activation: l.activation as 'tanh' }),
      ...(l.recurrentActivation && { recurrentActivation: l.recurrentActivation as 'sigmoid' }),
    };
    m.add(l.cell === 'gru' ? tf.layers.gru(args) : l.cell === 'lstm' ? tf.layers.lstm(args) : tf.layers.simpleRNN(args));
  });
  m.add(tf.layers.dense({ units: O, activation: outAct as 'linear', biasInitializer: tf.initializers.randomUniform({ minval: -0.3, maxval: 0.3, seed: seed + 50 }) }));
  return m;
}

const worst: Record<string, number> = {};
afterAll(() => console.log(`TF.js → elman, worst |difference| of predictions: ${Object.entries(worst).map(([k, v]) => `${k} ${v.toExponential(1)}`).join(', ')}`));

function expectClose(label: string, ours: Float32Array, theirs: Float32Array): void {
  expect(ours.length).toBe(theirs.length);
  let w = 0;
  for (let i = 0; i < ours.length; i++) w = Math.max(w, Math.abs(ours[i]! - theirs[i]!));
  worst[label] = Math.max(worst[label] ?? 0, w);
  expect(w).toBeLessThan(1e-5);
}

const cases: Array<[string, TfLayer[], string, boolean]> = [
  ['GRU (TF.js defaults: hardSigmoid gates)', [{ cell: 'gru', units: 7 }], 'linear', false],
  ['GRU, sigmoid gates, relu', [{ cell: 'gru', units: 5, activation: 'relu', recurrentActivation: 'sigmoid' }], 'sigmoid', true],
  ['LSTM (TF.js defaults)', [{ cell: 'lstm', units: 6 }], 'linear', true],
  ['LSTM, sigmoid gates', [{ cell: 'lstm', units: 4, recurrentActivation: 'sigmoid' }], 'softmax', false],
  ['LSTM→GRU', [{ cell: 'lstm', units: 6 }, { cell: 'gru', units: 5 }], 'linear', false],
  ['SimpleRNN→LSTM→GRU', [{ cell: 'simple', units: 4 }, { cell: 'lstm', units: 5, recurrentActivation: 'sigmoid' }, { cell: 'gru', units: 3 }], 'linear', true],
  ['SimpleRNN(hardSigmoid)', [{ cell: 'simple', units: 4, activation: 'hardSigmoid' }], 'linear', false],
];

describe.each(['wasm', 'js'] as const)('TF.js recurrent chains loaded into elman (%s)', (backend) => {
  test.each(cases)('%s: an RNN with the same layers, predicting the same within 1e-5', async (label, layers, outAct, seq) => {
    const [I, O, steps, n] = [3, 2, 11, 6];
    const theirs = tfChain(I, layers, O, outAct, seq);
    const { model } = fromTfjs(await artifactsOf(theirs), { backend });
    expect(model).toBeInstanceOf(RNN);
    const rnn = model as RNN;
    expect(rnn.layers.map((l) => [l.cell, l.units])).toEqual(layers.map((l) => [l.cell, l.units]));
    expect([rnn.inputSize, rnn.outputSize, rnn.outputActivation, rnn.returnSequences, rnn.backend]).toEqual([I, O, outAct, seq, backend]);
    const x = randomElmanData(11, n, steps, I, O, seq).x;
    expectClose(`${backend} ${label}`, rnn.predict({ x, samples: n, steps }), tfPredict(theirs, x, steps, n, I, seq, O));
    model.dispose();
    theirs.dispose();
  });
});

describe.each(['wasm', 'js'] as const)('round trip TF.js → elman → TF.js (%s)', (backend) => {
  test.each([
    ['GRU', [{ cell: 'gru', units: 6 }]],
    ['LSTM', [{ cell: 'lstm', units: 5 }]],
    ['LSTM→GRU', [{ cell: 'lstm', units: 6, recurrentActivation: 'sigmoid' }, { cell: 'gru', units: 4 }]],
    ['GRU→LSTM→SimpleRNN', [{ cell: 'gru', units: 3 }, { cell: 'lstm', units: 4 }, { cell: 'simple', units: 5, activation: 'relu' }]],
  ] as Array<[string, TfLayer[]]>)('%s: same weights bit for bit, identical predictions', async (_, layers) => {
    const [I, O, steps, n] = [2, 3, 9, 4];
    const original = tfChain(I, layers, O, 'linear', true, 21);
    const { model } = fromTfjs(await artifactsOf(original), { backend });
    const back = await tf.loadLayersModel(tf.io.fromMemory(toTfjs(model) as unknown as tf.io.ModelArtifacts));
    expect(back.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(original.getWeights().map((w) => Array.from(w.dataSync())));
    const x = randomElmanData(8, n, steps, I, O, true).x;
    expect(tfPredict(back, x, steps, n, I, true, O)).toEqual(tfPredict(original, x, steps, n, I, true, O));
    // And a second trip through elman gives the same model.
    const again = fromTfjs(await artifactsOf(back), { backend }).model;
    expect(again.toJSON()).toEqual(model.toJSON());
    for (const m of [model, again]) m.dispose();
    original.dispose();
    back.dispose();
  });
});

test('an elman RNN (LSTM→GRU, own weights) exported to TF.js predicts what elman predicts', async () => {
  const model = new RNN({ inputSize: 2, layers: [{ cell: 'lstm', units: 5 }, { cell: 'gru', units: 4, recurrentActivation: 'sigmoid' }], outputSize: 3, outputActivation: 'softmax', returnSequences: true, seed: 4 });
  // Non-zero biases, so that each gate's block of the bias is exercised.
  model.setWeights({ layers: model.weights.layers.map((l, i) => ({ bias: l.bias.map((_, j) => Math.sin(3 * j + i) * 0.5) })), outputBias: [0.2, -0.1, 0.3] });
  const theirs = await tf.loadLayersModel(tf.io.fromMemory(toTfjs(model) as unknown as tf.io.ModelArtifacts));
  const data = randomElmanData(2, 7, 13, 2, 3, true);
  expectClose('elman → TF.js LSTM→GRU', model.predict(data), tfPredict(theirs, data.x, 13, 7, 2, true, 3));
  model.dispose();
  theirs.dispose();
});

test('a single SimpleRNN of an Elman activation still loads as ElmanRNN; a GRU with reset_after (Keras 3) loads, and is refused on export', async () => {
  const simple = fromTfjs(await artifactsOf(tfChain(2, [{ cell: 'simple', units: 3 }], 1, 'linear', false))).model;
  expect(simple).toBeInstanceOf(ElmanRNN);
  simple.dispose();
  // tf.layers.gru refuses reset_after: the artifacts are written as Keras 3 would, from an elman GRU's weights.
  const gru = new RNN({ inputSize: 2, layers: [{ cell: 'gru', units: 3, resetAfter: true, recurrentActivation: 'sigmoid' }], outputSize: 1, seed: 5 });
  expect(() => toTfjs(gru)).toThrow(/model\.layers\[0\]\.resetAfter must be false to export: TF\.js's GRU layer does not support reset_after/);
  const w = gru.weights.layers[0]!;
  const a: TfjsArtifacts = {
    modelTopology: {
      class_name: 'Sequential',
      keras_version: '3.6.0',
      config: { layers: [{ class_name: 'InputLayer', config: { name: 'in', batch_shape: [null, null, 2] } }, { class_name: 'GRU', config: { name: 'gru', units: 3, activation: 'tanh', recurrent_activation: 'sigmoid', reset_after: true, use_bias: true } }, { class_name: 'Dense', config: { name: 'dense', units: 1, activation: 'linear' } }] },
    },
    weightSpecs: [['gru/gru_cell/kernel', [2, 9]], ['gru/gru_cell/recurrent_kernel', [3, 9]], ['gru/gru_cell/bias', [2, 9]], ['dense/kernel', [3, 1]], ['dense/bias', [1]]].map(([name, shape]) => ({ name: name as string, shape: shape as number[], dtype: 'float32' })),
    weightData: Float32Array.from([...w.kernel, ...w.recurrentKernel, ...w.bias, ...gru.weights.outputKernel, ...gru.weights.outputBias]).buffer,
  };
  const loaded = fromTfjs(a, { backend: 'js' }).model as RNN;
  expect(loaded.toJSON()).toEqual(gru.toJSON());
  gru.dispose();
  loaded.dispose();
});

describe('refusals name the layer and what is supported', () => {
  const artifacts = async (...layers: tf.layers.Layer[]) => artifactsOf(tf.sequential({ layers }));

  test('options elman cannot honour on GRU and LSTM: go_backwards, an unknown activation, Keras 3 hard_sigmoid', async () => {
    const back = await artifacts(tf.layers.lstm({ units: 2, goBackwards: true, inputShape: [4, 1], name: 'lstm_b' }), tf.layers.dense({ units: 1 }));
    expect(() => fromTfjs(back)).toThrow(/layer lstm_b \(LSTM\)\.go_backwards must be false: elman does not support it, got true/);
    const elu = await artifacts(tf.layers.gru({ units: 2, recurrentActivation: 'elu', inputShape: [4, 1], name: 'gru_e' }), tf.layers.dense({ units: 1 }));
    expect(() => fromTfjs(elu)).toThrow(ConfigError);
    expect(() => fromTfjs(elu)).toThrow(/layer gru_e \(GRU\)\.recurrent_activation must be one of linear, tanh, relu, sigmoid, hardSigmoid, got "elu"/);
    const k3 = await artifacts(tf.layers.gru({ units: 2, inputShape: [4, 1], name: 'gru_h' }), tf.layers.dense({ units: 1 }));
    const layers = (k3.modelTopology.config as { layers: Array<{ config: Record<string, unknown> }> }).layers;
    layers[0]!.config.recurrent_activation = 'hard_sigmoid';
    expect(fromTfjs(k3).model.toJSON().config).toMatchObject({ layers: [{ recurrentActivation: 'hardSigmoid' }] }); // Keras 2's, TF.js's slope
    expect(() => fromTfjs({ ...k3, modelTopology: { ...k3.modelTopology, keras_version: '3.4.1' } })).toThrow(/gru_h \(GRU\)\.recurrent_activation must be .*Keras 3's hard_sigmoid has slope 1\/6/);
  });

  test('a lower recurrent layer without return_sequences, and a layer between the recurrent ones and the Dense', async () => {
    const a = await artifacts(tf.layers.lstm({ units: 2, returnSequences: true, inputShape: [4, 1], name: 'lstm_low' }), tf.layers.gru({ units: 2, name: 'gru_top' }), tf.layers.dense({ units: 1 }));
    (a.modelTopology.config as { layers: Array<{ config: Record<string, unknown> }> }).layers[0]!.config.return_sequences = false;
    expect(() => fromTfjs(a)).toThrow(/layer lstm_low \(LSTM\)\.return_sequences must be true: the recurrent layer above it reads every step, got false/);
    const between = await artifacts(tf.layers.gru({ units: 2, inputShape: [4, 1] }), tf.layers.activation({ activation: 'relu', name: 'act_m' }), tf.layers.dense({ units: 1 }));
    expect(() => fromTfjs(between)).toThrow(/layer act_m must be a recurrent or Dense layer after the recurrent one: elman imports InputLayer, then one or more of SimpleRNN, GRU, LSTM .*got "Activation"/);
  });
});
