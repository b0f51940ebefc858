import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/backends/wasm/core.js';
import { ConfigError } from '../../src/errors.js';
import type { TfjsArtifacts } from '../../src/interop/tfjs-format.js';
import { fromTfjs, toTfjs } from '../../src/interop/tfjs.js';
import { loadTfjs, saveTfjs } from '../../src/interop/tfjs-io.js';
import { Predictor } from '../../src/interop/predictor.js';
import { ElmanRNN } from '../../src/models/elman.js';
import { RNN } from '../../src/models/rnn.js';
import { randomElmanData } from '../helpers/elman-data.js';
import { batchMajor, worstRel } from '../helpers/stack-harness.js';

// TF.js is the truth: stacks built, initialised and saved by TF.js itself; elman reads them and
// predicts the same, and writes them back so that tf.loadLayersModel predicts the same again.
beforeAll(async () => {
  await init();
  await tf.setBackend('cpu');
});
afterAll(() => tf.disposeVariables());

async function artifactsOf(model: tf.LayersModel): Promise<TfjsArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  return saved as unknown as TfjsArtifacts;
}

/** TF.js's prediction in elman's time-major layout. */
function tfPredict(model: tf.LayersModel, x: Float32Array, steps: number, n: number, I: number, seq: boolean, O: number): Float32Array {
  const out = tf.tidy(() => (model.predict(tf.tensor3d(batchMajor(x, steps, n, I), [n, steps, I])) as tf.Tensor).dataSync() as Float32Array);
  return seq ? batchMajor(out, n, steps, O) : Float32Array.from(out);
}

const bias = (seed: number) => tf.initializers.randomUniform({ minval: -0.3, maxval: 0.3, seed });
// TF.js's own initialisers, seeded: an unseeded draw made the worst error vary run to run (once 1.04e-5).
const seeded = (seed: number) => ({ kernelInitializer: tf.initializers.glorotUniform({ seed }), recurrentInitializer: tf.initializers.orthogonal({ seed: seed + 50 }) });
const stacks: Array<[string, () => tf.layers.Layer[], boolean, number]> = [
  ['GRU (TF.js defaults: hard_sigmoid gates) → LSTM → Dense', () => [tf.layers.gru({ ...seeded(11), units: 6, returnSequences: true, inputShape: [null, 3], biasInitializer: bias(1) }), tf.layers.lstm({ ...seeded(12), units: 4, biasInitializer: bias(2) }), tf.layers.dense({ kernelInitializer: tf.initializers.glorotUniform({ seed: 99 }), units: 2, biasInitializer: bias(3) })], false, 2],
  ['SimpleRNN → GRU(sigmoid, relu) → Dense(softmax), sequences', () => [tf.layers.simpleRNN({ ...seeded(13), units: 5, returnSequences: true, inputShape: [null, 3], biasInitializer: bias(4) }), tf.layers.gru({ ...seeded(14), units: 7, activation: 'relu', recurrentActivation: 'sigmoid', returnSequences: true, biasInitializer: bias(5) }), tf.layers.dense({ kernelInitializer: tf.initializers.glorotUniform({ seed: 99 }), units: 3, activation: 'softmax' })], true, 3],
  ['LSTM(unitForgetBias, sigmoid) alone → Dense(sigmoid)', () => [tf.layers.lstm({ ...seeded(15), units: 8, unitForgetBias: true, recurrentActivation: 'sigmoid', inputShape: [null, 3] }), tf.layers.dense({ kernelInitializer: tf.initializers.glorotUniform({ seed: 99 }), units: 1, activation: 'sigmoid' })], false, 1],
];

describe.each(['wasm', 'js'] as const)('TF.js stacks ⇄ RNN on %s', (backend) => {
  test.each(stacks)('%s: TF.js → elman → TF.js predicts the same', async (_, make, seq, O) => {
    const net = tf.sequential({ layers: make() });
    const data = randomElmanData(5, 4, 6, 3, O, seq);
    const want = tfPredict(net, data.x, 6, 4, 3, seq, O);
    const { model } = fromTfjs(await artifactsOf(net), { backend });
    expect(worstRel(model.predict(data), want)).toBeLessThan(1e-5);
    const back = await tf.loadLayersModel(tf.io.fromMemory(toTfjs(model) as unknown as tf.io.ModelArtifacts));
    expect(worstRel(tfPredict(back, data.x, 6, 4, 3, seq, O), want)).toBeLessThan(1e-5);
    net.dispose();
    back.dispose();
    model.dispose();
  });
});

test('an elman-made stack exported loads in TF.js and predicts the same; resetAfter is refused with the reason', async () => {
  const model = new RNN({ inputSize: 2, layers: [{ cell: 'lstm', units: 5 }, { cell: 'simple', units: 3, activation: 'relu' }, { cell: 'gru', units: 4 }], outputSize: 2, returnSequences: true, seed: 4 });
  const data = randomElmanData(8, 3, 5, 2, 2, true);
  const net = await tf.loadLayersModel(tf.io.fromMemory(toTfjs(model) as unknown as tf.io.ModelArtifacts));
  expect(worstRel(tfPredict(net, data.x, 5, 3, 2, true, 2), model.predict(data))).toBeLessThan(1e-5);
  net.dispose();
  const keras3 = new RNN({ inputSize: 2, layers: [{ cell: 'gru', units: 3 }], outputSize: 1, defaults: 'keras3' });
  expect(() => toTfjs(keras3)).toThrow(/reset_after/);
  model.dispose();
  keras3.dispose();
});

test('unsupported layers are refused naming the layer and what is supported', async () => {
  const conv = tf.sequential({ layers: [tf.layers.conv1d({ filters: 2, kernelSize: 2, inputShape: [5, 3] }), tf.layers.dense({ kernelInitializer: tf.initializers.glorotUniform({ seed: 99 }), units: 1 })] });
  await expect(artifactsOf(conv).then((a) => fromTfjs(a))).rejects.toThrow(/conv1d.*must be a recurrent layer.*SimpleRNN, GRU, LSTM.*Conv1D/);
  const stacked = await artifactsOf(tf.sequential({ layers: [tf.layers.gru({ ...seeded(16), units: 3, inputShape: [null, 2], returnSequences: true }), tf.layers.gru({ ...seeded(17), units: 2, returnSequences: true }), tf.layers.dense({ kernelInitializer: tf.initializers.glorotUniform({ seed: 99 }), units: 1 })] }));
  // Turn off return_sequences below the top: elman's stacks feed every step upward.
  const layers = (stacked.modelTopology.config as { layers: Array<{ config: Record<string, unknown> }> }).layers;
  layers[0]!.config.return_sequences = false;
  expect(() => fromTfjs(stacked)).toThrow(ConfigError);
  conv.dispose();
});

test('the doors users take: saveTfjs / loadTfjs by path, Predictor.load, and fromTfjs choosing ElmanRNN or RNN by topology', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'elman-rnn-tfjs-'));
  try {
    const model = new RNN({ inputSize: 2, layers: [{ cell: 'gru', units: 4 }, { cell: 'lstm', units: 3 }], outputSize: 1, seed: 8, backend: 'js' });
    const data = randomElmanData(3, 5, 4, 2, 1, false);
    const net = await tf.loadLayersModel(tf.io.fromMemory(toTfjs(model) as unknown as tf.io.ModelArtifacts));
    const want = tfPredict(net, data.x, 4, 5, 2, false, 1);
    await saveTfjs(model, join(dir, 'stack'));
    const loaded = await loadTfjs(join(dir, 'stack', 'model.json'), { backend: 'wasm' });
    expect(loaded.model).toBeInstanceOf(RNN);
    expect(worstRel(loaded.model.predict(data), want)).toBeLessThan(1e-5);
    const served = await Predictor.load(join(dir, 'stack', 'model.json'));
    const seqs = Array.from({ length: 5 }, (_, n) => Array.from({ length: 4 }, (_, k) => [data.x[(k * 5 + n) * 2]!, data.x[(k * 5 + n) * 2 + 1]!]));
    (served.predict(seqs) as number[][]).forEach((o, n) => expect(Math.abs(o[0]! - want[n]!)).toBeLessThan(1e-5));
    // One SimpleRNN + Dense still becomes an ElmanRNN.
    const simple = tf.sequential({ layers: [tf.layers.simpleRNN({ ...seeded(18), units: 3, inputShape: [null, 2] }), tf.layers.dense({ kernelInitializer: tf.initializers.glorotUniform({ seed: 99 }), units: 1 })] });
    const one = fromTfjs(await artifactsOf(simple));
    expect(one.model).toBeInstanceOf(ElmanRNN);
    for (const m of [model, loaded.model, one.model]) m.dispose();
    served.dispose();
    net.dispose();
    simple.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
