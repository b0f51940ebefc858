import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { init } from '../../src/backends/wasm/core.js';
import type { Sequences } from '../../src/data/sequences.js';
import { ELMAN_WEIGHT_NAMES, ElmanRNN, type ElmanRNNOptions } from '../../src/models/elman.js';
import type { ElmanLossName } from '../../src/losses.js';
import { randomElmanData } from '../helpers/elman-data.js';

// TensorFlow.js is the independent truth: tf.layers.simpleRNN + tf.layers.dense with our weights set
// through model.setWeights (Keras layout), the loss from tf.losses, gradients from tf.variableGrads.
beforeAll(async () => {
  await init();
  await tf.setBackend('cpu');
});
afterAll(() => tf.disposeVariables());

/** Batch-major [N][steps][width] from our time-major [steps][N][width]. */
function batchMajor(a: Float32Array, steps: number, n: number, width: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let k = 0; k < steps; k++) for (let s = 0; s < n; s++) for (let i = 0; i < width; i++) out[(s * steps + k) * width + i] = a[(k * n + s) * width + i]!;
  return out;
}

function tfLossAndGrads(model: ElmanRNN, data: Sequences, loss: ElmanLossName): { loss: number; grads: Float32Array[] } {
  const { inputSize: I, hiddenSize: H, outputSize: O, returnSequences: seq } = model;
  const fused = loss === 'bce' || loss === 'cce';
  const net = tf.sequential({
    layers: [
      tf.layers.simpleRNN({ units: H, activation: model.activation, returnSequences: seq, inputShape: [data.steps, I] }),
      tf.layers.dense({ units: O, activation: fused ? 'linear' : model.outputActivation }),
    ],
  });
  const w = model.weights;
  net.setWeights([tf.tensor2d(w.kernel, [I, H]), tf.tensor2d(w.recurrentKernel, [H, H]), tf.tensor1d(w.bias), tf.tensor2d(w.outputKernel, [H, O]), tf.tensor1d(w.outputBias)]);
  const S = seq ? data.steps : 1;
  const xs = tf.tensor3d(batchMajor(data.x, data.steps, data.samples, I), [data.samples, data.steps, I]);
  const ys = seq ? tf.tensor3d(batchMajor(data.targets, S, data.samples, O), [data.samples, S, O]) : tf.tensor2d(data.targets, [data.samples, O]);
  const f = () => {
    const y = net.apply(xs, { training: true }) as tf.Tensor;
    if (loss === 'sse') return tf.sum(tf.square(tf.sub(y, ys))) as tf.Scalar;
    if (loss === 'mse') return tf.losses.meanSquaredError(ys, y) as tf.Scalar;
    if (loss === 'bce') return tf.losses.sigmoidCrossEntropy(ys, y) as tf.Scalar;
    return tf.losses.softmaxCrossEntropy(ys.reshape([-1, O]), y.reshape([-1, O])) as tf.Scalar;
  };
  const vars = net.trainableWeights.map((v) => v.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(f, vars);
  const out = { loss: value.dataSync()[0]!, grads: vars.map((v) => grads[v.name]!.dataSync() as Float32Array) };
  tf.dispose([value, ...Object.values(grads), xs, ys]);
  net.dispose();
  return out;
}

const cases = [
  ['tanh', 'mse', 'linear', false],
  ['tanh', 'sse', 'linear', true],
  ['relu', 'mse', 'sigmoid', true],
  ['sigmoid', 'mse', 'softmax', false],
  ['tanh', 'bce', 'sigmoid', true],
  ['linear', 'bce', 'sigmoid', false],
  ['tanh', 'cce', 'softmax', true],
  ['relu', 'cce', 'softmax', false],
] as const;

describe.each(['wasm', 'js'] as const)('same loss and gradients as TensorFlow.js on %s', (backend) => {
  test.each(cases)('simpleRNN %s + dense, %s loss, %s output, returnSequences %s', (act, loss, outAct, seq) => {
    const kind = loss === 'bce' ? 'bits' : loss === 'cce' ? 'onehot' : 'real';
    const [I, H, O] = [3, 10, 4];
    const data = randomElmanData(7, 24, 6, I, O, seq, kind);
    const opts: ElmanRNNOptions = { inputSize: I, hiddenSize: H, outputSize: O, activation: act, outputActivation: outAct, returnSequences: seq, seed: 11, backend };
    const model = new ElmanRNN(opts);
    model.setWeights({ bias: Array.from({ length: H }, (_, i) => 0.05 * (i - 4)), outputBias: [0.1, -0.2, 0.3, 0] });
    const ours = model.lossAndGrad(data, loss);
    const theirs = tfLossAndGrads(model, data, loss);
    expect(Math.abs(ours.loss - theirs.loss)).toBeLessThan(1e-4 * Math.abs(theirs.loss));
    ELMAN_WEIGHT_NAMES.forEach((name, i) => {
      const a = ours.grads[name], b = theirs.grads[i]!;
      const scale = Math.max(...b.map(Math.abs));
      expect(a.length).toBe(b.length);
      // Relative per entry; entries far below the block's largest are compared at 1e-4 of that largest.
      for (let j = 0; j < b.length; j++) expect(Math.abs(a[j]! - b[j]!)).toBeLessThan(1e-4 * Math.max(Math.abs(b[j]!), 1e-2 * scale, 1e-6));
    });
  });
});
