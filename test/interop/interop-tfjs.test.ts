import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/backends/wasm/core.js';
import { ConfigError, ShapeError } from '../../src/errors.js';
import { ElmanRNN } from '../../src/models/elman.js';
import { fromTfjs, toTfjs } from '../../src/interop/tfjs.js';
import { loadTfjs, saveTfjs, tfjsFiles } from '../../src/interop/tfjs-io.js';
import type { TfjsArtifacts } from '../../src/interop/tfjs-format.js';
import { randomElmanData } from '../helpers/elman-data.js';
import { serveStatic } from '../helpers/static-server.js';
import { artifactsOf, tfPredict } from '../helpers/tfjs-models.js';

// TensorFlow.js is the truth: models built, initialised, saved and run by TF.js itself; elman must read
// them and predict the same, and write models that tf.loadLayersModel reads back unchanged.
beforeAll(async () => {
  await init();
  await tf.setBackend('cpu');
});
afterAll(() => tf.disposeVariables());

/** A SimpleRNN + Dense model built by TF.js, its weights TF.js's initialisers plus non-zero biases. */
function tfModel(I: number, H: number, O: number, act: string, outAct: string, seq: boolean, functional = false): tf.LayersModel {
  const rnn = tf.layers.simpleRNN({ units: H, activation: act as 'tanh', returnSequences: seq, biasInitializer: tf.initializers.randomUniform({ minval: -0.3, maxval: 0.3, seed: 3 }) });
  const dense = tf.layers.dense({ units: O, activation: outAct as 'linear', biasInitializer: tf.initializers.randomUniform({ minval: -0.3, maxval: 0.3, seed: 4 }) });
  if (functional) {
    const input = tf.input({ shape: [null, I] });
    return tf.model({ inputs: input, outputs: dense.apply(rnn.apply(input)) as tf.SymbolicTensor });
  }
  const m = tf.sequential();
  m.add(tf.layers.inputLayer({ inputShape: [null, I] }));
  m.add(rnn);
  m.add(dense);
  return m;
}

const cases = [
  ['tanh', 'linear', false, false],
  ['tanh', 'sigmoid', true, false],
  ['relu', 'softmax', true, true],
  ['sigmoid', 'linear', false, true],
  ['linear', 'softmax', false, false],
] as const;

describe.each(['wasm', 'js'] as const)('a TF.js SimpleRNN + Dense model loaded into elman (%s)', (backend) => {
  test.each(cases)('%s, %s output, returnSequences %s, functional %s: same predictions within 1e-5', async (act, outAct, seq, functional) => {
    const [I, H, O, steps, n] = [3, 7, 4, 9, 6];
    const theirs = tfModel(I, H, O, act, outAct, seq, functional);
    const model = fromTfjs(await artifactsOf(theirs), { backend }).model as ElmanRNN;
    expect(model).toBeInstanceOf(ElmanRNN);
    expect([model.inputSize, model.hiddenSize, model.outputSize, model.activation, model.outputActivation, model.returnSequences, model.backend]).toEqual([I, H, O, act, outAct, seq, backend]);
    const data = randomElmanData(5, n, steps, I, O, seq);
    const ours = model.predict(data);
    const expected = tfPredict(theirs, data.x, steps, n, I, seq, O);
    expect(ours.length).toBe(expected.length);
    for (let i = 0; i < ours.length; i++) expect(Math.abs(ours[i]! - expected[i]!)).toBeLessThan(1e-5);
    model.dispose();
    theirs.dispose();
  });
});

test('round trip TF.js → elman → TF.js: same weights bit for bit, identical predictions', async () => {
  const [I, H, O, steps, n] = [2, 5, 3, 12, 4];
  const original = tfModel(I, H, O, 'tanh', 'linear', true);
  const { model } = fromTfjs(await artifactsOf(original));
  const back = await tf.loadLayersModel(tf.io.fromMemory(toTfjs(model) as unknown as tf.io.ModelArtifacts));
  const before = original.getWeights().map((w) => w.dataSync());
  const after = back.getWeights().map((w) => w.dataSync());
  expect(after.map((w) => Array.from(w))).toEqual(before.map((w) => Array.from(w)));
  const x = randomElmanData(8, n, steps, I, O, true).x;
  expect(tfPredict(back, x, steps, n, I, true, O)).toEqual(tfPredict(original, x, steps, n, I, true, O));
  model.dispose();
});

test('weightData as several ArrayBuffers (TF.js 4 may hand them over so) reads the same as one', async () => {
  const a = await artifactsOf(tfModel(2, 3, 1, 'tanh', 'linear', false));
  const bytes = a.weightData as ArrayBuffer;
  const split = { ...a, weightData: [bytes.slice(0, 10), bytes.slice(10, 51), bytes.slice(51)] };
  expect(fromTfjs(split, { backend: 'js' }).model.toJSON()).toEqual(fromTfjs(a, { backend: 'js' }).model.toJSON());
});

test('an elman model exported to TF.js predicts what elman predicts', async () => {
  const model = new ElmanRNN({ inputSize: 2, hiddenSize: 6, outputSize: 1, activation: 'relu', seed: 9 });
  model.setWeights({ bias: [0.1, -0.2, 0.3, 0, 0.05, -0.1], outputBias: [0.25] });
  const theirs = await tf.loadLayersModel(tf.io.fromMemory(toTfjs(model) as unknown as tf.io.ModelArtifacts));
  const data = randomElmanData(2, 10, 15, 2, 1, false);
  const expected = tfPredict(theirs, data.x, 15, 10, 2, false, 1);
  const ours = model.predict(data);
  for (let i = 0; i < ours.length; i++) expect(Math.abs(ours[i]! - expected[i]!)).toBeLessThan(1e-5);
  model.dispose();
});

test('the Python Keras spellings: model_config wrapper, Keras 3 batch_shape and keras_history, cell-scoped weight names', async () => {
  const [I, H, O, steps, n] = [2, 4, 3, 6, 5];
  const theirs = tfModel(I, H, O, 'tanh', 'linear', false, true);
  const a = await artifactsOf(theirs);
  const layers = (a.modelTopology.config as { layers: Array<Record<string, unknown>> }).layers;
  const [input, rnn, dense] = layers as [Record<string, any>, Record<string, any>, Record<string, any>];
  // Rewritten as Keras 3 writes a functional model (the numbers stay TF.js's own).
  input.config = { batch_shape: input.config.batch_input_shape, name: input.name };
  const edge = (from: string) => [{ args: [{ class_name: '__keras_tensor__', config: { keras_history: [from, 0, 0] } }], kwargs: {} }];
  rnn.inbound_nodes = edge(input.name);
  dense.inbound_nodes = edge(rnn.name);
  const keras = {
    ...a,
    modelTopology: { model_config: { class_name: 'Functional', config: { layers } } },
    weightSpecs: a.weightSpecs.map((w) => ({ ...w, name: w.name.replace(`${rnn.name}/`, `${rnn.name}/simple_rnn_cell/`) + ':0' })),
  };
  const { model } = fromTfjs(keras, { backend: 'js' });
  const data = randomElmanData(6, n, steps, I, O, false);
  const expected = tfPredict(theirs, data.x, steps, n, I, false, O);
  const ours = model.predict(data);
  for (let i = 0; i < ours.length; i++) expect(Math.abs(ours[i]! - expected[i]!)).toBeLessThan(1e-5);
  theirs.dispose();
});

describe('files and URLs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'elman-tfjs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const model = new ElmanRNN({ inputSize: 1, hiddenSize: 4, outputSize: 2, returnSequences: true, outputActivation: 'softmax', seed: 4, backend: 'js' });
  const metadata = { scaler: { mean: [1.5], std: [0.5] }, lookback: 12 };

  test('saveTfjs writes model.json + weights.bin; loadTfjs reads them back by path and by file: URL, metadata included', async () => {
    await saveTfjs(model, dir, { metadata });
    const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(manifest.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(readFileSync(join(dir, 'weights.bin')).byteLength).toBe(4 * model.params.length);
    for (const source of [join(dir, 'model.json'), pathToFileURL(join(dir, 'model.json'))]) {
      const loaded = await loadTfjs(source, { backend: 'js' });
      expect(loaded.metadata).toEqual(metadata);
      expect(loaded.model.toJSON()).toEqual(model.toJSON());
    }
  });

  test('over HTTP: tf.loadLayersModel reads what elman wrote, and loadTfjs reads it from the same URL', async () => {
    const server = await serveStatic(dir);
    try {
      const url = `${server.url}/model.json`;
      const theirs = await tf.loadLayersModel(url);
      const loaded = await loadTfjs(url, { backend: 'js' });
      const data = randomElmanData(3, 5, 7, 1, 2, true);
      expect(loaded.model.predict(data)).toEqual(model.predict(data));
      const expected = tfPredict(theirs, data.x, 7, 5, 1, true, 2);
      const ours = model.predict(data);
      for (let i = 0; i < ours.length; i++) expect(Math.abs(ours[i]! - expected[i]!)).toBeLessThan(1e-5);
    } finally {
      await server.close();
    }
  });

  test('weights sharded over several files: loadTfjs joins them, even split mid-float; TF.js reads the same manifest', async () => {
    const files = tfjsFiles(model);
    const json = JSON.parse(files['model.json']);
    const bin = files['weights.bin'];
    // TF.js 4.22 itself misreads the weights after one that spans a shard boundary (its own saved
    // models too), so the TF.js side gets shards cut between weights: 4·(4 + 16 + 4) = 96 bytes.
    for (const [name, cuts] of [['mid-float', [37, 90]], ['between-weights', [96]]] as const) {
      const bounds = [0, ...cuts, bin.length];
      const paths = cuts.map((_, i) => `${name}-shard${i + 1}.bin`).concat(`${name}-shard${cuts.length + 1}.bin`);
      paths.forEach((p, i) => writeFileSync(join(dir, p), bin.subarray(bounds[i], bounds[i + 1])));
      writeFileSync(join(dir, `${name}.json`), JSON.stringify({ ...json, weightsManifest: [{ paths, weights: json.weightsManifest[0].weights }] }));
    }
    const server = await serveStatic(dir);
    try {
      expect((await loadTfjs(`${server.url}/mid-float.json`, { backend: 'js' })).model.toJSON()).toEqual(model.toJSON());
      expect((await loadTfjs(join(dir, 'mid-float.json'), { backend: 'js' })).model.toJSON()).toEqual(model.toJSON());
      const theirs = await tf.loadLayersModel(`${server.url}/between-weights.json`);
      expect(theirs.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(Object.values(model.weights).map((w) => Array.from(w)));
    } finally {
      await server.close();
    }
  });

  test('tfjsFiles gives the same bytes as the artifacts', () => {
    const files = tfjsFiles(model);
    const a = toTfjs(model);
    expect(Array.from(files['weights.bin'])).toEqual(Array.from(new Uint8Array(a.weightData as ArrayBuffer)));
    expect(JSON.parse(files['model.json']).modelTopology).toEqual(a.modelTopology);
  });
});

describe('refusals name the layer and what is supported', () => {
  const seqModel = (...layers: tf.layers.Layer[]) => tf.sequential({ layers });

  test('a Conv1D layer', async () => {
    const m = seqModel(tf.layers.conv1d({ filters: 2, kernelSize: 2, inputShape: [5, 1], name: 'conv_a' }), tf.layers.dense({ units: 1 }));
    expect(() => fromTfjs(artifactsSync(m))).toThrow(/layer conv_a must be a recurrent layer: elman imports InputLayer, then one or more of SimpleRNN, GRU, LSTM.*, then Dense.*, got "Conv1D"/);
  });

  test('a layer after the Dense', async () => {
    const extra = seqModel(tf.layers.simpleRNN({ units: 2, inputShape: [4, 1] }), tf.layers.dense({ units: 1 }), tf.layers.activation({ activation: 'relu', name: 'act_c' }));
    expect(() => fromTfjs(artifactsSync(extra))).toThrow(/layer act_c must be nothing after the Dense layer/);
  });

  test('options elman cannot honour: go_backwards, an unknown activation', async () => {
    const back = seqModel(tf.layers.simpleRNN({ units: 2, goBackwards: true, inputShape: [4, 1], name: 'rnn_d' }), tf.layers.dense({ units: 1 }));
    expect(() => fromTfjs(artifactsSync(back))).toThrow(/layer rnn_d \(SimpleRNN\)\.go_backwards must be false: elman does not support it, got true/);
    const elu = seqModel(tf.layers.simpleRNN({ units: 2, activation: 'elu', inputShape: [4, 1], name: 'rnn_e' }), tf.layers.dense({ units: 1 }));
    expect(() => fromTfjs(artifactsSync(elu))).toThrow(ConfigError);
    expect(() => fromTfjs(artifactsSync(elu))).toThrow(/rnn_e \(SimpleRNN\)\.activation must be one of linear, tanh, relu, sigmoid, hardSigmoid, got "elu"/);
  });

  test('truncated weight bytes, a wrong shape and quantised weights', async () => {
    const a = artifactsSync(seqModel(tf.layers.simpleRNN({ units: 3, inputShape: [4, 2] }), tf.layers.dense({ units: 1 })));
    expect(() => fromTfjs({ ...a, weightData: (a.weightData as ArrayBuffer).slice(0, 40) })).toThrow(ShapeError);
    const wrong = { ...a, weightSpecs: a.weightSpecs.map((s, i) => (i === 1 ? { ...s, shape: [3, 2] } : s)) };
    expect(() => fromTfjs(wrong)).toThrow(/recurrent_kernel must have shape 3×3/);
    const quantised = { ...a, weightSpecs: a.weightSpecs.map((s) => ({ ...s, quantization: { dtype: 'uint8', scale: 1, min: 0 } })) };
    expect(() => fromTfjs(quantised)).toThrow(/must be "float32" without quantization/);
    const huge = { ...a, weightSpecs: [{ name: 'x/kernel', shape: [2 ** 20, 2 ** 20], dtype: 'float32' }] };
    expect(() => fromTfjs(huge)).toThrow(/at most 2\^28 values/);
  });
});

/** artifactsOf, settled synchronously: TF.js's in-memory save resolves before any I/O. */
function artifactsSync(model: tf.LayersModel): TfjsArtifacts {
  const weights = model.getWeights();
  const specs = model.weights.map((w, i) => ({ name: w.originalName, shape: weights[i]!.shape as number[], dtype: 'float32' }));
  const data = new Float32Array(weights.reduce((n, w) => n + w.size, 0));
  let at = 0;
  for (const w of weights) (data.set(w.dataSync() as Float32Array, at), (at += w.size));
  const topology = model.toJSON(null, false) as unknown as Record<string, unknown>;
  return { modelTopology: topology, weightSpecs: specs, weightData: data.buffer };
}
