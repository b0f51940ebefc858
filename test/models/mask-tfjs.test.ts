import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { init, RNN, type CellKind, type Sequences } from '../../src/index.js';
import { batchMajor } from '../helpers/tfjs-models.js';

// Masks against TF.js's own layers: tf.layers.masking over zero-padded inputs (post-padded,
// pre-padded, a hole) into simpleRNN / gru / lstm and a dense head, with the same weights; TF.js
// holds the states at masked steps as Keras does. Predictions, and the gradients of a masked,
// weighted mse (written in tf ops by the rule Keras 3 uses: Σ w·m·ℓ / Σ m) through TF.js's autodiff.
// mask_zero needs integer token inputs (an Embedding layer), which this model does not take.
beforeAll(async () => {
  await init();
  await tf.setBackend('cpu');
});

const S = 4, T = 6, I = 2, O = 2;
const KEEP = [
  [1, 1, 1, 1, 1, 1],
  [1, 1, 1, 0, 0, 0],
  [1, 1, 0, 1, 1, 1],
  [0, 0, 1, 1, 1, 1],
];
const WEIGHTS = [0.5, 2, 1, 1.5];
const LAYERS: Record<string, (o: { units: number; returnSequences: boolean }) => tf.layers.Layer> = {
  simple: (o) => tf.layers.simpleRNN(o),
  gru: (o) => tf.layers.gru(o),
  lstm: (o) => tf.layers.lstm(o),
};

/** Seeded inputs in [-1, 1) with the masked steps zero (what Masking reads), time-major; targets likewise. */
function data(seq: boolean): Sequences {
  let s = 7;
  const u = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const x = new Float32Array(T * S * I);
  for (let k = 0; k < T; k++) for (let n = 0; n < S; n++) for (let i = 0; i < I; i++) x[(k * S + n) * I + i] = KEEP[n]![k]! ? u() || 0.5 : 0;
  const targets = Float32Array.from({ length: (seq ? T : 1) * S * O }, u);
  return { samples: S, steps: T, inputSize: I, outputSize: O, x, targets, targetsPerStep: seq, mask: KEEP.flat(), sampleWeights: WEIGHTS };
}

function close(got: ArrayLike<number>, want: ArrayLike<number>, rel: number): void {
  let top = 0, worst = 0;
  for (let i = 0; i < want.length; i++) top = Math.max(top, Math.abs(want[i]!));
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
  expect(got.length).toBe(want.length);
  expect(worst).toBeLessThanOrEqual(rel * top);
}

const cases = Object.keys(LAYERS).flatMap((cell) => [true, false].map((seq) => [cell, seq] as [CellKind, boolean]));

describe.each(['wasm', 'js'] as const)('tf.layers.masking on %s', (backend) => {
  test.each(cases)('%s, returnSequences %s: outputs and masked, weighted mse gradients', (cell, seq) => {
    tf.engine().startScope();
    const net = tf.sequential({ layers: [tf.layers.masking({ maskValue: 0, inputShape: [T, I] }), LAYERS[cell]!({ units: 3, returnSequences: seq }), tf.layers.dense({ units: O })] });
    const model = new RNN({ inputSize: I, outputSize: O, returnSequences: seq, layers: [{ cell, units: 3 }], backend });
    // TF.js's weights, in order, are this model's flat parameters (per layer kernel, recurrent kernel, bias; then the head's).
    model.params.set(Float32Array.from(net.getWeights().flatMap((w) => Array.from(w.dataSync()))));
    const d = data(seq);
    const xs = tf.tensor3d(batchMajor(d.x, T, S, I), [S, T, I]);
    const yTf = (net.predict(xs) as tf.Tensor).dataSync() as Float32Array;
    close(model.predict(d), seq ? batchMajor(yTf, S, T, O) : yTf, 1e-5);
    // The loss by Keras 3's rule in tf ops: row losses mean over outputs, weighted by mask × sample weight, over the unmasked rows.
    const ts = seq ? tf.tensor3d(batchMajor(d.targets, T, S, O), [S, T, O]) : tf.tensor2d(d.targets, [S, O]);
    const m = seq ? tf.tensor2d(KEEP.flat(), [S, T]) : tf.ones([S]);
    const w = seq ? tf.tensor2d(KEEP.flat().map((_, i) => WEIGHTS[Math.floor(i / T)]!), [S, T]) : tf.tensor1d(WEIGHTS);
    const vars = net.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val);
    const { value, grads } = tf.variableGrads(() => {
      const rows = tf.mean(tf.square(tf.sub(net.apply(xs, { training: true }) as tf.Tensor, ts)), -1);
      return tf.div(tf.sum(tf.mul(tf.mul(rows, m), w)), tf.sum(m)) as tf.Scalar;
    }, vars);
    const ours = model.lossAndGrad(d, 'mse');
    expect(Math.abs(ours.loss - value.dataSync()[0]!)).toBeLessThan(1e-5 * Math.max(1, ours.loss));
    close(model.grads, Float32Array.from(vars.flatMap((v) => Array.from(grads[v.name]!.dataSync()))), 1e-4);
    model.dispose();
    tf.engine().endScope();
  });
});
