// Encoder–decoder and bidirectional stacks against TF.js: models built in tf.layers as TF.js publishes
// them (addition-rnn: LSTM → RepeatVector → LSTM → TimeDistributed(Dense) → Activation softmax;
// Bidirectional 'concat' and 'sum'), imported with fromTfjs, predicted and differentiated on both
// backends, and exported back with toTfjs for tf.loadLayersModel to predict the same.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fromTfjs, init, RNN, toTfjs, type Sequences } from '../../src/index.js';
import { artifactsOf, batchMajor } from '../helpers/tfjs-models.js';
import { worstRel } from '../helpers/stack-harness.js';

const worst = new Map<string, number[]>();
beforeAll(async () => {
  await init();
  await tf.setBackend('cpu');
});
afterAll(() => console.log(`Encoder–decoder and bidirectional vs TF.js (worst: predictions abs, loss rel, grads rel)\n${[...worst].map(([k, v]) => `  ${k}: ${v.map((x) => x.toExponential(1)).join(', ')}`).join('\n')}`));

const N = 5, T = 6, I = 4;

/** Seeded values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1);
}

/** One-hot targets [steps][N][O], time-major. */
function oneHot(steps: number, O: number, seed: number): Float32Array {
  const t = new Float32Array(steps * N * O), r = values(steps * N, seed);
  for (let e = 0; e < steps * N; e++) t[e * O + Math.floor((r[e]! + 1) * 0.5 * O)] = 1;
  return t;
}

interface Case {
  build: () => tf.Sequential;
  O: number;
  /** Output steps (1 for many-to-one). */
  outSteps: number;
  /** A target per output step (the top layer returns sequences). */
  seq: boolean;
  loss: 'cce' | 'mse';
}

const CASES: Record<string, Case> = {
  'addition-rnn (LSTM → RepeatVector(3) → LSTM → TimeDistributed(Dense) → softmax)': {
    O: 7, outSteps: 3, seq: true, loss: 'cce',
    build: () => tf.sequential({
      layers: [
        tf.layers.lstm({ units: 8, recurrentInitializer: 'glorotNormal', inputShape: [T, I] }),
        tf.layers.repeatVector({ n: 3 }),
        tf.layers.lstm({ units: 8, recurrentInitializer: 'glorotNormal', returnSequences: true }),
        tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 7 }) }),
        tf.layers.activation({ activation: 'softmax' }),
      ],
    }),
  },
  "Bidirectional(GRU, 'concat') → LSTM → TimeDistributed(Dense)": {
    O: 3, outSteps: T, seq: true, loss: 'mse',
    build: () => tf.sequential({
      layers: [
        tf.layers.bidirectional({ layer: tf.layers.gru({ units: 5, returnSequences: true }) as tf.layers.RNN, mergeMode: 'concat', inputShape: [T, I] }),
        tf.layers.lstm({ units: 4, returnSequences: true }),
        tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3 }) }),
      ],
    }),
  },
  "Bidirectional(SimpleRNN, 'sum'), many-to-one": {
    O: 2, outSteps: 1, seq: false, loss: 'mse',
    build: () => tf.sequential({
      layers: [
        tf.layers.bidirectional({ layer: tf.layers.simpleRNN({ units: 6, returnSequences: false }) as tf.layers.RNN, mergeMode: 'sum', inputShape: [T, I] }),
        tf.layers.dense({ units: 2 }),
      ],
    }),
  },
  "Bidirectional(LSTM, 'concat') encoder → RepeatVector(4) → Bidirectional(GRU, 'sum') → softmax": {
    O: 5, outSteps: 4, seq: true, loss: 'cce',
    build: () => tf.sequential({
      layers: [
        tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 3 }) as tf.layers.RNN, mergeMode: 'concat', inputShape: [T, I] }),
        tf.layers.repeatVector({ n: 4 }),
        tf.layers.bidirectional({ layer: tf.layers.gru({ units: 4, returnSequences: true }) as tf.layers.RNN, mergeMode: 'sum' }),
        tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 5, activation: 'softmax' }) }),
      ],
    }),
  },
};

/** TF.js's loss and gradients (in trainableWeights order: elman's flat layout) for the same data. */
function tfLossGrad(m: tf.Sequential, c: Case, data: Sequences): { loss: number; grads: Float32Array } {
  const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
  return tf.tidy(() => {
    const x = tf.tensor3d(batchMajor(data.x, T, N, I), [N, T, I]);
    const t = !c.seq ? tf.tensor2d(data.targets, [N, c.O]) : tf.tensor3d(batchMajor(data.targets, c.outSteps, N, c.O), [N, c.outSteps, c.O]);
    const f = () => {
      const y = m.apply(x) as tf.Tensor;
      return (c.loss === 'cce' ? tf.mean(tf.neg(tf.sum(tf.mul(t, tf.log(y)), -1))) : tf.losses.meanSquaredError(t, y)) as tf.Scalar;
    };
    const { value, grads } = tf.variableGrads(f, vars);
    const flat = vars.map((v) => grads[v.name]!.dataSync() as Float32Array);
    const out = new Float32Array(flat.reduce((n, a) => n + a.length, 0));
    let at = 0;
    for (const a of flat) (out.set(a, at), (at += a.length));
    return { loss: value.dataSync()[0]!, grads: out };
  });
}

describe.each(['wasm', 'js'] as const)('on %s', (backend) => {
  test.each(Object.keys(CASES))('%s: import, predict, gradients, export', async (name) => {
    const c = CASES[name]!;
    const m = c.build();
    const x = values(T * N * I, 7);
    const targets = c.loss === 'cce' ? oneHot(c.outSteps, c.O, 11) : values(c.outSteps * N * c.O, 13);
    const data: Sequences = { samples: N, steps: T, inputSize: I, outputSize: c.O, x, targets, targetsPerStep: c.seq, ...(c.seq && c.outSteps !== T && { outputSteps: c.outSteps }) };
    const { model } = fromTfjs(await artifactsOf(m), { backend });
    expect(model).toBeInstanceOf(RNN);
    expect(model.outputSteps(T)).toBe(c.outSteps);

    // Predictions: time-major [outSteps][N][O] against TF.js's batch-major [N][outSteps][O].
    const ours = model.predict({ x, samples: N, steps: T });
    const theirs = tf.tidy(() => (m.predict(tf.tensor3d(batchMajor(x, T, N, I), [N, T, I])) as tf.Tensor).dataSync() as Float32Array);
    const want = c.outSteps === 1 ? theirs : batchMajor(theirs, N, c.outSteps, c.O);
    expect(ours.length).toBe(want.length);
    const predAbs = Math.max(...Array.from(ours, (v, i) => Math.abs(v - want[i]!)));
    expect(predAbs).toBeLessThan(1e-5);

    // Loss and every gradient, in TF.js's trainableWeights order = elman's flat layout.
    const tfg = tfLossGrad(m, c, data);
    const { loss } = model.lossAndGrad(data, c.loss);
    const lossRel = Math.abs(loss - tfg.loss) / Math.abs(tfg.loss);
    const gradRel = worstRel(model.grads, tfg.grads);
    expect(model.grads.length).toBe(tfg.grads.length);
    expect(lossRel).toBeLessThan(1e-5);
    expect(gradRel).toBeLessThan(1e-4);
    expect(tfg.grads.some((v) => v !== 0)).toBe(true);

    // Export: TF.js loads the artifacts and predicts what the model predicts; fromTfjs reads them back exactly.
    const artifacts = toTfjs(model);
    const back = await tf.loadLayersModel(tf.io.fromMemory(artifacts as unknown as tf.io.ModelArtifacts));
    const again = tf.tidy(() => (back.predict(tf.tensor3d(batchMajor(x, T, N, I), [N, T, I])) as tf.Tensor).dataSync() as Float32Array);
    const exportAbs = Math.max(...Array.from(ours, (v, i) => Math.abs(v - (c.outSteps === 1 ? again : batchMajor(again, N, c.outSteps, c.O))[i]!)));
    expect(exportAbs).toBeLessThan(1e-5);
    const { model: round } = fromTfjs(artifacts, { backend });
    expect(Array.from(round.params)).toEqual(Array.from(model.params));
    expect((round as RNN).layers).toEqual((model as RNN).layers);
    worst.set(`${backend} ${name}`, [predAbs, lossRel, gradRel, exportAbs]);
    back.dispose();
    m.dispose();
    model.dispose();
    round.dispose();
  });
});
