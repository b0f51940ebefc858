import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { init, loadTfjs, RNN } from '../../src/index.js';
import { worstRel } from '../helpers/stack-harness.js';

// Keras 3 is the truth: Embedding → GRU (reset_after) → Dense(softmax) built, run and differentiated
// by Keras 3 on jax (test/fixtures/make_keras3_tokens.py). elman loads the file and predicts the same
// (≤ 1e-5), and its sparseCce loss and gradients equal Keras's SparseCategoricalCrossentropy and jax.grad (≤ 1e-4).
beforeAll(() => init());

const file = new URL('../fixtures/keras3/tokens.json', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('../fixtures/keras3/tokens.expected.json', import.meta.url), 'utf8')) as {
  x: number[][]; t: number[][]; y: number[][][]; loss: number; grads: Record<string, number[]>;
};

describe.each(['wasm', 'js'] as const)('a Keras 3 token model on %s', (backend) => {
  test('loads, predicts as Keras, and its sparseCce gradients are jax.grad\'s', async () => {
    const { model } = await loadTfjs(file.pathname, { backend });
    expect(model).toBeInstanceOf(RNN);
    const rnn = model as RNN;
    expect(rnn.embedding).toEqual({ vocab: 11, dim: 4 });
    expect(rnn.layers[0]!.resetAfter).toBe(true);
    const N = expected.x.length, T = expected.x[0]!.length, O = rnn.outputSize;
    const y = rnn.predict(expected.x.map((row) => row.map((id) => [id]))) as number[][][]; // nested in, nested out: [n][k][o]
    let worst = 0;
    for (let k = 0; k < T; k++) for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) worst = Math.max(worst, Math.abs(y[n]![k]![o]! - expected.y[n]![k]![o]!));
    expect(worst).toBeLessThanOrEqual(1e-5);

    const timeMajor = (a: number[][]) => Float32Array.from({ length: N * T }, (_, i) => a[i % N]![Math.floor(i / N)]!);
    const data = { samples: N, steps: T, inputSize: 1, outputSize: 1, x: timeMajor(expected.x), targets: timeMajor(expected.t), targetsPerStep: true };
    const { loss } = rnn.lossAndGrad(data, 'sparseCce');
    expect(Math.abs(loss - expected.loss)).toBeLessThanOrEqual(1e-5 * expected.loss);
    const keras = Object.values(expected.grads).flat(); // model.weights order: embeddings, GRU kernel, recurrent, bias, Dense kernel, bias
    expect(keras.length).toBe(rnn.params.length);
    expect(worstRel(rnn.grads, keras)).toBeLessThanOrEqual(1e-4);
    rnn.dispose();
  });
});
