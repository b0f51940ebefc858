// What every exit of the one training loop releases: callbacks that throw, refused options,
// aborts, scratch too large to allocate, memory running out, and placed data's bindings.
import { beforeAll, describe, expect, test, vi } from 'vitest';
import { core, init } from '../../src/backends/wasm/core.js';
import { countOnes } from '../../src/data/count-ones.js';
import { AbortError, ConfigError, DivergenceError } from '../../src/errors.js';
import { ElmanRNN } from '../../src/models/elman.js';
import { LinearRNN } from '../../src/models/linear.js';
import { rmsprop } from '../../src/optimizers/rmsprop.js';
import { sgd } from '../../src/optimizers/sgd.js';
import { RandomState } from '../../src/random.js';
import { train, trainSync } from '../../src/training/train.js';
import type { BackendName } from '../../src/types.js';
import { randomElmanData } from '../helpers/elman-data.js';

beforeAll(() => init());

const tutorial = () => countOnes({ samples: 20, length: 10, rng: new RandomState(1) });
const inUse = () => core().arena.bytesInUse;
const elman = (backend: BackendName, seed = 1) => new ElmanRNN({ inputSize: 2, hiddenSize: 4, outputSize: 1, seed, backend });
const elmanData = () => randomElmanData(4, 24, 6, 2, 1, false);

describe('every exit releases what the call placed and bound', () => {
  test('50 onEpoch callbacks that throw leave the core bytes in use where they were (both models, mini-batches too)', () => {
    const before = inUse();
    for (let i = 0; i < 50; i++) {
      const linear = new LinearRNN({ wx: 0.1, wRec: 0.1 });
      expect(() => trainSync(linear, tutorial(), { optimizer: rmsprop(), epochs: 10, onEpoch: () => { throw new Error('callback'); } })).toThrow('callback');
      const net = elman('wasm');
      expect(() => trainSync(net, elmanData(), { optimizer: sgd(), epochs: 3, batchSize: 5, shuffle: 1, onEpoch: () => { throw new Error('callback'); } })).toThrow('callback');
      expect(inUse()).toBe(before); // the models are still alive: nothing of the failed calls remains
    }
  });

  test('an optimizer reused on a model of another size throws ShapeError and leaves the bytes where they were', () => {
    const optimizer = rmsprop();
    trainSync(elman('wasm'), elmanData(), { optimizer, epochs: 1 });
    const other = new ElmanRNN({ inputSize: 2, hiddenSize: 3, outputSize: 1, backend: 'wasm' });
    const before = inUse();
    expect(() => trainSync(other, elmanData(), { optimizer, epochs: 1 })).toThrow(/keep the length/);
    expect(inUse()).toBe(before);
  });

  test('abort, divergence and bad options release everything too', async () => {
    const before = inUse();
    const model = new LinearRNN({ wx: 0.1, wRec: 0.1 });
    const controller = new AbortController();
    controller.abort();
    await expect(train(model, tutorial(), { optimizer: sgd(), epochs: 5, signal: controller.signal })).rejects.toThrow(AbortError);
    expect(() => trainSync(model, tutorial(), { optimizer: sgd({ lr: 0.01 }), epochs: 100 })).toThrow(DivergenceError);
    expect(() => trainSync(model, tutorial(), { optimizer: sgd(), epochs: 5, batchSize: 3 })).toThrow(ConfigError);
    expect(inUse()).toBe(before);
  });
});

test('a job whose scratch would pass 4 GiB is a ConfigError before anything is allocated; other models are untouched', () => {
  const sentinel = elman('wasm', 7);
  const sentinelData = elmanData();
  const lossBefore = sentinel.lossAndGrad(sentinelData).loss;
  const before = inUse();
  // 4,096 sequences × 2,048 steps, 256 hidden units, full batch: about 34 GiB of scratch.
  const big = new ElmanRNN({ inputSize: 1, hiddenSize: 256, outputSize: 1, backend: 'wasm' });
  const data = { samples: 4096, steps: 2048, inputSize: 1, outputSize: 1, x: new Float32Array(4096 * 2048), targets: new Float32Array(4096) };
  expect(() => trainSync(big, data, { optimizer: sgd(), epochs: 1 })).toThrow(/batchSize must be small enough for the scratch/);
  // One very long sequence: predict batches samples, but one sample's steps are the floor.
  const long = { samples: 1, steps: 2 ** 22, inputSize: 1, outputSize: 1, x: new Float32Array(2 ** 22), targets: new Float32Array(1) };
  expect(() => big.predict(long)).toThrow(/data\.steps must be small enough/);
  expect(inUse()).toBe(before);
  expect(sentinel.lossAndGrad(sentinelData).loss).toBe(lossBefore);
});

test('when memory runs out making the shuffled copies, nothing is left half-made and a retry works', () => {
  const model = elman('wasm');
  const data = elmanData();
  const b = model.bind(data, { batchSize: 4 });
  const arena = core().arena;
  const alloc = arena.alloc.bind(arena);
  let calls = 0;
  const spy = vi.spyOn(arena, 'alloc').mockImplementation((bytes: number) => {
    if (++calls === 2) throw new ConfigError('bytes', bytes, 'available'); // the targets' copy fails
    return alloc(bytes);
  });
  const before = inUse();
  const order = Uint32Array.from({ length: data.samples }, (_, i) => data.samples - 1 - i);
  expect(() => b.shuffle!(order)).toThrow(ConfigError);
  expect(inUse()).toBe(before);
  spy.mockRestore();
  b.shuffle!(order);
  const shuffledLoss = b.lossAndGrad(0);
  const reference = elman('wasm').bind(data, { batchSize: 4 });
  reference.shuffle!(order);
  expect(shuffledLoss).toBe(reference.lossAndGrad(0));
  b.dispose();
  reference.dispose();
});

test('training on placed data keeps its binding with the placement, and disposing frees it for every model (RNN too)', async () => {
  const { RNN } = await import('../../src/models/rnn.js');
  const before = inUse();
  const model = new RNN({ inputSize: 2, outputSize: 1, layers: [{ cell: 'gru', units: 3 }] });
  const placed = model.place(elmanData());
  trainSync(model, placed, { optimizer: sgd(), epochs: 2, batchSize: 6 });
  trainSync(model, placed, { optimizer: sgd(), epochs: 2, batchSize: 8 }); // another schedule: a new binding
  placed.dispose();
  model.dispose();
  expect(inUse()).toBe(before);
});

test('a binding over placed data is released by whichever goes first, the placement or the model, on every model; its later use is a DisposedError', async () => {
  const { RNN } = await import('../../src/models/rnn.js');
  const { DisposedError } = await import('../../src/errors.js');
  const models = () => [new RNN({ inputSize: 2, outputSize: 1, layers: [{ cell: 'lstm', units: 3 }] }), elman('wasm')];
  for (const model of models()) {
    const before = inUse();
    const placed = model.place(elmanData());
    const binding = model.bind(placed, { batchSize: 3 });
    expect(binding.lossAndGrad(1)).toBeGreaterThan(0);
    placed.dispose(); // the placement goes first: its binding goes with it
    expect(inUse()).toBe(before);
    expect(() => binding.lossAndGrad(0)).toThrow(DisposedError);
    binding.dispose(); // a second release is nothing
    model.dispose();
    expect(inUse()).toBe(before);
  }
  for (const model of [...models(), new LinearRNN({ wx: 0.1, wRec: 0.1 })]) {
    const before = inUse();
    const data = model instanceof LinearRNN ? tutorial() : elmanData();
    const bindings = [model.bind(model.place(data as never)), model.bind(data as never)];
    expect(inUse()).toBeGreaterThan(before);
    model.dispose(); // the model goes first: every binding, placed or not, goes with it
    expect(inUse()).toBe(before);
    for (const b of bindings) expect(() => b.lossAndGrad(0)).toThrow(DisposedError);
  }
});
