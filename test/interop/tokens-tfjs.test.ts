import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, fromTfjs, init, RNN, toTfjs, type TfjsArtifacts } from '../../src/index.js';
import { artifactsOf } from '../helpers/tfjs-models.js';
import { worstRel } from '../helpers/stack-harness.js';
import { randomTokenData } from '../helpers/token-data.js';

// TF.js is the truth: an Embedding → recurrent → Dense(softmax) model built and initialised by
// TF.js itself; elman imports it and predicts the same (≤ 1e-5), its sparseCce gradients equal
// TF.js's autodiff of the same loss (≤ 1e-4), and the model it exports TF.js loads and predicts the same.
beforeAll(async () => {
  await init();
  await tf.setBackend('cpu');
});
afterAll(() => tf.disposeVariables());

const V = 9, D = 4, O = 7, N = 6, T = 5;
const uniform = (seed: number) => tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed });

function tfModel(cell: 'gru' | 'lstm' | 'simpleRNN', seq: boolean): tf.Sequential {
  const net = tf.sequential();
  net.add(tf.layers.embedding({ inputDim: V, outputDim: D, inputShape: [null as unknown as number], embeddingsInitializer: uniform(1) }));
  const rec = { units: 5, returnSequences: seq, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }), recurrentInitializer: tf.initializers.orthogonal({ seed: 3 }), biasInitializer: uniform(4) };
  net.add(cell === 'gru' ? tf.layers.gru(rec) : cell === 'lstm' ? tf.layers.lstm(rec) : tf.layers.simpleRNN(rec));
  net.add(tf.layers.dense({ units: O, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }), biasInitializer: uniform(6) }));
  return net;
}

/** Batch-major [N][T] ids from time-major [T][N]. */
const idsBatchMajor = (x: Float32Array) => Float32Array.from({ length: N * T }, (_, i) => x[(i % T) * N + Math.floor(i / T)]!);

/** TF.js's outputs in elman's time-major layout. */
function tfOutputs(net: tf.LayersModel, x: Float32Array, seq: boolean): Float32Array {
  const flat = tf.tidy(() => (net.predict(tf.tensor2d(idsBatchMajor(x), [N, T])) as tf.Tensor).dataSync() as Float32Array);
  if (!seq) return Float32Array.from(flat);
  return Float32Array.from({ length: flat.length }, (_, i) => {
    const o = i % O, n = Math.floor(i / O) % N, k = Math.floor(i / (O * N));
    return flat[(n * T + k) * O + o]!;
  });
}

/** TF.js's mean sparse cross-entropy and its gradients in trainableWeights order (= elman's flat layout). */
function tfGrads(net: tf.LayersModel, data: { x: Float32Array; targets: Float32Array }, seq: boolean): { loss: number; grads: Float64Array } {
  const xs = tf.tensor2d(idsBatchMajor(data.x), [N, T]);
  const labels = seq ? idsBatchMajor(data.targets) : data.targets;
  const ys = tf.oneHot(tf.tensor1d(Int32Array.from(labels), 'int32'), O);
  const vars = net.trainableWeights.map((v) => v.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => tf.tidy(() => {
    const y = (net.apply(xs) as tf.Tensor).reshape([-1, O]);
    return tf.neg(tf.mean(tf.sum(tf.mul(ys, tf.log(y)), -1))) as tf.Scalar;
  }), vars);
  const flat = new Float64Array(vars.reduce((a, v) => a + v.size, 0));
  let at = 0;
  for (const v of vars) {
    const g = grads[v.name]!.dataSync();
    flat.set(g, at);
    at += g.length;
  }
  const out = { loss: value.dataSync()[0]!, grads: flat };
  tf.dispose([value, ...Object.values(grads), xs, ys]);
  return out;
}

describe.each(['wasm', 'js'] as const)('Embedding from and to TF.js on %s', (backend) => {
  test.each([['gru', true], ['lstm', false], ['simpleRNN', true]] as const)('Embedding → %s (returnSequences %s) → Dense softmax', async (cell, seq) => {
    const net = tfModel(cell, seq);
    const { model } = fromTfjs(await artifactsOf(net), { backend });
    expect(model).toBeInstanceOf(RNN);
    const rnn = model as RNN;
    expect(rnn.embedding).toEqual({ vocab: V, dim: D });
    const data = randomTokenData(31, N, T, V, O, seq);
    const ours = rnn.predict(data), theirs = tfOutputs(net, data.x, seq);
    expect(ours.length).toBe(theirs.length);
    let worst = 0;
    for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i]! - theirs[i]!));
    expect(worst).toBeLessThanOrEqual(1e-5);

    const { loss, grads } = tfGrads(net, data, seq);
    const mine = rnn.lossAndGrad(data, 'sparseCce');
    expect(Math.abs(mine.loss - loss)).toBeLessThanOrEqual(1e-5 * Math.max(1, loss));
    expect(worstRel(rnn.grads, grads)).toBeLessThanOrEqual(1e-4);

    // Exported, TF.js loads it and predicts what elman predicts.
    const back = await tf.loadLayersModel(tf.io.fromMemory(toTfjs(rnn) as unknown as tf.io.ModelArtifacts));
    const again = tfOutputs(back, data.x, seq);
    let worstBack = 0;
    for (let i = 0; i < ours.length; i++) worstBack = Math.max(worstBack, Math.abs(ours[i]! - again[i]!));
    expect(worstBack).toBeLessThanOrEqual(1e-5);
    back.dispose();
    net.dispose();
    rnn.dispose();
  });
});

test('an Embedding with mask_zero, or a table of the wrong shape, is refused by name', async () => {
  const net = tfModel('gru', true);
  const artifacts = await artifactsOf(net);
  const topology = JSON.parse(JSON.stringify(artifacts.modelTopology));
  const layers = topology.config.layers ?? topology.model_config.config.layers;
  layers[0].config.mask_zero = true;
  expect(() => fromTfjs({ ...artifacts, modelTopology: topology } as TfjsArtifacts)).toThrow(/Embedding\)\.mask_zero/);
  layers[0].config.mask_zero = false;
  layers[0].config.input_dim = V + 1;
  expect(() => fromTfjs({ ...artifacts, modelTopology: topology } as TfjsArtifacts)).toThrow(/embeddings must have shape 10×4/);
  expect(() => fromTfjs({ ...artifacts, modelTopology: { ...topology, config: { ...topology.config, layers: [{ ...layers[0], config: { ...layers[0].config, output_dim: 0 } }, ...layers.slice(1)] } } } as TfjsArtifacts)).toThrow(ConfigError);
  net.dispose();
});
