// An Embedding of token ids in front of a Bidirectional encoder and a RepeatVector decoder, built in
// tf.layers, imported with fromTfjs: predictions, the loss and every gradient (the embedding table's
// too, which gets both copies' input gradients) against TF.js on both backends, and the export read
// back by tf.loadLayersModel predicting the same.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { fromTfjs, init, RNN, toTfjs, type Sequences } from '../../src/index.js';
import { artifactsOf, batchMajor } from '../helpers/tfjs-models.js';
import { worstRel } from '../helpers/stack-harness.js';

beforeAll(async () => {
  await init();
  await tf.setBackend('cpu');
});

const N = 4, T = 5, V = 6, D = 3, O = 4, OUT = 3;

/** Seeded values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1);
}

const build = () => tf.sequential({
  layers: [
    tf.layers.embedding({ inputDim: V, outputDim: D, inputShape: [T], embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.8, maxval: 0.8, seed: 3 }) }),
    tf.layers.bidirectional({ layer: tf.layers.gru({ units: 3 }) as tf.layers.RNN, mergeMode: 'concat' }),
    tf.layers.repeatVector({ n: OUT }),
    tf.layers.lstm({ units: 4, returnSequences: true }),
    tf.layers.timeDistributed({ layer: tf.layers.dense({ units: O }) }),
  ],
});

describe.each(['wasm', 'js'] as const)('on %s', (backend) => {
  test('Embedding → Bidirectional(GRU) → RepeatVector(3) → LSTM → TimeDistributed(Dense): import, predict, gradients, export', async () => {
    const m = build();
    // Token ids, time-major [T][N]; every id 0..V-1 occurs.
    const ids = Float32Array.from({ length: T * N }, (_, i) => (i * 5 + 1) % V);
    const idsBatch = batchMajor(ids, T, N, 1);
    const targets = values(OUT * N * O, 9);
    const data: Sequences = { samples: N, steps: T, inputSize: 1, outputSize: O, x: ids, targets, targetsPerStep: true, outputSteps: OUT };
    const { model } = fromTfjs(await artifactsOf(m), { backend });
    expect(model).toBeInstanceOf(RNN);
    expect((model as RNN).embedding).toEqual({ vocab: V, dim: D });

    const ours = model.predict({ x: ids, samples: N, steps: T });
    const theirs = tf.tidy(() => (m.predict(tf.tensor2d(idsBatch, [N, T])) as tf.Tensor).dataSync() as Float32Array);
    const want = batchMajor(theirs, N, OUT, O);
    const predAbs = Math.max(...Array.from(ours, (v, i) => Math.abs(v - want[i]!)));
    expect(ours.length).toBe(want.length);
    expect(predAbs).toBeLessThan(1e-5);

    // TF.js's mse and its gradients in trainableWeights order (embeddings first: elman's flat layout).
    const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
    const tfg = tf.tidy(() => {
      const x = tf.tensor2d(idsBatch, [N, T]), t = tf.tensor3d(batchMajor(targets, OUT, N, O), [N, OUT, O]);
      const { value, grads } = tf.variableGrads(() => tf.losses.meanSquaredError(t, m.apply(x) as tf.Tensor) as tf.Scalar, vars);
      const flat = vars.map((v) => Array.from(grads[v.name]!.dataSync()));
      return { loss: value.dataSync()[0]!, grads: Float32Array.from(flat.flat()) };
    });
    const { loss } = model.lossAndGrad(data, 'mse');
    const lossRel = Math.abs(loss - tfg.loss) / Math.abs(tfg.loss), gradRel = worstRel(model.grads, tfg.grads);
    console.log(`${backend} embedding → bi GRU → repeat → LSTM vs TF.js: predictions ${predAbs.toExponential(1)} abs, loss ${lossRel.toExponential(1)} rel, grads ${gradRel.toExponential(1)} rel`);
    expect(model.grads.length).toBe(tfg.grads.length);
    expect(lossRel).toBeLessThan(1e-5);
    expect(gradRel).toBeLessThan(1e-4);
    // Every row of the table has a gradient in TF.js, so a lost backward copy's contribution shows above.
    for (let r = 0; r < V; r++) expect(tfg.grads.subarray(r * D, (r + 1) * D).some((g) => g !== 0)).toBe(true);

    const artifacts = toTfjs(model);
    const back = await tf.loadLayersModel(tf.io.fromMemory(artifacts as unknown as tf.io.ModelArtifacts));
    const again = tf.tidy(() => (back.predict(tf.tensor2d(idsBatch, [N, T])) as tf.Tensor).dataSync() as Float32Array);
    const exportAbs = Math.max(...Array.from(ours, (v, i) => Math.abs(v - batchMajor(again, N, OUT, O)[i]!)));
    expect(exportAbs).toBeLessThan(1e-5);
    const { model: round } = fromTfjs(artifacts, { backend });
    expect(Array.from(round.params)).toEqual(Array.from(model.params));
    back.dispose();
    m.dispose();
    model.dispose();
    round.dispose();
  });
});
