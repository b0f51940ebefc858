import { beforeAll, expect, test, vi } from 'vitest';
import { adam, ConfigError, ElmanRNN, train, type ElmanRNNOptions, type Sequences } from '../../src/index.js';
import { liveWorkers } from '../../src/backends/threads/pool.js';
import { init } from '../../src/backends/wasm/core.js';
import { randomElmanData } from '../helpers/elman-data.js';
import { expectSameTraining, relative } from '../helpers/threads.js';

// Threaded placements of the Elman network (model.placeThreaded): each batch's samples cut into
// blocks fixed by the batch size, each block's gradient in its own buffer, summed in block order.

beforeAll(() => init());

const flat = (g: Record<string, Float32Array>) => Float64Array.from(Object.values(g).flatMap((a) => Array.from(a)));

// 101 samples: 26 fours (the last a single sample) in 8 blocks of 3 or 4 fours, shared unevenly by 3 threads.
const cases: Array<[string, ElmanRNNOptions, Sequences]> = [
  ['many-to-one, tanh, mse', { inputSize: 3, hiddenSize: 17, outputSize: 2, seed: 1 }, randomElmanData(1, 101, 9, 3, 2, false)],
  ['many-to-many, relu, softmax + cce', { inputSize: 2, hiddenSize: 12, outputSize: 4, activation: 'relu', outputActivation: 'softmax', returnSequences: true, seed: 2 }, randomElmanData(2, 101, 6, 2, 4, true, 'onehot')],
];

test.each(cases)('%s: threads 1, 2 and 3 give the same bits; the one-thread core and the float64 js backend agree within float32 rounding', async (_, options, d) => {
  const model = new ElmanRNN(options);
  const reference = new ElmanRNN({ ...options, backend: 'js' });
  const loss = options.outputActivation === 'softmax' ? 'cce' : 'mse';
  try {
    const results = [];
    for (const threads of [1, 2, 3]) {
      const placed = await model.placeThreaded(d, { threads });
      const r = model.lossAndGrad(placed, loss);
      results.push({ loss: r.loss, grads: flat(r.grads as unknown as Record<string, Float32Array>) });
      placed.dispose();
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
    const got = results[0]!;
    const core = model.lossAndGrad(d, loss);
    const js = reference.lossAndGrad(d, loss);
    // The loss: per-sample f32 work summed in f64 (blocks or not), against the js backend's float64.
    expect(Math.abs(got.loss - core.loss)).toBeLessThanOrEqual(1e-12 * core.loss);
    expect(Math.abs(got.loss - js.loss)).toBeLessThanOrEqual(1e-6 * js.loss);
    // Float32 sums of up to ~900 terms each, in another order: within 2e-6 of the gradient's scale
    // (seen: 3.9e-7 against the one-thread core, 1.5e-7 against float64, the core itself 3.7e-7 from it).
    expect(relative(got.grads, flat(core.grads as unknown as Record<string, Float32Array>))).toBeLessThan(2e-6);
    expect(relative(got.grads, flat(js.grads as unknown as Record<string, Float32Array>))).toBeLessThan(2e-6);
  } finally {
    model.dispose();
  }
});

test('train in shuffled mini-batches (and a short last batch) with threads 2 reaches the weights of threads 1 bit for bit, near the one-thread core; the history says how many ran; predict agrees', async () => {
  const d = randomElmanData(3, 230, 8, 2, 1, false);
  const options: ElmanRNNOptions = { inputSize: 2, hiddenSize: 24, outputSize: 1, seed: 3 };
  await expectSameTraining(() => new ElmanRNN(options), d, { epochs: 8, batchSize: 64, shuffle: 7 });
});

test("workers are gone after dispose; 'auto' keeps small data on one thread; bad options are ConfigErrors before any work", async () => {
  const d = randomElmanData(4, 40, 5, 2, 1, false);
  const model = new ElmanRNN({ inputSize: 2, hiddenSize: 8, outputSize: 1 });
  await vi.waitFor(() => expect(liveWorkers()).toBe(0));
  const placed = await model.placeThreaded(d, { threads: 3 });
  expect(liveWorkers()).toBe(2);
  const small = await model.placeThreaded(d);
  expect((await train(model, small, { optimizer: adam(), epochs: 1 })).threads).toBe(1);
  expect((await train(model, placed, { optimizer: adam(), epochs: 1 })).threads).toBe(3);
  model.dispose();
  await vi.waitFor(() => expect(liveWorkers()).toBe(0));
  const other = new ElmanRNN({ inputSize: 2, hiddenSize: 8, outputSize: 1 });
  for (const threads of [0, 1.5, 65, '2', null]) await expect(other.placeThreaded(d, { threads: threads as number })).rejects.toThrow(ConfigError);
  await expect(other.placeThreaded(d, { threads: 2, extra: 1 } as { threads: number })).rejects.toThrow(ConfigError);
  await expect(new ElmanRNN({ inputSize: 2, hiddenSize: 8, outputSize: 1, backend: 'js' }).placeThreaded(d, { threads: 2 })).rejects.toThrow(/backend 'js'/);
  await expect(other.placeThreaded(randomElmanData(4, 40, 5, 3, 1, false), { threads: 2 })).rejects.toThrow(/inputSize/);
  other.dispose();
});
