import { beforeAll, expect, test, vi } from 'vitest';
import { adam, ConfigError, RNN, train, type RNNOptions, type Sequences } from '../../src/index.js';
import { liveWorkers } from '../../src/backends/threads/pool.js';
import { init } from '../../src/backends/wasm/core.js';
import { randomElmanData } from '../helpers/elman-data.js';
import { expectSameTraining, relative } from '../helpers/threads.js';

// Threaded placements of layer stacks (RNN.placeThreaded): every layer's forward and backward and the
// head's loss per block of a batch, each block's gradient in its own buffer, summed in block order.

beforeAll(() => init());

// 101 samples: 26 fours in 8 blocks, shared unevenly by 3 threads. Every cell kind, both head shapes.
const cases: Array<[string, RNNOptions, Sequences, 'mse' | 'cce']> = [
  ['GRU → LSTM, many-to-one, mse', { inputSize: 3, layers: [{ cell: 'gru', units: 9 }, { cell: 'lstm', units: 7 }], outputSize: 2, seed: 1 }, randomElmanData(1, 101, 8, 3, 2, false), 'mse'],
  [
    'simple → GRU (resetAfter, sigmoid gates), many-to-many, softmax + cce',
    { inputSize: 2, layers: [{ cell: 'simple', units: 6, activation: 'relu' }, { cell: 'gru', units: 5, resetAfter: true, recurrentActivation: 'sigmoid' }], outputSize: 3, outputActivation: 'softmax', returnSequences: true, seed: 2 },
    randomElmanData(2, 101, 6, 2, 3, true, 'onehot'),
    'cce',
  ],
];

test.each(cases)('%s: threads 1, 2 and 3 give the same bits; the one-thread core and the float64 js backend agree within float32 rounding', async (_, options, d, loss) => {
  const model = new RNN(options);
  const reference = new RNN({ ...options, backend: 'js' });
  try {
    const results: Array<{ loss: number; grads: Float32Array }> = [];
    for (const threads of [1, 2, 3]) {
      const placed = await model.placeThreaded(d, { threads });
      const r = model.lossAndGrad(placed, loss).loss;
      results.push({ loss: r, grads: Float32Array.from(model.grads) });
      placed.dispose();
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
    const got = results[0]!;
    const core = model.lossAndGrad(d, loss).loss;
    const coreGrads = Float32Array.from(model.grads);
    const js = reference.lossAndGrad(d, loss).loss;
    const jsGrads = Float32Array.from(reference.grads);
    expect(Math.abs(got.loss - core)).toBeLessThanOrEqual(1e-12 * core);
    expect(Math.abs(got.loss - js)).toBeLessThanOrEqual(1e-6 * js);
    expect(relative(got.grads, coreGrads)).toBeLessThan(2e-6);
    expect(relative(got.grads, jsGrads)).toBeLessThan(2e-6);
  } finally {
    model.dispose();
  }
});

test('train in shuffled mini-batches with threads 2 reaches the weights of threads 1 bit for bit, near the one-thread core; history.threads; predict on the placement agrees', async () => {
  const d = randomElmanData(3, 150, 7, 2, 1, false);
  const options: RNNOptions = { inputSize: 2, layers: [{ cell: 'lstm', units: 8 }, { cell: 'simple', units: 6 }], outputSize: 1, seed: 3 };
  await expectSameTraining(() => new RNN(options), d, { epochs: 6, batchSize: 40, shuffle: 4 });
});

test("workers stop with the model; 'auto' keeps small data on one thread; bad options are ConfigErrors", async () => {
  const d = randomElmanData(4, 40, 5, 2, 1, false);
  const model = new RNN({ inputSize: 2, layers: [{ cell: 'gru', units: 4 }], outputSize: 1 });
  await vi.waitFor(() => expect(liveWorkers()).toBe(0));
  const placed = await model.placeThreaded(d, { threads: 2 });
  expect(liveWorkers()).toBe(1);
  expect((await train(model, await model.placeThreaded(d), { optimizer: adam(), epochs: 1 })).threads).toBe(1);
  expect((await train(model, placed, { optimizer: adam(), epochs: 1 })).threads).toBe(2);
  model.dispose();
  await vi.waitFor(() => expect(liveWorkers()).toBe(0));
  await expect(model.placeThreaded(d, { threads: 2 })).rejects.toThrow(/disposed/);
  const other = new RNN({ inputSize: 2, layers: [{ cell: 'gru', units: 4 }], outputSize: 1 });
  await expect(other.placeThreaded(d, { threads: 0 })).rejects.toThrow(ConfigError);
  await expect(new RNN({ inputSize: 2, layers: [{ cell: 'gru', units: 4 }], outputSize: 1, backend: 'js' }).placeThreaded(d, { threads: 2 })).rejects.toThrow(/backend 'js'/);
  other.dispose();
});
